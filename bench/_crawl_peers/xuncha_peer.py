"""xuncha driver of bench/crawl.py: crawls the bench site in links mode, in its own process.

Runs ``crawl_site(fetcher, target, settings, mode="links")`` inside one ``Fetcher`` with the
benchmark's concurrency, robots off, external links off, a page budget above the site's size and
``loopback_only`` as a safety net. Broken internal links are read back from the snapshot: pages
answered with status >= 400 or not answered at all, and link checks marked broken.

Prints one JSON line: {"fetched", "html", "broken", "errors", "blocked", "notes", "crawl_s", ...}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

from xuncha.collect.crawl import crawl_site
from xuncha.collect.http import Fetcher
from xuncha.model import Target
from xuncha.settings import CollectSettings


async def run(start_url: str, concurrency: int, max_pages: int) -> dict[str, object]:
    settings = CollectSettings(
        max_pages=max_pages,
        max_depth=100,
        per_host_concurrency=concurrency,
        global_concurrency=concurrency,
        respect_robots=False,
        check_external_links=False,
        max_link_checks=100_000,
        loopback_only=True,
    )
    target = Target(id="bench", kind="website", name="基准测试站点", url=start_url)
    async with Fetcher(settings) as fetcher:
        t0 = time.perf_counter()
        snap = await crawl_site(fetcher, target, settings, mode="links")
        crawl_s = time.perf_counter() - t0
    broken: set[str] = set()
    errors: dict[str, str] = {}
    blocked: dict[str, str] = {}
    html = 0
    for p in snap.pages:
        if p.blocked:
            blocked[p.url] = p.blocked
        elif p.error:
            broken.add(p.url)
            errors[p.url] = p.error
        elif p.status is not None and p.status >= 400:
            broken.add(p.url)
        elif "html" in p.content_type:
            html += 1  # links mode keeps no bodies, so is_html cannot tell
    inconclusive: dict[str, str] = {}
    for url, lc in snap.link_checks.items():
        if lc.broken:
            broken.add(url)
            if lc.error:
                errors[url] = lc.error
        elif lc.inconclusive:
            inconclusive[url] = lc.inconclusive
    fetched = {p.url for p in snap.pages} | set(snap.link_checks)
    return {
        "fetched": len(fetched),
        "pages": len(snap.pages),
        "link_checks": len(snap.link_checks),
        "html": html,
        "broken": sorted(broken),
        "errors": dict(list(errors.items())[:20]),
        "n_errors": len(errors),
        "blocked": dict(list(blocked.items())[:20]),
        "n_blocked": len(blocked),
        "inconclusive": dict(list(inconclusive.items())[:20]),
        "n_inconclusive": len(inconclusive),
        "max_depth": max((p.depth for p in snap.pages), default=0),
        "budget_exhausted": snap.budget_exhausted,
        "notes": snap.notes[:20],
        "crawl_s": round(crawl_s, 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("start_url")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--max-pages", type=int, default=25_000)
    ap.add_argument("--profile", default="", help="write a cProfile dump of the crawl here")
    args = ap.parse_args()
    if args.profile:
        import cProfile

        prof = cProfile.Profile()
        result = prof.runcall(asyncio.run, run(args.start_url, args.concurrency, args.max_pages))
        prof.dump_stats(args.profile)
    else:
        result = asyncio.run(run(args.start_url, args.concurrency, args.max_pages))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
