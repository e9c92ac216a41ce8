"""Availability probes: the 15-second rule, refusals, series timing."""

from __future__ import annotations

import asyncio
import time

from aiohttp import web

from xuncha.collect.http import Fetcher
from xuncha.collect.probe import PROBE_LIMIT_S, probe_home, probe_ok, probe_series
from xuncha.model import Target

from ._servers import fast_settings, free_port


def _t(url: str) -> Target:
    return Target(id="T9", kind="website", name="某县人民政府", url=url)


def test_probe_rule_boundaries() -> None:
    assert PROBE_LIMIT_S == 15.0
    assert probe_ok(200, 14_999.9, None)
    assert not probe_ok(200, 15_000.0, None)  # exactly 15 s fails
    assert not probe_ok(404, 10.0, None)
    assert probe_ok(302, 10.0, None)
    assert not probe_ok(200, 10.0, "forbidden")
    assert not probe_ok(None, 10.0, None)


async def test_probe_ok_slow_and_refused(serve) -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(0.5)
        return web.Response(text="<html>slow</html>", content_type="text/html")

    async def deny(request: web.Request) -> web.Response:
        return web.Response(status=403)

    async def gone(request: web.Request) -> web.Response:
        return web.Response(status=500)

    srv = await serve({"/": "<html>ok</html>", "/slow": slow, "/deny": deny, "/gone": gone})
    async with Fetcher(fast_settings()) as f:
        ok = await probe_home(f, _t(srv.url + "/"))
        late = await probe_home(f, _t(srv.url + "/slow"), limit_s=0.2)
        in_time = await probe_home(f, _t(srv.url + "/"), srv.url + "/slow", limit_s=2.0)
        deny = await probe_home(f, _t(srv.url + "/deny"))
        err = await probe_home(f, _t(srv.url + "/gone"))
        down = await probe_home(f, _t(f"http://127.0.0.1:{free_port()}/"))
    assert ok.ok and ok.status == 200 and ok.target_id == "T9" and ok.error is None
    assert not late.ok and late.error == "timeout" and late.elapsed_ms < 1000
    assert in_time.ok and in_time.url == srv.url + "/slow" and in_time.elapsed_ms >= 500
    assert not deny.ok and deny.error == "forbidden" and deny.status == 403
    assert not err.ok and err.error == "status_500"
    assert not down.ok and down.error == "connect"
    assert srv.hits("/robots.txt") == 0  # probes are not crawling


async def test_probe_series_spreads_probes(serve) -> None:
    srv = await serve({"/": "<html>ok</html>"})
    async with Fetcher(fast_settings()) as f:
        t0 = time.perf_counter()
        probes = await probe_series(f, _t(srv.url + "/"), 3, 0.2)
        took = time.perf_counter() - t0
    assert len(probes) == 3 and all(p.ok for p in probes)
    assert 0.4 <= took < 2.0
    gaps = [(b.at - a.at).total_seconds() for a, b in zip(probes, probes[1:], strict=False)]
    assert all(g >= 0.15 for g in gaps)
