"""Rectification cases (整改) in the console: the list, one case with its trail, and the actions.

Routes::

    GET  /cases                  cases the user may see (?state= &owner= &overdue=1 &target=),
                                 and per-unit 按期整改率 over a period (?start= &end=, default
                                 this quarter)
    GET  /cases/{id}             one case: evidence, deadline, event trail, allowed actions
    POST /cases/{id}/notify      下发整改通知 (supervisors)
    POST /cases/{id}/recheck     复查: collect the target again and close / reopen (supervisors);
                                 from a form it runs in the background (the case page shows 复查中
                                 and reloads), a JSON caller waits unless it sends "wait": false
    POST /cases/{id}/decide      人工复查结论, ``passed`` = 1 / 0 and a ``note`` (supervisors)
    POST /cases/{id}/submit      提交整改情况, ``note`` required (the unit that owns the target)

Who sees a case is decided on the case's own snapshot of its target (owner, region) with the
same ``auth.Scope`` as targets: a case outside the scope answers 404 exactly like a missing one,
before any role or state check. Refused transitions answer 409 with the workflow's Chinese
message; missing input 400. Every action is written to the audit log.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response

from xuncha.model import Finding, Target
from xuncha.registry import KIND_LABELS
from xuncha.report.annex import code_title
from xuncha.settings import TZ, Settings
from xuncha.store import Store
from xuncha.store.web_api import WebSession, WebUser
from xuncha.web import auth
from xuncha.web.common import Console, WebError, client_ip, parse_id, text, wants_json
from xuncha.web.data import SEVERITY_LABELS
from xuncha.workflow import rectify
from xuncha.workflow.calendar import quarter_of
from xuncha.workflow.types import (
    CASE_STATES,
    CLOSED,
    NOTIFIED,
    OPEN,
    RECHECKING,
    REOPENED,
    STATE_LABELS,
    SUBMITTED,
    Case,
    CaseEvent,
    WorkflowError,
    parse_state,
    state_label,
)

log = logging.getLogger(__name__)

RECHECK_TIMEOUT_S = 120.0  # an automatic re-check running longer is abandoned, the case put back
RECHECK_MAX_PAGES = 60  # as ``xuncha case recheck``

OUTCOME_LABELS = {"closed": "已整改，关闭", "reopened": "复查未通过，重新打开", "inconclusive": "无法判断，保持原状态",
                  "failed": "自动复查未完成"}
TRUE = ("1", "true", "on", "yes", "passed", "pass", "通过")
FALSE = ("0", "false", "off", "no", "failed", "fail", "不通过")


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    role: str  # who may do it (in scope): supervisor | unit
    from_states: frozenset[str]


ACTIONS: dict[str, Action] = {a.name: a for a in (
    Action("notify", "下发整改通知", "supervisor", frozenset({OPEN, REOPENED})),
    Action("submit", "提交整改情况", "unit", frozenset({NOTIFIED, REOPENED})),
    Action("recheck", "复查", "supervisor", frozenset({NOTIFIED, SUBMITTED, REOPENED, RECHECKING})),
    Action("decide", "人工复查结论", "supervisor", frozenset({NOTIFIED, SUBMITTED, REOPENED, RECHECKING})),
)}
ROLE_REFUSALS = {"supervisor": "无权操作：只有监管人员可以{label}",
                 "unit": "无权操作：只有该对象的主管单位可以{label}"}


# --------------------------------------------------------------------------- scope and views
def case_target(c: Case) -> Target:
    """The case's target as the scope sees it: its owner and region when the case was opened."""
    t = c.target or {}
    return Target(id=c.target_id, kind=c.target_kind, name=c.target_name, url=str(t.get("url") or c.url),
                  owner=c.owner, region=str(t.get("region") or ""), category=str(t.get("category") or ""))


def visible_cases(store: Store, scope: auth.Scope, **filters: Any) -> list[Case]:
    return [c for c in store.list_cases(**filters) if scope.allows(case_target(c))]


def target_cases(store: Store, user: WebUser, target_id: str) -> list[Case]:
    """The cases of one target that are not closed, as the user may see them."""
    return [c for c in visible_cases(store, auth.Scope.of(user), target_id=target_id) if c.state != CLOSED]


def allowed_actions(user: WebUser, c: Case) -> list[Action]:
    """What ``user`` (already known to see ``c``) may do to it now."""
    if user.role == "unit" and c.owner != user.owner:
        return []
    return [a for a in ACTIONS.values() if a.role == user.role and c.state in a.from_states]


def refusal(c: Case, action: Action) -> WorkflowError:
    if c.state == CLOSED:
        return WorkflowError(f"整改事项 #{c.id} 已整改关闭，不能再{action.label}")
    return WorkflowError(f"整改事项 #{c.id} 当前状态为「{state_label(c.state)}」，不能{action.label}")


