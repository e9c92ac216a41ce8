"""W.VETO.SERVICE and W.SVC.GUIDE."""

from __future__ import annotations

from xuncha.model import GUIDE_CATEGORIES

from ._factory import column, complete_guide, days_ago, make_ctx, make_site, make_target, run, sev

VETO, GUIDE = "W.VETO.SERVICE", "W.SVC.GUIDE"
FOUR = ("设定依据", "收费标准", "办理时间", "联系电话")


def _ctx(guides=(), entries=(), **kw: object):
    return make_ctx(site=make_site(guides=list(guides), service_entry_urls=list(entries), **kw))


def test_no_service_at_all_is_veto() -> None:
    found = run(VETO, _ctx())
    assert sev(found) == ["veto"] and found[0].detail["reason"] == "no_service"


def test_platform_entry_alone_is_a_service() -> None:
    assert run(VETO, _ctx(entries=["https://www.hnzwfw.gov.cn/"])) == []


def test_service_column_with_items_but_no_guides_is_inconclusive() -> None:
    found = run(VETO, _ctx(columns=[column("办事服务", "SERVICE", (days_ago(3),))]))
    assert sev(found) == ["inconclusive"]


def test_no_service_function_flag_skips_both_codes() -> None:
    target = make_target(flags=frozenset({"no_service_function"}), id="bm07000001")
    ctx = make_ctx(target=target, site=make_site())
    assert run(VETO, ctx) == [] and run(GUIDE, ctx) == []


def test_exactly_five_guides_missing_four_is_veto() -> None:
    guides = [complete_guide(f"事项{i}", FOUR) for i in range(5)] + [
        complete_guide(f"好{i}") for i in range(10)
    ]
    ctx = _ctx(guides)
    found = run(VETO, ctx)
    assert sev(found) == ["veto"] and found[0].detail["count"] == 5 and found[0].detail["total"] == 15
    assert "缺少 4 类要素：设定依据、收费标准、办理时间、联系电话" in found[0].evidence
    assert run(GUIDE, ctx) == []  # counted under the veto only


def test_four_bad_guides_among_many_is_no_veto_but_deductions() -> None:
    guides = [complete_guide(f"事项{i}", FOUR) for i in range(4)] + [
        complete_guide(f"好{i}") for i in range(10)
    ]
    ctx = _ctx(guides)
    assert run(VETO, ctx) == []
    found = run(GUIDE, ctx)
    assert sev(found) == ["deduct"] * 4


def test_guides_missing_three_never_count_for_the_veto() -> None:
    guides = [complete_guide(f"事项{i}", FOUR[:3]) for i in range(6)]
    ctx = _ctx(guides)
    assert run(VETO, ctx) == []
    assert len(run(GUIDE, ctx)) == 6


def test_fewer_than_five_guides_all_bad_is_veto() -> None:
    ctx = _ctx([complete_guide(f"事项{i}", FOUR) for i in range(3)])
    found = run(VETO, ctx)
    assert sev(found) == ["veto"] and "网站共 3 个事项" in found[0].evidence


def test_fewer_than_five_guides_one_good_is_no_veto() -> None:
    ctx = _ctx([complete_guide("事项1", FOUR), complete_guide("事项2", FOUR), complete_guide("事项3")])
    assert run(VETO, ctx) == []
    assert sev(run(GUIDE, ctx)) == ["deduct", "deduct"]


def test_guide_missing_two_lists_the_categories() -> None:
    ctx = _ctx([complete_guide("个体工商户登记", ("收费标准", "办理时间")), complete_guide("好")])
    found = run(GUIDE, ctx)
    assert sev(found) == ["deduct"]
    assert found[0].evidence == "办事指南「个体工商户登记」缺少 2 类要素：收费标准、办理时间"
    assert found[0].detail["missing"] == ["收费标准", "办理时间"]


def test_complete_guides_are_silent() -> None:
    ctx = _ctx([complete_guide(f"事项{i}") for i in range(3)])
    assert run(VETO, ctx) == [] and run(GUIDE, ctx) == []


def test_dead_link_out_counts_as_all_ten_missing() -> None:
    dead = complete_guide("外链事项", link_out=True, reachable=False)
    ctx = _ctx([dead] + [complete_guide(f"事项{i}", FOUR) for i in range(4)])
    found = run(VETO, ctx)
    assert sev(found) == ["veto"] and found[0].detail["count"] == 5
    assert found[0].detail["guides"][0]["missing"] == list(GUIDE_CATEGORIES)
    assert "视为缺少全部10类要素" in found[0].evidence


def test_unreachable_own_guides_are_left_out() -> None:
    ctx = _ctx([complete_guide("坏", FOUR, reachable=False)])
    assert sev(run(VETO, ctx)) == ["inconclusive"]
    assert run(GUIDE, ctx) == []
