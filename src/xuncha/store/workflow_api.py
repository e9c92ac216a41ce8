"""Store methods of the workflow (rectification cases, registers); mixed into ``Store``.

Row-level reads and writes only; the rules (deadlines, re-check, statistics) live in
``xuncha.workflow``. Every case change goes through :meth:`WorkflowStoreMixin.transition_case`,
which checks the transition and appends the event in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from xuncha.store.models_workflow import ConsultationRow, RectifyCaseRow, RectifyEventRow, ZhaocuoMessageRow
from xuncha.workflow.types import (
    ACTION_LABELS,
    CLOSED,
    Case,
    CaseEvent,
    Consultation,
    WorkflowError,
    ZhaocuoMessage,
    check_transition,
    state_label,
)

if TYPE_CHECKING:
    _SessionFactory = Callable[..., AbstractContextManager[Session]]

_CASE_FIELDS = (
    "target_id", "target_kind", "target_name", "owner", "finding_key", "code", "severity", "url",
    "evidence", "state", "working_days", "opened_at", "opened_by", "due_on", "deadline",
    "notified_on", "closed_at", "reopen_count", "run_id", "detail", "target",
)
_ZHAOCUO_FIELDS = (
    "site_name", "site_code", "unit", "received_at", "handed_over_at", "accepted_at", "replied_at",
    "content", "status", "source",
)
_CONSULT_FIELDS = (
    "target_id", "target_name", "owner", "channel_url", "question", "sent_at", "reply_at",
    "reply_text", "evidence", "by",
)


def _case(r: RectifyCaseRow) -> Case:
    return Case(id=r.id, **{f: getattr(r, f) for f in _CASE_FIELDS})


def _event(r: RectifyEventRow) -> CaseEvent:
    return CaseEvent(case_id=r.case_id, at=r.at, by=r.by, from_state=r.from_state, to_state=r.to_state,
                     note=r.note, data=dict(r.data or {}), id=r.id)


def _zhaocuo(r: ZhaocuoMessageRow) -> ZhaocuoMessage:
    return ZhaocuoMessage(msg_no=r.msg_no, id=r.id, **{f: getattr(r, f) for f in _ZHAOCUO_FIELDS})


def _consult(r: ConsultationRow) -> Consultation:
    c = Consultation(id=r.id, **{f: getattr(r, f) for f in _CONSULT_FIELDS})
    c.evidence = list(c.evidence or [])
    return c


class WorkflowStoreMixin:
    """Uses ``self._session(write=...)`` of ``Store``."""

    if TYPE_CHECKING:
        _session: _SessionFactory

    # ----------------------------------------------------------------- cases
    def _case_row(self, s: Session, case_id: int) -> RectifyCaseRow:
        row = s.get(RectifyCaseRow, case_id)
        if row is None:
            raise WorkflowError(f"整改事项 #{case_id} 不存在")
        return row

    def create_case(self, case: Case, *, by: str, note: str = "") -> tuple[int, bool]:
        """Insert a case in state ``open`` with its first event, unless a case of the same
        target and finding key is still not closed: then (its id, False)."""
        with self._session(write=True) as s:
            existing = s.scalar(
                sa.select(RectifyCaseRow.id)
                .where(RectifyCaseRow.target_id == case.target_id, RectifyCaseRow.finding_key == case.finding_key,
                       RectifyCaseRow.state != CLOSED)
                .order_by(RectifyCaseRow.id).limit(1)
            )
            if existing is not None:
                return existing, False
            row = RectifyCaseRow(**{f: getattr(case, f) for f in _CASE_FIELDS})
            s.add(row)
            s.flush()
            s.add(RectifyEventRow(case_id=row.id, at=case.opened_at, by=by, from_state="", to_state=case.state,
                                  note=note, data={}))
            return row.id, True

    def get_case(self, case_id: int) -> Case:
        with self._session() as s:
            return _case(self._case_row(s, case_id))

    def list_cases(self, *, owner: str | None = None, state: str | None = None,
                   target_id: str | None = None, states: Iterable[str] | None = None) -> list[Case]:
        """Cases oldest first, filtered by owner / state(s) / target."""
        q = sa.select(RectifyCaseRow).order_by(RectifyCaseRow.id)
        if owner is not None:
            q = q.where(RectifyCaseRow.owner == owner)
        if state is not None:
            q = q.where(RectifyCaseRow.state == state)
        if states is not None:
            q = q.where(RectifyCaseRow.state.in_(list(states)))
        if target_id is not None:
            q = q.where(RectifyCaseRow.target_id == target_id)
        with self._session() as s:
            return [_case(r) for r in s.scalars(q)]

    def transition_case(self, case_id: int, to_state: str, *, by: str, at: datetime, note: str = "",
                        data: dict[str, Any] | None = None, changes: dict[str, Any] | None = None,
                        from_states: Iterable[str] | None = None) -> Case:
        """Move a case to ``to_state`` (checked against the state machine, and against
        ``from_states`` when given), apply ``changes`` to its columns, append the event."""
        with self._session(write=True) as s:
            row = self._case_row(s, case_id)
            check_transition(case_id, row.state, to_state)
            if from_states is not None and row.state not in set(from_states):
                raise _not_from(case_id, row.state, to_state)
            s.add(RectifyEventRow(case_id=case_id, at=at, by=by, from_state=row.state, to_state=to_state,
                                  note=note, data=dict(data or {})))
            row.state = to_state
            for k, v in (changes or {}).items():
                if k not in _CASE_FIELDS:
                    raise ValueError(f"unknown case field {k!r}")
                setattr(row, k, v)
            s.flush()
            return _case(row)

    def case_events(self, case_id: int) -> list[CaseEvent]:
        """The audit trail of a case in the order it was written."""
        with self._session() as s:
            self._case_row(s, case_id)
            rows = s.scalars(sa.select(RectifyEventRow).where(RectifyEventRow.case_id == case_id)
                             .order_by(RectifyEventRow.id))
            return [_event(r) for r in rows]

    # ----------------------------------------------------------------- 找错 messages
    def upsert_zhaocuo(self, messages: Iterable[ZhaocuoMessage]) -> tuple[int, int]:
        """Insert or update messages by 留言编号; returns (added, updated)."""
        added = updated = 0
        with self._session(write=True) as s:
            for m in messages:
                row = s.scalar(sa.select(ZhaocuoMessageRow).where(ZhaocuoMessageRow.msg_no == m.msg_no))
                if row is None:
                    row = ZhaocuoMessageRow(msg_no=m.msg_no)
                    s.add(row)
                    added += 1
                else:
                    updated += 1
                for f in _ZHAOCUO_FIELDS:
                    setattr(row, f, getattr(m, f))
                s.flush()
        return added, updated

    def zhaocuo_messages(self, *, start: datetime | None = None, end: datetime | None = None) -> list[ZhaocuoMessage]:
        """All messages (optionally those whose 留言时间 or 转办时间 falls in [start, end))."""
        with self._session() as s:
            rows = [_zhaocuo(r) for r in s.scalars(sa.select(ZhaocuoMessageRow).order_by(ZhaocuoMessageRow.id))]
        if start is None and end is None:
            return rows
        return [m for m in rows if _in(m.start, start, end)]

    # ----------------------------------------------------------------- consultations
    def add_consultation(self, c: Consultation) -> int:
        with self._session(write=True) as s:
            row = ConsultationRow(**{f: getattr(c, f) for f in _CONSULT_FIELDS})
            s.add(row)
            s.flush()
            return row.id

    def update_consultation(self, consult_id: int, **changes: Any) -> Consultation:
        with self._session(write=True) as s:
            row = s.get(ConsultationRow, consult_id)
            if row is None:
                raise WorkflowError(f"模拟咨询 #{consult_id} 不存在")
            for k, v in changes.items():
                if k not in _CONSULT_FIELDS:
                    raise ValueError(f"unknown consultation field {k!r}")
                setattr(row, k, v)
            s.flush()
            return _consult(row)

    def consultations(self, *, target_id: str | None = None) -> list[Consultation]:
        q = sa.select(ConsultationRow).order_by(ConsultationRow.sent_at, ConsultationRow.id)
        if target_id is not None:
            q = q.where(ConsultationRow.target_id == target_id)
        with self._session() as s:
            return [_consult(r) for r in s.scalars(q)]


def _in(at: datetime | date | None, start: datetime | None, end: datetime | None) -> bool:
    if at is None:
        return False
    return (start is None or at >= start) and (end is None or at < end)


def _not_from(case_id: int, state: str, to_state: str) -> WorkflowError:
    return WorkflowError(
        f"整改事项 #{case_id} 当前状态为「{state_label(state)}」，不能{ACTION_LABELS.get(to_state, to_state)}"
    )
