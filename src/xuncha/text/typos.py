"""Typos (错别字): a curated misuse dictionary and a statistical confusable-character detector.

W.CONTENT.TYPO / M.CONTENT.TYPO (indicators.md §2.2, §3.3). Two sources of hits:

* ``dict`` — ``data/typos.tsv``: ~500 common misuses in official writing (既使→即使,
  按装→安装, 再接再励→再接再厉, 帐号→账号 …), a few as context rules (截止2024年→截至,
  登陆网站→登录). A 2-3 character entry is not reported where a frequent word crosses it
  (按|装修, 以|经济). Non-recommended variants (部份, 想像) are reported with low confidence.
* ``confusable`` — a character in no dictionary word, where a same/near-sound (pypinyin) or
  similar-shape character makes a frequent word of jieba's dictionary. The evidence is the
  gain in log-probability of the best unigram segmentation of the local context, less a
  penalty for the kind of substitution; a runner-up (other replacement, or the neighbour being
  the slip instead) must trail by a margin. Given names after a surname, reduplications,
  very common one-character words, characters outside GB 2312, digits and Latin text are
  never suspected; a replacement that would double a neighbouring character (摩模托车 ->
  摩摩托车) is not proposed unless the doubled form is itself a word (妈骂 -> 妈妈).
  Thresholds: ``ConfusableThresholds`` (tuned for precision on a DEV set).

``check`` returns every hit; ``correct`` is a sentence corrector (bench/csc.py) that applies
confident hits and abstains when the sentence stays suspicious. 的/地/得 are never flagged;
footer registration marks (ICP备, 公网安备, 网站标识码) are skipped.

Everything is built offline, lazily on first use (about 1-1.5 s) and cached in memory, from
data shipped inside the ``jieba`` package (dict.txt word frequencies) and the ``pypinyin``
package (per-character readings), plus the hand-written tables below; nothing is downloaded.
"""

from __future__ import annotations

import math
import operator
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import compress, count, repeat
from pathlib import Path
from typing import Literal

from xuncha.text.lm import LMEdit, LMPass, LMThresholds, get_lm

RuleKind = Literal["dict", "confusable", "lm"]

DATA_DIR = Path(__file__).with_name("data")
TYPOS_TSV = DATA_DIR / "typos.tsv"

_DICT_LINE = re.compile(r"^([\u4e00-\u9fff]{1,4}) (\d+) ", re.MULTILINE)  # words of 1-4 chars


@dataclass
class TypoHit:
    """One suspected typo: ``text[start:end] == found`` should read ``suggestion``.

    ``confidence``: 0.95 for a dictionary typo, 0.6 for a non-recommended variant (reported,
    not applied by ``correct``), 0.9-0.95 for a confusable character (grows with the evidence).
    """

    start: int
    end: int
    found: str
    suggestion: str
    rule: RuleKind
    confidence: float
    explanation: str  # Chinese, for evidence strings


# --------------------------------------------------------------------------- thresholds
@dataclass(frozen=True)
class ConfusableThresholds:
    """Tunables of the confusable detector, tuned for precision on a DEV set.

    DEV: 242 SIGHAN-2015 *training* sentence pairs (+ their 232 corrected sides as negatives)
    and pycorrector 0.3.1's 500-sentence native-writer corpus (``bench/csc.py --dev``); never
    the SIGHAN-2015 test file. Gains are natural-log probability ratios of the best unigram
    segmentation of the context (jieba dictionary frequencies): a gain of 8 means the
    corrected context is e^8 ≈ 3,000 times as likely as the written one.
    """

    cover_min_freq: int = 5  # a character inside a dictionary word this frequent is not suspected
    suggest_min_freq: int = 50  # the corrected word must be at least this frequent in jieba's dict
    max_old_freq: int = 100_000  # characters this common as one-character words are not suspected
    min_gain: float = 8.0  # evidence needed to report a replacement (nats, after penalties)
    min_margin: float = 1.0  # over the next-best replacement of the same character
    tone_penalty: float = 5.0  # same syllable, other tone (同音不同调)
    fuzzy_penalty: float = 8.0  # zh/z, ch/c, sh/s, -ng/-n (近音)
    shape_penalty: float = 4.0  # similar shape, other sound (形近)
    common_partner_freq: int = 50_000  # a 2-char word made with a character this common alone …
    common_partner_penalty: float = 3.0  # … needs this much more evidence (一呼 -> 一下)
    abstain_gain: float = 2.0  # correct(): leave a sentence alone if unreported evidence reaches this
    context: int = 4  # characters of context scored on each side (beyond the 3 a word can span)
    bound_slack: float = 2.0  # skip a candidate whose cheap upper bound misses the floor by more
    cross_min_freq: int = 50  # a dictionary hit crossed by a word this frequent is not reported


# --------------------------------------------------------------------------- pinyin
_TONED = {
    "ā": ("a", 1), "á": ("a", 2), "ǎ": ("a", 3), "à": ("a", 4),
    "ē": ("e", 1), "é": ("e", 2), "ě": ("e", 3), "è": ("e", 4),
    "ī": ("i", 1), "í": ("i", 2), "ǐ": ("i", 3), "ì": ("i", 4),
    "ō": ("o", 1), "ó": ("o", 2), "ǒ": ("o", 3), "ò": ("o", 4),
    "ū": ("u", 1), "ú": ("u", 2), "ǔ": ("u", 3), "ù": ("u", 4),
    "ǖ": ("v", 1), "ǘ": ("v", 2), "ǚ": ("v", 3), "ǜ": ("v", 4), "ü": ("v", 5),
    "ń": ("n", 2), "ň": ("n", 3), "ǹ": ("n", 4), "ḿ": ("m", 2),
}


