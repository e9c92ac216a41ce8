"""The FastAPI app of ``xuncha serve``.

One scheme for JSON everywhere: every page's path answers JSON instead of HTML when the request
says ``Accept: application/json`` (or carries ``?format=json``); POSTs take a form body or a
JSON body alike. Errors come back as a Chinese page, or ``{"error": "...", "status": N}``.

Routes::

    GET  /login, POST /login, POST /logout
    GET  /                     dashboard (?run= &ruleset= &region= &owner=)
    GET  /targets              targets list (same filters, plus &verdict= &kind= &q=)
    GET  /targets/{id}         one target (?run= &ruleset=)
    POST /targets/{id}/review  review one finding (supervisors only)
    GET  /audit                audit log (auditors, supervisors without a region limit)
    GET  /cases, /cases/{id}   rectification cases (整改) and their actions: see ``web.cases``

State-changing POSTs need the session's CSRF token (form field ``csrf_token`` or header
``X-CSRF-Token``); the login form carries a signed double-submit token instead.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from xuncha.model import REVIEW_LABELS, REVIEW_STATES, Review
from xuncha.registry import KIND_LABELS
from xuncha.scoring.ruleset import DEFAULT_RULESET, RuleSet, available_rulesets
from xuncha.settings import CollectSettings, Settings
from xuncha.store import Store, StoreError
from xuncha.store.web_api import ROLE_LABELS, WebSession
from xuncha.web import auth
from xuncha.web import cases as case_routes
from xuncha.web import inspections as inspection_routes
from xuncha.web import registers as register_routes
from xuncha.web import registry_pages as registry_routes
from xuncha.web import users as user_routes
from xuncha.web.common import (
    Console,
    NotLoggedIn,
    WebError,
    client_ip,
    is_web_url,
    parse_id,
    ruleset_named,
    wants_json,
)
from xuncha.web.data import (
    REVIEWABLE,
    SEVERITY_LABELS,
    finding_json,
    problem_json,
    rate_json,
    review_json,
    run_json,
    scoped_report,
    target_json,
    target_view,
    verdict_json,
)

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "xuncha_session"
LOGIN_COOKIE = "xuncha_login"
SESSION_TTL = timedelta(hours=12)
LOGIN_WINDOW = timedelta(minutes=15)
LOGIN_MAX_FAILURES = 5
MAX_FORM_BYTES = 1024 * 1024  # forms and JSON bodies (uploads have their own routes and limits)


__all__ = ["NotLoggedIn", "WebError", "client_ip", "create_app", "wants_json"]


def create_app(db_url: str, *, secret: str | None = None, collect_settings: CollectSettings | None = None,
               recheck_timeout_s: float = case_routes.RECHECK_TIMEOUT_S,
               inspect_settings: Settings | None = None, data_dir: Path | None = None) -> FastAPI:
    """The console over the store at ``db_url``. ``secret`` signs the login-form tokens
    (a random one per process when None: open login forms go stale on restart).
    ``collect_settings`` are used by the automatic re-check (复查) of cases (default: the
    normal collection settings, at most 60 pages as ``xuncha case recheck``); a re-check
    running longer than ``recheck_timeout_s`` is abandoned and the case put back.
    ``inspect_settings`` are those of inspections started from the console (default: the
    normal settings on ``db_url``); ``data_dir`` keeps uploads and their output folders
    (default: ``xuncha-data`` beside a SQLite file, else in the working directory)."""
    store = Store(db_url)
    settings = Settings(db_url=db_url)
    settings = (replace(settings, collect=collect_settings) if collect_settings is not None
                else settings.with_collect(max_pages=case_routes.RECHECK_MAX_PAGES))
    inspect_settings = replace(inspect_settings or Settings(), db_url=db_url)
    data_dir = Path(data_dir) if data_dir is not None else default_data_dir(db_url)
    key = (secret or secrets.token_hex(32)).encode()
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals |= {"REVIEW_LABELS": REVIEW_LABELS, "KIND_LABELS": KIND_LABELS,
                              "SEVERITY_LABELS": SEVERITY_LABELS, "ROLE_LABELS": ROLE_LABELS}
    templates.env.tests["web_url"] = is_web_url  # {% if url is web_url %}<a href=…>: no javascript: links

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(title="xuncha 巡查控制台", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.store = store
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    # ------------------------------------------------------------------ plumbing
    def page(request: Request, template: str, ctx: dict[str, Any], data: dict[str, Any],
             status: int = 200) -> Response:
        if wants_json(request):
            return JSONResponse(data, status_code=status)
        sess: WebSession | None = getattr(request.state, "session", None)
        ctx = {"session": sess, "user": sess.user if sess else None,
               "csrf_token": sess.csrf_token if sess else "", **ctx}
        return templates.TemplateResponse(request, template, ctx, status_code=status)

    @app.exception_handler(WebError)
    async def _web_error(request: Request, exc: WebError) -> Response:
        return page(request, "error.html", {"status": exc.status, "message": exc.message},
                    {"error": exc.message, "status": exc.status}, status=exc.status)

    @app.exception_handler(NotLoggedIn)
    async def _not_logged_in(request: Request, exc: NotLoggedIn) -> Response:
        if wants_json(request) or request.method != "GET":
            return JSONResponse({"error": "请先登录", "status": 401}, status_code=401)
        nxt = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(nxt)}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = {404: "页面不存在", 405: "不支持该请求方法"}.get(exc.status_code, "请求无效")
        return await _web_error(request, WebError(exc.status_code, message))

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError) -> Response:
        return await _web_error(request, WebError(404 if "不存在" in str(exc) else 500, str(exc)))

    def session_of(request: Request) -> WebSession:
        sess = store.web_session(request.cookies.get(SESSION_COOKIE, ""))
        if sess is None:
            raise NotLoggedIn
        request.state.session = sess
        return sess

    async def body(request: Request) -> dict[str, Any]:
        """A form or JSON body of at most MAX_FORM_BYTES (read before anything else, also before
        the session is known: the cap keeps an anonymous client from filling memory). File
        uploads have their own routes and limits."""
        raw = await read_capped(request, MAX_FORM_BYTES)
        if "application/json" in request.headers.get("content-type", ""):
            try:
                data = json.loads(raw or b"{}")
            except ValueError:
                raise WebError(400, "请求内容不是有效的 JSON") from None
            return data if isinstance(data, dict) else {}
        request._body = raw  # noqa: SLF001 - Starlette's own cache: form() parses these bytes
        form = await request.form()
        return {k: v for k, v in form.items() if isinstance(v, str)}

    def check_csrf(request: Request, sess: WebSession, data: dict[str, Any]) -> None:
        token = request.headers.get("x-csrf-token") or str(data.get("csrf_token") or "")
        if not auth.same(token, sess.csrf_token):
            raise WebError(403, "安全校验失败（CSRF 令牌无效），请刷新页面后重试")

    console = Console(store, page, session_of, body, check_csrf, settings=inspect_settings, data_dir=data_dir)

    def ruleset_of(request: Request, run_id: int) -> RuleSet:
        name = request.query_params.get("ruleset") or ""
        if not name:
            js = store.judgements(run_id)
            name = js[-1].ruleset if js and js[-1].ruleset else DEFAULT_RULESET
        return ruleset_named(name)

    def run_of(request: Request) -> int:
        raw = request.query_params.get("run")
        if raw:
            rid = parse_id(raw)
            if rid is None:
                raise WebError(400, f"运行编号「{raw}」无效")
            store.get_run(rid)
            return rid
        rid = store.latest_run_id("done")
        if rid is None:
            raise WebError(404, "数据库中还没有完成的检查运行：请先运行 xuncha inspect（或 xuncha demo）")
        return rid

    def filters(request: Request, scope: auth.Scope) -> tuple[dict[str, str], Any]:
        f = {k: request.query_params.get(k, "").strip() for k in ("region", "owner", "verdict", "kind", "q")}
        region = auth.region_parts(f["region"])

        def allow(t: Any) -> bool:
            if not scope.allows(t):
                return False
            if region and auth.region_path(t)[: len(region)] != region:
                return False
            return not f["owner"] or t.owner == f["owner"]

        return f, allow

    def common(request: Request, run_id: int, rs: RuleSet) -> dict[str, Any]:
        return {"run_id": run_id, "run": store.get_run(run_id), "runs": store.runs(limit=20), "rs": rs,
                "rulesets": available_rulesets(), "query": dict(request.query_params)}

    # ------------------------------------------------------------------ login / logout
    def login_page(request: Request, nxt: str, *, error: str = "", username: str = "", status: int = 200) -> Response:
        """The login form with a fresh signed double-submit token (also as JSON)."""
        token = auth.sign(key, auth.new_token())
        body_json: dict[str, Any] = {"csrf_token": token}
        if error:
            body_json |= {"error": error, "status": status}
        resp = page(request, "login.html", {"login_token": token, "next": nxt, "error": error, "username": username},
                    body_json, status=status)
        _set_cookie(request, resp, LOGIN_COOKIE, token, max_age=3600)
        return resp

    @app.get("/login")
    def login_form(request: Request) -> Response:
        return login_page(request, request.query_params.get("next", "/"))

    @console.post(app, "/login")
    def _login(request: Request, data: dict[str, Any]) -> Response:
        username = str(data.get("username") or "").strip()
        password = str(data.get("password") or "")
        token = request.headers.get("x-csrf-token") or str(data.get("csrf_token") or "")
        nxt = str(data.get("next") or "/")
        if not nxt.startswith("/") or nxt.startswith("//"):
            nxt = "/"
        cookie = request.cookies.get(LOGIN_COOKIE, "")
        if not (auth.same(token, cookie) and auth.check_signed(key, token)):
            raise WebError(403, "安全校验失败（登录表单已过期），请刷新登录页后重试")
        ip = client_ip(request)

        def fail(status: int, message: str) -> Response:
            return login_page(request, nxt, error=message, username=username, status=status)

        if not username or not password:
            return fail(400, "请输入用户名和密码")
        if store.login_failures(username, ip, LOGIN_WINDOW) >= LOGIN_MAX_FAILURES:
            return fail(429, f"登录失败次数过多，请 {LOGIN_WINDOW.seconds // 60} 分钟后再试")
        found = store.user_credentials(username)
        ok, rehash = auth.verify_password(found[1] if found else None, password)
        if not ok or found is None or not found[0].active:
            store.add_login_failure(username, ip)
            store.audit(username, "login_failed", "user", username, ip=ip)
            return fail(401, "用户名或密码错误")
        user = found[0]
        if rehash:
            store.set_password_hash(user.id, rehash)
        store.clear_login_failures(username, ip)
        sid, csrf = auth.new_token(), auth.new_token()
        store.create_web_session(user.id, sid, csrf, SESSION_TTL, ip)
        store.audit(user.username, "login", "user", user.username, ip=ip)
        if wants_json(request):
            resp: Response = JSONResponse({"ok": True, "csrf_token": csrf, "user": _user_json(user)})
        else:
            resp = RedirectResponse(nxt, status_code=303)
        _set_cookie(request, resp, SESSION_COOKIE, sid, max_age=int(SESSION_TTL.total_seconds()))
        resp.delete_cookie(LOGIN_COOKIE, path="/")
        return resp

    @console.post(app, "/logout")
    def _logout(request: Request, data: dict[str, Any]) -> Response:
        sess = session_of(request)
        check_csrf(request, sess, data)
        store.delete_web_session(request.cookies.get(SESSION_COOKIE, ""))
        store.audit(sess.user.username, "logout", "user", sess.user.username, ip=client_ip(request))
        resp: Response = (JSONResponse({"ok": True}) if wants_json(request)
                          else RedirectResponse("/login", status_code=303))
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    # ------------------------------------------------------------------ dashboard
    @app.get("/")
    def dashboard(request: Request) -> Response:
        sess = session_of(request)
        scope = auth.Scope.of(sess.user)
        run_id = run_of(request)
        rs = ruleset_of(request, run_id)
        f, allow = filters(request, scope)
        rep = scoped_report(store, run_id, rs, allow)
        base = scoped_report(store, run_id, rs, scope.allows) if any(f.values()) else rep
        owners = sorted({v.target.owner for v in base.verdicts if v.target.owner})
        regions = [r for r in base.by_region if not r.label.endswith("本级")]
        pending_findings = sum(len(v.pending) for v in rep.verdicts)
        warnings = [v for v in rep.verdicts if v.warnings]
        data = {
            "run": run_json(store.get_run(run_id)), "ruleset": {"id": rs.id, "title": rs.title},
            "rulesets": available_rulesets(), "filters": {k: f[k] for k in ("region", "owner")},
            "websites": rate_json(rep.websites), "media": rate_json(rep.media),
            "by_region": [rate_json(r) for r in rep.by_region],
            "by_category": [rate_json(r) for r in rep.by_category],
            "by_platform": [rate_json(r) for r in rep.by_platform],
            "problems": [problem_json(g) for g in rep.problems],
            "warnings": [{"target": target_json(v.target), "warnings": [fi.evidence for fi in v.warnings]}
                         for v in warnings],
            "pending": {"targets": len(rep.pending), "findings": pending_findings},
            "regions": [r.key for r in regions], "owners": owners,
        }
        ctx = common(request, run_id, rs) | {"rep": rep, "f": f, "owners": owners, "regions": regions,
                                             "warnings": warnings, "pending_findings": pending_findings}
        return page(request, "dashboard.html", ctx, data)

    # ------------------------------------------------------------------ targets
    @app.get("/targets")
    def targets(request: Request) -> Response:
        sess = session_of(request)
        scope = auth.Scope.of(sess.user)
        run_id = run_of(request)
        rs = ruleset_of(request, run_id)
        f, allow = filters(request, scope)
        from xuncha.report.data import score_run

        every = [v for v in score_run(store, run_id, rs) if scope.allows(v.target)]
        rows = [v for v in every if allow(v.target)
                and (not f["verdict"] or v.verdict == f["verdict"])
                and (not f["kind"] or v.target.kind == f["kind"])
                and (not f["q"] or f["q"] in v.target.name or f["q"] in v.target.id)]
        owners = sorted({v.target.owner for v in every if v.target.owner})
        regions = sorted({"/".join(auth.region_path(v.target)[:d]) for v in every
                          for d in range(1, len(auth.region_path(v.target)) + 1)})
        data = {"run": run_json(store.get_run(run_id)), "ruleset": {"id": rs.id, "title": rs.title},
                "filters": f, "targets": [verdict_json(v) for v in rows], "count": len(rows)}
        ctx = common(request, run_id, rs) | {"rows": rows, "f": f, "owners": owners, "regions": regions,
                                             "kinds": sorted({v.target.kind for v in every})}
        return page(request, "targets.html", ctx, data)

    def scoped_target(request: Request, sess: WebSession, target_id: str, run_id: int, rs: RuleSet) -> Any:
        view = target_view(store, run_id, target_id, rs)
        if view is None or not auth.Scope.of(sess.user).allows(view.target):
            raise WebError(404, f"未找到目标 {target_id}（或无权查看）")
        return view

    @app.get("/targets/{target_id}")
    def target_page(request: Request, target_id: str) -> Response:
        sess = session_of(request)
        run_id = run_of(request)
        rs = ruleset_of(request, run_id)
        view = scoped_target(request, sess, target_id, run_id, rs)
        v = view.verdict
        findings = sorted(view.result.findings, key=lambda x: (("veto", "deduct", "advisory", "inconclusive")
                                                               .index(x.severity) if x.severity in SEVERITY_LABELS
                                                               else 9, x.code))
        open_cases = case_routes.target_cases(store, sess.user, target_id)
        today = case_routes.today()
        data = {
            "run": run_json(store.get_run(run_id)), "ruleset": {"id": rs.id, "title": rs.title},
            "verdict": verdict_json(v, findings=True),
            "findings": [finding_json(x, view.reviews.get(x.key)) for x in findings],
            "history": [{"run": run_json(r), "verdict": hv.verdict, "score": hv.score} for r, hv in view.history],
            "collection": {"inspected": view.result.inspected, "skipped_reason": view.result.skipped_reason,
                           "pages_crawled": view.result.pages_crawled,
                           "inconclusive_reasons": view.result.inconclusive_reasons},
            "can_review": sess.user.role == "supervisor",
            "cases": [case_routes.case_json(c, today) for c in open_cases],
        }
        ctx = common(request, run_id, rs) | {"view": view, "v": v, "t": view.target, "findings": findings,
                                             "can_review": sess.user.role == "supervisor",
                                             "open_cases": open_cases, "today": today,
                                             "case_of": {c.finding_key: c for c in open_cases},
                                             "REVIEWABLE": REVIEWABLE, "REVIEW_STATES": REVIEW_STATES}
        return page(request, "target.html", ctx, data)

    @console.post(app, "/targets/{target_id}/review")
    def _review(request: Request, target_id: str, data: dict[str, Any]) -> Response:
        sess = session_of(request)
        check_csrf(request, sess, data)
        user = sess.user
        raw_run = data.get("run") or request.query_params.get("run")
        run_id = parse_id(raw_run) if raw_run else run_of(request)
        if run_id is None:
            raise WebError(400, "运行编号无效")
        store.get_run(run_id)
        rs = ruleset_of(request, run_id)
        view = scoped_target(request, sess, target_id, run_id, rs)  # out of scope: 404 first
        if user.role != "supervisor":
            raise WebError(403, "无权审核：只有监管人员可以审核问题")
        finding_key = str(data.get("key") or "")
        finding = next((x for x in view.result.findings if x.key == finding_key), None)
        if finding is None or finding.severity not in REVIEWABLE:
            raise WebError(404, "未找到要审核的问题（只能审核单项否决和扣分问题）")
        state = str(data.get("state") or "")
        if state not in REVIEW_STATES:
            raise WebError(400, f"审核状态「{state}」无效（可用：{'、'.join(REVIEW_LABELS.values())}）")
        reason = str(data.get("reason") or "").strip()
        if state == "false_positive" and not reason:
            raise WebError(400, "标记为误报时必须填写理由")
        serious = str(data.get("serious") or "").lower() in ("1", "true", "on", "yes")
        serious = serious and "PRIVACY" in finding.code
        before = view.reviews.get(finding_key)
        saved = store.set_review(Review(target_id=target_id, finding_key=finding_key, code=finding.code,
                                        state=state, serious=serious, reason=reason, reviewer=user.username,
                                        run_id=run_id))
        store.audit(user.username, "review", "finding", f"{target_id}/{finding_key}",
                    before=review_json(before) if before else None, after=review_json(saved),
                    ip=client_ip(request))
        case_id = None
        if state == "confirmed":
            case_id = _open_case(view.target, finding, run_id, user.username)
        after = target_view(store, run_id, target_id, rs, history=0)
        assert after is not None
        if wants_json(request):
            return JSONResponse({"ok": True, "review": review_json(saved), "verdict": after.verdict.verdict,
                                 "case_id": case_id})
        q = urlencode({"run": run_id, "ruleset": rs.id})
        return RedirectResponse(f"/targets/{quote(target_id)}?{q}#f-{finding_key}", status_code=303)

    def _open_case(target: Any, finding: Any, run_id: int, by: str) -> int | None:
        try:
            from xuncha.workflow.rectify import open_case  # type: ignore[import-not-found]
        except ImportError:
            return None
        try:
            return int(open_case(store, target=target, finding=finding, run_id=run_id, opened_by=by))
        except Exception:  # the review stands even when the workflow fails; the log says why
            log.exception("opening the rectification case failed for %s %s", target.id, finding.code)
            return None

    # ------------------------------------------------------------------ audit log
    @app.get("/audit")
    def audit_page(request: Request) -> Response:
        sess = session_of(request)
        u = sess.user
        if not (u.role == "auditor" or (u.role == "supervisor" and not auth.region_parts(u.region))):
            raise WebError(403, "无权查看审计日志")
        entries = store.audit_log(limit=500)
        data = {"entries": [{"id": e.id, "at": e.at.isoformat(), "username": e.username, "action": e.action,
                             "object_type": e.object_type, "object_id": e.object_id, "before": e.before,
                             "after": e.after, "ip": e.ip} for e in entries]}
        return page(request, "audit.html", {"entries": entries}, data)

    # ------------------------------------------------------------------ rectification cases
    case_routes.add_routes(app, console, settings=settings, recheck_timeout_s=recheck_timeout_s)
    registry_routes.add_routes(app, console)
    inspection_routes.add_routes(app, console)
    register_routes.add_routes(app, console)
    user_routes.add_routes(app, console)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


async def read_capped(request: Request, limit: int) -> bytes:
    """The request body, or 413 as soon as it is larger than ``limit`` (announced or streamed)."""
    announced = request.headers.get("content-length", "")
    if announced.isascii() and announced.isdecimal() and int(announced) > limit:
        raise WebError(413, f"请求内容过大（超过 {limit // 1024} KB）")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise WebError(413, f"请求内容过大（超过 {limit // 1024} KB）")
        chunks.append(chunk)
    return b"".join(chunks)


def default_data_dir(db_url: str) -> Path:
    """``xuncha-data`` beside a SQLite database file, else in the working directory."""
    if db_url.startswith("sqlite:///") and db_url != "sqlite:///:memory:":
        return Path(db_url.removeprefix("sqlite:///")).resolve().parent / "xuncha-data"
    return Path("xuncha-data").resolve()


def _user_json(u: Any) -> dict[str, Any]:
    return {"username": u.username, "role": u.role, "role_label": ROLE_LABELS.get(u.role, u.role),
            "region": u.region, "owner": u.owner, "display_name": u.display_name}


def _set_cookie(request: Request, resp: Response, name: str, value: str, *, max_age: int) -> None:
    resp.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="lax",
                    secure=request.url.scheme == "https")
