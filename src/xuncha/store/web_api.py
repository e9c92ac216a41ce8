"""Store methods of the web console (users, sessions, login failures, audit log); mixed into
``Store``. Passwords are hashed by the caller (``xuncha.web.auth``): only hashes come here."""

from __future__ import annotations

import hashlib
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from xuncha.settings import TZ
from xuncha.store.errors import StoreError
from xuncha.store.models_web import WEB_ROLES, AuditRow, LoginFailureRow, UserRow, WebSessionRow

ROLE_LABELS = {"supervisor": "监管人员", "unit": "主管单位", "auditor": "审计人员"}


@dataclass(frozen=True)
class WebUser:
    """An account of the web console (never carries the password hash out of the store)."""

    id: int
    username: str
    role: str  # supervisor | unit | auditor
    region: str = ""
    owner: str = ""
    display_name: str = ""
    active: bool = True

    @property
    def label(self) -> str:
        return self.display_name or self.username


@dataclass(frozen=True)
class WebSession:
    user: WebUser
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    username: str
    action: str
    object_type: str
    object_id: str
    before: Any
    after: Any
    ip: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _user(r: UserRow) -> WebUser:
    return WebUser(r.id, r.username, r.role, r.region, r.owner, r.display_name, r.active)


def _audit(r: AuditRow) -> AuditEntry:
    return AuditEntry(r.id, r.at, r.username, r.action, r.object_type, r.object_id, r.before, r.after, r.ip)


