"""SQLAlchemy ORM tables of the store (the schema itself is created only by Alembic).

Layout, one run of ``xuncha inspect`` downwards:

    runs ─┬─ run_targets ── snapshots ─┬─ pages ──► bodies (content-addressed, zlib)
          │                            │   (crawled pages and cloaking re-fetches)
          │                            ├─ attachments ──► bodies (segments as JSON)
          │                            ├─ link_checks
          │                            ├─ net_checks, search_attempts (0..1 each)
          │                            └─ robots.txt ──► bodies
          │            └─ account_snapshots ─┬─ posts (one JSON blob) ──► bodies
          │               (new-media accounts) └─ account_documents ──► bodies
          └─ judgements ── findings      (a rejudge adds a judgement, never overwrites)
    probes (not per run: ``xuncha monitor`` writes them continuously; run_id set when a
            snapshot carried them)

Page texts are stored once per distinct content (sha256 of the UTF-8 text), so the same page
fetched in a hundred runs costs one compressed body. Deleting a run cascades to everything it
owns except bodies (see ``Store.prune_bodies``) and probes (kept, untagged).

Datetimes go through :class:`AwareDateTime`: stored as UTC, given back aware in Asia/Shanghai.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from xuncha.settings import TZ

# Stable constraint names: Alembic (and SQLite batch mode) need them to alter constraints later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

RUN_STATUSES: tuple[str, ...] = ("running", "done", "failed", "cancelled")


class AwareDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware datetime column, identical on SQLite and PostgreSQL.

    Binds: aware values are converted to UTC (naive ones are taken as Asia/Shanghai, the
    project's local time); SQLite gets the naive UTC wall time because it cannot keep an
    offset, PostgreSQL gets ``timestamptz``. Results: always aware, converted to Asia/Shanghai.
    Because SQLite stores UTC text of one fixed format, range queries stay chronological.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=TZ)
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(TZ)


# SQLite autoincrements only "INTEGER PRIMARY KEY"; PostgreSQL gets 64-bit ids for big tables.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Json = sa.JSON(none_as_null=True)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class RunRow(Base):
    """One inspection run (``xuncha inspect``)."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(AwareDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    as_of: Mapped[datetime] = mapped_column(AwareDateTime())
    status: Mapped[str] = mapped_column(sa.String(16), default="running")  # RUN_STATUSES
    registry_file: Mapped[str] = mapped_column(sa.Text, default="")  # registry file name
    settings: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    counts: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)


class JudgementRow(Base):
    """One judgement of a run: the checks applied at some as-of date. Rejudging adds one."""

    __tablename__ = "judgements"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    as_of: Mapped[datetime] = mapped_column(AwareDateTime())
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    note: Mapped[str] = mapped_column(sa.Text, default="")
    ruleset: Mapped[str] = mapped_column(sa.String(128), default="", server_default="")


