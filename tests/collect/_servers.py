"""Loopback test servers for the collection layer (127.0.0.1 and ::1 only, never the internet)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from xuncha.settings import CollectSettings


def ipv6_available() -> bool:
    try:
        s = socket.create_server(("::1", 0), family=socket.AF_INET6)
    except OSError:
        return False
    s.close()
    return True


needs_ipv6 = pytest.mark.skipif(not ipv6_available(), reason="no IPv6 loopback on this machine")


def fast_settings(**kw: object) -> CollectSettings:
    """Settings for tests: loopback only, short timeouts, quick back-off."""
    base: dict[str, object] = dict(
        loopback_only=True,
        timeout_s=5.0,
        connect_timeout_s=2.0,
        retries=1,
        backoff_s=0.01,
    )
    base.update(kw)
    return CollectSettings(**base)  # type: ignore[arg-type]


@dataclass
class Server:
    """A running aiohttp app plus a log of (method, path_qs, headers) it received."""

    url: str  # http://127.0.0.1:PORT
    port: int
    log: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)

    def hits(self, path: str, method: str | None = None) -> int:
        return sum(1 for m, p, _ in self.log if p == path and (method is None or m == method))


Serve = Callable[..., Awaitable[Server]]


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    """``await serve(app_or_routes, host=..., port=..., ssl_context=...)`` → Server.

    ``routes`` may be a dict path -> handler | str (HTML body, 200, utf-8).
    """
    runners: list[web.AppRunner] = []

    async def _serve(
        app_or_routes: web.Application | dict[str, object],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        ssl_context: object = None,
        sock: socket.socket | None = None,
    ) -> Server:
        server = Server(url="", port=0)

        @web.middleware
        async def logger(request: web.Request, handler):  # type: ignore[no-untyped-def]
            server.log.append((request.method, request.path_qs, dict(request.headers)))
            return await handler(request)

        if isinstance(app_or_routes, web.Application):
            app = app_or_routes
            app.middlewares.append(logger)
        else:
            app = web.Application(middlewares=[logger])
            for path, h in app_or_routes.items():
                if isinstance(h, str):
                    app.router.add_get(path, _static(h))
                else:
                    app.router.add_route("*", path, h)  # type: ignore[arg-type]
        runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
        await runner.setup()
        runners.append(runner)
        if sock is not None:
            site: web.BaseSite = web.SockSite(runner, sock, ssl_context=ssl_context)  # type: ignore[arg-type]
        else:
            site = web.TCPSite(runner, host, port, ssl_context=ssl_context)  # type: ignore[arg-type]
        await site.start()
        sockets = site._server.sockets  # type: ignore[union-attr]
        server.port = sockets[0].getsockname()[1]
        scheme = "https" if ssl_context is not None else "http"
        netloc = f"[{host}]" if ":" in host else host
        server.url = f"{scheme}://{netloc}:{server.port}"
        return server

    yield _serve
    for r in runners:
        await r.cleanup()


def _static(body: str):  # type: ignore[no-untyped-def]
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text=body, content_type="text/html", charset="utf-8")

    return handler


def free_port() -> int:
    """A port nobody listens on (bound, then closed)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


async def raw_server(
    handler: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]],
) -> tuple[asyncio.Server, int]:
    srv = await asyncio.start_server(handler, "127.0.0.1", 0)
    return srv, srv.sockets[0].getsockname()[1]
