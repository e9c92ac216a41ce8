"""Store methods of the persistent registry (名录管理) and the repost tasks; mixed into ``Store``.

Row-level reads and writes only; the rules (which lifecycle change is allowed from which
status, what an import changes) live in ``xuncha.registry.manage``, which hands every change to
:meth:`RegistryStoreMixin.registry_apply`: entries and their events are written in one
transaction, and an entry changed by someone else since it was read is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from xuncha.model import Target
from xuncha.registry.reader import STATUS_LABELS
from xuncha.settings import TZ
from xuncha.store.errors import StoreError
from xuncha.store.models_registry import RegistryEntryRow, RegistryEventRow, RepostTaskRow

if TYPE_CHECKING:
    _SessionFactory = Callable[..., AbstractContextManager[Session]]

REGISTRY_SOURCE = "名录"  # Target.source of every target read from the stored registry
_CHUNK = 500


@dataclass(frozen=True)
class RegistryEntry:
    """One registered target and its lifecycle dates."""

    target: Target  # Target.source = "名录"
    opened_on: date | None  # 开设
    closed_on: date | None  # 关停 (临时关停 keeps it None)
    cancelled_on: date | None  # 注销
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class RegistryEvent:
    """One change of an entry, newest first in :meth:`RegistryStoreMixin.registry_events`."""

    id: int
    target_id: str
    action: str  # open | change | suspend | resume | close | cancel
    on: date  # the day it took effect
    at: datetime  # when it was recorded
    by: str
    note: str
    before: dict[str, Any]
    after: dict[str, Any]


@dataclass(frozen=True)
class RegistryWrite:
    """One entry to write with the events that lead to it (see ``registry_apply``).

    ``expect`` is the ``updated_at`` of the entry as it was read: None for a new entry (refused
    when the id exists), else the write is refused when the entry changed in between.
    ``events`` are ``(action, on, note, before, after)`` in the order they happened.
    """

    target: Target
    opened_on: date | None
    closed_on: date | None
    cancelled_on: date | None
    events: tuple[tuple[str, date, str, dict[str, Any], dict[str, Any]], ...] = ()
    expect: datetime | None = None


STALE = "该条目已被他人修改，请刷新后重试"


class RegistryConflict(StoreError):
    """A write refused because the entry is new but exists, or changed since it was read."""

    def __init__(self, message: str, target_id: str = "") -> None:
        super().__init__(message)
        self.target_id = target_id


def _target(r: RegistryEntryRow) -> Target:
    return Target(id=r.target_id, kind=r.kind, name=r.name, url=r.url, owner=r.owner, region=r.region,
                  category=r.category, status=r.status, status_raw=STATUS_LABELS.get(r.status, r.status),
                  flags=frozenset(r.flags or ()), extra=dict(r.extra or {}), source=REGISTRY_SOURCE)


def _label(t: Target) -> str:
    return f"「{t.name}」（{t.id}）" if t.name else f"「{t.id}」"


def _entry(r: RegistryEntryRow) -> RegistryEntry:
    return RegistryEntry(_target(r), r.opened_on, r.closed_on, r.cancelled_on, r.updated_at, r.updated_by)


def _event(r: RegistryEventRow) -> RegistryEvent:
    return RegistryEvent(id=r.id, target_id=r.target_id, action=r.action, on=r.on_date, at=r.at, by=r.by,
                         note=r.note, before=dict(r.before or {}), after=dict(r.after or {}))


def _set_target(row: RegistryEntryRow, t: Target) -> None:
    row.kind, row.name, row.url, row.owner = t.kind, t.name, t.url, t.owner
    row.region, row.category, row.status = t.region, t.category, t.status
    row.flags = sorted(t.flags)
    row.extra = dict(t.extra)


def _task_date(value: object, i: int) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise StoreError(f"转载任务第{i}项：截止日期「{value}」无效，应为 2025-03-20") from None


class RegistryStoreMixin:
    """Uses ``self._session(write=...)`` of ``Store``."""

    if TYPE_CHECKING:
        _session: _SessionFactory

    # ----------------------------------------------------------------- reads
    def registry_targets(self, *, statuses: Collection[str] | None = None) -> list[Target]:
        """The registered targets (optionally only those with these statuses), ordered by id."""
        return [e.target for e in self.registry_entries(statuses=statuses)]

    def registry_entry(self, target_id: str) -> RegistryEntry:
        with self._session() as s:
            row = s.get(RegistryEntryRow, target_id)
            if row is None:
                raise StoreError(f"名录中不存在标识码为「{target_id}」的网站或账号")
            return _entry(row)

    def registry_entries(self, *, statuses: Collection[str] | None = None) -> list[RegistryEntry]:
        """Every entry (optionally only these statuses), ordered by id (the same on both databases)."""
        q = sa.select(RegistryEntryRow)
        if statuses is not None:
            q = q.where(RegistryEntryRow.status.in_(list(statuses)))
        with self._session() as s:
            rows = [_entry(r) for r in s.scalars(q)]
        return sorted(rows, key=lambda e: e.target.id)

    def registry_events(self, target_id: str | None = None, limit: int = 500) -> list[RegistryEvent]:
        """The trail of one entry (or of all), newest first."""
        q = sa.select(RegistryEventRow).order_by(RegistryEventRow.id.desc()).limit(limit)
        if target_id is not None:
            q = q.where(RegistryEventRow.target_id == target_id)
        with self._session() as s:
            return [_event(r) for r in s.scalars(q)]

    # ----------------------------------------------------------------- writes
    def registry_apply(self, writes: Sequence[RegistryWrite], *, by: str, at: datetime | None = None,
                       allow: Callable[[Target], bool] | None = None) -> list[RegistryEntry]:
        """Write entries and their events in one transaction (all or nothing); returns the
        entries as written. Raises RegistryConflict when a new id exists or an entry changed
        since it was read (``RegistryWrite.expect``).

        ``allow`` (the writer's scope) is checked against the rows as locked by this
        transaction and against the targets written: an entry outside it is refused without
        naming it (an id taken outside the scope: "已被使用"; an entry moved out of the scope
        since it was read: ``STALE``), so a scoped writer learns nothing about other entries."""
        at = at or datetime.now(TZ)
        ids = [w.target.id for w in writes]
        if len(set(ids)) != len(ids):
            raise ValueError("registry_apply: one write per target id")
        out: list[RegistryEntry] = []
        try:
            with self._session(write=True) as s:
                rows: dict[str, RegistryEntryRow] = {}
                for i in range(0, len(ids), _CHUNK):
                    q = sa.select(RegistryEntryRow).where(RegistryEntryRow.target_id.in_(ids[i:i + _CHUNK]))
                    rows.update((r.target_id, r) for r in s.scalars(q.with_for_update()))
                for w in writes:
                    t = w.target
                    row = rows.get(t.id)
                    hidden = row is not None and allow is not None and not allow(_target(row))
                    if w.expect is None:
                        if hidden:
                            raise RegistryConflict(f"标识码「{t.id}」已被使用，不能重复开设", t.id)
                        if row is not None:
                            raise RegistryConflict(f"名录中已有标识码「{t.id}」（{row.name}），不能重复开设", t.id)
                        row = RegistryEntryRow(target_id=t.id, created_at=at)
                        s.add(row)
                    elif row is None:
                        raise StoreError(f"名录中不存在标识码为「{t.id}」的网站或账号")
                    elif hidden:
                        raise RegistryConflict(STALE, t.id)
                    elif row.updated_at != w.expect:
                        raise RegistryConflict(
                            f"{STALE}（「{row.name}」（{t.id}）刚被 {row.updated_by or '他人'} 于 "
                            f"{row.updated_at:%Y-%m-%d %H:%M:%S} 修改）", t.id)
                    if allow is not None and not allow(t):
                        raise RegistryConflict(f"{_label(t)}不在您可管理的地区范围内，不能写入", t.id)
                    _set_target(row, t)
                    row.opened_on, row.closed_on, row.cancelled_on = w.opened_on, w.closed_on, w.cancelled_on
                    row.updated_at, row.updated_by = at, by
                    s.flush()
                    for action, on, note, before, after in w.events:
                        s.add(RegistryEventRow(target_id=t.id, action=action, on_date=on, at=at, by=by, note=note,
                                               before=dict(before), after=dict(after)))
                    out.append(_entry(row))
                s.flush()
        except sa_exc.IntegrityError:  # a concurrent writer inserted the same id first
            raise RegistryConflict("名录刚被他人修改（标识码冲突），请刷新后重试") from None
        return out

    # ----------------------------------------------------------------- repost tasks
    def set_repost_tasks(self, tasks: list[dict[str, Any]], *, by: str) -> int:
        """Replace the stored repost tasks ({title, url, deadline, targets} as
        ``load_repost_tasks`` gives them); returns how many are stored."""
        now = datetime.now(TZ)
        rows = []
        for i, t in enumerate(tasks, start=1):
            title = str(t.get("title") or "").strip()
            if not title:
                raise StoreError(f"转载任务第{i}项：任务标题为空")
            targets = t.get("targets") or []
            if isinstance(targets, str):
                targets = [targets]
            rows.append(RepostTaskRow(position=i, title=title, url=str(t.get("url") or "").strip(),
                                      deadline=_task_date(t.get("deadline"), i),
                                      targets=[str(x).strip() for x in targets if str(x).strip()],
                                      updated_at=now, updated_by=by))
        with self._session(write=True) as s:
            s.execute(sa.delete(RepostTaskRow))
            s.add_all(rows)
        return len(rows)

    def repost_tasks(self) -> list[dict[str, Any]]:
        """The stored tasks in their order: [{title, url, deadline: date, targets: [ids]}]."""
        with self._session() as s:
            rows = s.scalars(sa.select(RepostTaskRow).order_by(RepostTaskRow.position, RepostTaskRow.id))
            return [{"title": r.title, "url": r.url, "deadline": r.deadline, "targets": list(r.targets or [])}
                    for r in rows]
