"""The demo server on loopback: virtual hosts, HTTP/HTTPS/IPv6, GBK, 404, search, stubs."""

from __future__ import annotations

import asyncio
import csv
import json
import socket
from datetime import date
from urllib.parse import quote, urlsplit

import aiohttp
import pytest
from openpyxl import load_workbook

from xuncha.demo import DemoServer, World, serve_world
from xuncha.demo.world import write_registry_files
from xuncha.extract.links import extract_links

from ._helpers import AS_OF, MapResolver, client

QS = "www.qingshan.gov.cn"  # clean portal, https
DL = "www.dongling.gov.cn"  # GBK, http only, IPv4 only


async def fetch(session: aiohttp.ClientSession, url: str, **kw: object) -> tuple[int, dict[str, str], bytes, str]:
    async with session.get(url, **kw) as r:  # type: ignore[arg-type]
        return r.status, dict(r.headers), await r.read(), str(r.url)


async def test_https_and_http_redirect(server: DemoServer) -> None:
    async with client(server) as s:
        status, headers, body, _ = await fetch(s, server.base_url(QS) + "/")
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert "<h1>青山市人民政府</h1>" in body.decode("utf-8")
        status, headers, _, _ = await fetch(s, f"http://{QS}:{server.http_port}/col/", allow_redirects=False)
        assert status == 301 and headers["Location"] == f"https://{QS}:{server.https_port}/col/"
        status, _, _, final = await fetch(s, f"http://{QS}:{server.http_port}/")
        assert status == 200 and final.startswith("https://")


async def test_tls_refused_for_http_only_site(server: DemoServer) -> None:
    async with client(server) as s:
        with pytest.raises(aiohttp.ClientConnectorError):
            await fetch(s, f"https://zjj.qingshan.gov.cn:{server.https_port}/")
        status, _, _, _ = await fetch(s, server.base_url("zjj.qingshan.gov.cn") + "/")
        assert status == 200


async def test_ipv6(server: DemoServer) -> None:
    resolve = dict(server.resolve)
    assert resolve[DL] == ("127.0.0.1",)
    if not server.ipv6:
        pytest.skip("本机回环地址不支持 IPv6（::1），只测试 IPv4")
    assert resolve[QS] == ("127.0.0.1", "::1")
    async with client(server, only_family=socket.AF_INET6) as s:
        status, _, body, _ = await fetch(s, server.base_url(QS) + "/")
        assert status == 200 and "青山市人民政府".encode() in body
        with pytest.raises(aiohttp.ClientConnectorError):
            await fetch(s, server.base_url(DL) + "/")  # no AAAA
    forced = aiohttp.TCPConnector(resolver=MapResolver(((DL, ("::1",)),)), force_close=True)
    async with aiohttp.ClientSession(connector=forced) as s:
        status, _, _, _ = await fetch(s, server.base_url(DL) + "/")
        assert status == 421  # an IPv4-only site does not answer over IPv6


async def test_gbk_bytes_and_charset_headers(server: DemoServer, world: World) -> None:
    async with client(server) as s:
        status, headers, body, _ = await fetch(s, server.base_url(DL) + "/")
        assert status == 200 and headers["Content-Type"] == "text/html; charset=GBK"
        assert "东岭县人民政府".encode("gbk") in body and 'charset=gb2312' in body.decode("gbk")
        article = next(
            p for p in (world.root / "sites" / DL / "a").rglob("*.html") if "喆".encode("gbk") in p.read_bytes()
            and "/20" in p.as_posix()
        )
        path = "/" + article.relative_to(world.root / "sites" / DL).as_posix()
        status, headers, body, _ = await fetch(s, server.base_url(DL) + path)
        assert status == 200 and headers["Content-Type"] == "text/html"  # only <meta charset=gb2312>
        with pytest.raises(UnicodeDecodeError):
            body.decode("gb2312")  # 喆 is GBK, not GB2312: decoders must treat gb2312 as GBK
        assert "喆" in body.decode("gbk")
        status, headers, body, _ = await fetch(s, server.base_url("lyj.qingshan.gov.cn") + "/")
        assert headers["Content-Type"] == "text/html" and "青山市旅游局".encode("gbk") in body
        assert b'<meta charset="gb2312">' in body  # no charset header, only the short meta


async def test_404_and_planted_files(server: DemoServer, world: World) -> None:
    async with client(server) as s:
        status, headers, body, _ = await fetch(s, server.base_url(QS) + "/no/such/page.html")
        assert status == 404 and "页面不存在" in body.decode("utf-8")
        for path in world.hosts["www.luming.gov.cn"]["missing"]:
            status, _, _, _ = await fetch(s, server.base_url("www.luming.gov.cn") + path)
            assert status == 404, path
        zjj = world.hosts["zjj.qingshan.gov.cn"]
        (doc,) = zjj["missing"]
        assert doc.endswith(".doc")
        status, _, _, _ = await fetch(s, server.base_url("zjj.qingshan.gov.cn") + doc)
        assert status == 404
        empty = next(p for p in (world.root / "sites/zjj.qingshan.gov.cn").rglob("*.xls"))
        status, headers, body, _ = await fetch(s, server.base_url("zjj.qingshan.gov.cn") + "/" + empty.relative_to(world.root / "sites/zjj.qingshan.gov.cn").as_posix())
        assert status == 200 and body == b"" and headers["Content-Type"] == "application/vnd.ms-excel"
        status, headers, body, _ = await fetch(s, server.base_url(QS) + "/robots.txt")
        assert status == 200 and "Disallow: /manage/" in body.decode()


