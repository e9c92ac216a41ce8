"""Links: unusable links on the home page and other pages, and undownloadable attachments.

Every link (``ctx.site.links``; ``source_url`` names the page it sits on) is joined with what we
know of its target: a crawled :class:`~xuncha.model.Page` (by ``url``, ``final_url`` or a redirect
hop) or a :class:`~xuncha.model.LinkCheck`. A target is

* **broken** — an error we are sure of (timeout, DNS, refused, redirect loop …) or HTTP ≥ 400;
* **inconclusive** — refused *us* (403/429/401, WAF, rate limit), robots.txt, offline mode;
* **ok**, or **unknown** when it was never checked (budget) — neither is reported.

Attachments (files, or links named 表格下载/附件/下载 pointing to a file) go to W.ATTACHMENT
instead of W.LINK.*; a target broken on the home page is reported once, under W.LINK.BROKEN_HOME.
``<script>`` and ``<link>`` resources are not links a visitor uses and are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from xuncha.checks.availability import describe_failure, error_zh
from xuncha.checks.base import CheckContext, check
from xuncha.extract.html import HTML_EXTS, url_ext
from xuncha.model import Finding, LinkRef, Page, SiteSnapshot

INCONCLUSIVE_ERRORS = frozenset({"robots", "offline", "forbidden", "waf", "rate_limited", "blocked"})
HARMLESS_ERRORS = frozenset({"too_large", "decode"})  # the target answered; we just did not use the body
INCONCLUSIVE_STATUSES = frozenset({401, 403, 429})
NON_LINK_TAGS = frozenset({"script", "link"})
DOWNLOAD_WORDS = ("表格下载", "附件", "下载", "样表")
MAX_SOURCES = 3  # pages named per broken target


@dataclass(frozen=True)
class TargetState:
    """What we know about one link target."""

    state: str  # ok, broken, inconclusive, unknown
    reason: str = ""  # Chinese: "HTTP 404", "超时未加载完成", "被网站防火墙（WAF）拦截"
    status: int | None = None
    error: str | None = None
    content_type: str = ""
    size: int | None = None
    via: str = ""  # page, link_check


def page_index(snapshot: SiteSnapshot) -> dict[str, Page]:
    """URL → crawled page, by requested URL, final URL and redirect hops (first page wins)."""
    index: dict[str, Page] = {}
    for p in snapshot.pages:
        for u in (p.url, p.final_url, *p.redirects):
            if u:
                index.setdefault(u, p)
    return index


def target_state(snapshot: SiteSnapshot, url: str, index: dict[str, Page] | None = None) -> TargetState:
    """Join a link target with the crawl (preferred) or the link check."""
    pages = index if index is not None else page_index(snapshot)
    p = pages.get(url)
    if p is not None:
        if p.blocked:
            return TargetState("inconclusive", error_zh(p.blocked), p.status, p.blocked, via="page")
        if p.error in INCONCLUSIVE_ERRORS:
            return TargetState("inconclusive", error_zh(p.error), p.status, p.error, via="page")
        if p.error and p.error not in HARMLESS_ERRORS:
            return TargetState(
                "broken",
                describe_failure(p.error, p.status),
                p.status,
                p.error,
                p.content_type,
                p.size,
                "page",
            )
        if p.status in INCONCLUSIVE_STATUSES:
            return TargetState("inconclusive", f"HTTP {p.status}", p.status, None, via="page")
        if p.status is not None and p.status >= 400:
            return TargetState("broken", f"HTTP {p.status}", p.status, None, p.content_type, p.size, "page")
        size = p.size if p.status is not None and 200 <= p.status < 300 else None
        return TargetState("ok", "", p.status, p.error, p.content_type, size, "page")
    lc = snapshot.link_checks.get(url)
    if lc is None:
        return TargetState("unknown")
    if lc.inconclusive:
        return TargetState("inconclusive", error_zh(lc.inconclusive), lc.status, lc.error, via="link_check")
    if lc.error in INCONCLUSIVE_ERRORS:
        return TargetState("inconclusive", error_zh(lc.error), lc.status, lc.error, via="link_check")
    if lc.error is None and lc.status in INCONCLUSIVE_STATUSES:
        return TargetState("inconclusive", f"HTTP {lc.status}", lc.status, None, via="link_check")
    if lc.broken:
        return TargetState(
            "broken",
            describe_failure(lc.error, lc.status),
            lc.status,
            lc.error,
            lc.content_type,
            lc.size,
            "link_check",
        )
    return TargetState("ok", "", lc.status, None, lc.content_type, lc.size, "link_check")


def is_attachment_link(link: LinkRef) -> bool:
    """A file: attachment extension, or a 下载/附件 link to something that is not a web page."""
    if link.is_attachment:
        return True
    return any(w in link.text for w in DOWNLOAD_WORDS) and url_ext(link.url) not in HTML_EXTS


def attachment_problem(st: TargetState) -> str | None:
    """Why an attachment cannot be used (broken, empty, an HTML error page), or None."""
    if st.state == "broken":
        return f"无法下载：{st.reason}"
    if st.state != "ok":
        return None
    if st.size == 0:
        return "文件为空（0字节）"
    if "html" in st.content_type.lower():
        return f"返回的是网页（{st.content_type.split(';')[0].strip()}）而非文件"
    return None


def home_urls(ctx: CheckContext) -> set[str]:
    urls = {ctx.snapshot.home_url, ctx.site.home_url}
    home = ctx.snapshot.home
    if home is not None:
        urls |= {home.url, home.final_url}
    urls.discard("")
    return urls


def _label(link: LinkRef) -> str:
    kind = "图片" if link.tag == "img" else "链接"
    return f"{kind}「{link.text}」" if link.text else kind


def _sources_text(sources: list[str], home: set[str]) -> str:
    names = ["首页" if s in home else s for s in sources[:MAX_SOURCES]]
    more = f" 等 {len(sources)} 个页面" if len(sources) > MAX_SOURCES else ""
    return "、".join(names) + more


def _user_links(ctx: CheckContext) -> list[LinkRef]:
    return [link for link in ctx.site.links if link.tag not in NON_LINK_TAGS]


def _broken_on_home(ctx: CheckContext, index: dict[str, Page]) -> dict[str, tuple[LinkRef, TargetState]]:
    home = home_urls(ctx)
    out: dict[str, tuple[LinkRef, TargetState]] = {}
    for link in _user_links(ctx):
        if link.source_url not in home or link.url in out or is_attachment_link(link):
            continue
        st = target_state(ctx.snapshot, link.url, index)
        if st.state == "broken":
            out[link.url] = (link, st)
    return out


# --------------------------------------------------------------------------- checks
@check(
    "W.LINK.BROKEN_HOME",
    title="首页链接不可用",
    family="links",
    indicator="国办秘函〔2019〕19号 扣分指标·功能设计：首页链接不可用",
)
def broken_home_links(ctx: CheckContext) -> Iterator[Finding]:
    """W.LINK.BROKEN_HOME — 首页链接、图片不可用（扣分）.

    What: one deduction per link or image on the home page whose target is broken (HTTP ≥ 400,
    timeout, DNS/connection error, redirect loop). Targets that refused us (403/429/WAF),
    robots.txt and offline mode are inconclusive (see W.LINK.BROKEN_OTHER); files go to
    W.ATTACHMENT.
    Why: 国办秘函〔2019〕19号 扣分指标·功能设计: 首页上的链接、图片等不可用, counted per link as in
    the 国办发〔2015〕15号 table (indicators.md §2.2).
    Example: home link 「联系我们」 → HTTP 404 ⇒ deduct "首页链接「联系我们」（…/lxwm.html）无法访问：HTTP 404".
    """
    index = page_index(ctx.snapshot)
    for url, (link, st) in _broken_on_home(ctx, index).items():
        yield ctx.finding(
            "W.LINK.BROKEN_HOME",
            "deduct",
            url,
            f"首页{_label(link)}（{url}）无法访问：{st.reason}",
            source_url=link.source_url,
            link_url=url,
            text=link.text,
            tag=link.tag,
            position=link.position,
            status=st.status,
            error=st.error,
        )


@check(
    "W.LINK.BROKEN_OTHER",
    title="其他页面链接不可用",
    family="links",
    indicator="国办秘函〔2019〕19号 扣分指标·功能设计：其他页面链接不可用",
)
def broken_other_links(ctx: CheckContext) -> Iterator[Finding]:
    """W.LINK.BROKEN_OTHER — 其他页面链接不可用（扣分）.

    What: one deduction per broken link target found on pages other than the home page, naming
    up to 3 pages it sits on (a broken footer link repeated on every page is one defect). Targets
    already reported on the home page are not repeated. All link targets we could not judge
    (403/429/WAF, robots.txt, offline) are counted in one inconclusive finding.
    Why: 国办秘函〔2019〕19号 扣分指标·功能设计: 其他页面链接不可用, 0.1 per link in the
    国办发〔2015〕15号 table (indicators.md §2.2).
    Example: /zwgk/a.html and /zwgk/b.html link to /old/x.html → HTTP 404 ⇒ one deduction
    "链接「旧栏目」（…/old/x.html）无法访问：HTTP 404；所在页面：…/zwgk/a.html、…/zwgk/b.html".
    """
    index = page_index(ctx.snapshot)
    home = home_urls(ctx)
    on_home = _broken_on_home(ctx, index)
    broken: dict[str, tuple[LinkRef, TargetState, list[str]]] = {}
    unsure: dict[str, TargetState] = {}
    for link in _user_links(ctx):
        st = target_state(ctx.snapshot, link.url, index)
        if st.state == "inconclusive":
            unsure.setdefault(link.url, st)
            continue
        if st.state != "broken" or link.source_url in home or link.url in on_home or is_attachment_link(link):
            continue
        entry = broken.setdefault(link.url, (link, st, []))
        if link.source_url not in entry[2]:
            entry[2].append(link.source_url)
    for url, (link, st, sources) in broken.items():
        yield ctx.finding(
            "W.LINK.BROKEN_OTHER",
            "deduct",
            url,
            f"{_label(link)}（{url}）无法访问：{st.reason}；所在页面：{_sources_text(sources, home)}",
            link_url=url,
            text=link.text,
            tag=link.tag,
            status=st.status,
            error=st.error,
            sources=sources[:MAX_SOURCES],
            source_count=len(sources),
        )
    if unsure:
        reasons: dict[str, int] = {}
        for st in unsure.values():
            reasons[st.reason] = reasons.get(st.reason, 0) + 1
        summary = "，".join(f"{r} {n} 个" for r, n in sorted(reasons.items(), key=lambda kv: -kv[1]))
        sample = "、".join(list(unsure)[:3])
        yield ctx.finding(
            "W.LINK.BROKEN_OTHER",
            "inconclusive",
            ctx.snapshot.home_url,
            f"{len(unsure)} 个链接目标因网站拦截、robots 限制或离线模式无法判断是否可用（{summary}）；示例：{sample}",
            reason="links_not_judged",
            count=len(unsure),
            reasons=reasons,
            sample=list(unsure)[:10],
        )


@check(
    "W.ATTACHMENT",
    title="附件、表格无法下载",
    family="links",
    indicator="国办秘函〔2019〕19号 扣分指标·办事服务：表格下载不可用",
)
def attachments_unusable(ctx: CheckContext) -> Iterator[Finding]:
    """W.ATTACHMENT — 附件、办事表格无法下载（扣分）.

    What: one deduction per attachment (file extension, or a 表格下载/附件/下载 link to a file)
    that is broken, empty (0 bytes) or served as an HTML page instead of the file, naming up to
    3 pages that link it.
    Why: 国办秘函〔2019〕19号 扣分指标·办事服务: 表格、样表不能下载 (indicators.md §2.2, W.ATTACHMENT).
    Example: 「申请表.doc」 → HTTP 404 ⇒ deduct "附件「申请表.doc」（…/sqb.doc）无法下载：HTTP 404；所在页面：…".
    """
    index = page_index(ctx.snapshot)
    home = home_urls(ctx)
    bad: dict[str, tuple[LinkRef, TargetState, str, list[str]]] = {}
    for link in ctx.site.links:
        if not is_attachment_link(link):
            continue
        if link.url in bad:
            if link.source_url not in bad[link.url][3]:
                bad[link.url][3].append(link.source_url)
            continue
        st = target_state(ctx.snapshot, link.url, index)
        problem = attachment_problem(st)
        if problem:
            bad[link.url] = (link, st, problem, [link.source_url])
    for url, (link, st, problem, sources) in bad.items():
        name = f"「{link.text}」" if link.text else ""
        yield ctx.finding(
            "W.ATTACHMENT",
            "deduct",
            url,
            f"附件{name}（{url}）{problem}；所在页面：{_sources_text(sources, home)}",
            link_url=url,
            text=link.text,
            status=st.status,
            error=st.error,
            content_type=st.content_type,
            size=st.size,
            sources=sources[:MAX_SOURCES],
            source_count=len(sources),
        )
