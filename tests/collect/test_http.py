"""Fetcher: decoding, redirects, caps, refusals, robots, retries, link checks, the loopback guard."""

from __future__ import annotations

import asyncio
import time
import tracemalloc

from aiohttp import web

from xuncha.collect.http import Fetcher, canonical_url, decode_body, normalize_charset

from ._servers import fast_settings, free_port, raw_server

CN = "中华人民共和国政府网站巡查"


# --------------------------------------------------------------------------- pure helpers
def test_canonical_url() -> None:
    assert canonical_url("HTTP://WWW.Test.GOV.CN:80/a/B.html?x=1#frag") == "http://www.test.gov.cn/a/B.html?x=1"
    assert canonical_url("https://h:443") == "https://h/"
    assert canonical_url("https://h:8443/") == "https://h:8443/"
    assert canonical_url("http://[::1]:80/x") == "http://[::1]/x"
    assert canonical_url("javascript:void(0)") is None
    assert canonical_url("http://h:99999/") is None


def test_charset_names() -> None:
    for name in ("GBK", "gb2312", "GB_2312-80", "x-gbk", "cp936", "'gbk'"):
        assert normalize_charset(name) == "gb18030"
    assert normalize_charset("UTF8") == "utf-8"
    assert normalize_charset("no-such-charset") is None


def test_decode_body_variants() -> None:
    gbk = f"<html><head><title>{CN}</title></head><body>{CN * 20}</body></html>".encode("gbk")
    assert decode_body(gbk, "text/html; charset=GBK") == (gbk.decode("gbk"), "gb18030")
    meta = b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">' + gbk
    text, enc = decode_body(meta, "text/html")
    assert enc == "gb18030" and CN in text
    text, enc = decode_body(gbk, "")  # nothing declared: detected
    assert CN in text and enc == "gb18030"
    # a declared UTF-8 that is really GBK (CMS mistake) is not shown as mojibake
    text, enc = decode_body(gbk, "text/html; charset=utf-8")
    assert CN in text
    # a truncated UTF-8 body cut inside a character is not "undecodable"
    cut = CN.encode("utf-8")[:-1]
    text, enc = decode_body(cut, "text/html; charset=utf-8", final=False)
    assert enc == "utf-8" and text == CN[:-1]


# --------------------------------------------------------------------------- fetch basics
async def test_fetch_page_headers_hash_and_ua(serve) -> None:
    async def home(request: web.Request) -> web.Response:
        return web.Response(
            text=f"<html><title>{CN}</title></html>",
            content_type="text/html",
            headers={"Server": "nginx", "X-Other": "dropped", "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"},
        )

    srv = await serve({"/": home})
    settings = fast_settings()
    async with Fetcher(settings) as f:
        p = await f.fetch(srv.url + "/")
    assert p.ok and p.status == 200 and p.content_type == "text/html"
    assert CN in p.html and p.encoding == "utf-8"
    assert len(p.body_hash) == 40 and p.size == len(p.html.encode())
    assert p.headers["server"] == "nginx" and "x-other" not in p.headers
    assert "last-modified" in p.headers
    assert srv.log[-1][2]["User-Agent"] == settings.user_agent


async def test_gbk_site_header_meta_and_undeclared(serve) -> None:
    body = f"<html><head><title>{CN}</title></head><body><p>{CN * 30}</p></body></html>"
    gbk = body.encode("gbk")
    meta = body.replace("<head>", '<head><meta charset="gbk">').encode("gbk")

    async def header(request: web.Request) -> web.Response:
        return web.Response(body=gbk, headers={"Content-Type": "text/html; charset=GB2312"})

    async def meta_only(request: web.Request) -> web.Response:
        return web.Response(body=meta, headers={"Content-Type": "text/html"})

    async def undeclared(request: web.Request) -> web.Response:
        return web.Response(body=gbk, headers={"Content-Type": "text/html"})

    srv = await serve({"/h": header, "/m": meta_only, "/u": undeclared})
    async with Fetcher(fast_settings()) as f:
        for path in ("/h", "/m", "/u"):
            p = await f.fetch(srv.url + path)
            assert p.encoding == "gb18030", path
            assert CN in p.html and "\ufffd" not in p.html, path


