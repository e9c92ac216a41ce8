"""Attachments (text segments with locations) and cloaking re-fetches round-trip exactly;
segments are deduplicated and pruned like page bodies; migration 0002 upgrades a 0001 database."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from xuncha.model import Attachment, Page, SiteSnapshot, TextSegment
from xuncha.store import Store, migrations
from xuncha.store.models import AttachmentRow, Base, BodyRow, PageRow, RunTargetRow, SnapshotRow
from xuncha.store.store import segments_text, text_hash

from .factory import T0, make_snapshot


def _uid() -> str:
    return uuid.uuid4().hex[:12]


def _bodies(store: Store) -> int:
    with store.engine.connect() as c:
        return c.scalar(sa.select(sa.func.count()).select_from(BodyRow))


def with_extras(target_id: str, salt: str = "") -> SiteSnapshot:
    """The factory snapshot plus attachments (read, failed, cut) and cloaked re-fetches."""
    snap = make_snapshot(target_id, salt=salt)
    sheet = [
        TextSegment("工作表「名单」A1", f"2025年补贴发放花名册{salt}"),
        TextSegment("工作表「名单」C4", "11010519491231002X"),
        TextSegment("隐藏工作表「原始数据」A1", "王五 15912345678"),
        TextSegment("工作表「名单」B9", "NUL\x00 🚒 𠀀 \t坏\udcb0"),  # odd text survives JSON
    ]
    snap.attachments = [
        Attachment(
            url="https://www.chengdu.gov.cn/files/名单.xlsx",
            source_url="https://www.chengdu.gov.cn/tzgg/",
            link_text="拟录用人员名单",
            status=200,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            kind="xlsx",
            size=8123,
            body_hash="ab" * 32,
            segments=sheet,
            fetched_at=T0 + timedelta(seconds=20),
        ),
        Attachment(
            url="https://www.chengdu.gov.cn/files/公示.pdf",
            source_url="https://www.chengdu.gov.cn/tzgg/",
            link_text="公示",
            status=200,
            content_type="application/pdf",
            kind="pdf",
            size=20 * 1024 * 1024,
            body_hash="cd" * 32,
            segments=[TextSegment("第1页", "关于拟录用人员的公示"), TextSegment("第2页", "张三")],
            error="too_large",
            truncated=True,
            fetched_at=T0 + timedelta(seconds=21),
        ),
        Attachment(
            url="https://www.chengdu.gov.cn/files/gone.doc",
            source_url="https://www.chengdu.gov.cn/",
            status=404,
            kind="doc",
            error="http_404",
            fetched_at=None,
        ),
        Attachment(url="https://www.chengdu.gov.cn/files/bomb.xlsx", kind="xlsx", size=915_000,
                   body_hash="ef" * 32, error="zip_bomb"),
    ]
    home = snap.pages[0]
    snap.cloaked = [
        dataclasses.replace(  # same text as the normal home page: stored once
            home, url=home.url, referrer=home.url, redirects=[], role="home",
            fetched_at=T0 + timedelta(seconds=30), headers={"server": "nginx"},
        ),
        Page(
            url="https://www.chengdu.gov.cn/tzgg/",
            final_url="https://www.chengdu.gov.cn/tzgg/",
            status=200,
            content_type="text/html",
            encoding="utf-8",
            html=f"<html><body>澳门葡京 线上娱乐 {salt}</body></html>",
            referrer="https://www.chengdu.gov.cn/tzgg/",
            role="column",
            fetched_at=T0 + timedelta(seconds=31),
        ),
    ]
    return snap


def test_round_trip_with_attachments_and_cloaked(store: Store) -> None:
    snap = with_extras(_uid(), salt=_uid())
    run = store.create_run(T0, "registry.xlsx", {})
    store.save_snapshot(run, snap)
    loaded = store.load_snapshot(run, snap.target.id)
    assert loaded == snap
    assert [a.url for a in loaded.attachments] == [a.url for a in snap.attachments]  # order kept
    assert loaded.attachments[0].segments[1] == TextSegment("工作表「名单」C4", "11010519491231002X")
    assert loaded.attachments[0].segments[3].text == "NUL\x00 🚒 𠀀 \t坏\udcb0"
    assert loaded.attachments[1].error == "too_large" and loaded.attachments[1].truncated
    assert loaded.attachments[2].segments == [] and loaded.attachments[2].fetched_at is None
    # cloaked pages come back apart from the crawled ones, in order, with their texts
    assert [p.url for p in loaded.pages] == [p.url for p in snap.pages]
    assert [p.role for p in loaded.cloaked] == ["home", "column"]
    assert "澳门葡京" in loaded.cloaked[1].html
    assert loaded.cloaked[0].html == loaded.pages[0].html
    with store.engine.connect() as c:
        snap_id = c.scalar(
            sa.select(SnapshotRow.id)
            .join(RunTargetRow, RunTargetRow.id == SnapshotRow.run_target_id)
            .where(RunTargetRow.run_id == run)
        )
        flags = c.execute(
            sa.select(PageRow.seq, PageRow.cloaked).where(PageRow.snapshot_id == snap_id).order_by(PageRow.seq)
        ).all()
    n = len(snap.pages)
    assert flags == [(i, i >= n) for i in range(n + len(snap.cloaked))]


def test_empty_lists_round_trip(store: Store) -> None:
    snap = make_snapshot(_uid())
    assert snap.attachments == [] and snap.cloaked == []
    run = store.create_run(T0, "r.csv", {})
    store.save_snapshot(run, snap)
    loaded = store.load_snapshot(run, snap.target.id)
    assert loaded.attachments == [] and loaded.cloaked == []
    assert loaded == snap


def test_segments_and_cloaked_bodies_deduplicated_and_pruned(store: Store) -> None:
    tid, salt = _uid(), _uid()
    snap = with_extras(tid, salt=salt)
    run1 = store.create_run(T0, "r.csv", {})
    store.prune_bodies()  # a shared database may hold other tests' leftovers
    before = _bodies(store)
    store.save_snapshot(run1, snap)
    after1 = _bodies(store)
    assert after1 > before
    # the same files and pages in the next run add nothing
    run2 = store.create_run(T0 + timedelta(days=1), "r.csv", {})
    store.save_snapshot(run2, with_extras(tid, salt=salt))
    assert _bodies(store) == after1
    # a changed spreadsheet adds exactly one body (its segments)
    changed = with_extras(tid, salt=salt)
    changed.attachments[0].segments.append(TextSegment("工作表「名单」C5", "440524188001010014"))
    run3 = store.create_run(T0 + timedelta(days=2), "r.csv", {})
    store.save_snapshot(run3, changed)
    assert _bodies(store) == after1 + 1
    # the salted spreadsheet's segments, before and after the change (others may be shared
    # with other tests on the PostgreSQL database)
    seg_hashes = {text_hash(segments_text(snap.attachments[0].segments)),
                  text_hash(segments_text(changed.attachments[0].segments))}
    with store.engine.connect() as c:
        stored = set(c.scalars(sa.select(AttachmentRow.segments_hash)))
    assert seg_hashes <= stored  # attachment segments are bodies
    # pruning never removes what an attachment still uses
    store.prune_bodies()
    assert store.load_snapshot(run1, tid) == with_extras(tid, salt=salt)
    assert store.load_snapshot(run3, tid) == changed
    store.delete_run(run3)
    assert store.prune_bodies() >= 1
    assert _bodies(store) == after1
    store.delete_run(run1)
    store.delete_run(run2)
    store.prune_bodies()
    with store.engine.connect() as c:
        left = c.scalar(sa.select(sa.func.count()).select_from(BodyRow).where(BodyRow.hash.in_(seg_hashes)))
    assert left == 0


def test_resave_replaces_attachments(store: Store) -> None:
    snap = with_extras(_uid())
    run = store.create_run(T0, "r.csv", {})
    store.save_snapshot(run, snap)
    fewer = dataclasses.replace(snap, attachments=snap.attachments[2:], cloaked=[])
    store.save_snapshot(run, fewer)
    assert store.load_snapshot(run, snap.target.id) == fewer
    store.prune_bodies()  # leave no orphans on a shared database (other tests count bodies)
    assert store.load_snapshot(run, snap.target.id) == fewer


def _upgrade_from_0001(url: str) -> None:
    """A database created by 0001 (with data) upgrades in place; old pages are not cloaked."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            command.upgrade(migrations.alembic_config(connection=conn), "0001")
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO runs (started_at, as_of, status, registry_file, settings, counts)"
                                 " VALUES (:t, :t, 'done', 'r.csv', '{}', '{}')"), {"t": T0})
            run_id = conn.scalar(sa.text("SELECT max(id) FROM runs"))
            conn.execute(sa.text(
                "INSERT INTO run_targets (run_id, target_id, kind, name, url, owner, region, category, status,"
                " status_raw, flags, extra, source, inspected, skipped_reason, pages_crawled, inconclusive_reasons)"
                " VALUES (:r, 't-old', 'website', '旧站', 'https://old.gov.cn/', '', '', '', 'running', '', '[]',"
                " '{}', '', true, '', 1, '[]')"), {"r": run_id})
            rt = conn.scalar(sa.text("SELECT max(id) FROM run_targets"))
            conn.execute(sa.text(
                "INSERT INTO snapshots (run_target_id, home_url, started_at, robots_ignored, budget_exhausted, notes)"
                " VALUES (:rt, 'https://old.gov.cn/', :t, false, false, '[]')"), {"rt": rt, "t": T0})
            snap_id = conn.scalar(sa.text("SELECT max(id) FROM snapshots"))
            conn.execute(sa.text(
                "INSERT INTO pages (snapshot_id, seq, url, final_url, content_type, encoding, body_hash, size,"
                " truncated, elapsed_ms, redirects, depth, referrer, role, headers)"
                " VALUES (:s, 0, 'https://old.gov.cn/', '', '', '', '', 0, false, 0, '[]', 0, '', 'home', '{}')"),
                {"s": snap_id})
    finally:
        engine.dispose()
    with Store(url) as st:  # opening migrates to head
        with st.engine.connect() as c:
            assert migrations.current_revision(c) == migrations.head_revision() >= "0003"
            mc = MigrationContext.configure(c, opts={"compare_type": True})
            assert compare_metadata(mc, Base.metadata) == []
            assert "attachments" in sa.inspect(c).get_table_names()
        old = st.load_snapshot(run_id, "t-old")
        assert [p.url for p in old.pages] == ["https://old.gov.cn/"]
        assert old.cloaked == [] and old.attachments == []
        snap = with_extras("t-new")
        run = st.create_run(T0, "r.csv", {})
        st.save_snapshot(run, snap)
        assert st.load_snapshot(run, "t-new") == snap


