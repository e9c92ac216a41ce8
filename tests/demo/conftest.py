"""Fixtures for the demo world tests: one built world per session, a server per test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from xuncha.demo import DemoServer, World, build_world, serve_world

from ._helpers import AS_OF


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("world"), AS_OF)


@pytest.fixture
async def server(world: World) -> AsyncIterator[DemoServer]:
    srv = await serve_world(world, write_registry=False)  # the session world keeps its canonical registry
    try:
        yield srv
    finally:
        await srv.close()
