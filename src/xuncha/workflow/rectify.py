"""Rectification cases (整改) from the notice to the re-check (复查), with an audit trail.

    待通知 (open) → 已通知 (notified) → 已提交整改 (submitted) → 复查中 (rechecking)
        → 已整改（关闭） (closed) | 复查未通过（重新打开） (reopened, new deadline) → …

One case per problem (target + ``Finding.key``) while it is not closed; every state change
appends an event (who, when, from, to, note). Deadlines are counted in working days on the
official holiday calendar (``workflow.calendar``). :func:`recheck` collects the target again,
runs the case's check and closes or reopens the case by itself (indicators.md §7.3).
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from xuncha.model import Finding, Target
from xuncha.settings import TZ
from xuncha.workflow.calendar import DEFAULT_CALENDAR, WorkCalendar
from xuncha.workflow.types import (
    CLOSED,
    NOTIFIED,
    OPEN,
    RECHECKING,
    REOPENED,
    SUBMITTED,
    Case,
    CaseEvent,
    OnTimeRate,
    WorkflowError,
    state_label,
)

if TYPE_CHECKING:
    from xuncha.collect.http import Fetcher
    from xuncha.settings import Settings
    from xuncha.store import Store

DEFAULT_WORKING_DAYS = 15  # about three weeks; circulars set their own (a 2016 one: four weeks)

# Codes whose evidence text (and so Finding.key) changes from run to run while the problem is
# the same (counts of days, of columns, of links): the re-check matches them by code + URL.
EVIDENCE_VARIES: frozenset[str] = frozenset({
    "W.VETO.UNREACHABLE", "W.VETO.HOME_STALE", "W.VETO.COLUMNS_STALE", "W.VETO.LONG_STALE",
    "W.VETO.BLANK_COLUMNS", "W.VETO.INTERACTION", "W.VETO.SERVICE", "W.AVAIL.HOME",
    "W.PUB.NEWS_STALE", "W.PUB.POLICY_STALE", "W.PUB.PERIODIC_STALE", "W.INT.REPLY_STALE",
    "W.LINK.BROKEN_HOME", "W.LINK.BROKEN_OTHER", "W.SVC.GUIDE", "W.TECH.HTTPS", "W.TECH.IPV6",
    "W.SEARCH", "W.SITEMAP", "M.VETO.STALE", "M.VETO.INTERACTION", "M.UPDATE.SLOW", "M.DORMANT",
    "M.MENU.BROKEN",
})
# detail fields that tell two findings of one code on one URL apart (sub-reasons)
_SUBKEYS = ("mark", "reason", "column", "task")


def _now() -> datetime:
    return datetime.now(TZ)


def target_json(t: Target) -> dict[str, Any]:
    d = dataclasses.asdict(t)
    d["flags"] = sorted(t.flags)
    return d


def target_from_json(d: dict[str, Any]) -> Target:
    names = {f.name for f in dataclasses.fields(Target)}
    kw = {k: v for k, v in d.items() if k in names}
    kw["flags"] = frozenset(kw.get("flags") or ())
    kw["extra"] = dict(kw.get("extra") or {})
    return Target(**kw)


def finding_json(f: Finding) -> dict[str, Any]:
    return {"code": f.code, "severity": f.severity, "url": f.url, "evidence": f.evidence, "key": f.key,
            "detail": f.detail}


# --------------------------------------------------------------------------- open, transitions
def open_case(
    store: Store,
    *,
    target: Target,
    finding: Finding,
    run_id: int | None,
    opened_by: str,
    working_days: int = DEFAULT_WORKING_DAYS,
    today: date | None = None,
    calendar: WorkCalendar | None = None,
    note: str = "",
) -> int:
    """Open a case for one finding (state 待通知); idempotent while the same problem (target,
    finding key) has a case that is not closed: returns that case's id."""
    if finding.target_id != target.id:
        raise WorkflowError(f"问题属于「{finding.target_id}」，与对象「{target.id}」不符，无法立案")
    if working_days < 1:
        raise WorkflowError(f"整改时限应至少为 1 个工作日（现为 {working_days}）")
    cal = calendar or DEFAULT_CALENDAR
    now = _now()
    day = today or now.date()
    deadline = cal.add_working_days(day, working_days)
    case = Case(
        id=0, target_id=target.id, target_kind=target.kind, target_name=target.name, owner=target.owner,
        finding_key=finding.key, code=finding.code, severity=finding.severity, url=finding.url,
        evidence=finding.evidence, state=OPEN, working_days=working_days, opened_at=now, opened_by=opened_by,
        due_on=deadline, deadline=deadline, run_id=run_id, detail=dict(finding.detail), target=target_json(target),
    )
    case_id, _created = store.create_case(case, by=opened_by, note=note or f"整改时限 {working_days} 个工作日，截止 {deadline}")
    return case_id