def _split_tone(syllable: str) -> tuple[str, int] | None:
    """'zhōng' -> ('zhong', 1); neutral tone 5; None for odd entries (ê̄, m̀)."""
    out = []
    tone = 5
    for ch in syllable:
        if "a" <= ch <= "z":
            out.append(ch)
        elif ch in _TONED:
            base, t = _TONED[ch]
            out.append(base)
            if t != 5:
                tone = t
        else:
            return None
    return ("".join(out), tone) if out else None


def _fuzzy(syllable: str) -> str:
    """Fold the distinctions southern speakers and pinyin typists blur: zh/z ch/c sh/s, -ng/-n."""
    if syllable[:2] in ("zh", "ch", "sh"):
        syllable = syllable[0] + syllable[2:]
    if syllable.endswith(("ang", "eng", "ing")):
        syllable = syllable[:-1]
    return syllable


# Similar-shape characters with different sounds (same-sound pairs come from pypinyin).
# Each group lists characters commonly written one for another.
_SHAPE_GROUPS = (
    "己已巳", "未末", "戊戌戍戎", "拨拔跋", "侯候", "籍藉", "渴喝褐竭", "侍待持特恃", "析折拆", "免兔", "徒徙", "冶治", "贷货", "券卷",
    "崇祟", "盲肓", "刺剌", "即既", "坚竖", "拣捡检", "概慨", "撤撒", "篡纂", "栗粟", "暮幕墓慕募", "缓暖援", "陪培赔", "堕惰", "溯朔",
    "蜇蛰", "挡档", "措错", "浙淅", "洒酒", "茶荼", "贫贪", "衷衰哀", "辛幸", "睛晴", "贴帖", "士土", "千干于", "入人八", "日曰",
    "午牛", "天夭", "木术", "犬太", "爪瓜", "失矢", "休体", "勺匀", "密蜜", "崖涯", "澈撤", "缉辑", "幅辐", "璧壁", "诀决", "湍端",
    "纹蚊", "蓝篮监", "渐惭", "胀涨", "袒坦", "躯驱", "诵颂", "膺鹰", "胫径", "湎缅", "弛驰", "赃脏", "暄喧", "宵霄", "稿槁", "佣俑",
    "撼憾", "搏博", "峻竣", "往住注柱", "钩钓", "峰锋蜂", "烂栏拦", "拨泼", "汩汨", "扬杨", "饮饭", "凉谅", "锻煅", "练炼", "辩辨辫",
    "竞竟", "赢嬴", "粹萃悴瘁", "燥躁噪澡", "侯喉", "候喉", "纪记", "绩积", "截戳", "载栽裁", "赋斌", "候堠", "盅蛊", "毫豪", "毋母",
    "亨享", "晏宴", "浅践钱线", "钩沟构购", "迁迂", "旦且", "汨泪", "仑仓", "鸟乌", "今令", "斤斥", "王玉", "目且", "东车", "丐丏",
)


