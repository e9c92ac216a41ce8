"""The operational registers of a run's quarter for the circular (indicators.md §7):
我为政府网站找错 messages (按期办结率 per unit), simulated user consultations, important-
information repost tasks and the rectification of earlier problems (按期整改率, overdue cases).

The figures come from ``workflow.registers`` and ``workflow.rectify``; this module only picks
the period (the quarter of the run's monitoring point, up to that day), restricts the rows to
a scope and collects them into an :class:`OpsSummary`. A part without data in the period is
``None`` and is left out of the circular.

Scope: ``allow(target) -> bool`` (e.g. ``web.auth.Scope.allows``) decides which rows count. A
row is matched to its target as the console does (``web/registers.py``; not imported here, it
needs the web stack): by 网站标识码 / target id among the registry (名录) first, then the
targets of the run and of the newest stored runs; a row whose target is not known stands for
itself (message: 主管/办理单位 as owner; consultation: its owner) with no region. Cases carry
their target's snapshot.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from xuncha.model import Target
from xuncha.report.annex import AnnexTable, code_title, date_cn, short_title, target_order, unit_name
from xuncha.settings import TZ
from xuncha.workflow.calendar import quarter_of
from xuncha.workflow.rectify import OwnerRate, on_time_rates, overdue_cases, target_from_json
from xuncha.workflow.registers import (
    ScopedRows,
    TargetConsult,
    UnitRepost,
    UnitZhaocuo,
    consult_stats,
    consult_target,
    known_targets,
    repost_completion,
    zhaocuo_stats,
)
from xuncha.workflow.types import Case

if TYPE_CHECKING:
    from xuncha.store import Store

Allow = Callable[[Target], bool]


# --------------------------------------------------------------------------- period and matching
def case_target(c: Case) -> Target:
    if c.target:
        return target_from_json(c.target)
    return Target(c.target_id, c.target_kind, c.target_name, c.url, owner=c.owner)


# --------------------------------------------------------------------------- the summary
def rate_text(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


@dataclass
class ZhaocuoPart:
    """我为政府网站找错: messages received in the period, those due in it, 按期办结率."""

    received: int
    due: int
    on_time: int
    closed_late: int
    overdue: int  # due and still not closed at the monitoring point
    units: list[UnitZhaocuo]
    late_units: list[str]  # units with a message closed late or overdue

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


@dataclass
class ConsultPart:
    """Simulated user consultations sent in the period, by reply class."""

    total: int
    fast: int  # replied within 1 working day
    normal: int  # within 5
    slow: int  # after more than 5
    none: int  # no reply after more than 5
    pending: int  # no reply yet, still within 5
    targets: list[TargetConsult]  # target_name is the circular's name of the target, owner its unit
    slow_targets: list[str]  # named: replied after > 5 working days or not at all

    @property
    def slow_or_none(self) -> int:
        return self.slow + self.none


@dataclass
class RepostPart:
    """Repost tasks due by the monitoring point, per unit (task × target pairs)."""

    assigned: int
    done: int
    late: int
    missing: int
    unknown: int
    units: list[UnitRepost]
    late_units: list[str]  # units with a task reposted late or not at all

    @property
    def rate(self) -> float | None:
        return self.done / self.assigned if self.assigned else None


@dataclass
class RectifyPart:
    """Rectification cases whose first deadline falls in the period, and those overdue."""

    due: int
    on_time: int
    closed_late: int
    open: int
    owners: list[OwnerRate]
    overdue: list[Case]  # not closed, deadline before the monitoring point

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None

    @property
    def overdue_names(self) -> list[str]:
        """"青山市教育局网站首页不更新（整改期限2025年3月10日）" per overdue case."""
        return [f"{case_name(c)}{short_title(code_title(c.code))}（整改期限{date_cn(c.deadline)}）"
                for c in self.overdue]


@dataclass
class OpsSummary:
    """The operational registers of a circular's period; empty parts are None."""

    run_id: int
    start: date
    end: date
    as_of: date  # the run's monitoring point (deadlines are judged on this day)
    zhaocuo: ZhaocuoPart | None = None
    consult: ConsultPart | None = None
    repost: RepostPart | None = None
    rectify: RectifyPart | None = None
    scoped: bool = False

    @property
    def empty(self) -> bool:
        return all(p is None for p in (self.zhaocuo, self.consult, self.repost, self.rectify))


