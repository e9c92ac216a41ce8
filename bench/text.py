"""Text benchmark: xuncha's lexicon + PII pipeline against a plain ``re`` alternation, in one run.

What it does:

1. generates (deterministically, from ``--seed``) ``--mb`` MB (default 50) of Chinese government
   page text: pages of a title and 4–18 paragraphs filled from templates (meetings, notices,
   procurement, penalties, contacts with landlines, document numbers, 18-digit order numbers,
   ``受理编号`` mobile-shaped numbers), some attachment-like rosters with masked IDs and phones,
   and planted items: spam snippets that each carry exactly one packaged term, traps that must
   not match (大麻烦, 路口交通, an anti-gambling police notice, 开设赌场, 对口交流), and unmasked
   IDs, mobiles and bank cards in context;
2. loads the packaged lexicon plus a ``--synthetic`` (default 20,000) term extension written as a
   deployment directory under ``bench/_work/`` (the path a deployment uses: ``extra_dirs``);
3. runs xuncha's pipeline over whole pages, the way the checks should call it (once per page or
   attachment text): ``Lexicon.find_many`` and ``find_pii_many`` on each page's segments (one
   engine scan of the page's text each; results per segment). Then once more per segment
   (``Lexicon.find`` and ``find_pii`` on every segment, how checks/content.py and
   checks/privacy.py call them today): every call pays a fixed ~1.5 µs (UTF-8 encoding,
   entering hyperscan), which on 126-character segments is as much as the scan;
4. runs the peer on the same terms: one ``re`` alternation of every term (longest first, ASCII
   case-insensitive like xuncha) with ``finditer``, the same allow-list/cue selection
   (``Lexicon.select``), and the same PII regular expression run on every segment
   (``find_pii(precheck=False)``). It is ~0.05 MB/s with 20,000 terms (``re`` tries every
   alternative at every position), so it runs on the first ``--slice-mb`` MB (default 0.25) and
   xuncha is run on that slice too: the hit counts must be the same;
5. times the lexicon alone on each installed engine (hyperscan, ahocorasick_rs) on
   ``--engines-mb`` MB: the measurement behind the engine choice;
6. prints MB/s (UTF-8 bytes of text per CPU second of this single-threaded process, i.e. one
   core; wall-clock MB/s beside it), hits per category and per PII kind, planted vs found, and
   ends with::

     text: xuncha_MBps=N re_MBps=N ratio=X

   where xuncha_MBps is the whole-page figure, the fastest of ``--repeat`` runs (default 3; the
   machine may be shared, so the load average is printed). N are integers, so the baseline's
   0.05 MB/s prints as 0; the ratio uses unrounded figures. The exit status is 1 when a planted
   item is missed or the hit counts differ.

Usage::

    .venv/bin/python bench/text.py                # full run, about 20 s
    .venv/bin/python bench/text.py --quick        # 5 MB smoke run, a few seconds
    .venv/bin/python bench/text.py --engine ahocorasick_rs  # the portable fallback engine
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"

# --------------------------------------------------------------------------- corpus
UNITS = (
    "市人民政府办公室", "区发展和改革局", "县教育局", "市生态环境局", "市市场监督管理局",
    "县人力资源和社会保障局", "镇人民政府", "街道办事处", "市公安局", "市卫生健康委员会",
    "区住房和城乡建设局", "县农业农村局", "市交通运输局", "市应急管理局", "市财政局",
    "市自然资源和规划局", "市民政局", "市司法局", "市文化广电旅游局", "市医疗保障局",
    "市退役军人事务局", "区税务局", "县水利局", "市统计局", "市审计局", "区商务局",
    "县林业和草原局", "市政务服务管理局", "市城市管理局", "区科学技术局",
)
PLACES = ("示例市", "青山区", "河西县", "东城街道", "石桥镇", "新华乡", "高新区", "经开区", "城南片区", "白鹭湾")
TOPICS = (
    "安全生产", "乡村振兴", "营商环境", "生态环境保护", "防汛抗旱", "森林防火", "城乡低保",
    "就业创业", "农村人居环境整治", "政务服务“一网通办”", "民生实事", "校园安全", "食品安全",
    "消防安全", "燃气安全", "道路交通安全", "耕地保护", "河湖长制", "基层治理", "招商引资",
    "重点项目建设", "老旧小区改造", "医疗保障", "养老服务", "义务教育", "文明城市创建",
    "信访工作", "安全隐患排查", "冬春火灾防控", "春耕备耕", "高标准农田建设", "数字政府建设",
)
MEETINGS = ("专题会议", "工作推进会", "常务会议", "动员部署会", "调度会", "座谈会", "现场会", "培训会")
LAWS = (
    "中华人民共和国政府信息公开条例", "中华人民共和国安全生产法", "中华人民共和国行政许可法",
    "优化营商环境条例", "中华人民共和国森林法", "中华人民共和国食品安全法", "社会救助暂行办法",
)
ROLES = ("主要负责同志", "分管负责同志", "党组书记、局长", "副市长", "副县长", "党委副书记", "二级调研员")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉晶波宁建国志文斌浩凯俊鑫欣雪梅琳婷颖慧佳雨晨阳宇航博轩"

SENTENCES = (
    "为深入贯彻落实党中央、国务院决策部署，进一步做好{topic}工作，{date}，{unit}召开{topic}{meeting}，{role}出席会议并讲话。",
    "会议指出，{topic}事关人民群众切身利益，各级各部门要提高政治站位，压紧压实责任，确保各项工作落到实处。",
    "会议强调，要坚持问题导向，聚焦{topic}中的薄弱环节，建立健全长效机制，切实把好事办实、把实事办好。",
    "截至{month}月底，全{area}累计完成{topic}项目{n}个，完成投资{money}亿元，同比增长{pct}%。",
    "根据《{law}》第{n}条规定，现将有关事项公告如下：",
    "联系人：{name}，联系电话：{landline}，电子邮箱：{mail}@{domain}.gov.cn。",
    "办理时间：工作日上午9:00-12:00，下午14:00-17:30（法定节假日除外）。",
    "本通知自{date}起施行，有效期{n}年。{doc}同时废止。",
    "各{unit2}要结合实际，制定具体实施方案，于{date}前将工作开展情况报送{unit}。",
    "{unit}成立由{role}任组长的工作领导小组，下设办公室，负责日常工作的组织协调。",
    "{date}，{unit}对{place}{topic}工作开展专项督查，共检查点位{n}处，发现问题{n2}个，已全部督促整改到位。",
    "今年以来，{place}围绕{topic}，累计投入资金{money}万元，惠及群众{n}户{n2}人。",
    "下一步，我们将持续深化{topic}，着力补短板、强弱项、堵漏洞，不断提升群众的获得感、幸福感、安全感。",
    "项目编号：{code}，采购方式：公开招标，预算金额：{money}万元，最高限价：{money}万元。",
    "统一社会信用代码：{uscc}，法定代表人：{name}，住所：{place}{street}{n}号。",
    "行政处罚决定书文号：{doc}，处罚事由：未按规定开展{topic}，处罚结果：罚款{n}元。",
    "现将{year}年度{topic}专项资金分配情况予以公示，公示期为{n2}个工作日。",
    "如对公示内容有异议，请于公示期内以书面形式向{unit}反映，监督电话：{landline}。",
    "全{area}共排查整治隐患{n}处，关停取缔违法违规企业{n2}家，立案查处{n2}起。",
    "点击查看：关于做好{year}年{topic}工作的通知（{doc}）。",
    "附件：{n2}. {topic}工作实施方案.docx",
    "邮政编码：{zip}，网站标识码：{sitecode}，{icp}。",
)
ORDER_LINES = (
    "订单号：{long}，请妥善保管。",
    "业务流水号{long}已受理。",
    "证书编号：{long}。",
    "受理编号：{mobile}，请凭编号查询办理进度。",
)

# Planted text: each snippet carries exactly one term of the packaged lexicon (category given).
SPAM = (
    ("gambling", "澳门新葡京官方网址"), ("gambling", "百家乐在线玩"), ("gambling", "重庆时时彩开奖直播"),
    ("gambling", "六合彩开奖结果查询"), ("gambling", "皇冠体育手机版下载"), ("gambling", "老虎机游戏免费玩"),
    ("gambling", "真人视讯平台推荐"), ("gambling", "新用户注册送彩金"), ("gambling", "威尼斯人娱乐官网"),
    ("porn", "成人视频免费观看"), ("porn", "国产自拍在线观看"), ("porn", "一夜情交友"),
    ("drugs", "出售冰毒请加微信"), ("drugs", "迷药出售货到付款"),
    ("violence", "仿真枪出售包邮"),
    ("fraud", "代开发票请加微信"), ("fraud", "刷单兼职日结工资"), ("fraud", "信用卡套现秒到"),
    ("ads", "私家侦探调查取证"), ("ads", "祖传秘方专治"),
)
# Planted traps: none of these may produce a match.
TRAPS = (
    "这件事要是处理不好会是个大麻烦。",
    "早晚高峰期间，路口交通秩序由交警现场疏导。",
    "市公安局将持续严厉打击赌博违法犯罪，严禁参与百家乐、六合彩等赌博活动。",
    "依法查处开设赌场案件3起。",
    "结合对口交流活动，组织干部赴东部地区学习。",
)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def id18(rng: random.Random) -> str:
    """A checksum-valid 18-digit ID number (ISO 7064 MOD 11-2) with a plausible region and birth date."""
    region = rng.choice(("110101", "310104", "440305", "510107", "330106", "420111", "610113"))
    birth = f"{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = region + birth + _digits(rng, 3)
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def luhn_card(rng: random.Random) -> str:
    body = "622202" + _digits(rng, 12)
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


MOBILE_PREFIXES = ("130", "133", "135", "136", "138", "139", "150", "151", "152", "158", "159", "170",
                   "176", "177", "180", "181", "186", "187", "188", "189", "191", "199")


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + _digits(rng, 8)


@dataclass
class Corpus:
    pages: list[list[str]] = field(default_factory=list)  # each page: its text segments
    planted: Counter[str] = field(default_factory=Counter)  # category / PII kind -> count
    nbytes: int = 0

    @property
    def segments(self) -> list[str]:
        return [s for p in self.pages for s in p]


def _fill(rng: random.Random, template: str) -> str:
    year = rng.randint(2019, 2025)
    return template.format(
        topic=rng.choice(TOPICS), unit=rng.choice(UNITS), unit2=rng.choice(("区县", "乡镇", "部门", "单位")),
        meeting=rng.choice(MEETINGS), role=rng.choice(ROLES), law=rng.choice(LAWS), place=rng.choice(PLACES),
        area=rng.choice(("市", "区", "县", "镇")), date=f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
        year=year, month=rng.randint(1, 12), n=rng.randint(2, 3000), n2=rng.randint(1, 60),
        money=f"{rng.randint(1, 900)}.{rng.randint(0, 99):02d}", pct=f"{rng.randint(1, 40)}.{rng.randint(0, 9)}",
        name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(("", rng.choice(GIVEN))),
        landline=f"0{rng.randint(10, 999)}-{_digits(rng, 8)}", mail=rng.choice(("bgs", "xxgk", "zwfw", "dzb")),
        domain=rng.choice(("sls", "qsq", "hxx", "example")),
        doc=f"{rng.choice(('示府发', '示府办发', '示财预', '示应急'))}〔{year}〕{rng.randint(1, 120)}号",
        code=f"SLS-{year}-{_digits(rng, 6)}", uscc=f"91{_digits(rng, 6)}MA{_digits(rng, 2)}{_digits(rng, 6)}X",
        street=rng.choice(("人民路", "解放大道", "滨江路", "建设街")), zip=f"6{_digits(rng, 5)}",
        sitecode=f"5101{_digits(rng, 6)}", icp=f"蜀ICP备{_digits(rng, 8)}号",
    )


def _table(rng: random.Random, corpus: Corpus, rows: int) -> list[str]:
    """An attachment-like roster: masked values, now and then an unmasked one (a planted leak)."""
    out = ["序号\t姓名\t性别\t身份证号码\t联系电话\t备注"]
    for i in range(1, rows + 1):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        idn, phone = id18(rng), mobile(rng)
        if rng.random() < 0.03:
            corpus.planted["id18"] += 1
        else:
            idn = idn[:4] + "*" * 10 + idn[-4:]
        if rng.random() < 0.03:
            corpus.planted["mobile"] += 1
        else:
            phone = phone[:3] + "****" + phone[-4:]
        out.append(f"{i}\t{name}\t{rng.choice('男女')}\t{idn}\t{phone}\t")
    return out


POOL_PER_TEMPLATE = 2000


def generate(target_bytes: int, seed: int = 20240601) -> Corpus:
    """Deterministic pages of government-site text (title + paragraphs), ~``target_bytes`` UTF-8."""
    rng = random.Random(seed)
    corpus = Corpus()
    # Filling templates is slow in Python; a pool of filled sentences keeps generation to seconds.
    pool = [_fill(rng, t) for t in SENTENCES for _ in range(POOL_PER_TEMPLATE)]
    while corpus.nbytes < target_bytes:
        page = [f"{rng.choice(UNITS)}关于{rng.choice(TOPICS)}工作的{rng.choice(('通知', '公告', '情况通报', '实施方案'))}"]
        for _ in range(rng.randint(4, 18)):
            para = "".join(rng.choices(pool, k=rng.randint(1, 5)))
            r = rng.random()
            if r < 0.004:
                cat, spam = rng.choice(SPAM)
                corpus.planted[cat] += 1
                para += spam
            elif r < 0.008:
                para += rng.choice(TRAPS)
            elif r < 0.010:
                para += f"如有疑问请联系{rng.choice(SURNAMES)}老师，手机：{mobile(rng)}。"
                corpus.planted["mobile"] += 1
            elif r < 0.012:
                para += f"收款人开户银行：中国农业银行示例支行，卡号：{luhn_card(rng)}。"
                corpus.planted["bank_card"] += 1
            elif r < 0.014:
                para += f"申请人身份证号码：{id18(rng)}。"
                corpus.planted["id18"] += 1
            elif r < 0.020:
                para += rng.choice(ORDER_LINES).format(long=_digits(rng, 18), mobile=mobile(rng))
            page.append(para)
        if rng.random() < 0.03:
            page.extend(_table(rng, corpus, rng.randint(5, 40)))
        corpus.pages.append(page)
        corpus.nbytes += sum(len(s.encode("utf-8")) for s in page)
    return corpus


# --------------------------------------------------------------------------- lexicon
def synthetic_terms(n: int, segments: list[str], seed: int) -> list[str]:
    """``n`` distinct 3–6 character words, 30 % of their characters drawn from the corpus's own
    vocabulary (so the automaton walks deep on real text) and the rest from the CJK block."""
    rng = random.Random(seed + 1)
    vocab = sorted(set("".join(segments[:2000])) - set("0123456789，。、：；（）《》“”.-@%\t *X"))
    out: set[str] = set()
    while len(out) < n:
        out.add("".join(rng.choice(vocab) if rng.random() < 0.3 else chr(rng.randint(0x4E00, 0x9FA5))
                        for _ in range(rng.choice((3, 3, 4, 4, 5, 6)))))
    return sorted(out)


def write_extension(words: list[str], seed: int) -> Path:
    d = WORK / f"text-lexicon-{len(words)}-{seed}"
    d.mkdir(parents=True, exist_ok=True)
    body = "word\tcategory\tseverity\tnote\tsuggestion\n" + "".join(f"{w}\tsynthetic\tdeduct\t\t\n" for w in words)
    p = d / "synthetic.tsv"
    if not p.is_file() or p.read_text(encoding="utf-8") != body:
        p.write_text(body, encoding="utf-8")
    return d


# --------------------------------------------------------------------------- runs
@dataclass
class Run:
    """One timed pass. ``seconds`` is CPU time of this (single-threaded) process: "one core",
    and steady on a shared machine where wall time also counts waiting for a core."""

    seconds: float
    nbytes: int
    lex: Counter[str]
    pii: Counter[str]
    wall: float = 0.0

    @property
    def mbps(self) -> float:
        return self.nbytes / self.seconds / 1e6

    @property
    def wall_mbps(self) -> float:
        return self.nbytes / self.wall / 1e6


def _nbytes(pages: list[list[str]]) -> int:
    return sum(len(s.encode("utf-8")) for p in pages for s in p)


def run_segments(pages: list[list[str]], find: Callable, find_pii: Callable) -> Run:
    lex: Counter[str] = Counter()
    pii: Counter[str] = Counter()
    w0, t0 = time.perf_counter(), time.process_time()
    for page in pages:
        for seg in page:
            for m in find(seg):
                lex[m.term.category] += 1
            for h in find_pii(seg):
                pii[h.kind] += 1
    return Run(time.process_time() - t0, _nbytes(pages), lex, pii, time.perf_counter() - w0)


def run_pages(pages: list[list[str]], find_many: Callable, find_pii_many: Callable) -> Run:
    lex: Counter[str] = Counter()
    pii: Counter[str] = Counter()
    w0, t0 = time.perf_counter(), time.process_time()
    for page in pages:
        for ms in find_many(page):
            for m in ms:
                lex[m.term.category] += 1
        for hs in find_pii_many(page):
            for h in hs:
                pii[h.kind] += 1
    return Run(time.process_time() - t0, _nbytes(pages), lex, pii, time.perf_counter() - w0)


def re_baseline(lexicon):
    """The peer: one ``re`` alternation of every term, longest first (leftmost-longest with
    ``finditer``), then the lexicon's own allow-list/cue selection."""
    from xuncha.text.lexicon import _fold

    index = {_fold(t.word): i for i, t in enumerate(lexicon.terms)}
    alternation = "|".join(re.escape(w) for w in sorted(index, key=len, reverse=True))
    big = re.compile(alternation, re.IGNORECASE | re.ASCII)

    def find(text: str):
        occ = [(index[_fold(m.group())], m.start(), m.end()) for m in big.finditer(text)]
        return lexicon.select(text, occ) if occ else []

    return find


