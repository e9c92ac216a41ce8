"""Early warnings below the veto lines (rule set ``warnings``), e.g. home page 10 days."""

from __future__ import annotations

from xuncha.checks import early_warnings, run_checks
from xuncha.scoring import load_ruleset

from ._factory import days_ago, item, make_ctx, make_site

WARN = [(w.name, w.code, w.thresholds) for w in load_ruleset("national-2019").warnings]


def _home(age: int):
    ctx = make_ctx(site=make_site(home_items=[item(days_ago(age), "要闻")]))
    return ctx, run_checks(ctx, ["W.VETO.HOME_STALE"])


def test_home_page_12_days_old_warns_without_veto() -> None:
    ctx, found = _home(12)
    assert found == []
    warnings = early_warnings(ctx, found, WARN)
    assert len(warnings) == 1
    w = warnings[0]
    assert (w.code, w.severity, w.is_warning) == ("W.VETO.HOME_STALE", "advisory", True)
    assert w.evidence.startswith("预警（首页临近不更新）：") and w.detail["warning"] == "首页临近不更新"


def test_fresh_home_page_has_no_warning_and_a_veto_is_not_warned_again() -> None:
    ctx, found = _home(5)
    assert early_warnings(ctx, found, WARN) == []
    ctx, found = _home(20)
    assert [f.severity for f in found] == ["veto"]
    assert early_warnings(ctx, found, WARN) == []


def test_warning_for_a_check_of_another_kind_is_ignored() -> None:
    ctx, found = _home(12)
    only_media = [w for w in WARN if w[1].startswith("M.")]
    assert only_media and early_warnings(ctx, found, only_media) == []
