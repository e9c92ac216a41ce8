"""Tables of the persistent registry (名录管理, issue 7): the targets with their lifecycle dates,
the trail of every change, and the supervisors' repost tasks.

Imported at the end of ``store/models.py`` so that ``Base.metadata`` holds every table.

    registry_entries ── registry_events   (every write appends one event: the audit trail)
    repost_tasks                          (重要信息转载任务, replaced as a whole on import)
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from xuncha.store.models import AwareDateTime, Base, BigId, Json


class RegistryEntryRow(Base):
    """One registered website or account (model.Target) and its lifecycle dates.

    Entries are never deleted: a unit's partial file leaves the others alone, and a closed or
    cancelled target keeps its history. ``status`` is the normalised TargetStatus.
    """

    __tablename__ = "registry_entries"

    target_id: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    name: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str] = mapped_column(sa.Text, default="")
    owner: Mapped[str] = mapped_column(sa.Text, default="")
    region: Mapped[str] = mapped_column(sa.Text, default="")
    category: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(16), index=True)
    flags: Mapped[list[Any]] = mapped_column(Json, default=list)
    extra: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    opened_on: Mapped[date | None] = mapped_column(sa.Date, nullable=True)
    closed_on: Mapped[date | None] = mapped_column(sa.Date, nullable=True)
    cancelled_on: Mapped[date | None] = mapped_column(sa.Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())
    updated_by: Mapped[str] = mapped_column(sa.Text, default="")


class RegistryEventRow(Base):
    """One change of an entry: 开设 / 变更 / 临时关停 / 恢复运行 / 关停 / 注销, with the date it took
    effect (``on_date``), when and by whom it was recorded, and the fields before and after."""

    __tablename__ = "registry_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    target_id: Mapped[str] = mapped_column(
        sa.ForeignKey("registry_entries.target_id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(16))
    on_date: Mapped[date] = mapped_column(sa.Date)
    at: Mapped[datetime] = mapped_column(AwareDateTime())
    by: Mapped[str] = mapped_column(sa.Text, default="")
    note: Mapped[str] = mapped_column(sa.Text, default="")
    before: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)


class RepostTaskRow(Base):
    """One 重要信息转载任务: the source article, its deadline and the ids that must repost it."""

    __tablename__ = "repost_tasks"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    position: Mapped[int] = mapped_column(sa.Integer)
    title: Mapped[str] = mapped_column(sa.Text)
    url: Mapped[str] = mapped_column(sa.Text, default="")
    deadline: Mapped[date] = mapped_column(sa.Date)
    targets: Mapped[list[Any]] = mapped_column(Json, default=list)
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())
    updated_by: Mapped[str] = mapped_column(sa.Text, default="")