async def test_search(server: DemoServer, world: World) -> None:
    index = json.loads((world.root / "server" / QS / "search.json").read_text(encoding="utf-8"))
    old = next(d for d in index if (AS_OF - date.fromisoformat(d["date"])).days >= 2)
    async with client(server) as s:
        url = server.base_url(QS) + "/jrobot/search.do?webid=1&q=" + quote(old["title"])
        status, _, body, _ = await fetch(s, url)
        text = body.decode("utf-8")
        assert status == 200 and old["title"] in text and old["path"] in text and "共找到 <b>1</b>" in text
        status, _, body, _ = await fetch(s, server.base_url(QS) + "/search?q=" + quote("不存在的关键词组合"))
        assert "共找到 <b>0</b>" in body.decode("utf-8")
        edu = json.loads((world.root / "server/www.qingshan-edu.com.cn/search.json").read_text(encoding="utf-8"))
        status, _, body, _ = await fetch(s, server.base_url("www.qingshan-edu.com.cn") + "/jrobot/search.do?q=" + quote(edu[0]["title"]))
        assert status == 200 and "共找到 <b>0</b>" in body.decode("utf-8")  # planted: search finds nothing
        lyj = json.loads((world.root / "server/lyj.qingshan.gov.cn/search.json").read_text(encoding="utf-8"))
        status, headers, body, _ = await fetch(s, server.base_url("lyj.qingshan.gov.cn") + "/plus/search.php?q=" + quote(lyj[0]["title"].encode("gbk")))
        assert headers["Content-Type"].endswith("charset=GBK") and lyj[0]["title"] in body.decode("gbk")
        status, _, _, _ = await fetch(s, server.base_url(DL) + "/search?q=x")
        assert status == 404  # planted: no site search


async def test_stub_national_services(server: DemoServer, world: World) -> None:
    conac = world.hosts[QS]["conac_id"]
    async with client(server) as s:
        status, _, body, _ = await fetch(s, server.base_url("bszs.conac.cn") + f"/sitename?method=show&id={conac}")
        assert status == 200 and "青山市人民政府" in body.decode()
        status, headers, body, _ = await fetch(s, server.base_url("dcs.conac.cn") + "/image/red.png")
        assert headers["Content-Type"] == "image/png" and body.startswith(b"\x89PNG")
        status, _, body, _ = await fetch(s, server.base_url("zfwzgl.www.gov.cn") + "/exposure/jiucuo.html?site_code=9901000001&url=x")
        assert status == 200 and "青山市人民政府" in body.decode()
        status, _, body, _ = await fetch(s, server.base_url("zfwzgl.www.gov.cn") + "/exposure/jiucuo.js")
        assert status == 200 and b"jiucuo.html?site_code=" in body
        for url in (f"https://beian.miit.gov.cn:{server.https_port}/", f"http://www.beian.gov.cn:{server.http_port}/portal/registerSystemInfo?recordcode=1",
                    server.base_url("www.gov.cn") + "/", server.base_url("zwfw.shili.gov.cn") + "/"):
            assert (await fetch(s, url))[0] == 200, url
        assert (await fetch(s, server.base_url("www.gov.cn") + "/nothing"))[0] == 404


async def test_ipv4_only_server(world: World) -> None:
    async with await serve_world(world, ipv6=False, write_registry=False) as srv:
        assert not srv.ipv6 and all(addrs == ("127.0.0.1",) for _, addrs in srv.resolve)
        async with client(srv) as s:
            assert (await fetch(s, srv.base_url(QS) + "/"))[0] == 200


async def test_unreachable_sites(server: DemoServer) -> None:
    async with client(server) as s:
        status, headers, _, _ = await fetch(s, server.base_url("tjj.qingshan.gov.cn") + "/")
        assert status == 503
        with pytest.raises(aiohttp.ClientConnectorError):
            await fetch(s, server.base_url("rfb.qingshan.gov.cn") + "/")


