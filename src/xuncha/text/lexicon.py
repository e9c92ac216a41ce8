"""Sensitive and prohibited word lexicons (敏感词、违规内容词库) and a fast multi-pattern matcher.

W.VETO.SERIOUS_ERROR (item 3: 发布反动、暴力、色情等内容) and W.CONTENT.SENSITIVE read every page
and attachment through :class:`Lexicon`. Matching semantics, the same for every engine:

* every occurrence of every term is found (ASCII letters case-insensitively);
* an occurrence lying inside an occurrence of an allow-list phrase is dropped, so 大麻烦 does not
  hit 大麻 and 路口交通 does not hit 口交;
* of the rest, the leftmost-longest non-overlapping occurrences are kept;
* when warning cues are configured (the packaged ``cues.tsv``: 严厉打击, 警惕, 查处 ...), a kept
  match whose sentence carries a cue within ``CUE_WINDOW`` characters is dropped: anti-gambling
  and anti-fraud notices quote the very words spam uses.

Engines, chosen by measurement (bench/text.py: 20,384 terms, 50 MB of generated page text,
``find`` per 126-character segment, lexicon alone, one core of a shared 2-vCPU VM): hyperscan
0.9.1 (literal mode over UTF-8 bytes) ~95-100 MB/s, ahocorasick_rs 1.0.3 (DFA) ~42-45 MB/s, a
plain ``re`` alternation ~0.05 MB/s. hyperscan is the default; ahocorasick_rs is the portable
fallback (hyperscan has no wheel for Linux aarch64); the ``re`` engine is the last resort so the
checks still run, slowly, without either package. Engines only report occurrences; the selection
above is shared Python code that runs only when something occurred, which on clean government
text is rare. (ahocorasick_rs folds case with ``str.lower``, so it also folds non-ASCII letters;
on Chinese and ASCII text the engines agree.)

Data files (``data/lexicon/*.tsv``, UTF-8, tab-separated, ``#`` comments) have the header
``word category severity note suggestion``; ``allow.tsv`` holds ``phrase note``; ``cues.tsv``
holds ``cue note``. A deployment directory passed to :func:`load_lexicon` may carry files of the same
names (they extend; a row whose word is already known replaces it, so a deployment can change a
severity), new category files, and ``disable.tsv`` (first column: words to remove).
"""

from __future__ import annotations

import bisect
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Protocol

from xuncha.errors import ConfigError

