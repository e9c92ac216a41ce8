"""Availability probes of a target's home URL (W.VETO.UNREACHABLE, W.AVAIL.HOME).

A probe succeeds when the home page answers with a status below 400, without error or
refusal, and has fully loaded in *less than* 15 seconds (exactly 15 s fails). Probes do not
consult robots.txt (availability monitoring is not crawling) and do not retry: a failure is
what a visitor would have seen at that moment.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from time import monotonic

from xuncha.collect.http import Fetcher
from xuncha.model import Probe, Target
from xuncha.settings import TZ

__all__ = ["PROBE_LIMIT_S", "probe_home", "probe_ok", "probe_series"]

PROBE_LIMIT_S = 15.0


def probe_ok(
    status: int | None, elapsed_ms: float, error: str | None, limit_s: float = PROBE_LIMIT_S
) -> bool:
    """The availability rule: status < 400, no error, loaded in strictly less than limit_s."""
    return error is None and status is not None and status < 400 and elapsed_ms < limit_s * 1000.0


async def probe_home(
    fetcher: Fetcher, target: Target, url: str | None = None, *, limit_s: float = PROBE_LIMIT_S
) -> Probe:
    """Probe ``url`` (default: the target's URL) once.

    ``error`` is the fetch token (timeout, dns, connect, ...), the refusal (forbidden,
    rate_limited, waf), ``status_NNN`` for an HTTP error, or ``slow`` when the page loaded
    but took ``limit_s`` or more.
    """
    u = url or target.url
    at = datetime.now(TZ)
    page = await fetcher.fetch(u, robots=False, retries=0, timeout_s=limit_s)
    error = page.error or page.blocked
    if error is None and page.status is not None and page.status >= 400:
        error = f"status_{page.status}"
    if error is None and page.elapsed_ms >= limit_s * 1000.0:
        error = "slow"
    return Probe(
        target_id=target.id,
        url=u,
        at=at,
        ok=probe_ok(page.status, page.elapsed_ms, error, limit_s),
        status=page.status,
        elapsed_ms=page.elapsed_ms,
        error=error,
    )


async def probe_series(
    fetcher: Fetcher,
    target: Target,
    n: int,
    interval_s: float,
    *,
    url: str | None = None,
    limit_s: float = PROBE_LIMIT_S,
) -> list[Probe]:
    """``n`` probes whose starts are ``interval_s`` apart (a slow probe does not shift the plan)."""
    out: list[Probe] = []
    t0 = monotonic()
    for i in range(max(0, n)):
        wait = t0 + i * interval_s - monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        out.append(await probe_home(fetcher, target, url, limit_s=limit_s))
    return out
