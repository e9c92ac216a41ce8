"""W.ID.SITE_NAME, W.ID.FOOTER, W.ID.SITE_CODE, W.ID.ZHAOCUO, W.ID.DOMAIN, W.SITEMAP."""

from __future__ import annotations

from dataclasses import replace

import pytest

from xuncha.checks.identity import name_shown_in, normalize_site_name, valid_site_code
from xuncha.model import FooterMarks, LinkRef, ZhaocuoEntry

from ._factory import (
    HOME,
    NAME,
    SITE_CODE,
    complete_footer,
    home_page,
    make_ctx,
    make_site,
    make_snapshot,
    make_target,
    page,
    run,
    sev,
    u,
)

NAME_, FOOT, CODE, ZC, DOM, MAP = (
    "W.ID.SITE_NAME",
    "W.ID.FOOTER",
    "W.ID.SITE_CODE",
    "W.ID.ZHAOCUO",
    "W.ID.DOMAIN",
    "W.SITEMAP",
)


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("北京市人民政府 门户网站", "北京市人民政府"),
        ("ＸＸ县人民政府网站", "xx县人民政府"),
        ("中华人民共和国生态环境部", "生态环境部"),
        ("示例市人民政府官方网站", "示例市人民政府"),
    ],
)
def test_normalize_site_name(raw: str, want: str) -> None:
    assert normalize_site_name(raw) == want


def test_name_shown_in_title_with_decoration() -> None:
    assert name_shown_in(NAME, "首页 - 示例市人民政府门户网站")
    assert name_shown_in("中华人民共和国生态环境部", "生态环境部")
    assert not name_shown_in(NAME, "示例市政务服务网")


# --------------------------------------------------------------------------- site name
def test_site_name_in_header_is_silent() -> None:
    site = make_site(
        header_text="示例市人民政府 Shili Municipal Government", title=NAME, meta={"SiteName": NAME}
    )
    assert run(NAME_, make_ctx(site=site)) == []


def test_site_name_missing_from_header_is_deducted() -> None:
    found = run(NAME_, make_ctx(site=make_site(header_text="示例市政务服务网", title=NAME)))
    assert sev(found) == ["deduct"] and f"「{NAME}」" in found[0].evidence


def test_site_name_title_and_meta_disagree_are_advisories() -> None:
    site = make_site(header_text="示例市人民政府", title="欢迎访问", meta={"SiteName": "另一个网站"})
    found = run(NAME_, make_ctx(site=site))
    assert sev(found) == ["advisory", "advisory"]
    assert {f.detail["part"] for f in found} == {"title", "meta"}


def test_site_name_header_without_text_is_inconclusive() -> None:
    assert sev(run(NAME_, make_ctx(site=make_site(header_text="")))) == ["inconclusive"]


def test_identity_checks_are_inconclusive_when_home_failed() -> None:
    snap = make_snapshot(pages=[home_page(status=503, html="")])
    for code in (NAME_, FOOT, CODE, DOM, MAP):
        found = run(code, make_ctx(snapshot=snap))
        assert sev(found) == ["inconclusive"], code
        assert "HTTP 503" in found[0].evidence


# --------------------------------------------------------------------------- footer
def test_complete_footer_is_silent() -> None:
    assert run(FOOT, make_ctx(site=make_site(footer=complete_footer()))) == []


def test_missing_psb_mark() -> None:
    footer = replace(complete_footer(), psb_text="", psb_code="")
    found = run(FOOT, make_ctx(site=make_site(footer=footer)))
    assert sev(found) == ["deduct"]
    assert found[0].detail == {"mark": "psb"} and "公安机关备案号" in found[0].evidence


def test_empty_footer_misses_every_mark() -> None:
    found = run(FOOT, make_ctx(site=make_site(footer=FooterMarks())))
    assert sev(found) == ["deduct"] * 6
    assert [f.detail["mark"] for f in found] == ["conac", "site_code", "icp", "psb", "host_unit", "contact"]
    assert "党政机关网站标识" in found[0].evidence


def test_icp_without_miit_link_is_deducted() -> None:
    footer = replace(complete_footer(), icp_link="http://www.miibeian.gov.cn/")
    found = run(FOOT, make_ctx(site=make_site(footer=footer)))
    assert sev(found) == ["deduct"] and found[0].detail["mark"] == "icp_link"
    assert "beian.miit.gov.cn" in found[0].evidence


def test_nonstandard_psb_is_advisory_not_missing() -> None:
    footer = replace(complete_footer(), psb_text="郑公备：41010029000130", psb_code="", psb_nonstandard=True)
    found = run(FOOT, make_ctx(site=make_site(footer=footer)))
    assert sev(found) == ["advisory"] and found[0].detail["mark"] == "psb_nonstandard"


# --------------------------------------------------------------------------- site code
@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("4100000001", True),
        ("bm07000001", True),
        ("BM07000001", True),
        ("410000000", False),
        ("410000000112", False),
        ("bm0700001", False),
        ("ab07000001", False),
    ],
)
def test_site_code_pattern(code: str, ok: bool) -> None:
    assert valid_site_code(code.lower()) is ok


def _zc(code: str, **kw: object) -> ZhaocuoEntry:
    return ZhaocuoEntry(
        url=f"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={code}", site_code=code, **kw
    )  # type: ignore[arg-type]


def test_consistent_site_codes_are_silent() -> None:
    site = make_site(footer=complete_footer(), zhaocuo=[_zc(SITE_CODE)], meta={"SiteIDCode": SITE_CODE})
    assert run(CODE, make_ctx(site=site)) == []