# Terms of current official writing missing from jieba's (2012-era) dictionary; counted as
# moderately frequent words so that their characters are not suspected (营商环境, 放管服 …).
_GOV_TERMS = (
    "发改委", "市场监管", "监管局", "政务服务", "政务公开", "信息公开", "网信办", "应急管理", "退役军人", "医保局", "医疗保障", "数据局",
    "大数据局", "政数局", "行政审批", "审批局", "营商", "营商环境", "放管服", "一网通办", "跨省通办", "证照分离", "多测合一", "免申即享",
    "容缺受理", "好差评", "帮办代办", "首问负责", "限时办结", "双随机", "一公开", "承诺制", "告知承诺", "续贷", "无还本", "随借随还", "近悦远来",
    "亲清", "接诉即办", "跑一次", "全程网办", "一窗受理", "一网统管", "数字政府", "网上办", "掌上办", "一次办", "不见面", "秒批", "秒办",
    "一件事", "高频事项", "涉企", "惠企", "助企", "纾困", "稳岗", "稳就业", "保就业", "就业优先", "乡村振兴", "共同富裕", "两个确立",
    "两个维护", "四个意识", "四个自信", "主题教育", "廉洁文化", "河长制", "林长制", "田长制", "吹哨报到", "网格化", "网格员", "一老一小",
    "养老服务", "托育", "医共体", "家庭医生", "双减", "课后服务", "集采", "带量采购", "碳达峰", "碳中和", "双碳", "海绵城市", "城市更新",
    "老旧小区", "保障房", "保租房", "租购并举", "专精特新", "小巨人", "链长制", "项目为王", "政银企", "首贷", "信用贷", "普惠", "小微",
    "小微企业", "承诺即入", "包容审慎", "免罚", "首违不罚", "一网", "一窗", "接诉", "应急预案", "备汛", "安全度汛", "防汛备汛", "台账",
    "销号", "回头看", "履职尽责", "担当作为", "为民服务", "办实事", "急难愁盼", "获得感", "踔厉奋发", "笃行不怠", "赓续", "勇毅前行", "守正创新",
    "国之大者", "人民至上", "生命至上", "统筹发展", "以案促改", "以案为鉴", "清廉机关", "作风建设", "四风", "基层减负", "民生实事", "最多跑",
    "零跑腿", "不打烊", "网办", "通办", "帮代办", "延时服务", "容缺", "容缺办理", "信用承诺", "信用修复", "守信激励", "失信惩戒", "联合奖惩",
    "红黑名单", "双公示", "政策兑现", "直达快享", "免审即享", "一照多址", "一证准营", "一业一证", "证照联办", "多证合一", "照后减证", "并联审批",
    "区域评估", "多规合一", "多审合一", "多图联审", "联合验收", "用地保障", "标准地", "要素保障", "亩均", "腾笼换鸟", "招大引强", "链主", "专班",
    "工作专班", "一企一策", "一事一议", "挂图作战", "清单化", "项目化", "闭环管理", "常态化", "长效机制", "属地管理", "联防联控", "群防群治",
    "平安建设", "扫黑除恶", "安全生产", "隐患排查", "燃气安全", "自建房", "危化品", "防溺水", "森林防火", "秸秆禁烧", "禁燃禁放", "文明城市",
    "创文", "创卫", "巩卫", "志愿服务", "文明实践", "乡风文明", "美丽乡村", "和美乡村", "千万工程", "粮食安全", "耕地保护", "河长", "林长",
    "两癌筛查", "家医签约", "基本公卫", "医联体", "分级诊疗", "长护险", "惠民保", "社保卡", "医保码", "健康码", "网格长", "村两委", "两委",
    "驻村", "第一书记", "结对帮扶", "防返贫", "脱贫攻坚", "衔接资金", "以工代赈", "一卡通", "惠农", "三农", "三资", "四议两公开", "村务公开",
    "党务公开", "财务公开", "阳光村务", "清廉村居", "新时代", "网络理政", "留言办理", "领导信箱", "政民互动", "在线访谈", "意见征集", "政策解读",
    "图解", "回应关切", "政府网站", "政务新媒体", "找错", "网站标识码", "多措并举",
)
_GOV_TERM_COUNT = 300
# jieba lists ~200,000 words with a count of 3 or 4: entries without corpus evidence. Leaving
# them out halves the model's memory and changes nothing the detector uses (coverage needs 5).
_MIN_COUNT = 5


def _reduplicated(text: str, p: int) -> bool:
    """看看, 聊一聊, 想了想: a character repeated on purpose is not a slip."""
    ch = text[p]
    if text[p - 1:p] == ch or text[p + 1:p + 2] == ch:
        return True
    return (p >= 2 and text[p - 2] == ch and text[p - 1] in "一了不来") or (
        text[p + 2:p + 3] == ch and text[p + 1] in "一了不来")


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


# --------------------------------------------------------------------------- model
_MASK = "\x00"
_PAD = "\x01"  # outside the text: in no word


