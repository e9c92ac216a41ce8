"""Fixtures of the attachment tests: a loopback file server and one extraction worker pool."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from aiohttp import web

from xuncha.extract.attachment_text import ExtractPool


@pytest.fixture(scope="session")
def pool() -> Iterator[ExtractPool]:
    """One worker process for the whole session (spawning one costs ~0.2 s)."""
    p = ExtractPool(1)
    yield p
    p.close()


@pytest.fixture
async def file_server() -> AsyncIterator[object]:
    """``await file_server(app) -> port``: serves an aiohttp app on 127.0.0.1 only."""
    runners: list[web.AppRunner] = []

    async def start(app: web.Application) -> int:
        runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
        await runner.setup()
        runners.append(runner)
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        return site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    yield start
    for r in runners:
        await r.cleanup()
