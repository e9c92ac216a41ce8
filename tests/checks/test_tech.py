"""W.TECH.HTTPS, W.TECH.IPV6 and W.SEARCH."""

from __future__ import annotations

from datetime import timedelta

from xuncha.model import NetCheck, SearchAttempt, SearchForm

from ._factory import AS_OF, home_page, make_ctx, make_site, make_snapshot, run, sev, u

HTTPS, IPV6, SEARCH = "W.TECH.HTTPS", "W.TECH.IPV6", "W.SEARCH"
HOST = "www.example.gov.cn"


def _net(**kw: object) -> NetCheck:
    base: dict[str, object] = dict(
        host=HOST,
        aaaa=["2001:db8::1"],
        ipv6_status=200,
        ipv6_title_same=True,
        https_ok=True,
        cert_not_after=AS_OF + timedelta(days=200),
        http_redirects_to_https=True,
    )
    base.update(kw)
    return NetCheck(**base)  # type: ignore[arg-type]


def _ctx(net: NetCheck | None = None, **snap_kw: object):
    return make_ctx(
        snapshot=make_snapshot(net=net, **snap_kw), site=make_site(search_form=SearchForm(action=u("search")))
    )


# --------------------------------------------------------------------------- HTTPS
def test_https_not_collected_says_nothing() -> None:
    assert run(HTTPS, _ctx(None)) == []


def test_https_fine_is_silent() -> None:
    assert run(HTTPS, _ctx(_net())) == []


def test_no_https_is_advisory_never_deduction() -> None:
    found = run(HTTPS, _ctx(_net(https_ok=False, https_error="connect", cert_not_after=None)))
    assert sev(found) == ["advisory"] and "连接失败" in found[0].evidence


def test_no_http_redirect_is_advisory() -> None:
    found = run(HTTPS, _ctx(_net(http_redirects_to_https=False)))
    assert sev(found) == ["advisory"] and found[0].detail["issue"] == "no_redirect"


def test_certificate_29_days_left_warns_30_does_not() -> None:
    found = run(HTTPS, _ctx(_net(cert_not_after=AS_OF + timedelta(days=29, hours=1))))
    assert sev(found) == ["advisory"] and found[0].detail["days_left"] == 29
    assert run(HTTPS, _ctx(_net(cert_not_after=AS_OF + timedelta(days=30)))) == []


def test_expired_certificate() -> None:
    found = run(HTTPS, _ctx(_net(cert_not_after=AS_OF - timedelta(days=2))))
    assert sev(found) == ["advisory"] and "已于" in found[0].evidence and "过期" in found[0].evidence


# --------------------------------------------------------------------------- IPv6
def test_ipv6_not_collected_is_inconclusive_not_deduction() -> None:
    assert sev(run(IPV6, _ctx(None))) == ["inconclusive"]


def test_ipv6_ok_is_silent() -> None:
    assert run(IPV6, _ctx(_net())) == []


def test_no_aaaa_is_deducted() -> None:
    found = run(IPV6, _ctx(_net(aaaa=[], ipv6_status=None, ipv6_error="no_aaaa")))
    assert sev(found) == ["deduct"] and "AAAA" in found[0].evidence and HOST in found[0].evidence


def test_aaaa_but_not_loadable_over_ipv6() -> None:
    found = run(IPV6, _ctx(_net(ipv6_status=None, ipv6_error="connect")))
    assert sev(found) == ["deduct"] and "连接失败" in found[0].evidence
    found = run(IPV6, _ctx(_net(ipv6_status=502)))
    assert sev(found) == ["deduct"] and "HTTP 502" in found[0].evidence


def test_ipv6_content_differs_is_advisory() -> None:
    found = run(IPV6, _ctx(_net(ipv6_title_same=False)))
    assert sev(found) == ["advisory"] and found[0].detail["reason"] == "content_differs"


def test_ipv6_refused_or_untested_is_inconclusive() -> None:
    assert sev(run(IPV6, _ctx(_net(ipv6_status=403)))) == ["inconclusive"]
    assert sev(run(IPV6, _ctx(_net(ipv6_status=None)))) == ["inconclusive"]


# --------------------------------------------------------------------------- search
def test_no_search_form_is_deducted() -> None:
    found = run(SEARCH, make_ctx(site=make_site()))
    assert sev(found) == ["deduct"] and "站内搜索" in found[0].evidence


def test_search_found_is_silent() -> None:
    ctx = _ctx(search=SearchAttempt(query="关于春季防火的通知", url=u("search?q=x"), status=200, found=True))
    assert run(SEARCH, ctx) == []


def test_search_not_found_is_deducted() -> None:
    ctx = _ctx(search=SearchAttempt(query="关于春季防火的通知", url=u("search?q=x"), status=200, found=False))
    found = run(SEARCH, ctx)
    assert sev(found) == ["deduct"] and "「关于春季防火的通知」" in found[0].evidence


def test_search_network_error_is_inconclusive() -> None:
    ctx = _ctx(search=SearchAttempt(query="标题", error="timeout"))
    found = run(SEARCH, ctx)
    assert sev(found) == ["inconclusive"] and "超时" in found[0].evidence


def test_search_server_error_page_is_deducted_refusal_is_not() -> None:
    assert sev(run(SEARCH, _ctx(search=SearchAttempt(query="标题", status=500)))) == ["deduct"]
    assert sev(run(SEARCH, _ctx(search=SearchAttempt(query="标题", status=429)))) == ["inconclusive"]


def test_search_not_tested_or_home_failed_is_inconclusive() -> None:
    assert sev(run(SEARCH, _ctx())) == ["inconclusive"]
    ctx = make_ctx(snapshot=make_snapshot(pages=[home_page(status=None, error="dns", html="")]))
    assert sev(run(SEARCH, ctx)) == ["inconclusive"]