async def test_compressed_bodies(serve) -> None:
    text = f"<html><title>{CN}</title>{'x' * 5000}</html>"
    seen: list[str] = []

    async def packed(request: web.Request) -> web.Response:
        r = web.Response(text=text, content_type="text/html")
        r.enable_compression()
        seen.append(request.headers.get("Accept-Encoding", ""))
        return r

    srv = await serve({"/": packed})
    async with Fetcher(fast_settings()) as f:
        for enc in ("gzip", "deflate", "br"):
            p = await f.fetch(srv.url + "/", headers={"Accept-Encoding": enc})
            assert p.html == text and not p.truncated, enc
    assert seen == ["gzip", "deflate", "br"]


async def test_js_text_kept_when_wanted(serve) -> None:
    async def js(request: web.Request) -> web.Response:
        return web.Response(text="var zc='找错';", content_type="application/javascript")

    srv = await serve({"/a.js": js})
    async with Fetcher(fast_settings()) as f:
        assert "找错" in (await f.fetch(srv.url + "/a.js")).html
        assert (await f.fetch(srv.url + "/a.js", want_text=False)).html == ""


# --------------------------------------------------------------------------- redirects
async def test_redirect_chain_loop_and_too_many(serve) -> None:
    async def a(request: web.Request) -> web.Response:
        raise web.HTTPFound("/b")

    async def b(request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently("/final")

    async def loop1(request: web.Request) -> web.Response:
        raise web.HTTPFound("/loop2")

    async def loop2(request: web.Request) -> web.Response:
        raise web.HTTPFound("/loop1")

    async def chain(request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        raise web.HTTPFound(f"/chain/{n + 1}")

    async def cookie_gate(request: web.Request) -> web.Response:
        if request.cookies.get("waf") != "ok":
            r = web.HTTPFound("/gate")
            r.set_cookie("waf", "ok")
            raise r
        return web.Response(text="<html>passed</html>", content_type="text/html")

    srv = await serve({"/a": a, "/b": b, "/final": "<html>done</html>", "/loop1": loop1,
                       "/loop2": loop2, "/chain/{n}": chain, "/gate": cookie_gate})
    async with Fetcher(fast_settings(max_redirects=5)) as f:
        p = await f.fetch(srv.url + "/a")
        assert p.ok and "done" in p.html
        assert p.redirects == [srv.url + "/a", srv.url + "/b"]
        assert p.final_url == srv.url + "/final"
        loop = await f.fetch(srv.url + "/loop1")
        assert loop.error == "redirect_loop" and not loop.ok
        many = await f.fetch(srv.url + "/chain/0")
        assert many.error == "too_many_redirects" and len(many.redirects) == 6
        gate = await f.fetch(srv.url + "/gate")  # cookie-setting self redirect is not a loop
        assert gate.ok and "passed" in gate.html
        lc = await f.check_link(srv.url + "/loop1")
        assert lc.broken and lc.error == "redirect_loop"


# --------------------------------------------------------------------------- size cap
async def test_huge_page_is_streamed_and_cut(serve) -> None:
    sent = {"bytes": 0}

    async def huge(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/html; charset=utf-8"})
        resp.content_length = 50 * 1024 * 1024
        await resp.prepare(request)
        chunk = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
        try:
            for _ in range(50 * 16):
                await resp.write(chunk)
                sent["bytes"] += len(chunk)
        except (ConnectionError, asyncio.CancelledError):
            pass
        return resp

    srv = await serve({"/huge": huge})
    cap = 1024 * 1024
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        async with Fetcher(fast_settings(max_page_bytes=cap)) as f:
            p = await f.fetch(srv.url + "/huge")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - t0 < 5
    assert p.truncated and p.size == cap and p.error is None and p.status == 200
    assert peak < 20 * 1024 * 1024  # never the whole 50 MB
    assert sent["bytes"] < 40 * 1024 * 1024  # we hung up long before the end


# --------------------------------------------------------------------------- failures
async def test_refused_port_is_connect_error_and_broken() -> None:
    port = free_port()
    async with Fetcher(fast_settings(retries=2)) as f:
        p = await f.fetch(f"http://127.0.0.1:{port}/")
        assert p.error == "connect" and p.status is None and not p.ok
        assert f.stats.retries == 2
        lc = await f.check_link(f"http://127.0.0.1:{port}/x.pdf")
    assert lc.broken and lc.error == "connect" and lc.inconclusive is None


async def test_forbidden_everywhere_is_inconclusive(serve) -> None:
    async def deny(request: web.Request) -> web.Response:
        return web.Response(status=403, text="Forbidden")

    srv = await serve({"/{tail:.*}": deny})
    async with Fetcher(fast_settings()) as f:
        p = await f.fetch(srv.url + "/")
        lc = await f.check_link(srv.url + "/doc.pdf")
    assert p.status == 403 and p.blocked == "forbidden" and not p.ok
    assert lc.inconclusive == "forbidden" and not lc.broken


async def test_rate_limited_429_pauses_the_host(serve) -> None:
    count = {"n": 0}

    async def limited(request: web.Request) -> web.Response:
        count["n"] += 1
        if count["n"] == 1:
            return web.Response(status=429, headers={"Retry-After": "1"}, text="slow down")
        return web.Response(text="<html>ok</html>", content_type="text/html")

    async def unavailable(request: web.Request) -> web.Response:
        return web.Response(status=503, headers={"Retry-After": "0"}, text="busy")

    async def broken(request: web.Request) -> web.Response:
        return web.Response(status=503, text="down")

    srv = await serve({"/": limited, "/busy": unavailable, "/down": broken})
    async with Fetcher(fast_settings()) as f:
        first = await f.fetch(srv.url + "/")
        t0 = time.perf_counter()
        second = await f.fetch(srv.url + "/")
        waited = time.perf_counter() - t0
        lc = await f.check_link(srv.url + "/")
        busy = await f.fetch(srv.url + "/busy")
        down = await f.check_link(srv.url + "/down")
    assert first.blocked == "rate_limited" and first.status == 429  # not retried on a status
    assert second.ok and waited >= 0.9  # Retry-After honoured for the host
    assert not lc.broken
    assert busy.blocked == "rate_limited"
    assert down.broken and down.status == 503  # 503 without Retry-After is a real failure


async def test_waf_challenge_page(serve) -> None:
    challenge = "<html><head><title>安全验证</title></head><body>请开启JavaScript并刷新该页</body></html>"
    real = "<html><body>" + "".join(f'<a href="/n{i}.html">新闻{i}</a>' for i in range(40)) + \
        "<p>关于开展网络安全验证工作的通知</p></body></html>"

    srv = await serve({"/": challenge, "/real": real})
    async with Fetcher(fast_settings()) as f:
        p = await f.fetch(srv.url + "/")
        ok = await f.fetch(srv.url + "/real")
        lc = await f.check_link(srv.url + "/")
    assert p.status == 200 and p.blocked == "waf" and not p.ok
    assert ok.blocked is None and ok.ok
    assert not lc.broken  # HEAD says 200: alive as far as a link check can tell


async def test_retries_on_flaky_endpoint() -> None:
    attempts = {"n": 0, "drop": 3}

    async def flaky(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        attempts["n"] += 1
        if attempts["n"] <= attempts["drop"]:
            writer.close()  # drop the connection without an answer
            return
        body = b"<html>finally</html>"
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                     + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
        await writer.drain()
        writer.close()

    srv, port = await raw_server(flaky)
    try:
        # (aiohttp itself re-sends an idempotent request once on a dropped connection)
        async with Fetcher(fast_settings(retries=3, respect_robots=False)) as f:
            p = await f.fetch(f"http://127.0.0.1:{port}/")
            assert p.ok and "finally" in p.html and f.stats.retries >= 1
        attempts.update(n=0, drop=10**6)
        async with Fetcher(fast_settings(retries=1, respect_robots=False)) as f:
            p = await f.fetch(f"http://127.0.0.1:{port}/")
            assert p.error == "connect" and f.stats.retries == 1  # then given up
    finally:
        srv.close()


async def test_timeout_token(serve) -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.Response(text="late")

    srv = await serve({"/slow": slow})
    async with Fetcher(fast_settings(timeout_s=0.3, retries=1)) as f:
        t0 = time.perf_counter()
        p = await f.fetch(srv.url + "/slow")
    assert p.error == "timeout" and time.perf_counter() - t0 < 1.5
    assert srv.hits("/slow") == 2  # retried once


# --------------------------------------------------------------------------- robots
async def test_robots_honoured_and_ignored(serve) -> None:
    robots = "User-agent: *\nDisallow: /private/\n"
    srv = await serve({"/robots.txt": _text(robots), "/private/a.html": "<html>secret</html>",
                       "/open.html": "<html>open</html>"})
    async with Fetcher(fast_settings()) as f:
        p = await f.fetch(srv.url + "/private/a.html")
        lc = await f.check_link(srv.url + "/private/b.pdf")
        assert (await f.fetch(srv.url + "/open.html")).ok
        info = await f.robots_for(srv.url + "/")
    assert p.error == "robots" and p.status is None and not p.ok
    assert lc.inconclusive == "robots" and not lc.broken
    assert info.text == robots
    assert srv.hits("/robots.txt") == 1  # fetched once per host
    assert srv.hits("/private/a.html") == 0
    async with Fetcher(fast_settings(respect_robots=False)) as f:
        assert (await f.fetch(srv.url + "/private/a.html")).ok


async def test_robots_4xx_and_5xx_allow(serve) -> None:
    async def err(request: web.Request) -> web.Response:
        return web.Response(status=500)

    s404 = await serve({"/x.html": "<html>x</html>"})
    s500 = await serve({"/robots.txt": err, "/x.html": "<html>x</html>"})
    async with Fetcher(fast_settings()) as f:
        assert (await f.fetch(s404.url + "/x.html")).ok
        assert (await f.fetch(s500.url + "/x.html")).ok
        info = await f.robots_for(s500.url + "/")
    assert info.note and "500" in info.note


# --------------------------------------------------------------------------- link checks
async def test_link_check_head_then_get(serve) -> None:
    async def no_head(request: web.Request) -> web.Response:
        if request.method == "HEAD":
            return web.Response(status=405)
        return web.Response(body=b"%PDF-1.4 data", content_type="application/pdf")

    async def chunked(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "application/msword"})
        await resp.prepare(request)
        if request.method != "HEAD":
            await resp.write(b"")
        return resp

    async def gone(request: web.Request) -> web.Response:
        return web.Response(status=404, text="not found")

    srv = await serve({"/a.pdf": no_head, "/empty.doc": chunked, "/gone.html": gone})
    async with Fetcher(fast_settings()) as f:
        a = await f.check_link(srv.url + "/a.pdf")
        e = await f.check_link(srv.url + "/empty.doc", body=True)
        g = await f.check_link(srv.url + "/gone.html")
    assert a.method == "GET" and a.status == 200 and not a.broken and a.size == 13
    assert e.method == "GET" and e.size == 0 and not e.broken
    assert g.broken and g.status == 404 and g.method == "GET"  # confirmed with GET


async def test_link_cache_shares_in_flight_requests(serve) -> None:
    async def slowish(request: web.Request) -> web.Response:
        await asyncio.sleep(0.1)
        return web.Response(text="ok")

    srv = await serve({"/ext": slowish})
    async with Fetcher(fast_settings()) as f:
        results = await asyncio.gather(*(f.check_link(srv.url + "/ext") for _ in range(10)))
        again = await f.check_link(srv.url + "/ext")
    assert all(r is results[0] for r in results) and again is results[0]
    assert srv.hits("/ext", "HEAD") == 1


# --------------------------------------------------------------------------- resolve / loopback
async def test_resolve_map_serves_fake_hostnames(serve) -> None:
    srv = await serve({"/": "<html><title>测试</title></html>"})
    settings = fast_settings(resolve=(("www.test.gov.cn", ("127.0.0.1",)),))
    async with Fetcher(settings) as f:
        p = await f.fetch(f"http://www.test.gov.cn:{srv.port}/")
        unmapped = await f.fetch(f"http://www.other.gov.cn:{srv.port}/")
    assert p.ok and "测试" in p.html
    assert srv.log[-1][2]["Host"] == f"www.test.gov.cn:{srv.port}"
    assert unmapped.error == "offline"  # not mapped: no DNS query, no connection


async def test_loopback_only_refuses_before_connecting() -> None:
    loop = asyncio.get_running_loop()
    connects: list[object] = []
    original = loop.sock_connect

    async def spy(sock, address):  # type: ignore[no-untyped-def]
        connects.append(address)
        return await original(sock, address)

    loop.sock_connect = spy  # type: ignore[method-assign]
    settings = fast_settings(
        timeout_s=0.2, connect_timeout_s=0.1,
        resolve=(("evil.test.gov.cn", ("192.0.2.1",)), ("mixed.test.gov.cn", ("192.0.2.7", "::1"))),
    )
    try:
        async with Fetcher(settings) as f:
            t0 = time.perf_counter()
            p1 = await f.fetch("http://192.0.2.1/")
            p2 = await f.fetch("http://evil.test.gov.cn/")
            p3 = await f.fetch("https://[2001:db8::1]/")
            lc = await f.check_link("http://192.0.2.1/x.pdf")
            elapsed = time.perf_counter() - t0
            p4 = await f.fetch(f"http://mixed.test.gov.cn:{free_port()}/")
    finally:
        loop.sock_connect = original  # type: ignore[method-assign]
    assert p1.error == p2.error == p3.error == "offline"
    assert lc.inconclusive == "offline" and not lc.broken
    assert elapsed < 0.5
    assert all(a[0] in ("127.0.0.1", "::1") for a in connects)  # type: ignore[index]
    assert p4.error == "connect"  # only ::1 was tried


def _text(body: str):  # type: ignore[no-untyped-def]
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text=body, content_type="text/plain")

    return handler


# --------------------------------------------------------------------------- politeness
async def test_per_host_and_global_concurrency(serve) -> None:
    state = {"now": 0, "max": 0}

    async def counted(request: web.Request) -> web.Response:
        state["now"] += 1
        state["max"] = max(state["max"], state["now"])
        await asyncio.sleep(0.05)
        state["now"] -= 1
        return web.Response(text="ok")

    a = await serve({"/{n}": counted})
    async with Fetcher(fast_settings(per_host_concurrency=2, respect_robots=False)) as f:
        await asyncio.gather(*(f.fetch(f"{a.url}/{i}") for i in range(10)))
    assert state["max"] == 2
    b = await serve({"/{n}": counted})
    state["max"] = 0
    settings = fast_settings(per_host_concurrency=4, global_concurrency=3, respect_robots=False)
    async with Fetcher(settings) as f:
        await asyncio.gather(*(f.fetch(f"{s.url}/{i}") for i in range(8) for s in (a, b)))
    assert state["max"] == 3


async def test_min_delay_between_requests_to_one_host(serve) -> None:
    srv = await serve({"/{n}": "<html>x</html>"})
    async with Fetcher(fast_settings(min_delay_s=0.1, respect_robots=False)) as f:
        t0 = time.perf_counter()
        await asyncio.gather(*(f.fetch(f"{srv.url}/{i}") for i in range(4)))
    assert time.perf_counter() - t0 >= 0.3


async def test_slow_drip_body_times_out(serve) -> None:
    async def drip(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/html"})
        await resp.prepare(request)
        for _ in range(100):
            await resp.write(b"<p>x</p>")
            await asyncio.sleep(0.05)
        return resp

    srv = await serve({"/drip": drip})
    async with Fetcher(fast_settings(timeout_s=0.4, retries=0)) as f:
        t0 = time.perf_counter()
        p = await f.fetch(srv.url + "/drip")
    assert p.error == "timeout" and time.perf_counter() - t0 < 2


async def test_uncached_link_checks_stay_out_of_the_run_cache(serve) -> None:
    srv = await serve({"/x": "<html>x</html>"})
    async with Fetcher(fast_settings()) as f:
        one = await f.check_link(srv.url + "/x", cache=False)
        two = await f.check_link(srv.url + "/x", cache=False)
        assert f.cached_link(srv.url + "/x") is None
    assert one is not two and srv.hits("/x", "HEAD") == 2 and not one.broken


async def test_bad_urls() -> None:
    async with Fetcher(fast_settings()) as f:
        for url in ("ftp://example/x", "http://", "not a url", "http://h:99999/"):
            assert (await f.fetch(url)).error == "bad_url", url
