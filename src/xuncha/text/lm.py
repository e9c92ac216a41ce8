"""Word-trigram language model pass of the typo checker (xuncha.text.typos).

The model is the one fcitx5's pinyin input method ships: ``zh_CN.lm`` of the Debian package
``libime-data-language-model`` (LGPL-2.1+, about 17 MB; a KenLM binary, word 3-gram over
164,887 words), read with the PyPI package ``kenlm`` (the ``lm`` extra). It is looked up at
``$XUNCHA_ZH_LM`` or ``/usr/lib/*/libime/zh_CN.lm``, loaded lazily once per process
(memory-mapped) and never downloaded. When ``kenlm`` or the model is missing the pass is off
(:func:`get_lm` returns ``None``, logged once at INFO) and the checker behaves as without it.

The pass (:class:`LMPass`) works on the CJK runs (clauses) of one sentence. At each position,
the candidates are the characters confusable with the written one (the first pass's
same/near-sound and similar-shape sets) that make a 2-4 character word of the LM vocabulary
with the neighbours. A candidate is scored by the best segmentation (beam Viterbi over the LM
word lattice) of a window of the clause, after minus before (log10), less a penalty for the
kind of substitution; the best candidate is applied while it gains ``min_gain`` and beats the
runner-up (other replacement, or a neighbour) by ``margin``. A sentence whose best unapplied
candidate still gains ``abstain`` is left alone. Thresholds: :class:`LMThresholds`, tuned on the
DEV sets of bench/csc.py only.
"""

from __future__ import annotations

import glob
import logging
import math
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

ENV_VAR = "XUNCHA_ZH_LM"
DEBIAN_GLOB = "/usr/lib/*/libime/zh_CN.lm"
DEBIAN_PACKAGE = "libime-data-language-model"

_MASK = "\x00"
_PAD = "\x01"


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@dataclass(frozen=True)
class LMThresholds:
    """Tunables of the LM pass (log10 units), tuned on the DEV sets of bench/csc.py only.

    A gain of 4 means the corrected window is 10^4 = 10,000 times as likely as the written
    one under the word-trigram model.
    """

    min_gain: float = 4.0  # log10 gain needed to apply a replacement (after the penalty)
    margin: float = 1.0  # over the next-best replacement at the same or a neighbouring position
    tone_penalty: float = 1.0  # same syllable, other tone
    fuzzy_penalty: float = 2.0  # zh/z, ch/c, sh/s, -ng/-n
    shape_penalty: float = 3.0  # similar shape, other sound
    abstain: float = 2.5  # leave a sentence alone when an unapplied candidate still gains this
    window: int = 5  # characters of context scored on each side
    beam: int = 6  # hypotheses kept per lattice node
    max_edits: int = 3  # per clause
    suspicious_clauses: int = 2  # abstain when this many clauses (0: off) each have a candidate …
    suspicious_gain: float = 1.5  # … gaining at least this (applied or not)
    skip_names: bool = True  # given names after a surname are never changed (赵丽娟)
    keep_long_words: bool = True  # nor characters of a 3-4 character word of the first pass's
    # dictionary (jieba + official terms): 多措并举 is missing from the LM's vocabulary
    max_clause: int = 80  # longer CJK runs (lists, tables flattened to text) are not scored
    page_budget: int = 2000  # check(): at most this many characters per call go through the pass


# --------------------------------------------------------------------------- model
class LanguageModel:
    """A KenLM word model and its vocabulary (read from the binary's string table)."""

    def __init__(self, path: Path) -> None:
        import kenlm  # optional dependency (extra "lm")

        self._kenlm = kenlm
        self.path = path
        self.model = kenlm.Model(str(path))
        vocab = read_vocab(path)
        self.vocab = frozenset(vocab)
        # a frequent word with one character masked -> the characters that fill the mask
        wild: dict[str, str] = {}
        for w in vocab:
            if 2 <= len(w) <= 4 and all(map(_cjk, w)):
                for k in range(len(w)):
                    key = w[:k] + _MASK + w[k + 1:]
                    wild[key] = wild.get(key, "") + w[k]
        self.wild = wild

    def seg_score(self, text: str, bos: bool, eos: bool, beam: int) -> float:
        """log10 P of the best segmentation of ``text`` (CJK) into LM words (beam Viterbi)."""
        kenlm = self._kenlm
        lm = self.model
        vocab = self.vocab
        n = len(text)
        start = kenlm.State()
        if bos:
            lm.BeginSentenceWrite(start)
        else:
            lm.NullContextWrite(start)
        beams: list[dict] = [{} for _ in range(n + 1)]
        beams[0][start] = 0.0
        for i in range(n):
            hyps = beams[i]
            if len(hyps) > beam:
                hyps = dict(sorted(hyps.items(), key=lambda kv: -kv[1])[:beam])
            words = [text[i:j] for j in range(i + 2, min(n, i + 8) + 1) if text[i:j] in vocab]
            words.append(text[i])
            for w in words:
                tgt = beams[i + len(w)]
                for st, sc in hyps.items():
                    out = kenlm.State()
                    s = sc + lm.BaseScore(st, w, out)
                    old = tgt.get(out)
                    if old is None or s > old:
                        tgt[out] = s
        final = beams[n]
        if not eos:
            return max(final.values())
        end = kenlm.State()
        return max(sc + lm.BaseScore(st, "</s>", end) for st, sc in final.items())


