"""Inspections started from the console: start, progress, cancel, and the circular's downloads.

Routes::

    GET  /inspections                  recent runs (state, who started them, counts) and, for
                                       supervisors, the start form
    POST /inspections                  start one (supervisors): as_of (监测时点, empty = now),
                                       ruleset, max_pages (每站最多页数), region (optional prefix)
    GET  /inspections/{run_id}         progress (state, done/total, targets being collected,
                                       elapsed), and once done a summary with links; for a
                                       region supervisor done/total/percent count the targets
                                       of their region only (``scoped``), like ``counts``
    POST /inspections/{run_id}/cancel  cancel a running inspection (supervisors)
    GET  /runs/{run_id}/circular.docx  the circular (通报) of a finished run, ?ruleset=
    GET  /runs/{run_id}/annex.xlsx     its annexes (附件) as a workbook, ?ruleset=

An inspection covers the stored registry (``store.registry_targets()``) restricted to the
user's scope and the region filter, with the stored repost tasks; it runs in the background
(``web.jobs``), one at a time per console (a second start answers 409). Its settings are the
console's inspection settings with the form's rule set and page limit; its output folder is
``data_dir/runs/<run id>``.

The downloads are written from the store on every request, so they reflect the latest reviews,
and only over the targets the user may see (``scoped_report``): a region supervisor gets the
circular of their region. Each request builds its own file in a private temporary folder and
sends its bytes (nothing shared between concurrent downloads, nothing left behind). Unit users
get 403; a run that did not finish answers 409. A run id that is not 1 to 12 ASCII digits
answers 404 like a missing run.
Auditors see and download everything but start and cancel nothing.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response

from xuncha.model import Target
from xuncha.scoring.aggregate import RunReport
from xuncha.scoring.ruleset import DEFAULT_RULESET, RuleSet, available_rulesets
from xuncha.settings import TZ
from xuncha.store import RunInfo, StoreError
from xuncha.store.web_api import WebSession, WebUser
from xuncha.web import auth
from xuncha.web.common import Console, WebError, client_ip, ruleset_named, text, wants_json
from xuncha.web.data import problem_json, rate_json, run_json, scoped_report, target_json
from xuncha.web.files import content_disposition
from xuncha.web.jobs import ACTIVE, DONE, INTERRUPTED, STATE_LABELS, Job, JobBusy, Jobs

log = logging.getLogger(__name__)

MAX_PAGES_LIMIT = 10000
LIST_LIMIT = 30
FUTURE_SLACK = timedelta(minutes=10)  # a monitoring point later than now (plus this) is refused
EMPTY_REGISTRY = "名录中没有可检查的对象，请先在「名录」页导入名录"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_REPORT_LOCK = threading.Lock()  # charts use pyplot, which is not thread-safe


@dataclass(frozen=True)
class StartForm:
    as_of: datetime
    ruleset: str
    max_pages: int
    region: str  # normalised prefix, "" = all the user may inspect

    def to_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "ruleset": self.ruleset, "max_pages": self.max_pages,
                "region": self.region}


# --------------------------------------------------------------------------- parsing
def parse_as_of(raw: str, now: datetime) -> datetime:
    """``YYYY-MM-DDTHH:MM[:SS]`` (as a datetime-local field sends it), ``YYYY-MM-DD HH:MM`` or
    ``YYYY-MM-DD`` (end of that day), Asia/Shanghai; empty = now."""
    raw = raw.strip()
    if not raw:
        return now.replace(microsecond=0)
    text = raw.replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=TZ)
        except ValueError:
            pass
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(hour=23, minute=59, second=59, tzinfo=TZ)
    except ValueError:
        raise WebError(400, f"监测时点「{raw}」无法识别，应为 2025-03-20 10:00 或 2025-03-20") from None


def parse_form(data: dict[str, Any], default_ruleset: str, default_max_pages: int,
               now: datetime | None = None) -> StartForm:
    now = now or datetime.now(TZ)

    as_of = parse_as_of(text(data, "as_of"), now)
    if as_of > now + FUTURE_SLACK:
        raise WebError(400, f"监测时点 {as_of:%Y-%m-%d %H:%M} 晚于当前时间，不能检查尚未到来的时点")
    if as_of.year < 2000:
        raise WebError(400, "监测时点过早，请检查年份")
    ruleset = ruleset_named(text(data, "ruleset") or default_ruleset).id
    raw_pages = text(data, "max_pages")
    try:
        max_pages = int(raw_pages) if raw_pages else default_max_pages
    except ValueError:
        raise WebError(400, f"每站最多页数「{raw_pages}」无效，应为 1 到 {MAX_PAGES_LIMIT} 之间的整数") from None
    if not 1 <= max_pages <= MAX_PAGES_LIMIT:
        raise WebError(400, f"每站最多页数应为 1 到 {MAX_PAGES_LIMIT} 之间的整数")
    region = "/".join(auth.region_parts(text(data, "region")))
    return StartForm(as_of, ruleset, max_pages, region)


def in_region(t: Target, region: str) -> bool:
    parts = auth.region_parts(region)
    return not parts or auth.region_path(t)[: len(parts)] == parts


def regions_of(targets: list[Target]) -> list[str]:
    """Every region prefix of the targets (示例省, 示例省/青山市, ...), sorted."""
    return sorted({"/".join(auth.region_path(t)[:d]) for t in targets
                   for d in range(1, len(auth.region_path(t)) + 1)})


def elapsed_text(seconds: float) -> str:
    s = int(seconds)
    if s < 60:
        return f"{s} 秒"
    if s < 3600:
        return f"{s // 60} 分 {s % 60} 秒"
    return f"{s // 3600} 小时 {s % 3600 // 60} 分"


def _move_outputs(src: Path, dst: Path) -> None:
    """The pipeline's reports (written before the run id was known) into ``runs/<id>``."""
    if not src.is_dir():
        return
    dst.mkdir(parents=True, exist_ok=True)
    for p in src.iterdir():
        target = dst / p.name
        if target.is_dir():
            shutil.rmtree(target)
        os.replace(p, target)
    shutil.rmtree(src, ignore_errors=True)


