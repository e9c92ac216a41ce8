"""One shared async HTTP client for a whole run: limits, retries, robots, charsets, refusals.

``Fetcher`` wraps a single aiohttp session (one connection pool, one DNS cache, one cookie jar)
and adds what a polite, truthful inspector needs and aiohttp does not give:

* per-host and global concurrency, optional per-host delay, pauses on ``Retry-After``;
* retries with exponential back-off on connection errors / timeouts only (never on a status);
* redirects followed by hand, so every hop is checked against robots.txt and ``loopback_only``,
  loops are recognised and the chain is recorded;
* bodies read with a byte cap (a 50 MB page is cut, never held whole);
* charsets: header, then ``<meta>``, then detection; GBK/GB2312 are read as GB18030;
* refusals (403, 429, 503 + Retry-After, WAF challenge pages) reported as ``blocked``, which
  the checks treat as *inconclusive*, never as broken;
* ``settings.resolve`` (curl ``--resolve``-style fake DNS) and ``settings.loopback_only`` (a
  safety net: nothing but 127.0.0.0/8 and ::1 is ever connected to — refused before connecting).

Errors never escape ``fetch`` / ``check_link``: they become short tokens (collect.errors).
"""

from __future__ import annotations

import asyncio
import codecs
import functools
import hashlib
import ipaddress
import re
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from time import monotonic, perf_counter
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit, urlunsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from multidict import CIMultiDictProxy
from protego import Protego
from yarl import URL

from xuncha.collect import errors as E
from xuncha.model import LinkCheck, Page
from xuncha.settings import TZ, CollectSettings

__all__ = [
    "Fetcher",
    "FetchStats",
    "GuardedResolver",
    "RobotsInfo",
    "blocked_reason",
    "canonical_url",
    "decode_body",
    "is_loopback_address",
    "normalize_charset",
]