def case_name(c: Case) -> str:
    return unit_name(case_target(c)) if c.target else (c.target_name or c.target_id)


def _zhaocuo(rows: ScopedRows, start: date, end: date, today: date) -> ZhaocuoPart | None:
    units = zhaocuo_stats(rows.store, start, end, today=today)
    if not units:
        return None
    late = [u.unit for u in units if u.closed_late or u.overdue]
    return ZhaocuoPart(received=sum(u.received for u in units), due=sum(u.due for u in units),
                       on_time=sum(u.closed_on_time for u in units), closed_late=sum(u.closed_late for u in units),
                       overdue=sum(u.overdue for u in units), units=units, late_units=late)


def _consult(rows: ScopedRows, known: dict[str, Target], start: date, end: date, today: date) -> ConsultPart | None:
    stats = consult_stats(rows.store, start, end, today=today)
    if not stats:
        return None
    by_id = {c.target_id: c for c in rows.consults}
    pairs = []
    for t in stats:
        target = consult_target(by_id[t.target_id], known)
        if not target.name:
            target = dataclasses.replace(target, name=t.target_name or t.target_id)
        pairs.append((target_order(target),
                      dataclasses.replace(t, target_name=unit_name(target), owner=target.owner or target.name)))
    named = [t for _, t in sorted(pairs, key=lambda p: p[0])]

    def n(cls: str) -> int:
        return sum(t.counts[cls] for t in named)

    return ConsultPart(total=sum(t.total for t in named), fast=n("fast"), normal=n("normal"), slow=n("slow"),
                       none=n("none"), pending=n("pending"), targets=named,
                       slow_targets=[t.target_name for t in named if t.problem])


def _repost(store: Store, run_id: int, allow: Allow | None) -> RepostPart | None:
    tasks = [dict(t) for t in store.repost_tasks()]
    if allow is not None:
        mine = {t.id for t in store.targets(run_id) if allow(t)}
        cut = [{**t, "targets": [str(x) for x in t.get("targets") or [] if str(x) in mine]} for t in tasks]
        tasks = [t for t in cut if t["targets"]]
    units = repost_completion(store, run_id, tasks) if tasks else []
    units = [u for u in units if u.assigned]
    if not units:
        return None
    return RepostPart(assigned=sum(u.assigned for u in units), done=sum(u.done for u in units),
                      late=sum(u.late for u in units), missing=sum(u.missing for u in units),
                      unknown=sum(u.unknown for u in units), units=units,
                      late_units=[u.unit for u in units if u.late or u.missing])


def _rectify(store: Store, start: date, end: date, today: date, allow: Allow | None) -> RectifyPart | None:
    cases = store.list_cases()
    if allow is not None:
        cases = [c for c in cases if allow(case_target(c))]
    # a case whose first deadline is the monitoring day itself and still open is not late yet
    owners = on_time_rates(None, start, end, cases=[c for c in cases if c.is_closed or c.due_on < today])
    ids = {c.id for c in cases}
    overdue = [c for c in overdue_cases(store, today) if c.id in ids]
    overdue.sort(key=lambda c: (*target_order(case_target(c)), c.deadline, c.id))
    if not owners and not overdue:
        return None
    return RectifyPart(due=sum(r.due for r in owners), on_time=sum(r.closed_on_time for r in owners),
                       closed_late=sum(r.closed_late for r in owners), open=sum(r.open for r in owners),
                       owners=owners, overdue=overdue)


def load_ops_summary(store: Store, run_id: int, *, allow: Allow | None = None,
                     period: tuple[date, date] | None = None) -> OpsSummary:
    """The registers of the quarter of the run's monitoring point, from the quarter's first day
    to the monitoring day (``period`` overrides), judged on the monitoring day; ``allow``
    restricts every part to the targets it accepts."""
    from xuncha.report.data import run_as_of

    today = run_as_of(store, run_id).astimezone(TZ).date()
    start, end = period or (quarter_of(today)[0], today)
    known = known_targets(store, run_id)
    rows = ScopedRows.of(store, known, allow)
    return OpsSummary(
        run_id=run_id, start=start, end=end, as_of=today,
        zhaocuo=_zhaocuo(rows, start, end, today),
        consult=_consult(rows, known, start, end, today),
        repost=_repost(store, run_id, allow),
        rectify=_rectify(store, start, end, today, allow),
        scoped=allow is not None,
    )


