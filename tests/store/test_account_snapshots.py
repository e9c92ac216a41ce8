"""New-media account snapshots round-trip exactly (state, posts, raw documents); posts and
document texts are deduplicated across runs and pruned like page bodies; a resave replaces;
migration 0003 upgrades a 0002 database holding data."""

from __future__ import annotations

import dataclasses
import uuid
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from xuncha.model import AccountSnapshot, AccountState, Page, Post, TargetResult
from xuncha.settings import TZ
from xuncha.store import Store, StoreError, migrations
from xuncha.store.models import AccountDocumentRow, AccountSnapshotRow, Base, BodyRow, RunTargetRow
from xuncha.store.store import posts_text, text_hash

from .factory import T0, make_account_snapshot, make_snapshot


def _uid() -> str:
    return uuid.uuid4().hex[:12]


def _bodies(store: Store) -> int:
    with store.engine.connect() as c:
        return c.scalar(sa.select(sa.func.count()).select_from(BodyRow))


def _aware_in_shanghai(dt: datetime | None) -> None:
    if dt is not None:
        assert dt.tzinfo is not None and dt.utcoffset() == timedelta(hours=8), dt


def test_round_trip(store: Store) -> None:
    snap = make_account_snapshot(_uid(), salt=_uid())
    run = store.create_run(T0, "accounts.xlsx", {})
    store.save_account_snapshot(run, snap)
    loaded = store.load_account_snapshot(run, snap.target.id)
    assert loaded == snap
    # order, kinds and flags of posts
    assert [p.url for p in loaded.posts] == [p.url for p in snap.posts]
    assert [p.kind for p in loaded.posts] == ["original", "repost", "original", "original", "original"]
    assert [p.pinned for p in loaded.posts] == [False, False, True, False, False]
    assert loaded.posts[3].published_at is None
    assert loaded.posts[4].deleted and loaded.posts[4].comments_enabled is None
    assert loaded.posts[4].comment_count is None
    assert loaded.posts[0].links[1] == "weixin://dl/business/?t=小程序"
    assert "龙泉山城市森林公园" in loaded.posts[0].text
    # every datetime aware, in Asia/Shanghai (the repost came in UTC)
    _aware_in_shanghai(loaded.fetched_at)
    for p in loaded.posts:
        _aware_in_shanghai(p.published_at)
    for d in loaded.documents:
        _aware_in_shanghai(d.fetched_at)
    assert loaded.posts[1].published_at == datetime(2025, 3, 13, 20, 15, tzinfo=TZ)
    # state: menu entries come back as tuples, unknown interaction paths stay None
    assert loaded.state.menu == [("政务服务", "https://mp.weixin.qq.com/s/menu1"),
                                 ("互动留言", "https://mp.weixin.qq.com/s/menu2")]
    assert loaded.state.interaction == {"comments": True, "messages": None, "menu": True, "auto_reply": False}
    assert loaded.state.verified is True and loaded.state.followers == 1_234_567
    # raw documents: XML feed and JSON answer texts exact, failures kept
    assert loaded.documents[0].html.startswith("<?xml") and "<rss" in loaded.documents[0].html
    assert loaded.documents[1].html.startswith('{"ok": 1')
    assert loaded.documents[2].blocked == "rate_limited" and loaded.documents[2].html == ""
    assert loaded.documents[3].error == "timeout" and loaded.documents[3].fetched_at is None
    assert loaded.target == snap.target
    assert store.account_target_ids(run) == [snap.target.id]
    assert store.snapshot_target_ids(run) == []  # no website snapshot for an account


def test_odd_text_and_empty_snapshot(store: Store) -> None:
    """Lone surrogates, NUL and astral characters survive; an empty account round-trips too."""
    tid = _uid()
    odd = "NUL\x00 🚒 𠀀 \t坏\udcb0"
    snap = make_account_snapshot(tid)
    snap.posts.append(Post(url="https://weibo.com/1/odd", text=odd, links=[odd]))
    snap.documents.append(Page(url="https://example.test/odd.json", html=f'{{"t": "{odd}"}}'))
    run = store.create_run(T0, "r.csv", {})
    store.save_account_snapshot(run, snap)
    loaded = store.load_account_snapshot(run, tid)
    assert loaded == snap
    assert loaded.posts[-1].text == odd and loaded.documents[-1].html.endswith('\udcb0"}')
    empty = AccountSnapshot(
        target=snap.target, source="手工录入", adapter="manual", fetched_at=T0,
        health="no_source", health_detail="未配置采集来源",
    )
    store.save_account_snapshot(run, empty)  # a resave replaces the whole snapshot
    loaded = store.load_account_snapshot(run, tid)
    assert loaded == empty
    assert loaded.state == AccountState() and loaded.posts == [] and loaded.documents == []


