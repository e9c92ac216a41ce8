"""W.REGISTRY.MISMATCH (including the closed-target mode: a snapshot with only a home page)."""

from __future__ import annotations

from xuncha.model import SiteStructure

from ._factory import NAME, home_page, make_ctx, make_site, make_snapshot, make_target, run, run_probes, sev

CODE = "W.REGISTRY.MISMATCH"


def _closed_ctx(status: str = "closed", **page_kw: object):
    target = make_target(status=status, status_raw="关停" if status == "closed" else "注销")
    snap = make_snapshot(target=target, pages=[home_page(**page_kw)])
    return make_ctx(target=target, snapshot=snap, site=SiteStructure(home_url=snap.home_url))


def test_closed_but_still_online_is_mismatch() -> None:
    found = run(CODE, _closed_ctx())
    assert sev(found) == ["deduct"] and "已关停" in found[0].evidence and "仍可访问" in found[0].evidence
    assert found[0].detail["reason"] == "closed_but_online"


def test_cancelled_but_still_online_is_mismatch() -> None:
    found = run(CODE, _closed_ctx("cancelled"))
    assert sev(found) == ["deduct"] and "已注销" in found[0].evidence


def test_closed_and_offline_is_silent() -> None:
    assert run(CODE, _closed_ctx(status=None, error="dns", html="")) == []


def test_closed_site_redirecting_to_another_host_is_silent() -> None:
    assert run(CODE, _closed_ctx(final_url="https://www.portal.gov.cn/")) == []


def test_running_but_unreachable_is_mismatch_with_error_evidence() -> None:
    snap = make_snapshot(
        pages=[home_page(status=None, error="timeout", html="", elapsed_ms=15000.0)],
        probes=run_probes((False, False, False), error="timeout"),
    )
    found = run(CODE, make_ctx(snapshot=snap))
    assert sev(found) == ["deduct"] and found[0].detail["reason"] == "running_but_unreachable"
    assert "超时未加载完成" in found[0].evidence


def test_running_blocked_home_is_not_a_mismatch() -> None:
    snap = make_snapshot(pages=[home_page(status=403, blocked="waf", html="")])
    assert run(CODE, make_ctx(snapshot=snap)) == []


def test_running_home_failed_once_but_probe_ok_is_online() -> None:
    snap = make_snapshot(pages=[home_page(status=502, html="")], probes=run_probes((False, True, True)))
    assert run(CODE, make_ctx(snapshot=snap, site=make_site(header_text="示例市人民政府"))) == []


def test_domain_differs_after_redirect() -> None:
    snap = make_snapshot(pages=[home_page(final_url="https://www.newname.gov.cn/")])
    found = run(CODE, make_ctx(snapshot=snap, site=make_site(header_text="示例市人民政府")))
    assert sev(found) == ["deduct"] and found[0].detail["reason"] == "domain"
    assert "www.example.gov.cn" in found[0].evidence and "www.newname.gov.cn" in found[0].evidence


def test_name_differs_everywhere() -> None:
    site = make_site(header_text="示例新区管委会", title="示例新区管委会", meta={"SiteName": "示例新区"})
    found = run(CODE, make_ctx(site=site))
    assert sev(found) == ["deduct"] and found[0].detail["reason"] == "name"
    assert f"「{NAME}」" in found[0].evidence


def test_name_shown_in_title_only_is_consistent() -> None:
    site = make_site(header_text="", title=f"首页_{NAME}")
    assert run(CODE, make_ctx(site=site)) == []


def test_building_status_is_not_judged() -> None:
    target = make_target(status="building")
    snap = make_snapshot(target=target, pages=[home_page(status=None, error="dns", html="")])
    assert run(CODE, make_ctx(target=target, snapshot=snap)) == []


def test_closed_target_with_probe_only_snapshot() -> None:
    target = make_target(status="closed", status_raw="关停")
    snap = make_snapshot(target=target, pages=[], probes=run_probes((True,)))
    found = run(CODE, make_ctx(target=target, snapshot=snap, site=SiteStructure(home_url=snap.home_url)))
    assert sev(found) == ["deduct"] and found[0].detail["reason"] == "closed_but_online"
    snap = make_snapshot(target=target, pages=[], probes=run_probes((False,), error="dns"))
    assert run(CODE, make_ctx(target=target, snapshot=snap, site=SiteStructure(home_url=snap.home_url))) == []