class _Model:
    """Word log-probabilities (jieba dict.txt) and readings (pypinyin), built once per process.

    ``wild`` maps a frequent word with one character masked (``办\x00`` for 办公/办法 …) to the
    characters that fill the mask: the replacements a slip of the pen can be undone with.
    """

    def __init__(self, cover_min_freq: int, suggest_min_freq: int, max_old_freq: int) -> None:
        text = (resources.files("jieba") / "dict.txt").read_text(encoding="utf-8")
        # "word count tag" lines; only words written wholly in Chinese characters are kept.
        # Parsing and filtering run in C (regex, map, compress): this is most of the build time.
        pairs = _DICT_LINE.findall(text)
        del text
        counts = {w: c for w, c in zip([w for w, _ in pairs], map(int, [c for _, c in pairs]), strict=True)
                  if c >= _MIN_COUNT or len(w) == 1}
        del pairs
        for word in _GOV_TERMS:
            counts[word] = max(counts.get(word, 0), _GOV_TERM_COUNT)
        self.log_total = log_total = math.log(sum(counts.values()))
        self.unknown_logp = math.log(0.5) - log_total
        words = list(counts)
        values = list(counts.values())
        self.counts = counts
        frequent = list(compress(words, map(operator.ge, values, repeat(cover_min_freq))))
        self.cover2 = frozenset(w for w in frequent if len(w) == 2)
        self.cover34 = frozenset(w for w in frequent if 3 <= len(w) <= 4)
        wild: dict[str, str] = {}
        for w in compress(words, map(operator.ge, values, repeat(suggest_min_freq))):
            if 2 <= len(w) <= 4:
                for k in range(len(w)):
                    key = w[:k] + _MASK + w[k + 1:]
                    wild[key] = wild.get(key, "") + w[k]
        self.wild = wild
        # fuzzy syllable -> characters that can fill a mask: the sound-alike candidates
        from pypinyin.pinyin_dict import pinyin_dict

        by_sound: dict[str, set[str]] = {}
        for ch in {c for chars in wild.values() for c in chars}:
            for syl in pinyin_dict.get(ord(ch), "").split(","):
                st = _split_tone(syl) if syl else None
                if st:
                    by_sound.setdefault(_fuzzy(st[0]), set()).add(ch)
        self._by_sound = by_sound
        self._confusable: dict[str, frozenset[str]] = {}
        shape: dict[str, set[str]] = {}
        for group in _SHAPE_GROUPS:
            for x in group:
                shape.setdefault(x, set()).update(y for y in group if y != x)
        self.shape = shape
        # characters that may be suspected at all: Chinese, not 的/地/得, not a very common word alone
        # (GB 2312 only: a traditional or rare character is a matter of 繁简/用字, not a slip)
        self.suspectable = frozenset(
            ch for ch in map(chr, range(0x4E00, 0xA000))
            if ch not in _NEVER_CHANGE and ch not in _NEVER_SUSPECT and counts.get(ch, 0) < max_old_freq
            and _in_gb2312(ch)
        )
        self._readings: dict[str, tuple[tuple[str, int], ...]] = {}
        self._relations: dict[tuple[str, str], str] = {}

    def readings(self, ch: str) -> tuple[tuple[str, int], ...]:
        """(toneless syllable, tone) pairs of a character, from pypinyin's table."""
        r = self._readings.get(ch)
        if r is None:
            from pypinyin.pinyin_dict import pinyin_dict

            seen: list[tuple[str, int]] = []
            for syl in pinyin_dict.get(ord(ch), "").split(","):
                st = _split_tone(syl) if syl else None
                if st and st not in seen:
                    seen.append(st)
            r = self._readings[ch] = tuple(seen)
        return r

    def confusable(self, ch: str) -> frozenset[str]:
        """Characters that ``ch`` may have been written for: same or near sound, similar shape."""
        s = self._confusable.get(ch)
        if s is None:
            out: set[str] = set(self.shape.get(ch, ()))
            for syl, _tone in self.readings(ch):
                out |= self._by_sound.get(_fuzzy(syl), set())
            out.discard(ch)
            s = self._confusable[ch] = frozenset(out)
        return s

    def relation(self, a: str, b: str) -> str:
        """How ``a`` can be a slip for ``b``: same (sound and tone), tone, fuzzy, shape or ''."""
        key = (a, b)
        rel = self._relations.get(key)
        if rel is None:
            ra, rb = self.readings(a), self.readings(b)
            if set(ra) & set(rb):
                rel = "same"
            elif {r[0] for r in ra} & {r[0] for r in rb}:
                rel = "tone"
            elif {_fuzzy(r[0]) for r in ra} & {_fuzzy(r[0]) for r in rb}:
                rel = "fuzzy"
            elif b in self.shape.get(a, ()):
                rel = "shape"
            else:
                rel = ""
            self._relations[key] = rel
        return rel

    def logp(self, word: str) -> float:
        """log P(word) under the unigram model (words of jieba's dictionary; else a floor)."""
        c = self.counts.get(word)
        return math.log(c) - self.log_total if c else self.unknown_logp

    def seg_score(self, s: str, maxlen: int = 4) -> float:
        """Best unigram segmentation log-probability of ``s`` (jieba's DAG route, max-prob)."""
        n = len(s)
        best = [0.0] * (n + 1)
        counts = self.counts
        log = math.log
        lt = self.log_total
        unk = self.unknown_logp
        for j in range(1, n + 1):
            c = counts.get(s[j - 1])
            b = best[j - 1] + (log(c) - lt if c else unk)
            for i in range(max(0, j - maxlen), j - 1):
                c = counts.get(s[i:j])
                if c is not None:
                    v = best[i] + log(c) - lt
                    if v > b:
                        b = v
            best[j] = b
        return best[n]


_MODEL_LOCK = threading.Lock()
_MODELS: dict[tuple[int, int, int], _Model] = {}


def _model(cover_min_freq: int, suggest_min_freq: int, max_old_freq: int) -> _Model:
    with _MODEL_LOCK:
        key = (cover_min_freq, suggest_min_freq, max_old_freq)
        m = _MODELS.get(key)
        if m is None:
            m = _MODELS[key] = _Model(*key)
        return m


_RELATION_LABEL = {"same": "音同", "tone": "音近", "fuzzy": "音近", "shape": "形近"}


@dataclass
class _Candidate:
    pos: int  # index in the run
    char: str  # replacement
    gain: float  # after penalty
    raw: float  # before penalty
    relation: str
    word: str  # the frequent word the replacement forms
    evidence: float = 0.0  # raw minus the sound/shape penalty only: what the residual counts


# --------------------------------------------------------------------------- misuse dictionary
@dataclass(frozen=True)
class MisuseRule:
    """One line of ``data/typos.tsv``: a literal wrong form, or a context rule (regex)."""

    wrong: str  # literal, or the regex source for a context rule
    right: str
    kind: str  # "typo" (错别字) or "variant" (非推荐词形)
    note: str
    is_regex: bool = False


def load_rules(path: Path | str = TYPOS_TSV) -> list[MisuseRule]:
    """Read a misuse dictionary (format documented at the top of ``data/typos.tsv``)."""
    rules: list[MisuseRule] = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 4:
                raise ValueError(f"{path}:{lineno}: 应为4列（错误写法、正确写法、类型、说明），实际{len(parts)}列")
            wrong, right, kind, note = parts
            if kind not in ("typo", "variant"):
                raise ValueError(f"{path}:{lineno}: 类型应为 typo 或 variant：{kind}")
            if wrong.startswith("re:"):
                re.compile(wrong[3:])
                rules.append(MisuseRule(wrong[3:], right, kind, note, is_regex=True))
            else:
                rules.append(MisuseRule(wrong, right, kind, note))
    return rules


