"""collect.cloak: key pages fetched again as Baiduspider from a Baidu result page (loopback only)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import unquote

from aiohttp import web

from xuncha.checks.base import CheckContext
from xuncha.collect.cloak import SPIDER_UA, fetch_cloaked, key_pages, spider_headers
from xuncha.collect.http import Fetcher
from xuncha.model import Page, SiteSnapshot, SiteStructure, Target
from xuncha.settings import TZ, CollectSettings

from ._helpers import run

NORMAL = "<html><head><title>示例市人民政府</title></head><body><a href='/zwgk/'>政务公开</a></body></html>"
SPIDER = (
    "<html><head><title>澳门新葡京_示例市人民政府</title></head><body><a href='/zwgk/'>政务公开</a>"
    "<a href='http://www.xpj-example.com/'>澳门新葡京</a></body></html>"
)


async def _server() -> tuple[web.AppRunner, str, list[dict[str, str]]]:
    seen: list[dict[str, str]] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append({"path": request.path, "ua": request.headers.get("User-Agent", ""),
                     "referer": request.headers.get("Referer", "")})
        if request.path == "/robots.txt":
            return web.Response(status=404)
        spider = "Baiduspider" in request.headers.get("User-Agent", "")
        if request.path == "/":
            body = SPIDER if spider and "baidu.com/s?wd=" in request.headers.get("Referer", "") else NORMAL
        else:
            body = "<html>栏目</html>"
        return web.Response(text=body, content_type="text/html", charset="utf-8")

    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}", seen


def _snapshot(base: str) -> SiteSnapshot:
    target = Target(id="1", kind="website", name="示例市人民政府", url=base + "/")
    pages = [
        Page(url=base + "/", final_url=base + "/", status=200, html=NORMAL, role="home"),
        *[Page(url=f"{base}/c{i}/", final_url=f"{base}/c{i}/", status=200, html="<html>栏目</html>", role="column", depth=1)
          for i in range(7)],
        Page(url=base + "/broken/", status=404, role="column"),
        Page(url=base + "/d.html", status=200, html="<html>文章</html>", role="detail"),
    ]
    return SiteSnapshot(target=target, home_url=base + "/", started_at=datetime.now(TZ), pages=pages)


def test_spider_headers_and_key_pages() -> None:
    h = spider_headers("示例市人民政府")
    assert h["User-Agent"] == SPIDER_UA
    assert unquote(h["Referer"]) == "https://www.baidu.com/s?wd=示例市人民政府"
    snap = _snapshot("http://127.0.0.1:1")
    urls = [p.url for p in key_pages(snap, 3)]
    assert urls == ["http://127.0.0.1:1/", "http://127.0.0.1:1/c0/", "http://127.0.0.1:1/c1/", "http://127.0.0.1:1/c2/"]


async def test_fetch_cloaked_and_the_check_sees_the_difference() -> None:
    runner, base, seen = await _server()
    try:
        snap = _snapshot(base)
        async with Fetcher(CollectSettings(loopback_only=True, timeout_s=5.0, retries=0)) as f:
            cloaked = await fetch_cloaked(f, snap, max_pages=2)
    finally:
        await runner.cleanup()
    assert [p.url for p in cloaked] == [base + "/", base + "/c0/", base + "/c1/"]
    assert all(p.role == "cloak" and p.referrer == p.url and p.ok for p in cloaked)
    spider_hits = [s for s in seen if s["path"] != "/robots.txt"]
    assert spider_hits and all(s["ua"] == SPIDER_UA and s["referer"].startswith("https://www.baidu.com/s?wd=") for s in spider_hits)
    assert "澳门新葡京" in cloaked[0].html
    snap.cloaked = cloaked
    ctx = CheckContext(target=snap.target, snapshot=snap, site=SiteStructure(home_url=snap.home_url), as_of=datetime.now(TZ))
    found = [f for f in run(ctx) if f.detail.get("kind") == "cloaking"]
    assert len(found) == 1 and found[0].url == base + "/"
    assert "标题为「澳门新葡京_示例市人民政府」（正常访问为「示例市人民政府」）" in found[0].evidence


async def test_nothing_to_fetch_without_a_usable_home() -> None:
    snap = SiteSnapshot(
        target=Target(id="1", kind="website", name="x", url="http://127.0.0.1:9/"),
        home_url="http://127.0.0.1:9/", started_at=datetime.now(TZ),
        pages=[Page(url="http://127.0.0.1:9/", error="connect", role="home")],
    )
    async with Fetcher(CollectSettings(loopback_only=True)) as f:
        assert await fetch_cloaked(f, snap) == []
