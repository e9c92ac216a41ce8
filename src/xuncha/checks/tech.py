"""Technical functions: HTTPS (advisory), IPv6 support and site search.

Judged from the collector's network facts (``ctx.snapshot.net``), its search attempt
(``ctx.snapshot.search``) and the extracted home-page search form. A fact that was not collected
is never a deduction: HTTPS stays silent, IPv6 and search say "inconclusive".
"""

from __future__ import annotations

from collections.abc import Iterator

from xuncha.checks.availability import BLOCK_ERRORS, error_zh, needs_home, to_local
from xuncha.checks.base import CheckContext, check
from xuncha.model import Finding

_BLOCK_STATUSES = frozenset({401, 403, 429})


@check(
    "W.TECH.HTTPS",
    title="HTTPS（提示）",
    family="tech",
    indicator="国办发〔2017〕47号 政府网站发展指引：安全防护（HTTPS 非国家指标，提示项，待核实）",
)
def https_advisory(ctx: CheckContext) -> Iterator[Finding]:
    """W.TECH.HTTPS — HTTPS 支持与证书有效期（提示）.

    What: advisories when the home page is not reachable over HTTPS, when plain HTTP does not
    redirect to HTTPS, when the certificate has expired, or when it expires in fewer than 30 days
    (``cert_warn_days``). Nothing is said when the network facts were not collected.
    Why: no confirmed national-2019 item; 国办发〔2017〕47号《政府网站发展指引》 asks for secure
    transport, so it is reported as advisory unless a rule set assigns points (indicators.md §4.8).
    Example: certificate valid until 2025-03-20, as of 2025-03-01 ⇒ advisory
    "HTTPS证书将于 2025-03-20 到期（剩余19天）".
    """
    code = "W.TECH.HTTPS"
    net = ctx.snapshot.net
    if net is None:
        return
    url = ctx.snapshot.home_url
    if net.https_ok is False:
        why = f"：{error_zh(net.https_error)}" if net.https_error else ""
        yield ctx.finding(
            code, "advisory", url, f"首页不能通过HTTPS访问{why}", issue="no_https", error=net.https_error
        )
    elif net.https_ok and net.http_redirects_to_https is False:
        yield ctx.finding(code, "advisory", url, "HTTP访问未自动跳转到HTTPS", issue="no_redirect")
    if net.cert_not_after is not None:
        remaining = to_local(net.cert_not_after) - to_local(ctx.as_of)
        day = to_local(net.cert_not_after).date().isoformat()
        if remaining.total_seconds() <= 0:
            yield ctx.finding(
                code,
                "advisory",
                url,
                f"HTTPS证书已于 {day} 过期",
                issue="cert_expired",
                not_after=net.cert_not_after.isoformat(),
            )
        elif remaining.days < ctx.thresholds.cert_warn_days:
            yield ctx.finding(
                code,
                "advisory",
                url,
                f"HTTPS证书将于 {day} 到期（剩余{remaining.days}天，少于{ctx.thresholds.cert_warn_days}天）",
                issue="cert_expiring",
                not_after=net.cert_not_after.isoformat(),
                days_left=remaining.days,
            )