def _trie_pattern(words: list[str]) -> str:
    """One regex alternation shaped like a trie (fast: the engine dispatches on each char)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            body = "(?:" + body + ")?"
        return body

    return build(trie)


class _Dictionary:
    """Compiled misuse rules: one trie regex for the literals, one regex per context rule."""

    def __init__(self, rules: list[MisuseRule]) -> None:
        self.literal = {r.wrong: r for r in rules if not r.is_regex}
        words = sorted(self.literal, key=len, reverse=True)
        self.pattern = re.compile(_trie_pattern(words)) if words else None
        self.regexes = [(re.compile(r.wrong), r) for r in rules if r.is_regex]

    def matches(self, text: str) -> list[tuple[int, int, MisuseRule]]:
        out: list[tuple[int, int, MisuseRule]] = []
        if self.pattern is not None:
            for m in self.pattern.finditer(text):
                out.append((m.start(), m.end(), self.literal[m.group()]))
        for rx, rule in self.regexes:
            for m in rx.finditer(text):
                if m.end() > m.start():
                    out.append((m.start(), m.end(), rule))
        return out


# --------------------------------------------------------------------------- checker
class TypoChecker:
    """Finds typos in a text: dictionary misuses first, then confusable characters.

    ``check`` reports every hit (variants included). ``correct`` is a sentence corrector: it
    applies the hits whose confidence reaches ``apply_min_confidence`` (错别字, not 非推荐词形),
    and leaves the sentence alone when other characters stay suspicious (see
    ``ConfusableThresholds.abstain_gain``): a partial correction is not a correction.
    """

    def __init__(
        self,
        rules: list[MisuseRule] | None = None,
        thresholds: ConfusableThresholds | None = None,
        confusable: bool = True,
        apply_min_confidence: float = 0.7,
        lm: bool = True,
        lm_thresholds: LMThresholds | None = None,
    ) -> None:
        self.dictionary = _Dictionary(load_rules() if rules is None else rules)
        self.th = thresholds or ConfusableThresholds()
        self.use_confusable = confusable
        self.apply_min_confidence = apply_min_confidence
        self.use_lm = lm and confusable
        self.lm_th = lm_thresholds or LMThresholds()
        self.debug: list[dict] | None = None  # tuning hook: set to [] to collect scored candidates
        self._model: _Model | None = None
        self._lm_pass: LMPass | None | bool = False  # False: not looked up yet

    @property
    def model(self) -> _Model:
        m = self._model
        if m is None:
            m = self._model = _model(self.th.cover_min_freq, self.th.suggest_min_freq, self.th.max_old_freq)
        return m

    @property
    def lm_pass(self) -> LMPass | None:
        """The language-model pass, or ``None`` when it is off (disabled, kenlm or model missing)."""
        lp = self._lm_pass
        if lp is False:
            lp = None
            if self.use_lm:
                lm = get_lm()
                if lm is not None:
                    model = self.model
                    lp = LMPass(
                        lm, model.confusable, model.relation,
                        skip=lambda ch: ch in _NEVER_CHANGE or ch in _NEVER_SUSPECT,
                        skip_pair=lambda a, b: (a, b) in _VARIANTS,
                        thresholds=self.lm_th,
                    )
            self._lm_pass = lp
        return lp  # type: ignore[return-value]

    def check(self, text: str) -> list[TypoHit]:
        """Every suspected typo in ``text``, in text order (offsets are ``str`` indices).

        With the LM pass on, sentences the first pass found nothing in are re-read by the
        language model, in text order, up to ``LMThresholds.page_budget`` characters per call.
        """
        masked = _masked_spans(text)
        hits = self._analyze(text, residual=False, masked=masked)[0]
        lp = self.lm_pass
        if lp is None or not text:
            return hits
        budget = self.lm_th.page_budget
        k = 0
        lm_hits: list[TypoHit] = []
        for m in _SENTENCE.finditer(text):
            a, b = m.span()
            while k < len(hits) and hits[k].end <= a:
                k += 1
            if k < len(hits) and hits[k].start < b:
                continue  # the first pass already spoke about this sentence
            size = b - a
            if size < 4:
                continue
            budget -= size
            if budget < 0:
                break
            edits = lp.sentence(text, a, b, self._lm_frozen(text, a, b, masked))
            lm_hits.extend(self._lm_hit(e) for e in edits or ())
        if lm_hits:
            hits = sorted(hits + lm_hits, key=lambda h: h.start)
        return hits

    def _lm_frozen(self, text: str, a: int, b: int, masked: set[int]) -> frozenset[int]:
        """Positions of ``text[a:b]`` the LM pass leaves alone: boilerplate, given names."""
        out = {q for q in masked if a <= q < b} if masked else set()
        if "〔" in text[a:b] or "[" in text[a:b] or "［" in text[a:b]:
            for m in _DOC_NUMBER.finditer(text, a, b):
                out.update(range(m.start(), m.end()))
        if self.lm_th.keep_long_words:
            c34 = self.model.cover34
            for q in range(a, b - 2):
                for k in (3, 4):
                    if q + k <= b and text[q:q + k] in c34:
                        out.update(range(q, q + k))
        if self.lm_th.skip_names:
            for q in range(a, b - 1):
                if text[q] in _SURNAMES:
                    out.update(p for p in (q + 1, q + 2) if p < b and self._in_name(text, p))
        return frozenset(out)

    @staticmethod
    def _lm_hit(e: LMEdit) -> TypoHit:
        return TypoHit(
            start=e.pos, end=e.pos + 1, found=e.found, suggestion=e.char, rule="lm",
            confidence=round(min(0.9, 0.7 + 0.04 * e.gain), 3),
            explanation=f"疑为「{e.word}」之误（{_RELATION_LABEL[e.relation]}字，语言模型复核）",
        )

    def correct(self, sentence: str) -> str:
        """``sentence`` with its confident corrections applied, or unchanged (see class doc)."""
        masked = _masked_spans(sentence)
        hits, residual = self._analyze(sentence, masked=masked)
        out = sentence if residual >= self.th.abstain_gain else self._apply(sentence, hits)
        if out != sentence:
            return out
        lp = self.lm_pass
        if lp is None:
            return sentence
        # the LM pass re-reads a sentence the first pass left unchanged, never at its hits
        # (a non-recommended variant such as 充份 is reported, not corrected)
        keep = set(masked)
        for h in hits:
            keep.update(range(h.start, h.end))
        edits = lp.sentence(sentence, frozen=self._lm_frozen(sentence, 0, len(sentence), keep))
        return self._apply(sentence, [self._lm_hit(e) for e in edits or ()])

    def _apply(self, sentence: str, hits: list[TypoHit]) -> str:
        out = []
        pos = 0
        for h in hits:
            if h.start < pos or h.confidence < self.apply_min_confidence:
                continue
            out.append(sentence[pos:h.start])
            out.append(h.suggestion)
            pos = h.end
        out.append(sentence[pos:])
        return "".join(out)

    def _analyze(self, text: str, residual: bool = True,
                 masked: set[int] | None = None) -> tuple[list[TypoHit], float]:
        """Hits, and (``residual``) the best evidence left unreported: the residual suspicion.
        ``masked``: the boilerplate positions of ``text`` when the caller has them already."""
        masked = _masked_spans(text) if masked is None else masked
        hits = self._dictionary_hits(text, masked)
        worst = -math.inf
        if self.use_confusable:
            taken = set(masked)
            for h in hits:
                taken.update(range(h.start, h.end))
            # candidates that cannot reach the floor are not scored: for check() the reporting
            # threshold (less the margin, which a runner-up must be compared against), for
            # correct() also the abstention threshold
            floor = self.th.min_gain - self.th.min_margin
            if residual:
                floor = min(floor, self.th.abstain_gain)
            found, worst = self._confusable(text, taken, floor)
            hits.extend(found)
        hits.sort(key=lambda h: h.start)
        return hits, worst

    # -- dictionary
    def _dictionary_hits(self, text: str, masked: set[int]) -> list[TypoHit]:
        hits: list[TypoHit] = []
        last_end = -1
        for start, end, rule in sorted(self.dictionary.matches(text), key=lambda m: (m[0], -m[1])):
            if start < last_end or any(i in masked for i in range(start, end)):
                continue
            if not rule.is_regex and end - start <= 3 and self._crossed(text, start, end):
                continue
            last_end = end
            variant = rule.kind == "variant"
            hits.append(TypoHit(
                start=start, end=end, found=text[start:end], suggestion=rule.right, rule="dict",
                confidence=0.6 if variant else 0.95,
                explanation=("非推荐词形：" if variant else "常见误用：") + rule.note,
            ))
        return hits

    def _crossed(self, text: str, start: int, end: int) -> bool:
        """A frequent word overlaps the hit without lying inside it (按|装修, 以|经济, 自我|门户)."""
        counts = self.model.counts
        fmin = self.th.cross_min_freq
        n = len(text)
        for a in range(max(0, start - 3), end):
            for b in range(max(a + 2, start + 1), min(n, a + 4) + 1):
                if (a < start or b > end) and counts.get(text[a:b], 0) >= fmin:
                    return True
        return False

    # -- confusable detector
    def _suspects(self, text: str, taken: set[int]) -> list[int]:
        """CJK positions in no dictionary word of 2-4 characters (frequency >= cover_min_freq).

        Very common one-character words (是, 在, 和 …) are left out: a unigram model cannot judge
        them, and they are most of the uncovered characters of ordinary text. The scan runs in
        C (map/compress) because it touches every character.
        """
        model = self.model
        c34 = model.cover34
        pairs = list(map(model.cover2.__contains__, map(operator.add, text, text[1:])))
        covered = map(operator.or_, [False, *pairs], [*pairs, False])
        open_ = map(operator.and_, map(operator.not_, covered), map(model.suspectable.__contains__, text))
        out = []
        for p in compress(count(), open_):
            if p not in taken:
                s = text[max(0, p - 3):p].rjust(3, _PAD) + text[p:p + 4].ljust(4, _PAD)
                if not any(map(c34.__contains__, (s[1:4], s[2:5], s[3:6], s[0:4], s[1:5], s[2:6], s[3:7]))):
                    out.append(p)
        return out

    def _in_word(self, text: str, q: int) -> bool:
        """``text[q]`` lies in a dictionary word of 2-4 characters."""
        s = text[max(0, q - 3):q].rjust(3, _PAD) + text[q:q + 4].ljust(4, _PAD)
        c2, c34 = self.model.cover2, self.model.cover34
        return s[2:4] in c2 or s[3:5] in c2 or any(
            map(c34.__contains__, (s[1:4], s[2:5], s[3:6], s[0:4], s[1:5], s[2:6], s[3:7])))

    def _in_name(self, text: str, p: int) -> bool:
        """``text[p]`` may be the given name after a surname standing alone (徐丽华, 王芳).

        Names are most of the unknown words of official pages (appointments, lists); a
        given name is never suspected.
        """
        for q in (p - 1, p - 2):
            if q < 0:
                return False
            if text[q] in _SURNAMES and not self._in_word(text, q):
                return q == p - 1 or not self._in_word(text, p - 1)
        return False

    def _replacements(self, text: str, p: int) -> dict[str, str]:
        """Confusable chars for ``text[p]`` that make a frequent word with its neighbours.

        The 9 windows of 2-4 characters around ``p`` are looked up with ``p`` masked; a
        longer word wins over a shorter one for the same replacement.
        """
        model = self.model
        m = text[max(0, p - 3):p].rjust(3, _PAD) + _MASK + text[p + 1:p + 4].ljust(3, _PAD)
        keys = (m[2:4], m[3:5], m[1:4], m[2:5], m[3:6], m[0:4], m[1:5], m[2:6], m[3:7])
        out: dict[str, str] = {}
        conf = None
        for key, chars in zip(keys, map(model.wild.get, keys), strict=True):
            if chars:
                if conf is None:
                    conf = model.confusable(text[p])
                for c in conf.intersection(chars):
                    out[c] = key.replace(_MASK, c)
        return out

    def _score(self, text: str, p: int, c: str, cache: dict[tuple[int, int], float] | None = None) -> float:
        """Gain of writing ``c`` at ``p``: best segmentation of the CJK context, after minus before."""
        reach = self.th.context + 3
        a = p
        while a > 0 and p - a < reach and "\u4e00" <= text[a - 1] <= "\u9fff":
            a -= 1
        b = p + 1
        n = len(text)
        while b < n and b - p <= reach and "\u4e00" <= text[b] <= "\u9fff":
            b += 1
        old = cache.get((a, b)) if cache is not None else None
        if old is None:
            old = self.model.seg_score(text[a:b])
            if cache is not None:
                cache[(a, b)] = old
        return self.model.seg_score(text[a:p] + c + text[p + 1:b]) - old

    def _still_suspect(
        self, text: str, cand: _Candidate, hits: list[TypoHit], need: float | None = None
    ) -> bool:
        """Re-judge ``cand`` on ``text`` where ``hits`` are already corrected (gain updated).

        Far from every hit nothing changed. Near one, the character may now sit in a word
        (里拜天 -> 礼拜天: 拜 is no longer a suspect), or its evidence may have moved.
        """
        reach = self.th.context + 3
        if all(abs(h.start - cand.pos) > reach for h in hits):
            return True
        lo = max(0, cand.pos - 3)
        if (cand.pos - lo) not in self._suspects(text[lo:cand.pos + 4], set()):
            return False
        penalty, base = cand.raw - cand.gain, cand.raw - cand.evidence
        cand.raw = self._score(text, cand.pos, cand.char)
        cand.gain, cand.evidence = cand.raw - penalty, cand.raw - base
        return cand.gain >= (self.th.min_gain if need is None else need)

    def _confusable(self, text: str, taken: set[int], floor: float) -> tuple[list[TypoHit], float]:
        """Confusable-character hits, and the best evidence left unreported."""
        model = self.model
        th = self.th
        penalties = {"same": 0.0, "tone": th.tone_penalty, "fuzzy": th.fuzzy_penalty, "shape": th.shape_penalty}
        cache: dict[tuple[int, int], float] = {}
        tops: list[tuple[_Candidate, float]] = []  # best replacement of each suspect, its margin
        best: list[_Candidate] = []
        weak: list[_Candidate] = []
        for p in self._suspects(text, taken):
            old = text[p]
            if _reduplicated(text, p) or self._in_name(text, p):
                continue
            old_lp = model.logp(old)
            scored: list[_Candidate] = []
            for c, w in self._replacements(text, p).items():
                if c in _NEVER_CHANGE or (old, c) in _VARIANTS or _NEVER_PARTNER.intersection(w):
                    continue
                if c in (text[p - 1:p], text[p + 1:p + 2]) and model.counts.get(c + c, 0) < th.cover_min_freq:
                    continue  # 摩模托车: the slip is a stray doubling, not 摩摩托车 (妈骂 -> 妈妈 stays allowed)
                rel = model.relation(old, c)
                if not rel:
                    continue
                pen = base = penalties[rel]
                if len(w) == 2 and model.counts.get(w[0] if w[1] == c else w[1], 0) >= th.common_partner_freq:
                    pen += th.common_partner_penalty  # 一呼 -> 一下, 生太多 -> 生态: a common char lent out
                # cheap bound: the word against its characters read one by one
                bound = model.logp(w) - old_lp - sum(model.logp(x) for x in w if x != c) - pen
                if bound < floor - th.bound_slack:
                    continue
                raw = self._score(text, p, c, cache)
                scored.append(_Candidate(p, c, raw - pen, raw, rel, w, raw - base))
            if not scored:
                continue
            scored.sort(key=lambda x: -x.gain)
            top = scored[0]
            margin = top.gain - scored[1].gain if len(scored) > 1 else math.inf
            if self.debug is not None:
                for x in scored:
                    self.debug.append(dict(start=p, old=old, new=x.char, gain=x.gain, raw=x.raw,
                                           rel=x.relation, word=x.word, top=x is top, margin=margin))
            tops.append((top, margin))
        # neighbours compete too: in 分围 either 分 (氛围) or 围 (分为) is the slip
        for i, (top, margin) in enumerate(tops):
            for other, _ in tops[max(0, i - 1):i + 2]:
                if other is not top and abs(other.pos - top.pos) == 1:
                    margin = min(margin, top.gain - other.gain)
            if top.gain >= th.min_gain and margin >= th.min_margin:
                best.append(top)
            else:
                weak.append(top)
        hits: list[TypoHit] = []
        for cand in sorted(best, key=lambda x: -x.gain):
            # a neighbour already corrected changes the context: score again on the corrected text
            if hits and not self._still_suspect(text, cand, hits):
                continue
            found = text[cand.pos]
            text = text[:cand.pos] + cand.char + text[cand.pos + 1:]
            hits.append(TypoHit(
                start=cand.pos, end=cand.pos + 1, found=found, suggestion=cand.char,
                rule="confusable", confidence=round(min(0.95, 0.5 + 0.05 * cand.gain), 3),
                explanation=f"疑为「{cand.word}」之误（{_RELATION_LABEL[cand.relation]}字）",
            ))
        residual = -math.inf
        for cand in weak:
            if not hits or self._still_suspect(text, cand, hits, need=-math.inf):
                residual = max(residual, cand.evidence)
        return hits, residual


# Common single-character surnames, less those mostly used as function words (和, 于, 时 …).
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾萧肖田董潘袁蔡蒋余杜叶程魏苏吕丁沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏韦付傅白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤温"
    "康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳祝符舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆"
    "蓝游辛靳柴蒙鲍华喻祁蒲滕屈饶牟艾尤穆卓古吉缪芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟臧闵苟邬边卞"
    "姬仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩佘池苑迟邝"
)
# 的/地/得 are out of scope; these particles are never replaced nor used as replacements.
_NEVER_CHANGE = frozenset("的地得")
# Never suspected: 著 is how Taiwan-style text writes 着 (顺著, 站著).
_NEVER_SUSPECT = frozenset("著")
# Characters whose words are not evidence: 著 stands for 着 in texts written the Taiwan way.
_NEVER_PARTNER = frozenset("著")
# Traditional / regional variants that SIGHAN-style text keeps; not typos for this detector.
_VARIANTS = frozenset({("著", "着"), ("妳", "你"), ("牠", "它"), ("牠", "他"), ("閒", "闲"), ("昇", "升"),
                       ("裡", "里"), ("祇", "只")})


# Registration marks and codes of page footers (公网安备 11010502030143号, 京ICP备12345678号-1,
# 网站标识码1100000001, 备案号 …): boilerplate, never read as prose. Each pattern starts with a
# literal (fast to find); the up-to-3 Chinese characters before it (京, 沪公网安备 …) go with it.
_BOILERPLATE = re.compile(
    r"(?:ICP|icp)[备证][^\s，。；]*"
    r"|公网安备\s*[\d\s]*号?"
    r"|网站标识码[:：\s]*[0-9a-zA-Z]*"
    r"|(?:备案号|许可证号?|证号)[:：\s]*[0-9A-Za-z\-（）()]*"
)
_BOILERPLATE_HINTS = ("ICP", "icp", "公网安备", "标识码", "备案", "证号", "许可证")


# Document numbers (青政办发〔2026〕57号): the issuing organ's abbreviation is not prose.
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}(?=[〔\[［]\s*\d{4}\s*[〕\]］])")
# Sentences for the LM pass: up to and including a full stop, a semicolon or a line break.
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;\n]*")


def _masked_spans(text: str) -> set[int]:
    out: set[int] = set()
    if any(h in text for h in _BOILERPLATE_HINTS):
        for m in _BOILERPLATE.finditer(text):
            start = m.start()
            while start > 0 and m.start() - start < 3 and "\u4e00" <= text[start - 1] <= "\u9fff":
                start -= 1
            out.update(range(start, m.end()))
    return out


@lru_cache(maxsize=4)
def default_checker(lm_chars: int | None = None) -> TypoChecker:
    """The process-wide checker (its model is built on first use and kept). ``lm_chars``: the
    LM pass's budget per ``check()`` call, 0 = no LM pass, None = its default."""
    if lm_chars is None:
        return TypoChecker()
    return TypoChecker(lm=lm_chars > 0, lm_thresholds=LMThresholds(page_budget=max(lm_chars, 0)))


def correct(sentence: str) -> str:
    """``sentence`` with every confident correction applied (used by bench/csc.py)."""
    return default_checker().correct(sentence)
