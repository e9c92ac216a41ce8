"""Serious expression errors (严重表述错误): leaders' names, offices and order; key formulations.

W.VETO.SERIOUS_ERROR / M.VETO.SERIOUS_ERROR (indicators.md §1) veto a site for a wrong name,
title or ranking of Party and state leaders or a wrong key political formulation. This module
finds *candidates* in plain text (the inspector confirms them), each with a suggested correction:

- ``name_variant``: a near miss of a leader's name (same pinyin, similar pinyin, similar shape:
  习近乎 / 习进平 for 习近平), only next to a title or another leader's name, and never when the
  variant is an ordinary word of jieba's dictionary or straddles one (能力强 is not 李强);
- ``wrong_office``: a leader's name next to an office he never held (委员长王沪宁), or held only
  after the page date;
- ``outdated_title``: an office the person had left before the page date (国务院总理李克强 on a
  2024 page), unless the sentence is plainly historical (时任, 原, 生前, a year within the
  tenure ...);
- ``wrong_order``: three or more members of one roster (e.g. the Politburo Standing Committee)
  listed together out of their official order;
- ``formulation``: a known wrong variant or a one-character near miss of a key formulation
  (习近平新时代中国特色社会主义理论), a wrong member of a numbered formulation's list
  (四个自信 … 政治自信), a wrong ordinal (二十大三中全会), a plenum mentioned before it was held.

Knowledge lives in ``data/leaders.yaml`` (dated offices, rosters), ``data/formulations.yaml`` and
``data/shape_similar.tsv``; deployments add site-level leader files (a province's 省委书记/省长)
through :func:`load_leaders`. Everything is offline: variants are generated at load time with
pypinyin's character table, jieba's bundled dictionary gives word frequencies, and one
Aho–Corasick automaton (ahocorasick_rs, Rust) finds every key string in one pass over the text.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

import ahocorasick_rs
import yaml

DATA_DIR = Path(__file__).with_name("data")
LEADERS_FILE = DATA_DIR / "leaders.yaml"
FORMULATIONS_FILE = DATA_DIR / "formulations.yaml"
SHAPE_FILE = DATA_DIR / "shape_similar.tsv"

CandidateKind = Literal["name_variant", "wrong_office", "outdated_title", "wrong_order", "formulation"]
CANDIDATE_KINDS: tuple[str, ...] = (
    "name_variant", "wrong_office", "outdated_title", "wrong_order", "formulation",
)


@dataclass
class Candidate:
    """One suspected serious expression error, with the suggested correction.

    ``start``/``end`` are character offsets into the checked text (``text[start:end] == found``).
    ``explanation`` is short Chinese without a leading 疑似 (callers phrase the candidate).
    ``verified`` is False when the finding rests on knowledge marked 待核实 (or on a page dated
    after the knowledge base's ``known_through``): reports label it so.
    """

    kind: str  # CandidateKind
    found: str
    suggestion: str
    start: int
    end: int
    explanation: str
    verified: bool = True


# =========================================================================== knowledge: leaders
@dataclass(frozen=True)
class Office:
    """An office and the title strings that designate it next to a name."""

    id: str
    name: str
    titles: tuple[str, ...]
    short: str = ""
    primary: bool = True  # used when suggesting a person's current title
    verified: bool = True
    note: str = ""


@dataclass(frozen=True)
class Tenure:
    """One person in one office: active on d when start <= d < end (end = successor's day)."""

    office: str
    start: date
    end: date | None = None
    verified: bool = True
    note: str = ""
    uncertain_days: int | None = None  # unverified dates only: how far they may be off

    def active(self, d: date) -> bool:
        return self.start <= d and (self.end is None or d < self.end)

    def sure_on(self, d: date) -> bool:
        """Is a judgement on day d safe? Verified tenures always; tenures whose days alone are
        uncertain when d lies more than ``uncertain_days`` from both boundaries."""
        if self.verified:
            return True
        if self.uncertain_days is None:
            return False
        margin = timedelta(days=self.uncertain_days)
        return abs(d - self.start) > margin and (self.end is None or abs(d - self.end) > margin)


@dataclass
class Leader:
    name: str
    tenures: list[Tenure] = field(default_factory=list)
    note: str = ""
    pinyin: tuple[str, ...] = ()  # tone-marked reading per character where pypinyin errs (张高丽)


@dataclass(frozen=True)
class Roster:
    """An ordered group (政治局常委, 国务院副总理) valid between start and end."""

    id: str
    name: str
    start: date
    members: tuple[str, ...]
    end: date | None = None
    verified: bool = True

    def active(self, d: date) -> bool:
        return self.start <= d and (self.end is None or d < self.end)


@dataclass
class LeaderKB:
    offices: dict[str, Office] = field(default_factory=dict)
    people: dict[str, Leader] = field(default_factory=dict)
    rosters: list[Roster] = field(default_factory=list)
    known_through: date | None = None
    sources: list[str] = field(default_factory=list)

    def holders(self, office_id: str, d: date) -> list[str]:
        """Names of the people in an office on day d (KB order)."""
        return [p.name for p in self.people.values() if any(t.office == office_id and t.active(d) for t in p.tenures)]


def _as_date(value: object, where: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"{where}: 日期格式错误：{value!r}（应为 YYYY-MM-DD）") from exc


def _read_yaml(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: 顶层应为映射（mapping）")
    return data


def _merge_leaders(kb: LeaderKB, data: dict, source: str) -> None:
    for oid, o in (data.get("offices") or {}).items():
        titles = tuple(str(t) for t in (o.get("titles") or []))
        name = str(o.get("name") or (titles[0] if titles else oid))
        kb.offices[str(oid)] = Office(
            id=str(oid), name=name, titles=titles or (name,), short=str(o.get("short") or ""),
            primary=bool(o.get("primary", True)), verified=bool(o.get("verified", True)),
            note=str(o.get("note") or ""),
        )
    for p in data.get("people") or []:
        name = str(p["name"]).strip()
        person = kb.people.setdefault(name, Leader(name=name))
        if p.get("note"):
            person.note = str(p["note"])
        if p.get("pinyin"):
            person.pinyin = tuple(unicodedata.normalize("NFC", x) for x in str(p["pinyin"]).split())
            if len(person.pinyin) != len(name):
                raise ValueError(f"{source}: {name}: pinyin 应逐字给出（{len(name)}个音节）")
        person_verified = bool(p.get("verified", True))
        for t in p.get("tenures") or []:
            where = f"{source}: {name}"
            office = str(t["office"])
            start = _as_date(t.get("start"), where)
            if start is None:
                raise ValueError(f"{where}: 任职缺少 start")
            person.tenures.append(Tenure(
                office=office, start=start, end=_as_date(t.get("end"), where),
                verified=person_verified and bool(t.get("verified", True)), note=str(t.get("note") or ""),
                uncertain_days=int(t["uncertain_days"]) if t.get("uncertain_days") is not None else None,
            ))
    for r in data.get("rosters") or []:
        where = f"{source}: roster {r.get('id')}"
        kb.rosters.append(Roster(
            id=str(r["id"]), name=str(r.get("name") or r["id"]), start=_as_date(r["start"], where),
            end=_as_date(r.get("end"), where), members=tuple(str(m) for m in r["members"]),
            verified=bool(r.get("verified", True)),
        ))
    kt = _as_date(data.get("known_through"), source)
    if kt and (kb.known_through is None or kt < kb.known_through):
        kb.known_through = kt
    kb.sources.append(source)


def load_leaders(extra: Sequence[Path | str] = (), *, base: Path | str | None = LEADERS_FILE) -> LeaderKB:
    """The package leaders file plus site-level files (same schema), merged in order.

    A site file may define new offices (省委书记 of its province), new people, more tenures of
    known people, and rosters. Every tenure must name a defined office.
    """
    kb = LeaderKB()
    paths = ([Path(base)] if base else []) + [Path(p) for p in extra]
    for path in paths:
        _merge_leaders(kb, _read_yaml(path), str(path))
    for person in kb.people.values():
        for t in person.tenures:
            if t.office not in kb.offices:
                raise ValueError(f"{person.name}: 未定义的职务 {t.office!r}")
    return kb


# ====================================================================== knowledge: formulations
@dataclass(frozen=True)
class Member:
    text: str
    since: date | None = None
    until: date | None = None  # first day it is no longer part of the formulation


@dataclass(frozen=True)
class Formulation:
    id: str
    canonical: str
    wrong: tuple[tuple[str, bool], ...] = ()  # (wrong text, verified)
    near_miss: bool = False
    members: tuple[Member, ...] = ()
    affix: str = ""
    affix_mode: str = "suffix"  # suffix: 道路自信; prefix: 全面深化改革
    verified: bool = True
    note: str = ""


@dataclass(frozen=True)
class PatternRule:
    id: str
    trigger: str
    pattern: re.Pattern[str]
    suggestion: str
    explanation: str
    verified: bool = True


@dataclass(frozen=True)
class Event:
    name: str
    start: date
    grace_days: int = 60
    verified: bool = True


@dataclass
class FormulationKB:
    formulations: list[Formulation] = field(default_factory=list)
    rules: list[PatternRule] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def _merge_formulations(kb: FormulationKB, data: dict, source: str) -> None:
    for f in data.get("formulations") or []:
        fverified = bool(f.get("verified", True))
        wrong = []
        for w in f.get("wrong") or []:
            if isinstance(w, dict):
                wrong.append((str(w["text"]), fverified and bool(w.get("verified", True))))
            else:
                wrong.append((str(w), fverified))
        members = []
        for m in f.get("members") or []:
            if isinstance(m, dict):
                where = f"{source}: {f.get('id')}"
                members.append(Member(str(m["text"]), _as_date(m.get("since"), where), _as_date(m.get("until"), where)))
            else:
                members.append(Member(str(m)))
        kb.formulations.append(Formulation(
            id=str(f.get("id") or f["canonical"]), canonical=str(f["canonical"]), wrong=tuple(wrong),
            near_miss=bool(f.get("near_miss", False)), members=tuple(members), affix=str(f.get("affix") or ""),
            affix_mode=str(f.get("affix_mode") or "suffix"), verified=fverified, note=str(f.get("note") or ""),
        ))
    for r in data.get("rules") or []:
        kb.rules.append(PatternRule(
            id=str(r["id"]), trigger=str(r["trigger"]), pattern=re.compile(str(r["pattern"])),
            suggestion=str(r["suggestion"]), explanation=str(r.get("explanation") or "表述错误"),
            verified=bool(r.get("verified", True)),
        ))
    for e in data.get("events") or []:
        kb.events.append(Event(
            name=str(e["name"]), start=_as_date(e["start"], source), grace_days=int(e.get("grace_days", 60)),
            verified=bool(e.get("verified", True)),
        ))
    kb.sources.append(source)


def load_formulations(extra: Sequence[Path | str] = (), *, base: Path | str | None = FORMULATIONS_FILE) -> FormulationKB:
    """The package formulations file plus extra files of the same schema, appended in order."""
    kb = FormulationKB()
    for path in ([Path(base)] if base else []) + [Path(p) for p in extra]:
        _merge_formulations(kb, _read_yaml(path), str(path))
    return kb


# ========================================================================= confusable variants
# Tiers, strongest evidence first: same pinyin and tone, similar shape, same pinyin other tone,
# similar pinyin (zh/z, ch/c, sh/s, n/l, -ng/-n).
TIER_TONE, TIER_SHAPE, TIER_SOUND, TIER_FUZZY = 0, 1, 2, 3
_TIER_WORDS = {TIER_TONE: "同音字", TIER_SHAPE: "形近字", TIER_SOUND: "音近字", TIER_FUZZY: "音近字"}


def _gb_level(ch: str) -> int:
    """1 for GB2312 level-1 (common) characters, 2 for level-2, 0 otherwise."""
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return 0
    if len(b) != 2:
        return 0
    if 0xB0 <= b[0] <= 0xD7:
        return 1
    if 0xD8 <= b[0] <= 0xF7:
        return 2
    return 0


def _plain(reading: str) -> str:
    """Tone-marked pinyin to toneless (ü kept as v)."""
    s = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(c for c in s if not unicodedata.combining(c))


_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"))
_FUZZY_FINALS = (("iang", "ian"), ("uang", "uan"), ("ang", "an"), ("eng", "en"), ("ing", "in"))


def _fuzzy(plain: str) -> str:
    for a, b in _FUZZY_INITIALS:
        if plain.startswith(a):
            plain = b + plain[len(a):]
            break
    for a, b in _FUZZY_FINALS:
        if plain.endswith(a):
            plain = plain[: -len(a)] + b
            break
    return plain


@dataclass
class _CharIndex:
    readings: dict[str, tuple[str, ...]]
    by_tone: dict[str, set[str]]
    by_plain: dict[str, set[str]]
    by_fuzzy: dict[str, set[str]]
    level: dict[str, int]


@functools.lru_cache(maxsize=1)
def _char_index() -> _CharIndex:
    """Pinyin readings of the GB2312 characters, indexed by reading (pypinyin's table)."""
    from pypinyin.pinyin_dict import pinyin_dict

    readings: dict[str, tuple[str, ...]] = {}
    by_tone: dict[str, set[str]] = {}
    by_plain: dict[str, set[str]] = {}
    by_fuzzy: dict[str, set[str]] = {}
    level: dict[str, int] = {}
    for cp, value in pinyin_dict.items():
        ch = chr(cp)
        lv = _gb_level(ch)
        if not lv:
            continue
        level[ch] = lv
        rs = tuple(unicodedata.normalize("NFC", r) for r in value.split(","))
        readings[ch] = rs
        for r in rs:
            by_tone.setdefault(r, set()).add(ch)
            if lv == 1:
                p = _plain(r)
                by_plain.setdefault(p, set()).add(ch)
                by_fuzzy.setdefault(_fuzzy(p), set()).add(ch)
    return _CharIndex(readings, by_tone, by_plain, by_fuzzy, level)


def load_shape_table(path: Path | str = SHAPE_FILE) -> dict[str, frozenset[str]]:
    """Shape-similar characters, made symmetric."""
    table: dict[str, set[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            head, _, rest = line.partition("\t")
            head = head.strip()
            for ch in rest.strip():
                if ch != head and len(head) == 1:
                    table.setdefault(head, set()).add(ch)
                    table.setdefault(ch, set()).add(head)
    return {k: frozenset(v) for k, v in table.items()}


@functools.lru_cache(maxsize=1)
def _shape_table() -> dict[str, frozenset[str]]:
    return load_shape_table()


@functools.lru_cache(maxsize=1)
def word_frequencies() -> dict[str, int]:
    """jieba's bundled dictionary (dict.txt) as word -> frequency; read once, no model download."""
    import jieba

    path = Path(jieba.__file__).with_name("dict.txt")
    freq: dict[str, int] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split(" ")
            if len(parts) >= 2:
                try:
                    freq[parts[0]] = int(parts[1])
                except ValueError:
                    continue
    return freq


def _context_readings(text: str) -> list[str]:
    """The reading of each character of a name/phrase in context (pypinyin phrase rules)."""
    from pypinyin import Style, pinyin

    out = pinyin(text, style=Style.TONE, heteronym=False, errors=lambda s: [""] * len(s))
    return [unicodedata.normalize("NFC", r[0]) if r else "" for r in out]


def char_confusables(ch: str, reading: str, *, sound: bool = True, fuzzy: bool = True) -> dict[str, int]:
    """Characters that can be mistaken for ``ch`` (read ``reading``), with their tier."""
    idx = _char_index()
    out: dict[str, int] = {}

    def put(c: str, tier: int) -> None:
        if c != ch and (c not in out or tier < out[c]):
            out[c] = tier

    if reading:
        for c in idx.by_tone.get(reading, ()):
            put(c, TIER_TONE)
        plain = _plain(reading)
        if sound:
            for c in idx.by_plain.get(plain, ()):
                put(c, TIER_SOUND)
        if fuzzy:
            for c in idx.by_fuzzy.get(_fuzzy(plain), ()):
                put(c, TIER_FUZZY)
    for c in _shape_table().get(ch, ()):
        put(c, TIER_SHAPE)
    return out


def confusable_variants(
    text: str, *, sound: bool = True, fuzzy: bool = True, double: bool = True,
    readings: Sequence[str] | None = None,
) -> dict[str, int]:
    """Near-miss spellings of ``text`` -> tier (see TIER_*): one character replaced by a
    confusable one; with ``double``, for strings of 3+ characters, also two characters replaced
    by same-pinyin-same-tone or shape-similar ones (习进乎 for 习近平). ``readings`` (one
    tone-marked syllable per character) overrides pypinyin's reading in context."""
    readings = list(readings) if readings else _context_readings(text)
    per_pos = [
        char_confusables(ch, r, sound=sound, fuzzy=fuzzy) if "\u3400" <= ch <= "\u9fff" else {}
        for ch, r in zip(text, readings, strict=True)
    ]
    out: dict[str, int] = {}
    for i, alts in enumerate(per_pos):
        for c, tier in alts.items():
            v = text[:i] + c + text[i + 1:]
            if v not in out or tier < out[v]:
                out[v] = tier
    if double and len(text) >= 3:
        strong = [{c: t for c, t in alts.items() if t <= TIER_SHAPE} for alts in per_pos]
        for i in range(len(text)):
            for j in range(i + 1, len(text)):
                for ci, ti in strong[i].items():
                    for cj, tj in strong[j].items():
                        v = text[:i] + ci + text[i + 1:j] + cj + text[j + 1:]
                        tier = max(ti, tj)
                        if v not in out or tier < out[v]:
                            out[v] = tier
    out.pop(text, None)
    return out


# ============================================================================== text helpers
_SENTENCE_END = frozenset("。！？!?；;\n\r")
_HISTORICAL = re.compile(
    r"时任|原任|曾任|前任|历任|卸任|离任|当时|彼时|时为|生前|逝世|去世|病逝|追悼|悼念|缅怀|遗体|"
    r"纪念|回顾|回忆|诞辰|已故|生平|任内|任期内|当年|那年|届时|旧闻|资料图|曾经|曾到|曾在|曾于|曾来|"
    r"早在|多年前|年前|此前|以前|过去|昔日|往年"
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年|[-./]\d)")
_GENERIC_TITLE = re.compile(r"总书记|书记|主席|总理|委员长|同志|主任|常委|委员|部长|省长|市长|领导")
_LIST_GAP = re.compile(r"(?:同志)?[ \t\u3000\xa0]*(?:[、，,]|以及|和|及|与)?[ \t\u3000\xa0]*")
_QUOTES = "“”‘’\"'「」『』"
# Characters after which a short (bare) title may start: not part of a longer local title.
_PRE_TITLE_OK = frozenset("的了和与及同是为由向对将请在即被并且或原前任见席称说示贺电谢望问信函等、，,：:“”‘’\"'（）()《》【】[] \t\u3000\xa0\n")
_CONTEXT = 8  # characters either side searched for a title (name-variant context)


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _sentence_bounds(text: str, start: int, end: int, before: int = 80, after: int = 80) -> tuple[int, int]:
    """The sentence around [start, end), capped at ``before``/``after`` characters."""
    lo = max(0, start - before)
    s = start
    while s > lo and text[s - 1] not in _SENTENCE_END:
        s -= 1
    hi = min(len(text), end + after)
    e = end
    while e < hi and text[e] not in _SENTENCE_END:
        e += 1
    return s, e


def _fmt(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ============================================================================== the checker
# Automaton payload tags.
_K_NAME, _K_NVAR, _K_FCANON, _K_FWRONG, _K_FVAR, _K_RULE, _K_EVENT = range(7)


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    ref: object  # person name / formulation / rule / event
    extra: object = None


class PoliticalChecker:
    """Finds serious-expression-error candidates in text, judged as of a page date.

    Build once (a second or two: variant generation and jieba's dictionary) and reuse:
    :func:`default_checker` caches one over the package data. ``check`` is one Aho–Corasick pass
    plus small local looks around each hit.
    """

    def __init__(self, leaders: LeaderKB | None = None, formulations: FormulationKB | None = None) -> None:
        self.leaders = leaders if leaders is not None else load_leaders()
        self.formulations = formulations if formulations is not None else load_formulations()
        self._build()

    # ------------------------------------------------------------------ build
    def _build(self) -> None:
        kb = self.leaders
        # title string -> office ids
        self._title_offices: dict[str, set[str]] = {}
        for o in kb.offices.values():
            for t in o.titles:
                self._title_offices.setdefault(t, set()).add(o.id)
        self._title_lengths = sorted({len(t) for t in self._title_offices}, reverse=True)
        # person -> regex of every title of every office he ever held (name-variant context)
        self._person_titles: dict[str, re.Pattern[str]] = {}
        for p in kb.people.values():
            words: set[str] = set()
            for t in p.tenures:
                words.update(kb.offices[t.office].titles)  # specific titles only, not 主席/书记
            words.discard("")
            if words:
                self._person_titles[p.name] = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))

        freq = word_frequencies()
        self._freq = freq
        names = set(kb.people)
        canon = [f.canonical for f in self.formulations.formulations]
        protected = list(names) + canon

        def excluded(v: str) -> bool:
            if v in freq or v in names:
                return True
            if any(v in c for c in protected):
                return True
            return any(n in v for n in names)

        table: dict[str, list[tuple[int, object, object]]] = {}

        def add(key: str, tag: int, ref: object, extra: object = None) -> None:
            table.setdefault(key, []).append((tag, ref, extra))

        for name, person in kb.people.items():
            add(name, _K_NAME, name)
            for v, tier in confusable_variants(name, readings=person.pinyin or None).items():
                if not excluded(v):
                    add(v, _K_NVAR, name, tier)
        for f in self.formulations.formulations:
            add(f.canonical, _K_FCANON, f)
            for text, verified in f.wrong:
                add(text, _K_FWRONG, f, verified)
            if f.near_miss:
                wrong_texts = {w for w, _ in f.wrong}
                for v, tier in confusable_variants(f.canonical, sound=False, fuzzy=False, double=False).items():
                    if v not in wrong_texts and not excluded(v):
                        add(v, _K_FVAR, f, tier)
        for rule in self.formulations.rules:
            add(rule.trigger, _K_RULE, rule)
        for ev in self.formulations.events:
            add(ev.name, _K_EVENT, ev)

        self._keys = list(table)
        self._payload = [tuple(table[k]) for k in self._keys]
        self._automaton = (
            ahocorasick_rs.AhoCorasick(self._keys, matchkind=ahocorasick_rs.MatchKind.Standard) if self._keys else None
        )
        self.key_count = len(table)

    # ------------------------------------------------------------------ public
    def check(self, text: str, as_of: date | None = None) -> list[Candidate]:
        """Candidates in ``text`` judged as of ``as_of`` (the page date; today if unknown)."""
        if as_of is None:
            from xuncha.settings import TZ

            as_of = datetime.now(TZ).date()
        elif isinstance(as_of, datetime):
            as_of = as_of.date()
        if not text or self._automaton is None:
            return []
        hits: dict[int, list[_Hit]] = {k: [] for k in range(7)}
        payload = self._payload
        for idx, start, end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            for tag, ref, extra in payload[idx]:
                hits[tag].append(_Hit(start, end, ref, extra))
        if not any(hits.values()):
            return []

        out: list[Candidate] = []
        names = self._resolve_names(hits[_K_NAME])
        stale = self.leaders.known_through is not None and as_of > self.leaders.known_through
        for i, h in enumerate(names):
            prev_end = names[i - 1].end if i else -1
            out.extend(self._check_offices(text, h, as_of, prev_end, stale))
        out.extend(self._check_order(text, names, as_of, stale))
        out.extend(self._check_name_variants(text, hits[_K_NVAR], names))
        canon_spans = [(h.start, h.end) for h in hits[_K_FCANON]]
        out.extend(self._check_formulation_variants(text, hits[_K_FWRONG], hits[_K_FVAR], canon_spans))
        out.extend(self._check_lists(text, hits[_K_FCANON], as_of))
        out.extend(self._check_rules(text, hits[_K_RULE]))
        out.extend(self._check_events(text, hits[_K_EVENT], as_of))
        return _dedupe(out)

    # ------------------------------------------------------------------ names and offices
    @staticmethod
    def _resolve_names(hits: list[_Hit]) -> list[_Hit]:
        """Correct-name hits, longest first where they overlap, in text order."""
        hits = sorted(hits, key=lambda h: (h.start, -(h.end - h.start)))
        out: list[_Hit] = []
        for h in hits:
            if out and h.start < out[-1].end:
                continue
            out.append(h)
        return out

    def _title_ending_at(self, text: str, pos: int) -> str | None:
        for n in self._title_lengths:
            if n <= pos and text[pos - n:pos] in self._title_offices:
                return text[pos - n:pos]
        return None

    def _title_starting_at(self, text: str, pos: int) -> str | None:
        for n in self._title_lengths:
            s = text[pos:pos + n]
            if len(s) == n and s in self._title_offices:
                return s
        return None

    def _titles_before(self, text: str, name_start: int, prev_end: int) -> list[tuple[int, int, str]]:
        """The chain of titles right before a name: 中共中央总书记、国家主席、中央军委主席习近平."""
        chain: list[tuple[int, int, str]] = []
        pos = name_start
        while True:
            t = self._title_ending_at(text, pos)
            if not t:
                break
            ts = pos - len(t)
            if ts <= prev_end:  # the title belongs to the previous name (习近平总书记李强 …)
                break
            chain.append((ts, pos, t))
            if ts > 0 and text[ts - 1] == "、":
                pos = ts - 1
                continue
            break
        if chain:
            ts, _, t = chain[-1]
            if len(t) <= 3 and ts > 0 and _is_cjk(text[ts - 1]) and text[ts - 1] not in _PRE_TITLE_OK:
                chain.pop()  # a bare title that is the tail of some longer local title (副委员长 …)
        chain.reverse()
        return chain

    def _judge(self, person: Leader, title: str, as_of: date) -> tuple[str, Tenure | None, Office]:
        """ok / outdated / premature / wrong for one title of one person on as_of."""
        office_ids = self._title_offices[title]
        office = self.leaders.offices[sorted(office_ids)[0]]
        tenures = [t for t in person.tenures if t.office in office_ids]
        for t in tenures:
            if t.active(as_of):
                return "ok", t, self.leaders.offices[t.office]
        ended = [t for t in tenures if t.end is not None and t.end <= as_of]
        if ended:
            t = max(ended, key=lambda x: x.end or date.min)
            return "outdated", t, self.leaders.offices[t.office]
        future = [t for t in tenures if t.start > as_of]
        if future:
            t = min(future, key=lambda x: x.start)
            return "premature", t, self.leaders.offices[t.office]
        return "wrong", None, office

    def _current_titles(self, person: Leader, as_of: date) -> list[Office]:
        offices = [self.leaders.offices[t.office] for t in person.tenures if t.active(as_of)]
        primary = [o for o in offices if o.primary]
        return primary or offices

    def _suggest_without_office(
        self, person: Leader, bad: tuple[str, str, Tenure | None, Office], as_of: date
    ) -> str:
        """Suggestion when the person holds no known office on as_of.

        Outdated: say it is the past (时任国务院总理李克强). Wrong or premature: the office had
        its own holder then, so either the name or the title is wrong: name the holder
        (国务院总理李克强 for 国务院总理李强 on a 2022 page), else the person's last office.
        """
        title, status, tenure, office = bad
        if status == "outdated":
            return f"时任{office.name}{person.name}"
        holders = self.leaders.holders(office.id, as_of)
        if holders:
            return f"{office.name}{'、'.join(holders)}"
        last = [t for t in person.tenures if t.end is not None and t.end <= as_of]
        if last:
            t = max(last, key=lambda x: x.end or date.min)
            return f"时任{self.leaders.offices[t.office].name}{person.name}"
        return person.name

    def _historical(self, text: str, start: int, end: int, tenure: Tenure) -> bool:
        """The sentence speaks of the past: 时任/原/生前 …, or a year within the tenure."""
        if start > 0 and text[start - 1] in "原前":
            return True
        s, e = _sentence_bounds(text, start, end, 60, 40)
        window = text[s:e]
        if _HISTORICAL.search(window):
            return True
        end_year = tenure.end.year if tenure.end else 9999
        return any(int(m.group(1)) <= end_year for m in _YEAR.finditer(window))

    def _check_time_ren(
        self, text: str, person: Leader, start: int, end: int, titles: list[str], stale: bool
    ) -> list[Candidate] | None:
        """"2019年，时任国务院总理李强": a 时任 title is judged in the year the sentence names.

        None when the sentence names no year before 时任 (the ordinary as-of judgement applies).
        """
        if text[max(0, start - 2):start] != "时任":
            return None
        s, _ = _sentence_bounds(text, start, end, 60, 0)
        years = [int(m.group(1)) for m in _YEAR.finditer(text, s, start)]
        if not years:
            return None
        y = years[-1]
        y0, y1 = date(y, 1, 1), date(y, 12, 31)
        bad: list[tuple[str, Office]] = []
        for t in titles:
            ids = self._title_offices[t]
            if not any(x.office in ids and x.start <= y1 and (x.end is None or x.end > y0) for x in person.tenures):
                bad.append((t, self.leaders.offices[sorted(ids)[0]]))
        if not bad:
            return []
        office = bad[0][1]
        then = [p.name for p in self.leaders.people.values() if p.name != person.name and any(
            x.office == office.id and x.start <= y1 and (x.end is None or x.end > y0) for x in p.tenures)]
        if len(then) == 1:
            suggestion = f"{office.name}{then[0]}"
        elif then:
            suggestion = f"核实：{y}年{office.name}为{'、'.join(then)}"
        else:
            suggestion = person.name
        explanation = "；".join(f"{y}年时{person.name}未任{o.name}" for _, o in bad)
        if then:
            explanation += f"（{y}年{office.name}：{'、'.join(then)}）"
        return [Candidate("wrong_office", text[start:end], suggestion, start, end, explanation, not stale)]

    def _check_offices(self, text: str, h: _Hit, as_of: date, prev_end: int, stale: bool) -> list[Candidate]:
        person = self.leaders.people[h.ref]
        out: list[Candidate] = []
        chain = self._titles_before(text, h.start, prev_end)
        after = self._title_starting_at(text, h.end)
        groups: list[tuple[str, int, int, list[str]]] = []
        if chain:
            groups.append(("before", chain[0][0], h.end, [t for _, _, t in chain]))
        if after:
            groups.append(("after", h.start, h.end + len(after), [after]))
        for form, start, end, titles in groups:
            if form == "before":
                dated = self._check_time_ren(text, person, start, end, titles, stale)
                if dated is not None:
                    out.extend(dated)
                    continue
            verdicts = [(t, *self._judge(person, t, as_of)) for t in titles]
            bad = [v for v in verdicts if v[1] != "ok"]
            if not bad:
                continue
            worst = {"wrong": 0, "premature": 1, "outdated": 2}
            bad.sort(key=lambda v: worst[v[1]])
            status = bad[0][1]
            if status == "outdated" and all(
                v[1] == "outdated" and v[2] is not None and self._historical(text, start, end, v[2]) for v in bad
            ):
                continue
            found = text[start:end]
            current = self._current_titles(person, as_of)
            if current:
                if form == "before":
                    suggestion = "、".join(o.name for o in current) + person.name
                else:
                    suggestion = person.name + (current[0].short or "同志")
            else:
                suggestion = self._suggest_without_office(person, bad[0], as_of)
            parts = []
            for _title, st, tenure, office in bad:
                if st == "wrong":
                    parts.append(f"{person.name}未担任过{office.name}")
                elif st == "premature" and tenure is not None:
                    parts.append(f"{person.name}于{_fmt(tenure.start)}起任{office.name}，页面日期{_fmt(as_of)}时尚未任职")
                elif tenure is not None and tenure.end is not None:
                    now = [n for n in self.leaders.holders(office.id, as_of) if n != person.name]
                    parts.append(f"{person.name}已于{_fmt(tenure.end)}卸任{office.name}" + (f"（现任：{'、'.join(now)}）" if now else ""))
            if current:
                parts.append("现任" + "、".join(o.name for o in current))
            verified = not stale and all(
                (tenure is None or tenure.sure_on(as_of)) and office.verified for _, _, tenure, office in bad
            ) and all(t.sure_on(as_of) for t in person.tenures if t.active(as_of))
            kind = "outdated_title" if status == "outdated" else "wrong_office"
            out.append(Candidate(kind, found, suggestion, start, end, "；".join(parts), verified))
        return out

    def _check_order(self, text: str, names: list[_Hit], as_of: date, stale: bool) -> list[Candidate]:
        if len(names) < 3 or not self.leaders.rosters:
            return []
        groups: list[list[_Hit]] = []
        cur: list[_Hit] = [names[0]]
        for prev, h in zip(names, names[1:], strict=False):
            gap = text[prev.end:h.start]
            if 0 < len(gap) <= 6 and _LIST_GAP.fullmatch(gap):
                cur.append(h)
            else:
                groups.append(cur)
                cur = [h]
        groups.append(cur)
        out: list[Candidate] = []
        for g in groups:
            if len(g) < 3:
                continue
            listed = [h.ref for h in g]
            best: tuple[int, int, int, Roster] | None = None
            for i, r in enumerate(self.leaders.rosters):
                n = sum(1 for x in listed if x in r.members)
                key = (n, 1 if r.active(as_of) else 0, -i)
                if best is None or key > best[:3]:
                    best = (*key, r)
            if best is None or best[0] < 3:
                continue
            roster = best[3]
            seq = [x for x in listed if x in roster.members]
            want = sorted(seq, key=roster.members.index)
            if seq == want:
                continue
            start, end = g[0].start, g[-1].end
            out.append(Candidate(
                "wrong_order", text[start:end], "、".join(want), start, end,
                f"排序与{roster.name}的排名不一致，应为：{'、'.join(want)}",
                roster.verified and not stale,
            ))
        return out

    def _crosses_word(self, text: str, start: int, end: int, min_freq: int = 30) -> bool:
        """An ordinary word straddles the match boundary (能力强 around 力强): the match is an
        accident of segmentation, not a misspelt name."""
        freq = self._freq
        n = end - start
        for i in range(1, n):
            for k in range(1, 4):
                if start - k >= 0 and freq.get(text[start - k:start + i], 0) >= min_freq:
                    return True
                if end + k <= len(text) and freq.get(text[start + i:end + k], 0) >= min_freq:
                    return True
        return False

    def _check_name_variants(self, text: str, hits: list[_Hit], names: list[_Hit]) -> list[Candidate]:
        out: list[Candidate] = []
        starts = [h.start for h in names]  # names: sorted, non-overlapping

        def overlaps(a: int, b: int) -> bool:
            i = bisect.bisect_left(starts, b) - 1
            return i >= 0 and names[i].end > a

        def name_within(a: int, b: int) -> bool:
            j = bisect.bisect_left(starts, a)
            return j < len(names) and names[j].end <= b

        for h in hits:
            name, tier = h.ref, h.extra
            if overlaps(h.start, h.end):
                continue
            lo, hi = max(0, h.start - _CONTEXT), min(len(text), h.end + _CONTEXT)
            window = text[lo:h.start] + "\x00" + text[h.end:hi]
            pat = self._person_titles.get(name)
            strong = bool(pat and pat.search(window))
            listed = name_within(lo, hi)
            close = tier <= TIER_SHAPE and (
                text.startswith("同志", h.end) or (len(name) >= 3 and bool(_GENERIC_TITLE.search(window)))
            )
            if not (strong or listed or close):
                continue
            # A title right against the variant (赵乐纪委员长) settles the segmentation, even
            # where an ordinary word straddles the boundary (纪委).
            title_before = self._title_ending_at(text, h.start)
            adjacent = text.startswith("同志", h.end) or (pat is not None and (
                pat.match(text, h.end) is not None
                or (title_before is not None and pat.fullmatch(title_before) is not None)
            ))
            if not adjacent and self._crosses_word(text, h.start, h.end):
                continue
            found = text[h.start:h.end]
            out.append(Candidate(
                "name_variant", found, name, h.start, h.end,
                f"领导人姓名错误（{_TIER_WORDS[tier]}）：“{found}”应为“{name}”", True,
            ))
        return out

    # ------------------------------------------------------------------ formulations
    def _check_formulation_variants(
        self, text: str, wrong: list[_Hit], near: list[_Hit], canon_spans: list[tuple[int, int]]
    ) -> list[Candidate]:
        out: list[Candidate] = []
        for h in wrong:
            f: Formulation = h.ref
            found = text[h.start:h.end]
            out.append(Candidate(
                "formulation", found, f.canonical, h.start, h.end,
                f"重要表述错误：“{found}”应为“{f.canonical}”", bool(h.extra),
            ))
        canon_spans = sorted(canon_spans)
        canon_starts = [a for a, _ in canon_spans]
        longest = max((b - a for a, b in canon_spans), default=0)
        for h in near:
            f = h.ref
            i = bisect.bisect_left(canon_starts, h.start - longest)
            j = bisect.bisect_right(canon_starts, h.start)
            if any(canon_spans[k][1] >= h.end for k in range(i, j)):
                continue
            if self._crosses_word(text, h.start, h.end, min_freq=100):
                continue
            found = text[h.start:h.end]
            out.append(Candidate(
                "formulation", found, f.canonical, h.start, h.end,
                f"重要表述错误（{_TIER_WORDS[h.extra]}）：“{found}”应为“{f.canonical}”", f.verified,
            ))
        return out

    def _check_lists(self, text: str, anchors: list[_Hit], as_of: date) -> list[Candidate]:
        out: list[Candidate] = []
        seen: set[tuple[str, int]] = set()
        for h in anchors:
            f: Formulation = h.ref
            if not f.members or not f.affix:
                continue
            s, e = _sentence_bounds(text, h.start, h.end, 120, 160)
            if (f.id, s) in seen:
                continue
            seen.add((f.id, s))
            out.extend(self._check_list_sentence(text, s, e, f, as_of))
        return out

    def _check_list_sentence(self, text: str, s: int, e: int, f: Formulation, as_of: date) -> list[Candidate]:
        sentence = text[s:e].replace(f.canonical, "\x00" * len(f.canonical))
        members = [m.text for m in f.members]
        out: list[Candidate] = []
        for clause in re.finditer(r"[^，,：:（）()\[\]【】\x00]+", sentence):
            segs: list[tuple[int, str]] = []
            for seg in re.finditer(r"[^、]+", clause.group()):
                base = s + clause.start() + seg.start()
                parts = re.split(r"(以及|和|及|与)", seg.group())
                if len(parts) > 1 and sum(1 for p in parts[::2] if f.affix in p) >= 2:
                    off = 0
                    for j, p in enumerate(parts):
                        if j % 2 == 0:
                            segs.append((base + off, p))
                        off += len(p)
                else:
                    segs.append((base, seg.group()))
            # maximal runs of consecutive segments carrying the affix
            run: list[tuple[int, str]] = []
            for item in [*segs, (-1, "")]:
                if item[0] >= 0 and f.affix in item[1]:
                    run.append(item)
                    continue
                if len(run) >= 2:
                    out.extend(self._judge_list(text, run, f, members, as_of))
                run = []
        return out

    def _judge_list(
        self, text: str, run: list[tuple[int, str]], f: Formulation, members: list[str], as_of: date
    ) -> list[Candidate]:
        present: list[str] = []
        unknown: list[tuple[int, str]] = []
        for off, seg in run:
            clean = seg.strip(_QUOTES + " \u3000")
            hit = next((m for m in members if m in clean), None)
            if hit:
                present.append(hit)
                continue
            idx = seg.find(f.affix)
            if f.affix_mode == "prefix":
                item = re.sub(r"(?:的)?(?:战略布局|战略|布局|等|的)$", "", seg[idx:])[:14]
                ioff = off + idx
            else:
                i0 = max(0, idx - 2)
                item = seg[i0:idx + len(f.affix)]
                ioff = off + i0
            item_clean = item.strip(_QUOTES + " \u3000")
            if item_clean:
                unknown.append((ioff + item.find(item_clean), item_clean))
        if len(set(present)) < 2:
            return []
        out: list[Candidate] = []
        current = [m.text for m in f.members if (m.until is None or as_of < m.until) and (m.since is None or as_of >= m.since)]
        missing = [m for m in current if m not in present]
        canonical_list = "、".join(current)
        for ioff, item in unknown:
            suggestion = missing[0] if len(missing) == 1 else canonical_list
            out.append(Candidate(
                "formulation", item, suggestion, ioff, ioff + len(item),
                f"“{f.canonical}”为{canonical_list}，“{item}”不属于其中", f.verified,
            ))
        for m in f.members:
            if m.until is not None and as_of >= m.until and m.text in present:
                for off, seg in run:
                    idx = seg.find(m.text)
                    if idx >= 0:
                        repl = next((x.text for x in f.members if x.since is not None and x.since == m.until), canonical_list)
                        out.append(Candidate(
                            "formulation", m.text, repl, off + idx, off + idx + len(m.text),
                            f"自{_fmt(m.until)}起“{f.canonical}”中的“{m.text}”已调整为“{repl}”", f.verified,
                        ))
                        break
        return out

    def _check_rules(self, text: str, hits: list[_Hit]) -> list[Candidate]:
        out: list[Candidate] = []
        for h in hits:
            rule: PatternRule = h.ref
            lo, hi = max(0, h.start - 16), min(len(text), h.end + 16)
            for m in rule.pattern.finditer(text, lo, hi):
                if not (m.start() <= h.start and h.end <= m.end()):
                    continue
                groups = {k: v or "" for k, v in m.groupdict().items()}
                out.append(Candidate(
                    "formulation", m.group(), rule.suggestion.format(**groups), m.start(), m.end(),
                    rule.explanation.format(**groups), rule.verified,
                ))
        return out

    def _check_events(self, text: str, hits: list[_Hit], as_of: date) -> list[Candidate]:
        out: list[Candidate] = []
        for h in hits:
            ev: Event = h.ref
            if as_of >= ev.start - timedelta(days=ev.grace_days):
                continue
            held = [x for x in self.formulations.events if x.start <= as_of]
            latest = max(held, key=lambda x: x.start).name if held else ""
            out.append(Candidate(
                "formulation", text[h.start:h.end], latest or "核实会议届次", h.start, h.end,
                f"{ev.name}于{_fmt(ev.start)}召开，页面日期{_fmt(as_of)}时尚未召开"
                + (f"（此前最近一次为{latest}）" if latest else ""),
                ev.verified,
            ))
        return out


def _dedupe(cands: Iterable[Candidate]) -> list[Candidate]:
    """Drop exact duplicates, and name/formulation candidates inside (or equal to) an earlier
    name/formulation candidate: 习近乎 inside 习近乎新时代中国特色社会主义思想 is one error."""
    ordered = sorted(cands, key=lambda c: (c.start, -(c.end - c.start)))
    out: list[Candidate] = []
    seen: set[tuple[int, int, str]] = set()
    soft = ("name_variant", "formulation")
    soft_end = -1  # farthest end of the soft candidates kept so far (all start <= this one)
    for c in ordered:
        if (c.start, c.end, c.kind) in seen:
            continue
        if c.kind in soft:
            if c.end <= soft_end:
                continue
            soft_end = c.end
        seen.add((c.start, c.end, c.kind))
        out.append(c)
    return out


@functools.lru_cache(maxsize=1)
def default_checker() -> PoliticalChecker:
    """One checker over the package data, built on first use and shared."""
    return PoliticalChecker()


__all__ = [
    "CANDIDATE_KINDS",
    "Candidate",
    "Event",
    "Formulation",
    "FormulationKB",
    "Leader",
    "LeaderKB",
    "Member",
    "Office",
    "PatternRule",
    "PoliticalChecker",
    "Roster",
    "Tenure",
    "char_confusables",
    "confusable_variants",
    "default_checker",
    "load_formulations",
    "load_leaders",
    "load_shape_table",
    "word_frequencies",
]
