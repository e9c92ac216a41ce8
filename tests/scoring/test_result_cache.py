"""The per-Store cache of finished runs' results behind ``report.data.score_run``: a second
scoring reads no findings from the database, a rejudge (new judgement) is seen at once, a
running run is never cached, and reviews always count."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from xuncha.model import Finding, Review, Target, TargetResult
from xuncha.report.data import score_run, target_results
from xuncha.scoring.ruleset import load_ruleset
from xuncha.settings import TZ
from xuncha.store import Store

AS_OF = datetime(2026, 3, 16, 9, 0, tzinfo=TZ)
T = Target("S1", "website", "甲县人民政府", "https://s1.example.gov.cn/", "甲县人民政府办公室", "示例省/甲县",
           "政府门户网站")
SERIOUS = Finding("S1", "W.VETO.SERIOUS_ERROR", "veto", "https://s1.example.gov.cn/a.html",
                  "疑似严重表述错误", AS_OF, {"found": "x"}, True)
TYPO = Finding("S1", "W.CONTENT.TYPO", "deduct", "https://s1.example.gov.cn/b.html", "错别字", AS_OF, {"found": "既使"})


class QueryCounter:
    def __init__(self, store: Store) -> None:
        self.n = 0
        sa.event.listen(store.engine, "before_cursor_execute", self.count)

    def count(self, *_args: object) -> None:
        self.n += 1


def make_run(store: Store, findings: list[Finding], *, finish: bool = True) -> tuple[int, int]:
    rid = store.create_run(AS_OF, "registry.csv", {})
    jid = store.new_judgement(rid, AS_OF, "inspect", ruleset="national-2019")
    store.save_target_result(rid, TargetResult(T, pages_crawled=10, findings=findings))
    store.save_findings(rid, jid, findings)
    if finish:
        store.finish_run(rid, "done", {})
    return rid, jid


def test_second_scoring_reads_no_findings_and_rejudge_is_seen(tmp_path: Path) -> None:
    rs = load_ruleset("national-2019")
    with Store(f"sqlite:///{tmp_path / 'c.db'}") as store:
        rid, _ = make_run(store, [SERIOUS, TYPO])
        first = score_run(store, rid, rs)
        assert first[0].verdict == "待确认"
        counter = QueryCounter(store)
        again = score_run(store, rid, rs)
        cached_queries = counter.n
        assert again[0].verdict == "待确认"
        assert target_results(store, rid) is target_results(store, rid)
        # run row, judgements, reviews: a handful of small queries, never the findings again
        assert cached_queries <= 4
        # a review is read on every scoring
        store.set_review(Review(target_id="S1", finding_key=SERIOUS.key, code=SERIOUS.code, state="confirmed",
                                reviewer="sup", run_id=rid))
        assert score_run(store, rid, rs)[0].verdict == "不合格"
        # a rejudge that drops the serious error: the new judgement replaces the cached results
        jid2 = store.new_judgement(rid, AS_OF, "rejudge", ruleset="national-2019")
        store.save_findings(rid, jid2, [TYPO])
        assert score_run(store, rid, rs)[0].verdict == "合格"
        assert [f.code for f in target_results(store, rid)[0].findings] == ["W.CONTENT.TYPO"]


def test_running_run_is_not_cached(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'r.db'}") as store:
        rid, jid = make_run(store, [TYPO], finish=False)
        assert len(target_results(store, rid)[0].findings) == 1
        store.save_findings(rid, jid, [SERIOUS])
        assert len(target_results(store, rid)[0].findings) == 2


def test_bonus_entries_do_not_leak_into_the_cache(tmp_path: Path) -> None:
    rs = load_ruleset("national-2019")
    bonus = Finding("S1", "W.BONUS.INNOVATION", "advisory", "", "政务公开创新做法", AS_OF, {"points": 2})
    with Store(f"sqlite:///{tmp_path / 'b.db'}") as store:
        rid, _ = make_run(store, [TYPO])
        with_bonus = score_run(store, rid, rs, bonus=[bonus])
        without = score_run(store, rid, rs)
        assert with_bonus[0].bonus >= without[0].bonus
        assert "W.BONUS.INNOVATION" not in [f.code for f in target_results(store, rid)[0].findings]
