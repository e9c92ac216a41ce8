"""Short machine tokens for "no usable response came back", and the exception → token map.

The tokens are the vocabulary of ``model.Page.error`` / ``model.LinkCheck.error``. Checks decide
from them whether a link is *broken* (we are sure) or *inconclusive* (we cannot tell): see
``INCONCLUSIVE_ERRORS``.
"""

from __future__ import annotations

import asyncio
import ssl

import aiohttp

TIMEOUT = "timeout"
DNS = "dns"
CONNECT = "connect"
TLS = "tls"
REDIRECT_LOOP = "redirect_loop"
TOO_MANY_REDIRECTS = "too_many_redirects"
TOO_LARGE = "too_large"
ROBOTS = "robots"
OFFLINE = "offline"
BAD_URL = "bad_url"
DECODE = "decode"
OTHER = "other"

# Errors that say nothing about the target itself: never counted as broken.
INCONCLUSIVE_ERRORS: frozenset[str] = frozenset({ROBOTS, OFFLINE})
# Errors worth another try (with back-off): the network may do better next time.
RETRYABLE_ERRORS: frozenset[str] = frozenset({TIMEOUT, CONNECT, OTHER})

# Server refusals (model.Page.blocked): the server answered but said nothing about the page.
BLOCK_FORBIDDEN = "forbidden"
BLOCK_RATE_LIMITED = "rate_limited"
BLOCK_WAF = "waf"

_OFFLINE_MARK = "xuncha-offline"


class OfflineError(OSError):
    """Raised (before any packet is sent) when loopback_only forbids an address or host."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{_OFFLINE_MARK}: {what} is not a loopback address")


def _is_offline(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 6:
        if isinstance(exc, OfflineError) or _OFFLINE_MARK in str(exc):
            return True
        exc = getattr(exc, "os_error", None) or exc.__cause__ or exc.__context__
        seen += 1
    return False


def error_token(exc: BaseException) -> str:
    """Map an exception raised while fetching to one short token."""
    if _is_offline(exc):
        return OFFLINE
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError, aiohttp.ServerTimeoutError)):
        return TIMEOUT
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return DNS
    if isinstance(
        exc,
        (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError, ssl.SSLError),
    ):
        return TLS
    if isinstance(exc, (aiohttp.InvalidURL, ValueError, UnicodeError)):
        return BAD_URL
    if isinstance(
        exc,
        (
            aiohttp.ClientConnectorError,
            aiohttp.ServerDisconnectedError,
            aiohttp.ClientOSError,
            ConnectionError,
        ),
    ):
        return CONNECT
    return OTHER
