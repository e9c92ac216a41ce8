"""Registry management (名录管理, issue 7): the registry kept in the store, and the rules of every
change to it: import, edit, lifecycle changes (开设/变更/临时关停/恢复运行/关停/注销) with the
day each took effect, and export in the import format.

Lifecycle of an entry (``Target.status``)::

    (new) ──开设──► running / building
    building ──开设──► running            closed ──开设（重新开设）──► running
    running ──临时关停──► suspended ──恢复运行──► running
    running / building / suspended ──关停──► closed
    running / building / suspended / closed ──注销──► cancelled   (final: nothing after it)

An import upserts by id, and leaves the fields the file has no column for (状态, 地区, extra
columns, …) as they are: a new id is 开设 (``opened_on`` = ``on``, or the file's 开设日期), changed
fields give one 变更 event with the fields before and after, and a status changed in the file
gives the matching lifecycle event (dated by the file's 关停日期/注销日期/开设日期 when given and
new, else ``on``). Ids absent from the file are left alone: files from units are often partial.
A file's problems (and refused transitions) name file, row and column like ``load_registry``;
without ``skip_bad_rows`` nothing is written when any row is bad.

The export is ``write_registry``'s import format plus the columns 标记 (flags other than
无办事服务功能), 开设日期, 关停日期, 注销日期 and every extra column the entries carry, so an
export imported again changes nothing.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from xuncha.errors import RegistryError, RegistryIssue
from xuncha.model import TARGET_KINDS, Target
from xuncha.registry.reader import (
    KIND_ALIASES,
    KIND_LABELS,
    STATUS_ALIASES,
    STATUS_LABELS,
    YES,
    field_of_header,
    load_registry,
    norm_header,
    normalize_url,
    write_registry,
)
from xuncha.settings import TZ
from xuncha.store.registry_api import REGISTRY_SOURCE, STALE, RegistryConflict, RegistryEntry, RegistryWrite

LIFECYCLE_ACTIONS = {"open": "开设", "change": "变更", "suspend": "临时关停", "resume": "恢复运行",
                     "close": "关停", "cancel": "注销"}
ACTION_ALIASES: dict[str, str] = {
    **{k: k for k in LIFECYCLE_ACTIONS}, **{v: k for k, v in LIFECYCLE_ACTIONS.items()},
    "重新开设": "open", "开通": "open", "上线": "open", "暂停": "suspend", "暂停运行": "suspend",
    "恢复": "resume", "关闭": "close", "下线": "close",
}
# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "open": (frozenset({"building", "closed"}), "running"),
    "suspend": (frozenset({"running"}), "suspended"),
    "resume": (frozenset({"suspended"}), "running"),
    "close": (frozenset({"running", "building", "suspended"}), "closed"),
    "cancel": (frozenset({"running", "building", "suspended", "closed"}), "cancelled"),
}
DATE_FIELDS = {"open": "opened_on", "close": "closed_on", "cancel": "cancelled_on"}
DATE_COLUMNS = {"opened_on": "开设日期", "closed_on": "关停日期", "cancelled_on": "注销日期"}
_DATE_ALIASES = {
    "opened_on": ("opened_on", "开设日期", "开通日期", "上线日期"),
    "closed_on": ("closed_on", "关停日期", "关闭日期", "下线日期"),
    "cancelled_on": ("cancelled_on", "注销日期"),
}
_DATE_OF_HEADER = {norm_header(a): f for f, aliases in _DATE_ALIASES.items() for a in aliases}
FLAGS_COLUMN = "标记"
FIELD_LABELS = {"id": "网站标识码", "kind": "类型", "name": "名称", "url": "网址", "owner": "主管单位",
                "region": "地区", "category": "类别", "status": "状态", "flags": "标记",
                "no_service_function": "无办事服务功能", "extra": "其他列", **DATE_COLUMNS}
EDITABLE = ("name", "kind", "url", "owner", "region", "category", "no_service_function", "flags")
_COMPARED = ("kind", "name", "url", "owner", "region", "category")
_NO = {"否", "no", "n", "false", "0", "无", ""}
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00)?)?\s*$")
OUT_OF_SCOPE = "该对象不在您可管理的地区范围内"
# A text cell starting with one of these is a formula (or DDE payload) to a spreadsheet; the
# export guards it with a leading ' (CSV) or writes it as a string cell (XLSX).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class LifecycleError(RegistryError):
    """A change the entry's state does not allow (after 注销, 恢复运行 of a running site, a
    duplicate 开设, a date before the 开设 date). ``column`` names the column of an import row."""

    def __init__(self, message: str, column: str = "状态") -> None:
        super().__init__(message)
        self.column = column


class _RowError(RegistryError):
    def __init__(self, message: str, column: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass
class ImportSummary:
    """What an import did. ``absent``: ids in the store (in scope) that the file does not list;
    they were left as they are."""

    added: list[str]
    changed: list[str]
    unchanged: int
    issues: list[RegistryIssue]
    absent: list[str] = field(default_factory=list)
    path: str = ""

    def text(self) -> str:
        parts = [f"新增 {len(self.added)} 个，变更 {len(self.changed)} 个，未变 {self.unchanged} 个"]
        if self.issues:
            parts.append(f"跳过有问题的 {len(self.issues)} 处")
        line = "，".join(parts) + "。"
        if self.absent:
            line += f"\n名录中另有 {len(self.absent)} 个对象不在本文件中，保持原样（导入不会删除；需要时请逐个关停或注销）。"
        return line


# --------------------------------------------------------------------------- small helpers
def guard_cell(value: str) -> str:
    """A text cell as written to CSV: ``'`` in front when a spreadsheet would take it for a
    formula (``=HYPERLINK(…)``, ``+…``, ``-…``, ``@…``, a leading tab or CR)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def unguard_cell(value: str) -> str:
    """The inverse of :func:`guard_cell` on import: drop a ``'`` only when a formula character
    follows it (any other leading ``'`` is the text's own)."""
    return value[1:] if value[:1] == "'" and value[1:2] and value[1:2] in FORMULA_START else value


