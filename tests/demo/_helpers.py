"""Shared helpers of the demo tests: the as-of date, a map resolver, a client for a DemoServer."""

from __future__ import annotations

import socket
import ssl
from datetime import date
from pathlib import Path

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from xuncha.demo import DemoServer, World

AS_OF = date(2025, 3, 15)


class MapResolver(AbstractResolver):
    """Resolve names from a host -> addresses map (like curl --resolve), nothing else."""

    def __init__(self, mapping: tuple[tuple[str, tuple[str, ...]], ...], only_family: int | None = None) -> None:
        self.mapping = dict(mapping)
        self.only_family = only_family

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        out: list[ResolveResult] = []
        for addr in self.mapping.get(host, ()):
            fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
            if self.only_family is not None and fam != self.only_family:
                continue
            out.append(ResolveResult(hostname=host, host=addr, port=port, family=fam, proto=0, flags=socket.AI_NUMERICHOST))
        if not out:
            raise OSError(f"no address for {host}")
        return out

    async def close(self) -> None:
        return None


def client(srv: DemoServer, only_family: int | None = None) -> aiohttp.ClientSession:
    ctx = ssl.create_default_context(cafile=str(srv.world.ca_pem))
    conn = aiohttp.TCPConnector(resolver=MapResolver(srv.resolve, only_family), ssl=ctx, limit_per_host=8)
    return aiohttp.ClientSession(connector=conn, timeout=aiohttp.ClientTimeout(total=10))


def site_root(world: World, host: str) -> Path:
    return world.root / "sites" / host