async def test_ports_in_links_registry_and_settings(server: DemoServer, world: World) -> None:
    async with client(server) as s:
        _, _, body, _ = await fetch(s, server.base_url(QS) + "/")
    text = body.decode("utf-8")
    assert f"https://bszs.conac.cn:{server.https_port}/sitename?method=show" in text
    assert f"https://beian.miit.gov.cn:{server.https_port}/" in text
    on_disk = (world.root / "sites" / QS / "index.html").read_text(encoding="utf-8")
    assert "https://bszs.conac.cn/sitename" in on_disk  # files keep the canonical URLs
    server.write_registry()
    try:
        with world.registry_csv.open(encoding="utf-8") as f:
            rows = {r["id"]: r for r in csv.DictReader(f)}
        xlsx = load_workbook(world.registry_xlsx, read_only=True).worksheets[0]
        urls = {r[0]: r[3] for r in xlsx.iter_rows(min_row=2, values_only=True)}
    finally:
        write_registry_files(world)  # back to the canonical URLs for the other tests
    assert urls["9901000001"] == f"https://{QS}:{server.https_port}/"
    assert rows["9901000001"]["url"] == f"https://{QS}:{server.https_port}/"
    assert rows["9901210001"]["url"] == f"http://{DL}:{server.http_port}/"
    assert rows["9901000006"]["url"] == f"http://rfb.qingshan.gov.cn:{server.dead_port}/"
    cs = server.collect_settings()
    assert cs.loopback_only and cs.extra_ca_file == str(world.ca_pem) and dict(cs.resolve)[QS][0] == "127.0.0.1"


async def _crawl_broken(s: aiohttp.ClientSession, server: DemoServer, host: str, encoding: str) -> set[str]:
    """Crawl one site through its links; return every linked URL that does not answer < 400."""
    home = server.base_url(host) + "/"
    seen, level, linked = {home}, [home], set()
    while level:  # breadth first, one level at a time, fetched concurrently
        pages = await asyncio.gather(*(fetch(s, u) for u in level))
        level = []
        for status, headers, body, final in pages:
            if status != 200 or not headers.get("Content-Type", "").startswith("text/html"):
                continue
            for link in extract_links(body.decode(encoding), final):
                linked.add(link.url)
                parts = urlsplit(link.url)
                if parts.hostname == host and link.tag == "a" and not link.is_attachment and link.url not in seen and "search" not in parts.path:
                    seen.add(link.url)
                    level.append(link.url)

    async def bad(url: str) -> str | None:
        try:
            return url if (await fetch(s, url))[0] >= 400 else None
        except aiohttp.ClientError:
            return url

    return {u for u in await asyncio.gather(*(bad(u) for u in sorted(linked))) if u}


async def test_every_link_resolves_on_clean_sites(server: DemoServer, world: World) -> None:
    async with client(server) as s:
        for entry in world.manifest.values():
            if entry["clean"]:
                assert await _crawl_broken(s, server, entry["host"], "utf-8") == set(), entry["host"]
        luming = await _crawl_broken(s, server, "www.luming.gov.cn", "utf-8")
        base = server.base_url("www.luming.gov.cn")
        planted = {base + p for p in world.hosts["www.luming.gov.cn"]["missing"]}
        assert luming == planted
        assert planted == {base + p for p in world.manifest["9901220001"]["facts"]["dead_links"]}


BAIDU_UA = "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"


async def test_cloaking_for_search_engine_spiders(server: DemoServer) -> None:
    lm = "www.luming.gov.cn"
    async with client(server) as s:
        _, _, normal, _ = await fetch(s, server.base_url(lm) + "/")
        for path in ("/", "/index.html"):
            status, _, spider, _ = await fetch(s, server.base_url(lm) + path, headers={"User-Agent": BAIDU_UA})
            text = spider.decode("utf-8")
            assert status == 200 and "<title>鹿鸣在线_澳门新葡京_百家乐" in text
            assert f"http://www.xpj-casino-demo.com:{server.http_port}/baijiale/" in text
        assert b"xpj-casino-demo" not in normal and "<title>鹿鸣在线</title>" in normal.decode("utf-8")
        # other pages and other sites answer spiders like everyone else
        _, _, a, _ = await fetch(s, server.base_url(lm) + "/wzdt/index.html", headers={"User-Agent": BAIDU_UA})
        _, _, b, _ = await fetch(s, server.base_url(lm) + "/wzdt/index.html")
        assert a == b
        _, _, a, _ = await fetch(s, server.base_url(QS) + "/", headers={"User-Agent": BAIDU_UA})
        _, _, b, _ = await fetch(s, server.base_url(QS) + "/")
        assert a == b


async def test_dark_link_targets_resolve_on_loopback(server: DemoServer) -> None:
    edu = "www.qingshan-edu.com.cn"
    async with client(server) as s:
        _, _, body, _ = await fetch(s, server.base_url(edu) + "/")
        text = body.decode("utf-8")
        # plain and script-escaped links both carry the real port
        assert f'href="http://www.xpj-casino-demo.com:{server.http_port}/"' in text
        assert f"http%3A//www.xpj-casino-demo.com%3A{server.http_port}/vip/" in text
        for url in (f"http://www.xpj-casino-demo.com:{server.http_port}/vip/", server.base_url("www.xpj-casino-demo.com") + "/"):
            status, _, page, _ = await fetch(s, url)
            assert status == 200 and "百家乐" in page.decode("utf-8")
        for host in ("www.yunling.gov.cn", "www.baihe.gov.cn"):
            status, _, page, _ = await fetch(s, server.base_url(host) + "/")
            assert status == 200 and "人民政府" in page.decode("utf-8")
