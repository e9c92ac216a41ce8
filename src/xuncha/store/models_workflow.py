"""Tables of the workflow: rectification cases and their events, operational registers
(我为政府网站找错 messages, simulated consultations) (issue 7).

Imported at the end of ``store/models.py`` so that ``Base.metadata`` holds every table.

    rectify_cases ── rectify_events   (every state change appends one event: the audit trail)
    zhaocuo_messages                  (我为政府网站找错 messages, imported or entered by hand)
    consultations                     (simulated user consultations and their replies)
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from xuncha.store.models import AwareDateTime, Base, BigId, Json


class RectifyCaseRow(Base):
    """One problem (target + finding key) a unit must rectify, from notice to re-check.

    ``target`` keeps the whole model.Target as JSON so that a re-check can collect the target
    again without the registry. ``due_on`` is the first deadline (on-time rates are measured
    against it); ``deadline`` moves when a failed re-check reopens the case.
    """

    __tablename__ = "rectify_cases"
    __table_args__ = (sa.Index("ix_rectify_cases_target_id_finding_key", "target_id", "finding_key"),)

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    target_id: Mapped[str] = mapped_column(sa.String(128))
    target_kind: Mapped[str] = mapped_column(sa.String(32))
    target_name: Mapped[str] = mapped_column(sa.Text, default="")
    owner: Mapped[str] = mapped_column(sa.Text, default="")
    target: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    finding_key: Mapped[str] = mapped_column(sa.String(32))
    code: Mapped[str] = mapped_column(sa.String(64))
    severity: Mapped[str] = mapped_column(sa.String(16), default="")
    url: Mapped[str] = mapped_column(sa.Text, default="")
    evidence: Mapped[str] = mapped_column(sa.Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("runs.id", ondelete="SET NULL"), nullable=True)
    state: Mapped[str] = mapped_column(sa.String(16), index=True)
    working_days: Mapped[int] = mapped_column(sa.Integer, default=15)
    opened_at: Mapped[datetime] = mapped_column(AwareDateTime())
    opened_by: Mapped[str] = mapped_column(sa.Text, default="")
    due_on: Mapped[date] = mapped_column(sa.Date)
    deadline: Mapped[date] = mapped_column(sa.Date)
    notified_on: Mapped[date | None] = mapped_column(sa.Date, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    reopen_count: Mapped[int] = mapped_column(sa.Integer, default=0)


class RectifyEventRow(Base):
    """One state change of a case: who, when, from, to, note (+ machine data: re-check findings)."""

    __tablename__ = "rectify_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("rectify_cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime())
    by: Mapped[str] = mapped_column(sa.Text, default="")
    from_state: Mapped[str] = mapped_column(sa.String(16), default="")
    to_state: Mapped[str] = mapped_column(sa.String(16))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)


class ZhaocuoMessageRow(Base):
    """One 我为政府网站找错 message (national platform export or manual entry), by 留言编号."""

    __tablename__ = "zhaocuo_messages"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    msg_no: Mapped[str] = mapped_column(sa.String(64), unique=True)
    site_name: Mapped[str] = mapped_column(sa.Text, default="")
    site_code: Mapped[str] = mapped_column(sa.String(32), default="", index=True)
    unit: Mapped[str] = mapped_column(sa.Text, default="")  # 主管单位 / 办理单位 when known
    received_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    handed_over_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    accepted_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    replied_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    content: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.Text, default="")
    source: Mapped[str] = mapped_column(sa.Text, default="")  # "file.xlsx:12" or "手工录入"


class ConsultationRow(Base):
    """One simulated user consultation posted by an inspector, and the reply it got."""

    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    target_id: Mapped[str] = mapped_column(sa.String(128), index=True)
    target_name: Mapped[str] = mapped_column(sa.Text, default="")
    owner: Mapped[str] = mapped_column(sa.Text, default="")
    channel_url: Mapped[str] = mapped_column(sa.Text, default="")
    question: Mapped[str] = mapped_column(sa.Text)
    sent_at: Mapped[datetime] = mapped_column(AwareDateTime())
    reply_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    reply_text: Mapped[str] = mapped_column(sa.Text, default="")
    evidence: Mapped[list[Any]] = mapped_column(Json, default=list)  # screenshot paths / URLs
    by: Mapped[str] = mapped_column(sa.Text, default="")