def read_vocab(path: Path) -> list[str]:
    """Words of a KenLM binary: the NUL-separated strings stored at its end, after ``<unk>``."""
    data = path.read_bytes()
    i = data.rfind(b"<unk>\x00")
    if i < 0:
        raise ValueError(f"{path}: no vocabulary table (not a KenLM binary written with its words)")
    return [w.decode("utf-8", "replace") for w in data[i:].split(b"\x00") if w][1:]


def model_path() -> Path | None:
    """``$XUNCHA_ZH_LM`` when set (even to a missing file: then there is none), else Debian's."""
    env = os.environ.get(ENV_VAR)
    if env:
        p = Path(env)
        return p if p.is_file() else None
    for found in sorted(glob.glob(DEBIAN_GLOB)):
        return Path(found)
    return None


_LOCK = threading.Lock()
_STATE: dict[str, LanguageModel | None] = {}


def get_lm() -> LanguageModel | None:
    """The process-wide model, loaded on first call; ``None`` when kenlm or the file is missing."""
    if "lm" in _STATE:
        return _STATE["lm"]
    with _LOCK:
        if "lm" not in _STATE:
            _STATE["lm"] = _load()
        return _STATE["lm"]


def _load() -> LanguageModel | None:
    path = model_path()
    if path is None:
        log.info("未找到中文语言模型（%s 或 $%s；Debian 软件包 %s），错别字检查不使用语言模型复核",
                 DEBIAN_GLOB, ENV_VAR, DEBIAN_PACKAGE)
        return None
    try:
        import kenlm  # noqa: F401
    except ImportError:
        log.info("未安装 kenlm（pip install 'xuncha[lm]'），错别字检查不使用语言模型复核")
        return None
    try:
        return LanguageModel(path)
    except (OSError, ValueError, RuntimeError) as e:  # kenlm raises OSError on a bad file
        log.info("无法读取中文语言模型 %s（%s），错别字检查不使用语言模型复核", path, e)
        return None


def reset() -> None:
    """Forget the loaded model (tests; after changing ``$XUNCHA_ZH_LM``)."""
    with _LOCK:
        _STATE.clear()


# --------------------------------------------------------------------------- the pass
@dataclass
class LMEdit:
    """One replacement the pass applies: ``clause[pos]`` -> ``char`` (offsets in the sentence)."""

    pos: int
    found: str
    char: str
    gain: float  # log10, after the penalty
    relation: str  # same / tone / fuzzy / shape
    word: str  # an LM word the replacement makes


