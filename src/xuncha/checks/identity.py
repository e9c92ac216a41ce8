"""Identity marks: site name, footer marks, 网站标识码, 找错 entry, domain, site map.

All read the home page structure (indicators.md §4.1–4.5). When the home page could not be
fetched they say so (inconclusive) instead of reporting every mark as missing.
"""

from __future__ import annotations

from collections.abc import Iterator

from xuncha.checks.availability import home_inconclusive, needs_home
from xuncha.checks.base import CheckContext, check
from xuncha.checks.links import home_urls, target_state
from xuncha.extract.html import host_of
from xuncha.model import Finding
from xuncha.text.names import clean_site_code, name_shown_in, normalize_site_name, valid_site_code

# --------------------------------------------------------------------------- codes, hosts
GOV_SUFFIXES = (".gov.cn", ".政务", ".xn--zfr164b")


def is_gov_host(host: str) -> bool:
    return host == "gov.cn" or host.endswith(GOV_SUFFIXES)


def same_site_host(a: str, b: str) -> bool:
    """Hosts equal up to a leading ``www.``."""
    return a.removeprefix("www.") == b.removeprefix("www.")


def is_department_id(target_id: str) -> bool:
    """State Council department sites carry 网站标识码 bm + 8 digits."""
    return target_id.lower().startswith("bm")


def final_home_url(ctx: CheckContext) -> str:
    home = ctx.snapshot.home
    if home is None:
        return ctx.snapshot.home_url
    return home.final_url or home.url


FOOTER_MARK_NAMES: dict[str, str] = {
    "conac": "党政机关网站标识",
    "site_code": "网站标识码",
    "icp": "ICP备案编号",
    "psb": "公安机关备案号",
    "host_unit": "主办单位",
    "contact": "联系方式",
}


# --------------------------------------------------------------------------- checks
@check(
    "W.ID.SITE_NAME",
    title="网站名称标识不规范",
    family="identity",
    indicator="国办发〔2017〕47号 政府网站发展指引：网站名称与头部标识区；国办秘函〔2019〕19号 功能设计",
)
@needs_home("网站名称")
def site_name_in_header(ctx: CheckContext) -> Iterator[Finding]:
    """W.ID.SITE_NAME — 网站名称未在头部标识区显示（扣分）.

    What: the header identification area (头部标识区) of the home page must show the registered
    site name (compared normalised: spaces, full-width forms, 门户网站/网站 suffixes ignored).
    A ``<title>`` or ``meta SiteName`` that names another site is an advisory. A header with no
    text (image logo without alt) is inconclusive.
    Why: 国办发〔2017〕47号《政府网站发展指引》: 网站名称应在头部标识区显著位置展示; a
    功能设计 deduction under 国办秘函〔2019〕19号 (indicators.md §4.1).
    Example: registry "某市人民政府门户网站", header "某市政务服务网" ⇒ deduct
    "头部标识区未显示网站名称「某市人民政府门户网站」（显示为：某市政务服务网）".
    """
    code = "W.ID.SITE_NAME"
    name = ctx.target.name
    url = ctx.snapshot.home_url
    site = ctx.site
    if not normalize_site_name(name):
        yield ctx.finding(
            code, "inconclusive", url, "报送系统中无网站名称，无法核对", reason="no_registry_name"
        )
        return
    if not site.header_text.strip():
        yield ctx.finding(
            code,
            "inconclusive",
            url,
            f"头部标识区未识别到文字（可能为图片标识），需人工核对是否显示「{name}」",
            part="header",
            reason="no_header_text",
        )
    elif not name_shown_in(name, site.header_text):
        yield ctx.finding(
            code,
            "deduct",
            url,
            f"头部标识区未显示网站名称「{name}」（显示为：{site.header_text[:60]}）",
            part="header",
            header=site.header_text[:200],
            registry_name=name,
        )
    shown = {"网页标题<title>": site.title, "meta SiteName": site.meta.get("SiteName", "")}
    for label, text in shown.items():
        if text.strip() and not name_shown_in(name, text):
            yield ctx.finding(
                code,
                "advisory",
                url,
                f"{label}「{text[:60]}」与网站名称「{name}」不一致",
                part="title" if label.startswith("网页") else "meta",
                shown=text[:200],
                registry_name=name,
            )


