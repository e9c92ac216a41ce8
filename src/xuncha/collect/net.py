"""Network-level facts of a website: IPv6 reachability (W.TECH.IPV6) and HTTPS (W.TECH.HTTPS).

IPv6: the AAAA answer (``settings.resolve`` first, then the system resolver), then the home page
fetched over IPv6 only and its <title> compared with the IPv4 one (a site "supports IPv6" only
if the IPv6 visitor gets the same site). HTTPS: whether the home page loads over https (an http
URL is tried at https://host/), whether http redirects to https, and the certificate expiry.
Under ``loopback_only`` nothing but loopback is ever resolved or connected to.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from datetime import datetime
from urllib.parse import urlsplit

from xuncha.collect import errors as E
from xuncha.collect.http import Fetcher, canonical_url
from xuncha.extract.html import parse, title_of
from xuncha.model import NetCheck, Page
from xuncha.settings import TZ

__all__ = ["net_check", "aaaa_lookup", "peer_certificate"]

_NO_AAAA_ERRNOS = {
    getattr(socket, name)
    for name in ("EAI_NONAME", "EAI_NODATA", "EAI_ADDRFAMILY")
    if hasattr(socket, name)
}


def _http_error(p: Page) -> str | None:
    if p.error or p.blocked:
        return p.error or p.blocked
    if p.status is not None and p.status >= 400:
        return f"status_{p.status}"
    return None


def _title(p: Page) -> str | None:
    if p.error or p.status is None or p.status >= 400 or not p.html:
        return None
    return title_of(parse(p.html))


async def aaaa_lookup(fetcher: Fetcher, host: str, port: int) -> tuple[list[str], str | None]:
    """IPv6 addresses of ``host`` and an error token (no_aaaa, dns, offline) when there are none."""
    key = host.lower().rstrip(".").strip("[]")
    mapped = fetcher.resolver.mapping.get(key)
    if mapped is not None:
        v6 = [a for a in mapped if ":" in a]
        return v6, None if v6 else "no_aaaa"
    if ":" in key:  # an IPv6 literal
        return [key], None
    if fetcher.settings.loopback_only:
        if key == "localhost" or key.endswith(".localhost"):
            return ["::1"], None
        return [], E.OFFLINE
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(key, port, family=socket.AF_INET6, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return [], "no_aaaa" if exc.errno in _NO_AAAA_ERRNOS else E.DNS
    except OSError:
        return [], E.DNS
    out: list[str] = []
    for info in infos:
        addr = str(info[4][0])
        if addr not in out:
            out.append(addr)
    return out, None if out else "no_aaaa"


def _not_after_from_der(der: bytes | None) -> datetime | None:
    if not der:
        return None
    try:
        from cryptography import x509
    except ImportError:  # pragma: no cover - cryptography comes with trustme
        return None
    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:
        return None
    return cert.not_valid_after_utc.astimezone(TZ)


async def peer_certificate(
    fetcher: Fetcher, host: str, port: int = 443
) -> tuple[datetime | None, str | None]:
    """(certificate notAfter, error) from a TLS handshake with ``host:port``.

    error: None (valid), "certificate" (fails verification: expired, wrong name, unknown CA —
    notAfter is still read when possible), or a connection token (connect, timeout, dns, tls,
    offline).
    """
    try:
        addrs = await fetcher.resolver.addresses(host, port)
    except E.OfflineError:
        return None, E.OFFLINE
    except OSError:
        return None, E.DNS
    timeout = fetcher.settings.connect_timeout_s
    verified = fetcher.ssl_context
    loose = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    loose.check_hostname = False
    loose.verify_mode = ssl.CERT_NONE
    last = E.CONNECT
    for addr in addrs:
        for ctx in (verified, loose):
            try:
                _, writer = await asyncio.wait_for(
                    asyncio.open_connection(addr, port, ssl=ctx, server_hostname=host), timeout
                )
            except ssl.SSLCertVerificationError:
                last = "certificate"
                continue  # read notAfter without verification
            except ssl.SSLError:
                last = E.TLS
                break
            except TimeoutError:
                last = E.TIMEOUT
                break
            except OSError:
                last = E.CONNECT
                break
            try:
                obj = writer.get_extra_info("ssl_object")
                der = obj.getpeercert(binary_form=True) if obj is not None else None
            finally:
                writer.close()
                with contextlib.suppress(OSError, ssl.SSLError):
                    await writer.wait_closed()
            not_after = _not_after_from_der(der)
            return not_after, None if ctx is verified else "certificate"
    return None, last


async def net_check(fetcher: Fetcher, url: str) -> NetCheck:
    """IPv6 and HTTPS facts about the site whose home page is ``url``. Never raises."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    scheme = parts.scheme.lower()
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        port = 443 if scheme == "https" else 80
    nc = NetCheck(host=host)
    if not host or scheme not in ("http", "https"):
        nc.ipv6_error = nc.https_error = E.BAD_URL
        return nc

    # ---------------------------------------------------------------- IPv6
    nc.aaaa, err = await aaaa_lookup(fetcher, host, port)
    p4 = await fetcher.fetch(url, robots=False, family=socket.AF_INET)
    if nc.aaaa:
        p6 = await fetcher.fetch(url, robots=False, family=socket.AF_INET6)
        nc.ipv6_status = p6.status
        nc.ipv6_error = _http_error(p6)
        t4, t6 = _title(p4), _title(p6)
        if t4 is not None and t6 is not None:
            nc.ipv6_title_same = t4 == t6
    else:
        nc.ipv6_error = err or "no_aaaa"

    # ---------------------------------------------------------------- HTTPS
    home = p4 if p4.error is None else await fetcher.fetch(url, robots=False)
    if scheme == "http":
        if home.error is None and home.status is not None:
            nc.http_redirects_to_https = home.final_url.startswith("https://")
        if nc.http_redirects_to_https:
            https_url = home.final_url
        else:
            netloc = f"[{host}]" if ":" in host else host
            https_url = canonical_url(f"https://{netloc}/") or f"https://{netloc}/"
        ph = home if nc.http_redirects_to_https else await fetcher.fetch(
            https_url, robots=False, retries=0
        )
    else:
        https_url, ph = url, home
    https_parts = urlsplit(https_url)
    https_host = (https_parts.hostname or host).lower()
    https_port = https_parts.port or 443
    # An HTTP answer over TLS (even a refusal) means HTTPS works; errors do not.
    nc.https_ok = ph.error is None and ph.status is not None and (ph.status < 400 or bool(ph.blocked))
    if not nc.https_ok:
        nc.https_error = _http_error(ph) or "other"
    if ph.error in (None, E.TLS):
        not_after, cert_error = await peer_certificate(fetcher, https_host, https_port)
        nc.cert_not_after = not_after
        if cert_error == "certificate":
            nc.https_ok = False
            nc.https_error = "certificate"
    return nc