def today() -> date:
    return datetime.now(TZ).date()


def period(request: Request, day: date) -> tuple[date, date]:
    """The statistics period from ``?start=&end=`` (YYYY-MM-DD), by default the quarter of ``day``."""
    start, end = quarter_of(day)
    out = []
    for name, default in (("start", start), ("end", end)):
        raw = request.query_params.get(name, "").strip()
        try:
            out.append(date.fromisoformat(raw) if raw else default)
        except ValueError:
            raise WebError(400, f"日期「{raw}」无效，应为 YYYY-MM-DD") from None
    if out[0] > out[1]:
        raise WebError(400, "统计期的起始日期晚于截止日期")
    return out[0], out[1]


def scoped_rates(cases: list[Case], start: date, end: date) -> list[rectify.OwnerRate]:
    """按期整改率 over the cases the user may see."""
    return rectify.on_time_rates(None, start, end, cases=cases)


# --------------------------------------------------------------------------- JSON
def _iso(x: date | datetime | None) -> str | None:
    return x.isoformat() if x is not None else None


def case_json(c: Case, day: date) -> dict[str, Any]:
    t = case_target(c)
    return {
        "id": c.id, "state": c.state, "state_label": c.state_label,
        "target": {"id": t.id, "kind": t.kind, "kind_label": KIND_LABELS.get(t.kind, t.kind), "name": t.name,
                   "url": t.url, "owner": t.owner, "region": t.region},
        "owner": c.owner, "code": c.code, "code_title": code_title(c.code), "severity": c.severity,
        "severity_label": SEVERITY_LABELS.get(c.severity, c.severity), "url": c.url, "evidence": c.evidence,
        "suggestion": str(c.detail.get("suggestion") or ""), "finding_key": c.finding_key,
        "working_days": c.working_days, "opened_at": _iso(c.opened_at), "opened_by": c.opened_by,
        "due_on": _iso(c.due_on), "deadline": _iso(c.deadline), "notified_on": _iso(c.notified_on),
        "closed_at": _iso(c.closed_at), "closed_on_time": c.closed_on_time, "reopen_count": c.reopen_count,
        "run_id": c.run_id, "overdue": c.overdue(day),
    }


def event_json(e: CaseEvent) -> dict[str, Any]:
    return {"at": e.at.isoformat(), "by": e.by, "from_state": e.from_state, "from_label": state_label(e.from_state),
            "to_state": e.to_state, "to_label": state_label(e.to_state), "note": e.note, "data": e.data}


def owner_rate_json(r: rectify.OwnerRate) -> dict[str, Any]:
    return {"owner": r.owner, "due": r.due, "closed_on_time": r.closed_on_time, "closed_late": r.closed_late,
            "open": r.open, "rate": None if r.rate is None else round(r.rate, 4), "rate_text": r.rate_text}


def last_recheck(c: Case, events: list[CaseEvent]) -> dict[str, Any] | None:
    """The outcome of the latest automatic re-check, from the trail (survives reloads), with
    what it found of the case's check split into this problem (still there) and others."""
    for e in reversed(events):
        data = e.data if isinstance(e.data, dict) else {}
        outcome = data.get("outcome")
        if not outcome and not data.get("error"):
            continue
        still: list[str] = []
        other: list[str] = []
        for d in data.get("findings") or []:
            if not isinstance(d, dict) or d.get("severity") == "inconclusive":
                continue
            f = Finding(target_id=c.target_id, code=str(d.get("code") or ""), severity=str(d.get("severity") or ""),
                        url=str(d.get("url") or ""), evidence=str(d.get("evidence") or ""), detected_at=e.at,
                        detail=dict(d.get("detail") or {}))
            (still if rectify.same_problem(c, f) else other).append(f.evidence)
        outcome = outcome or "failed"
        return {"at": e.at.isoformat(), "by": e.by, "outcome": outcome,
                "outcome_label": OUTCOME_LABELS.get(outcome, outcome), "state": e.to_state,
                "state_label": state_label(e.to_state), "note": e.note, "pages": data.get("pages"),
                "still_present": still, "other_findings": other}
    return None