@check(
    "W.ID.FOOTER",
    title="底部功能区标识缺失",
    family="identity",
    indicator="国办发〔2017〕47号 政府网站发展指引：底部功能区标识（党政机关网站标识、网站标识码、备案编号、主办单位、联系方式）",
)
@needs_home("底部标识")
def footer_marks(ctx: CheckContext) -> Iterator[Finding]:
    """W.ID.FOOTER — 底部功能区标识缺失或不规范（每项扣分）.

    What: one deduction per missing footer mark — 党政机关网站标识 (conac), 网站标识码,
    ICP备案编号, 公安机关备案号, 主办单位, 联系方式 (detail ``mark``); an ICP number without a link
    to beian.miit.gov.cn is a deduction (``icp_link``); a legacy local 公安备案 form
    (郑公备：…) is an advisory (``psb_nonstandard``).
    Why: 国办发〔2017〕47号《政府网站发展指引》 footer requirements; counted under 国办秘函〔2019〕19号
    功能设计 (indicators.md §4.2).
    Example: footer shows no 公安机关备案号 ⇒ deduct "底部功能区缺少公安机关备案号" with
    detail {"mark": "psb"}.
    """
    code = "W.ID.FOOTER"
    f = ctx.site.footer
    url = ctx.snapshot.home_url
    present = {
        "conac": f.conac is not None,
        "site_code": bool(f.site_code.strip()),
        "icp": bool(f.icp_text.strip()),
        "psb": bool(f.psb_text.strip() or f.psb_code.strip()),
        "host_unit": bool(f.host_unit.strip()),
        "contact": bool(f.contact.strip()),
    }
    for mark, ok in present.items():
        if ok or (mark == "psb" and f.psb_nonstandard):
            continue
        yield ctx.finding(code, "deduct", url, f"底部功能区缺少{FOOTER_MARK_NAMES[mark]}", mark=mark)
    if present["icp"] and "beian.miit.gov.cn" not in f.icp_link.lower():
        where = f"（现链接：{f.icp_link}）" if f.icp_link else "（未设置链接）"
        yield ctx.finding(
            code,
            "deduct",
            url,
            f"ICP备案编号「{f.icp_text}」未链接至工业和信息化部备案系统 beian.miit.gov.cn{where}",
            mark="icp_link",
            icp_text=f.icp_text,
            icp_link=f.icp_link,
        )
    if f.psb_nonstandard:
        yield ctx.finding(
            code,
            "advisory",
            url,
            f"公安机关备案号为旧式地方格式「{f.psb_text}」，应为「X公网安备 14位数字号」",
            mark="psb_nonstandard",
            psb_text=f.psb_text,
        )