class LMPass:
    """Sentence corrector over one :class:`LanguageModel`.

    ``confusable(ch)`` and ``relation(a, b)`` come from the first pass's model (so both passes
    share one notion of a plausible slip); ``skip(ch)`` / ``skip_pair(a, b)`` exclude characters
    and replacements the first pass never makes (的/地/得, regional variants).
    """

    def __init__(
        self,
        lm: LanguageModel,
        confusable: Callable[[str], frozenset[str]],
        relation: Callable[[str, str], str],
        skip: Callable[[str], bool],
        skip_pair: Callable[[str, str], bool],
        thresholds: LMThresholds | None = None,
    ) -> None:
        self.lm = lm
        self.th = thresholds or LMThresholds()
        self._confusable = confusable
        self._relation = relation
        self._skip = skip
        self._skip_pair = skip_pair
        self._cache: dict[tuple[str, bool, bool], float] = {}

    def _seg(self, text: str, bos: bool, eos: bool) -> float:
        key = (text, bos, eos)
        v = self._cache.get(key)
        if v is None:
            if len(self._cache) > 50_000:
                self._cache.clear()
            v = self._cache[key] = self.lm.seg_score(text, bos, eos, self.th.beam)
        return v

    def _gain(self, clause: str, p: int, c: str) -> float:
        w = self.th.window
        a, b = max(0, p - w), min(len(clause), p + w + 1)
        bos, eos = a == 0, b == len(clause)
        return self._seg(clause[a:p] + c + clause[p + 1:b], bos, eos) - self._seg(clause[a:b], bos, eos)

    def _candidates(self, clause: str, p: int) -> dict[str, str]:
        """Confusable characters for ``clause[p]`` -> an LM word of 2-4 characters each makes."""
        m = clause[max(0, p - 3):p].rjust(3, _PAD) + _MASK + clause[p + 1:p + 4].ljust(3, _PAD)
        keys = (m[2:4], m[3:5], m[1:4], m[2:5], m[3:6], m[0:4], m[1:5], m[2:6], m[3:7])
        wild = self.lm.wild
        out: dict[str, str] = {}
        conf = None
        for key in keys:
            chars = wild.get(key)
            if chars:
                if conf is None:
                    conf = self._confusable(clause[p])
                for c in conf.intersection(chars):
                    out.setdefault(c, key.replace(_MASK, c))
        return out

    def clause(self, clause: str, frozen: frozenset[int] = frozenset()) -> tuple[list[LMEdit], float]:
        """Edits for one CJK run (positions in ``frozen`` are never changed), and the residual:
        the best gain left unapplied (``-inf`` when none)."""
        th = self.th
        penalties = {"same": 0.0, "tone": th.tone_penalty, "fuzzy": th.fuzzy_penalty, "shape": th.shape_penalty}
        edits: list[LMEdit] = []
        edited: set[int] = set()
        residual = -math.inf
        for _ in range(th.max_edits):
            per_pos: list[tuple[float, int, str, float, str, str]] = []
            for p, ch in enumerate(clause):
                if p in edited or p in frozen or self._skip(ch):
                    continue
                scored = []
                for c, word in self._candidates(clause, p).items():
                    if self._skip(c) or self._skip_pair(ch, c):
                        continue
                    rel = self._relation(ch, c)
                    if not rel:
                        continue
                    scored.append((self._gain(clause, p, c) - penalties[rel], c, rel, word))
                if not scored:
                    continue
                scored.sort(reverse=True)
                g, c, rel, word = scored[0]
                margin = g - scored[1][0] if len(scored) > 1 else math.inf
                per_pos.append((g, p, c, margin, rel, word))
            # neighbours compete: in 意前 either 意 (以前) or 前 (意见) is the slip
            ok = []
            for k, x in enumerate(per_pos):
                mg = x[3]
                for y in per_pos[max(0, k - 1):k + 2]:
                    if y is not x and abs(y[1] - x[1]) == 1:
                        mg = min(mg, x[0] - y[0])
                if x[0] >= th.min_gain and mg >= th.margin:
                    ok.append(x)
            if not ok:
                if per_pos:
                    residual = max(residual, max(x[0] for x in per_pos))
                break
            g, p, c, _, rel, word = max(ok)
            edits.append(LMEdit(p, clause[p], c, g, rel, word))
            clause = clause[:p] + c + clause[p + 1:]
            edited.add(p)
        return edits, residual

    def sentence(self, text: str, start: int = 0, end: int | None = None,
                 frozen: frozenset[int] = frozenset()) -> list[LMEdit] | None:
        """Edits for ``text[start:end]`` (offsets in ``text``), or ``None`` when it abstains
        (a candidate left unapplied is still suspicious: a partial correction is no correction)."""
        end = len(text) if end is None else end
        edits: list[LMEdit] = []
        suspicious = 0
        i = start
        while i < end:
            if not _cjk(text[i]):
                i += 1
                continue
            j = i
            while j < end and _cjk(text[j]):
                j += 1
            if j - i >= 2 and j - i <= self.th.max_clause:
                local = frozenset(q - i for q in frozen if i <= q < j)
                found, residual = self.clause(text[i:j], local)
                if residual >= self.th.abstain:
                    return None
                if self.th.suspicious_clauses and (found or residual >= self.th.suspicious_gain):
                    suspicious += 1
                    if suspicious >= self.th.suspicious_clauses:
                        return None
                for e in found:
                    e.pos += i
                edits.extend(found)
            i = j
        return edits