# --------------------------------------------------------------------------- routes
def add_routes(app: FastAPI, console: Console, *, settings: Settings, recheck_timeout_s: float) -> None:
    store = console.store
    running: set[int] = set()  # cases being re-checked by this process
    background: set[asyncio.Task[dict[str, Any]]] = set()  # re-checks started from a form

    @app.exception_handler(WorkflowError)
    async def _workflow_error(request: Request, exc: WorkflowError) -> Response:
        status = 404 if "不存在" in str(exc) else 409
        return console.page(request, "error.html", {"status": status, "message": str(exc)},
                            {"error": str(exc), "status": status}, status=status)

    def scoped_case(sess: WebSession, raw_id: str) -> Case:
        """The case, or 404 alike for a missing one and one outside the user's scope."""
        missing = WebError(404, f"未找到整改事项 {raw_id}（或无权查看）")
        case_id = parse_id(raw_id)
        if case_id is None:
            raise missing
        try:
            c = store.get_case(case_id)
        except WorkflowError:
            raise missing from None
        if not auth.Scope.of(sess.user).allows(case_target(c)):
            raise missing
        return c

    @app.get("/cases")
    def case_list(request: Request) -> Response:
        sess = console.session_of(request)
        scope = auth.Scope.of(sess.user)
        f = {k: request.query_params.get(k, "").strip() for k in ("state", "owner", "overdue", "target")}
        try:
            state = parse_state(f["state"]) if f["state"] else None
        except WorkflowError as exc:
            raise WebError(400, str(exc)) from None
        overdue = f["overdue"].lower() in TRUE
        day = today()
        start, end = period(request, day)
        mine = visible_cases(store, scope)
        rows = [c for c in mine if (state is None or c.state == state)
                and (not f["owner"] or c.owner == f["owner"])
                and (not f["target"] or c.target_id == f["target"])
                and (not overdue or c.overdue(day))]
        rows.sort(key=lambda c: (c.state == CLOSED, not c.overdue(day), c.deadline, c.id))
        rates = scoped_rates(mine, start, end)
        data = {"filters": f | {"state": state or ""}, "today": day.isoformat(), "count": len(rows),
                "cases": [case_json(c, day) for c in rows],
                "period": {"start": start.isoformat(), "end": end.isoformat()},
                "rates": [owner_rate_json(r) for r in rates]}
        ctx = {"rows": rows, "f": f, "state": state or "", "overdue": overdue, "today": day,
               "owners": sorted({c.owner for c in mine if c.owner}), "STATE_LABELS": STATE_LABELS,
               "CASE_STATES": CASE_STATES, "rates": rates, "start": start, "end": end, "code_title": code_title}
        return console.page(request, "cases.html", ctx, data)

    @app.get("/cases/{case_id}")
    def case_page(request: Request, case_id: str) -> Response:
        sess = console.session_of(request)
        c = scoped_case(sess, case_id)
        events = store.case_events(c.id)
        actions = allowed_actions(sess.user, c)
        day = today()
        recheck = last_recheck(c, events)
        data = {"case": case_json(c, day), "events": [event_json(e) for e in events],
                "actions": [{"name": a.name, "label": a.label} for a in actions], "last_recheck": recheck,
                "rechecking": c.id in running, "today": day.isoformat()}
        ctx = {"c": c, "events": events, "actions": {a.name: a for a in actions}, "today": day,
               "recheck": recheck, "code_title": code_title, "running": c.id in running,
               "timeout_s": int(recheck_timeout_s)}
        return console.page(request, "case.html", ctx, data)

    # ----------------------------------------------------------------- actions
    def prepare(request: Request, case_id: str, action: Action, data: dict[str, Any]) -> tuple[WebSession, Case]:
        """CSRF, then scope (404), role (403), state (409), in that order."""
        sess = console.session_of(request)
        console.check_csrf(request, sess, data)
        c = scoped_case(sess, case_id)
        if sess.user.role != action.role or (action.role == "unit" and c.owner != sess.user.owner):
            raise WebError(403, ROLE_REFUSALS[action.role].format(label=action.label))
        if c.state not in action.from_states:
            raise refusal(c, action)
        return sess, c

    def done(request: Request, c: Case, extra: dict[str, Any] | None = None, anchor: str = "") -> Response:
        if wants_json(request):
            return JSONResponse({"ok": True, "case": case_json(c, today())} | (extra or {}))
        return RedirectResponse(f"/cases/{c.id}{anchor}", status_code=303)

    def audit(request: Request, sess: WebSession, action: Action, before: Case, after: dict[str, Any]) -> None:
        store.audit(sess.user.username, f"case_{action.name}", "case", str(before.id),
                    before={"state": before.state, "deadline": before.deadline.isoformat()}, after=after,
                    ip=client_ip(request))

    def simple(request: Request, case_id: str, action: Action, data: dict[str, Any]) -> Response:
        sess, c = prepare(request, case_id, action, data)
        if action.name == "decide" and c.id in running:
            raise WebError(409, f"整改事项 #{c.id} 正在自动复查，请等复查结束后再登记人工复查结论")
        by = sess.user.username
        note = text(data, "note")
        if action.name == "notify":
            after = rectify.notify(store, c.id, by=by, note=note)
        elif action.name == "submit":
            if not note:
                raise WebError(400, "请填写整改情况说明")
            after = rectify.submit(store, c.id, by=by, note=note)
        else:  # decide
            raw = data.get("passed")
            raw = ("1" if raw else "0") if isinstance(raw, bool) else str(raw or "").strip().lower()
            if raw not in TRUE + FALSE:
                raise WebError(400, "请选择人工复查结论：已整改（通过）或未整改（不通过）")
            if not note:
                raise WebError(400, "请填写人工复查说明")
            passed = raw in TRUE
            if c.state != RECHECKING:
                rectify.start_recheck(store, c.id, by=by, note="人工复查")
            after = rectify.finish_recheck(store, c.id, passed=passed, by=by, note=note)
        audit(request, sess, action, c, {"state": after.state, "deadline": after.deadline.isoformat(), "note": note})
        return done(request, after)

    async def recheck(request: Request, case_id: str, data: dict[str, Any]) -> Response:
        """复查. A form (the browser) starts it in the background and returns to the case page,
        which shows 复查中 and reloads when it is over; a JSON caller waits for the outcome
        unless it sends ``"wait": false`` (then 202)."""
        action = ACTIONS["recheck"]
        sess, c = await run_in_threadpool(prepare, request, case_id, action, data)
        if c.id in running:
            raise WebError(409, f"整改事项 #{c.id} 正在自动复查，请稍后刷新查看结果")
        running.add(c.id)
        ip = client_ip(request)
        wait = wants_json(request) and str(data.get("wait", "1")).strip().lower() not in FALSE
        task = asyncio.create_task(run_recheck(c, sess.user.username, ip))
        if not wait:
            background.add(task)
            task.add_done_callback(background.discard)
            if wants_json(request):
                return JSONResponse({"ok": True, "started": True, "case": case_json(c, today())}, status_code=202)
            return RedirectResponse(f"/cases/{c.id}#recheck", status_code=303)
        outcome = await task
        if "error" in outcome:
            raise WebError(int(outcome["status"]), str(outcome["error"]))
        after = await run_in_threadpool(store.get_case, c.id)
        return done(request, after, {"recheck": outcome}, anchor="#recheck")

    async def run_recheck(c: Case, by: str, ip: str) -> dict[str, Any]:
        """The re-check itself, audited; never raises (the outcome says what happened)."""
        action = ACTIONS["recheck"]

        def audit_as(after: dict[str, Any]) -> None:
            store.audit(by, f"case_{action.name}", "case", str(c.id),
                        before={"state": c.state, "deadline": c.deadline.isoformat()}, after=after, ip=ip)

        try:
            res = await asyncio.wait_for(rectify.recheck_async(store, c.id, settings=settings, by=by),
                                         timeout=recheck_timeout_s)
        except TimeoutError:
            back = await run_in_threadpool(_put_back, c, by)
            await run_in_threadpool(audit_as, {"state": back.state, "outcome": "timeout"})
            return {"status": 504, "error": f"整改事项 #{c.id} 自动复查超时（超过 {int(recheck_timeout_s)} 秒），"
                                            f"已恢复为「{back.state_label}」；可稍后再次复查，或填写人工复查结论"}
        except WorkflowError as exc:  # collection failed: recheck_async has put the case back
            now = await run_in_threadpool(store.get_case, c.id)
            await run_in_threadpool(audit_as, {"state": now.state, "outcome": "failed", "error": str(exc)})
            return {"status": 502, "error": str(exc)}
        except Exception as exc:  # noqa: BLE001 - a background task must not die silently
            log.exception("re-check of case %s failed", c.id)
            await run_in_threadpool(audit_as, {"state": c.state, "outcome": "failed", "error": str(exc)})
            return {"status": 500, "error": f"整改事项 #{c.id} 自动复查出错：{exc}"}
        finally:
            running.discard(c.id)
        outcome = {"outcome": res.outcome, "outcome_label": res.outcome_label, "state": res.state,
                   "deadline": _iso(res.deadline), "pages": res.pages, "note": res.note,
                   "still_present": [f.evidence for f in res.still_present]}
        await run_in_threadpool(audit_as, outcome)
        return outcome

    def _put_back(c: Case, by: str) -> Case:
        """After a timed-out re-check: 复查中 → where the case was before (as recheck_async does
        when collection fails)."""
        now = store.get_case(c.id)
        if now.state != RECHECKING:
            return now
        back = c.state if c.state != RECHECKING else SUBMITTED
        return store.transition_case(c.id, back, by=by, at=datetime.now(TZ),
                                     note=f"自动复查超时（超过 {int(recheck_timeout_s)} 秒），未能完成",
                                     data={"error": "timeout"}, from_states={RECHECKING})

    @app.post("/cases/{case_id}/{name}")
    async def case_action(request: Request, case_id: str, name: str) -> Response:
        action = ACTIONS.get(name)
        if action is None:
            raise WebError(404, "页面不存在")
        data = await console.body(request)
        if action.name == "recheck":
            return await recheck(request, case_id, data)
        return await run_in_threadpool(simple, request, case_id, action, data)