DATA_DIR = Path(__file__).with_name("data") / "lexicon"
# Packaged lexicons, in load order. Severity: veto = candidate for W.VETO.SERIOUS_ERROR (an
# inspector confirms), deduct = W.CONTENT.SENSITIVE. The checks decide what to do with both.
LEXICON_NAMES: tuple[str, ...] = ("gambling", "porn", "drugs", "violence", "reactionary", "fraud", "ads")
SPECIAL_FILES = frozenset({"allow", "cues", "disable"})
SEVERITIES = ("veto", "deduct", "advisory")
DEFAULT_SEVERITY = {
    "gambling": "veto", "porn": "veto", "drugs": "veto", "violence": "veto", "reactionary": "veto",
    "fraud": "deduct", "ads": "deduct",
}
CUE_WINDOW = 40  # characters looked at on each side of a match for a warning cue
_SENTENCE_END = "。！？!?；;\n"
_SEPARATOR = "\n"  # joins texts in find_many: no term, allow phrase or cue window crosses it

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_HAS_ASCII_LETTER = re.compile(r"[A-Za-z]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _fold(s: str) -> str:
    """ASCII letters lower-cased, everything else (and the length) unchanged."""
    return s.translate(_ASCII_LOWER) if _HAS_ASCII_LETTER.search(s) else s


@dataclass(frozen=True)
class Term:
    """One lexicon entry. ``category``: gambling, porn, drugs, violence, reactionary, fraud, ads
    (or a deployment's own); ``severity``: veto, deduct or advisory."""

    word: str
    category: str
    severity: str = "deduct"
    note: str = ""
    suggestion: str = ""


@dataclass(frozen=True)
class Match:
    """A term found in a text: ``text[start:end] == match.text`` (original case)."""

    start: int
    end: int
    term: Term
    text: str


# --------------------------------------------------------------------------- engines
class _Engine(Protocol):
    name: str

    def occurrences(self, text: str) -> list[tuple[int, int, int]]:
        """(pattern index, start, end) in characters; every occurrence (or, for the ``re``
        engine, the longest one starting at each position, which selects the same matches)."""
        ...


def _on_hs_match(pattern: int, _from: int, to: int, _flags: int, hits: list[tuple[int, int]]) -> None:
    hits.append((pattern, to))


class _HyperscanEngine:
    """Intel Hyperscan, pure-literal mode, over UTF-8 bytes.

    The scan releases the GIL, so a scratch space cannot be shared by two threads at once: the
    engine's own scratch is used until a scan finds it busy, then each thread gets a clone.
    ``occurrences`` and ``find`` are closures over locals: on ~130-character segments the fixed
    cost of a call (attribute look-ups, keyword arguments) is as large as the scan itself."""

    name = "hyperscan"

    def __init__(self, words: Sequence[str]) -> None:
        import hyperscan

        patterns = [w.encode("utf-8") for w in words]
        flags = [hyperscan.HS_FLAG_CASELESS if _HAS_ASCII_LETTER.search(w) else 0 for w in words]
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(expressions=patterns, ids=list(range(len(patterns))), elements=len(patterns),
                   flags=flags, literal=True)
        self._db = db
        self.occurrences, self.make_find = _hyperscan_closures(
            db.scan, hyperscan.Scratch(db), hyperscan.ScratchInUseError, [len(p) for p in patterns])


def _hyperscan_closures(scan, scratch, busy, blen: list[int]):  # noqa: ANN001, ANN202
    """``occurrences(text)`` and ``make_find(select) -> find(text)``: closures over locals."""
    local = threading.local()

    def scan_threaded(data: bytes) -> list[tuple[int, int]]:
        own = getattr(local, "scratch", None)
        if own is None:
            own = local.scratch = scratch.clone()
        hits: list[tuple[int, int]] = []
        scan(data, _on_hs_match, 0, hits, own)
        return hits

    def to_chars(text: str, data: bytes, hits: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
        if len(data) == len(text):  # ASCII only: byte offsets are character offsets
            return [(i, e - blen[i], e) for i, e in hits]
        # Literal UTF-8 patterns begin and end on character boundaries: decode the gaps once.
        offsets = sorted({o for i, e in hits for o in (e - blen[i], e)})
        chars: dict[int, int] = {}
        prev_b = prev_c = 0
        for o in offsets:
            prev_c += len(data[prev_b:o].decode("utf-8"))
            prev_b = o
            chars[o] = prev_c
        return [(i, chars[e - blen[i]], chars[e]) for i, e in hits]

    def occurrences(text: str) -> list[tuple[int, int, int]]:
        try:
            data = text.encode()
        except UnicodeEncodeError:  # lone surrogates: one '?' each keeps offsets
            data = text.encode("utf-8", "replace")
        hits: list[tuple[int, int]] = []
        try:
            scan(data, _on_hs_match, 0, hits, scratch)  # positional: keyword parsing costs ~40 %
        except busy:
            hits = scan_threaded(data)
        return to_chars(text, data, hits) if hits else []

    def make_find(select):  # noqa: ANN001, ANN202
        def find(text: str) -> list[Match]:
            try:
                data = text.encode()
            except UnicodeEncodeError:  # lone surrogates: one '?' each keeps offsets
                data = text.encode("utf-8", "replace")
            hits: list[tuple[int, int]] = []
            try:
                scan(data, _on_hs_match, 0, hits, scratch)
            except busy:
                hits = scan_threaded(data)
            return select(text, to_chars(text, data, hits)) if hits else []

        return find

    return occurrences, make_find


class _AhoCorasickRsEngine:
    """ahocorasick_rs (Rust aho-corasick), all overlapping occurrences, on lower-cased text
    (patterns lower-cased too; ahocorasick_rs has no case-insensitive mode)."""

    name = "ahocorasick_rs"

    def __init__(self, words: Sequence[str]) -> None:
        import ahocorasick_rs

        self._fold = any(_HAS_ASCII_LETTER.search(w) for w in words)
        self._ac = ahocorasick_rs.AhoCorasick(
            [w.lower() if len(w.lower()) == len(w) else _fold(w) for w in words],
            matchkind=ahocorasick_rs.MATCHKIND_STANDARD,
            implementation=ahocorasick_rs.Implementation.DFA)  # ~20 % faster scans, 0.4 s to build 20,000 terms

    def occurrences(self, text: str) -> list[tuple[int, int, int]]:
        if self._fold:
            # str.lower() is fast but may change the length (İ -> i̇): then fold ASCII only.
            lowered = text.lower()
            text = lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)
        try:
            return self._ac.find_matches_as_indexes(text, overlapping=True)
        except UnicodeEncodeError:  # lone surrogates: U+FFFD keeps the offsets
            return self._ac.find_matches_as_indexes(_SURROGATE.sub("\ufffd", text), overlapping=True)


class _ReEngine:
    """Standard-library fallback: one alternation (longest first) in a lookahead, every position."""

    name = "re"

    def __init__(self, words: Sequence[str]) -> None:
        self._index = {_fold(w): i for i, w in enumerate(words)}
        alternation = "|".join(re.escape(w) for w in sorted(self._index, key=len, reverse=True))
        self._re = re.compile(f"(?=({alternation}))", re.IGNORECASE | re.ASCII) if words else None

    def occurrences(self, text: str) -> list[tuple[int, int, int]]:
        if self._re is None:
            return []
        index = self._index
        return [(index[_fold(m.group(1))], m.start(), m.start() + len(m.group(1)))
                for m in self._re.finditer(text)]


ENGINES: dict[str, type] = {
    "hyperscan": _HyperscanEngine, "ahocorasick_rs": _AhoCorasickRsEngine, "re": _ReEngine,
}


@lru_cache(maxsize=1)
def available_engines() -> tuple[str, ...]:
    """Engines that work on this machine, fastest first."""
    out = []
    for name, cls in ENGINES.items():
        try:
            cls(["测试", "ab"]).occurrences("测试AB")
        except Exception:  # not installed, no wheel for this CPU, no SSSE3 ...
            continue
        out.append(name)
    return tuple(out)


def best_engine() -> str:
    return available_engines()[0]


_ENGINE_CACHE: OrderedDict[tuple[str, tuple[str, ...]], _Engine] = OrderedDict()
_ENGINE_CACHE_SIZE = 8
_ENGINE_LOCK = threading.Lock()


def _engine_for(name: str, words: tuple[str, ...]) -> _Engine:
    """Compiled engines are shared between lexicons with the same words (per-site allow lists
    only change the selection, not the automaton)."""
    if name not in ENGINES:
        raise ValueError(f"unknown lexicon engine {name!r}: one of {', '.join(ENGINES)}")
    key = (name, words)
    with _ENGINE_LOCK:
        eng = _ENGINE_CACHE.get(key)
        if eng is not None:
            _ENGINE_CACHE.move_to_end(key)
            return eng
    eng = ENGINES[name](words)
    with _ENGINE_LOCK:
        _ENGINE_CACHE[key] = eng
        while len(_ENGINE_CACHE) > _ENGINE_CACHE_SIZE:
            _ENGINE_CACHE.popitem(last=False)
    return eng


# --------------------------------------------------------------------------- lexicon
class Lexicon:
    """A compiled set of terms with an allow-list and optional warning cues.

    >>> lex = Lexicon([Term("大麻", "drugs", "veto")], allow=["大麻烦"])
    >>> [m.text for m in lex.find("大麻出售，真是个大麻烦")]
    ['大麻']
    """

    def __init__(self, terms: Iterable[Term], allow: Iterable[str] = (), *,
                 cues: Iterable[str] = (), engine: str | None = None,
                 _compiled: _Engine | None = None) -> None:
        by_word: dict[str, Term] = {}
        for t in terms:
            word = t.word.strip()
            if not word or _SEPARATOR in word:
                continue
            key = _fold(word)
            by_word.pop(key, None)  # a later definition replaces an earlier one (and moves last)
            by_word[key] = t if word == t.word else Term(word, t.category, t.severity, t.note, t.suggestion)
        self._terms: tuple[Term, ...] = tuple(by_word.values())
        self._allow: tuple[str, ...] = tuple(dict.fromkeys(
            a.strip() for a in allow if a.strip() and _SEPARATOR not in a))
        self._cues: tuple[str, ...] = tuple(dict.fromkeys(c.strip() for c in cues if c.strip()))
        self._engine: _Engine = _compiled or _engine_for(engine or best_engine(), tuple(t.word for t in self._terms))
        self._occurrences = self._engine.occurrences
        make_find = getattr(self._engine, "make_find", None)
        if make_find is not None:  # one Python frame less per call: a third of the cost on segments
            self.find = make_find(self.select)  # type: ignore[method-assign]
        self._cue_re = (re.compile("|".join(map(re.escape, self._cues)), re.IGNORECASE | re.ASCII)
                        if self._cues else None)
        self._inside = self._allow_containment()

    def _allow_containment(self) -> dict[int, tuple[tuple[int, str], ...]]:
        """term index -> ((offset of the term in the phrase, folded phrase), ...) for every allow
        phrase that contains the term (every substring of every phrase looked up: phrases are short)."""
        index = {_fold(t.word): i for i, t in enumerate(self._terms)}
        longest = max(map(len, index), default=0)
        inside: dict[int, list[tuple[int, str]]] = {}
        for phrase in self._allow:
            folded = _fold(phrase)
            for a in range(len(folded)):
                for b in range(a + 1, min(len(folded), a + longest) + 1):
                    i = index.get(folded[a:b])
                    if i is not None:
                        inside.setdefault(i, []).append((a, folded))
        return {i: tuple(v) for i, v in inside.items()}

    # ------------------------------------------------------------------ public
    @property
    def terms(self) -> tuple[Term, ...]:
        return self._terms

    @property
    def allow(self) -> tuple[str, ...]:
        return self._allow

    @property
    def cues(self) -> tuple[str, ...]:
        return self._cues

    @property
    def categories(self) -> frozenset[str]:
        return frozenset(t.category for t in self._terms)

    @property
    def engine(self) -> str:
        return self._engine.name

    @cached_property
    def fingerprint(self) -> str:
        """12 hex digits identifying the terms, severities, allow-list and cues: a finding can
        record which lexicon judged it, so a re-judgement with another lexicon is visible."""
        h = hashlib.sha256()
        for t in sorted(self._terms, key=lambda t: t.word):
            h.update(f"{t.word}\t{t.category}\t{t.severity}\n".encode())
        h.update(("\x00" + "\n".join(sorted(self._allow)) + "\x00" + "\n".join(sorted(self._cues))).encode())
        return h.hexdigest()[:12]

    def __len__(self) -> int:
        return len(self._terms)

    def __repr__(self) -> str:
        return f"<Lexicon {len(self)} terms, {len(self._allow)} allow, {len(self._cues)} cues, {self.engine}>"

    def with_allow(self, phrases: Iterable[str]) -> Lexicon:
        """The same lexicon with more allow-list phrases (per site); the engine is shared."""
        return Lexicon(self._terms, (*self._allow, *phrases), cues=self._cues, _compiled=self._engine)

    def find(self, text: str) -> list[Match]:
        """Leftmost-longest, non-overlapping matches in ``text``, allow-list and cues applied."""
        if not text:
            return []
        occ = self._occurrences(text)
        return self.select(text, occ) if occ else []

    def find_many(self, texts: Sequence[str]) -> list[list[Match]]:
        """``[find(t) for t in texts]`` in one engine call (a page's segments: saves the per-call
        cost on short texts); offsets stay relative to each text."""
        if len(texts) <= 1:
            return [self.find(t) for t in texts]
        found = self.find(_SEPARATOR.join(texts))
        out: list[list[Match]] = [[] for _ in texts]
        if found:
            starts = list(accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
            for m in found:
                k = bisect.bisect_right(starts, m.start) - 1
                base = starts[k]
                out[k].append(Match(m.start - base, m.end - base, m.term, m.text))
        return out

    def select(self, text: str, occurrences: Iterable[tuple[int, int, int]]) -> list[Match]:
        """Apply the allow-list, leftmost-longest selection and cues to raw occurrences
        ``(term index, start, end)``: the part every engine shares (bench/text.py feeds it the
        occurrences of a plain ``re`` alternation)."""
        inside = self._inside
        cands = []
        for i, s, e in occurrences:
            phrases = inside.get(i)
            if phrases and self._in_allow(text, s, phrases):
                continue
            cands.append((s, -e, i))
        if not cands:
            return []
        cands.sort()
        out = []
        last_end = -1
        terms = self._terms
        for s, neg_e, i in cands:
            if s < last_end:
                continue
            e = -neg_e
            last_end = e
            if self._cue_re is not None and self._warned(text, s, e):
                continue
            out.append(Match(s, e, terms[i], text[s:e]))
        return out

    @staticmethod
    def _in_allow(text: str, start: int, phrases: tuple[tuple[int, str], ...]) -> bool:
        for offset, folded in phrases:
            a = start - offset
            if a >= 0 and _fold(text[a:a + len(folded)]) == folded:
                return True
        return False

    def _warned(self, text: str, start: int, end: int) -> bool:
        """A warning cue in the same sentence, within CUE_WINDOW characters of the match."""
        assert self._cue_re is not None
        left = text[max(0, start - CUE_WINDOW):start]
        right = text[end:end + CUE_WINDOW]
        for ch in _SENTENCE_END:
            k = left.rfind(ch)
            if k >= 0:
                left = left[k + 1:]
            k = right.find(ch)
            if k >= 0:
                right = right[:k]
        return bool(self._cue_re.search(left) or self._cue_re.search(right))


# --------------------------------------------------------------------------- loading
def _rows(path: Path) -> Iterable[tuple[int, list[str]]]:
    """Data rows of a TSV file: comments, blank lines and the header row skipped."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise ConfigError(f"词库文件 {path} 不是 UTF-8 编码：{exc}") from exc
    header_seen = False
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if not header_seen:
            header_seen = True
            if cells[0].lower() in ("word", "phrase", "cue", "词条", "短语"):
                continue
        yield n, cells


def read_terms(path: Path, category: str | None = None) -> list[Term]:
    """Terms of one ``word category severity note suggestion`` file (tab-separated). Missing
    cells default to the file name as category and that category's severity (veto for
    gambling/porn/drugs/violence/reactionary, deduct otherwise)."""
    default_cat = category or path.stem
    out = []
    for n, cells in _rows(path):
        cells += [""] * (5 - len(cells))
        word, cat, sev, note, suggestion = cells[:5]
        if not word:
            continue
        cat = cat or default_cat
        sev = sev or DEFAULT_SEVERITY.get(cat, "deduct")
        if sev not in SEVERITIES:
            raise ConfigError(f"词库文件 {path} 第{n}行：严重程度「{sev}」无效，应为 {' / '.join(SEVERITIES)}")
        out.append(Term(word, cat, sev, note, suggestion))
    return out


def read_phrases(path: Path) -> list[str]:
    """First column of an allow / cues / disable file."""
    return [cells[0] for _n, cells in _rows(path) if cells[0]]


def load_lexicon(names: Sequence[str] | None = None, *, extra_dirs: Sequence[Path] = (),
                 site_allow: Iterable[str] = (), engine: str | None = None) -> Lexicon:
    """The packaged lexicons (all, or ``names``), extended by deployment directories, with the
    packaged, deployment and per-site allow-lists and the warning cues.

    A deployment directory may hold ``<name>.tsv`` (extends or overrides the packaged file of
    that name, or adds a category when ``names`` is None), ``allow.tsv``, ``cues.tsv`` and
    ``disable.tsv`` (words removed, whatever their file).
    """
    dirs = [DATA_DIR, *(Path(d) for d in extra_dirs)]
    for d in dirs[1:]:
        if not d.is_dir():
            raise ConfigError(f"词库目录不存在：{d}")
    wanted = list(names) if names is not None else list(LEXICON_NAMES)
    if SPECIAL_FILES & set(wanted):
        raise ConfigError(f"{'、'.join(sorted(SPECIAL_FILES & set(wanted)))} 不是词库名（allow/cues/disable 是辅助文件）")
    if names is None:
        for d in dirs[1:]:
            for p in sorted(d.glob("*.tsv")):
                if p.stem not in SPECIAL_FILES and p.stem not in wanted:
                    wanted.append(p.stem)
    terms: list[Term] = []
    allow: list[str] = []
    cues: list[str] = []
    disabled: set[str] = set()
    found = set()
    for d in dirs:
        for name in wanted:
            p = d / f"{name}.tsv"
            if p.is_file():
                found.add(name)
                terms.extend(read_terms(p))
        if (d / "allow.tsv").is_file():
            allow.extend(read_phrases(d / "allow.tsv"))
        if (d / "cues.tsv").is_file():
            cues.extend(read_phrases(d / "cues.tsv"))
        if (d / "disable.tsv").is_file():
            disabled.update(_fold(w) for w in read_phrases(d / "disable.tsv"))
    missing = [n for n in wanted if n not in found]
    if missing:
        raise ConfigError(f"找不到词库：{'、'.join(missing)}（已查找 {', '.join(map(str, dirs))}）")
    if disabled:
        terms = [t for t in terms if _fold(t.word) not in disabled]
    return Lexicon(terms, [*allow, *site_allow], cues=cues, engine=engine)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """All packaged lexicons with the packaged allow-list and cues (built once per process)."""
    return load_lexicon()