def test_naive_post_date_is_shanghai(store: Store) -> None:
    snap = make_account_snapshot(_uid())
    snap.posts = [Post(url="https://weibo.com/1/naive", published_at=datetime(2025, 3, 1, 9, 0))]
    run = store.create_run(T0, "r.csv", {})
    store.save_account_snapshot(run, snap)
    got = store.load_account_snapshot(run, snap.target.id).posts[0].published_at
    assert got == datetime(2025, 3, 1, 9, 0, tzinfo=TZ) and got.tzinfo is not None


def test_resave_replaces(store: Store) -> None:
    snap = make_account_snapshot(_uid(), salt=_uid())
    run = store.create_run(T0, "r.csv", {})
    store.save_account_snapshot(run, snap)
    fewer = dataclasses.replace(
        snap, posts=snap.posts[:1], documents=snap.documents[2:], health="stale_source",
        health_detail="来源最近一次更新在 30 天前", fetched_at=T0 + timedelta(hours=1),
    )
    store.save_account_snapshot(run, fewer)
    assert store.load_account_snapshot(run, snap.target.id) == fewer
    with store.engine.connect() as c:
        rt = c.scalar(sa.select(RunTargetRow.id).where(
            RunTargetRow.run_id == run, RunTargetRow.target_id == snap.target.id))
        assert c.scalar(sa.select(sa.func.count()).select_from(AccountSnapshotRow)
                        .where(AccountSnapshotRow.run_target_id == rt)) == 1
        acc = c.scalar(sa.select(AccountSnapshotRow.id).where(AccountSnapshotRow.run_target_id == rt))
        assert c.scalar(sa.select(sa.func.count()).select_from(AccountDocumentRow)
                        .where(AccountDocumentRow.account_snapshot_id == acc)) == 2
    store.prune_bodies()  # leave no orphans on a shared database (other tests count bodies)
    assert store.load_account_snapshot(run, snap.target.id) == fewer


def test_reuses_run_target_and_lists_in_target_order(store: Store) -> None:
    a, b, c = (make_account_snapshot(_uid()) for _ in range(3))
    run = store.create_run(T0, "r.csv", {})
    # the runner stores target results first; the snapshot hangs off the same run_targets row
    store.save_target_result(run, TargetResult(target=b.target, pages_crawled=0,
                                               inconclusive_reasons=["账号采集来源过期"]))
    for snap in (a, c, b):
        store.save_account_snapshot(run, snap)
    web = make_snapshot(_uid())
    store.save_snapshot(run, web)  # a website in the same run
    assert store.account_target_ids(run) == [b.target.id, a.target.id, c.target.id]
    assert [s.target.id for s in store.iter_account_snapshots(run)] == [b.target.id, a.target.id, c.target.id]
    assert list(store.iter_account_snapshots(run)) == [b, a, c]
    assert store.snapshot_target_ids(run) == [web.target.id]
    results = {r.target.id: r for r in store.target_results(run)}
    assert results[b.target.id].inconclusive_reasons == ["账号采集来源过期"]  # kept
    assert len(results) == 4


def test_errors_in_chinese(store: Store) -> None:
    run = store.create_run(T0, "r.csv", {})
    with pytest.raises(StoreError, match="没有账号 nope 的采集快照"):
        store.load_account_snapshot(run, "nope")
    web = make_snapshot(_uid())
    store.save_snapshot(run, web)  # a website snapshot is not an account snapshot
    with pytest.raises(StoreError, match="没有账号"):
        store.load_account_snapshot(run, web.target.id)
    with pytest.raises(StoreError, match="不存在"):
        store.account_target_ids(10**9)
    with pytest.raises(StoreError, match="不存在"):
        store.save_account_snapshot(10**9, make_account_snapshot(_uid()))


