"""Key pages fetched a second time as a search-engine spider (cloaking, W.VETO.SECURITY).

Hacked sites often show gambling links, another title or a redirect *only* to search engines
(by User-Agent) or only to visitors arriving from a search result page (by Referer), so the
owner browsing the site sees nothing wrong. We fetch the home page and a few key pages (the
navigation columns) again with Baiduspider's User-Agent and a Baidu results page as Referer;
the security check compares them with the normal fetch.

The copies go to ``SiteSnapshot.cloaked`` with role ``"cloak"`` and ``referrer`` set to the URL
of the normal page they mirror. Pages the normal crawl could not use are not fetched again.
A spider copy that fails or is refused (many WAFs verify real Baiduspider by reverse DNS and
block impostors) is kept as it came back: the check ignores unusable copies.
"""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from xuncha.collect.http import Fetcher
from xuncha.model import Page, SiteSnapshot

__all__ = ["SPIDER_UA", "fetch_cloaked", "key_pages", "spider_headers"]

SPIDER_UA = "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"
SEARCH_REFERER = "https://www.baidu.com/s?wd={query}"


def spider_headers(site_name: str) -> dict[str, str]:
    """Request headers of a Baidu spider coming from a Baidu search for the site's name."""
    return {
        "User-Agent": SPIDER_UA,
        "Referer": SEARCH_REFERER.format(query=quote(site_name or "政府网站")),
    }


def key_pages(snapshot: SiteSnapshot, max_pages: int = 5) -> list[Page]:
    """The home page and up to ``max_pages`` navigation columns that the normal crawl read."""
    out: list[Page] = []
    home = snapshot.home
    if home is not None and home.ok and home.html:
        out.append(home)
    seen = {p.url for p in out}
    for p in snapshot.pages:
        if len(out) >= max_pages + 1:
            break
        if p.role == "column" and p.ok and p.html and p.url not in seen:
            seen.add(p.url)
            out.append(p)
    return out


async def fetch_cloaked(fetcher: Fetcher, snapshot: SiteSnapshot, max_pages: int = 5) -> list[Page]:
    """Re-fetch the home page and up to ``max_pages`` key pages as Baiduspider (see module doc)."""
    originals = key_pages(snapshot, max_pages)
    if not originals:
        return []
    headers = spider_headers(snapshot.target.name)

    async def one(orig: Page) -> Page:
        page = await fetcher.fetch(orig.url, headers=headers)
        page.role = "cloak"
        page.referrer = orig.url
        page.depth = orig.depth
        return page

    return list(await asyncio.gather(*(one(p) for p in originals)))