class RunTargetRow(Base):
    """A target as it stood in the registry for a run, plus its per-run outcome."""

    __tablename__ = "run_targets"
    __table_args__ = (sa.UniqueConstraint("run_id", "target_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("runs.id", ondelete="CASCADE"))
    target_id: Mapped[str] = mapped_column(sa.String(128))
    kind: Mapped[str] = mapped_column(sa.String(32))
    name: Mapped[str] = mapped_column(sa.Text)
    url: Mapped[str] = mapped_column(sa.Text)
    owner: Mapped[str] = mapped_column(sa.Text, default="")
    region: Mapped[str] = mapped_column(sa.Text, default="")
    category: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(32), default="running")
    status_raw: Mapped[str] = mapped_column(sa.Text, default="")
    flags: Mapped[list[str]] = mapped_column(Json, default=list)  # sorted
    extra: Mapped[dict[str, str]] = mapped_column(Json, default=dict)
    source: Mapped[str] = mapped_column(sa.Text, default="")
    inspected: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    skipped_reason: Mapped[str] = mapped_column(sa.Text, default="")
    pages_crawled: Mapped[int] = mapped_column(sa.Integer, default=0)
    inconclusive_reasons: Mapped[list[str]] = mapped_column(Json, default=list)


class BodyRow(Base):
    """A content-addressed blob: zlib of UTF-8 text, keyed by sha256 of that UTF-8 text."""

    __tablename__ = "bodies"

    hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    size: Mapped[int] = mapped_column(sa.BigInteger)  # uncompressed bytes


class SnapshotRow(Base):
    """Snapshot meta of one website in one run (model.SiteSnapshot without its lists)."""

    __tablename__ = "snapshots"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_target_id: Mapped[int] = mapped_column(
        sa.ForeignKey("run_targets.id", ondelete="CASCADE"), unique=True
    )
    home_url: Mapped[str] = mapped_column(sa.Text)
    started_at: Mapped[datetime] = mapped_column(AwareDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    robots_hash: Mapped[str | None] = mapped_column(sa.ForeignKey("bodies.hash"), index=True)
    robots_ignored: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    budget_exhausted: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    notes: Mapped[list[str]] = mapped_column(Json, default=list)


class FetchedColumns:
    """The columns of one fetched document (model.Page), shared by pages and account documents;
    the decoded text lives in ``bodies`` under text_hash."""

    url: Mapped[str] = mapped_column(sa.Text)
    final_url: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[int | None] = mapped_column(sa.Integer)
    content_type: Mapped[str] = mapped_column(sa.Text, default="")
    encoding: Mapped[str] = mapped_column(sa.Text, default="")
    body_hash: Mapped[str] = mapped_column(sa.Text, default="")  # the fetcher's, verbatim
    text_hash: Mapped[str | None] = mapped_column(sa.ForeignKey("bodies.hash"), index=True)
    size: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    truncated: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    elapsed_ms: Mapped[float] = mapped_column(sa.Float, default=0.0)
    fetched_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    error: Mapped[str | None] = mapped_column(sa.Text)
    blocked: Mapped[str | None] = mapped_column(sa.Text)
    redirects: Mapped[list[str]] = mapped_column(Json, default=list)
    depth: Mapped[int] = mapped_column(sa.Integer, default=0)
    referrer: Mapped[str] = mapped_column(sa.Text, default="")
    role: Mapped[str] = mapped_column(sa.String(32), default="other")
    headers: Mapped[dict[str, str]] = mapped_column(Json, default=dict)


class PageRow(FetchedColumns, Base):
    """One fetched URL (model.Page); its decoded text lives in ``bodies`` under text_hash."""

    __tablename__ = "pages"
    __table_args__ = (sa.UniqueConstraint("snapshot_id", "seq"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(sa.ForeignKey("snapshots.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(sa.Integer)  # crawl order, 0 = home
    # A cloaking re-fetch (SiteSnapshot.cloaked, as a search-engine spider) rather than a crawled
    # page; cloaked pages are numbered after the crawled ones, so (snapshot_id, seq) stays unique.
    cloaked: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default="0")


class AttachmentRow(Base):
    """One downloaded attachment (model.Attachment); its text segments live in ``bodies``.

    The segments are stored as one blob (UTF-8 JSON ``[[location, text], ...]``) under
    ``segments_hash``: a spreadsheet yields one segment per cell, far too many for rows, and
    the same file published for months costs one compressed body.
    """

    __tablename__ = "attachments"
    __table_args__ = (sa.UniqueConstraint("snapshot_id", "seq"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(sa.ForeignKey("snapshots.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(sa.Integer)
    url: Mapped[str] = mapped_column(sa.Text)
    source_url: Mapped[str] = mapped_column(sa.Text, default="")
    link_text: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[int | None] = mapped_column(sa.Integer)
    content_type: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[str] = mapped_column(sa.String(32), default="")
    size: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    body_hash: Mapped[str] = mapped_column(sa.Text, default="")  # of the file's bytes, verbatim
    segments_hash: Mapped[str | None] = mapped_column(sa.ForeignKey("bodies.hash"), index=True)
    error: Mapped[str | None] = mapped_column(sa.Text)
    truncated: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    fetched_at: Mapped[datetime | None] = mapped_column(AwareDateTime())


class LinkCheckRow(Base):
    """One checked link (model.LinkCheck). ``key`` is the dict key when it differs from url."""

    __tablename__ = "link_checks"
    __table_args__ = (sa.UniqueConstraint("snapshot_id", "seq"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(sa.ForeignKey("snapshots.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(sa.Integer)
    key: Mapped[str | None] = mapped_column(sa.Text)
    url: Mapped[str] = mapped_column(sa.Text)
    final_url: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[int | None] = mapped_column(sa.Integer)
    error: Mapped[str | None] = mapped_column(sa.Text)
    inconclusive: Mapped[str | None] = mapped_column(sa.Text)
    content_type: Mapped[str] = mapped_column(sa.Text, default="")
    size: Mapped[int | None] = mapped_column(sa.BigInteger)
    method: Mapped[str] = mapped_column(sa.String(16), default="HEAD")
    checked_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    elapsed_ms: Mapped[float] = mapped_column(sa.Float, default=0.0)


class NetCheckRow(Base):
    """IPv6 / HTTPS facts of a snapshot (model.NetCheck)."""

    __tablename__ = "net_checks"

    snapshot_id: Mapped[int] = mapped_column(
        sa.ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True
    )
    host: Mapped[str] = mapped_column(sa.Text)
    aaaa: Mapped[list[str]] = mapped_column(Json, default=list)
    ipv6_error: Mapped[str | None] = mapped_column(sa.Text)
    ipv6_status: Mapped[int | None] = mapped_column(sa.Integer)
    ipv6_title_same: Mapped[bool | None] = mapped_column(sa.Boolean)
    https_ok: Mapped[bool | None] = mapped_column(sa.Boolean)
    https_error: Mapped[str | None] = mapped_column(sa.Text)
    cert_not_after: Mapped[datetime | None] = mapped_column(AwareDateTime())
    http_redirects_to_https: Mapped[bool | None] = mapped_column(sa.Boolean)


class SearchAttemptRow(Base):
    """The site-search attempt of a snapshot (model.SearchAttempt)."""

    __tablename__ = "search_attempts"

    snapshot_id: Mapped[int] = mapped_column(
        sa.ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True
    )
    query: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[int | None] = mapped_column(sa.Integer)
    found: Mapped[bool | None] = mapped_column(sa.Boolean)
    error: Mapped[str | None] = mapped_column(sa.Text)


class ProbeRow(Base):
    """One availability probe (model.Probe). Not owned by a run: monitor writes them anytime.

    ``run_id`` / ``run_seq`` are set when the probe came with a run's snapshot, so the
    snapshot's own probe list round-trips in order.
    """

    __tablename__ = "probes"
    __table_args__ = (
        sa.Index("ix_probes_target_id_at", "target_id", "at"),
        sa.Index("ix_probes_run_id_target_id", "run_id", "target_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    target_id: Mapped[str] = mapped_column(sa.String(128))
    url: Mapped[str] = mapped_column(sa.Text)
    at: Mapped[datetime] = mapped_column(AwareDateTime())
    ok: Mapped[bool] = mapped_column(sa.Boolean)
    status: Mapped[int | None] = mapped_column(sa.Integer)
    elapsed_ms: Mapped[float] = mapped_column(sa.Float, default=0.0)
    error: Mapped[str | None] = mapped_column(sa.Text)
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("runs.id", ondelete="SET NULL"))
    run_seq: Mapped[int | None] = mapped_column(sa.Integer)


class FindingRow(Base):
    """One finding of one judgement (model.Finding)."""

    __tablename__ = "findings"
    __table_args__ = (sa.Index("ix_findings_judgement_id_target_id", "judgement_id", "target_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    judgement_id: Mapped[int] = mapped_column(sa.ForeignKey("judgements.id", ondelete="CASCADE"))
    target_id: Mapped[str] = mapped_column(sa.String(128))
    code: Mapped[str] = mapped_column(sa.String(64))
    severity: Mapped[str] = mapped_column(sa.String(16))
    url: Mapped[str] = mapped_column(sa.Text, default="")
    evidence: Mapped[str] = mapped_column(sa.Text, default="")
    detected_at: Mapped[datetime] = mapped_column(AwareDateTime())
    detail: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    needs_confirmation: Mapped[bool] = mapped_column(sa.Boolean, default=False)


class AccountSnapshotRow(Base):
    """Snapshot meta of one new-media account in one run (model.AccountSnapshot).

    ``state`` is model.AccountState as JSON (``menu`` as ``[[text, url], ...]``). The posts are
    one blob in ``bodies`` (UTF-8 JSON list, see ``store.posts_text``): an account's feed
    repeats from run to run, so an unchanged feed costs one compressed body for all runs.
    """

    __tablename__ = "account_snapshots"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_target_id: Mapped[int] = mapped_column(
        sa.ForeignKey("run_targets.id", ondelete="CASCADE"), unique=True
    )
    source: Mapped[str] = mapped_column(sa.Text, default="")
    adapter: Mapped[str] = mapped_column(sa.String(32), default="")
    fetched_at: Mapped[datetime] = mapped_column(AwareDateTime())
    health: Mapped[str] = mapped_column(sa.String(32), default="ok")
    health_detail: Mapped[str] = mapped_column(sa.Text, default="")
    state: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    posts_hash: Mapped[str | None] = mapped_column(sa.ForeignKey("bodies.hash"), index=True)


class AccountDocumentRow(FetchedColumns, Base):
    """One raw document of an account snapshot (model.Page: fetched feed, JSON, HTML, imported
    file); its text lives in ``bodies`` under text_hash, exactly like a crawled page."""

    __tablename__ = "account_documents"
    __table_args__ = (sa.UniqueConstraint("account_snapshot_id", "seq"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_snapshot_id: Mapped[int] = mapped_column(
        sa.ForeignKey("account_snapshots.id", ondelete="CASCADE")
    )
    seq: Mapped[int] = mapped_column(sa.Integer)


class ReviewRow(Base):
    """An inspector's decision on a finding (model.Review), keyed by target and finding key.

    Kept across runs: a 误报 keeps the same problem away in later runs of the target.
    """

    __tablename__ = "reviews"
    __table_args__ = (sa.UniqueConstraint("target_id", "finding_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    target_id: Mapped[str] = mapped_column(sa.String(128))
    finding_key: Mapped[str] = mapped_column(sa.String(32))
    code: Mapped[str] = mapped_column(sa.String(64))
    state: Mapped[str] = mapped_column(sa.String(16))  # model.REVIEW_STATES
    serious: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    reviewer: Mapped[str] = mapped_column(sa.Text, default="")
    at: Mapped[datetime] = mapped_column(AwareDateTime())
    run_id: Mapped[int | None] = mapped_column(sa.ForeignKey("runs.id", ondelete="SET NULL"), nullable=True)


# Tables of the web console, the workflow and the registry live in their own modules (one owner each).
from xuncha.store import models_registry, models_web, models_workflow  # noqa: E402, F401
