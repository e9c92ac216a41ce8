"""Everything collected for one website in one run: probes, crawl, network facts, search.

The availability probes run *during* the crawl (spread over it), so a site that dies half-way
through an inspection is seen failing; ``xuncha monitor`` adds the long 7-day probe history.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

from xuncha.collect.attachments import collect_attachments
from xuncha.collect.cloak import fetch_cloaked
from xuncha.collect.crawl import crawl_site
from xuncha.collect.http import Fetcher
from xuncha.collect.net import net_check
from xuncha.collect.probe import probe_series
from xuncha.extract.html import parse
from xuncha.extract.lists import home_items
from xuncha.extract.search import build_search_url, find_search_form, results_contain
from xuncha.model import SearchAttempt, SiteSnapshot, Target
from xuncha.settings import TZ, CollectSettings, Thresholds


async def collect_site(
    fetcher: Fetcher,
    target: Target,
    settings: CollectSettings,
    as_of: datetime,
    *,
    thresholds: Thresholds | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SiteSnapshot:
    probes = asyncio.create_task(
        probe_series(fetcher, target, settings.probes_per_run, settings.probe_interval_s)
    )
    try:
        snap = await crawl_site(fetcher, target, settings, progress=progress)
        home = snap.home
        if home is not None and home.ok:
            snap.net = await net_check(fetcher, home.final_url or home.url)
            snap.search = await search_attempt(fetcher, snap, as_of, thresholds or Thresholds())
            snap.cloaked = await fetch_cloaked(fetcher, snap)
            snap.attachments = await collect_attachments(fetcher, snap)
        snap.probes = await probes
    finally:
        if not probes.done():
            probes.cancel()
    snap.finished_at = datetime.now(TZ)
    return snap


async def probe_only(fetcher: Fetcher, target: Target) -> SiteSnapshot:
    """A closed/cancelled target: fetch the home page once to see whether it is still online."""
    started = datetime.now(TZ)
    page = await fetcher.fetch(target.url)
    page.role = "home"
    snap = SiteSnapshot(target=target, home_url=target.url, started_at=started, pages=[page])
    snap.finished_at = datetime.now(TZ)
    return snap


async def search_attempt(
    fetcher: Fetcher, snap: SiteSnapshot, as_of: datetime, thresholds: Thresholds
) -> SearchAttempt | None:
    """W.SEARCH: search for the exact title of a home-page item at least 2 days old."""
    home = snap.home
    if home is None or not home.html:
        return None
    base = home.final_url or home.url
    tree = parse(home.html)
    form = find_search_form(tree, base)
    if form is None:
        return None
    latest = as_of.astimezone(TZ).date() - timedelta(days=thresholds.search_min_age_days)
    candidates = [
        i for i in home_items(home.html, base, as_of.astimezone(TZ).date())
        if i.date and i.date <= latest and len(i.title) >= 6 and not i.title.endswith(("...", "…"))
    ]
    if not candidates:
        return SearchAttempt(error="no_known_title")
    item = max(candidates, key=lambda i: i.date)  # type: ignore[arg-type, return-value]
    url = build_search_url(form, item.title)
    if form.method.lower() == "post":
        page = await fetcher.fetch(url, method="POST", data={**form.hidden, form.param: item.title})
    else:
        page = await fetcher.fetch(url)
    attempt = SearchAttempt(query=item.title, url=url, status=page.status)
    if page.error or page.blocked:
        attempt.error = page.error or page.blocked
    elif page.status is not None and page.status >= 400:
        attempt.error = f"status_{page.status}"
        attempt.found = False
    else:
        attempt.found = results_contain(page.html, item.title)
    return attempt
