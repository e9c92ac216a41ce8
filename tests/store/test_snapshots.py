"""Snapshots round-trip exactly; page texts are deduplicated across runs; saves are concurrent-safe."""

from __future__ import annotations

import asyncio
import dataclasses
import time
import uuid
from datetime import timedelta

import sqlalchemy as sa

from xuncha.model import Page, TargetResult
from xuncha.settings import TZ
from xuncha.store import Store
from xuncha.store.models import BodyRow, PageRow

from .factory import T0, make_snapshot


def _uid() -> str:
    return uuid.uuid4().hex[:12]


def _bodies(store: Store) -> int:
    with store.engine.connect() as c:
        return c.scalar(sa.select(sa.func.count()).select_from(BodyRow))


def test_round_trip_is_exact(store: Store) -> None:
    snap = make_snapshot(_uid(), salt=_uid())
    run = store.create_run(T0, "registry.xlsx", {"max_pages": 400})
    store.save_snapshot(run, snap)
    loaded = store.load_snapshot(run, snap.target.id)
    assert loaded == snap
    # field by field on what matters most, for readable failures
    assert [p.html for p in loaded.pages] == [p.html for p in snap.pages]
    assert loaded.pages[1].encoding == "gbk" and "征求《成都市政务公开工作要点》意见" in loaded.pages[1].html
    assert loaded.pages[0].redirects == ["http://www.chengdu.gov.cn/", "https://www.chengdu.gov.cn/"]
    assert list(loaded.link_checks) == list(snap.link_checks)  # order kept too
    assert loaded.link_checks["https://www.gov.cn"].url == "https://www.gov.cn/"
    assert loaded.link_checks["http://nxdomain.invalid/"].broken
    assert not loaded.link_checks["https://www.example-waf.gov.cn/"].broken
    assert loaded.target.flags == frozenset({"no_service_function", "portal_override"})
    assert loaded.robots_txt == snap.robots_txt and loaded.notes == snap.notes
    assert loaded.net == snap.net and loaded.search == snap.search
    # aware datetimes, given back in Asia/Shanghai
    assert loaded.pages[1].fetched_at.tzinfo is TZ
    assert loaded.pages[1].fetched_at == T0 + timedelta(seconds=2)
    assert loaded.net is not None and loaded.net.cert_not_after.utcoffset() == timedelta(hours=8)


def test_exotic_texts_round_trip(store: Store) -> None:
    """Empty pages, lone surrogates (surrogateescape decoding), NUL, emoji, CJK ext. B."""
    snap = make_snapshot(_uid())
    snap.pages = [
        Page(url="https://a.gov.cn/", html="坏字节：\udcb0\udca1 结束", status=200),
        Page(url="https://a.gov.cn/b", html="NUL\x00 🚒 𠀀 \r\n\t", status=200),
        Page(url="https://a.gov.cn/c", html="", status=204),
    ]
    snap.robots_txt = ""
    snap.net = None
    snap.search = None
    snap.probes = []
    snap.link_checks = {}
    run = store.create_run(T0, "r.csv", {})
    store.save_snapshot(run, snap)
    assert store.load_snapshot(run, snap.target.id) == snap


def test_resave_replaces(store: Store) -> None:
    snap = make_snapshot(_uid())
    run = store.create_run(T0, "r.csv", {})
    store.save_snapshot(run, snap)
    snap2 = dataclasses.replace(snap, pages=snap.pages[:2], notes=["重试"])
    store.save_snapshot(run, snap2)
    assert store.load_snapshot(run, snap.target.id) == snap2
    assert store.snapshot_target_ids(run) == [snap.target.id]


