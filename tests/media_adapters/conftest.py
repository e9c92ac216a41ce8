"""Loopback servers and fixture documents of the new-media adapter tests (127.0.0.1 only)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp import web

from xuncha.collect.http import Fetcher
from xuncha.settings import CollectSettings

from .fixtures import HOST

Route = tuple[str, str, int] | str  # (body, content_type, status) or an XML body


@pytest.fixture
async def world() -> AsyncIterator[Callable[[dict[str, Route]], Awaitable[tuple[str, Fetcher]]]]:
    """``await world({path: route})`` → (base URL on a fake host, open Fetcher to it)."""
    runners: list[web.AppRunner] = []
    fetchers: list[Fetcher] = []

    async def _start(routes: dict[str, Route]) -> tuple[str, Fetcher]:
        app = web.Application()
        for path, route in routes.items():
            body, ctype, status = (route, "application/rss+xml", 200) if isinstance(route, str) else route

            async def handler(request: web.Request, body: str = body, ctype: str = ctype,
                              status: int = status) -> web.Response:
                return web.Response(body=body.encode("utf-8"), status=status,
                                    headers={"Content-Type": f"{ctype}; charset=utf-8"})

            app.router.add_get(path, handler)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        runners.append(runner)
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        settings = CollectSettings(loopback_only=True, resolve=((HOST, ("127.0.0.1",)),),
                                   timeout_s=5.0, connect_timeout_s=2.0, retries=0,
                                   respect_robots=False)
        f = Fetcher(settings)
        await f.open()
        fetchers.append(f)
        return f"http://{HOST}:{port}", f

    yield _start
    for f in fetchers:
        await f.close()
    for r in runners:
        await r.cleanup()
