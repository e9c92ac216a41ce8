"""首页不更新, 栏目不更新 (three clauses) and the W.PUB.* staleness deductions."""

from __future__ import annotations

from datetime import date

import pytest

from xuncha.checks.updates import assess_updates, months_after, months_before

from ._factory import (
    TODAY,
    column,
    days_ago,
    home_page,
    item,
    make_ctx,
    make_site,
    make_snapshot,
    page,
    run,
    sev,
    u,
)

HOME, COLS, LONG, BLANK = (
    "W.VETO.HOME_STALE",
    "W.VETO.COLUMNS_STALE",
    "W.VETO.LONG_STALE",
    "W.VETO.BLANK_COLUMNS",
)
NEWS, POLICY, PERIODIC = "W.PUB.NEWS_STALE", "W.PUB.POLICY_STALE", "W.PUB.PERIODIC_STALE"
SIX_MONTHS_AGO = months_before(TODAY, 6)  # 2024-09-01


@pytest.mark.parametrize(
    ("d", "n", "want"),
    [
        (date(2025, 8, 31), 6, date(2025, 2, 28)),
        (date(2024, 8, 31), 6, date(2024, 2, 29)),
        (date(2025, 3, 1), 6, date(2024, 9, 1)),
        (date(2025, 1, 15), 1, date(2024, 12, 15)),
        (date(2025, 3, 31), 1, date(2025, 2, 28)),
        (date(2025, 3, 1), 12, date(2024, 3, 1)),
        (date(2025, 3, 1), 0, date(2025, 3, 1)),
    ],
)
def test_months_before_is_calendar_and_clamped(d: date, n: int, want: date) -> None:
    assert months_before(d, n) == want


