"""Registry consistency: 备案信息与网站实际情况不一致 (W.REGISTRY.MISMATCH).

The pipeline skips non-running targets, except that it runs this one check on them with a
home-page probe only: the check therefore works on a snapshot holding nothing but the home Page
(and maybe a few probes) and an empty SiteStructure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from xuncha.checks.availability import BLOCK_ERRORS, page_problem, probe_blocked
from xuncha.checks.base import CheckContext, check
from xuncha.checks.identity import final_home_url, name_shown_in, normalize_site_name, same_site_host
from xuncha.extract.html import host_of
from xuncha.model import Finding, SiteStructure

CLOSED_STATUSES: dict[str, str] = {"closed": "已关停", "cancelled": "已注销"}


def _online(ctx: CheckContext) -> bool | None:
    """True when the home page (or any in-run probe) loaded, False when all failed for real,
    None when we were only refused (WAF/403/429) or nothing was tried."""
    home = ctx.snapshot.home
    if home is not None and home.ok:
        return True
    if any(p.ok for p in ctx.snapshot.probes):
        return True
    home_failed = (
        home is not None
        and not home.blocked
        and home.error not in BLOCK_ERRORS
        and (
            home.error is not None
            or (home.status is not None and home.status >= 400 and home.status not in (403, 429))
        )
    )
    probes_failed = bool(ctx.snapshot.probes) and not any(probe_blocked(p) for p in ctx.snapshot.probes)
    if home_failed or (home is None and probes_failed):
        return False
    return None


@check(
    "W.REGISTRY.MISMATCH",
    title="备案信息不一致",
    family="registry",
    indicator="国办发〔2017〕47号 政府网站发展指引：全国政府网站信息报送系统备案信息应与网站一致",
)
def registry_mismatch(ctx: CheckContext) -> Iterator[Finding]:
    """W.REGISTRY.MISMATCH — 报送系统备案信息与网站实际不一致（扣分）.

    What: compares the registry row with what the site shows — name (registry name vs header,
    ``meta SiteName`` and ``<title>``, normalised), domain (registry host vs final host after
    redirects), and status: registered as 运行 but the home page cannot be loaded, or registered
    as 关停/注销 but still serving its own home page (a redirect to another host is a proper
    retirement and not reported).
    Why: 全国政府网站信息报送系统 filings must be kept current; sites offline, moved or renamed
    without filing are judged as found (国办发〔2017〕47号; circulars, indicators.md §7.5).
    Example: registry status 关停, home page answers HTTP 200 on the same host ⇒ deduct
    "报送系统状态为已关停，但网站仍可访问".
    """
    code = "W.REGISTRY.MISMATCH"
    t = ctx.target
    url = ctx.snapshot.home_url or t.url
    online = _online(ctx)
    registry_host = host_of(t.url)
    final_host = host_of(final_home_url(ctx))
    status_label = t.status_raw or t.status
    if t.status in CLOSED_STATUSES:
        if online and (not registry_host or not final_host or same_site_host(registry_host, final_host)):
            yield ctx.finding(
                code,
                "deduct",
                url,
                f"报送系统状态为{CLOSED_STATUSES[t.status]}（{status_label}），但网站仍可访问",
                reason="closed_but_online",
                status=t.status,
            )
        return
    if t.status != "running":
        return
    if online is False:
        problem = page_problem(ctx.snapshot.home) if ctx.snapshot.home is not None else "首页探测全部失败"
        yield ctx.finding(
            code,
            "deduct",
            url,
            f"报送系统状态为运行（{status_label}），但首页无法访问：{problem}",
            reason="running_but_unreachable",
        )
        return
    if online is None:
        return
    if registry_host and final_host and not same_site_host(registry_host, final_host):
        yield ctx.finding(
            code,
            "deduct",
            url,
            f"报送系统登记域名 {registry_host} 与实际访问域名 {final_host}（跳转后）不一致",
            reason="domain",
            registry_host=registry_host,
            final_host=final_host,
        )
    site = ctx.site
    shown = [s for s in (site.header_text, site.meta.get("SiteName", ""), site.title) if s.strip()]
    if normalize_site_name(t.name) and shown and not any(name_shown_in(t.name, s) for s in shown):
        yield ctx.finding(
            code,
            "deduct",
            url,
            f"报送系统登记名称「{t.name}」与网站显示名称「{_display_name(site, shown)[:60]}」不一致",
            reason="name",
            registry_name=t.name,
            shown=shown[0][:200],
        )


def _display_name(site: SiteStructure, shown: list[str]) -> str:
    """The name a person would read as the site's own: SiteName meta, then the <title>'s first
    segment, then the header text."""
    if site.meta.get("SiteName", "").strip():
        return site.meta["SiteName"].strip()
    if site.title.strip():
        return re.split(r"\s*[-_|｜—]+\s*", site.title.strip())[-1] or site.title.strip()
    return shown[0]