@check(
    "W.ID.SITE_CODE",
    title="网站标识码不规范",
    family="identity",
    indicator="国办发〔2017〕47号 政府网站发展指引：网站标识码；国办秘函〔2019〕19号 功能设计",
)
@needs_home("网站标识码")
def site_code_consistent(ctx: CheckContext) -> Iterator[Finding]:
    """W.ID.SITE_CODE — 网站标识码格式错误或前后不一致（扣分）.

    What: the footer 网站标识码 must match ``^(?:\\d{10}|bm\\d{8})$``, and the codes in the footer,
    the 找错 entry (``site_code``), ``meta SiteIDCode`` and the registry (when the registry id is
    itself a 网站标识码) must all be the same. A missing footer code is W.ID.FOOTER.
    Why: 国办发〔2017〕47号《政府网站发展指引》: 网站标识码 shown in the footer and used to route
    我为政府网站找错 messages (indicators.md §4.3, §4.4).
    Example: footer bm36000005, 找错 entry bm36000002 ⇒ deduct
    "网站标识码不一致：底部 bm36000005，找错入口 bm36000002".
    """
    code = "W.ID.SITE_CODE"
    url = ctx.snapshot.home_url
    footer_code = clean_site_code(ctx.site.footer.site_code)
    if footer_code and not valid_site_code(footer_code):
        yield ctx.finding(
            code,
            "deduct",
            url,
            f"底部网站标识码「{ctx.site.footer.site_code.strip()}」格式错误（应为10位数字或 bm+8位数字）",
            reason="malformed",
            footer=footer_code,
        )
    sources: list[tuple[str, str]] = []
    if footer_code:
        sources.append(("底部", footer_code))
    for entry in ctx.site.zhaocuo:
        c = clean_site_code(entry.site_code)
        if c:
            sources.append(("找错入口", c))
    meta_code = clean_site_code(ctx.site.meta.get("SiteIDCode", ""))
    if meta_code:
        sources.append(("meta SiteIDCode", meta_code))
    registry_code = clean_site_code(ctx.target.id)
    if valid_site_code(registry_code) and sources:
        sources.append(("报送系统", registry_code))
    distinct = {c for _, c in sources}
    if len(distinct) > 1:
        listing = "，".join(f"{label} {c}" for label, c in dict.fromkeys(sources))
        yield ctx.finding(
            code,
            "deduct",
            url,
            f"网站标识码不一致：{listing}",
            reason="mismatch",
            codes=[{"source": s, "code": c} for s, c in sources],
        )


@check(
    "W.ID.ZHAOCUO",
    title="我为政府网站找错入口",
    family="identity",
    indicator="国办秘函〔2019〕19号 扣分指标·功能设计：我为政府网站找错",
)
def zhaocuo_entry(ctx: CheckContext) -> Iterator[Finding]:
    """W.ID.ZHAOCUO — 首页缺少「我为政府网站找错」入口（扣分）.

    What: county-level-and-above government portals and State Council department sites (网站
    标识码 bm…) must carry the 找错 entry on the home page (link or script building
    zfwzgl.www.gov.cn/exposure/jiucuo.html). Missing ⇒ deduction; an entry on the legacy host
    121.43.68.40 ⇒ advisory "旧地址". Other sites are not required to have it.
    Why: 国办秘函〔2019〕19号 功能设计 and the 找错 routing through 全国政府网站信息报送系统
    (indicators.md §4.3).
    Example: a portal's home page with no jiucuo link or script ⇒ deduct
    "首页未设置「我为政府网站找错」入口".
    """
    code = "W.ID.ZHAOCUO"
    required = ctx.target.is_portal or is_department_id(ctx.target.id)
    if not required and not ctx.site.zhaocuo:
        return
    blocked = home_inconclusive(ctx, code, "找错入口")
    if blocked is not None:
        yield blocked
        return
    url = ctx.snapshot.home_url
    if not ctx.site.zhaocuo:
        kind = "政府门户网站" if ctx.target.is_portal else "国务院部门网站"
        yield ctx.finding(
            code, "deduct", url, f"首页未设置「我为政府网站找错」入口（{kind}应设置）", reason="missing"
        )
        return
    for entry in ctx.site.zhaocuo:
        if entry.legacy_host:
            yield ctx.finding(
                code,
                "advisory",
                entry.url or url,
                f"「我为政府网站找错」入口使用旧地址（{entry.url}），应改为 zfwzgl.www.gov.cn",
                reason="legacy_host",
                entry_url=entry.url,
            )