def test_sqlite_upgrade_from_0001(tmp_path) -> None:
    _upgrade_from_0001(f"sqlite:///{tmp_path / 'old.db'}")


@pytest.mark.postgres
def test_postgres_upgrade_from_0001(pg_database: Callable[[], str]) -> None:
    url = pg_database().replace("postgresql://", "postgresql+psycopg://", 1)
    _upgrade_from_0001(url)


def test_sqlite_upgrade_adds_column_in_place(tmp_path) -> None:
    """The pages table is altered, not copied (a copy would be slow on a big database)."""
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with Store(url) as st, st.engine.connect() as c:
        sql = c.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'pages'").scalar()
    assert sql.startswith("CREATE TABLE pages")  # a batch copy would have re-created it quoted
    assert "cloaked BOOLEAN DEFAULT '0' NOT NULL" in sql or "cloaked BOOLEAN DEFAULT 0 NOT NULL" in sql


def test_downgrade_to_0001_and_back(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with Store(url) as st:
        run = st.create_run(T0, "r.csv", {})
        st.save_snapshot(run, with_extras("t1"))
        with st.engine.begin() as c:
            command.downgrade(migrations.alembic_config(connection=c), "0001")
        insp = sa.inspect(st.engine)
        assert "attachments" not in insp.get_table_names()
        assert "cloaked" not in {col["name"] for col in insp.get_columns("pages")}
        assert migrations.upgrade(st.engine) is True
        st.save_snapshot(run, with_extras("t1"))
        assert st.load_snapshot(run, "t1") == with_extras("t1")
