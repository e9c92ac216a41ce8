"""Scrapy peer of bench/crawl.py: a minimal link-checking spider, run in its own process.

It fetches every same-host URL it finds (a/area/frame/iframe hrefs, img/script src, style sheet
and icon links: the same kinds of links xuncha and LinkChecker check), keeps its own seen-set so
each URL becomes exactly one Request (``dont_filter=True`` skips Scrapy's duplicate filter, which
would only repeat the work), and records every URL answered with status >= 400 or not answered.

Settings that matter for a fair comparison are set explicitly: equal global and per-domain
concurrency, no AutoThrottle, no delay, no robots.txt, all HTTP statuses passed to the spider.

Prints one JSON line: {"fetched", "html", "broken", "errors", "crawl_s"}.
"""

from __future__ import annotations

import argparse
import json
import time
from urllib.parse import urldefrag, urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.http import HtmlResponse

LINKS_CSS = (
    "a::attr(href), area::attr(href), frame::attr(src), iframe::attr(src), img::attr(src), "
    "script::attr(src), link[rel~=stylesheet]::attr(href), link[rel~=icon]::attr(href)"
)


class BenchSpider(scrapy.Spider):
    name = "bench"

    def __init__(self, start_url: str, **kw: object) -> None:
        super().__init__(**kw)
        self.start_url = start_url
        self.host = urlsplit(start_url).netloc
        self.seen: set[str] = {start_url}
        self.broken: set[str] = set()
        self.errors: dict[str, str] = {}
        self.fetched = 0
        self.html = 0
        self.t0 = 0.0
        self.t1 = 0.0

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):  # type: ignore[no-untyped-def]
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_open, signal=signals.spider_opened)
        crawler.signals.connect(spider.on_close, signal=signals.spider_closed)
        return spider

    def on_open(self, spider: scrapy.Spider) -> None:
        self.t0 = time.perf_counter()

    def on_close(self, spider: scrapy.Spider) -> None:
        self.t1 = time.perf_counter()

    async def start(self):  # type: ignore[no-untyped-def]
        yield scrapy.Request(self.start_url, dont_filter=True, errback=self.failed)

    def parse(self, response):  # type: ignore[no-untyped-def]
        self.fetched += 1
        if response.status >= 400:
            self.broken.add(response.request.url)
            return
        if not isinstance(response, HtmlResponse):
            return
        self.html += 1
        for href in response.css(LINKS_CSS).getall():
            url = urldefrag(response.urljoin(href.strip()))[0]
            if url in self.seen:
                continue
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or parts.netloc != self.host:
                continue
            self.seen.add(url)
            yield scrapy.Request(url, dont_filter=True, errback=self.failed)

    def failed(self, failure):  # type: ignore[no-untyped-def]
        self.fetched += 1
        url = failure.request.url
        self.broken.add(url)
        self.errors[url] = failure.getErrorMessage()[:200]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("start_url")
    ap.add_argument("--concurrency", type=int, default=16)
    args = ap.parse_args()
    process = CrawlerProcess(
        settings={
            "CONCURRENT_REQUESTS": args.concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
            "AUTOTHROTTLE_ENABLED": False,
            "ROBOTSTXT_OBEY": False,
            "DOWNLOAD_DELAY": 0,
            "HTTPERROR_ALLOW_ALL": True,
            "LOG_LEVEL": "WARNING",
            "TELNETCONSOLE_ENABLED": False,
            "DOWNLOAD_TIMEOUT": 15,
        },
    )
    crawler = process.create_crawler(BenchSpider)
    process.crawl(crawler, start_url=args.start_url)
    process.start()
    spider: BenchSpider = crawler.spider  # type: ignore[assignment]
    print(
        json.dumps(
            {
                "fetched": spider.fetched,
                "html": spider.html,
                "broken": sorted(spider.broken),
                "errors": spider.errors,
                "crawl_s": round(spider.t1 - spider.t0, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