def compare_engines(lexicon, pages: list[list[str]], repeat: int) -> None:
    """The lexicon alone (same terms, allow-list and cues) on each engine installed here, per
    segment: the measurement the engine choice rests on. The ``re`` engine is left out (it is
    the baseline's speed class)."""
    from xuncha.text import lexicon as lexicon_module
    from xuncha.text.lexicon import Lexicon, available_engines

    hits = None
    for name in available_engines():
        if name == "re":
            continue
        lexicon_module._ENGINE_CACHE.clear()  # time a real build, not a cache hit
        t0 = time.perf_counter()
        lex = Lexicon(lexicon.terms, lexicon.allow, cues=lexicon.cues, engine=name)
        build = time.perf_counter() - t0
        run = min((run_segments(pages, lex.find, lambda s: ()) for _ in range(repeat)), key=lambda r: r.seconds)
        whole = min((run_pages(pages, lex.find_many, lambda ss: ()) for _ in range(repeat)), key=lambda r: r.seconds)
        same = "" if hits is None or hits == run.lex == whole.lex else "  DIFFERENT HITS"
        hits = hits or run.lex
        print(f"  engine {name:15s} lexicon only on {run.nbytes / 1e6:.0f} MB: {whole.mbps:6.1f} MB/s per page, "
              f"{run.mbps:6.1f} MB/s per segment (build {build:.2f} s){same}")