def open_cases_for_run(store: Store, run_id: int, *, opened_by: str, severities: tuple[str, ...] = ("veto", "deduct"),
                       working_days: int = DEFAULT_WORKING_DAYS, today: date | None = None,
                       target_ids: list[str] | None = None) -> list[int]:
    """Open a case for every problem of a run's latest judgement (vetoes and deductions by
    default; inconclusive findings and advisories never), skipping 误报 reviews."""
    targets = {t.id: t for t in store.targets(run_id)}
    reviews = store.reviews(list(targets))
    ids = []
    for f in store.findings(run_id):
        if f.severity not in severities or f.target_id not in targets:
            continue
        if target_ids is not None and f.target_id not in target_ids:
            continue
        rv = reviews.get((f.target_id, f.key))
        if rv is not None and rv.state == "false_positive":
            continue
        ids.append(open_case(store, target=targets[f.target_id], finding=f, run_id=run_id, opened_by=opened_by,
                             working_days=working_days, today=today))
    return list(dict.fromkeys(ids))


def notify(store: Store, case_id: int, *, by: str, on: date | None = None, note: str = "",
           at: datetime | None = None) -> Case:
    """待通知 → 已通知: the notice (整改通知) was sent on ``on``."""
    at = at or _now()
    day = on or at.astimezone(TZ).date()
    return store.transition_case(case_id, NOTIFIED, by=by, at=at, note=note or f"{day} 下发整改通知",
                                 changes={"notified_on": day})


def submit(store: Store, case_id: int, *, by: str, note: str, at: datetime | None = None) -> Case:
    """已通知 / 重新打开 → 已提交整改: the unit reports its fix (整改说明 required)."""
    if not note.strip():
        raise WorkflowError(f"整改事项 #{case_id}：请填写整改情况说明")
    return store.transition_case(case_id, SUBMITTED, by=by, at=at or _now(), note=note.strip())


def start_recheck(store: Store, case_id: int, *, by: str, note: str = "", at: datetime | None = None) -> Case:
    """→ 复查中 (from 已通知, 已提交整改 or 重新打开)."""
    return store.transition_case(case_id, RECHECKING, by=by, at=at or _now(), note=note or "开始复查")


def finish_recheck(store: Store, case_id: int, *, passed: bool, by: str, note: str = "",
                   data: dict[str, Any] | None = None, today: date | None = None,
                   calendar: WorkCalendar | None = None, at: datetime | None = None) -> Case:
    """复查中 → 已整改（关闭） when ``passed``, else → 复查未通过（重新打开） with a new deadline
    of the case's working days from today. Also used for a manual re-check decision."""
    now = at or _now()
    if passed:
        return store.transition_case(case_id, CLOSED, by=by, at=now, note=note or "复查通过，已整改",
                                     data=data, changes={"closed_at": now}, from_states={RECHECKING})
    case = store.get_case(case_id)
    day = today or now.astimezone(TZ).date()
    deadline = (calendar or DEFAULT_CALENDAR).add_working_days(day, case.working_days)
    return store.transition_case(
        case_id, REOPENED, by=by, at=now, note=note or f"复查未通过，重新整改，截止 {deadline}", data=data,
        changes={"deadline": deadline, "reopen_count": case.reopen_count + 1}, from_states={RECHECKING},
    )