def test_bodies_deduplicated_across_runs(store: Store) -> None:
    tid, salt = _uid(), _uid()
    snap = make_snapshot(tid, salt=salt)
    distinct = len({p.html for p in snap.pages if p.html}) + 1  # + robots.txt
    before = _bodies(store)
    run1 = store.create_run(T0, "r.csv", {})
    store.save_snapshot(run1, snap)
    after1 = _bodies(store)
    # robots.txt is identical for every salt: it may already exist on a shared database
    assert after1 - before in (distinct, distinct - 1)
    run2 = store.create_run(T0 + timedelta(days=1), "r.csv", {})
    store.save_snapshot(run2, make_snapshot(tid, salt=salt))
    assert _bodies(store) == after1  # same pages, second run: nothing new stored
    changed = make_snapshot(tid, salt=salt)
    changed.pages[0].html += "<!-- 更新 -->"
    run3 = store.create_run(T0 + timedelta(days=2), "r.csv", {})
    store.save_snapshot(run3, changed)
    assert _bodies(store) == after1 + 1
    assert store.load_snapshot(run2, tid) == make_snapshot(tid, salt=salt)
    assert store.load_snapshot(run3, tid).pages[0].html.endswith("<!-- 更新 -->")
    # deleting runs keeps bodies until pruned; then only unreferenced ones go
    store.delete_run(run3)
    assert store.prune_bodies() >= 1
    assert _bodies(store) == after1
    assert store.load_snapshot(run1, tid) == make_snapshot(tid, salt=salt)


def test_targets_and_results(store: Store) -> None:
    a, b = make_snapshot("a" + _uid()), make_snapshot("b" + _uid())
    run = store.create_run(T0, "r.csv", {})
    store.save_snapshot(run, a)
    skipped = dataclasses.replace(b.target, status="closed", status_raw="关停")
    store.save_target_result(run, TargetResult(target=skipped, inspected=False, skipped_reason="非运行状态"))
    store.save_target_result(
        run, TargetResult(target=a.target, pages_crawled=7, inconclusive_reasons=["首页被防火墙拦截"])
    )
    assert store.targets(run) == [a.target, skipped]
    results = store.target_results(run)
    assert [r.target.id for r in results] == [a.target.id, skipped.id]
    assert results[0].pages_crawled == 7 and results[0].inconclusive_reasons == ["首页被防火墙拦截"]
    assert results[1].inspected is False and results[1].skipped_reason == "非运行状态"
    assert [s.target.id for s in store.iter_snapshots(run)] == [a.target.id]


def test_concurrent_saves_from_threads(store: Store) -> None:
    """The pipeline saves from asyncio.to_thread workers: one Store, many threads."""
    run = store.create_run(T0, "r.csv", {})
    snaps = [make_snapshot(f"t{i}-{_uid()}", salt=str(i % 3)) for i in range(8)]

    async def main() -> None:
        await asyncio.gather(*(asyncio.to_thread(store.save_snapshot, run, s) for s in snaps))

    asyncio.run(main())
    assert sorted(store.snapshot_target_ids(run)) == sorted(s.target.id for s in snaps)
    for s in snaps:
        assert store.load_snapshot(run, s.target.id) == s


def test_400_page_site(store: Store) -> None:
    """A full-budget site saves and loads in well under a few seconds."""
    snap = make_snapshot(_uid(), salt=_uid())
    base = snap.pages[0]
    filler = "<p>市政府办公厅关于印发《政务公开工作要点》的通知。</p>" * 600  # ~40 KB
    snap.pages = [
        dataclasses.replace(base, url=f"https://www.chengdu.gov.cn/xw/{i}.html", html=f"{filler}{i}",
                            redirects=[], depth=2, role="detail", fetched_at=T0 + timedelta(seconds=i))
        for i in range(400)
    ]
    snap.link_checks = {
        f"https://ext{i}.gov.cn/": dataclasses.replace(snap.link_checks["https://www.sc.gov.cn/"],
                                                       url=f"https://ext{i}.gov.cn/")
        for i in range(3000)
    }
    run = store.create_run(T0, "r.csv", {})
    t = time.perf_counter()
    store.save_snapshot(run, snap)
    saved = time.perf_counter() - t
    t = time.perf_counter()
    loaded = store.load_snapshot(run, snap.target.id)
    load = time.perf_counter() - t
    assert loaded == snap
    with store.engine.connect() as c:
        assert c.scalar(sa.select(sa.func.count()).select_from(PageRow)) >= 400
    assert saved < 10 and load < 10, (saved, load)
