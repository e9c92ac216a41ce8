"""net_check: AAAA via the resolve map, IPv6 fetch and title comparison, HTTPS and certificates."""

from __future__ import annotations

import datetime as dt
import socket
import ssl

import trustme
from aiohttp import web

from xuncha.collect.http import Fetcher
from xuncha.collect.net import net_check

from ._servers import fast_settings, needs_ipv6

HOST = "www.test.gov.cn"


def _dual_sockets() -> tuple[socket.socket, socket.socket, int]:
    """Listening-ready sockets on 127.0.0.1:P and [::1]:P (same P)."""
    for _ in range(50):
        s6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s6.bind(("::1", 0))
        port = s6.getsockname()[1]
        s4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s4.bind(("127.0.0.1", port))
        except OSError:
            s4.close()
            s6.close()
            continue
        return s4, s6, port
    raise RuntimeError("no common free port")


def _titled(title: str) -> dict[str, str]:
    return {"/": f"<html><head><title>{title}</title></head><body>首页</body></html>"}


@needs_ipv6
async def test_ipv6_same_site(serve) -> None:
    s4, s6, port = _dual_sockets()
    await serve(_titled("某市人民政府"), sock=s4)
    v6 = await serve(_titled("某市人民政府"), sock=s6, host="::1")
    settings = fast_settings(resolve=((HOST, ("127.0.0.1", "::1")),))
    async with Fetcher(settings) as f:
        nc = await net_check(f, f"http://{HOST}:{port}/")
    assert nc.host == HOST and nc.aaaa == ["::1"]
    assert nc.ipv6_status == 200 and nc.ipv6_error is None and nc.ipv6_title_same is True
    assert v6.hits("/") >= 1  # really fetched over IPv6
    # plain http site, nothing on https://host/ (port 443): HTTPS not available
    assert nc.http_redirects_to_https is False
    assert nc.https_ok is False and nc.https_error == "connect"


@needs_ipv6
async def test_ipv6_different_site(serve) -> None:
    s4, s6, port = _dual_sockets()
    await serve(_titled("某市人民政府"), sock=s4)
    await serve(_titled("Welcome to nginx!"), sock=s6, host="::1")
    settings = fast_settings(resolve=((HOST, ("127.0.0.1", "::1")),))
    async with Fetcher(settings) as f:
        nc = await net_check(f, f"http://{HOST}:{port}/")
    assert nc.ipv6_status == 200 and nc.ipv6_title_same is False


@needs_ipv6
async def test_ipv6_mapped_but_not_listening(serve) -> None:
    srv = await serve(_titled("某市人民政府"))
    settings = fast_settings(resolve=((HOST, ("127.0.0.1", "::1")),), retries=0)
    async with Fetcher(settings) as f:
        nc = await net_check(f, f"http://{HOST}:{srv.port}/")
    assert nc.aaaa == ["::1"] and nc.ipv6_error == "connect" and nc.ipv6_status is None
    assert nc.ipv6_title_same is None


async def test_ipv4_only_host_has_no_aaaa(serve) -> None:
    srv = await serve(_titled("某市人民政府"))
    settings = fast_settings(resolve=((HOST, ("127.0.0.1",)),))
    async with Fetcher(settings) as f:
        nc = await net_check(f, f"http://{HOST}:{srv.port}/")
        unmapped = await net_check(f, "http://www.elsewhere.gov.cn/")
    assert nc.aaaa == [] and nc.ipv6_error == "no_aaaa" and nc.ipv6_status is None
    assert unmapped.ipv6_error == "offline" and unmapped.https_ok is False  # never left loopback


def _tls_server_ctx(ca: trustme.CA, not_after: dt.datetime) -> ssl.SSLContext:
    cert = ca.issue_cert(HOST, not_after=not_after)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(ctx)
    return ctx


async def test_https_certificate_expiry_and_invalid_cert(serve, tmp_path) -> None:
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    not_after = dt.datetime(2030, 6, 1, 0, 0, tzinfo=dt.UTC)
    srv = await serve(_titled("某市人民政府"), ssl_context=_tls_server_ctx(ca, not_after))
    url = f"https://{HOST}:{srv.port}/"
    resolve = ((HOST, ("127.0.0.1",)),)
    async with Fetcher(fast_settings(resolve=resolve, extra_ca_file=str(ca_file))) as f:
        good = await net_check(f, url)
    assert good.https_ok is True and good.https_error is None
    assert good.cert_not_after is not None
    assert good.cert_not_after.astimezone(dt.UTC).replace(microsecond=0) == not_after
    async with Fetcher(fast_settings(resolve=resolve)) as f:  # our CA unknown: invalid cert
        bad = await net_check(f, url)
    assert bad.https_ok is False and bad.https_error == "certificate"
    assert bad.cert_not_after is not None  # read anyway, for the evidence


async def test_http_redirecting_to_https(serve, tmp_path) -> None:
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    tls = await serve(_titled("某市人民政府"),
                      ssl_context=_tls_server_ctx(ca, dt.datetime(2031, 1, 1, tzinfo=dt.UTC)))

    async def to_https(request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently(f"https://{HOST}:{tls.port}/")

    plain = await serve({"/": to_https})
    settings = fast_settings(resolve=((HOST, ("127.0.0.1",)),), extra_ca_file=str(ca_file))
    async with Fetcher(settings) as f:
        nc = await net_check(f, f"http://{HOST}:{plain.port}/")
    assert nc.http_redirects_to_https is True and nc.https_ok is True
    assert nc.cert_not_after is not None and nc.cert_not_after.year in (2030, 2031)