class WebStoreMixin:
    """Uses ``self._session(write=...)`` of ``Store``."""

    _session: Any  # provided by Store: (write: bool = False) -> AbstractContextManager[Session]

    def _web_session(self, write: bool = False) -> AbstractContextManager[Session]:
        return self._session(write=write)  # type: ignore[no-any-return]

    # ----------------------------------------------------------------- users
    def add_user(
        self,
        username: str,
        password_hash: str,
        role: str,
        *,
        region: str = "",
        owner: str = "",
        display_name: str = "",
        created_by: str = "",
        ip: str = "",
    ) -> WebUser:
        """Create an account (and its audit row). Unknown role, empty name, a unit user without
        owner or a taken username raise StoreError in Chinese."""
        username = username.strip()
        if not username or len(username) > 64:
            raise StoreError("用户名不能为空，且不超过 64 个字符")
        if role not in WEB_ROLES:
            raise StoreError(f"角色「{role}」无效（可用：{'、'.join(WEB_ROLES)}）")
        if role == "unit" and not owner.strip():
            raise StoreError("主管单位用户必须指定所属单位（--owner）")
        now = datetime.now(TZ)
        try:
            with self._web_session(write=True) as s:
                row = UserRow(username=username, password_hash=password_hash, role=role,
                              region=region.strip().strip("/"), owner=owner.strip(),
                              display_name=display_name.strip(), active=True, created_at=now)
                s.add(row)
                s.flush()
                user = _user(row)
                s.add(AuditRow(at=now, username=created_by, action="user_created", object_type="user",
                               object_id=username, before=None,
                               after={"role": role, "region": user.region, "owner": user.owner,
                                      "display_name": user.display_name}, ip=ip[:64]))
        except sa_exc.IntegrityError:
            raise StoreError(f"用户名「{username}」已存在") from None
        return user

    def user_credentials(self, username: str) -> tuple[WebUser, str] | None:
        """The account and its password hash (login only), None when unknown."""
        with self._web_session() as s:
            row = s.scalar(sa.select(UserRow).where(UserRow.username == username.strip()))
            return None if row is None else (_user(row), row.password_hash)

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        """Replace a hash (argon2 rehash after a parameter change)."""
        with self._web_session(write=True) as s:
            s.execute(sa.update(UserRow).where(UserRow.id == user_id).values(password_hash=password_hash))

    def users(self) -> list[WebUser]:
        with self._web_session() as s:
            return [_user(r) for r in s.scalars(sa.select(UserRow).order_by(UserRow.id))]

    def get_user(self, username: str) -> WebUser | None:
        with self._web_session() as s:
            row = s.scalar(sa.select(UserRow).where(UserRow.username == username.strip()))
            return None if row is None else _user(row)

    def update_user(self, username: str, *, role: str | None = None, region: str | None = None,
                    owner: str | None = None, display_name: str | None = None) -> WebUser:
        """Change an account's role, region, owner or display name (None = keep). The result
        is checked as ``add_user`` checks a new one; StoreError in Chinese."""
        with self._web_session(write=True) as s:
            row = self._user_row(s, username)
            role = row.role if role is None else role
            if role not in WEB_ROLES:
                raise StoreError(f"角色「{role}」无效（可用：{'、'.join(WEB_ROLES)}）")
            owner = row.owner if owner is None else owner.strip()
            if role == "unit" and not owner:
                raise StoreError("主管单位用户必须指定所属单位")
            row.role = role
            row.owner = owner
            if region is not None:
                row.region = region.strip().strip("/")
            if display_name is not None:
                row.display_name = display_name.strip()
            s.flush()
            return _user(row)

    def set_user_active(self, username: str, active: bool) -> WebUser:
        """Deactivate (every session of the account ends at once) or reactivate an account."""
        with self._web_session(write=True) as s:
            row = self._user_row(s, username)
            row.active = active
            if not active:
                s.execute(sa.delete(WebSessionRow).where(WebSessionRow.user_id == row.id))
            s.flush()
            return _user(row)

    def delete_user_sessions(self, user_id: int, *, keep_token: str | None = None) -> int:
        """End the sessions of an account (all, or all but the one of ``keep_token``)."""
        q = sa.delete(WebSessionRow).where(WebSessionRow.user_id == user_id)
        if keep_token:
            q = q.where(WebSessionRow.token_hash != token_hash(keep_token))
        with self._web_session(write=True) as s:
            return int(s.execute(q).rowcount or 0)

    def _user_row(self, s: Session, username: str) -> UserRow:
        row = s.scalar(sa.select(UserRow).where(UserRow.username == username.strip()))
        if row is None:
            raise StoreError(f"用户「{username}」不存在")
        return row

    # ----------------------------------------------------------------- sessions
    def create_web_session(self, user_id: int, token: str, csrf_token: str, ttl: timedelta, ip: str = "") -> None:
        now = datetime.now(TZ)
        with self._web_session(write=True) as s:
            s.execute(sa.delete(WebSessionRow).where(WebSessionRow.expires_at < now))
            s.add(WebSessionRow(token_hash=token_hash(token), user_id=user_id, csrf_token=csrf_token,
                                created_at=now, expires_at=now + ttl, ip=ip[:64]))

    def web_session(self, token: str) -> WebSession | None:
        """The live session of a cookie token (None when unknown, expired or the user is off)."""
        if not token:
            return None
        with self._web_session() as s:
            found = s.execute(
                sa.select(WebSessionRow, UserRow)
                .join(UserRow, UserRow.id == WebSessionRow.user_id)
                .where(WebSessionRow.token_hash == token_hash(token))
            ).first()
            if found is None:
                return None
            sess, user = found
            if sess.expires_at <= datetime.now(TZ) or not user.active:
                return None
            return WebSession(_user(user), sess.csrf_token, sess.expires_at)

    def delete_web_session(self, token: str) -> None:
        with self._web_session(write=True) as s:
            s.execute(sa.delete(WebSessionRow).where(WebSessionRow.token_hash == token_hash(token)))

    # ----------------------------------------------------------------- login failures
    def add_login_failure(self, username: str, ip: str) -> None:
        with self._web_session(write=True) as s:
            s.add(LoginFailureRow(username=username[:64], ip=ip[:64], at=datetime.now(TZ)))

    def login_failures(self, username: str, ip: str, window: timedelta) -> int:
        since = datetime.now(TZ) - window
        with self._web_session() as s:
            return s.scalar(
                sa.select(sa.func.count()).select_from(LoginFailureRow).where(
                    LoginFailureRow.username == username[:64], LoginFailureRow.ip == ip[:64],
                    LoginFailureRow.at >= since)
            ) or 0

    def clear_login_failures(self, username: str, ip: str, older_than: timedelta = timedelta(days=1)) -> None:
        """Forget a pair's failures after a good login, and everybody's stale ones."""
        cutoff = datetime.now(TZ) - older_than
        with self._web_session(write=True) as s:
            s.execute(sa.delete(LoginFailureRow).where(
                sa.or_(sa.and_(LoginFailureRow.username == username[:64], LoginFailureRow.ip == ip[:64]),
                       LoginFailureRow.at < cutoff)))

    # ----------------------------------------------------------------- audit log
    def audit(self, username: str, action: str, object_type: str = "", object_id: str = "",
              before: Any = None, after: Any = None, ip: str = "") -> None:
        with self._web_session(write=True) as s:
            # bounded to the columns: a login form's username is whatever was typed
            s.add(AuditRow(at=datetime.now(TZ), username=username[:64], action=action[:32],
                           object_type=object_type[:32], object_id=object_id, before=before, after=after,
                           ip=ip[:64]))

    def audit_log(self, limit: int = 200, object_type: str | None = None,
                  object_prefix: str | None = None) -> list[AuditEntry]:
        """Newest first; optionally one object type and ids starting with ``object_prefix``."""
        q = sa.select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        if object_type is not None:
            q = q.where(AuditRow.object_type == object_type)
        if object_prefix is not None:
            q = q.where(AuditRow.object_id.startswith(object_prefix, autoescape=True))
        with self._web_session() as s:
            return [_audit(r) for r in s.scalars(q)]

