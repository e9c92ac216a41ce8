"""The registry itself: every code registered, documented, titled in Chinese; errors isolated."""

from __future__ import annotations

import re

import pytest

from xuncha.checks import REGISTRY, CheckContext, CheckSpec, run_checks

from ._factory import clean_site, make_ctx, make_target

MINE = {
    "availability": {"W.VETO.UNREACHABLE", "W.AVAIL.HOME"},
    "updates": {
        "W.VETO.HOME_STALE",
        "W.VETO.COLUMNS_STALE",
        "W.VETO.LONG_STALE",
        "W.VETO.BLANK_COLUMNS",
        "W.PUB.NEWS_STALE",
        "W.PUB.POLICY_STALE",
        "W.PUB.PERIODIC_STALE",
    },
    "links": {"W.LINK.BROKEN_HOME", "W.LINK.BROKEN_OTHER", "W.ATTACHMENT"},
    "identity": {
        "W.ID.SITE_NAME",
        "W.ID.FOOTER",
        "W.ID.SITE_CODE",
        "W.ID.ZHAOCUO",
        "W.ID.DOMAIN",
        "W.SITEMAP",
    },
    "tech": {"W.TECH.HTTPS", "W.TECH.IPV6", "W.SEARCH"},
    "interaction": {"W.VETO.INTERACTION", "W.INT.REPLY_STALE"},
    "service": {"W.VETO.SERVICE", "W.SVC.GUIDE"},
    "registry": {"W.REGISTRY.MISMATCH"},
}
CJK = re.compile(r"[\u4e00-\u9fff]")
DOCUMENT = re.compile(r"^(.+?〔\d{4}〕\d+号)")


def test_every_website_code_is_registered_in_its_family() -> None:
    for family, codes in MINE.items():
        for code in codes:
            assert code in REGISTRY, code
            assert REGISTRY[code].family == family
            assert REGISTRY[code].kinds == ("website",)


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_check_is_documented_with_its_indicator(code: str) -> None:
    spec = REGISTRY[code]
    doc = spec.doc
    assert doc.startswith(code), "docstring opens with the code"
    for part in ("What:", "Why:", "Example:"):
        assert part in doc, f"{code}: docstring lacks {part}"
    m = DOCUMENT.match(spec.indicator)
    assert m, f"{code}: indicator must name its document: {spec.indicator}"
    assert m.group(1) in doc, f"{code}: docstring must cite {m.group(1)}"


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_titles_are_chinese(code: str) -> None:
    assert CJK.search(REGISTRY[code].title), code


def test_veto_codes_only_emit_veto_or_inconclusive() -> None:
    # the severity rule: a W.VETO.* code never deducts (checked on a deliberately poor site)
    from ._factory import make_site, make_snapshot, run_probes

    snap = make_snapshot(probes=run_probes((True, False, True)))
    ctx = make_ctx(snapshot=snap, site=make_site())
    for f in run_checks(ctx):
        if f.code.startswith("W.VETO."):
            assert f.severity in ("veto", "inconclusive"), f
        else:
            assert f.severity != "veto", f


def test_clean_site_has_no_findings() -> None:
    snap, site = clean_site()
    assert run_checks(make_ctx(snapshot=snap, site=site)) == []


def test_raising_check_becomes_inconclusive(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(ctx: CheckContext):
        raise ValueError("坏数据")

    monkeypatch.setitem(REGISTRY, "W.TEST.BOOM", CheckSpec("W.TEST.BOOM", "测试", "test", "测试", boom))
    snap, site = clean_site()
    found = run_checks(make_ctx(snapshot=snap, site=site))
    assert [f.code for f in found] == ["W.TEST.BOOM"]
    assert found[0].severity == "inconclusive" and "ValueError: 坏数据" in found[0].evidence


def test_real_checks_on_broken_structure_do_not_stop_the_run() -> None:
    snap, _site = clean_site()
    ctx = make_ctx(snapshot=snap, site=None)  # type: ignore[arg-type]
    ctx.site = None  # type: ignore[assignment]
    found = run_checks(ctx)
    assert found and all(f.severity == "inconclusive" for f in found)
    assert {f.code for f in found} >= {"W.VETO.HOME_STALE", "W.ID.FOOTER", "W.VETO.SERVICE"}


def test_website_checks_do_not_run_on_accounts() -> None:
    ctx = make_ctx(target=make_target(kind="wechat"))
    assert all(f.code.startswith("M.") for f in run_checks(ctx))


def test_findings_are_json_ready() -> None:
    import json

    from ._factory import make_site

    ctx = make_ctx(site=make_site())
    for f in run_checks(ctx):
        json.dumps(f.to_dict(), ensure_ascii=False)