def test_months_after() -> None:
    assert months_after(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert months_after(date(2024, 6, 10), 3) == date(2024, 9, 10)


# --------------------------------------------------------------------------- home
def _home_ctx(*dates: date | None, **site_kw: object):
    return make_ctx(site=make_site(home_items=[item(d, f"h{i}") for i, d in enumerate(dates)], **site_kw))


def test_home_item_exactly_14_days_old_is_an_update() -> None:
    assert run(HOME, _home_ctx(days_ago(14), days_ago(30))) == []


def test_home_item_15_days_old_is_veto() -> None:
    found = run(HOME, _home_ctx(days_ago(15), None))
    assert sev(found) == ["veto"]
    assert "2025-02-14" in found[0].evidence and "2025-02-15 至 2025-03-01" in found[0].evidence


def test_home_undated_items_never_count() -> None:
    found = run(HOME, _home_ctx(None, None))
    assert sev(found) == ["veto"] and "可识别发布日期" in found[0].evidence


def test_home_future_dates_are_not_updates_and_are_named() -> None:
    found = run(HOME, _home_ctx(date(2025, 3, 5), days_ago(40)))
    assert sev(found) == ["veto"]
    assert "晚于巡查时点" in found[0].evidence and "2025-03-05" in found[0].evidence
    assert found[0].detail["future_dates"] == ["2025-03-05"]


def test_home_navigation_only_judges_second_level_columns() -> None:
    cols = [column("政务公开", "OTHER", (days_ago(40),)), column("工作动态", "NEWS", (days_ago(5),), level=2)]
    assert run(HOME, _home_ctx(home_is_navigation_only=True, columns=cols)) == []
    cols[1] = column("工作动态", "NEWS", (days_ago(20),), level=2)
    found = run(HOME, _home_ctx(home_is_navigation_only=True, columns=cols))
    assert sev(found) == ["veto"] and found[0].detail["navigation_only"] is True
    assert "「工作动态」最新信息日期 2025-02-09" in found[0].evidence


def test_home_navigation_only_without_crawled_columns_is_inconclusive() -> None:
    cols = [column("工作动态", "NEWS", pages_seen=0)]
    assert sev(run(HOME, _home_ctx(home_is_navigation_only=True, columns=cols))) == ["inconclusive"]


def test_home_page_failed_is_inconclusive() -> None:
    snap = make_snapshot(pages=[home_page(status=None, error="timeout", html="")])
    found = run(HOME, make_ctx(snapshot=snap))
    assert sev(found) == ["inconclusive"] and "超时" in found[0].evidence


# --------------------------------------------------------------------------- clause 1
def _stale_news(n: int) -> list:
    return [column(f"动态{i}", "NEWS", (days_ago(15 + i),)) for i in range(n)]


def test_exactly_five_stale_columns_is_veto_and_not_deducted_again() -> None:
    cols = _stale_news(3) + [
        column("通知公告", "NOTICE", (date(2024, 8, 31),)),
        column("政策文件", "POLICY", (date(2024, 8, 1),)),
    ]
    ctx = make_ctx(site=make_site(columns=cols))
    found = run(COLS, ctx)
    assert sev(found) == ["veto"] and found[0].detail["count"] == 5
    assert "「动态0」最新信息日期 2025-02-14，超过14天未更新" in found[0].evidence
    assert "「通知公告」最新信息日期 2024-08-31，超过6个月未更新" in found[0].evidence
    assert run(NEWS, ctx) == [] and run(POLICY, ctx) == []


def test_four_stale_columns_are_deductions() -> None:
    cols = _stale_news(3) + [
        column("通知公告", "NOTICE", (date(2024, 8, 31),)),
        column("要闻", "NEWS", (days_ago(14),)),
    ]
    ctx = make_ctx(site=make_site(columns=cols))
    assert run(COLS, ctx) == []
    found = run(NEWS, ctx)
    assert sev(found) == ["deduct"] * 4
    assert {f.detail["name"] for f in found} == {"动态0", "动态1", "动态2", "通知公告"}
    assert found[0].url == u("col/动态0/")


def test_notice_exactly_six_months_old_is_fresh() -> None:
    ctx = make_ctx(site=make_site(columns=[column("通知公告", "NOTICE", (SIX_MONTHS_AGO,))]))
    assert run(NEWS, ctx) == []
    ctx = make_ctx(site=make_site(columns=[column("通知公告", "NOTICE", (date(2024, 8, 31),))]))
    assert sev(run(NEWS, ctx)) == ["deduct"]


def test_sub_column_counts_through_its_notice_parent() -> None:
    parent = column("通知公告", "NOTICE", (date(2024, 1, 1),))
    child = column("公示", "NOTICE", (days_ago(10),), level=2, parent_url=parent.url)
    a = assess_updates(make_ctx(site=make_site(columns=[parent, child])))
    assert [s.column.name for s in a.notice_policy] == ["通知公告"]
    assert not a.notice_policy[0].stale and a.notice_policy[0].newest == days_ago(10)


def test_stale_sub_column_is_not_counted_on_its_own() -> None:
    parent = column("政策文件", "POLICY", (days_ago(10),))
    child = column("规范性文件", "POLICY", (date(2023, 1, 1),), level=2, parent_url=parent.url)
    ctx = make_ctx(site=make_site(columns=[parent, child]))
    assert run(POLICY, ctx) == [] and assess_updates(ctx).stale_a == []


def test_notice_under_other_parent_is_top_of_its_branch() -> None:
    parent = column("政务公开", "OTHER", (days_ago(1),))
    child = column("通知公告", "NOTICE", (date(2024, 1, 1),), level=2, parent_url=parent.url)
    assert sev(run(NEWS, make_ctx(site=make_site(columns=[parent, child])))) == ["deduct"]


def test_columns_in_special_topics_are_not_news() -> None:
    cols = [column(f"专题动态{i}", "NEWS", (days_ago(100),), in_special=True) for i in range(6)]
    ctx = make_ctx(site=make_site(columns=cols))
    assert run(COLS, ctx) == [] and run(NEWS, ctx) == []


def test_undated_items_make_a_column_stale() -> None:
    ctx = make_ctx(site=make_site(columns=[column("工作动态", "NEWS", (None, None))]))
    found = run(NEWS, ctx)
    assert sev(found) == ["deduct"] and "均无可识别的发布日期" in found[0].evidence


def test_future_dated_column_item_is_not_an_update() -> None:
    ctx = make_ctx(site=make_site(columns=[column("工作动态", "NEWS", (date(2025, 3, 3), days_ago(20)))]))
    found = run(NEWS, ctx)
    assert sev(found) == ["deduct"]
    assert "晚于巡查时点" in found[0].evidence and found[0].detail["future_dates"] == ["2025-03-03"]


def test_uncrawled_columns_are_not_judged_but_listed_once() -> None:
    cols = _stale_news(4) + [
        column("财政预决算", "PERIODIC", pages_seen=0),
        column("工作动态", "NEWS", pages_seen=0),
        column("部门动态", "NEWS", (days_ago(30),), reachable=False),
    ]
    ctx = make_ctx(site=make_site(columns=cols))
    assert run(COLS, ctx) == []  # only 4 judged stale
    found = run(LONG, ctx)
    assert sev(found) == ["inconclusive"]
    assert "「财政预决算」" in found[0].evidence and "「部门动态」" in found[0].evidence
    assert len(found[0].detail["columns"]) == 3
    assert len(run(NEWS, ctx)) == 4


# --------------------------------------------------------------------------- blank, long stale
def test_exactly_five_blank_columns_is_veto() -> None:
    cols = [column(f"空白{i}", "OTHER", blank=True) for i in range(5)]
    found = run(BLANK, make_ctx(site=make_site(columns=cols)))
    assert sev(found) == ["veto"] and found[0].detail["count"] == 5


def test_four_blank_columns_and_a_noted_one_is_no_veto() -> None:
    cols = [column(f"空白{i}", "OTHER", blank=True) for i in range(4)]
    cols.append(column("依申请公开", "OPEN_CATALOG", blank=True, no_info_note=True))
    assert run(BLANK, make_ctx(site=make_site(columns=cols))) == []


def test_long_stale_counts_ten_distinct_columns() -> None:
    cols = [column(f"空白{i}", "OTHER", blank=True) for i in range(3)]
    cols.append(column("乡镇动态", "NEWS", blank=True))  # blank and stale NEWS: counted once
    cols += _stale_news(3)
    cols += [column(f"规划{i}", "PERIODIC", (date(2023, 12, 1),)) for i in range(2)]
    cols.append(column("统计月报", "DATA", (days_ago(80),), declared_cycle="month"))
    ctx = make_ctx(site=make_site(columns=cols))
    found = run(LONG, ctx)
    assert sev(found) == ["veto"] and found[0].detail["count"] == 10
    # one defect, one count: nothing is deducted again for the vetoed columns
    assert run(NEWS, ctx) == [] and run(PERIODIC, ctx) == []


def test_nine_long_stale_columns_is_no_veto() -> None:
    cols = [column(f"空白{i}", "OTHER", blank=True) for i in range(3)] + _stale_news(4)
    cols += [column(f"规划{i}", "PERIODIC", (date(2023, 12, 1),)) for i in range(2)]
    ctx = make_ctx(site=make_site(columns=cols))
    assert run(LONG, ctx) == []
    assert len(run(PERIODIC, ctx)) == 2


def test_declared_cycle_met_is_not_counted() -> None:
    ctx = make_ctx(
        site=make_site(columns=[column("统计月报", "DATA", (days_ago(20),), declared_cycle="month")])
    )
    assert assess_updates(ctx).stale_b == {}


# --------------------------------------------------------------------------- deductions
def test_policy_stale_six_months_plus_one_day() -> None:
    ctx = make_ctx(site=make_site(columns=[column("政策文件", "POLICY", (date(2024, 8, 31),))]))
    found = run(POLICY, ctx)
    assert sev(found) == ["deduct"]
    assert found[0].evidence == "「政策文件」最新信息日期 2024-08-31，超过6个月未更新"
    assert run(NEWS, ctx) == []  # POLICY is not a 政务动态 deduction


def test_policy_fresh_is_silent() -> None:
    ctx = make_ctx(site=make_site(columns=[column("政策文件", "POLICY", (SIX_MONTHS_AGO,))]))
    assert run(POLICY, ctx) == []


def test_periodic_stale_after_one_year() -> None:
    ctx = make_ctx(site=make_site(columns=[column("人事任免", "PERIODIC", (date(2024, 2, 29),))]))
    found = run(PERIODIC, ctx)
    assert sev(found) == ["deduct"] and "超过1年未更新" in found[0].evidence
    ctx = make_ctx(site=make_site(columns=[column("人事任免", "PERIODIC", (date(2024, 3, 1),))]))
    assert run(PERIODIC, ctx) == []


def test_news_exactly_14_days_is_fresh() -> None:
    ctx = make_ctx(site=make_site(columns=[column("工作动态", "NEWS", (days_ago(14),))]))
    assert run(NEWS, ctx) == []


def test_crawled_column_with_page_is_judged() -> None:
    snap = make_snapshot(pages=[home_page(), page("col/工作动态/")])
    ctx = make_ctx(snapshot=snap, site=make_site(columns=[column("工作动态", "NEWS", (days_ago(15),))]))
    assert sev(run(NEWS, ctx)) == ["deduct"]


def test_home_navigation_only_ignores_third_level_columns() -> None:
    cols = [
        column("政务公开", "OTHER", (days_ago(40),)),
        column("工作动态", "NEWS", (days_ago(20),), level=2),
        column("乡镇动态", "NEWS", (days_ago(1),), level=3),
    ]
    found = run(HOME, _home_ctx(home_is_navigation_only=True, columns=cols))
    assert sev(found) == ["veto"] and len(found[0].detail["columns"]) == 2
