"""Reviews of findings: stored by (target, finding key), replaced on re-review, kept across
runs, validated; the judgement remembers its rule set (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid

import pytest

from xuncha.model import Finding, Review
from xuncha.store import Store
from xuncha.store.errors import StoreError

from .factory import T0


def test_review_round_trip_and_replace(store: Store) -> None:
    tid = f"t-{uuid.uuid4().hex[:8]}"  # the PostgreSQL database is shared by the session
    run = store.create_run(T0, "r.csv", {})
    f = Finding(tid, "W.VETO.SERIOUS_ERROR", "veto", "https://a.gov.cn/p1", "疑似", T0, {"found": "错"}, True)
    saved = store.set_review(Review(tid, f.key, f.code, "doubtful", reason="待查", reviewer="张三", run_id=run))
    assert saved.at is not None
    got = store.reviews([tid])
    assert list(got) == [(tid, f.key)] and got[(tid, f.key)].state == "doubtful"
    assert (tid, f.key) in store.reviews()
    store.set_review(Review(tid, f.key, f.code, "confirmed", serious=True, reviewer="李四", run_id=run))
    got = store.reviews([tid])
    assert len(got) == 1
    r = got[(tid, f.key)]
    assert (r.state, r.serious, r.reviewer, r.run_id) == ("confirmed", True, "李四", run)
    assert store.reviews([f"{tid}-other"]) == {}
    store.delete_run(run)  # the decision outlives the run it was made in
    assert store.reviews([tid])[(tid, f.key)].run_id is None


def test_bad_state_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="审核状态"):
        store.set_review(Review("t1", "k", "W.X", "maybe"))


def test_judgement_keeps_its_rule_set(store: Store) -> None:
    run = store.create_run(T0, "r.csv", {})
    store.new_judgement(run, T0, "inspect", ruleset="sichuan-2023")
    assert store.judgements(run)[0].ruleset == "sichuan-2023"
