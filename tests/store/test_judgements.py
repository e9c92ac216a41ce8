"""Rejudging a run adds a judgement and keeps the earlier ones."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from xuncha.model import Finding, TargetResult
from xuncha.store import Store, StoreError

from .factory import T0, make_snapshot


def _finding(tid: str, code: str, severity: str = "deduct", **detail: object) -> Finding:
    return Finding(
        target_id=tid, code=code, severity=severity, url="https://www.chengdu.gov.cn/tzgg/",
        evidence="栏目“通知公告”最近更新于2024-08-01，超过6个月未更新", detected_at=T0,
        detail=dict(detail), needs_confirmation=severity == "veto",
    )


def test_rejudge_keeps_both_judgements(store: Store) -> None:
    tid = uuid.uuid4().hex[:10]
    run = store.create_run(T0, "registry.xlsx", {})
    store.save_target_result(run, TargetResult(target=make_snapshot(tid).target, pages_crawled=3))
    assert store.findings(run) == []  # never judged

    j1 = store.new_judgement(run, T0, note="首次评判")
    first = [
        _finding(tid, "W.UPD.NOTICE_STALE", months=7, column="通知公告"),
        _finding(tid, "W.VETO.HOME_STALE", "veto", days=20),
    ]
    store.save_findings(run, j1, first)

    j2 = store.new_judgement(run, T0 + timedelta(days=30), note="按省级规则重新评判")
    second = [_finding(tid, "W.ID.ICP_MISSING", mark="icp", 列表=["a", 1, None])]
    store.save_findings(run, j2, second)
    store.save_findings(run, j2, [])  # no-op

    assert j2 > j1
    assert store.findings(run) == second
    assert store.findings(run, j1) == first
    assert store.findings(run, j2) == second
    infos = store.judgements(run)
    assert [(j.id, j.note) for j in infos] == [(j1, "首次评判"), (j2, "按省级规则重新评判")]
    assert infos[1].as_of == T0 + timedelta(days=30)
    results = store.target_results(run)
    assert results[0].findings == second and results[0].veto_codes == []


def test_judgement_must_belong_to_run(store: Store) -> None:
    run_a = store.create_run(T0, "a.csv", {})
    run_b = store.create_run(T0, "b.csv", {})
    ja = store.new_judgement(run_a, T0)
    with pytest.raises(StoreError, match=f"#{run_b}"):
        store.save_findings(run_b, ja, [_finding("x", "W.X")])
    with pytest.raises(StoreError, match=str(ja)):
        store.findings(run_b, ja)