def events(store: Store, case_id: int) -> list[CaseEvent]:
    return store.case_events(case_id)


def cases(store: Store, owner: str | None = None, state: str | None = None) -> list[Case]:
    return store.list_cases(owner=owner, state=state)


def overdue_cases(store: Store, today: date) -> list[Case]:
    """Cases not closed whose current deadline is before ``today`` (W/M.OPS.RECTIFY_OVERDUE)."""
    return [c for c in store.list_cases() if c.overdue(today)]


@dataclass
class OwnerRate(OnTimeRate):
    """按期整改率 of one unit: cases whose first deadline falls in the period."""

    owner: str
    due: int = 0
    closed_on_time: int = 0
    closed_late: int = 0
    open: int = 0


def on_time_rates(store: Store | None, start: date, end: date, *, cases: list[Case] | None = None) -> list[OwnerRate]:
    """Per owner: cases due in [start, end] (first deadline), closed on or before it, rate.
    ``cases`` limits the count to those cases (e.g. what a console user may see)."""
    out: dict[str, OwnerRate] = {}
    if cases is None:
        assert store is not None
        cases = store.list_cases()
    for c in cases:
        if not start <= c.due_on <= end:
            continue
        r = out.setdefault(c.owner, OwnerRate(c.owner))
        r.due += 1
        if c.closed_on_time:
            r.closed_on_time += 1
        elif c.closed_at is not None:
            r.closed_late += 1
        else:
            r.open += 1
    return sorted(out.values(), key=lambda r: (r.rate if r.rate is not None else 2.0, r.owner))


# --------------------------------------------------------------------------- re-check
@dataclass
class RecheckResult:
    case_id: int
    outcome: str  # closed | reopened | inconclusive
    state: str
    findings: list[Finding] = field(default_factory=list)  # the case's code, found now
    still_present: list[Finding] = field(default_factory=list)
    deadline: date | None = None
    pages: int = 0
    note: str = ""

    @property
    def outcome_label(self) -> str:
        return {"closed": "已整改，关闭", "reopened": "复查未通过，重新打开",
                "inconclusive": "无法判断，保持原状态"}.get(self.outcome, self.outcome)


def same_problem(case: Case, f: Finding) -> bool:
    """Is ``f`` (found at the re-check) the problem of the case? Same key; or, for codes whose
    evidence changes between runs, same code on the same URL (and same sub-reason)."""
    if f.code != case.code or f.severity == "inconclusive":
        return False
    if f.key == case.finding_key:
        return True
    if case.code not in EVIDENCE_VARIES and any(k in case.detail for k in ("found", "masked")):
        return False  # a specific found text: another text is another problem
    if f.url != case.url:
        return False
    return all(case.detail.get(k) == f.detail.get(k) for k in _SUBKEYS if k in case.detail)


def decide(case: Case, found: list[Finding]) -> tuple[str, list[Finding]]:
    """(outcome, still present) from the findings of the case's code at the re-check."""
    present = [f for f in found if same_problem(case, f)]
    if present:
        return "reopened", present
    if any(f.severity == "inconclusive" and f.code == case.code for f in found):
        return "inconclusive", []
    return "closed", []


async def _collect_and_judge(case: Case, settings: Settings, as_of: datetime, fetcher: Fetcher,
                             repost_tasks: list[dict[str, object]] | None) -> tuple[list[Finding], int, str]:
    from xuncha.pipeline import judge, judge_account

    target = target_from_json(case.target)
    if target.kind == "website":
        from xuncha.collect.site import collect_site

        snap = await collect_site(fetcher, target, settings.collect, as_of, thresholds=settings.thresholds)
        findings = await asyncio.to_thread(judge, snap, as_of, settings, codes=[case.code])
        return findings, len(snap.pages), ""
    from xuncha.collect.media import collect_account

    acct = await collect_account(fetcher, target, as_of)
    findings = await asyncio.to_thread(judge_account, acct, as_of, settings, repost_tasks=repost_tasks,
                                       codes=[case.code])
    return findings, len(acct.documents), acct.health_detail if acct.health not in ("ok", "manual") else ""