def test_bodies_deduplicated_across_runs_and_pruned(store: Store) -> None:
    tid, salt = _uid(), _uid()
    snap = make_account_snapshot(tid, salt=salt)
    run1 = store.create_run(T0, "r.csv", {})
    store.prune_bodies()  # a shared database may hold other tests' leftovers
    before = _bodies(store)
    store.save_account_snapshot(run1, snap)
    # posts blob + the two document texts (the failed fetches have none)
    assert _bodies(store) == before + 3
    # the same feed next run (another zone for the same instants) adds nothing
    run2 = store.create_run(T0 + timedelta(days=1), "r.csv", {})
    again = make_account_snapshot(tid, salt=salt)
    for p in again.posts:
        if p.published_at is not None:
            p.published_at = p.published_at.astimezone(timezone(timedelta(hours=-5)))
    store.save_account_snapshot(run2, again)
    assert _bodies(store) == before + 3
    # one new post: exactly one new body (the posts blob); the documents are shared
    changed = make_account_snapshot(tid, salt=salt)
    changed.posts.insert(0, Post(url="https://mp.weixin.qq.com/s/new", title="新推送",
                                 published_at=T0 + timedelta(days=2)))
    run3 = store.create_run(T0 + timedelta(days=2), "r.csv", {})
    store.save_account_snapshot(run3, changed)
    assert _bodies(store) == before + 4
    hashes = {text_hash(posts_text(snap.posts)), text_hash(posts_text(changed.posts))}
    with store.engine.connect() as c:
        stored = set(c.scalars(sa.select(AccountSnapshotRow.posts_hash)))
    assert hashes <= stored
    # pruning never removes what an account snapshot still uses
    store.prune_bodies()
    assert store.load_account_snapshot(run1, tid) == snap
    assert store.load_account_snapshot(run3, tid) == changed
    store.delete_run(run3)
    assert store.prune_bodies() == 1  # the changed posts blob
    assert _bodies(store) == before + 3
    store.delete_run(run1)
    store.delete_run(run2)
    assert store.prune_bodies() == 3
    assert _bodies(store) == before


def test_delete_run_cascades(store: Store) -> None:
    snap = make_account_snapshot(_uid(), salt=_uid())
    run = store.create_run(T0, "r.csv", {})
    store.save_account_snapshot(run, snap)
    store.delete_run(run)
    with store.engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(AccountSnapshotRow)
                        .join(RunTargetRow, RunTargetRow.id == AccountSnapshotRow.run_target_id)
                        .where(RunTargetRow.run_id == run)) == 0
        orphans = c.scalar(
            sa.select(sa.func.count()).select_from(AccountDocumentRow).where(
                ~sa.exists().where(AccountSnapshotRow.id == AccountDocumentRow.account_snapshot_id))
        )
    assert orphans == 0
    store.prune_bodies()