def _unguard_target(t: Target) -> Target:
    return replace(t, id=unguard_cell(t.id), name=unguard_cell(t.name), owner=unguard_cell(t.owner),
                   region=unguard_cell(t.region), category=unguard_cell(t.category),
                   flags=frozenset(unguard_cell(f) for f in t.flags),
                   extra={unguard_cell(k): unguard_cell(v) if isinstance(v, str) else v for k, v in t.extra.items()})


def today() -> date:
    return datetime.now(TZ).date()


def parse_action(raw: str) -> str:
    """'关停' / 'close' / … → the action key; RegistryError otherwise."""
    key = ACTION_ALIASES.get(str(raw or "").strip().lower()) or ACTION_ALIASES.get(str(raw or "").strip())
    if key is None:
        raise RegistryError(f"操作「{raw}」无效，应为 {'、'.join(v for k, v in LIFECYCLE_ACTIONS.items() if k != 'change')}")
    return key


def parse_status(raw: str) -> str:
    """'关停' / 'closed' / '运行' / … → the status key; RegistryError otherwise."""
    text = str(raw or "").strip()
    status = STATUS_ALIASES.get(text.lower()) or STATUS_ALIASES.get(text)
    if status is None:
        raise RegistryError(f"状态「{raw}」无效，应为 {'、'.join(STATUS_LABELS.values())}")
    return status


