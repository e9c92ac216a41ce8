"""Aggregation: region tree with 本级, categories, platforms, problem groups, comparison and
repeat offenders across consecutive runs."""

from __future__ import annotations

from datetime import timedelta

from xuncha.scoring import load_ruleset
from xuncha.scoring.aggregate import PastRun, build_report
from xuncha.scoring.engine import score_results

NAT = load_ruleset("national-2019")


def _world(b, failing: set[str]):
    specs = [
        ("city-portal", "website", "政府门户网站", "示例省/青山市"),
        ("city-dept", "website", "部门网站", "示例省/青山市"),
        ("county-a", "website", "政府门户网站", "示例省/青山市/东岭县"),
        ("county-b", "website", "部门网站", "示例省/青山市/东岭县"),
        ("district", "website", "政府门户网站", "示例省/青山市/河西区"),
        ("wx1", "wechat", "", "示例省/青山市"),
        ("wb1", "weibo", "", "示例省/青山市/河西区"),
        ("pending", "website", "部门网站", "示例省/青山市/河西区"),
    ]
    results = []
    for tid, kind, cat, region in specs:
        t = b.target(tid, kind=kind, category=cat, region=region)
        fs = []
        if tid in failing:
            code = "W.VETO.HOME_STALE" if kind == "website" else "M.VETO.STALE"
            fs.append(b.finding(code, "veto", tid=tid))
        if tid == "pending":
            fs.append(b.finding("W.VETO.SECURITY", "veto", tid=tid, confirm=True))
        if tid == "district":
            fs.append(b.finding("W.ID.FOOTER", tid=tid))
        results.append(b.result(t, *fs))
    results.append(b.result(b.target("closed"), inspected=False))
    return score_results(results, NAT)


def test_totals_rates_and_tree(b) -> None:
    rep = build_report(1, b.T, _world(b, {"county-a", "county-b", "wx1"}), NAT)
    assert (rep.websites.inspected, rep.websites.failed, rep.websites.pending, rep.websites.skipped) == (6, 2, 1, 1)
    assert rep.websites.rate_text == "66.7%" and rep.media.rate_text == "50.0%"
    tree = [(r.label, r.level, r.inspected, r.failed) for r in rep.by_region]
    assert tree == [("示例省", 0, 8, 3), ("青山市", 1, 8, 3), ("青山市本级", 2, 3, 1), ("东岭县", 2, 2, 2),
                    ("河西区", 2, 3, 0)]
    assert rep.regions_full == ["河西区"]
    assert {r.label: r.inspected for r in rep.by_platform} == {"微信": 1, "微博": 1}
    assert {r.label: (r.inspected, r.failed) for r in rep.by_category} == {"政府门户网站": (3, 1), "部门网站": (3, 1)}
    assert rep.window == (b.T.date() - timedelta(days=6), b.T.date())


def test_problem_groups_vetoes_first_naming_units(b) -> None:
    rep = build_report(1, b.T, _world(b, {"county-a", "county-b", "wx1"}), NAT)
    kinds = [(g.kind, g.code, g.names) for g in rep.problems]
    assert kinds[0] == ("veto", "W.VETO.HOME_STALE", ["county-a名称", "county-b名称"])
    assert ("veto", "M.VETO.STALE", ["wx1名称"]) in kinds
    assert ("deduct", "W.ID.FOOTER", ["district名称"]) in kinds
    assert kinds[-1] == ("pending", "W.VETO.SECURITY", ["pending名称"])
    assert rep.unconfirmed_values and any("W.ID.FOOTER" in u for u in rep.unconfirmed_values)
    assert not any("W.LINK.BROKEN_OTHER" in u for u in rep.unconfirmed_values)  # not scored in this run


def test_comparison_newly_failed_fixed_and_repeat_offenders(b) -> None:
    q1 = PastRun(1, b.T - timedelta(days=180), _world(b, {"county-a"}))
    q2 = PastRun(2, b.T - timedelta(days=90), _world(b, {"county-a", "city-dept"}))
    now = _world(b, {"county-a", "county-b"})
    rep = build_report(3, b.T, now, NAT, [q2, q1])
    c = rep.comparison
    assert c is not None and c.previous_run_id == 2
    assert [v.target.id for v in c.newly_failed] == ["county-b"]
    assert [t.id for t in c.fixed] == ["city-dept"]
    assert [(r.target.id, r.runs, r.codes) for r in c.repeat_offenders] == [("county-a", 3, ["W.VETO.HOME_STALE"])]
    assert c.previous_rate_websites == 4 / 6
    assert build_report(3, b.T, now, NAT).comparison is None