# --------------------------------------------------------------------------- URLs
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str | None:
    """Absolute http(s) URL with lower-case host, no default port, no fragment; else None.

    Nothing else is touched (query order, percent-encoding, trailing slashes): two spellings
    that a server may treat differently stay different.
    """
    url = url.strip()
    hash_at = url.find("#")
    if hash_at != -1:
        url = url[:hash_at]
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        return None
    host = parts.hostname
    if not host:
        return None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def is_loopback_address(addr: str) -> bool:
    """True for 127.0.0.0/8 and ::1 (and IPv4-mapped loopback); False for anything else."""
    try:
        ip = ipaddress.ip_address(addr.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------- charsets
_GB_NAMES = frozenset(
    {"gbk", "gb2312", "gb_2312", "gb-2312", "gb_2312-80", "gb2312-80", "x-gbk", "cp936", "ms936",
     "windows-936", "euc-cn", "euccn", "csgb2312", "chinese", "iso-ir-58", "gb18030", "x-euc-cn",
     "hz-gb-2312"}
)
_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([^\s;\"',]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-:.]+)", re.I)
_DETECT_BYTES = 64 * 1024


def normalize_charset(name: str | None) -> str | None:
    """A Python codec name for a declared charset (GBK family → gb18030), or None if unknown."""
    if not name:
        return None
    n = name.strip().strip("\"'").lower()
    if not n:
        return None
    if n in _GB_NAMES:
        return "gb18030"
    if n in ("utf8", "utf-8", "unicode-1-1-utf-8", "x-unicode20utf8"):
        return "utf-8"
    try:
        found = codecs.lookup(n).name
    except LookupError:
        return None
    return "gb18030" if found in ("gbk", "gb2312") else found


def _strict(body: bytes, enc: str, final: bool) -> str:
    if final:
        return body.decode(enc)
    # A truncated body may end inside a multi-byte character: that is not a decoding error.
    return codecs.getincrementaldecoder(enc)("strict").decode(body, final=False)


def _detect(body: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(body[:_DETECT_BYTES]).best()
    return normalize_charset(best.encoding) if best is not None else None


def decode_body(body: bytes, content_type: str = "", *, final: bool = True) -> tuple[str, str]:
    """Decode a body as a browser would: BOM, header charset, <meta> in the first 4 KB, detection.

    Returns (text, codec used). A declared UTF-8 that is not UTF-8 (a common CMS mistake on GBK
    sites) falls back to detection; anything else undecodable is replaced, never raised.
    """
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", "replace"), "utf-8"
    if body[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return body.decode("utf-16", "replace"), "utf-16"
    enc = None
    if content_type and "charset" in content_type.lower():
        m = _CT_CHARSET.search(content_type)
        enc = normalize_charset(m.group(1)) if m else None
    if enc is None:
        m = _META_CHARSET.search(body[:4096])
        if m:
            enc = normalize_charset(m.group(1).decode("ascii", "replace"))
            if enc is not None and enc.startswith("utf-16"):
                enc = "utf-8"  # HTML spec: a <meta> that says UTF-16 means UTF-8
    if enc is not None:
        try:
            return _strict(body, enc, final), enc
        except UnicodeDecodeError:
            if enc == "utf-8":
                alt = _detect(body)
                if alt and alt != "utf-8":
                    try:
                        return _strict(body, alt, final), alt
                    except UnicodeDecodeError:
                        pass
            return body.decode(enc, "replace"), enc
    try:
        return _strict(body, "utf-8", final), "utf-8"
    except UnicodeDecodeError:
        pass
    enc = _detect(body) or "gb18030"
    return body.decode(enc, "replace"), enc


# --------------------------------------------------------------------------- refusals
WAF_MARKERS: tuple[str, ...] = (
    "安全验证", "访问验证", "请开启JavaScript", "请开启 JavaScript", "请启用JavaScript", "滑动验证",
    "_waf_", "知道创宇云安全", "安全狗", "Please enable JavaScript and cookies", "cf-chl",
    "人机验证", "__jsl_clearance", "yunsuo_session_verify", "wzwschallenge", "wzwstemplate",
)
_CHALLENGE_MAX_BYTES = 20_000  # challenge pages are small; real pages that mention 安全验证 are not
_CHALLENGE_MAX_LINKS = 8


def blocked_reason(
    status: int | None,
    headers: Mapping[str, str],
    text: str = "",
    size: int = 0,
    body: bytes | None = None,
) -> str | None:
    """forbidden | rate_limited | waf when the server refused us, else None.

    A challenge page is small, has almost no links and carries a known marker. ``body`` (the
    raw bytes of ``text``) only makes the link count cheaper.
    """
    if status is None:
        return None
    if (
        text
        and size <= _CHALLENGE_MAX_BYTES
        and (status < 300 or status in (403, 405, 412, 418, 429, 503))
        and _link_count(text, body) < _CHALLENGE_MAX_LINKS
        and any(m in text for m in WAF_MARKERS)
    ):
        return E.BLOCK_WAF
    if status in (401, 403):
        return E.BLOCK_FORBIDDEN
    if status == 429:
        return E.BLOCK_RATE_LIMITED
    if status == 503 and headers.get("Retry-After") is not None:
        return E.BLOCK_RATE_LIMITED
    return None


def _link_count(text: str, body: bytes | None) -> int:
    if body is not None and body[:1] not in (b"\xff", b"\xfe"):  # ASCII-compatible encodings
        return body.count(b"<a ") + body.count(b"<A ")
    return text.count("<a ") + text.count("<A ")


def _retry_after_s(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - datetime.now(when.tzinfo)).total_seconds())


# --------------------------------------------------------------------------- DNS
_NUMERIC_FLAGS = socket.AI_NUMERICHOST | socket.AI_NUMERICSERV


class GuardedResolver(AbstractResolver):
    """aiohttp resolver: the ``resolve`` map first, the system resolver else; loopback guard.

    Under ``loopback_only`` a host that is not mapped (and is not ``localhost``) is refused
    without any DNS query, and non-loopback addresses are dropped; nothing left ⇒ OfflineError.
    ``family`` (AF_INET / AF_INET6) restricts the answer, which is how net.py fetches over IPv6.
    """

    def __init__(
        self, mapping: Iterable[tuple[str, Sequence[str]]] = (), *, loopback_only: bool = False
    ) -> None:
        self.mapping: dict[str, tuple[str, ...]] = {
            h.lower().rstrip("."): tuple(a.strip("[]") for a in addrs) for h, addrs in mapping
        }
        self.loopback_only = loopback_only

    async def addresses(self, host: str, port: int = 0, family: int = 0) -> list[str]:
        key = host.lower().rstrip(".")
        addrs: Sequence[str] | None = self.mapping.get(key)
        if addrs is None and _is_ip_literal(key):
            addrs = (key.strip("[]"),)
        if addrs is None:
            if self.loopback_only:
                if key == "localhost" or key.endswith(".localhost"):
                    addrs = ("127.0.0.1", "::1")
                else:
                    raise E.OfflineError(host)
            else:
                loop = asyncio.get_running_loop()
                infos = await loop.getaddrinfo(
                    host, port, type=socket.SOCK_STREAM, family=family or socket.AF_UNSPEC
                )
                addrs = [str(info[4][0]) for info in infos]
        out: list[str] = []
        for a in addrs:
            fam = socket.AF_INET6 if ":" in a else socket.AF_INET
            if family and fam != family:
                continue
            if self.loopback_only and not is_loopback_address(a):
                continue
            if a not in out:
                out.append(a)
        if not out:
            if self.loopback_only and any(not is_loopback_address(a) for a in addrs):
                raise E.OfflineError(host)
            raise OSError(socket.EAI_NONAME, f"no address for {host}")
        return out

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            ResolveResult(
                hostname=host,
                host=a,
                port=port,
                family=socket.AF_INET6 if ":" in a else socket.AF_INET,
                proto=0,
                flags=_NUMERIC_FLAGS,
            )
            for a in await self.addresses(host, port, int(family))
        ]

    async def close(self) -> None:
        return None


def _loopback_socket(addr_info: Any) -> socket.socket:
    """socket_factory for aiohttp under loopback_only: the last line of defence, before connect."""
    family, type_, proto, _, sockaddr = addr_info
    if not is_loopback_address(str(sockaddr[0])):
        raise E.OfflineError(str(sockaddr[0]))
    return socket.socket(family=family, type=type_, proto=proto)


@functools.lru_cache(maxsize=8)
def _client_ssl_context(extra_ca_file: str | None) -> ssl.SSLContext:
    """System trust store (+ the demo/test CA): built once per process, shared by sessions."""
    ctx = ssl.create_default_context()
    if extra_ca_file:
        ctx.load_verify_locations(cafile=extra_ca_file)
    return ctx


# --------------------------------------------------------------------------- robots
@dataclass
class RobotsInfo:
    """robots.txt of one origin, fetched once per run."""

    origin: str
    status: int | None = None
    text: str | None = None  # None when there is no usable robots.txt
    parser: Protego | None = None  # None = allow everything
    note: str | None = None  # Chinese, when robots.txt could not be read (5xx / unreachable)


# --------------------------------------------------------------------------- fetcher
KEEP_HEADERS: tuple[str, ...] = (
    "content-type", "content-length", "last-modified", "server", "location", "retry-after",
    "strict-transport-security",
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset(
    {"application/javascript", "application/x-javascript", "application/ecmascript",
     "application/json", "application/xml", "application/rss+xml", "application/atom+xml"}
)
LINK_CHECK_BYTES = 64 * 1024
ROBOTS_BYTES = 512 * 1024


def _text_kind(ctype: str, body: bytes) -> str | None:
    """html | text | None (binary) from the Content-Type, sniffing when it is missing."""
    if ctype in _HTML_TYPES:
        return "html"
    if ctype.startswith("text/") or ctype in _TEXT_TYPES or ctype.endswith(("+xml", "+json")):
        return "text"
    if not ctype or ctype in ("application/octet-stream", "unknown/unknown"):
        head = body[:1024].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html", b"<head", b"<meta", b"<body", b"<!--")):
            return "html"
    return None


@dataclass
class FetchStats:
    """Counters for a run (reports, benchmarks)."""

    requests: int = 0
    retries: int = 0
    bytes: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    link_checks: int = 0
    link_cache_hits: int = 0


class _Host:
    __slots__ = ("sem", "next_at", "pause_until")

    def __init__(self, limit: int) -> None:
        self.sem = asyncio.Semaphore(limit)
        self.next_at = 0.0  # monotonic time of the next allowed request (min delay)
        self.pause_until = 0.0  # Retry-After pause


_Exchange = tuple[int, "CIMultiDictProxy[str]", bytes, bool]


class Fetcher:
    """Shared async client for one run. Use as ``async with Fetcher(settings) as f:``."""

    def __init__(self, settings: CollectSettings | None = None) -> None:
        self.settings = settings or CollectSettings()
        s = self.settings
        self.resolver = GuardedResolver(s.resolve, loopback_only=s.loopback_only)
        self.stats = FetchStats()
        self._session: aiohttp.ClientSession | None = None
        self._family_sessions: dict[int, aiohttp.ClientSession] = {}
        self._ssl: ssl.SSLContext | None = None
        self._global = asyncio.Semaphore(max(1, s.global_concurrency))
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, RobotsInfo | asyncio.Future[RobotsInfo]] = {}
        self._links: dict[str, LinkCheck | asyncio.Future[LinkCheck]] = {}
        self._timeouts: dict[float, aiohttp.ClientTimeout] = {}
        self._ip_verdict: dict[str, bool] = {}  # host -> is a non-loopback IP literal

    # ------------------------------------------------------------------ lifecycle
    async def __aenter__(self) -> Fetcher:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def open(self) -> None:
        if self._session is None:
            self._session = self._make_session(0)

    async def close(self) -> None:
        for sess in [self._session, *self._family_sessions.values()]:
            if sess is not None and not sess.closed:
                await sess.close()
        self._session = None
        self._family_sessions.clear()

    @property
    def ssl_context(self) -> ssl.SSLContext:
        if self._ssl is None:
            self._ssl = _client_ssl_context(self.settings.extra_ca_file)
        return self._ssl

    def _timeout(self, total: float) -> aiohttp.ClientTimeout:
        t = self._timeouts.get(total)
        if t is None:
            t = aiohttp.ClientTimeout(
                total=total, sock_connect=min(self.settings.connect_timeout_s, total)
            )
            self._timeouts[total] = t
        return t

    def _make_session(self, family: int) -> aiohttp.ClientSession:
        s = self.settings
        connector = aiohttp.TCPConnector(
            limit=max(1, s.global_concurrency) * 2,
            limit_per_host=0,  # our own per-host semaphores (keyed by host:port) do this
            ttl_dns_cache=300,
            family=socket.AddressFamily(family),
            resolver=self.resolver,
            ssl=self.ssl_context,
            socket_factory=_loopback_socket if s.loopback_only else None,
        )
        return aiohttp.ClientSession(
            connector=connector,
            headers={
                "User-Agent": s.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
            },
            timeout=self._timeout(s.timeout_s),
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            trust_env=False,
            max_field_size=32768,
            max_line_size=32768,
        )

    def _session_for(self, family: int) -> aiohttp.ClientSession:
        if not family:
            if self._session is None:
                raise RuntimeError("Fetcher used outside 'async with Fetcher(...)'")
            return self._session
        sess = self._family_sessions.get(family)
        if sess is None:
            sess = self._family_sessions[family] = self._make_session(family)
        return sess

    # ------------------------------------------------------------------ hosts
    def _host(self, key: str) -> _Host:
        h = self._hosts.get(key)
        if h is None:
            h = self._hosts[key] = _Host(max(1, self.settings.per_host_concurrency))
        return h

    def _forbidden_ip(self, host: str) -> bool:
        """loopback_only: an IP literal that is not loopback (hostnames go via the resolver)."""
        v = self._ip_verdict.get(host)
        if v is None:
            v = self._ip_verdict[host] = _is_ip_literal(host) and not is_loopback_address(host)
        return v

    # ------------------------------------------------------------------ robots
    async def robots_for(self, url: str) -> RobotsInfo:
        """robots.txt of the URL's origin, fetched once per run (shared by concurrent callers)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        info, _shared = await _single_flight(self._robots, origin, lambda: self._load_robots(origin))
        return info

    async def _load_robots(self, origin: str) -> RobotsInfo:
        info = RobotsInfo(origin=origin)
        p = await self.fetch(
            origin + "/robots.txt", robots=False, max_bytes=ROBOTS_BYTES, want_text=True, retries=0
        )
        info.status = p.status
        if p.error is not None or p.status is None:
            info.note = f"robots.txt 无法获取（{p.error}），按允许采集处理：{origin}"
            return info
        if p.status >= 500:
            info.note = f"robots.txt 返回 HTTP {p.status}，按允许采集处理：{origin}"
            return info
        if p.status >= 400 or p.blocked:
            return info  # 4xx: no robots.txt, everything allowed
        text = p.html
        if not text.strip() or "<html" in text[:2000].lower():
            return info  # an HTML "not found" page served with 200
        info.text = text
        try:
            info.parser = Protego.parse(text)
        except Exception:  # noqa: BLE001 - a broken robots.txt must not stop the run
            info.parser = None
            info.note = f"robots.txt 无法解析，按允许采集处理：{origin}"
        return info

    async def allowed(self, url: str) -> bool:
        """robots.txt verdict for our user agent (always True when respect_robots is off)."""
        if not self.settings.respect_robots:
            return True
        info = await self.robots_for(url)
        if info.parser is None:
            return True
        try:
            return bool(info.parser.can_fetch(url, self.settings.user_agent))
        except Exception:  # noqa: BLE001
            return True

    # ------------------------------------------------------------------ fetch
    async def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        max_bytes: int | None = None,
        headers: Mapping[str, str] | None = None,
        data: Any = None,
        want_text: bool = True,
        retries: int | None = None,
        timeout_s: float | None = None,
        robots: bool = True,
        family: int = 0,
        body_sink: list[bytes] | None = None,
    ) -> Page:
        """Fetch one URL (following redirects by hand) into a ``model.Page``; never raises.

        ``html`` holds decoded text for HTML, and for other text (JS, CSS, JSON...) when
        ``want_text``. ``redirects`` lists every URL that answered with a redirect, in order;
        ``final_url`` is the last URL requested. ``robots=False`` skips robots.txt (probes).
        ``family`` = socket.AF_INET6 / AF_INET restricts the addresses used (net checks).
        ``body_sink``: the final response's raw body (capped) is appended to it (see
        :meth:`fetch_bytes`); pages never keep their bytes.
        """
        s = self.settings
        t0 = perf_counter()
        page = Page(url=url, fetched_at=datetime.now(TZ))
        cap = max_bytes if max_bytes is not None else s.max_page_bytes
        session = self._session_for(family)
        timeout = self._timeout(timeout_s) if timeout_s is not None else None
        m = method.upper()
        cur = url
        visits: dict[str, int] = {url: 1}
        redirects: list[str] = []
        try:
            for hop in range(s.max_redirects + 1):
                try:
                    yurl = URL(cur)
                    host = yurl.host
                    if yurl.scheme not in _DEFAULT_PORTS or not host:
                        raise ValueError(cur)
                    key = f"{host}:{yurl.port}"
                except (ValueError, TypeError, UnicodeError):
                    page.error = E.BAD_URL
                    break
                if s.loopback_only and self._forbidden_ip(host):
                    page.error = E.OFFLINE
                    break
                if robots and s.respect_robots and not await self.allowed(cur):
                    page.error = E.ROBOTS
                    break
                res = await self._exchange(
                    session, m, yurl, key, headers, data, cap, retries, timeout
                )
                if isinstance(res, str):
                    page.error = res
                    break
                status, rh, body, truncated = res
                location = rh.get("Location") if status in _REDIRECTS else None
                if location:
                    page.status = status
                    redirects.append(cur)
                    nxt = canonical_url(urljoin(cur, location.strip()))
                    if nxt is None:
                        page.error = E.BAD_URL
                        break
                    n = visits.get(nxt, 0)
                    if n >= 2:  # once more is allowed: cookie-setting self-redirects
                        page.error = E.REDIRECT_LOOP
                        cur = nxt
                        break
                    if hop >= s.max_redirects:
                        page.error = E.TOO_MANY_REDIRECTS
                        cur = nxt
                        break
                    visits[nxt] = n + 1
                    cur = nxt
                    if (status == 303 and m != "HEAD") or (status in (301, 302) and m == "POST"):
                        m, data = "GET", None
                    continue
                self._fill(page, status, rh, body, truncated, want_text)
                if body_sink is not None:
                    body_sink.append(body)
                break
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - never raise for network/content trouble
            page.error = E.error_token(exc)
        page.final_url = cur
        page.redirects = redirects
        page.elapsed_ms = (perf_counter() - t0) * 1000.0
        if page.error is not None:
            errs = self.stats.errors
            errs[page.error] = errs.get(page.error, 0) + 1
        return page

    async def fetch_bytes(
        self,
        url: str,
        *,
        max_bytes: int | None = None,
        timeout_s: float | None = None,
        retries: int | None = None,
    ) -> tuple[Page, bytes]:
        """GET a file: its ``Page`` (status, headers, size, truncated, errors) and raw bytes.

        The bytes are those of the final response after redirects, cut at ``max_bytes``
        (``page.truncated`` then says so); b"" when no response came back. Text is not decoded.
        """
        sink: list[bytes] = []
        page = await self.fetch(
            url, max_bytes=max_bytes, want_text=False, timeout_s=timeout_s, retries=retries,
            body_sink=sink,
        )
        return page, (sink[-1] if sink else b"")

    def _fill(
        self,
        page: Page,
        status: int,
        rh: CIMultiDictProxy[str],
        body: bytes,
        truncated: bool,
        want_text: bool,
    ) -> None:
        page.status = status
        ct_full = rh.get("Content-Type", "")
        ctype = ct_full.split(";", 1)[0].strip().lower()
        page.content_type = ctype
        page.headers = {k: v for k in KEEP_HEADERS if (v := rh.get(k)) is not None}
        page.size = len(body)
        page.truncated = truncated
        text = ""
        if body:
            page.body_hash = hashlib.sha1(body).hexdigest()
            kind = _text_kind(ctype, body)
            if kind == "html" or (kind == "text" and want_text):
                text, page.encoding = decode_body(body, ct_full, final=not truncated)
                page.html = text
            if kind != "html":
                text = ""
        page.blocked = blocked_reason(status, rh, text, len(body), body)

    async def _exchange(
        self,
        session: aiohttp.ClientSession,
        method: str,
        url: URL,
        key: str,
        headers: Mapping[str, str] | None,
        data: Any,
        cap: int,
        retries: int | None,
        timeout: aiohttp.ClientTimeout | None,
    ) -> _Exchange | str:
        """One request/response with retries on connection errors and timeouts."""
        s = self.settings
        attempts = (s.retries if retries is None else retries) + 1
        for attempt in range(attempts):
            res = await self._once(session, method, url, key, headers, data, cap, timeout)
            if (
                isinstance(res, str)
                and res in E.RETRYABLE_ERRORS
                and attempt + 1 < attempts
                and (method in ("GET", "HEAD") or res == E.CONNECT)
            ):
                self.stats.retries += 1
                await asyncio.sleep(s.backoff_s * (2**attempt))
                continue
            return res
        raise AssertionError("unreachable")

    async def _once(
        self,
        session: aiohttp.ClientSession,
        method: str,
        url: URL,
        key: str,
        headers: Mapping[str, str] | None,
        data: Any,
        cap: int,
        timeout: aiohttp.ClientTimeout | None,
    ) -> _Exchange | str:
        host = self._host(key)
        async with host.sem:
            if host.pause_until or self.settings.min_delay_s:
                await self._wait_turn(host)
            async with self._global:
                self.stats.requests += 1
                try:
                    kw: dict[str, Any] = {"allow_redirects": False}
                    if headers:
                        kw["headers"] = headers
                    if data is not None:
                        kw["data"] = data
                    if timeout is not None:
                        kw["timeout"] = timeout
                    async with session.request(method, url, **kw) as resp:
                        status = resp.status
                        rh = resp.headers
                        if method == "HEAD" or status in (204, 304):
                            body, truncated = b"", False
                        elif status in _REDIRECTS and "Location" in rh:
                            body, truncated = await _read_capped(resp, LINK_CHECK_BYTES)
                        else:
                            body, truncated = await _read_capped(resp, cap)
                        if truncated:
                            resp.close()  # do not drain the rest of a huge body
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # noqa: BLE001
                    return E.error_token(exc)
        self.stats.bytes += len(body)
        if status == 429 or (status == 503 and "Retry-After" in rh):
            wait = _retry_after_s(rh.get("Retry-After"))
            wait = min(self.settings.timeout_s, 5.0 if wait is None else wait)
            host.pause_until = max(host.pause_until, monotonic() + wait)
        return status, rh, body, truncated

    async def _wait_turn(self, host: _Host) -> None:
        now = monotonic()
        start = max(now, host.next_at, host.pause_until)
        host.next_at = start + self.settings.min_delay_s
        if start > now:
            await asyncio.sleep(start - now)

    # ------------------------------------------------------------------ link checks
    async def check_link(self, url: str, *, body: bool = False, cache: bool = True) -> LinkCheck:
        """Is this link target alive? Cached for the whole run (one check per URL).

        HEAD first; GET (reading at most 64 KB) when HEAD is refused or fails in a way GET may
        not (405/501/400, any other error status, a dropped connection), so that "broken" is
        sure. ``body=True`` (attachments): GET as well when HEAD gives no length, to see
        whether the file is empty. ``cache=False`` skips the run-wide cache (the crawler uses
        it for same-site URLs, which it already deduplicates, so that the cache holds only the
        external links that sites share and stays small on a province-wide run).
        """
        if not cache:
            hit = self._links.get(url)
            if isinstance(hit, LinkCheck):
                return hit
            return await self._check_link(url, body)
        result, shared = await _single_flight(self._links, url, lambda: self._check_link(url, body))
        if shared:
            self.stats.link_cache_hits += 1
        return result

    async def _check_link(self, url: str, body: bool) -> LinkCheck:
        self.stats.link_checks += 1
        t0 = perf_counter()
        p = await self.fetch(url, method="HEAD", want_text=False)
        method = "HEAD"
        length = _int(p.headers.get("content-length"))
        if _head_unreliable(p) or (body and p.ok and not length):
            p = await self.fetch(
                url,
                method="GET",
                max_bytes=LINK_CHECK_BYTES,
                want_text=False,
                retries=0 if p.error else None,
            )
            method = "GET"
            length = _int(p.headers.get("content-length"))
            if not p.truncated and p.error is None:
                length = p.size
        inconclusive = p.blocked
        if p.error in E.INCONCLUSIVE_ERRORS:
            inconclusive = p.error
        return LinkCheck(
            url=url,
            final_url=p.final_url,
            status=p.status,
            error=p.error,
            inconclusive=inconclusive,
            content_type=p.content_type,
            size=length,
            method=method,
            checked_at=datetime.now(TZ),
            elapsed_ms=(perf_counter() - t0) * 1000.0,
        )

    def cached_link(self, url: str) -> LinkCheck | None:
        hit = self._links.get(url)
        return hit if isinstance(hit, LinkCheck) else None


def _int(v: str | None) -> int | None:
    if v is None:
        return None
    try:
        return int(v.strip())
    except ValueError:
        return None


def _head_unreliable(p: Page) -> bool:
    """HEAD answers that GET should confirm before we call the link broken."""
    if p.error is not None:
        return p.error in (E.OTHER, E.CONNECT)
    if p.status is None:
        return False
    if p.blocked in (E.BLOCK_RATE_LIMITED,):
        return False
    return p.status >= 400


async def _read_capped(resp: aiohttp.ClientResponse, cap: int) -> tuple[bytes, bool]:
    """Read at most ``cap`` bytes of the (decompressed) body; True when more was left."""
    length = resp.content_length
    if length is not None and length <= cap and "Content-Encoding" not in resp.headers:
        return await resp.read(), False
    buf = bytearray()
    content = resp.content
    while True:
        chunk = await content.readany()
        if not chunk:
            return bytes(buf), False
        buf += chunk
        if len(buf) > cap:
            del buf[cap:]
            return bytes(buf), True


K = TypeVar("K")
V = TypeVar("V")


async def _single_flight(
    cache: dict[K, V | asyncio.Future[V]], key: K, load: Callable[[], Awaitable[V]]
) -> tuple[V, bool]:
    """``load()`` once per key for the whole run: concurrent callers share one in-flight future,
    the result replaces it in ``cache``, a failed or cancelled load is forgotten (the next
    caller tries again). Returns (value, shared) — shared when it was cached or in flight."""
    entry = cache.get(key)
    if entry is not None and not isinstance(entry, asyncio.Future):
        return entry, True
    shared = entry is not None
    if entry is None:
        fut: asyncio.Future[V] = asyncio.ensure_future(load())
        cache[key] = fut

        def _done(f: asyncio.Future[V]) -> None:
            if f.cancelled() or f.exception() is not None:
                cache.pop(key, None)
            else:
                cache[key] = f.result()

        fut.add_done_callback(_done)
        entry = fut
    return await asyncio.shield(entry), shared