def parse_date(raw: object, what: str = "日期") -> date:
    """A date cell or text (2025-03-20, 2025/3/20, 2025年3月20日) → date; RegistryError otherwise."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    m = _DATE.match(str(raw or ""))
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    raise RegistryError(f"{what}「{raw}」无法识别，应为 2025-03-20 这样的日期")


def allowed_actions(status: str) -> list[str]:
    """The lifecycle actions an entry in ``status`` may take, in LIFECYCLE_ACTIONS order."""
    return [a for a, (src, _) in TRANSITIONS.items() if status in src]


def action_for(old: str, new: str) -> str | None:
    """The lifecycle action leading from status ``old`` to ``new`` (None: not allowed)."""
    return next((a for a, (src, dst) in TRANSITIONS.items() if old in src and dst == new), None)


def in_region(target: Target, region: str) -> bool:
    """Whether ``target`` lies in ``region`` (a prefix of whole path components, "" = all)."""
    from xuncha.scoring.aggregate import REGION_SEP, region_path

    want = tuple(p for p in REGION_SEP.split(region.strip()) if p)
    return region_path(target)[: len(want)] == want


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def target_fields(t: Target) -> dict[str, Any]:
    """The stored fields of a target as JSON (event before/after, audit log)."""
    return {"kind": t.kind, "name": t.name, "url": t.url, "owner": t.owner, "region": t.region,
            "category": t.category, "status": t.status, "flags": sorted(t.flags), "extra": dict(t.extra)}


def entry_fields(e: RegistryEntry) -> dict[str, Any]:
    """An entry as JSON: the target's fields and its lifecycle dates."""
    return {"id": e.target.id, **target_fields(e.target), "opened_on": _iso(e.opened_on),
            "closed_on": _iso(e.closed_on), "cancelled_on": _iso(e.cancelled_on)}


def _name(t: Target) -> str:
    return f"「{t.name}」（{t.id}）" if t.name else f"「{t.id}」"


def _canonical(t: Target) -> Target:
    return replace(t, status_raw=STATUS_LABELS.get(t.status, t.status), source=REGISTRY_SOURCE)


def describe(before: dict[str, Any], after: dict[str, Any]) -> str:
    """An event's change in words: '名称：甲 → 乙；状态：运行 → 关停' (开设: name and status)."""

    def show(k: str, v: Any) -> str:
        if v in (None, "", [], {}):
            return "（空）"
        if k == "status":
            return STATUS_LABELS.get(v, v)
        if k == "kind":
            return KIND_LABELS.get(v, v)
        if isinstance(v, list):
            return ",".join(FIELD_LABELS["no_service_function"] if x == "no_service_function" else str(x) for x in v)
        if isinstance(v, dict):
            return "；".join(f"{a}={b}" for a, b in v.items())
        return str(v)

    if not before:
        return f"{after.get('name', '')}（{show('status', after.get('status'))}）"
    return "；".join(f"{FIELD_LABELS.get(k, k)}：{show(k, before.get(k))} → {show(k, after.get(k))}"
                    for k in dict.fromkeys([*before, *after]))