# --------------------------------------------------------------------------- annex
@dataclass
class _UnitRow:
    zc_due: int = 0
    zc_on_time: int = 0
    consults: int = 0
    consult_slow: int = 0
    rp_assigned: int = 0
    rp_done: int = 0
    rc_due: int = 0
    rc_on_time: int = 0
    rc_overdue: int = 0
    parts: set[str] = field(default_factory=set)


def _ratio(n: int, d: int, part: str, row: _UnitRow) -> str:
    return rate_text(n / d if d else None) if part in row.parts else "—"


def _count(n: int, part: str, row: _UnitRow) -> str:
    return str(n) if part in row.parts else "—"


OPS_TABLE_PT = 9  # eleven columns on a portrait page: smaller than the other annexes' 10.5 pt


def ops_table(ops: OpsSummary) -> AnnexTable:
    """附件: 运维工作情况统计表, one row per unit (找错 units, consultation target owners,
    repost units, case owners)."""
    t = AnnexTable("ops", "运维工作情况统计表", "运维工作情况",
                   ["序号", "单位", "找错应办结（条）", "按期办结率", "模拟咨询（次）", "超5个工作日或未答复（次）",
                    "转载任务（项次）", "按期完成率", "应整改问题（个）", "按期整改率", "逾期未整改（个）"],
                   [0.8, 2.6, 1.2, 1.6, 1.1, 1.5, 1.2, 1.6, 1.1, 1.6, 1.3], empty_text="本期无运维台账数据。")
    rows: dict[str, _UnitRow] = {}
    if ops.zhaocuo:
        for u in ops.zhaocuo.units:
            r = rows.setdefault(u.unit, _UnitRow())
            r.parts.add("zc")
            r.zc_due += u.due
            r.zc_on_time += u.closed_on_time
    if ops.consult:
        for c in ops.consult.targets:
            r = rows.setdefault(c.owner, _UnitRow())
            r.parts.add("cs")
            r.consults += c.total
            r.consult_slow += c.counts["slow"] + c.counts["none"]
    if ops.repost:
        for p in ops.repost.units:
            r = rows.setdefault(p.unit, _UnitRow())
            r.parts.add("rp")
            r.rp_assigned += p.assigned
            r.rp_done += p.done
    if ops.rectify:
        for o in ops.rectify.owners:
            r = rows.setdefault(o.owner or "（未填写主管单位）", _UnitRow())
            r.parts.add("rc")
            r.rc_due += o.due
            r.rc_on_time += o.closed_on_time
        for c in ops.rectify.overdue:
            r = rows.setdefault(c.owner or "（未填写主管单位）", _UnitRow())
            r.parts.add("rc")
            r.rc_overdue += 1
    for name in sorted(rows):
        r = rows[name]
        t.rows.append([str(len(t.rows) + 1), name,
                       _count(r.zc_due, "zc", r), _ratio(r.zc_on_time, r.zc_due, "zc", r),
                       _count(r.consults, "cs", r), _count(r.consult_slow, "cs", r),
                       _count(r.rp_assigned, "rp", r), _ratio(r.rp_done, r.rp_assigned, "rp", r),
                       _count(r.rc_due, "rc", r), _ratio(r.rc_on_time, r.rc_due, "rc", r),
                       _count(r.rc_overdue, "rc", r)])
        t.urls.append("")
    return t


def period_cn(ops: OpsSummary) -> str:
    return f"{date_cn(ops.start)}至{date_cn(ops.end)}" if ops.start != ops.end else date_cn(ops.start)


def add_ops_sheet(path: Path, ops: OpsSummary, number: int) -> Path:
    """Add the 运维工作情况 sheet (as ``附件{number}``) to an annex workbook written by
    ``annex.write_annex_xlsx``, after the numbered annex sheets."""
    from openpyxl import load_workbook

    from xuncha.report.annex import _sheet

    t = ops_table(ops)
    wb = load_workbook(path)
    ws = _sheet(wb, t.sheet, f"附件{number}  {t.title}", period_cn(ops), t.headers, t.rows, t.widths)
    ws["A2"].value = f"统计时段：{period_cn(ops)}"
    wb.move_sheet(ws, offset=(number - 1) - wb.index(ws))
    wb.save(path)
    return Path(path)
