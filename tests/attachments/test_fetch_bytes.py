"""Fetcher.fetch_bytes (the one addition to collect/http.py): raw bytes of files, undecoded."""

from __future__ import annotations

from aiohttp import web

from xuncha.collect.http import Fetcher
from xuncha.settings import CollectSettings

from . import files as F


def _settings() -> CollectSettings:
    return CollectSettings(loopback_only=True, timeout_s=5.0, connect_timeout_s=2.0, retries=0, backoff_s=0.01)


async def test_raw_bytes_of_binary_text_and_redirected_files(file_server) -> None:
    xlsx = F.make_xlsx()
    csv_gbk = F.make_csv_gbk()

    async def xlsx_h(request: web.Request) -> web.Response:
        return web.Response(body=xlsx, content_type="application/vnd.ms-excel")

    async def csv_h(request: web.Request) -> web.Response:
        return web.Response(body=csv_gbk, headers={"Content-Type": "text/csv; charset=gbk"})

    async def moved(request: web.Request) -> web.Response:
        raise web.HTTPFound("/f/a.xlsx")

    app = web.Application()
    app.router.add_get("/f/a.xlsx", xlsx_h)
    app.router.add_get("/f/b.csv", csv_h)
    app.router.add_get("/f/old.xlsx", moved)
    port = await file_server(app)
    base = f"http://127.0.0.1:{port}"
    async with Fetcher(_settings()) as f:
        page, body = await f.fetch_bytes(f"{base}/f/a.xlsx")
        assert body == xlsx and page.status == 200 and page.size == len(xlsx) and not page.truncated
        assert page.html == ""
        page, body = await f.fetch_bytes(f"{base}/f/b.csv")
        assert body == csv_gbk and page.html == ""  # text is not decoded
        page, body = await f.fetch_bytes(f"{base}/f/old.xlsx")
        assert body == xlsx and page.redirects == [f"{base}/f/old.xlsx"]
        page, body = await f.fetch_bytes(f"{base}/f/a.xlsx", max_bytes=1000)
        assert page.truncated and body == xlsx[:1000]
        page, body = await f.fetch_bytes(f"{base}/f/none.pdf")
        assert page.status == 404 and isinstance(body, bytes)
        page, body = await f.fetch_bytes("http://no-such-host.gov.cn/x.pdf")  # refused offline
        assert page.error == "offline" and body == b""
        # plain fetch() is unchanged: a page never keeps its bytes
        page = await f.fetch(f"{base}/f/a.xlsx", want_text=False)
        assert page.size == len(xlsx) and not hasattr(page, "body")