# --------------------------------------------------------------------------- a change being built
@dataclass
class _Draft:
    target: Target
    opened_on: date | None = None
    closed_on: date | None = None
    cancelled_on: date | None = None
    expect: datetime | None = None
    events: list[tuple[str, date, str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)

    @classmethod
    def of(cls, e: RegistryEntry) -> _Draft:
        return cls(e.target, e.opened_on, e.closed_on, e.cancelled_on, expect=e.updated_at)

    def write(self) -> RegistryWrite:
        return RegistryWrite(_canonical(self.target), self.opened_on, self.closed_on, self.cancelled_on,
                             tuple(self.events), self.expect)

    def refuse(self, label: str) -> LifecycleError:
        t = self.target
        if t.status == "cancelled":
            when = f"已于 {self.cancelled_on} 注销" if self.cancelled_on else "已注销"
            return LifecycleError(f"{_name(t)}{when}，不能再{label}")
        can = "、".join(LIFECYCLE_ACTIONS[a] for a in allowed_actions(t.status))
        return LifecycleError(f"{_name(t)}当前状态为「{STATUS_LABELS.get(t.status, t.status)}」，不能{label}"
                              + (f"（可以：变更、{can}）" if can else ""))

    def lifecycle(self, action: str, on: date, note: str) -> None:
        src, dst = TRANSITIONS[action]
        label = LIFECYCLE_ACTIONS[action]
        if self.target.status not in src:
            raise self.refuse(label)
        bounds = [("开设", self.opened_on)]
        if action in ("open", "cancel"):
            bounds.append(("关停", self.closed_on))
        for what, bound in bounds:
            if bound is not None and on < bound:
                raise LifecycleError(f"{_name(self.target)}：{label}日期 {on} 早于{what}日期 {bound}")
        before: dict[str, Any] = {"status": self.target.status}
        after: dict[str, Any] = {"status": dst}
        if action in DATE_FIELDS:
            f = DATE_FIELDS[action]
            before[f], after[f] = _iso(getattr(self, f)), on.isoformat()
            setattr(self, f, on)
        if action == "open" and self.closed_on is not None:  # 重新开设: no longer closed
            before["closed_on"], after["closed_on"] = _iso(self.closed_on), None
            self.closed_on = None
        self.target = replace(self.target, status=dst)
        self.events.append((action, on, note, before, after))

    def change(self, new: Target, on: date, note: str,
               dates: dict[str, date] | None = None) -> bool:
        """Record the field changes to ``new`` (status excluded) and date corrections as one
        变更 event; False when nothing changes."""
        old = self.target
        before, after = _diff(old, new)
        for f, d in (dates or {}).items():
            if getattr(self, f) != d:
                before[f], after[f] = _iso(getattr(self, f)), d.isoformat()
        if not after and not before:
            return False
        if old.status == "cancelled":
            raise self.refuse("变更")
        for f, d in (dates or {}).items():
            setattr(self, f, d)
        self.target = replace(new, status=old.status)
        self.events.append(("change", on, note, before, after))
        return True


def _diff(old: Target, new: Target) -> tuple[dict[str, Any], dict[str, Any]]:
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for f in _COMPARED:
        if getattr(old, f) != getattr(new, f):
            before[f], after[f] = getattr(old, f), getattr(new, f)
    if set(old.flags) != set(new.flags):
        before["flags"], after["flags"] = sorted(old.flags), sorted(new.flags)
    if dict(old.extra) != dict(new.extra):
        keys = [k for k in {**old.extra, **new.extra} if old.extra.get(k) != new.extra.get(k)]
        before["extra"] = {k: old.extra[k] for k in keys if k in old.extra}
        after["extra"] = {k: new.extra[k] for k in keys if k in new.extra}
    return before, after


def _new(t: Target, on: date, note: str, dates: dict[str, date]) -> _Draft:
    """The draft of a new entry: 开设, then the lifecycle change its status needs."""
    status = t.status
    then = {"suspended": "suspend", "closed": "close", "cancelled": "cancel"}.get(status)
    then_on = on
    if then is not None:
        then_on = dates.get(DATE_FIELDS.get(then, "")) or on
    opened = dates.get("opened_on") or min(on, then_on)
    d = _Draft(replace(t, status="building" if status == "building" else "running"), opened_on=opened)
    d.events.append(("open", opened, note, {}, target_fields(d.target) | {"opened_on": opened.isoformat()}))
    if then:
        d.lifecycle(then, then_on, note)
    return d


def _check_target(t: Target) -> Target:
    """A target as it may be stored (url normalised), or RegistryError naming the field."""
    tid = t.id.strip()
    if not tid:
        raise _RowError("标识码为空", FIELD_LABELS["id"])
    if len(tid) > 128 or "/" in tid or "\\" in tid or any(ord(c) < 32 for c in tid):
        raise _RowError(f"标识码「{tid}」无效：不超过 128 个字符，且不能含「/」「\\」或控制字符", FIELD_LABELS["id"])
    if not t.name.strip():
        raise _RowError("名称为空", FIELD_LABELS["name"])
    if t.kind not in TARGET_KINDS:
        raise _RowError(f"无法识别的类型「{t.kind}」", FIELD_LABELS["kind"])
    if t.status not in STATUS_LABELS:
        raise _RowError(f"无法识别的状态「{t.status}」", FIELD_LABELS["status"])
    url = normalize_url(t.url) if t.url.strip() else ""
    if url is None or (t.kind == "website" and not url):
        raise _RowError(f"网址无效「{t.url}」" if t.url.strip() else "网站的网址不能为空", FIELD_LABELS["url"])
    return replace(t, id=tid, name=t.name.strip(), url=url)


# --------------------------------------------------------------------------- field edits
def _field_of(key: str, t: Target) -> str:
    f = field_of_header(key)
    if f is not None:
        return f
    if norm_header(key) in _DATE_OF_HEADER:
        raise RegistryError(f"「{key}」随 开设/关停/注销 操作记录，请用状态变更（change）登记日期")
    if key in t.extra:
        return "extra:" + key
    known = "、".join([FIELD_LABELS[f] for f in EDITABLE] + list(t.extra))
    raise RegistryError(f"无法识别的字段「{key}」，可修改：{known}")


def apply_changes(t: Target, changes: dict[str, str]) -> Target:
    """``t`` with ``changes`` applied ({名称: …, 网址: …} or {name: …, url: …}; extra columns by
    their header). Validated like an import row; RegistryError in Chinese otherwise."""
    kw: dict[str, Any] = {}
    flags = set(t.flags)
    extra = dict(t.extra)
    for key, raw in changes.items():
        value = re.sub(r"[\s\u3000]+", " ", str(raw if raw is not None else "")).strip()
        f = _field_of(key, t)
        if f == "id":
            if value != t.id:
                raise RegistryError("标识码不能修改：标识码变了，请注销原对象后开设新对象")
        elif f == "status":
            if value and parse_status(value) != t.status:
                raise RegistryError("状态请通过 开设/临时关停/恢复运行/关停/注销 变更，并登记日期")
        elif f == "kind":
            kind = KIND_ALIASES.get(value.lower()) or KIND_ALIASES.get(value)
            if kind is None:
                raise RegistryError(f"无法识别的类型「{value}」，应为 {'/'.join(KIND_LABELS.values())}")
            kw["kind"] = kind
        elif f == "no_service_function":
            if value.lower() in YES:
                flags.add("no_service_function")
            elif value.lower() in _NO:
                flags.discard("no_service_function")
            else:
                raise RegistryError(f"无办事服务功能「{value}」无效，应为 是 或 否")
        elif f == "flags":
            keep = {"no_service_function"} & flags
            flags = keep | {x for x in re.split(r"[,，;；\s]+", value) if x}
        elif f.startswith("extra:"):
            if value:
                extra[f[6:]] = value
            else:
                extra.pop(f[6:], None)
        else:
            kw[f] = value.strip("/") if f == "region" else value
    new = replace(t, flags=frozenset(flags), extra=extra, **kw)
    try:
        return _check_target(new)
    except _RowError as exc:
        raise RegistryError(str(exc)) from None


def target_from_fields(fields: dict[str, str]) -> Target:
    """A new target from form fields (id, kind, name, url, owner, region, category, status,
    no_service_function, flags; Chinese or English names), validated like an import row."""
    blank = Target(id="", kind="website", name="", url="")
    tid, status, rest = "", "running", {}
    for key, value in fields.items():
        f = _field_of(key, blank)
        if f == "id":
            tid = str(value or "").strip()
        elif f == "status":
            status = parse_status(value or "运行")
        else:
            rest[key] = value
    return apply_changes(replace(blank, id=tid, status=status), rest)


# --------------------------------------------------------------------------- import
def _row(t: Target) -> int | None:
    tail = t.source.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else None


def _take_dates(t: Target, path: str, row: int | None) -> tuple[Target, dict[str, date], list[RegistryIssue]]:
    """Move the 开设日期/关停日期/注销日期 columns out of ``extra``."""
    dates: dict[str, date] = {}
    issues: list[RegistryIssue] = []
    extra = {}
    for k, v in t.extra.items():
        f = _DATE_OF_HEADER.get(norm_header(k))
        if f is None:
            extra[k] = v
            continue
        try:
            dates[f] = parse_date(v, k)
        except RegistryError as exc:
            issues.append(RegistryIssue(path, row, k, str(exc)))
    return replace(t, extra=extra), dates, issues


def _merge(old: Target, new: Target, fields: set[str], extra_headers: set[str]) -> Target:
    """``new`` (a file's row) over ``old``, keeping what the file has no column for."""
    kept = {f: getattr(old, f) for f in ("kind", "owner", "region", "category", "status") if f not in fields}
    flags = set(new.flags)
    if "no_service_function" not in fields:
        flags = (flags - {"no_service_function"}) | ({"no_service_function"} & old.flags)
    if "flags" not in fields:
        flags = (flags & {"no_service_function"}) | (old.flags - {"no_service_function"})
    extra = {k: v for k, v in old.extra.items() if k not in extra_headers} | dict(new.extra)
    return replace(new, flags=frozenset(flags), extra=extra, **kept)


def _problems(issues: list[RegistryIssue], good: int) -> RegistryError:
    shown = "\n".join(f"  - {i}" for i in issues[:20])
    more = f"\n  ……另有 {len(issues) - 20} 处问题" if len(issues) > 20 else ""
    return RegistryError(
        f"名录文件有 {len(issues)} 处问题，未导入任何内容：\n{shown}{more}\n"
        f"可加 --skip-bad-rows 跳过有问题的行，只导入其余 {good} 行。",
        issues,
    )


def import_registry(store: Any, path: str | Path, *, by: str, on: date | None = None,
                    skip_bad_rows: bool = False, allow: Callable[[Target], bool] | None = None,
                    note: str = "", only: Collection[str] | None = None) -> ImportSummary:
    """Upsert the rows of a registry file (.xlsx/.csv, read by ``load_registry``) into the store.

    ``allow`` (the web console's scope) refuses rows whose target, before or after, it does not
    allow, without naming an entry outside it (``OUT_OF_SCOPE``). ``only``: import just the
    rows with these ids (the others are ignored, not counted). Raises RegistryError naming
    file/row/column when the file or a row is bad (unless ``skip_bad_rows``: then the good rows
    are imported and the problems listed in the summary).
    """
    p = Path(path)
    reg = load_registry(p, skip_bad_rows=True)  # bad rows are listed with the refused changes below
    # the file's columns: an import leaves the fields of columns the file lacks as they are
    fields, extra_headers = reg.columns, {unguard_cell(h) for h in reg.extra_headers}
    on = on or today()
    note = note or f"导入名录文件 {p.name}"
    existing = {e.target.id: e for e in store.registry_entries()}
    problems: list[RegistryIssue] = []
    writes: list[RegistryWrite] = []
    added: list[str] = []
    changed: list[str] = []
    unchanged = 0
    targets = [_unguard_target(t) for t in reg.targets]  # an export's formula guards taken off
    rows = [t for t in targets if only is None or t.id.strip() in only]
    for raw in rows:
        row = _row(raw)
        t, dates, bad = _take_dates(raw, str(p), row)
        if bad:
            problems.extend(bad)
            continue
        old = existing.get(t.id)
        try:
            t = _check_target(t)
            if old is not None:
                t = _merge(old.target, t, fields, extra_headers)
            if allow is not None and (not allow(t) or (old is not None and not allow(old.target))):
                raise _RowError(OUT_OF_SCOPE, FIELD_LABELS["region"])
            if old is None:
                d = _new(t, on, note, dates)
            else:
                d = _Draft.of(old)
                action = None
                if t.status != old.target.status:
                    action = action_for(old.target.status, t.status)
                    if action is None:
                        raise _transition_refused(d, t.status)
                used = DATE_FIELDS.get(action or "")
                fixes = {f: v for f, v in dates.items()
                         if f != used and getattr(d, f) is not None and getattr(d, f) != v}
                d.change(t, on, note, fixes)
                if action is not None:
                    given = dates.get(used) if used else None
                    d.lifecycle(action, given if given is not None and given != getattr(d, used) else on, note)
        except RegistryError as exc:
            problems.append(RegistryIssue(str(p), row, getattr(exc, "column", None), str(exc)))
            continue
        if old is None:
            added.append(t.id)
            writes.append(d.write())
        elif d.events:
            changed.append(t.id)
            writes.append(d.write())
        else:
            unchanged += 1
    if (problems or reg.issues) and not skip_bad_rows:
        every = sorted([*reg.issues, *problems], key=lambda i: (i.row or 0))
        raise _problems(every, len(rows) - len({i.row for i in problems}))
    listed = {t.id for t in rows}
    absent = [i for i, e in existing.items() if i not in listed and (allow is None or allow(e.target))]
    if writes:
        store.registry_apply(writes, by=by, allow=allow)
    issues = sorted([*reg.issues, *problems], key=lambda i: (i.row or 0))
    return ImportSummary(added, changed, unchanged, issues, sorted(absent), str(p))


def _transition_refused(d: _Draft, new_status: str) -> LifecycleError:
    old = d.target.status
    if old == "cancelled":
        return d.refuse(f"改为「{STATUS_LABELS.get(new_status, new_status)}」")
    can = "、".join(STATUS_LABELS[TRANSITIONS[a][1]] for a in allowed_actions(old))
    return LifecycleError(f"{_name(d.target)}状态不能从「{STATUS_LABELS.get(old, old)}」直接改为"
                          f"「{STATUS_LABELS.get(new_status, new_status)}」（可改为：{can}）")


# --------------------------------------------------------------------------- single changes
def add_target(store: Any, target: Target, *, by: str, on: date, note: str = "",
               allow: Callable[[Target], bool] | None = None) -> RegistryEntry:
    """开设 one target (status running or building; a target registered as suspended, closed or
    cancelled also gets that lifecycle event, as in an import). ``allow``: the writer's scope;
    an id taken by an entry outside it is refused without naming that entry."""
    try:
        t = _check_target(target)
    except _RowError as exc:
        raise RegistryError(str(exc)) from None
    (entry,) = store.registry_apply([_new(t, on, note, {}).write()], by=by, allow=allow)
    return entry


def _current(store: Any, target_id: str, expect: datetime | None,
             allow: Callable[[Target], bool] | None) -> _Draft:
    """The draft of the entry as stored, refused (RegistryConflict) when it is no longer the
    version ``expect`` the caller saw, or has left the caller's scope ``allow``. Without
    ``expect`` the entry as read now is the version written against."""
    entry = store.registry_entry(target_id)
    if allow is not None and not allow(entry.target):
        raise RegistryConflict(STALE, target_id)
    if expect is not None and entry.updated_at != expect:
        raise RegistryConflict(f"{STALE}（{_name(entry.target)}刚被 {entry.updated_by or '他人'} 于 "
                               f"{entry.updated_at:%Y-%m-%d %H:%M:%S} 修改）", target_id)
    return _Draft.of(entry)


def edit_target(store: Any, target_id: str, changes: dict[str, str], *, by: str, on: date,
                note: str = "", expect: datetime | None = None,
                allow: Callable[[Target], bool] | None = None) -> RegistryEntry:
    """变更: apply ``changes`` ({名称: …} / {name: …}) and record the fields before and after.

    ``expect``: the ``updated_at`` of the entry the change was made on (a form's version); the
    write is refused (RegistryConflict) when the entry changed since. ``allow``: the writer's
    scope, checked again inside the write (before and after the change)."""
    d = _current(store, target_id, expect, allow)
    entry_target = d.target
    if d.target.status == "cancelled":
        raise d.refuse("变更")
    if not d.change(apply_changes(entry_target, changes), on, note):
        raise RegistryError(f"{_name(entry_target)}：没有需要变更的内容")
    (out,) = store.registry_apply([d.write()], by=by, allow=allow)
    return out


def revise_target(store: Any, target_id: str, new: Target, *, by: str, on: date, note: str = "",
                  expect: datetime | None = None) -> RegistryEntry | None:
    """变更 an entry to the fields of ``new`` as a whole (its status ignored; extra columns as
    given, also those named like a field, e.g. 采集地址), for programs correcting entries.
    None when nothing changes; LifecycleError for a cancelled entry."""
    d = _current(store, target_id, expect, None)
    try:
        t = _check_target(replace(new, id=target_id))
    except _RowError as exc:
        raise RegistryError(str(exc)) from None
    if not d.change(t, on, note):
        return None
    (out,) = store.registry_apply([d.write()], by=by)
    return out


def change_lifecycle(store: Any, target_id: str, action: str, *, by: str, on: date,
                     note: str = "", expect: datetime | None = None,
                     allow: Callable[[Target], bool] | None = None) -> RegistryEntry:
    """开设 / 临时关停 / 恢复运行 / 关停 / 注销 an entry on day ``on`` (``expect``, ``allow``: as
    in :func:`edit_target`)."""
    key = parse_action(action)
    if key == "change":
        raise RegistryError("「变更」请修改具体字段（xuncha registry edit 或网页的变更表单）")
    d = _current(store, target_id, expect, allow)
    d.lifecycle(key, on, note)
    (out,) = store.registry_apply([d.write()], by=by, allow=allow)
    return out


# --------------------------------------------------------------------------- export
def export_registry(store: Any, path: str | Path, *, statuses: Collection[str] | None = None,
                    allow: Callable[[Target], bool] | None = None) -> Path:
    """Write the stored registry (optionally some statuses / what ``allow`` allows) in the
    import format; importing it again changes nothing."""
    entries = store.registry_entries(statuses=statuses)
    return write_entries([e for e in entries if allow is None or allow(e.target)], path)


def write_entries(entries: Iterable[RegistryEntry], path: str | Path) -> Path:
    """``write_registry``'s file plus the columns 标记, 开设日期, 关停日期, 注销日期 and the
    entries' extra columns (in the order first met).

    Text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first)
    is written inert: in CSV with a leading ``'`` (:func:`guard_cell`; the import takes it off
    again), in XLSX as a string cell."""
    entries = list(entries)
    p = write_registry([e.target for e in entries], path)
    extra_keys: list[str] = []
    for e in entries:
        extra_keys += [k for k in e.target.extra if k not in extra_keys and norm_header(k) not in _DATE_OF_HEADER]
    header = [FLAGS_COLUMN, *DATE_COLUMNS.values(), *extra_keys]
    rows: list[list[Any]] = [
        [",".join(sorted(e.target.flags - {"no_service_function"})), e.opened_on, e.closed_on, e.cancelled_on,
         *(e.target.extra.get(k, "") for k in extra_keys)]
        for e in entries
    ]
    if p.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(p)
        ws = wb.active
        first = ws.max_column + 1
        for j, h in enumerate(header):
            ws.cell(row=1, column=first + j, value=h)
        for i, values in enumerate(rows, start=2):
            for j, v in enumerate(values):
                c = ws.cell(row=i, column=first + j, value=v if v != "" else None)
                if isinstance(v, date):
                    c.number_format = "yyyy-mm-dd"
        for line in ws.iter_rows():
            for c in line:
                if isinstance(c.value, str) and c.data_type != "s":  # openpyxl took "=…" for a formula
                    c.data_type = "s"
        widths = {"A": 14, "B": 10, "C": 28, "D": 36, "E": 24, "F": 22, "G": 14}
        for col, w in widths.items():
            ws.column_dimensions[col].width = w
        ws.freeze_panes = "A2"
        wb.save(p)
        wb.close()
    else:
        with p.open(encoding="utf-8-sig", newline="") as fh:
            base = list(csv.reader(fh))
        base[0] += header
        for i, values in enumerate(rows, start=1):
            base[i] += ["" if v is None else v.isoformat() if isinstance(v, date) else str(v) for v in values]
        with p.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows([[guard_cell(v) for v in line] for line in base])
    return p
