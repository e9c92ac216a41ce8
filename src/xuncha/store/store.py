"""The snapshot store: runs, snapshots (websites and new-media accounts), judgements, findings
and probes in SQLite or PostgreSQL.

Collection is separate from judgement: a run's snapshots are saved once and loaded back exactly
(``load_snapshot(...) == snapshot``), so any run can be re-judged later into a new judgement
without fetching and without destroying the previous one.

One code path for both databases; the URL decides (``sqlite:///xuncha.db`` by default,
``postgresql://user@host/db`` for shared deployments, driven by psycopg 3). Opening a Store
migrates the database to the newest schema with Alembic.

Thread use: every public method opens its own session, so a Store may be shared by the threads
of ``asyncio.to_thread``. With SQLite, writes of one process are serialised by a lock (SQLite
has one writer anyway; waiting on a Python lock beats SQLITE_BUSY), reads run beside them (WAL).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import UTC, date, datetime
from pathlib import Path, PurePath
from typing import Any, TypeVar

import sqlalchemy as sa
from alembic.util import CommandError
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.orm import Session, sessionmaker

from xuncha import model
from xuncha.settings import TZ
from xuncha.store import migrations
from xuncha.store.errors import StoreError, mask_url
from xuncha.store.models import (
    RUN_STATUSES,
    AccountDocumentRow,
    AccountSnapshotRow,
    AttachmentRow,
    BodyRow,
    FindingRow,
    JudgementRow,
    LinkCheckRow,
    NetCheckRow,
    PageRow,
    ProbeRow,
    ReviewRow,
    RunRow,
    RunTargetRow,
    SearchAttemptRow,
    SnapshotRow,
)
from xuncha.store.registry_api import RegistryStoreMixin
from xuncha.store.web_api import WebStoreMixin
from xuncha.store.workflow_api import WorkflowStoreMixin

DEFAULT_URL = "sqlite:///xuncha.db"
_CHUNK = 500  # rows per IN (...) list; well under SQLite's bound-parameter limit
_ZLIB_LEVEL = 6
_CONNECT_TIMEOUT_S = 10  # PostgreSQL: fail fast when the server is down
_SQLITE_BUSY_TIMEOUT_S = 30  # another process (``xuncha monitor``) may be writing

T = TypeVar("T")


@dataclasses.dataclass
class RunInfo:
    """One run as listed by ``Store.runs`` / ``Store.get_run``."""

    id: int
    started_at: datetime
    finished_at: datetime | None
    as_of: datetime
    status: str  # running, done, failed, cancelled
    registry: str
    counts: dict[str, Any] = dataclasses.field(default_factory=dict)
    settings: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class JudgementInfo:
    """One judgement of a run (``Store.judgements``)."""

    id: int
    run_id: int
    as_of: datetime
    created_at: datetime
    note: str = ""
    ruleset: str = ""


# --------------------------------------------------------------------------- URL and engine
def normalise_url(url: str) -> sa.URL:
    """Parse a user-given database URL; PostgreSQL goes through psycopg 3.

    ``postgresql://`` and ``postgres://`` become ``postgresql+psycopg://``. A relative SQLite
    path is made absolute against the current directory (now, not at each connection), and its
    folder is created. Anything else raises StoreError in Chinese, password masked.
    """
    raw = (url or "").strip()
    if not raw:
        raise StoreError("数据库地址为空：应为 sqlite:///文件路径 或 postgresql://用户@主机/库名")
    try:
        u = sa.make_url(raw)
    except (sa_exc.ArgumentError, ValueError):
        raise StoreError(
            f"数据库地址无效：{mask_url(raw)}（应为 sqlite:///文件路径 或 postgresql://用户@主机/库名）"
        ) from None
    backend = u.get_backend_name()
    if backend == "postgres" or u.drivername == "postgresql":
        u = u.set(drivername="postgresql+psycopg")
        backend = "postgresql"
    if backend not in ("sqlite", "postgresql"):
        raise StoreError(
            f"不支持的数据库类型 {u.drivername}：{u.render_as_string(hide_password=True)}"
            "（仅支持 SQLite 与 PostgreSQL）"
        )
    if backend == "postgresql" and not u.database:
        raise StoreError(f"PostgreSQL 地址缺少数据库名：{u.render_as_string(hide_password=True)}")
    if backend == "sqlite" and not _is_memory(u) and not u.query.get("uri"):
        path = Path(u.database or "").expanduser().resolve()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"无法创建数据库所在目录 {path.parent}：{exc.strerror or exc}") from exc
        u = u.set(database=str(path))
    return u


def _is_memory(u: sa.URL) -> bool:
    return u.get_backend_name() == "sqlite" and u.database in (None, "", ":memory:")


def _json_default(obj: object) -> object:
    """JSON for the odd values callers put in settings / counts / finding detail."""
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, set | frozenset):
        return sorted(obj, key=str)
    if isinstance(obj, PurePath):
        return str(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    raise TypeError(f"cannot store {type(obj).__name__} as JSON")


def _json_dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, default=_json_default)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    try:
        cur.execute("PRAGMA foreign_keys=ON")
        # Switching a fresh file to WAL needs an exclusive lock. When another process is creating
        # the same file at that moment, SQLite answers "database is locked" at once instead of
        # waiting (its deadlock guard skips the busy handler), so wait here, as the busy timeout would.
        deadline = time.monotonic() + _SQLITE_BUSY_TIMEOUT_S
        while True:
            try:
                cur.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, far fewer fsyncs
    finally:
        cur.close()


def _reason(exc: BaseException, password: str | None) -> str:
    """First line of the driver's message, never the password."""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    text = lines[0].strip() if lines else type(orig).__name__
    if password:
        text = text.replace(password, "***")
    return text