def test_footer_and_zhaocuo_codes_differ() -> None:
    target = make_target(id="bm36000005", category="部门网站")
    footer = replace(complete_footer(), site_code="bm36000005")
    site = make_site(footer=footer, zhaocuo=[_zc("bm36000002")])
    found = run(CODE, make_ctx(target=target, site=site))
    assert sev(found) == ["deduct"] and found[0].detail["reason"] == "mismatch"
    assert "底部 bm36000005" in found[0].evidence and "找错入口 bm36000002" in found[0].evidence


def test_registry_id_differs_from_footer() -> None:
    found = run(CODE, make_ctx(target=make_target(id="4100000002"), site=make_site(footer=complete_footer())))
    assert sev(found) == ["deduct"] and "报送系统 4100000002" in found[0].evidence


def test_registry_id_that_is_not_a_site_code_is_ignored() -> None:
    site = make_site(footer=complete_footer())
    assert run(CODE, make_ctx(target=make_target(id="T-001"), site=site)) == []


def test_malformed_footer_code() -> None:
    footer = replace(complete_footer(), site_code="网站标识码：410000000112")
    found = run(CODE, make_ctx(target=make_target(id="T-1"), site=make_site(footer=footer)))
    assert sev(found) == ["deduct"] and found[0].detail["reason"] == "malformed"


# --------------------------------------------------------------------------- 找错
def test_portal_without_zhaocuo_is_deducted() -> None:
    found = run(ZC, make_ctx(site=make_site()))
    assert sev(found) == ["deduct"] and "我为政府网站找错" in found[0].evidence


def test_state_council_department_without_zhaocuo_is_deducted() -> None:
    target = make_target(id="bm07000001", category="部门网站")
    assert sev(run(ZC, make_ctx(target=target))) == ["deduct"]


def test_local_department_needs_no_zhaocuo() -> None:
    assert run(ZC, make_ctx(target=make_target(category="部门网站"))) == []


def test_zhaocuo_present_is_silent() -> None:
    assert run(ZC, make_ctx(site=make_site(zhaocuo=[_zc(SITE_CODE, via_script=True)]))) == []


def test_legacy_zhaocuo_host_is_advisory() -> None:
    entry = ZhaocuoEntry(
        url=f"http://121.43.68.40/exposure/jiucuo.html?site_code={SITE_CODE}",
        site_code=SITE_CODE,
        legacy_host=True,
    )
    found = run(ZC, make_ctx(site=make_site(zhaocuo=[entry])))
    assert sev(found) == ["advisory"] and "旧地址" in found[0].evidence


# --------------------------------------------------------------------------- domain
def _dom(final: str, **target_kw: object):
    snap = make_snapshot(pages=[home_page(final_url=final)])
    return run(DOM, make_ctx(target=make_target(**target_kw), snapshot=snap))


def test_portal_on_gov_cn_is_silent() -> None:
    assert _dom(HOME) == []


def test_non_gov_final_host_is_deducted() -> None:
    found = _dom("https://www.example-city.com/")
    assert "deduct" in sev(found) and found[0].detail["reason"] == "suffix"
    assert "www.example-city.com" in found[0].evidence
    assert found[-1].severity == "advisory" and found[-1].detail["reason"] == "registry_host"


def test_chinese_zhengwu_domain_is_allowed() -> None:
    assert _dom("https://www.xn--fiq228c.xn--zfr164b/", url="https://www.xn--fiq228c.xn--zfr164b/") == []


def test_department_must_be_sub_domain() -> None:
    found = _dom("https://www.bdslj.gov.cn/", category="部门网站", url="https://www.bdslj.gov.cn/")
    assert sev(found) == ["deduct"] and found[0].detail["reason"] == "not_subdomain"
    assert _dom("https://slj.bd.gov.cn/", category="部门网站", url="https://slj.bd.gov.cn/") == []
    assert (
        _dom("https://www.mee.gov.cn/", id="bm17000001", category="部门网站", url="https://www.mee.gov.cn/")
        == []
    )


def test_registry_host_differs_only_by_www_is_silent() -> None:
    assert _dom("https://www.example.gov.cn/", url="http://example.gov.cn/") == []


# --------------------------------------------------------------------------- sitemap
def test_no_sitemap_is_deducted() -> None:
    found = run(MAP, make_ctx(site=make_site(links=[LinkRef(HOME, u("a.html"), "首页")])))
    assert sev(found) == ["deduct"] and "网站地图" in found[0].evidence


def test_sitemap_link_found_by_text_and_ok() -> None:
    site = make_site(links=[LinkRef(HOME, u("wzdt.html"), "网站地图", "footer")])
    snap = make_snapshot(pages=[home_page(), page("wzdt.html")])
    assert run(MAP, make_ctx(snapshot=snap, site=site)) == []


def test_sitemap_page_broken_is_deducted() -> None:
    snap = make_snapshot(pages=[home_page(), page("wzdt.html", 404)])
    found = run(MAP, make_ctx(snapshot=snap, site=make_site(sitemap_url=u("wzdt.html"))))
    assert sev(found) == ["deduct"] and "HTTP 404" in found[0].evidence


def test_sitemap_page_blocked_is_inconclusive() -> None:
    # the footer's sitemap link (complete_footer) points to sitemap.html, refused by a WAF
    snap = make_snapshot(pages=[home_page(), page("sitemap.html", 403, blocked="waf")])
    found = run(MAP, make_ctx(snapshot=snap, site=make_site(footer=complete_footer())))
    assert sev(found) == ["inconclusive"]


def test_sitemap_never_checked_is_silent() -> None:
    assert run(MAP, make_ctx(site=make_site(footer=complete_footer()))) == []
