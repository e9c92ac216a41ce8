"""Tables of the web console: users, sessions, login failures, audit log (issue 7).

Imported at the end of ``store/models.py`` so that ``Base.metadata`` holds every table.

- ``users``: accounts of the console. ``role`` is supervisor | unit | auditor; a supervisor
  sees the targets whose registry region starts with ``region`` ("" = all), a unit user only
  the targets whose owner (主管单位) equals ``owner``. Only the argon2id hash is kept.
- ``web_sessions``: server-side sessions; only the SHA-256 of the cookie token is stored, with
  the session's CSRF token and its expiry.
- ``login_failures``: failed logins by username and client address (rate limiting survives
  restarts).
- ``audit_log``: every state change (login, logout, review, user created), with before/after.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from xuncha.store.models import AwareDateTime, Base, BigId, Json

WEB_ROLES: tuple[str, ...] = ("supervisor", "unit", "auditor")


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.Text)
    role: Mapped[str] = mapped_column(sa.String(16))  # WEB_ROLES
    region: Mapped[str] = mapped_column(sa.Text, default="")  # supervisors: region prefix
    owner: Mapped[str] = mapped_column(sa.Text, default="")  # unit users: 主管单位
    display_name: Mapped[str] = mapped_column(sa.Text, default="")
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())


class WebSessionRow(Base):
    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)  # sha256 hex of the cookie
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime())
    ip: Mapped[str] = mapped_column(sa.String(64), default="")


class LoginFailureRow(Base):
    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64))
    ip: Mapped[str] = mapped_column(sa.String(64))
    at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)


class AuditRow(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    username: Mapped[str] = mapped_column(sa.String(64))  # who ("" = system / command line)
    action: Mapped[str] = mapped_column(sa.String(32))  # login, logout, review, user_created
    object_type: Mapped[str] = mapped_column(sa.String(32), default="")
    object_id: Mapped[str] = mapped_column(sa.Text, default="")
    before: Mapped[Any] = mapped_column(Json, nullable=True)
    after: Mapped[Any] = mapped_column(Json, nullable=True)
    ip: Mapped[str] = mapped_column(sa.String(64), default="")