# --------------------------------------------------------------------------- migration 0003
def _upgrade_from_0002(url: str) -> None:
    """A database at 0002 holding a run with a website snapshot (page, body, attachment)
    upgrades in place; its data stays; the run's target rows take account snapshots."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            command.upgrade(migrations.alembic_config(connection=conn), "0002")
        with engine.begin() as conn:
            assert "account_snapshots" not in sa.inspect(conn).get_table_names()
            conn.execute(sa.text("INSERT INTO runs (started_at, as_of, status, registry_file, settings, counts)"
                                 " VALUES (:t, :t, 'done', 'r.csv', '{}', '{}')"), {"t": T0})
            run_id = conn.scalar(sa.text("SELECT max(id) FROM runs"))
            for tid, kind in (("t-old", "website"), ("wx-old", "wechat")):
                conn.execute(sa.text(
                    "INSERT INTO run_targets (run_id, target_id, kind, name, url, owner, region, category,"
                    " status, status_raw, flags, extra, source, inspected, skipped_reason, pages_crawled,"
                    " inconclusive_reasons) VALUES (:r, :tid, :kind, '旧站', 'https://old.gov.cn/', '', '', '',"
                    " 'running', '', '[]', '{}', '', true, '', 1, '[]')"), {"r": run_id, "tid": tid, "kind": kind})
            rt = conn.scalar(sa.text("SELECT id FROM run_targets WHERE target_id = 't-old'"))
            conn.execute(sa.text("INSERT INTO bodies (hash, data, size) VALUES (:h, :d, 4)"),
                         {"h": "0" * 64, "d": zlib.compress(b"<p/>")})
            conn.execute(sa.text(
                "INSERT INTO snapshots (run_target_id, home_url, started_at, robots_ignored, budget_exhausted, notes)"
                " VALUES (:rt, 'https://old.gov.cn/', :t, false, false, '[]')"), {"rt": rt, "t": T0})
            snap_id = conn.scalar(sa.text("SELECT max(id) FROM snapshots"))
            conn.execute(sa.text(
                "INSERT INTO pages (snapshot_id, seq, url, final_url, content_type, encoding, body_hash, text_hash,"
                " size, truncated, elapsed_ms, redirects, depth, referrer, role, headers, cloaked)"
                " VALUES (:s, 0, 'https://old.gov.cn/', '', '', '', '', :h, 4, false, 0, '[]', 0, '', 'home', '{}',"
                " false)"), {"s": snap_id, "h": "0" * 64})
            conn.execute(sa.text(
                "INSERT INTO attachments (snapshot_id, seq, url, source_url, link_text, content_type, kind, size,"
                " body_hash, truncated) VALUES (:s, 0, 'https://old.gov.cn/a.pdf', '', '', '', 'pdf', 0, '',"
                " false)"), {"s": snap_id})
    finally:
        engine.dispose()
    with Store(url) as st:  # opening migrates to head
        with st.engine.connect() as c:
            assert migrations.current_revision(c) == migrations.head_revision() >= "0003"
            mc = MigrationContext.configure(c, opts={"compare_type": True})
            assert compare_metadata(mc, Base.metadata) == []
            assert {"account_snapshots", "account_documents"} <= set(sa.inspect(c).get_table_names())
        old = st.load_snapshot(run_id, "t-old")
        assert old.pages[0].html == "<p/>" and [a.url for a in old.attachments] == ["https://old.gov.cn/a.pdf"]
        assert st.account_target_ids(run_id) == []
        # an account of the old run gets its snapshot on the existing run_targets row
        acc = make_account_snapshot("wx-old")
        st.save_account_snapshot(run_id, acc)
        assert st.account_target_ids(run_id) == ["wx-old"]
        loaded = st.load_account_snapshot(run_id, "wx-old")
        assert loaded.posts == acc.posts and loaded.documents == acc.documents
        assert loaded.target.name == "旧站"  # the stored registry row is kept (not overwritten)
        assert [t.id for t in st.targets(run_id)] == ["t-old", "wx-old"]
        st.prune_bodies()
        assert st.load_snapshot(run_id, "t-old").pages[0].html == "<p/>"  # old body still used


def test_sqlite_upgrade_from_0002(tmp_path) -> None:
    _upgrade_from_0002(f"sqlite:///{tmp_path / 'old.db'}")


@pytest.mark.postgres
def test_postgres_upgrade_from_0002(pg_database: Callable[[], str]) -> None:
    url = pg_database().replace("postgresql://", "postgresql+psycopg://", 1)
    _upgrade_from_0002(url)


def test_downgrade_to_0002_and_back(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with Store(url) as st:
        run = st.create_run(T0, "r.csv", {})
        st.save_snapshot(run, make_snapshot("t1"))
        st.save_account_snapshot(run, make_account_snapshot("wx1"))
        with st.engine.begin() as c:
            command.downgrade(migrations.alembic_config(connection=c), "0002")
        names = set(sa.inspect(st.engine).get_table_names())
        assert "account_snapshots" not in names and "account_documents" not in names
        assert st.load_snapshot(run, "t1") == make_snapshot("t1")  # website data untouched
        assert migrations.upgrade(st.engine) is True
        assert st.account_target_ids(run) == []
        st.save_account_snapshot(run, make_account_snapshot("wx1"))
        assert st.load_account_snapshot(run, "wx1") == make_account_snapshot("wx1")


def test_stored_forms_cover_every_model_field() -> None:
    """A field added to Post or AccountState must be added to the stored form too."""
    import json

    from xuncha.store.store import _state_values

    snap = make_account_snapshot()
    assert set(json.loads(posts_text(snap.posts))[0]) == {f.name for f in dataclasses.fields(Post)}
    assert set(_state_values(snap.state)) == {f.name for f in dataclasses.fields(AccountState)}
    assert {f.name for f in dataclasses.fields(AccountSnapshot)} == {
        "target", "source", "adapter", "fetched_at", "health", "health_detail", "state", "posts", "documents",
    }