@check(
    "W.ID.DOMAIN",
    title="域名不规范",
    family="identity",
    indicator="国办发〔2017〕47号 政府网站发展指引：域名规范",
)
@needs_home("域名")
def domain_rules(ctx: CheckContext) -> Iterator[Finding]:
    """W.ID.DOMAIN — 网站域名不规范（扣分）.

    What: the final host of the home page (after redirects) must end in ``.gov.cn`` or ``.政务``
    (``.xn--zfr164b``); a department site (not a portal, not a State Council department) must
    be a sub-domain of its government's domain (``slj.bd.gov.cn``, not ``www.bdslj.gov.cn``).
    A final host other than the registered one is noted (advisory; W.REGISTRY.MISMATCH judges it).
    Why: 国办发〔2017〕47号《政府网站发展指引》: 英文域名以 .gov.cn 结尾，部门网站使用本级政府门户
    网站的下级域名 (indicators.md §4.5).
    Example: home redirects to www.example-city.com ⇒ deduct
    "首页实际访问域名 www.example-city.com 不是 .gov.cn 或 .政务 域名".
    """
    code = "W.ID.DOMAIN"
    final = final_home_url(ctx)
    host = host_of(final)
    url = ctx.snapshot.home_url
    if not host:
        yield ctx.finding(code, "inconclusive", url, "无法识别首页域名", reason="no_host")
        return
    if not is_gov_host(host):
        yield ctx.finding(
            code,
            "deduct",
            final,
            f"首页实际访问域名 {host} 不是 .gov.cn 或 .政务 域名",
            reason="suffix",
            host=host,
        )
    elif host.endswith(".gov.cn") and not ctx.target.is_portal and not is_department_id(ctx.target.id):
        labels = host[: -len(".gov.cn")].split(".")
        if labels and labels[0] == "www":
            labels = labels[1:]
        if len(labels) < 2:
            yield ctx.finding(
                code,
                "deduct",
                final,
                f"部门网站域名 {host} 不是本级政府门户网站域名的下级域名（应如 slj.bd.gov.cn）",
                reason="not_subdomain",
                host=host,
            )
    registry_host = host_of(ctx.target.url)
    if registry_host and not same_site_host(registry_host, host):
        yield ctx.finding(
            code,
            "advisory",
            final,
            f"报送系统登记域名 {registry_host} 与首页实际访问域名 {host} 不一致",
            reason="registry_host",
            host=host,
            registry_host=registry_host,
        )


SITEMAP_WORDS = ("网站地图", "站点地图")


@check(
    "W.SITEMAP",
    title="网站地图缺失或不可用",
    family="identity",
    indicator="国办秘函〔2019〕19号 扣分指标·功能设计：网站地图（待核实）",
)
@needs_home("网站地图")
def sitemap_present(ctx: CheckContext) -> Iterator[Finding]:
    """W.SITEMAP — 网站地图缺失或无法访问（扣分，分值待核实）.

    What: the home page should link a 网站地图 page (footer/header link or extracted sitemap URL)
    and that page must load. A sitemap page refused by a WAF/403 is inconclusive.
    Why: 国办秘函〔2019〕19号 功能设计 item on site navigation and the 网站地图 footer link of
    国办发〔2017〕47号 (indicators.md §2.2, §4.2 item 7).
    Example: no "网站地图" link anywhere on the home page ⇒ deduct "首页未提供网站地图".
    """
    code = "W.SITEMAP"
    site = ctx.site
    home = home_urls(ctx)
    sitemap = site.sitemap_url or site.footer.sitemap_url
    if not sitemap:
        for link in site.links:
            if link.source_url in home and any(w in link.text for w in SITEMAP_WORDS):
                sitemap = link.url
                break
    url = ctx.snapshot.home_url
    if not sitemap:
        yield ctx.finding(code, "deduct", url, "首页未提供网站地图", reason="missing")
        return
    st = target_state(ctx.snapshot, sitemap)
    if st.state == "broken":
        yield ctx.finding(
            code,
            "deduct",
            sitemap,
            f"网站地图页面（{sitemap}）无法访问：{st.reason}",
            reason="broken",
            status=st.status,
            error=st.error,
        )
    elif st.state == "inconclusive":
        yield ctx.finding(
            code,
            "inconclusive",
            sitemap,
            f"网站地图页面（{sitemap}）无法判断是否可用：{st.reason}",
            reason="blocked",
        )