def _slice(pages: list[list[str]], nbytes: int) -> list[list[str]]:
    out, n = [], 0
    for p in pages:
        if n >= nbytes:
            break
        out.append(p)
        n += sum(len(s.encode("utf-8")) for s in p)
    return out


def _fmt(c: Counter[str]) -> str:
    return " ".join(f"{k}={c[k]}" for k in sorted(c)) or "-"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=50.0, help="corpus size in MB of UTF-8 text (default 50)")
    ap.add_argument("--slice-mb", type=float, default=0.25, help="re baseline slice (default 0.25 MB)")
    ap.add_argument("--synthetic", type=int, default=20000, help="synthetic terms added (default 20000)")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--engine", default=None, help="hyperscan | ahocorasick_rs | re (default: fastest available)")
    ap.add_argument("--repeat", type=int, default=3, help="xuncha runs; the fastest counts (default 3)")
    ap.add_argument("--engines-mb", type=float, default=10.0,
                    help="MB on which each available engine is timed alone, lexicon only (0: skip; default 10)")
    ap.add_argument("--quick", action="store_true", help="smoke run: 5 MB, 0.05 MB baseline slice, 2 MB engine comparison")
    # ./dev bench passes the same arguments to every benchmark: ignore the others' options.
    args, unknown = ap.parse_known_args(argv)
    if unknown:
        print(f"(ignoring options of other benchmarks: {' '.join(unknown)})")
    if args.quick:
        args.mb, args.slice_mb, args.engines_mb = 5.0, 0.05, 2.0

    sys.path.insert(0, str(HERE.parent / "src"))
    from xuncha.text.lexicon import available_engines, load_lexicon
    from xuncha.text.pii import find_pii, find_pii_many

    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"hyperscan {_version('hyperscan')}, ahocorasick_rs {_version('ahocorasick_rs')}, "
          f"engines available: {', '.join(available_engines())}; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")
    t0 = time.perf_counter()
    corpus = generate(int(args.mb * 1e6), args.seed)
    segments = corpus.segments
    print(f"corpus: {corpus.nbytes / 1e6:.1f} MB UTF-8, {sum(map(len, segments)) / 1e6:.1f} M characters, "
          f"{len(corpus.pages)} pages, {len(segments)} segments (mean {sum(map(len, segments)) / len(segments):.0f} "
          f"characters), generated in {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    ext = write_extension(synthetic_terms(args.synthetic, segments, args.seed), args.seed) if args.synthetic else None
    lexicon = load_lexicon(extra_dirs=[ext] if ext else [], engine=args.engine)
    print(f"lexicon: {len(lexicon)} terms ({len(lexicon) - args.synthetic} packaged + {args.synthetic} synthetic), "
          f"{len(lexicon.allow)} allow phrases, {len(lexicon.cues)} cues, engine {lexicon.engine}, "
          f"built in {time.perf_counter() - t0:.2f} s")

    page = min((run_pages(corpus.pages, lexicon.find_many, find_pii_many) for _ in range(args.repeat)),
               key=lambda r: r.seconds)
    seg = min((run_segments(corpus.pages, lexicon.find, find_pii) for _ in range(args.repeat)), key=lambda r: r.seconds)
    print(f"xuncha per page:    {page.mbps:7.1f} MB/s  {page.seconds:6.2f} s CPU ({page.wall_mbps:.1f} MB/s wall)  "
          f"lexicon[{_fmt(page.lex)}]  pii[{_fmt(page.pii)}]")
    print(f"xuncha per segment: {seg.mbps:7.1f} MB/s  {seg.seconds:6.2f} s CPU ({seg.wall_mbps:.1f} MB/s wall)  "
          f"(find + find_pii on each segment, same hits: {'yes' if (page.lex, page.pii) == (seg.lex, seg.pii) else 'NO'})")
    planted = corpus.planted
    ok = True
    for key in sorted(planted):
        found = page.lex[key] if key not in ("id18", "mobile", "bank_card") else page.pii[key]
        ok &= found == planted[key]
        print(f"  planted {key:10s} {planted[key]:5d}  found {found:5d}{'' if found == planted[key] else '  MISMATCH'}")

    sl = _slice(corpus.pages, int(args.slice_mb * 1e6))
    t0 = time.perf_counter()
    peer_find = re_baseline(lexicon)
    compile_s = time.perf_counter() - t0
    peer = run_segments(sl, peer_find, lambda s: find_pii(s, precheck=False))
    mine = run_pages(sl, lexicon.find_many, find_pii_many)
    same = (peer.lex, peer.pii) == (mine.lex, mine.pii)
    print(f"re alternation:     {peer.mbps:7.3f} MB/s  {peer.seconds:6.2f} s CPU on a {peer.nbytes / 1e6:.2f} MB slice "
          f"(first pages; compile {compile_s:.1f} s not counted)  lexicon[{_fmt(peer.lex)}]  pii[{_fmt(peer.pii)}]")
    print(f"xuncha on the slice: {mine.mbps:6.1f} MB/s  lexicon[{_fmt(mine.lex)}]  pii[{_fmt(mine.pii)}]  "
          f"same hits as re: {'yes' if same else 'NO'}")
    print(f"planted items all found: {'yes' if ok else 'NO'}")
    if args.engines_mb > 0:
        compare_engines(lexicon, _slice(corpus.pages, int(args.engines_mb * 1e6)), args.repeat)
    print(f"text: xuncha_MBps={page.mbps:.0f} re_MBps={peer.mbps:.0f} ratio={page.mbps / peer.mbps:.1f}")
    return 0 if ok and same and (page.lex, page.pii) == (seg.lex, seg.pii) else 1


if __name__ == "__main__":
    raise SystemExit(main())