def _chunks(seq: Sequence[T], n: int = _CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


def _utc(dt: datetime) -> datetime:
    """The instant of ``dt`` in UTC (naive = Asia/Shanghai), for matching and sorting."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=TZ)
    return dt.astimezone(UTC)


# --------------------------------------------------------------------------- text blobs
def text_bytes(text: str) -> bytes:
    """UTF-8 of a decoded text; lone surrogates survive (exact round trip)."""
    return text.encode("utf-8", "surrogatepass")


def text_hash(text: str) -> str:
    """The key of a text in the ``bodies`` table: sha256 hex of its UTF-8 bytes."""
    return hashlib.sha256(text_bytes(text)).hexdigest()


def segments_text(segments: Sequence[model.TextSegment]) -> str:
    """The stored form of an attachment's segments: JSON ``[[location, text], ...]``."""
    return json.dumps([[seg.location, seg.text] for seg in segments], ensure_ascii=False)


def _segments(text: str) -> list[model.TextSegment]:
    return [model.TextSegment(loc, txt) for loc, txt in json.loads(text)]


def _page_values(p: model.Page) -> dict[str, Any]:
    return {
        "url": p.url,
        "final_url": p.final_url,
        "status": p.status,
        "content_type": p.content_type,
        "encoding": p.encoding,
        "body_hash": p.body_hash,
        "size": p.size,
        "truncated": p.truncated,
        "elapsed_ms": p.elapsed_ms,
        "fetched_at": p.fetched_at,
        "error": p.error,
        "blocked": p.blocked,
        "redirects": list(p.redirects),
        "depth": p.depth,
        "referrer": p.referrer,
        "role": p.role,
        "headers": dict(p.headers),
    }


def _page(p: PageRow | AccountDocumentRow, texts: dict[str, str]) -> model.Page:
    return model.Page(
        url=p.url,
        final_url=p.final_url,
        status=p.status,
        content_type=p.content_type,
        encoding=p.encoding,
        html=texts[p.text_hash] if p.text_hash else "",
        body_hash=p.body_hash,
        size=p.size,
        truncated=p.truncated,
        elapsed_ms=p.elapsed_ms,
        fetched_at=p.fetched_at,
        error=p.error,
        blocked=p.blocked,
        redirects=list(p.redirects or []),
        depth=p.depth,
        referrer=p.referrer,
        role=p.role,
        headers=dict(p.headers or {}),
    )


# --------------------------------------------------------------------------- new-media accounts
def _iso(dt: datetime | None) -> str | None:
    """A post date as stored: ISO 8601 in Asia/Shanghai (naive = Asia/Shanghai), so the same
    instant always gives the same text (and the same posts blob) whatever zone it came in."""
    return None if dt is None else _utc(dt).astimezone(TZ).isoformat()


def posts_text(posts: Sequence[model.Post]) -> str:
    """The stored form of an account's posts: a JSON list of objects, one per post, in order."""
    return json.dumps(
        [
            {
                "url": p.url,
                "title": p.title,
                "text": p.text,
                "published_at": _iso(p.published_at),
                "kind": p.kind,
                "pinned": p.pinned,
                "deleted": p.deleted,
                "comments_enabled": p.comments_enabled,
                "comment_count": p.comment_count,
                "links": list(p.links),
            }
            for p in posts
        ],
        ensure_ascii=False,
    )


def _posts(text: str) -> list[model.Post]:
    return [
        model.Post(
            url=d["url"],
            title=d["title"],
            text=d["text"],
            published_at=None
            if d["published_at"] is None
            else datetime.fromisoformat(d["published_at"]).astimezone(TZ),
            kind=d["kind"],
            pinned=d["pinned"],
            deleted=d["deleted"],
            comments_enabled=d["comments_enabled"],
            comment_count=d["comment_count"],
            links=list(d["links"]),
        )
        for d in json.loads(text)
    ]


def _state_values(st: model.AccountState) -> dict[str, Any]:
    return {
        "display_name": st.display_name,
        "verified": st.verified,
        "verified_subject": st.verified_subject,
        "avatar_url": st.avatar_url,
        "status": st.status,
        "followers": st.followers,
        "interaction": dict(st.interaction),
        "menu": [[text, url] for text, url in st.menu],
    }


def _state(d: dict[str, Any] | None) -> model.AccountState:
    d = d or {}
    return model.AccountState(
        display_name=d.get("display_name", ""),
        verified=d.get("verified"),
        verified_subject=d.get("verified_subject", ""),
        avatar_url=d.get("avatar_url", ""),
        status=d.get("status", ""),
        followers=d.get("followers"),
        interaction=dict(d.get("interaction") or {}),
        menu=[(text, url) for text, url in d.get("menu") or []],
    )


# --------------------------------------------------------------------------- row <-> model
def _target_values(t: model.Target) -> dict[str, Any]:
    return {
        "kind": t.kind,
        "name": t.name,
        "url": t.url,
        "owner": t.owner,
        "region": t.region,
        "category": t.category,
        "status": t.status,
        "status_raw": t.status_raw,
        "flags": sorted(t.flags),
        "extra": dict(t.extra),
        "source": t.source,
    }


def _target(r: RunTargetRow) -> model.Target:
    return model.Target(
        id=r.target_id,
        kind=r.kind,
        name=r.name,
        url=r.url,
        owner=r.owner,
        region=r.region,
        category=r.category,
        status=r.status,
        status_raw=r.status_raw,
        flags=frozenset(r.flags or ()),
        extra=dict(r.extra or {}),
        source=r.source,
    )


def _run_info(r: RunRow) -> RunInfo:
    return RunInfo(
        id=r.id,
        started_at=r.started_at,
        finished_at=r.finished_at,
        as_of=r.as_of,
        status=r.status,
        registry=r.registry_file,
        counts=dict(r.counts or {}),
        settings=dict(r.settings or {}),
    )


def _finding(r: FindingRow) -> model.Finding:
    return model.Finding(
        target_id=r.target_id,
        code=r.code,
        severity=r.severity,
        url=r.url,
        evidence=r.evidence,
        detected_at=r.detected_at,
        detail=dict(r.detail or {}),
        needs_confirmation=r.needs_confirmation,
    )


def _probe(r: ProbeRow) -> model.Probe:
    return model.Probe(
        target_id=r.target_id,
        url=r.url,
        at=r.at,
        ok=r.ok,
        status=r.status,
        elapsed_ms=r.elapsed_ms,
        error=r.error,
    )


def _probe_values(p: model.Probe) -> dict[str, Any]:
    return {
        "target_id": p.target_id,
        "url": p.url,
        "at": p.at,
        "ok": p.ok,
        "status": p.status,
        "elapsed_ms": p.elapsed_ms,
        "error": p.error,
    }


# --------------------------------------------------------------------------- the store
class _Blobs(dict[str, bytes]):
    """Texts bound for ``bodies``, keyed by the sha256 of their UTF-8 bytes."""

    def add(self, text: str) -> str:
        data = text_bytes(text)
        h = hashlib.sha256(data).hexdigest()
        self[h] = data
        return h


class Store(WebStoreMixin, WorkflowStoreMixin, RegistryStoreMixin):
    """Runs, snapshots, judgements, findings and probes in one database (see module doc)."""

    def __init__(self, url: str = DEFAULT_URL, *, echo: bool = False) -> None:
        self._url = normalise_url(url)
        self.url = self._url.render_as_string(hide_password=True)  # safe to print
        self.dialect = self._url.get_backend_name()  # "sqlite" or "postgresql"
        memory = _is_memory(self._url)
        kw: dict[str, Any] = {"json_serializer": _json_dumps, "echo": echo}
        if self.dialect == "sqlite":
            kw["connect_args"] = {"check_same_thread": False, "timeout": _SQLITE_BUSY_TIMEOUT_S}
            if memory:
                kw["poolclass"] = sa.pool.StaticPool  # one shared in-memory database
        else:
            kw["connect_args"] = {"connect_timeout": _CONNECT_TIMEOUT_S, "application_name": "xuncha"}
            kw["pool_pre_ping"] = True
        try:
            self.engine = sa.create_engine(self._url, **kw)
        except (sa_exc.ArgumentError, sa_exc.NoSuchModuleError, ImportError) as exc:
            raise StoreError(f"无法使用数据库 {self.url}：{_reason(exc, self._url.password)}") from exc
        if self.dialect == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            migrations.upgrade(self.engine)
        except sa_exc.DBAPIError as exc:
            self.engine.dispose()
            raise StoreError(f"无法打开数据库 {self.url}：{_reason(exc, self._url.password)}") from exc
        except CommandError as exc:
            self.engine.dispose()
            raise StoreError(
                f"数据库 {self.url} 的结构无法迁移（可能由更新版本的 xuncha 创建）：{exc}"
            ) from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite: one writer per process at a time; in-memory: one user at a time (shared
        # connection). PostgreSQL handles concurrency itself.
        self._write_lock = threading.RLock() if self.dialect == "sqlite" else None
        self._lock_reads = memory

    # ----------------------------------------------------------------- lifecycle
    def close(self) -> None:
        """Release all connections (the Store must not be used afterwards)."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    @contextmanager
    def _session(self, write: bool = False) -> Iterator[Session]:
        """A session in one transaction (committed on success); driver failures -> StoreError."""
        lock = self._write_lock if (write or self._lock_reads) else None
        try:
            with lock or nullcontext(), self._sessions() as s, s.begin():
                yield s
        except sa_exc.OperationalError as exc:
            raise StoreError(f"数据库操作失败（{self.url}）：{_reason(exc, self._url.password)}") from exc

    def _insert(self, table: sa.Table) -> Any:
        """INSERT supporting ``on_conflict_do_nothing`` on both databases."""
        if self.dialect == "postgresql":
            return pg_dialect.insert(table)
        return sqlite_dialect.insert(table)

    def _run_row(self, s: Session, run_id: int) -> RunRow:
        row = s.get(RunRow, run_id)
        if row is None:
            raise StoreError(f"巡查批次 #{run_id} 不存在（数据库 {self.url}）")
        return row

    # ----------------------------------------------------------------- runs
    def create_run(self, as_of: datetime, registry: str, settings: dict[str, Any]) -> int:
        """Start a run (status ``running``) and return its id."""
        with self._session(write=True) as s:
            row = RunRow(
                started_at=datetime.now(TZ),
                as_of=as_of,
                status="running",
                registry_file=registry,
                settings=settings,
                counts={},
            )
            s.add(row)
            s.flush()
            return row.id

    def finish_run(self, run_id: int, status: str = "done", counts: dict[str, Any] | None = None) -> None:
        """Close a run: status done / failed / cancelled, finish time now, optional counts."""
        if status not in RUN_STATUSES:
            raise ValueError(f"unknown run status {status!r}; expected one of {RUN_STATUSES}")
        with self._session(write=True) as s:
            row = self._run_row(s, run_id)
            row.status = status
            row.finished_at = datetime.now(TZ)
            if counts is not None:
                row.counts = dict(counts)

    def get_run(self, run_id: int) -> RunInfo:
        with self._session() as s:
            return _run_info(self._run_row(s, run_id))

    def runs(self, limit: int = 20) -> list[RunInfo]:
        """The newest runs first."""
        with self._session() as s:
            rows = s.scalars(sa.select(RunRow).order_by(RunRow.id.desc()).limit(limit))
            return [_run_info(r) for r in rows]

    def latest_run_id(self, status: str | None = None) -> int | None:
        """Id of the newest run (optionally the newest with that status), None if there is none."""
        q = sa.select(sa.func.max(RunRow.id))
        if status is not None:
            q = q.where(RunRow.status == status)
        with self._session() as s:
            return s.scalar(q)

    def delete_run(self, run_id: int) -> None:
        """Delete a run and everything it owns. Probes stay (untagged); bodies stay until
        :meth:`prune_bodies`."""
        with self._session(write=True) as s:
            self._run_row(s, run_id)
            s.execute(sa.delete(RunRow).where(RunRow.id == run_id))

    def prune_bodies(self) -> int:
        """Delete bodies no page, snapshot or account snapshot refers to any more; returns how
        many went."""
        b = BodyRow.__table__
        used = [
            sa.exists().where(PageRow.text_hash == b.c.hash),
            sa.exists().where(SnapshotRow.robots_hash == b.c.hash),
            sa.exists().where(AttachmentRow.segments_hash == b.c.hash),
            sa.exists().where(AccountSnapshotRow.posts_hash == b.c.hash),
            sa.exists().where(AccountDocumentRow.text_hash == b.c.hash),
        ]
        with self._session(write=True) as s:
            res = s.execute(sa.delete(b).where(*(~u for u in used)))
            return res.rowcount or 0  # type: ignore[attr-defined]

    # ----------------------------------------------------------------- targets
    def _ensure_run_target(self, s: Session, run_id: int, target: model.Target) -> int:
        """Id of the run_targets row of ``target`` in this run, inserted if missing."""
        t = RunTargetRow.__table__
        stmt = self._insert(t).values(
            run_id=run_id,
            target_id=target.id,
            inspected=True,
            skipped_reason="",
            pages_crawled=0,
            inconclusive_reasons=[],
            **_target_values(target),
        )
        s.execute(stmt.on_conflict_do_nothing(index_elements=["run_id", "target_id"]))
        rt_id = s.scalar(
            sa.select(RunTargetRow.id).where(
                RunTargetRow.run_id == run_id, RunTargetRow.target_id == target.id
            )
        )
        assert rt_id is not None
        return rt_id

    def save_target_result(self, run_id: int, result: model.TargetResult) -> None:
        """Save (or replace) a target's registry fields and per-run outcome.

        Findings are not saved here: they belong to a judgement (:meth:`save_findings`).
        """
        with self._session(write=True) as s:
            self._run_row(s, run_id)
            rt_id = self._ensure_run_target(s, run_id, result.target)
            s.execute(
                sa.update(RunTargetRow)
                .where(RunTargetRow.id == rt_id)
                .values(
                    inspected=result.inspected,
                    skipped_reason=result.skipped_reason,
                    pages_crawled=result.pages_crawled,
                    inconclusive_reasons=list(result.inconclusive_reasons),
                    **_target_values(result.target),
                )
            )

    def targets(self, run_id: int) -> list[model.Target]:
        """The run's targets in the order they were first saved."""
        with self._session() as s:
            self._run_row(s, run_id)
            rows = s.scalars(
                sa.select(RunTargetRow).where(RunTargetRow.run_id == run_id).order_by(RunTargetRow.id)
            )
            return [_target(r) for r in rows]

    def target_results(self, run_id: int) -> list[model.TargetResult]:
        """Per-target outcomes, with the findings of the run's latest judgement filled in."""
        with self._session() as s:
            self._run_row(s, run_id)
            rows = list(
                s.scalars(
                    sa.select(RunTargetRow)
                    .where(RunTargetRow.run_id == run_id)
                    .order_by(RunTargetRow.id)
                )
            )
            by_target: dict[str, list[model.Finding]] = {}
            jid = self._latest_judgement_id(s, run_id)
            if jid is not None:
                for f in self._finding_rows(s, jid):
                    by_target.setdefault(f.target_id, []).append(f)
        return [
            model.TargetResult(
                target=_target(r),
                inspected=r.inspected,
                skipped_reason=r.skipped_reason,
                pages_crawled=r.pages_crawled,
                findings=by_target.get(r.target_id, []),
                inconclusive_reasons=list(r.inconclusive_reasons or []),
            )
            for r in rows
        ]

    # ----------------------------------------------------------------- snapshots
    def save_snapshot(self, run_id: int, snapshot: model.SiteSnapshot) -> None:
        """Save one website's snapshot in one transaction, replacing an earlier save.

        Page texts (crawled pages and cloaking re-fetches alike), attachment segments (as JSON)
        and robots.txt go to ``bodies`` once per distinct content across all runs;
        only texts the database lacks are compressed. The snapshot's probes are stored in the
        probes table tagged with the run (a probe already added by :meth:`add_probes` with the
        same target, URL and time is tagged rather than duplicated).
        """
        blobs = _Blobs()
        blob = blobs.add

        # Crawled pages first, then the cloaking re-fetches (flagged), one seq numbering.
        all_pages = [(p, False) for p in snapshot.pages] + [(p, True) for p in snapshot.cloaked]
        page_hashes = [blob(p.html) if p.html else None for p, _ in all_pages]
        att_hashes = [
            blob(segments_text(a.segments)) if a.segments else None for a in snapshot.attachments
        ]
        robots_hash = blob(snapshot.robots_txt) if snapshot.robots_txt is not None else None

        # Compress outside the write lock, and only what is new.
        new_bodies = self._new_bodies(blobs)

        with self._session(write=True) as s:
            self._run_row(s, run_id)
            rt_id = self._ensure_run_target(s, run_id, snapshot.target)
            # Replace an earlier save of this snapshot (retries stay idempotent).
            s.execute(sa.delete(SnapshotRow).where(SnapshotRow.run_target_id == rt_id))
            s.execute(
                sa.update(ProbeRow)
                .where(ProbeRow.run_id == run_id, ProbeRow.target_id == snapshot.target.id)
                .values(run_id=None, run_seq=None)
            )
            self._insert_bodies(s, new_bodies)
            snap_id = s.scalar(
                sa.insert(SnapshotRow)
                .values(
                    run_target_id=rt_id,
                    home_url=snapshot.home_url,
                    started_at=snapshot.started_at,
                    finished_at=snapshot.finished_at,
                    robots_hash=robots_hash,
                    robots_ignored=snapshot.robots_ignored,
                    budget_exhausted=snapshot.budget_exhausted,
                    notes=list(snapshot.notes),
                )
                .returning(SnapshotRow.id)
            )
            if all_pages:
                s.execute(
                    sa.insert(PageRow.__table__),
                    [
                        {
                            "snapshot_id": snap_id,
                            "seq": i,
                            "text_hash": h,
                            "cloaked": cloaked,
                            **_page_values(p),
                        }
                        for i, ((p, cloaked), h) in enumerate(zip(all_pages, page_hashes, strict=True))
                    ],
                )
            if snapshot.attachments:
                s.execute(
                    sa.insert(AttachmentRow.__table__),
                    [
                        {
                            "snapshot_id": snap_id,
                            "seq": i,
                            "url": a.url,
                            "source_url": a.source_url,
                            "link_text": a.link_text,
                            "status": a.status,
                            "content_type": a.content_type,
                            "kind": a.kind,
                            "size": a.size,
                            "body_hash": a.body_hash,
                            "segments_hash": h,
                            "error": a.error,
                            "truncated": a.truncated,
                            "fetched_at": a.fetched_at,
                        }
                        for i, (a, h) in enumerate(zip(snapshot.attachments, att_hashes, strict=True))
                    ],
                )
            if snapshot.link_checks:
                s.execute(
                    sa.insert(LinkCheckRow.__table__),
                    [
                        {
                            "snapshot_id": snap_id,
                            "seq": i,
                            "key": None if key == lc.url else key,
                            "url": lc.url,
                            "final_url": lc.final_url,
                            "status": lc.status,
                            "error": lc.error,
                            "inconclusive": lc.inconclusive,
                            "content_type": lc.content_type,
                            "size": lc.size,
                            "method": lc.method,
                            "checked_at": lc.checked_at,
                            "elapsed_ms": lc.elapsed_ms,
                        }
                        for i, (key, lc) in enumerate(snapshot.link_checks.items())
                    ],
                )
            if snapshot.net is not None:
                n = snapshot.net
                s.execute(
                    sa.insert(NetCheckRow.__table__).values(
                        snapshot_id=snap_id,
                        host=n.host,
                        aaaa=list(n.aaaa),
                        ipv6_error=n.ipv6_error,
                        ipv6_status=n.ipv6_status,
                        ipv6_title_same=n.ipv6_title_same,
                        https_ok=n.https_ok,
                        https_error=n.https_error,
                        cert_not_after=n.cert_not_after,
                        http_redirects_to_https=n.http_redirects_to_https,
                    )
                )
            if snapshot.search is not None:
                a = snapshot.search
                s.execute(
                    sa.insert(SearchAttemptRow.__table__).values(
                        snapshot_id=snap_id,
                        query=a.query,
                        url=a.url,
                        status=a.status,
                        found=a.found,
                        error=a.error,
                    )
                )
            self._attach_probes(s, run_id, snapshot.probes)

    def _existing_hashes(self, s: Session, hashes: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(hashes):
            found.update(s.scalars(sa.select(BodyRow.hash).where(BodyRow.hash.in_(chunk))))
        return found

    def _attach_probes(self, s: Session, run_id: int, probes: Sequence[model.Probe]) -> None:
        """Tag matching untagged probe rows with the run, insert the others."""
        if not probes:
            return
        untagged: dict[tuple[str, str, datetime], list[int]] = {}
        for chunk in _chunks(probes):
            rows = s.execute(
                sa.select(ProbeRow.id, ProbeRow.target_id, ProbeRow.url, ProbeRow.at)
                .where(
                    ProbeRow.run_id.is_(None),
                    ProbeRow.target_id.in_({p.target_id for p in chunk}),
                    ProbeRow.at.in_([p.at for p in chunk]),
                )
                .order_by(ProbeRow.id)
            )
            for pid, tid, url, at in rows:
                untagged.setdefault((tid, url, _utc(at)), []).append(pid)
        updates: list[dict[str, Any]] = []
        inserts: list[dict[str, Any]] = []
        for seq, p in enumerate(probes):
            ids = untagged.get((p.target_id, p.url, _utc(p.at)))
            if ids:
                updates.append({"id": ids.pop(0), "run_id": run_id, "run_seq": seq})
            else:
                inserts.append({**_probe_values(p), "run_id": run_id, "run_seq": seq})
        if updates:
            s.execute(sa.update(ProbeRow), updates)
        if inserts:
            s.execute(sa.insert(ProbeRow.__table__), inserts)

    def _load_texts(self, s: Session, hashes: Iterable[str | None]) -> dict[str, str]:
        wanted = sorted({h for h in hashes if h})
        texts: dict[str, str] = {}
        for chunk in _chunks(wanted):
            for h, data in s.execute(sa.select(BodyRow.hash, BodyRow.data).where(BodyRow.hash.in_(chunk))):
                texts[h] = zlib.decompress(data).decode("utf-8", "surrogatepass")
        return texts

    def load_snapshot(self, run_id: int, target_id: str) -> model.SiteSnapshot:
        """The snapshot saved for ``target_id`` in ``run_id``, exactly as it was saved."""
        with self._session() as s:
            rt, snap = self._snapshot_row(s, run_id, target_id, SnapshotRow, "网站")
            return self._build_snapshot(s, run_id, rt, snap)

    def _build_snapshot(
        self, s: Session, run_id: int, rt: RunTargetRow, snap: SnapshotRow
    ) -> model.SiteSnapshot:
        pages = list(s.scalars(sa.select(PageRow).where(PageRow.snapshot_id == snap.id).order_by(PageRow.seq)))
        atts = list(
            s.scalars(
                sa.select(AttachmentRow).where(AttachmentRow.snapshot_id == snap.id).order_by(AttachmentRow.seq)
            )
        )
        texts = self._load_texts(
            s, [p.text_hash for p in pages] + [a.segments_hash for a in atts] + [snap.robots_hash]
        )
        checks = s.scalars(
            sa.select(LinkCheckRow).where(LinkCheckRow.snapshot_id == snap.id).order_by(LinkCheckRow.seq)
        )
        net = s.get(NetCheckRow, snap.id)
        search = s.get(SearchAttemptRow, snap.id)
        probes = s.scalars(
            sa.select(ProbeRow)
            .where(ProbeRow.run_id == run_id, ProbeRow.target_id == rt.target_id)
            .order_by(ProbeRow.run_seq)
        )
        return model.SiteSnapshot(
            target=_target(rt),
            home_url=snap.home_url,
            started_at=snap.started_at,
            finished_at=snap.finished_at,
            pages=[_page(p, texts) for p in pages if not p.cloaked],
            cloaked=[_page(p, texts) for p in pages if p.cloaked],
            attachments=[
                model.Attachment(
                    url=a.url,
                    source_url=a.source_url,
                    link_text=a.link_text,
                    status=a.status,
                    content_type=a.content_type,
                    kind=a.kind,
                    size=a.size,
                    body_hash=a.body_hash,
                    segments=_segments(texts[a.segments_hash]) if a.segments_hash else [],
                    error=a.error,
                    truncated=a.truncated,
                    fetched_at=a.fetched_at,
                )
                for a in atts
            ],
            link_checks={
                (c.key if c.key is not None else c.url): model.LinkCheck(
                    url=c.url,
                    final_url=c.final_url,
                    status=c.status,
                    error=c.error,
                    inconclusive=c.inconclusive,
                    content_type=c.content_type,
                    size=c.size,
                    method=c.method,
                    checked_at=c.checked_at,
                    elapsed_ms=c.elapsed_ms,
                )
                for c in checks
            },
            probes=[_probe(p) for p in probes],
            net=None
            if net is None
            else model.NetCheck(
                host=net.host,
                aaaa=list(net.aaaa or []),
                ipv6_error=net.ipv6_error,
                ipv6_status=net.ipv6_status,
                ipv6_title_same=net.ipv6_title_same,
                https_ok=net.https_ok,
                https_error=net.https_error,
                cert_not_after=net.cert_not_after,
                http_redirects_to_https=net.http_redirects_to_https,
            ),
            search=None
            if search is None
            else model.SearchAttempt(
                query=search.query,
                url=search.url,
                status=search.status,
                found=search.found,
                error=search.error,
            ),
            robots_txt=texts[snap.robots_hash] if snap.robots_hash else None,
            robots_ignored=snap.robots_ignored,
            budget_exhausted=snap.budget_exhausted,
            notes=list(snap.notes or []),
        )

    def iter_snapshots(self, run_id: int) -> Iterator[model.SiteSnapshot]:
        """Every snapshot of the run, in target order, loaded one at a time."""
        for target_id in self.snapshot_target_ids(run_id):
            yield self.load_snapshot(run_id, target_id)

    def previous_snapshot_run(self, target_id: str, before_run_id: int) -> int | None:
        """The latest run before ``before_run_id`` holding a snapshot of ``target_id`` (the
        baseline for tampering checks), or None."""
        with self._session() as s:
            return s.scalar(
                sa.select(sa.func.max(RunTargetRow.run_id))
                .join(SnapshotRow, SnapshotRow.run_target_id == RunTargetRow.id)
                .where(RunTargetRow.target_id == target_id, RunTargetRow.run_id < before_run_id)
            )

    def snapshot_target_ids(self, run_id: int) -> list[str]:
        """Ids of the targets that have a snapshot in the run (target order)."""
        return self._ids_with(run_id, SnapshotRow)

    def _ids_with(self, run_id: int, row: type[SnapshotRow] | type[AccountSnapshotRow]) -> list[str]:
        """Ids of the run's targets that have a row of ``row`` (website or account snapshot)."""
        with self._session() as s:
            self._run_row(s, run_id)
            return list(
                s.scalars(
                    sa.select(RunTargetRow.target_id)
                    .join(row, row.run_target_id == RunTargetRow.id)
                    .where(RunTargetRow.run_id == run_id)
                    .order_by(RunTargetRow.id)
                )
            )

    def _snapshot_row(self, s: Session, run_id: int, target_id: str, row: type[Any], what: str) -> Any:
        """(run target row, snapshot row) of a website or account snapshot; StoreError naming it."""
        self._run_row(s, run_id)
        found = s.execute(
            sa.select(RunTargetRow, row)
            .join(row, row.run_target_id == RunTargetRow.id)
            .where(RunTargetRow.run_id == run_id, RunTargetRow.target_id == target_id)
        ).first()
        if found is None:
            raise StoreError(f"巡查批次 #{run_id} 中没有{what} {target_id} 的采集快照")
        return found

    def _new_bodies(self, blobs: dict[str, bytes]) -> list[dict[str, Any]]:
        """Rows for the blobs the database lacks, compressed (outside the write lock)."""
        with self._session() as s:
            known = self._existing_hashes(s, list(blobs))
        return [
            {"hash": h, "data": zlib.compress(data, _ZLIB_LEVEL), "size": len(data)}
            for h, data in blobs.items()
            if h not in known
        ]

    def _insert_bodies(self, s: Session, rows: Sequence[dict[str, Any]]) -> None:
        for chunk in _chunks(rows, 100):
            s.execute(
                self._insert(BodyRow.__table__).on_conflict_do_nothing(index_elements=["hash"]),
                list(chunk),
            )

    # ----------------------------------------------------------------- account snapshots
    def save_account_snapshot(self, run_id: int, snap: model.AccountSnapshot) -> None:
        """Save one new-media account's snapshot in one transaction, replacing an earlier save.

        The account hangs off the run's ``run_targets`` row of ``snap.target`` (inserted when
        :meth:`save_target_result` has not stored it yet). The posts (one JSON blob) and each
        document's text go to ``bodies`` once per distinct content across all runs.
        """
        blobs = _Blobs()
        blob = blobs.add

        posts_hash = blob(posts_text(snap.posts)) if snap.posts else None
        doc_hashes = [blob(d.html) if d.html else None for d in snap.documents]
        new_bodies = self._new_bodies(blobs)

        with self._session(write=True) as s:
            self._run_row(s, run_id)
            rt_id = self._ensure_run_target(s, run_id, snap.target)
            s.execute(sa.delete(AccountSnapshotRow).where(AccountSnapshotRow.run_target_id == rt_id))
            self._insert_bodies(s, new_bodies)
            acc_id = s.scalar(
                sa.insert(AccountSnapshotRow)
                .values(
                    run_target_id=rt_id,
                    source=snap.source,
                    adapter=snap.adapter,
                    fetched_at=snap.fetched_at,
                    health=snap.health,
                    health_detail=snap.health_detail,
                    state=_state_values(snap.state),
                    posts_hash=posts_hash,
                )
                .returning(AccountSnapshotRow.id)
            )
            if snap.documents:
                s.execute(
                    sa.insert(AccountDocumentRow.__table__),
                    [
                        {"account_snapshot_id": acc_id, "seq": i, "text_hash": h, **_page_values(d)}
                        for i, (d, h) in enumerate(zip(snap.documents, doc_hashes, strict=True))
                    ],
                )

    def load_account_snapshot(self, run_id: int, target_id: str) -> model.AccountSnapshot:
        """The account snapshot saved for ``target_id`` in ``run_id``, exactly as it was saved
        (datetimes aware, in Asia/Shanghai)."""
        with self._session() as s:
            rt, acc = self._snapshot_row(s, run_id, target_id, AccountSnapshotRow, "账号")
            docs = list(
                s.scalars(
                    sa.select(AccountDocumentRow)
                    .where(AccountDocumentRow.account_snapshot_id == acc.id)
                    .order_by(AccountDocumentRow.seq)
                )
            )
            texts = self._load_texts(s, [d.text_hash for d in docs] + [acc.posts_hash])
            return model.AccountSnapshot(
                target=_target(rt),
                source=acc.source,
                adapter=acc.adapter,
                fetched_at=acc.fetched_at,
                health=acc.health,
                health_detail=acc.health_detail,
                state=_state(acc.state),
                posts=_posts(texts[acc.posts_hash]) if acc.posts_hash else [],
                documents=[_page(d, texts) for d in docs],
            )

    def iter_account_snapshots(self, run_id: int) -> Iterator[model.AccountSnapshot]:
        """Every account snapshot of the run, in target order, loaded one at a time."""
        for target_id in self.account_target_ids(run_id):
            yield self.load_account_snapshot(run_id, target_id)

    def account_target_ids(self, run_id: int) -> list[str]:
        """Ids of the targets that have an account snapshot in the run (target order)."""
        return self._ids_with(run_id, AccountSnapshotRow)

    # ----------------------------------------------------------------- judgements, findings
    def new_judgement(self, run_id: int, as_of: datetime, note: str = "", ruleset: str = "") -> int:
        """Open a new judgement of the run (earlier ones are kept) and return its id."""
        with self._session(write=True) as s:
            self._run_row(s, run_id)
            row = JudgementRow(run_id=run_id, as_of=as_of, created_at=datetime.now(TZ), note=note, ruleset=ruleset)
            s.add(row)
            s.flush()
            return row.id

    def judgements(self, run_id: int) -> list[JudgementInfo]:
        """The run's judgements, oldest first."""
        with self._session() as s:
            self._run_row(s, run_id)
            rows = s.scalars(
                sa.select(JudgementRow).where(JudgementRow.run_id == run_id).order_by(JudgementRow.id)
            )
            return [JudgementInfo(r.id, r.run_id, r.as_of, r.created_at, r.note, r.ruleset) for r in rows]

    def _latest_judgement_id(self, s: Session, run_id: int) -> int | None:
        return s.scalar(sa.select(sa.func.max(JudgementRow.id)).where(JudgementRow.run_id == run_id))

    def _judgement_of_run(self, s: Session, run_id: int, judgement_id: int) -> None:
        row = s.get(JudgementRow, judgement_id)
        if row is None or row.run_id != run_id:
            raise StoreError(f"巡查批次 #{run_id} 没有编号为 {judgement_id} 的评判")

    def _finding_rows(self, s: Session, judgement_id: int) -> list[model.Finding]:
        rows = s.scalars(
            sa.select(FindingRow).where(FindingRow.judgement_id == judgement_id).order_by(FindingRow.id)
        )
        return [_finding(r) for r in rows]

    def save_findings(self, run_id: int, judgement_id: int, findings: Sequence[model.Finding]) -> None:
        """Append findings to a judgement of the run (may be called once per target)."""
        with self._session(write=True) as s:
            self._run_row(s, run_id)
            self._judgement_of_run(s, run_id, judgement_id)
            if not findings:
                return
            s.execute(
                sa.insert(FindingRow.__table__),
                [
                    {
                        "judgement_id": judgement_id,
                        "target_id": f.target_id,
                        "code": f.code,
                        "severity": f.severity,
                        "url": f.url,
                        "evidence": f.evidence,
                        "detected_at": f.detected_at,
                        "detail": dict(f.detail),
                        "needs_confirmation": f.needs_confirmation,
                    }
                    for f in findings
                ],
            )

    def findings(self, run_id: int, judgement_id: int | None = None) -> list[model.Finding]:
        """Findings of one judgement of the run (None = the latest; [] when never judged)."""
        with self._session() as s:
            self._run_row(s, run_id)
            if judgement_id is None:
                judgement_id = self._latest_judgement_id(s, run_id)
                if judgement_id is None:
                    return []
            else:
                self._judgement_of_run(s, run_id, judgement_id)
            return self._finding_rows(s, judgement_id)

    # ----------------------------------------------------------------- reviews
    def set_review(self, review: model.Review) -> model.Review:
        """Record (or replace) the review of one finding; returns it with its time set."""
        if review.state not in model.REVIEW_STATES:
            raise StoreError(f"审核状态「{review.state}」无效（可用：{'、'.join(model.REVIEW_STATES)}）")
        at = review.at or datetime.now(TZ)
        with self._session(write=True) as s:
            row = s.scalar(sa.select(ReviewRow).where(
                ReviewRow.target_id == review.target_id, ReviewRow.finding_key == review.finding_key))
            if row is None:
                row = ReviewRow(target_id=review.target_id, finding_key=review.finding_key)
                s.add(row)
            row.code, row.state, row.serious = review.code, review.state, review.serious
            row.reason, row.reviewer, row.at, row.run_id = review.reason, review.reviewer, at, review.run_id
        return dataclasses.replace(review, at=at)

    def reviews(self, target_ids: Iterable[str] | None = None) -> dict[tuple[str, str], model.Review]:
        """Reviews by (target id, finding key), for all targets or the given ones."""
        with self._session() as s:
            q = sa.select(ReviewRow)
            if target_ids is not None:
                q = q.where(ReviewRow.target_id.in_(list(target_ids)))
            return {
                (r.target_id, r.finding_key): model.Review(
                    target_id=r.target_id, finding_key=r.finding_key, code=r.code, state=r.state,
                    serious=r.serious, reason=r.reason, reviewer=r.reviewer, at=r.at, run_id=r.run_id)
                for r in s.scalars(q)
            }

    # ----------------------------------------------------------------- probes
    def add_probes(self, probes: Sequence[model.Probe]) -> None:
        """Append availability probes (``xuncha monitor``); not tied to any run."""
        if not probes:
            return
        with self._session(write=True) as s:
            for chunk in _chunks(probes, 1000):
                s.execute(sa.insert(ProbeRow.__table__), [_probe_values(p) for p in chunk])

    def probes(self, target_id: str, start: datetime, end: datetime) -> list[model.Probe]:
        """A target's probes with ``start <= at < end``, oldest first (monitor and runs alike)."""
        with self._session() as s:
            rows = s.scalars(
                sa.select(ProbeRow)
                .where(ProbeRow.target_id == target_id, ProbeRow.at >= start, ProbeRow.at < end)
                .order_by(ProbeRow.at, ProbeRow.id)
            )
            return [_probe(r) for r in rows]
