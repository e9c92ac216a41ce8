"""Runs bookkeeping and the probe history window."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from xuncha.model import Probe
from xuncha.settings import TZ
from xuncha.store import Store

from .factory import T0, make_snapshot


def test_runs_lifecycle(store: Store) -> None:
    as_of = datetime(2025, 3, 31, 23, 59, tzinfo=TZ)
    settings = {"collect": {"max_pages": 400, "resolve": ()}, "when": as_of.date(), "flags": {"b", "a"}}
    run = store.create_run(as_of, "四川省网站名录.xlsx", settings)
    info = store.get_run(run)
    assert info.status == "running" and info.finished_at is None
    assert info.as_of == as_of and info.as_of.tzinfo is TZ
    assert info.registry == "四川省网站名录.xlsx"
    assert info.settings == {"collect": {"max_pages": 400, "resolve": []}, "when": "2025-03-31", "flags": ["a", "b"]}
    assert abs(info.started_at - datetime.now(TZ)) < timedelta(minutes=5)

    store.finish_run(run, "done", counts={"targets": 2, "veto": 1})
    info = store.get_run(run)
    assert info.status == "done" and info.counts == {"targets": 2, "veto": 1}
    assert info.finished_at is not None and info.finished_at >= info.started_at

    run2 = store.create_run(as_of, "x.csv", {})
    store.finish_run(run2, "failed")
    assert store.latest_run_id() == run2
    assert store.latest_run_id(status="done") == run
    assert [r.id for r in store.runs(limit=2)] == [run2, run]
    with pytest.raises(ValueError):
        store.finish_run(run2, "weird")


def test_probe_window(store: Store) -> None:
    tid = uuid.uuid4().hex[:10]
    url = "https://www.chengdu.gov.cn/"
    start = datetime(2025, 3, 1, tzinfo=TZ)
    probes = [Probe(tid, url, start + timedelta(hours=6 * i), i % 5 != 0, 200, 100.0 + i) for i in range(40)]
    probes[3] = Probe(tid, url, probes[3].at, False, None, 15000.0, "timeout")
    store.add_probes(probes[::-1])  # insertion order does not matter
    store.add_probes([Probe("other" + tid, url, start, True, 200)])
    store.add_probes([])

    got = store.probes(tid, start, start + timedelta(days=7))  # [start, end)
    assert got == probes[:28]
    assert got[0].at.tzinfo is TZ
    # bounds given in UTC select the same instants
    utc_start = (start + timedelta(days=1)).astimezone(UTC)
    assert store.probes(tid, utc_start, utc_start + timedelta(hours=12)) == probes[4:6]
    # naive datetimes are taken as Asia/Shanghai
    naive = (start + timedelta(days=1)).replace(tzinfo=None)
    assert store.probes(tid, naive, naive + timedelta(hours=12)) == probes[4:6]
    assert store.probes(tid, start - timedelta(days=9), start) == []


def test_snapshot_probes_join_history_once(store: Store) -> None:
    """Probes already written by monitor are tagged by the snapshot, not duplicated."""
    snap = make_snapshot(uuid.uuid4().hex[:10])
    store.add_probes(snap.probes[:2])
    run = store.create_run(T0, "r.csv", {})
    store.save_snapshot(run, snap)
    store.save_snapshot(run, snap)  # re-save: still no duplicates
    window = store.probes(snap.target.id, T0 - timedelta(days=7), T0 + timedelta(days=1))
    assert window == snap.probes
    assert store.load_snapshot(run, snap.target.id).probes == snap.probes