@check(
    "W.TECH.IPV6",
    title="IPv6支持",
    family="tech",
    indicator="国办秘函〔2019〕19号 扣分指标·功能设计：IPv6支持",
)
def ipv6_support(ctx: CheckContext) -> Iterator[Finding]:
    """W.TECH.IPV6 — 不支持IPv6访问（扣分）.

    What: the site host has no AAAA record, or the home page does not load over IPv6 ⇒
    deduction; loads over IPv6 but shows another ``<title>`` than over IPv4 ⇒ advisory.
    Refused over IPv6 (403/429/WAF) or not tested ⇒ inconclusive; never a deduction when the
    network facts were not collected.
    Why: 国办秘函〔2019〕19号 功能设计: 支持IPv6 (indicators.md §4.6, national IPv6 monitoring).
    Example: ``www.example.gov.cn`` resolves to IPv4 only ⇒ deduct
    "域名 www.example.gov.cn 无IPv6地址（AAAA记录），不支持IPv6访问".
    """
    code = "W.TECH.IPV6"
    net = ctx.snapshot.net
    url = ctx.snapshot.home_url
    if net is None:
        yield ctx.finding(code, "inconclusive", url, "本次巡查未进行IPv6检测", reason="not_checked")
        return
    if not net.aaaa or net.ipv6_error == "no_aaaa":
        yield ctx.finding(
            code,
            "deduct",
            url,
            f"域名 {net.host} 无IPv6地址（AAAA记录），不支持IPv6访问",
            reason="no_aaaa",
            host=net.host,
        )
        return
    addrs = "、".join(net.aaaa[:3])
    if net.ipv6_error in BLOCK_ERRORS or (net.ipv6_error is None and net.ipv6_status in _BLOCK_STATUSES):
        why = error_zh(net.ipv6_error) if net.ipv6_error else f"HTTP {net.ipv6_status}"
        yield ctx.finding(
            code,
            "inconclusive",
            url,
            f"通过IPv6访问首页被拒绝（{why}），无法判断",
            reason="blocked",
            aaaa=net.aaaa,
        )
        return
    if net.ipv6_error or (net.ipv6_status is not None and net.ipv6_status >= 400):
        why = error_zh(net.ipv6_error) if net.ipv6_error else f"HTTP {net.ipv6_status}"
        yield ctx.finding(
            code,
            "deduct",
            url,
            f"域名 {net.host} 有IPv6地址（{addrs}），但通过IPv6无法访问首页：{why}",
            reason="ipv6_unreachable",
            aaaa=net.aaaa,
            error=net.ipv6_error,
            status=net.ipv6_status,
        )
        return
    if net.ipv6_status is None:
        yield ctx.finding(
            code,
            "inconclusive",
            url,
            f"域名 {net.host} 有IPv6地址（{addrs}），但未完成IPv6访问测试",
            reason="not_tested",
            aaaa=net.aaaa,
        )
        return
    if net.ipv6_title_same is False:
        yield ctx.finding(
            code,
            "advisory",
            url,
            "通过IPv4与IPv6访问的首页内容（标题）不一致",
            reason="content_differs",
            aaaa=net.aaaa,
        )


@check(
    "W.SEARCH",
    title="站内搜索",
    family="tech",
    indicator="国办秘函〔2019〕19号 扣分指标·功能设计：站内搜索",
)
@needs_home("站内搜索")
def site_search(ctx: CheckContext) -> Iterator[Finding]:
    """W.SEARCH — 站内搜索缺失或不可用（扣分）.

    What: the home page must offer a search form; the collector's search for the exact title
    of an item published at least 2 days before the monitoring point must find it on the first
    result page. No form, an HTTP error page from the search, or title not found ⇒ deduction;
    network errors, refusals (403/429) or no test made ⇒ inconclusive.
    Why: 国办秘函〔2019〕19号 功能设计「站内搜索」: 无搜索功能或搜索不准确 (indicators.md §2.2, §4.5).
    Example: searching "关于做好2025年春季防火工作的通知" returns no match ⇒ deduct
    "站内搜索「关于做好2025年春季防火工作的通知」未在第一页检索结果中找到该信息".
    """
    code = "W.SEARCH"
    url = ctx.snapshot.home_url
    if ctx.site.search_form is None:
        yield ctx.finding(code, "deduct", url, "首页未提供站内搜索功能", reason="no_form")
        return
    s = ctx.snapshot.search
    if s is None:
        yield ctx.finding(
            code, "inconclusive", url, "首页有搜索框，本次巡查未进行检索测试", reason="not_tested"
        )
        return
    where = s.url or ctx.site.search_form.action
    if s.error:
        yield ctx.finding(
            code,
            "inconclusive",
            where,
            f"检索「{s.query}」时出错（{error_zh(s.error)}），无法判断",
            reason="error",
            query=s.query,
            error=s.error,
        )
    elif s.status in _BLOCK_STATUSES:
        yield ctx.finding(
            code,
            "inconclusive",
            where,
            f"检索「{s.query}」被网站拒绝（HTTP {s.status}），无法判断",
            reason="blocked",
            query=s.query,
            status=s.status,
        )
    elif s.status is not None and s.status >= 400:
        yield ctx.finding(
            code,
            "deduct",
            where,
            f"站内搜索结果页出错：检索「{s.query}」返回 HTTP {s.status}",
            reason="search_error",
            query=s.query,
            status=s.status,
        )
    elif s.found is False:
        yield ctx.finding(
            code,
            "deduct",
            where,
            f"站内搜索「{s.query}」未在第一页检索结果中找到该信息",
            reason="not_found",
            query=s.query,
        )
    elif s.found is None:
        yield ctx.finding(
            code, "inconclusive", where, f"检索「{s.query}」的结果无法判断", reason="unknown", query=s.query
        )
