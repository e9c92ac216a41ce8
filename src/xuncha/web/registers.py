"""Operational registers (运维台账) in the console: 我为政府网站找错 messages, simulated user
consultations and repost tasks, over ``xuncha.workflow.registers``.

Routes::

    GET  /registers                          overview of a period (?start= &end=, default this quarter)
    GET  /registers/zhaocuo                  找错 messages with their deadlines and per-unit 按期办结率
                                             (?start= &end= &unit= &state= &accept_days= &reply_days=)
    POST /registers/zhaocuo/import           upload the platform's export (multipart ``file``,
                                             ``skip_bad_rows`` = 1 to import the good rows only)
    POST /registers/zhaocuo                  enter one message by hand
    GET  /registers/zhaocuo/{id}             one message
    POST /registers/zhaocuo/{id}             record its acceptance / reply (受理时间, 办结时间, 办理状态)
    GET  /registers/consultations            simulated consultations and their classes (?start= &end=)
    POST /registers/consultations            a question sent: ``target``, ``channel_url``, ``question``, ``sent_at``
    GET  /registers/consultations/{id}       one consultation
    POST /registers/consultations/{id}/reply the reply: ``reply_at``, ``reply_text``, ``evidence`` (one per line)
    GET  /registers/reposts                  repost-task completion by unit for a run (?run=, default latest)
    POST /registers/reposts/tasks            replace the repost tasks with an uploaded file (multipart ``file``)

Who sees a row: a message or consultation is matched to its target by 网站标识码 / target id
in the registry (名录), else among the targets of the stored runs (owner and region from
there); one whose target is not known carries its own unit (message: 主管/办理单位;
consultation: owner) and no region. The same ``auth.Scope`` as targets then decides: unit users
their own unit, supervisors their region subtree (rows without a known region only for
supervisors without a region limit), auditors everything. A row outside the scope answers 404
like a missing one.

Who may write: supervisors import and enter messages and consultations within their scope;
the unit a message belongs to (and supervisors) record its acceptance and reply; replies to
simulated consultations are recorded by supervisors only (the unit is the one being tested);
repost tasks are replaced as a whole, so only supervisors without a region limit upload them.
Auditors read only. Every change goes to the audit log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response

from xuncha.errors import ConfigError
from xuncha.model import Target
from xuncha.registry import KIND_LABELS
from xuncha.registry.tasks import load_repost_tasks
from xuncha.settings import TZ
from xuncha.store import Store, StoreError
from xuncha.store.web_api import WebSession, WebUser
from xuncha.web import auth
from xuncha.web.cases import period, today
from xuncha.web.common import Console, WebError, client_ip, is_web_url, parse_id, text, wants_json
from xuncha.web.files import UPLOAD_LIMIT, form_fields, read_upload, renamed, save_upload, size_text
from xuncha.workflow.calendar import DEFAULT_CALENDAR
from xuncha.workflow.registers import (
    ACCEPT_WORKING_DAYS,
    CONSULT_CLASSES,
    CONSULT_FAST_DAYS,
    CONSULT_SLOW_DAYS,
    EARLIEST,
    REPLY_WORKING_DAYS,
    ScopedRows,
    TargetConsult,
    UnitRepost,
    UnitZhaocuo,
    ZhaocuoStatus,
    add_consultation,
    add_zhaocuo,
    classify_consultation,
    consult_stats,
    consult_target,
    known_targets,
    load_zhaocuo_export,
    parse_time,
    record_reply,
    repost_completion,
    zhaocuo_stats,
    zhaocuo_status,
    zhaocuo_target,
)
from xuncha.workflow.types import Consultation, WorkflowError, ZhaocuoMessage

log = logging.getLogger(__name__)

ZHAOCUO_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
TASK_SUFFIXES = (".json", ".xlsx", ".xlsm", ".csv")
TRUE = ("1", "true", "on", "yes")
ZHAOCUO_STATES = {"open": "办理中", "overdue": "逾期未办结", "closed_on_time": "按期办结", "closed_late": "逾期办结"}
ZHAOCUO_FIELDS = {"msg_no": "留言编号", "site_name": "网站名称", "site_code": "网站标识码", "unit": "主管/办理单位",
                  "received_at": "留言时间", "handed_over_at": "转办时间", "accepted_at": "受理时间",
                  "replied_at": "办结时间", "content": "留言内容", "status": "办理状态"}
TIMES = ("received_at", "handed_over_at", "accepted_at", "replied_at")


# --------------------------------------------------------------------------- scope
def visible(store: Store, user: WebUser, known: dict[str, Target]) -> ScopedRows:
    return ScopedRows.of(store, known, auth.Scope.of(user).allows)


# --------------------------------------------------------------------------- JSON and views
def _iso(x: date | datetime | None) -> str | None:
    return x.isoformat() if x is not None else None


def fmt(x: datetime | None) -> str:
    return x.astimezone(TZ).strftime("%Y-%m-%d %H:%M") if x is not None else ""


def local_input(x: datetime | None) -> str:
    """A value for ``<input type="datetime-local">``."""
    return x.astimezone(TZ).strftime("%Y-%m-%dT%H:%M") if x is not None else ""


def zhaocuo_state(st: ZhaocuoStatus) -> str:
    if st.closed:
        return "closed_on_time" if st.closed_on_time else "closed_late"
    return "overdue" if st.overdue else "open"


def zhaocuo_json(st: ZhaocuoStatus) -> dict[str, Any]:
    m = st.msg
    state = zhaocuo_state(st)
    return {"id": m.id, "msg_no": m.msg_no, "site_name": m.site_name, "site_code": m.site_code, "unit": m.unit,
            "unit_name": m.unit_name, "received_at": _iso(m.received_at), "handed_over_at": _iso(m.handed_over_at),
            "accepted_at": _iso(m.accepted_at), "replied_at": _iso(m.replied_at), "content": m.content,
            "status": m.status, "source": m.source, "accept_due": _iso(st.accept_due), "reply_due": _iso(st.reply_due),
            "accepted_late": st.accepted_late, "closed": st.closed, "closed_on_time": st.closed_on_time,
            "overdue": st.overdue, "state": state, "state_label": ZHAOCUO_STATES[state]}


def unit_zhaocuo_json(u: UnitZhaocuo) -> dict[str, Any]:
    return {"unit": u.unit, "received": u.received, "due": u.due, "closed_on_time": u.closed_on_time,
            "closed_late": u.closed_late, "overdue": u.overdue, "accepted_late": u.accepted_late,
            "rate": None if u.rate is None else round(u.rate, 4), "rate_text": u.rate_text}


def zhaocuo_total(rows: list[UnitZhaocuo]) -> UnitZhaocuo:
    total = UnitZhaocuo("合计")
    for u in rows:
        for f in ("received", "due", "closed_on_time", "closed_late", "overdue", "accepted_late"):
            setattr(total, f, getattr(total, f) + getattr(u, f))
    return total


@dataclass
class ConsultView:
    c: Consultation
    cls: str  # CONSULT_CLASSES key
    working_days: int  # to the reply, or so far

    @property
    def label(self) -> str:
        return CONSULT_CLASSES[self.cls]


def consult_view(c: Consultation, day: date) -> ConsultView:
    sent = c.sent_at.astimezone(TZ).date()
    until = c.reply_at.astimezone(TZ).date() if c.reply_at is not None else day
    return ConsultView(c, classify_consultation(c, day), DEFAULT_CALENDAR.working_days_between(sent, until))


def consult_json(v: ConsultView) -> dict[str, Any]:
    c = v.c
    return {"id": c.id, "target_id": c.target_id, "target_name": c.target_name, "owner": c.owner,
            "channel_url": c.channel_url, "question": c.question, "sent_at": _iso(c.sent_at),
            "reply_at": _iso(c.reply_at), "reply_text": c.reply_text, "evidence": list(c.evidence), "by": c.by,
            "class": v.cls, "class_label": v.label, "working_days": v.working_days, "replied": c.reply_at is not None}


def target_consult_json(t: TargetConsult) -> dict[str, Any]:
    return {"target_id": t.target_id, "target_name": t.target_name, "owner": t.owner, "total": t.total,
            "counts": dict(t.counts), "problem": t.problem}


def consult_summary(rows: list[TargetConsult]) -> dict[str, Any]:
    counts = {k: sum(t.counts[k] for t in rows) for k in CONSULT_CLASSES}
    return {"total": sum(counts.values()), "counts": counts, "targets": len(rows),
            "problem_targets": sum(t.problem for t in rows)}


def repost_json(u: UnitRepost) -> dict[str, Any]:
    return {"unit": u.unit, "assigned": u.assigned, "done": u.done, "late": u.late, "missing": u.missing,
            "unknown": u.unknown, "rate": None if u.rate is None else round(u.rate, 4),
            "rate_text": pct(u.rate), "late_targets": list(u.late_targets)}


def task_json(t: dict[str, Any]) -> dict[str, Any]:
    d = t.get("deadline")
    return {"title": str(t.get("title") or ""), "url": str(t.get("url") or ""),
            "deadline": d.isoformat() if isinstance(d, date) else str(d or ""),
            "targets": [str(x) for x in t.get("targets") or []]}


def pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def scoped_tasks(tasks: Iterable[dict[str, Any]], allowed: set[str]) -> list[dict[str, Any]]:
    """The tasks with their target ids cut to ``allowed``; tasks left with none are dropped."""
    out = []
    for t in tasks:
        ids = [str(x) for x in t.get("targets") or [] if str(x) in allowed]
        if ids:
            out.append({**t, "targets": ids})
    return out


# --------------------------------------------------------------------------- form input
def time_field(data: dict[str, Any], name: str, label: str) -> datetime | None:
    raw = text(data, name)
    try:
        return parse_time(raw)
    except ValueError:
        raise WebError(400, f"{label}「{raw}」无法识别，应为 2025-03-20 09:30 这样的日期时间") from None


def not_future(at: datetime | None, label: str) -> None:
    """A time entered by hand: not in the future, and not before 2000 (a typing error)."""
    if at is not None and at > datetime.now(TZ) + timedelta(minutes=5):
        raise WebError(400, f"{label} {fmt(at)} 晚于当前时间")
    if at is not None and at < EARLIEST:
        raise WebError(400, f"{label} {fmt(at)} 早于 {EARLIEST.year} 年，请检查")


def int_param(request: Request, name: str, default: int, low: int = 0, high: int = 60) -> int:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return default
    value = parse_id(raw, 3)
    if value is None or not low <= value <= high:
        raise WebError(400, f"参数 {name}「{raw}」无效，应为 {low} 至 {high} 的整数")
    return value


# --------------------------------------------------------------------------- routes
def add_routes(app: FastAPI, console: Console) -> None:
    store = console.store
    uploads = console.data_dir / "uploads"

    def session(request: Request) -> tuple[WebSession, dict[str, Target], ScopedRows]:
        sess = console.session_of(request)
        known = known_targets(store)
        return sess, known, visible(store, sess.user, known)

    def writer(request: Request, data: dict[str, Any], what: str) -> WebSession:
        """CSRF (403), then a supervisor (403)."""
        sess = console.session_of(request)
        console.check_csrf(request, sess, data)
        if sess.user.role != "supervisor":
            raise WebError(403, f"无权操作：只有监管人员可以{what}")
        return sess

    def row_id(raw: str, what: str) -> int:
        value = parse_id(raw)
        if value is None:
            raise WebError(404, f"未找到{what} {raw}（或无权查看）")
        return value

    def scoped_message(sess: WebSession, raw: str, known: dict[str, Target]) -> ZhaocuoMessage:
        mid = row_id(raw, "找错留言")
        m = next((x for x in store.zhaocuo_messages() if x.id == mid), None)
        if m is None or not auth.Scope.of(sess.user).allows(zhaocuo_target(m, known)):
            raise WebError(404, f"未找到找错留言 {raw}（或无权查看）")
        return m

    def scoped_consult(sess: WebSession, raw: str, known: dict[str, Target]) -> Consultation:
        cid = row_id(raw, "模拟咨询")
        c = next((x for x in store.consultations() if x.id == cid), None)
        if c is None or not auth.Scope.of(sess.user).allows(consult_target(c, known)):
            raise WebError(404, f"未找到模拟咨询 {raw}（或无权查看）")
        return c

    def deadlines(request: Request) -> tuple[int, int]:
        return (int_param(request, "accept_days", ACCEPT_WORKING_DAYS),
                int_param(request, "reply_days", REPLY_WORKING_DAYS, low=1))

    def latest_run(request: Request) -> int | None:
        raw = request.query_params.get("run", "").strip()
        if raw:
            rid = parse_id(raw)
            if rid is None:
                raise WebError(400, f"运行编号「{raw}」无效")
            try:
                store.get_run(rid)
            except StoreError:
                raise WebError(404, f"巡查批次 #{raw} 不存在") from None
            return rid
        return store.latest_run_id("done")

    def repost_view(user: WebUser, run_id: int | None,
                    known: dict[str, Target]) -> tuple[list[dict[str, Any]], list[UnitRepost]]:
        """The repost tasks as the user may see them (their target ids cut to the scope), and
        their completion by unit in the run."""
        tasks = [dict(t) for t in store.repost_tasks()]
        scope = auth.Scope.of(user)
        run_targets = store.targets(run_id) if run_id is not None else []
        if scope.owner is None and not scope.region:  # auditors, supervisors without a region limit
            return tasks, repost_completion(store, run_id, tasks) if run_id is not None else []
        mine = {t.id for t in [*known.values(), *run_targets] if scope.allows(t)}
        in_run = {t.id for t in run_targets if scope.allows(t)}
        done = repost_completion(store, run_id, scoped_tasks(tasks, in_run)) if run_id is not None else []
        return scoped_tasks(tasks, mine), done

    # ----------------------------------------------------------------- overview
    @app.get("/registers")
    def overview(request: Request) -> Response:
        sess, known, rows = session(request)
        day = today()
        start, end = period(request, day)
        zc = zhaocuo_stats(rows.store, start, end, today=day)
        total = zhaocuo_total(zc)
        cs = consult_stats(rows.store, start, end, today=day)
        summary = consult_summary(cs)
        run_id = latest_run(request)
        tasks, reposts = repost_view(sess.user, run_id, known)
        data = {"period": {"start": start.isoformat(), "end": end.isoformat()}, "today": day.isoformat(),
                "zhaocuo": {"units": [unit_zhaocuo_json(u) for u in zc], "total": unit_zhaocuo_json(total),
                            "accept_days": ACCEPT_WORKING_DAYS, "reply_days": REPLY_WORKING_DAYS},
                "consultations": summary | {"problem_list": [target_consult_json(t) for t in cs if t.problem]},
                "reposts": {"run": run_id, "tasks": len(tasks), "units": [repost_json(u) for u in reposts]}}
        ctx = {"start": start, "end": end, "today": day, "zc": zc, "total": total, "cs": cs, "summary": summary,
               "run_id": run_id, "tasks": tasks, "reposts": reposts, "CONSULT_CLASSES": CONSULT_CLASSES,
               "accept_days": ACCEPT_WORKING_DAYS, "reply_days": REPLY_WORKING_DAYS, "pct": pct}
        return console.page(request, "registers.html", ctx, data)

    # ----------------------------------------------------------------- 找错 messages
    @app.get("/registers/zhaocuo")
    def zhaocuo_list(request: Request) -> Response:
        sess, _known, rows = session(request)
        return zhaocuo_page(request, sess, rows)

    def zhaocuo_page(request: Request, sess: WebSession, rows: ScopedRows, result: dict[str, Any] | None = None,
                     status: int = 200) -> Response:
        day = today()
        start, end = period(request, day)
        accept_days, reply_days = deadlines(request)
        f = {k: request.query_params.get(k, "").strip() for k in ("unit", "state")}
        if f["state"] and f["state"] not in ZHAOCUO_STATES:
            raise WebError(400, f"办理状态「{f['state']}」无效（可用：{'、'.join(ZHAOCUO_STATES.values())}）")
        every = [zhaocuo_status(m, day, accept_days=accept_days, reply_days=reply_days) for m in rows.messages]

        def relevant(st: ZhaocuoStatus) -> bool:
            started = st.msg.start.astimezone(TZ).date() if st.msg.start else None
            in_period = started is not None and start <= started <= end or start <= st.reply_due <= end
            return in_period or not st.closed

        shown = [st for st in every if relevant(st) and (not f["unit"] or st.msg.unit_name == f["unit"])
                 and (not f["state"] or zhaocuo_state(st) == f["state"])]
        shown.sort(key=lambda st: (st.closed, not st.overdue, -(st.msg.start.timestamp() if st.msg.start else 0),
                                   st.msg.msg_no))
        stats = zhaocuo_stats(rows.store, start, end, today=day, accept_days=accept_days, reply_days=reply_days)
        total = zhaocuo_total(stats)
        can_write = sess.user.role == "supervisor"
        data = {"period": {"start": start.isoformat(), "end": end.isoformat()}, "today": day.isoformat(),
                "accept_days": accept_days, "reply_days": reply_days, "filters": f, "count": len(shown),
                "messages": [zhaocuo_json(st) for st in shown], "units": [unit_zhaocuo_json(u) for u in stats],
                "total": unit_zhaocuo_json(total), "can_import": can_write}
        if result is not None:
            data["import"] = result
        ctx = {"rows": shown, "stats": stats, "total": total, "start": start, "end": end, "today": day, "f": f,
               "accept_days": accept_days, "reply_days": reply_days, "STATES": ZHAOCUO_STATES,
               "state_of": zhaocuo_state, "units": sorted({m.unit_name for m in rows.messages}), "fmt": fmt,
               "can_write": can_write, "result": result, "limit": size_text(UPLOAD_LIMIT),
               "suffixes": ZHAOCUO_SUFFIXES}
        return console.page(request, "registers_zhaocuo.html", ctx, data, status=status)

    @app.post("/registers/zhaocuo/import")
    async def zhaocuo_import(request: Request) -> Response:
        sess = console.session_of(request)
        form = await read_upload(request)
        try:
            data = form_fields(form)
            console.check_csrf(request, sess, data)
            if sess.user.role != "supervisor":
                raise WebError(403, "无权操作：只有监管人员可以导入找错留言")
            path, name = await save_upload(form, uploads, "zhaocuo", ZHAOCUO_SUFFIXES)
        finally:
            await form.close()
        skip = text(data, "skip_bad_rows").lower() in TRUE
        try:
            result = await run_in_threadpool(_zhaocuo_import, request, sess, path, name, skip)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        if wants_json(request):
            return JSONResponse({"ok": True, "import": result})
        _sess, _known, rows = await run_in_threadpool(session, request)
        return await run_in_threadpool(zhaocuo_page, request, sess, rows, result)

    def _zhaocuo_import(request: Request, sess: WebSession, path: Path, name: str, skip: bool) -> dict[str, Any]:
        try:
            res = load_zhaocuo_export(path, skip_bad_rows=skip)
        except ConfigError as exc:
            raise WebError(400, renamed(str(exc), path, name)) from None
        except Exception as exc:  # a damaged workbook: zip, XML or calamine errors
            log.warning("zhaocuo upload %s (%s) unreadable: %s", path, name, exc)
            raise WebError(400, f"{name}：文件无法读取，请确认是找错监督平台导出的 .xlsx、.xls 或 .csv 文件") from None
        issues = [renamed(x, path, name) for x in res.issues]
        known = known_targets(store)
        scope = auth.Scope.of(sess.user)
        existing = {m.msg_no: m for m in store.zhaocuo_messages()}
        keep: list[ZhaocuoMessage] = []
        outside: list[str] = []
        for m in res.messages:
            row = m.source.rpartition(":")[2]
            old = existing.get(m.msg_no)
            if not scope.allows(zhaocuo_target(m, known)) or (old and not scope.allows(zhaocuo_target(old, known))):
                outside.append(f"{name} 第{row}行：留言 {m.msg_no} 的网站不在您的管辖范围内")
                continue
            keep.append(replace(m, source=f"{name}:{row}"))
        if outside and not skip:
            more = f"（另有 {len(outside) - 10} 行）" if len(outside) > 10 else ""
            raise WebError(403, f"{name} 有 {len(outside)} 行不在您的管辖范围内，未导入：\n"
                                + "\n".join(outside[:10]) + more + "\n（可勾选「跳过有问题的行」只导入其余各行）")
        issues += outside
        added, updated = store.upsert_zhaocuo(keep)
        result = {"file": name, "added": added, "updated": updated, "skipped": len(issues), "issues": issues}
        store.audit(sess.user.username, "zhaocuo_import", "zhaocuo", name, before=None,
                    after={"added": added, "updated": updated, "skipped": len(issues), "saved_as": path.name},
                    ip=client_ip(request))
        return result

    @console.post(app, "/registers/zhaocuo")
    def _zhaocuo_add(request: Request, data: dict[str, Any]) -> Response:
        sess = writer(request, data, "录入找错留言")
        msg_no = text(data, "msg_no")
        if not msg_no or len(msg_no) > 64:
            raise WebError(400, "请填写留言编号（不超过 64 个字符）")
        times = {k: time_field(data, k, ZHAOCUO_FIELDS[k]) for k in TIMES}
        for k in TIMES:
            not_future(times[k], ZHAOCUO_FIELDS[k])
        m = ZhaocuoMessage(msg_no=msg_no, source="手工录入",
                           **{k: text(data, k) for k in ("site_name", "site_code", "unit", "content", "status")},
                           **times)
        check_order(m)
        known = known_targets(store)
        t = known.get(m.site_code) if m.site_code else None
        if t is not None:  # blanks from the registry
            m = replace(m, unit=m.unit or t.owner, site_name=m.site_name or t.name)
        if not auth.Scope.of(sess.user).allows(zhaocuo_target(m, known)):
            raise WebError(403, "该网站不在您的管辖范围内（请填写名录中的网站标识码）")
        old = next((x for x in store.zhaocuo_messages() if x.msg_no == msg_no), None)
        if old is not None:  # outside the user's scope: say no more than that the number is taken
            if auth.Scope.of(sess.user).allows(zhaocuo_target(old, known)):
                raise WebError(409, f"留言编号「{msg_no}」已存在，请在该留言的页面登记受理和办结情况")
            raise WebError(409, f"留言编号「{msg_no}」已被使用，请核对编号")
        try:
            add_zhaocuo(store, m)
        except WorkflowError as exc:
            raise WebError(400, str(exc)) from None
        saved = next(x for x in store.zhaocuo_messages() if x.msg_no == msg_no)
        store.audit(sess.user.username, "zhaocuo_add", "zhaocuo", msg_no, before=None, after=message_audit(saved),
                    ip=client_ip(request))
        return message_done(request, saved)

    def check_order(m: ZhaocuoMessage) -> None:
        if m.start is None:
            raise WebError(400, f"留言 {m.msg_no}：请填写留言时间或转办时间")
        for k in ("accepted_at", "replied_at"):
            t = getattr(m, k)
            if t is not None and t < m.start:
                raise WebError(400, f"{ZHAOCUO_FIELDS[k]} {fmt(t)} 早于转办/留言时间 {fmt(m.start)}")

    def message_audit(m: ZhaocuoMessage) -> dict[str, Any]:
        return {"site_code": m.site_code, "unit": m.unit, **{k: _iso(getattr(m, k)) for k in TIMES},
                "status": m.status}

    def message_done(request: Request, m: ZhaocuoMessage) -> Response:
        if wants_json(request):
            st = zhaocuo_status(m, today())
            return JSONResponse({"ok": True, "message": zhaocuo_json(st)})
        return RedirectResponse(f"/registers/zhaocuo/{m.id}", status_code=303)

    @app.get("/registers/zhaocuo/{msg_id}")
    def zhaocuo_one(request: Request, msg_id: str) -> Response:
        sess = console.session_of(request)
        known = known_targets(store)
        m = scoped_message(sess, msg_id, known)
        day = today()
        accept_days, reply_days = deadlines(request)
        st = zhaocuo_status(m, day, accept_days=accept_days, reply_days=reply_days)
        t = zhaocuo_target(m, known)
        can_record = sess.user.role in ("supervisor", "unit")  # in scope: a unit user's own message
        data = {"message": zhaocuo_json(st), "today": day.isoformat(), "accept_days": accept_days,
                "reply_days": reply_days, "can_record": can_record,
                "target": {"id": t.id, "name": t.name, "owner": t.owner, "region": t.region} if t.id in known else None}
        ctx = {"st": st, "m": m, "state": zhaocuo_state(st), "STATES": ZHAOCUO_STATES, "fmt": fmt,
               "local_input": local_input, "can_record": can_record, "accept_days": accept_days,
               "reply_days": reply_days, "today": day, "target": t if t.id in known else None}
        return console.page(request, "registers_zhaocuo_msg.html", ctx, data)

    @console.post(app, "/registers/zhaocuo/{msg_id}")
    def _zhaocuo_record(request: Request, msg_id: str, data: dict[str, Any]) -> Response:
        """Acceptance / reply of one message: fields sent are set (empty clears), others kept."""
        sess = console.session_of(request)
        console.check_csrf(request, sess, data)
        known = known_targets(store)
        m = scoped_message(sess, msg_id, known)
        u = sess.user
        if not (u.role == "supervisor" or (u.role == "unit" and zhaocuo_target(m, known).owner == u.owner)):
            raise WebError(403, "无权操作：只有留言所属单位或监管人员可以登记受理和办结情况")
        changes: dict[str, Any] = {}
        for k in ("accepted_at", "replied_at"):
            if k in data:
                changes[k] = time_field(data, k, ZHAOCUO_FIELDS[k])
                not_future(changes[k], ZHAOCUO_FIELDS[k])
        if "status" in data:
            changes["status"] = text(data, "status")[:100]
        if not changes:
            raise WebError(400, "请填写受理时间、办结时间或办理状态")
        after = replace(m, **changes)
        check_order(after)
        try:
            add_zhaocuo(store, after)
        except WorkflowError as exc:
            raise WebError(400, str(exc)) from None
        saved = next(x for x in store.zhaocuo_messages() if x.id == m.id)
        if message_audit(saved) != message_audit(m):
            store.audit(u.username, "zhaocuo_update", "zhaocuo", m.msg_no, before=message_audit(m),
                        after=message_audit(saved), ip=client_ip(request))
        return message_done(request, saved)

    # ----------------------------------------------------------------- consultations
    @app.get("/registers/consultations")
    def consult_list(request: Request) -> Response:
        sess, known, rows = session(request)
        day = today()
        start, end = period(request, day)
        views = [consult_view(c, day) for c in rows.consults]
        shown = [v for v in views if start <= v.c.sent_at.astimezone(TZ).date() <= end or v.c.reply_at is None]
        shown.sort(key=lambda v: (v.c.reply_at is not None, -v.c.sent_at.timestamp()))
        stats = consult_stats(rows.store, start, end, today=day)
        summary = consult_summary(stats)
        can_write = sess.user.role == "supervisor"
        scope = auth.Scope.of(sess.user)
        choices = sorted((t for t in known.values() if scope.allows(t)), key=lambda t: (t.owner, t.name, t.id))
        data = {"period": {"start": start.isoformat(), "end": end.isoformat()}, "today": day.isoformat(),
                "count": len(shown), "consultations": [consult_json(v) for v in shown],
                "targets": [target_consult_json(t) for t in stats], "summary": summary,
                "classes": CONSULT_CLASSES, "can_add": can_write}
        ctx = {"rows": shown, "stats": stats, "summary": summary, "start": start, "end": end, "today": day,
               "CONSULT_CLASSES": CONSULT_CLASSES, "fmt": fmt, "can_write": can_write, "choices": choices,
               "now": local_input(datetime.now(TZ)), "fast_days": CONSULT_FAST_DAYS, "slow_days": CONSULT_SLOW_DAYS,
               "free_target": scope.owner is None and not scope.region}
        return console.page(request, "registers_consult.html", ctx, data)

    @console.post(app, "/registers/consultations")
    def _consult_add(request: Request, data: dict[str, Any]) -> Response:
        sess = writer(request, data, "登记模拟咨询")
        target_id = text(data, "target") or text(data, "target_id")
        if not target_id or len(target_id) > 128:
            raise WebError(400, "请填写被咨询的网站或账号（标识码/账号ID）")
        question = text(data, "question")
        if not question:
            raise WebError(400, "咨询问题不能为空")
        sent_at = time_field(data, "sent_at", "提交时间")
        if sent_at is None:
            raise WebError(400, "请填写咨询提交时间")
        not_future(sent_at, "提交时间")
        channel = text(data, "channel_url") or text(data, "channel")
        if channel and not is_web_url(channel):
            raise WebError(400, f"咨询渠道网址「{channel[:80]}」无效：应以 http:// 或 https:// 开头")
        known = known_targets(store)
        t = known.get(target_id)
        c = Consultation(target_id=target_id, question=question, sent_at=sent_at,
                         channel_url=channel,
                         target_name=t.name if t else text(data, "target_name"),
                         owner=t.owner if t else text(data, "owner"), by=sess.user.username)
        if not auth.Scope.of(sess.user).allows(consult_target(c, known)):
            raise WebError(403, f"「{target_id}」不在您的管辖范围内（请选择名录中的网站或账号）")
        try:
            cid = add_consultation(store, c)
        except WorkflowError as exc:
            raise WebError(400, str(exc)) from None
        saved = next(x for x in store.consultations() if x.id == cid)
        store.audit(sess.user.username, "consult_add", "consultation", str(cid), before=None,
                    after=consult_audit(saved), ip=client_ip(request))
        return consult_done(request, saved)

    def consult_audit(c: Consultation) -> dict[str, Any]:
        return {"target_id": c.target_id, "channel_url": c.channel_url, "question": c.question,
                "sent_at": _iso(c.sent_at), "reply_at": _iso(c.reply_at), "reply_text": c.reply_text,
                "evidence": list(c.evidence)}

    def consult_done(request: Request, c: Consultation) -> Response:
        if wants_json(request):
            return JSONResponse({"ok": True, "consultation": consult_json(consult_view(c, today()))})
        return RedirectResponse(f"/registers/consultations/{c.id}", status_code=303)

    @app.get("/registers/consultations/{consult_id}")
    def consult_one(request: Request, consult_id: str) -> Response:
        sess = console.session_of(request)
        known = known_targets(store)
        c = scoped_consult(sess, consult_id, known)
        day = today()
        v = consult_view(c, day)
        can_reply = sess.user.role == "supervisor"
        data = {"consultation": consult_json(v), "today": day.isoformat(), "can_reply": can_reply}
        ctx = {"v": v, "c": c, "fmt": fmt, "local_input": local_input, "can_reply": can_reply, "today": day,
               "now": local_input(datetime.now(TZ)), "known": c.target_id in known}
        return console.page(request, "registers_consult_one.html", ctx, data)

    @console.post(app, "/registers/consultations/{consult_id}/reply")
    def _consult_reply(request: Request, consult_id: str, data: dict[str, Any]) -> Response:
        sess = console.session_of(request)
        console.check_csrf(request, sess, data)
        c = scoped_consult(sess, consult_id, known_targets(store))  # out of scope: 404 first
        if sess.user.role != "supervisor":
            raise WebError(403, "无权操作：只有监管人员可以登记模拟咨询的答复")
        reply_at = time_field(data, "reply_at", "答复时间")
        if reply_at is None:
            raise WebError(400, "请填写答复时间")
        not_future(reply_at, "答复时间")
        raw = data.get("evidence")
        lines = raw if isinstance(raw, list) else str(raw or "").splitlines()
        evidence = [str(x).strip() for x in lines if str(x).strip()]
        try:
            after = record_reply(store, c.id or 0, reply_at=reply_at, reply_text=text(data, "reply_text"),
                                 evidence=evidence)
        except WorkflowError as exc:
            raise WebError(400, str(exc)) from None
        store.audit(sess.user.username, "consult_reply", "consultation", str(c.id), before=consult_audit(c),
                    after=consult_audit(after), ip=client_ip(request))
        return consult_done(request, after)

    # ----------------------------------------------------------------- repost tasks
    @app.get("/registers/reposts")
    def reposts(request: Request) -> Response:
        sess = console.session_of(request)
        run_id = latest_run(request)
        known = known_targets(store)
        tasks, rows = repost_view(sess.user, run_id, known)
        can_upload = sess.user.role == "supervisor" and not auth.region_parts(sess.user.region)
        data = {"run": run_id, "tasks": [task_json(t) for t in tasks], "units": [repost_json(u) for u in rows],
                "can_upload": can_upload}
        ctx = {"run_id": run_id, "runs": store.runs(limit=20), "tasks": tasks, "rows": rows, "pct": pct,
               "can_upload": can_upload, "limit": size_text(UPLOAD_LIMIT), "suffixes": TASK_SUFFIXES,
               "KIND_LABELS": KIND_LABELS, "names": {t.id: t.name for t in known.values()}}
        return console.page(request, "registers_reposts.html", ctx, data)

    @app.post("/registers/reposts/tasks")
    async def repost_tasks_upload(request: Request) -> Response:
        sess = console.session_of(request)
        form = await read_upload(request)
        try:
            data = form_fields(form)
            console.check_csrf(request, sess, data)
            if sess.user.role != "supervisor" or auth.region_parts(sess.user.region):
                raise WebError(403, "无权操作：转载任务整体替换，只有不限地区的监管人员可以上传")
            path, name = await save_upload(form, uploads, "repost-tasks", TASK_SUFFIXES)
        finally:
            await form.close()
        try:
            count = await run_in_threadpool(_repost_tasks, request, sess, path, name)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        if wants_json(request):
            return JSONResponse({"ok": True, "file": name, "tasks": count})
        return RedirectResponse("/registers/reposts", status_code=303)

    def _repost_tasks(request: Request, sess: WebSession, path: Path, name: str) -> int:
        try:
            tasks = load_repost_tasks(path)
        except ConfigError as exc:
            raise WebError(400, renamed(str(exc), path, name)) from None
        except Exception as exc:  # a damaged workbook or JSON that is not a list of objects
            log.warning("repost task upload %s (%s) unreadable: %s", path, name, exc)
            raise WebError(400, f"{name}：文件无法读取，请使用含任务标题、来源链接、截止日期、转载对象列的"
                                f" .xlsx/.csv 文件或任务列表 .json 文件") from None
        if not tasks:
            raise WebError(400, f"{name}：文件中没有转载任务")
        before = len(store.repost_tasks())
        try:
            count = store.set_repost_tasks(tasks, by=sess.user.username)
        except StoreError as exc:
            raise WebError(400, f"{name}：{exc}") from None
        store.audit(sess.user.username, "repost_tasks_set", "repost_tasks", name, before={"tasks": before},
                    after={"tasks": count, "saved_as": path.name}, ip=client_ip(request))
        return count
