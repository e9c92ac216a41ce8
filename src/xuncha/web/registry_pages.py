"""Registry management pages (名录管理): the registry kept in the store, its import, export,
edits and lifecycle changes (开设/变更/临时关停/恢复运行/关停/注销) with dates.

Routes::

    GET  /registry                  entries the user may see (?region= &owner= &kind= &status= &q=),
                                    counts by status, the import form, export links
    POST /registry/import           upload a registry file (.xlsx/.csv, at most 20 MB, field
                                    ``file``; ``on``, ``skip_bad_rows``): 新增/变更/未变/问题
    GET  /registry/export           ?format=xlsx|csv (same filters): the import format, only
                                    the entries in the user's scope
    GET  /registry/new, POST        开设 one target (supervisors, inside their region)
    GET  /registry/{id}             one entry: fields, lifecycle dates, event trail, forms
    POST /registry/{id}/edit        变更 fields (supervisors in scope), ``version``
    POST /registry/{id}/lifecycle   ``action`` (开设/临时关停/恢复运行/关停/注销), ``on``, ``note``,
                                    ``version``

Both changes carry the entry's version (``updated_at`` in ISO, the hidden field ``version`` of
the forms, ``version`` in the entry JSON): a form without it answers 400, one whose version is
no longer the entry's 409 ("该条目已被他人修改，请刷新后重试"), so two supervisors saving stale
forms never overwrite each other. JSON callers may leave it out (then the version the request
itself read is used). The scope is checked again inside the write: an entry moved out of a
region supervisor's region meanwhile is refused too, and 开设 of an id taken outside the scope
answers 409 without naming that entry.

Who sees what is ``auth.Scope``: unit users their own unit's entries, auditors and supervisors
without a region everything, region supervisors their region. An entry outside the scope
answers 404 exactly like a missing one, before any role check. Only supervisors write, and a
region supervisor only inside the region (also the target after an edit). Every change goes to
the audit log; bad input answers 400, a change the entry's state refuses 409.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response

from xuncha.errors import RegistryError, RegistryIssue
from xuncha.model import TARGET_KINDS, Target
from xuncha.registry import KIND_LABELS, STATUS_LABELS
from xuncha.registry.manage import (
    EDITABLE,
    FIELD_LABELS,
    LIFECYCLE_ACTIONS,
    ImportSummary,
    LifecycleError,
    add_target,
    allowed_actions,
    apply_changes,
    change_lifecycle,
    describe,
    edit_target,
    entry_fields,
    import_registry,
    in_region,
    parse_action,
    parse_date,
    parse_status,
    target_from_fields,
    today,
    write_entries,
)
from xuncha.settings import TZ
from xuncha.store import StoreError
from xuncha.store.registry_api import RegistryConflict, RegistryEntry, RegistryEvent
from xuncha.store.web_api import WebSession, WebUser
from xuncha.web import auth
from xuncha.web.common import Console, WebError, client_ip, text, wants_json
from xuncha.web.files import (
    UPLOAD_LIMIT,
    content_disposition,
    form_fields,
    read_upload,
    renamed,
    save_upload,
)

UPLOAD_SUFFIXES = (".xlsx", ".csv")
FILTERS = ("region", "owner", "kind", "status", "q")
TRUE = ("1", "true", "on", "yes", "是")
_UNSAFE = re.compile(r"[^\w\u4e00-\u9fff.()（）\-]+")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --------------------------------------------------------------------------- JSON
def _iso(x: date | datetime | None) -> str | None:
    return x.isoformat() if x is not None else None


def entry_json(e: RegistryEntry) -> dict[str, Any]:
    t = e.target
    return entry_fields(e) | {
        "kind_label": KIND_LABELS.get(t.kind, t.kind), "status_label": STATUS_LABELS.get(t.status, t.status),
        "no_service_function": "no_service_function" in t.flags, "updated_at": _iso(e.updated_at),
        "updated_by": e.updated_by, "version": _iso(e.updated_at),
    }


def event_json(ev: RegistryEvent) -> dict[str, Any]:
    return {"id": ev.id, "target_id": ev.target_id, "action": ev.action,
            "action_label": LIFECYCLE_ACTIONS.get(ev.action, ev.action), "on": ev.on.isoformat(),
            "at": ev.at.isoformat(), "by": ev.by, "note": ev.note, "before": ev.before, "after": ev.after,
            "summary": describe(ev.before, ev.after)}


def issue_json(i: RegistryIssue, shown: str) -> dict[str, Any]:
    return {"file": shown, "row": i.row, "column": i.column, "message": i.message}


def summary_json(s: ImportSummary, shown: str) -> dict[str, Any]:
    return {"file": shown, "added": s.added, "changed": s.changed, "unchanged": s.unchanged,
            "absent": len(s.absent), "issues": [issue_json(i, shown) for i in s.issues], "text": s.text()}


def can_write(user: WebUser) -> bool:
    return user.role == "supervisor"


# --------------------------------------------------------------------------- routes
def add_routes(app: FastAPI, console: Console) -> None:
    store = console.store

    def missing(target_id: str) -> WebError:
        return WebError(404, f"名录中未找到「{target_id[:128]}」（或无权查看）")

    def scoped_entry(sess: WebSession, target_id: str) -> RegistryEntry:
        """The entry, or 404 alike for a missing one and one outside the user's scope."""
        if not target_id or len(target_id) > 128:
            raise missing(target_id)
        try:
            e = store.registry_entry(target_id)
        except StoreError as exc:
            if "不存在" not in str(exc):
                raise
            raise missing(target_id) from None
        if not auth.Scope.of(sess.user).allows(e.target):
            raise missing(target_id)
        return e

    def require_writer(user: WebUser, what: str) -> None:
        if not can_write(user):
            raise WebError(403, f"无权{what}：名录只有监管人员可以修改（您的账号为只读）")

    def refused(exc: Exception) -> WebError:
        if isinstance(exc, LifecycleError | RegistryConflict):
            return WebError(409, str(exc))
        return WebError(400, str(exc))

    def day_of(data: dict[str, Any], what: str) -> date:
        raw = text(data, "on")
        try:
            return parse_date(raw, what) if raw else today()
        except RegistryError as exc:
            raise WebError(400, str(exc)) from None

    def region_of(user: WebUser) -> str:
        return "/".join(auth.region_parts(user.region))

    def version_of(request: Request, data: dict[str, Any]) -> datetime | None:
        """The entry version the change was made on (``version``, alias ``expect``): required
        from forms; None for a JSON body without it (the caller then writes against the entry
        as this request read it)."""
        raw = text(data, "version") or text(data, "expect")
        if not raw:
            if "application/json" in request.headers.get("content-type", ""):
                return None
            raise WebError(400, "表单缺少版本信息（version），请刷新页面后重试")
        try:
            v = datetime.fromisoformat(raw)
        except ValueError:
            raise WebError(400, f"版本信息「{raw[:40]}」无效，请刷新页面后重试") from None
        return v if v.tzinfo is not None else v.replace(tzinfo=TZ)

    def scope_check(user: WebUser) -> Callable[[Target], bool] | None:
        """The user's scope for the store's write (None: everything)."""
        scope = auth.Scope.of(user)
        return scope.allows if scope.region or scope.owner is not None else None

    # ----------------------------------------------------------------- list
    def filtered(request: Request, sess: WebSession) -> tuple[dict[str, str], list[RegistryEntry], list[RegistryEntry],
                                                              list[RegistryEntry]]:
        """(filters, every entry in scope, entries matching all but status, entries shown)."""
        f = {k: request.query_params.get(k, "").strip() for k in FILTERS}
        if f["status"]:
            try:
                f["status"] = parse_status(f["status"])
            except RegistryError as exc:
                raise WebError(400, str(exc)) from None
        if f["kind"] and f["kind"] not in TARGET_KINDS:
            raise WebError(400, f"类型「{f['kind']}」无效")
        scope = auth.Scope.of(sess.user)
        mine = [e for e in store.registry_entries() if scope.allows(e.target)]

        def match(t: Target) -> bool:
            return ((not f["region"] or in_region(t, f["region"])) and (not f["owner"] or t.owner == f["owner"])
                    and (not f["kind"] or t.kind == f["kind"])
                    and (not f["q"] or any(f["q"] in x for x in (t.id, t.name, t.url, t.owner))))

        base = [e for e in mine if match(e.target)]
        return f, mine, base, [e for e in base if not f["status"] or e.target.status == f["status"]]

    def list_page(request: Request, sess: WebSession, *, summary: dict[str, Any] | None = None,
                  import_error: dict[str, Any] | None = None, status: int = 200) -> Response:
        f, mine, base, rows = filtered(request, sess)
        counts = Counter(e.target.status for e in base)
        regions = sorted({"/".join(parts[:d]) for e in mine
                          for parts in [auth.region_parts(e.target.region)] for d in range(1, len(parts) + 1)})
        base_query = urlencode({k: v for k, v in f.items() if v and k != "status"})
        data: dict[str, Any] = {
            "filters": f, "count": len(rows), "counts": {s: counts.get(s, 0) for s in STATUS_LABELS},
            "entries": [entry_json(e) for e in rows], "can_edit": can_write(sess.user),
            "export": {fmt: f"/registry/export?{urlencode({**{k: v for k, v in f.items() if v}, 'format': fmt})}"
                       for fmt in ("xlsx", "csv")},
        }
        if summary is not None:
            data["summary"] = summary
        if import_error is not None:
            data |= import_error
        ctx = {"rows": rows, "f": f, "counts": counts, "total": len(base), "regions": regions,
               "owners": sorted({e.target.owner for e in mine if e.target.owner}),
               "kinds": sorted({e.target.kind for e in mine}), "STATUS_LABELS": STATUS_LABELS,
               "can_edit": can_write(sess.user), "base_query": base_query, "export": data["export"], "summary": summary,
               "import_error": import_error, "today": today(), "max_mb": UPLOAD_LIMIT // (1024 * 1024)}
        return console.page(request, "registry.html", ctx, data, status=status)

    @app.get("/registry")
    def registry_list(request: Request) -> Response:
        sess = console.session_of(request)
        return list_page(request, sess)

    # ----------------------------------------------------------------- export
    @app.get("/registry/export")
    def registry_export(request: Request) -> Response:
        sess = console.session_of(request)
        fmt = request.query_params.get("format", "").strip().lower() or ("json" if wants_json(request) else "xlsx")
        if fmt not in ("xlsx", "csv", "json"):
            raise WebError(400, f"导出格式「{fmt}」无效，应为 xlsx 或 csv")
        _, _, _, rows = filtered(request, sess)
        if fmt == "json":
            return JSONResponse({"count": len(rows), "entries": [entry_json(e) for e in rows]})
        with tempfile.TemporaryDirectory(prefix="xuncha-export-") as tmp:
            path = write_entries(rows, Path(tmp) / f"registry.{fmt}")
            content = path.read_bytes()
        stamp = datetime.now(TZ).strftime("%Y%m%d")
        return Response(content, media_type=XLSX_TYPE if fmt == "xlsx" else "text/csv; charset=utf-8",
                        headers={"Content-Disposition": content_disposition(f"名录-{stamp}.{fmt}",
                                                                            f"registry-{stamp}.{fmt}")})

    # ----------------------------------------------------------------- import
    @app.post("/registry/import")
    async def registry_import(request: Request) -> Response:
        sess = await run_in_threadpool(console.session_of, request)
        if "application/json" in request.headers.get("content-type", ""):
            data: dict[str, Any] = await console.body(request)
            console.check_csrf(request, sess, data)
            require_writer(sess.user, "导入名录")
            raise WebError(400, "请以表单（multipart/form-data）上传名录文件，字段名 file")
        form = await read_upload(request)
        try:
            data = form_fields(form)
            console.check_csrf(request, sess, data)
            require_writer(sess.user, "导入名录")
            on = day_of(data, "导入日期")
            skip = text(data, "skip_bad_rows").lower() in TRUE
            saved, shown = await save_upload(form, console.data_dir / "uploads", "registry", UPLOAD_SUFFIXES,
                                             missing="请选择要导入的名录文件（.xlsx 或 .csv）")
        finally:
            await form.close()
        return await run_in_threadpool(_import, request, sess, saved, shown, on, skip)

    def _import(request: Request, sess: WebSession, saved: Path, shown: str, on: date, skip: bool) -> Response:
        user = sess.user
        scope = auth.Scope.of(user)
        before = {e.target.id: e for e in store.registry_entries()}

        def plain(msg: str) -> str:  # the user's file name, never the server's folder
            return renamed(msg, saved, shown)

        try:
            s = import_registry(store, saved, by=user.username, on=on, skip_bad_rows=skip,
                                allow=scope.allows if scope.region else None, note=f"网页导入名录文件 {shown}")
        except (RegistryError, RegistryConflict) as exc:
            issues = [issue_json(i, shown) | {"message": plain(i.message)} for i in getattr(exc, "issues", [])]
            err = {"error": plain(str(exc)), "status": 409 if isinstance(exc, RegistryConflict) else 400,
                   "issues": issues}
            store.audit(user.username, "registry_import_refused", "registry", shown, after={
                "file": shown, "error": err["error"][:2000]}, ip=client_ip(request))
            return list_page(request, sess, import_error=err, status=err["status"])
        summary = summary_json(s, shown)
        for i in summary["issues"]:
            i["message"] = plain(i["message"])
        after = {e.target.id: e for e in store.registry_entries() if e.target.id in set(s.added) | set(s.changed)}
        ip = client_ip(request)
        for tid in [*s.added, *s.changed]:
            old = before.get(tid)
            store.audit(user.username, "registry_open" if old is None else "registry_import", "registry", tid,
                        before=entry_fields(old) if old else None,
                        after=entry_fields(after[tid]) if tid in after else None, ip=ip)
        store.audit(user.username, "registry_import_file", "registry", shown, after={
            "file": shown, "on": on.isoformat(), "added": len(s.added), "changed": len(s.changed),
            "unchanged": s.unchanged, "absent": len(s.absent), "issues": len(s.issues)}, ip=ip)
        if wants_json(request):
            return JSONResponse({"ok": True, "summary": summary})
        return list_page(request, sess, summary=summary)

    # ----------------------------------------------------------------- 开设 (new)
    def new_form(request: Request, sess: WebSession, values: dict[str, Any], error: str = "",
                 status: int = 200) -> Response:
        ctx = {"e": None, "values": values, "error": error, "today": today(), "STATUS_LABELS": STATUS_LABELS,
               "TARGET_KINDS": TARGET_KINDS, "FIELD_LABELS": FIELD_LABELS}
        data: dict[str, Any] = {"fields": [*("id", "kind", "name", "url", "owner", "region", "category", "status"),
                                           "no_service_function", "flags", "on", "note"]}
        if error:
            data |= {"error": error, "status": status}
        return console.page(request, "registry_entry.html", ctx, data, status=status)

    @app.get("/registry/new")
    def registry_new_form(request: Request) -> Response:
        sess = console.session_of(request)
        require_writer(sess.user, "开设")
        return new_form(request, sess, {"region": region_of(sess.user), "status": "running", "kind": "website",
                                        "on": today().isoformat()})

    @console.post(app, "/registry/new")
    def _new(request: Request, data: dict[str, Any]) -> Response:
        sess = console.session_of(request)
        console.check_csrf(request, sess, data)
        user = sess.user
        require_writer(user, "开设")
        fields = {k: text(data, k) for k in ("id", "kind", "name", "url", "owner", "region", "category", "status",
                                             "flags") if k in data}
        fields["no_service_function"] = "是" if text(data, "no_service_function").lower() in TRUE else "否"
        note = text(data, "note")
        values = {k: text(data, k) for k in data if k != "csrf_token"}
        try:
            on = parse_date(text(data, "on"), "开设日期") if text(data, "on") else today()
            t = target_from_fields(fields)
        except RegistryError as exc:
            return new_form(request, sess, values, str(exc), 400)
        if not auth.Scope.of(user).allows(t):
            msg = f"只能在您管辖的地区（{region_of(user)}）内开设：请把地区填写为 {region_of(user)} 或其下级"
            return new_form(request, sess, values, msg, 403)
        try:  # an id taken outside the user's scope is refused without naming that entry
            e = add_target(store, t, by=user.username, on=on, note=note, allow=scope_check(user))
        except (RegistryError, RegistryConflict) as exc:
            err = refused(exc)
            return new_form(request, sess, values, err.message, err.status)
        store.audit(user.username, "registry_open", "registry", e.target.id, before=None,
                    after=entry_fields(e) | {"note": note}, ip=client_ip(request))
        if wants_json(request):
            return JSONResponse({"ok": True, "entry": entry_json(e)})
        return RedirectResponse(f"/registry/{quote(e.target.id, safe='')}", status_code=303)

    # ----------------------------------------------------------------- one entry
    @app.get("/registry/{target_id}")
    def registry_entry(request: Request, target_id: str) -> Response:
        sess = console.session_of(request)
        e = scoped_entry(sess, target_id)
        events = store.registry_events(e.target.id)
        writer = can_write(sess.user)
        actions = allowed_actions(e.target.status) if writer else []
        data = {"entry": entry_json(e), "events": [event_json(ev) for ev in events], "can_edit": writer,
                "actions": [{"name": a, "label": LIFECYCLE_ACTIONS[a]} for a in actions]}
        ctx = {"e": e, "t": e.target, "events": events, "can_edit": writer and e.target.status != "cancelled",
               "actions": actions, "LIFECYCLE_ACTIONS": LIFECYCLE_ACTIONS, "STATUS_LABELS": STATUS_LABELS,
               "TARGET_KINDS": TARGET_KINDS, "FIELD_LABELS": FIELD_LABELS, "today": today(), "describe": describe,
               "error": "", "values": {}}
        return console.page(request, "registry_entry.html", ctx, data)

    def prepare(request: Request, target_id: str, data: dict[str, Any], what: str) -> tuple[WebSession, RegistryEntry]:
        """CSRF, then scope (404), then role (403), in that order."""
        sess = console.session_of(request)
        console.check_csrf(request, sess, data)
        e = scoped_entry(sess, target_id)
        require_writer(sess.user, what)
        return sess, e

    def done(request: Request, e: RegistryEntry) -> Response:
        if wants_json(request):
            return JSONResponse({"ok": True, "entry": entry_json(e)})
        return RedirectResponse(f"/registry/{quote(e.target.id, safe='')}", status_code=303)

    @console.post(app, "/registry/{target_id}/edit")
    def _edit(request: Request, target_id: str, data: dict[str, Any]) -> Response:
        sess, e = prepare(request, target_id, data, "变更")
        user = sess.user
        changes = {k: text(data, k) for k in EDITABLE if k in data and k != "no_service_function"}
        if "no_service_function" in data:
            raw = data["no_service_function"]
            yes = raw if isinstance(raw, bool) else text(data, "no_service_function").lower() in TRUE
            changes["no_service_function"] = "是" if yes else "否"
        for k, v in data.items():
            if isinstance(k, str) and k.startswith("extra.") and k[6:] in e.target.extra:
                changes[k[6:]] = "" if v is None else str(v)
        if not changes:
            raise WebError(400, "没有需要变更的内容")
        on = day_of(data, "变更日期")
        try:
            new = apply_changes(e.target, changes)
        except RegistryError as exc:
            raise WebError(400, str(exc)) from None
        scope = auth.Scope.of(user)
        if not scope.allows(new):
            raise WebError(403, f"不能把对象移出您管辖的地区（{region_of(user)}）")
        version = version_of(request, data)
        try:
            after = edit_target(store, e.target.id, changes, by=user.username, on=on, note=text(data, "note"),
                                expect=version or e.updated_at, allow=scope_check(user))
        except (RegistryError, RegistryConflict) as exc:
            raise refused(exc) from None
        store.audit(user.username, "registry_change", "registry", e.target.id, before=entry_fields(e),
                    after=entry_fields(after) | {"note": text(data, "note")}, ip=client_ip(request))
        return done(request, after)

    @console.post(app, "/registry/{target_id}/lifecycle")
    def _lifecycle(request: Request, target_id: str, data: dict[str, Any]) -> Response:
        sess, e = prepare(request, target_id, data, "变更状态")
        user = sess.user
        try:
            action = parse_action(text(data, "action"))
        except RegistryError as exc:
            raise WebError(400, str(exc)) from None
        if action == "change":
            raise WebError(400, "「变更」请使用变更表单修改具体字段")
        on = day_of(data, f"{LIFECYCLE_ACTIONS[action]}日期")
        note = text(data, "note")
        version = version_of(request, data)
        try:
            after = change_lifecycle(store, e.target.id, action, by=user.username, on=on, note=note,
                                     expect=version or e.updated_at, allow=scope_check(user))
        except (RegistryError, RegistryConflict) as exc:
            raise refused(exc) from None
        store.audit(user.username, f"registry_{action}", "registry", e.target.id, before=entry_fields(e),
                    after=entry_fields(after) | {"on": on.isoformat(), "note": note}, ip=client_ip(request))
        return done(request, after)