async def recheck_async(
    store: Store,
    case_id: int,
    *,
    settings: Settings,
    by: str,
    as_of: datetime | None = None,
    fetcher: Fetcher | None = None,
    repost_tasks: list[dict[str, object]] | None = None,
    calendar: WorkCalendar | None = None,
) -> RecheckResult:
    """Re-check a case: collect the target again, run the case's check at ``as_of`` and close
    the case (problem gone), reopen it (still there, new deadline) or, when the check cannot
    judge (site unreachable, account source blocked), put it back where it was."""
    case = await asyncio.to_thread(store.get_case, case_id)
    before = case.state
    if before not in (NOTIFIED, SUBMITTED, REOPENED, RECHECKING):
        from xuncha.workflow.types import check_transition

        check_transition(case_id, before, RECHECKING)  # raises the Chinese message
    if before != RECHECKING:
        await asyncio.to_thread(start_recheck, store, case_id, by=by, note="自动复查：重新采集并检查")
    when = as_of or _now()
    try:
        if fetcher is None:
            from xuncha.collect.http import Fetcher as _Fetcher

            async with _Fetcher(settings.collect) as own:
                found, pages, health = await _collect_and_judge(case, settings, when, own, repost_tasks)
        else:
            found, pages, health = await _collect_and_judge(case, settings, when, fetcher, repost_tasks)
    except Exception as exc:  # noqa: BLE001 - any collection failure: back to the previous state
        back = before if before != RECHECKING else SUBMITTED
        await asyncio.to_thread(store.transition_case, case_id, back, by=by, at=_now(),
                                note=f"自动复查失败：{exc}", data={"error": str(exc)}, from_states={RECHECKING})
        raise WorkflowError(f"整改事项 #{case_id} 自动复查失败：{exc}") from exc
    outcome, present = decide(case, found)
    data = {"as_of": when.isoformat(), "pages": pages, "findings": [finding_json(f) for f in found],
            "outcome": outcome}
    if outcome == "inconclusive":
        back = before if before != RECHECKING else SUBMITTED
        reason = "；".join(dict.fromkeys(f.evidence for f in found if f.severity == "inconclusive")) or health
        new = await asyncio.to_thread(store.transition_case, case_id, back, by=by, at=_now(),
                                      note=f"自动复查无法判断：{reason}", data=data, from_states={RECHECKING})
        return RecheckResult(case_id, outcome, new.state, found, [], new.deadline, pages, reason)
    if outcome == "closed":
        note = f"自动复查（{when:%Y-%m-%d %H:%M}，{pages} 个页面）：问题已不存在，整改完成"
    else:
        note = f"自动复查（{when:%Y-%m-%d %H:%M}）：问题仍存在——{present[0].evidence}"
    new = await asyncio.to_thread(
        lambda: finish_recheck(store, case_id, passed=outcome == "closed", by=by, note=note, data=data,
                               today=when.astimezone(TZ).date(), calendar=calendar, at=when)
    )
    if outcome == "reopened":
        note += f"；重新整改截止 {new.deadline}"
    return RecheckResult(case_id, outcome, new.state, found, present, new.deadline, pages, note)


def recheck(store: Store, case_id: int, *, settings: Settings, by: str, as_of: datetime | None = None,
            fetcher: Fetcher | None = None, repost_tasks: list[dict[str, object]] | None = None) -> RecheckResult:
    """Synchronous :func:`recheck_async` (CLI)."""
    return asyncio.run(recheck_async(store, case_id, settings=settings, by=by, as_of=as_of, fetcher=fetcher,
                                     repost_tasks=repost_tasks))


def describe(case: Case, today: date | None = None) -> str:
    """One Chinese line for lists."""
    late = "（已逾期）" if today and case.overdue(today) else ""
    return (f"#{case.id} {case.target_name or case.target_id} {case.code} {state_label(case.state)}"
            f" 截止 {case.deadline}{late}：{case.evidence}")