# --------------------------------------------------------------------------- routes
def add_routes(app: FastAPI, console: Console) -> None:
    store = console.store
    jobs = Jobs(store)
    app.state.inspection_jobs = jobs
    runs_dir = Path(console.data_dir) / "runs"

    # ----------------------------------------------------------------- helpers
    def viewer(request: Request) -> WebSession:
        """Supervisors and auditors; unit users get 403."""
        sess = console.session_of(request)
        if sess.user.role not in ("supervisor", "auditor"):
            raise WebError(403, "无权查看检查任务：只有监管人员和审计人员可以查看")
        return sess

    def run_of(raw: str) -> RunInfo:
        missing = WebError(404, f"检查运行「{raw[:40]}」不存在")
        if not (raw.isascii() and raw.isdecimal() and len(raw) <= 12):  # "²".isdigit(); 23 digits overflow SQL
            raise missing
        try:
            return store.get_run(int(raw))
        except StoreError:
            raise missing from None

    def meta(run: RunInfo) -> dict[str, Any]:
        m = run.settings.get("meta")
        return m if isinstance(m, dict) else {}

    def started_by(run: RunInfo, job: Job | None) -> str:
        return str(meta(run).get("started_by") or (job.started_by if job else ""))

    def run_ruleset(run: RunInfo) -> str:
        js = store.judgements(run.id)
        return (js[-1].ruleset if js and js[-1].ruleset else "") or str(meta(run).get("ruleset") or "")

    def max_pages_of(run: RunInfo) -> int | None:
        collect = run.settings.get("collect")
        value = collect.get("max_pages") if isinstance(collect, dict) else None
        return int(value) if isinstance(value, int) else None

    def elapsed_of(run: RunInfo, job: Job | None, now: datetime) -> float:
        if job is not None:
            return job.elapsed_s(now)
        end = run.finished_at or (now if run.status == "running" else run.started_at)
        return max(0.0, (end - run.started_at).total_seconds())

    def may_cancel(user: WebUser, job: Job | None) -> bool:
        """Supervisors, for a running job whose targets are all within their scope."""
        if user.role != "supervisor" or job is None or not job.active:
            return False
        scope = auth.Scope.of(user)
        return all(scope.allows(t) for t in job.targets)

    def row_json(run: RunInfo, scope: auth.Scope, now: datetime) -> dict[str, Any]:
        job = jobs.get(run.id)
        state = jobs.state_of(run)
        d: dict[str, Any] = {
            "id": run.id, "run": run_json(run), "state": state, "state_label": STATE_LABELS[state],
            "started_by": started_by(run, job), "ruleset": str(meta(run).get("ruleset") or ""),
            "region": str(meta(run).get("region") or ""), "max_pages": max_pages_of(run),
            "elapsed_s": round(elapsed_of(run, job, now), 1),
            "elapsed_text": elapsed_text(elapsed_of(run, job, now)),
        }
        if scope.region:  # a region supervisor sees how many of the run's targets are theirs, no more
            d["counts"] = {"targets": sum(1 for t in store.targets(run.id) if scope.allows(t))}
            d["scoped"] = True
        else:
            d["counts"] = dict(run.counts)
            d["scoped"] = False
        if job is not None and job.active:
            done, total = done_total(run, job, jobs.state_of(run), scope)
            d["progress"] = {"done": done, "total": total}
        return d

    def done_total(run: RunInfo, job: Job | None, state: str, scope: auth.Scope) -> tuple[int, int]:
        """Targets done and in all: of the whole run, or for a region supervisor of the run's
        targets in their region (as ``counts``), never a mix of the two."""
        if scope.region:
            if job is not None:
                mine = {t.id for t in job.targets if scope.allows(t)}
                return len(mine & job.done_ids), len(mine)
            done = sum(1 for t in store.targets(run.id) if scope.allows(t))  # the targets saved
            return done, done  # the store keeps no list of what a finished run was to cover
        if job is not None:
            return job.done, job.total
        if state == DONE:
            total = int(run.counts.get("targets") or 0)
            return total, total
        # cancelled, failed or interrupted without a job here: what the store kept
        done = len(store.targets(run.id))
        return done, int(run.counts.get("targets") or 0) or done

    def progress_json(run: RunInfo, job: Job | None, scope: auth.Scope, now: datetime) -> dict[str, Any]:
        state = jobs.state_of(run)
        done, total = done_total(run, job, state, scope)
        current = [] if job is None else [
            {"target": target_json(p.target), "pages_done": p.pages_done, "pages_total": p.pages_total}
            for p in job.in_progress() if scope.allows(p.target)]
        elapsed = elapsed_of(run, job, now)
        return {"state": state, "state_label": STATE_LABELS[state], "active": state in ACTIVE,
                "done": done, "total": total, "percent": round(100 * done / total, 1) if total else 0.0,
                "scoped": bool(scope.region),
                "current": current, "elapsed_s": round(elapsed, 1), "elapsed_text": elapsed_text(elapsed),
                "error": job.error if job else ""}

    def ruleset_for(request: Request, run: RunInfo) -> RuleSet:
        return ruleset_named(request.query_params.get("ruleset", "").strip() or run_ruleset(run) or DEFAULT_RULESET)

    def summary_json(rep: RunReport) -> dict[str, Any]:
        return {"ruleset": {"id": rep.ruleset_id, "title": rep.ruleset_title}, "targets": len(rep.verdicts),
                "websites": rate_json(rep.websites), "media": rate_json(rep.media),
                "pending": len(rep.pending), "problems": [problem_json(g) for g in rep.problems[:10]]}

    def links_json(run_id: int, rs_id: str) -> dict[str, str]:
        q = f"?run={run_id}&ruleset={quote(rs_id)}"
        return {"dashboard": f"/{q}", "targets": f"/targets{q}",
                "circular": f"/runs/{run_id}/circular.docx?ruleset={quote(rs_id)}",
                "annex": f"/runs/{run_id}/annex.xlsx?ruleset={quote(rs_id)}"}

    def registry_in_scope(user: WebUser) -> list[Target]:
        scope = auth.Scope.of(user)
        return [t for t in store.registry_targets() if scope.allows(t)]

    # ----------------------------------------------------------------- list and form
    @app.get("/inspections")
    def inspection_list(request: Request) -> Response:
        sess = viewer(request)
        user = sess.user
        scope = auth.Scope.of(user)
        now = datetime.now(TZ)
        runs = store.runs(limit=LIST_LIMIT)
        rows = [row_json(r, scope, now) for r in runs]
        active = jobs.active()
        can_start = user.role == "supervisor"
        mine = registry_in_scope(user) if can_start else []
        defaults = {"ruleset": console.settings.ruleset, "max_pages": console.settings.collect.max_pages}
        data: dict[str, Any] = {
            "runs": rows, "can_start": can_start,
            "active_run_id": active.run_id if active else None,
            "rulesets": available_rulesets(), "defaults": defaults,
        }
        if can_start:
            data["registry"] = {"targets": len(mine), "regions": regions_of(mine)}
        ctx = {"rows": rows, "can_start": can_start, "active": active, "rulesets": available_rulesets(),
               "defaults": defaults, "registry_count": len(mine), "regions": regions_of(mine),
               "scope_region": user.region}
        return console.page(request, "inspections.html", ctx, data)

    # ----------------------------------------------------------------- start
    async def supervisor_post(request: Request, what: str) -> tuple[dict[str, Any], WebSession]:
        """Body, session, CSRF, then the role: only supervisors start or cancel inspections."""
        data = await console.body(request)
        sess = await run_in_threadpool(console.session_of, request)
        console.check_csrf(request, sess, data)
        if sess.user.role != "supervisor":
            raise WebError(403, f"无权{what}：只有监管人员可以{what}")
        return data, sess

    @app.post("/inspections")
    async def start(request: Request) -> Response:
        data, sess = await supervisor_post(request, "启动检查")
        user = sess.user
        form = parse_form(data, console.settings.ruleset, console.settings.collect.max_pages)
        busy = jobs.active()
        if busy is not None:
            raise WebError(409, f"已有检查正在进行（检查运行 #{busy.run_id}），请等待其完成或取消后再启动")
        registry, tasks = await run_in_threadpool(lambda: (store.registry_targets(), store.repost_tasks()))
        scope = auth.Scope.of(user)
        mine = [t for t in registry if scope.allows(t)]
        if not mine:
            raise WebError(400, EMPTY_REGISTRY)
        chosen = [t for t in mine if in_region(t, form.region)]
        if not chosen:
            raise WebError(400, f"地区「{form.region}」在您可检查的名录对象中没有匹配的对象")
        settings = replace(console.settings, ruleset=form.ruleset).with_collect(max_pages=form.max_pages)
        only = None if len(chosen) == len(registry) else [t.id for t in chosen]
        run_meta = {"started_by": user.username, "source": "console", **form.to_json()}

        def make(job: Job) -> Any:
            from xuncha.pipeline import inspect_async

            async def go() -> Any:
                tmp = runs_dir / f"job-{secrets.token_hex(6)}"
                try:
                    return await inspect_async(
                        targets=registry, only=only, repost_tasks=tasks, as_of=form.as_of, out=tmp,
                        settings=settings, progress=job, on_run=job.set_run, run_meta=run_meta)
                finally:
                    if job.run_id is not None:
                        _move_outputs(tmp, runs_dir / str(job.run_id))

            return go()

        try:
            job = await jobs.start(make, started_by=user.username, params=form.to_json(), targets=chosen)
        except JobBusy as exc:
            raise WebError(409, f"已有检查正在进行（检查运行 #{exc.job.run_id}），请等待其完成或取消后再启动") from None
        if job.run_id is None:
            raise WebError(500, f"检查未能启动：{job.error or '未知原因'}")
        await run_in_threadpool(store.audit, user.username, "inspection_start", "run", str(job.run_id),
                                None, form.to_json() | {"targets": len(chosen)}, client_ip(request))
        if wants_json(request):
            run = await run_in_threadpool(store.get_run, job.run_id)
            return JSONResponse({"ok": True, "run_id": job.run_id, "targets": len(chosen),
                                 "inspection": progress_json(run, job, scope, datetime.now(TZ))}, status_code=202)
        return RedirectResponse(f"/inspections/{job.run_id}", status_code=303)

    # ----------------------------------------------------------------- progress
    @app.get("/inspections/{run_id}")
    def inspection_page(request: Request, run_id: str) -> Response:
        sess = viewer(request)
        user = sess.user
        scope = auth.Scope.of(user)
        run = run_of(run_id)
        job = jobs.get(run.id)
        now = datetime.now(TZ)
        progress = progress_json(run, job, scope, now)
        row = row_json(run, scope, now)
        summary = links = None
        rs_id = run_ruleset(run) or DEFAULT_RULESET
        if progress["state"] == DONE:
            rs = ruleset_for(request, run)
            rs_id = rs.id
            summary = summary_json(scoped_report(store, run.id, rs, scope.allows))
            links = links_json(run.id, rs.id)
        data = {"id": run.id, "run": run_json(run), "started_by": row["started_by"], "region": row["region"],
                "ruleset": rs_id, "max_pages": row["max_pages"], "counts": row["counts"], **progress,
                "can_cancel": may_cancel(user, job), "summary": summary, "links": links}
        ctx = {"r": run, "row": row, "p": progress, "summary": summary, "links": links, "rs_id": rs_id,
               "rulesets": available_rulesets(), "can_cancel": may_cancel(user, job),
               "interrupted": progress["state"] == INTERRUPTED}
        return console.page(request, "inspection.html", ctx, data)

    # ----------------------------------------------------------------- cancel
    @app.post("/inspections/{run_id}/cancel")
    async def cancel(request: Request, run_id: str) -> Response:
        data, sess = await supervisor_post(request, "取消检查")
        user = sess.user
        run = await run_in_threadpool(run_of, run_id)
        job = jobs.get(run.id)
        if job is None:
            state = jobs.state_of(run)
            raise WebError(409, f"检查运行 #{run.id}（{STATE_LABELS[state]}）不是本控制台正在进行的检查，无法取消")
        if not job.active:
            raise WebError(409, f"检查运行 #{run.id} 已结束（{job.state_label}），无需取消")
        if not may_cancel(user, job):
            raise WebError(403, "无权取消：该检查包含您管辖地区以外的对象")
        before = {"state": job.state, "done": job.done, "total": job.total}
        await jobs.cancel(job)
        after = {"state": job.state, "done": job.done, "total": job.total}
        await run_in_threadpool(store.audit, user.username, "inspection_cancel", "run", str(run.id), before, after,
                                client_ip(request))
        if wants_json(request):
            run = await run_in_threadpool(store.get_run, run.id)
            return JSONResponse({"ok": True, "run_id": run.id,
                                 "inspection": progress_json(run, job, auth.Scope.of(user), datetime.now(TZ))})
        return RedirectResponse(f"/inspections/{run.id}", status_code=303)

    # ----------------------------------------------------------------- downloads
    def download(request: Request, raw_id: str, kind: str) -> Response:
        sess = console.session_of(request)
        user = sess.user
        if user.role not in ("supervisor", "auditor"):
            raise WebError(403, "无权下载通报：只有监管人员和审计人员可以下载")
        run = run_of(raw_id)
        state = jobs.state_of(run)
        if state in ACTIVE:
            raise WebError(409, f"检查运行 #{run.id} 尚未完成（{STATE_LABELS[state]}），完成后才能下载通报和附件")
        if state != DONE:
            raise WebError(409, f"检查运行 #{run.id} {STATE_LABELS[state]}，结果不完整，不能生成通报和附件；"
                                "请重新启动检查")
        rs = ruleset_for(request, run)
        scope = auth.Scope.of(user)
        rep = scoped_report(store, run.id, rs, scope.allows)
        if not rep.verdicts:
            raise WebError(404, f"检查运行 #{run.id} 中没有您可以查看的检查对象")
        region = "/".join(scope.region)
        from xuncha.report.ops import load_ops_summary

        ops = load_ops_summary(store, run.id, allow=scope.allows)  # the quarter's registers, same scope
        content, filename, fallback = _write(run.id, rep, region, kind, ops)
        store.audit(user.username, f"download_{kind}", "run", str(run.id),
                    after={"ruleset": rs.id, "region": region, "targets": len(rep.verdicts)}, ip=client_ip(request))
        return Response(content, media_type=DOCX if kind == "circular" else XLSX,
                        headers={"Content-Disposition": content_disposition(filename, fallback),
                                 "Cache-Control": "no-store"})

    def _write(run_id: int, rep: RunReport, region: str, kind: str, ops: Any) -> tuple[bytes, str, str]:
        """The file's bytes, built in a folder of this request's own (removed at once), and
        its download names."""
        from xuncha.report.circular import period_text

        suffix = "docx" if kind == "circular" else "xlsx"
        with tempfile.TemporaryDirectory(prefix="xuncha-report-") as tmp:
            path = Path(tmp) / f"report.{suffix}"
            with _REPORT_LOCK:
                if kind == "circular":
                    from xuncha.report.circular import write_circular

                    write_circular(rep, path, ops=ops)
                else:
                    from xuncha.report.annex import annex_tables, write_annex_xlsx
                    from xuncha.report.ops import add_ops_sheet

                    write_annex_xlsx(rep, path)
                    if not ops.empty:
                        add_ops_sheet(path, ops, len(annex_tables(rep)) + 1)
            content = path.read_bytes()
        where = f"（{region.replace('/', '')}）" if region else ""
        title = "检查情况通报" if kind == "circular" else "检查情况通报附件"
        filename = f"{period_text(rep.as_of, '{year}年第{quarter}季度')}{title}{where}-运行{run_id}.{suffix}"
        return content, filename, f"run-{run_id}-{kind}.{suffix}"

    def route(kind: str) -> Callable[[Request, str], Response]:
        def handler(request: Request, run_id: str) -> Response:
            return download(request, run_id, kind)

        return handler

    app.add_api_route("/runs/{run_id}/circular.docx", route("circular"), methods=["GET"])
    app.add_api_route("/runs/{run_id}/annex.xlsx", route("annex"), methods=["GET"])
