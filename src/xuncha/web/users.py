"""User management (用户管理) for supervisors without a region limit, and every user's own account.

Routes::

    GET  /users                        accounts (administrators only)
    POST /users                        add one: username, display_name, role, region (supervisors),
                                       owner (unit users), password (>= 8 characters)
    GET  /users/{username}             one account and its audit trail
    POST /users/{username}             change role / region / owner / display name
    POST /users/{username}/active      ``active`` = 1 / 0: reactivate / deactivate (never oneself;
                                       a deactivated account's sessions end at once)
    POST /users/{username}/password    reset the password (the account's sessions end)
    GET  /account                      one's own account (every logged-in user)
    POST /account/password             change one's own password: ``current_password``,
                                       ``new_password`` (and ``new_password2`` when given)

An administrator is a supervisor without a region limit; everybody else gets 403 on the
``/users`` pages, HTML and JSON alike. Every change is written to the audit log (never a
password or its hash).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from xuncha.store import StoreError
from xuncha.store.models_web import WEB_ROLES
from xuncha.store.web_api import ROLE_LABELS, WebSession, WebUser
from xuncha.web import auth
from xuncha.web.common import Console, WebError, client_ip, text, wants_json

SESSION_COOKIE = "xuncha_session"  # as web.app: the current session survives one's own password change
MIN_PASSWORD = 8
MAX_PASSWORD = 256
USERNAME = re.compile(r"[\w.@-]{1,64}")  # \w includes Chinese characters
TRUE = ("1", "true", "on", "yes")
FALSE = ("0", "false", "off", "no")
CHANGE_WINDOW_MINUTES = 15  # failed "current password" attempts are limited like logins
CHANGE_MAX_FAILURES = 5


def is_admin(user: WebUser) -> bool:
    return user.role == "supervisor" and not auth.region_parts(user.region)


def user_json(u: WebUser) -> dict[str, Any]:
    return {"username": u.username, "display_name": u.display_name, "role": u.role,
            "role_label": ROLE_LABELS.get(u.role, u.role), "region": u.region, "owner": u.owner,
            "active": u.active, "admin": is_admin(u)}


def profile(u: WebUser) -> dict[str, Any]:
    """What the audit log keeps of an account (never the password hash)."""
    return {"role": u.role, "region": u.region, "owner": u.owner, "display_name": u.display_name}


def check_password(data: dict[str, Any], name: str = "password", confirm: str = "password2") -> str:
    pw = data.get(name)
    pw = pw if isinstance(pw, str) else ""
    if len(pw) < MIN_PASSWORD:
        raise WebError(400, f"密码至少 {MIN_PASSWORD} 个字符")
    if len(pw) > MAX_PASSWORD:
        raise WebError(400, f"密码不能超过 {MAX_PASSWORD} 个字符")
    again = data.get(confirm)
    if isinstance(again, str) and again and again != pw:
        raise WebError(400, "两次输入的密码不一致")
    return pw


def assignment(role: str, region: str, owner: str) -> tuple[str, str]:
    """(region, owner) as the role uses them: region for supervisors, owner for unit users."""
    if role not in WEB_ROLES:
        raise WebError(400, f"角色「{role}」无效（可用：{'、'.join(ROLE_LABELS[r] for r in WEB_ROLES)}）")
    region = "/".join(auth.region_parts(region)) if role == "supervisor" else ""
    owner = owner if role == "unit" else ""
    if role == "unit" and not owner:
        raise WebError(400, "主管单位用户必须填写所属单位（与名录中的主管单位一致）")
    return region, owner


def add_routes(app: FastAPI, console: Console) -> None:
    store = console.store

    def admin_session(request: Request, data: dict[str, Any] | None = None) -> WebSession:
        """Logged in (401), CSRF on POSTs (403), an administrator (403)."""
        sess = console.session_of(request)
        if data is not None:
            console.check_csrf(request, sess, data)
        if not is_admin(sess.user):
            raise WebError(403, "无权管理用户：只有不限地区的监管人员（管理员）可以管理用户")
        return sess

    def user_of(username: str) -> WebUser:
        u = store.get_user(username)
        if u is None:
            raise WebError(404, f"用户「{username}」不存在")
        return u

    def done(request: Request, u: WebUser, status: int = 200, **extra: Any) -> Response:
        if wants_json(request):
            return JSONResponse({"ok": True, "user": user_json(u)} | extra, status_code=status)
        return RedirectResponse(f"/users/{quote(u.username, safe='')}", status_code=303)

    # ----------------------------------------------------------------- list / add
    @app.get("/users")
    def users_page(request: Request) -> Response:
        sess = admin_session(request)
        users = store.users()
        data = {"users": [user_json(u) for u in users], "roles": {r: ROLE_LABELS[r] for r in WEB_ROLES}}
        ctx = {"users": users, "roles": WEB_ROLES, "me": sess.user, "is_admin": is_admin,
               "min_password": MIN_PASSWORD}
        return console.page(request, "users.html", ctx, data)

    @console.post(app, "/users")
    def _add_user(request: Request, data: dict[str, Any]) -> Response:
        sess = admin_session(request, data)
        username = text(data, "username")
        if not USERNAME.fullmatch(username):
            raise WebError(400, "用户名应为 1 至 64 个字母、数字、汉字或 . _ - @，不含空格")
        role = text(data, "role")
        region, owner = assignment(role, text(data, "region"), text(data, "owner"))
        password = check_password(data)
        if store.get_user(username) is not None:
            raise WebError(409, f"用户名「{username}」已存在")
        try:
            u = store.add_user(username, auth.hash_password(password), role, region=region, owner=owner,
                               display_name=text(data, "display_name"), created_by=sess.user.username,
                               ip=client_ip(request))
        except StoreError as exc:
            raise WebError(409 if "已存在" in str(exc) else 400, str(exc)) from None
        return done(request, u, status=201)

    # ----------------------------------------------------------------- one user
    @app.get("/users/{username}")
    def user_page(request: Request, username: str) -> Response:
        sess = admin_session(request)
        u = user_of(username)
        trail = [e for e in store.audit_log(limit=500, object_type="user", object_prefix=u.username)
                 if e.object_id == u.username][:50]
        data = {"user": user_json(u), "roles": {r: ROLE_LABELS[r] for r in WEB_ROLES},
                "audit": [{"at": e.at.isoformat(), "username": e.username, "action": e.action,
                           "before": e.before, "after": e.after, "ip": e.ip} for e in trail]}
        ctx = {"u": u, "roles": WEB_ROLES, "trail": trail, "me": sess.user, "self": u.id == sess.user.id,
               "min_password": MIN_PASSWORD}
        return console.page(request, "user.html", ctx, data)

    @console.post(app, "/users/{username}")
    def _edit_user(request: Request, username: str, data: dict[str, Any]) -> Response:
        sess = admin_session(request, data)
        u = user_of(username)
        role = text(data, "role") or u.role
        region = text(data, "region") if "region" in data else u.region
        owner = text(data, "owner") if "owner" in data else u.owner
        region, owner = assignment(role, region, owner)
        display_name = text(data, "display_name") if "display_name" in data else u.display_name
        if u.id == sess.user.id and (role != u.role or region != u.region):
            raise WebError(409, "不能修改自己的角色或管辖地区（以免失去管理权限），请由其他管理员操作")
        try:
            after = store.update_user(u.username, role=role, region=region, owner=owner,
                                      display_name=display_name)
        except StoreError as exc:
            raise WebError(400, str(exc)) from None
        if profile(after) != profile(u):
            store.audit(sess.user.username, "user_updated", "user", u.username, before=profile(u),
                        after=profile(after), ip=client_ip(request))
        return done(request, after, changed=profile(after) != profile(u))

    @console.post(app, "/users/{username}/active")
    def _set_active(request: Request, username: str, data: dict[str, Any]) -> Response:
        sess = admin_session(request, data)
        u = user_of(username)
        raw = data.get("active")
        raw = ("1" if raw else "0") if isinstance(raw, bool) else str(raw or "").strip().lower()
        if raw not in TRUE + FALSE:
            raise WebError(400, "请指定启用（active=1）或停用（active=0）")
        active = raw in TRUE
        if u.id == sess.user.id and not active:
            raise WebError(409, "不能停用自己的账号")
        after = store.set_user_active(u.username, active)
        if after.active != u.active:
            store.audit(sess.user.username, "user_reactivated" if active else "user_deactivated", "user",
                        u.username, before={"active": u.active}, after={"active": after.active},
                        ip=client_ip(request))
        return done(request, after)

    @console.post(app, "/users/{username}/password")
    def _reset_password(request: Request, username: str, data: dict[str, Any]) -> Response:
        sess = admin_session(request, data)
        u = user_of(username)
        password = check_password(data)
        store.set_password_hash(u.id, auth.hash_password(password))
        keep = request.cookies.get(SESSION_COOKIE, "") if u.id == sess.user.id else None
        ended = store.delete_user_sessions(u.id, keep_token=keep)
        store.audit(sess.user.username, "password_reset", "user", u.username, before=None,
                    after={"sessions_ended": ended}, ip=client_ip(request))
        return done(request, u, sessions_ended=ended)

    # ----------------------------------------------------------------- one's own account
    @app.get("/account")
    def account_page(request: Request) -> Response:
        sess = console.session_of(request)
        changed = request.query_params.get("changed") == "1"
        data = {"user": user_json(sess.user), "expires_at": sess.expires_at.isoformat()}
        ctx = {"u": sess.user, "changed": changed, "min_password": MIN_PASSWORD, "admin": is_admin(sess.user)}
        return console.page(request, "account.html", ctx, data)

    @console.post(app, "/account/password")
    def _change_password(request: Request, data: dict[str, Any]) -> Response:
        sess = console.session_of(request)
        console.check_csrf(request, sess, data)
        me = sess.user
        ip = client_ip(request)
        window = timedelta(minutes=CHANGE_WINDOW_MINUTES)
        if store.login_failures(me.username, ip, window) >= CHANGE_MAX_FAILURES:
            raise WebError(429, f"密码错误次数过多，请 {CHANGE_WINDOW_MINUTES} 分钟后再试")
        current = data.get("current_password")
        current = current if isinstance(current, str) else ""
        if not current:
            raise WebError(400, "请输入当前密码")
        found = store.user_credentials(me.username)
        ok, _rehash = auth.verify_password(found[1] if found else None, current)
        if not ok or found is None:
            store.add_login_failure(me.username, ip)
            store.audit(me.username, "password_change_failed", "user", me.username, ip=ip)
            raise WebError(400, "当前密码不正确")
        password = check_password(data, "new_password", "new_password2")
        if password == current:
            raise WebError(400, "新密码不能与当前密码相同")
        store.set_password_hash(me.id, auth.hash_password(password))
        store.clear_login_failures(me.username, ip)
        ended = store.delete_user_sessions(me.id, keep_token=request.cookies.get(SESSION_COOKIE, ""))
        store.audit(me.username, "password_changed", "user", me.username, before=None,
                    after={"other_sessions_ended": ended}, ip=ip)
        if wants_json(request):
            return JSONResponse({"ok": True, "user": user_json(me), "other_sessions_ended": ended})
        return RedirectResponse("/account?changed=1", status_code=303)
