"""collect_attachments against a loopback site: which links, in which order, what each file
gives (segments with locations, or a clear error), and the download limits."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime

import pytest
from aiohttp import web

from xuncha.collect.attachments import attachment_links, collect_attachments, priority
from xuncha.collect.http import Fetcher
from xuncha.extract.attachment_text import ExtractPool
from xuncha.model import Page, SiteSnapshot, Target
from xuncha.settings import TZ, CollectSettings

from . import files as F

HOST = "www.test.gov.cn"
FILES = "files.test.gov.cn"
OTHER = "www.other.gov.cn"


class CountingPool(ExtractPool):
    """The session's worker, counting how many files were parsed."""

    def __init__(self, inner: ExtractPool) -> None:
        self.inner = inner
        self.calls = 0

    def run(self, data: bytes, kind_hint: str = "", **kw):  # type: ignore[no-untyped-def, override]
        self.calls += 1
        return self.inner.run(data, kind_hint, **kw)


def _settings() -> CollectSettings:
    return CollectSettings(
        loopback_only=True, timeout_s=5.0, connect_timeout_s=2.0, retries=0, backoff_s=0.01,
        resolve=((HOST, ("127.0.0.1",)), (FILES, ("127.0.0.1",)), (OTHER, ("127.0.0.1",))),
    )


def _home(port: int) -> str:
    files = f"http://{FILES}:{port}"
    other = f"http://{OTHER}:{port}"
    links = [
        ("/files/2025/03/20250314_名单.xlsx", "2025年第一季度补贴发放花名册"),
        (f"{files}/up/公示.pdf", "关于2025年拟录用人员名单的公示"),
        ("/files/说明.docx", "工作说明"),
        ("/files/名单.xls", "人员名单（2024年）"),
        ("/files/人员.csv", "人员汇总表"),
        ("/files/old.doc", "旧文件"),
        ("/files/missing.pdf", "缺失的附件"),
        ("/files/bomb.xlsx", "统计表"),
        ("/files/big.csv", "大文件"),
        ("/files/slow.pdf", "慢文件"),
        ("/files/copy.xlsx", "同一文件的另一个地址"),
        ("/files/waf.pdf", "被拦截"),
        ("/files/2025/03/20250314_名单.xlsx", ""),  # the same link again
        (f"{other}/files/别站名单.xlsx", "别的网站的名单"),  # off-site: never fetched
        ("/files/图片.jpg", "图片"),
        ("/files/打包.zip", "打包下载"),  # archives are not fetched
        ("/files/正文.html", "正文"),
    ]
    body = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    return f"<html><head><title>测试网站</title></head><body><ul>{body}</ul></body></html>"


@pytest.fixture
async def site(file_server):  # type: ignore[no-untyped-def]
    xlsx = F.make_xlsx()
    big = ("姓名,手机号\n" + "张三,13812345678\n" * 200_000).encode()  # ~4 MB
    files: dict[str, tuple[bytes, str]] = {
        "/files/2025/03/20250314_名单.xlsx": (xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "/files/copy.xlsx": (xlsx, "application/octet-stream"),
        "/up/公示.pdf": (F.people_pdf(), "application/pdf"),
        "/files/说明.docx": (F.make_docx(), "application/octet-stream"),
        "/files/名单.xls": (F.fixture("名单.xls"), "application/vnd.ms-excel"),
        "/files/人员.csv": (F.make_csv_gbk(), "text/csv"),
        "/files/old.doc": (F.make_doc(["张三 " + F.ID1]), "application/msword"),
        "/files/bomb.xlsx": (F.zip_bomb(), "application/octet-stream"),
        "/files/big.csv": (big, "text/csv"),
        "/files/别站名单.xlsx": (xlsx, "application/octet-stream"),
    }
    log: list[str] = []
    state: dict[str, int] = {}

    async def handler(request: web.Request) -> web.StreamResponse:
        path = request.path
        log.append(f"{request.host.split(':')[0]}{path}")
        if path == "/index.html":
            return web.Response(text=_home(state["port"]), content_type="text/html")
        if path == "/files/slow.pdf":
            await asyncio.sleep(5)
            return web.Response(body=F.people_pdf(), content_type="application/pdf")
        if path == "/files/waf.pdf":
            return web.Response(status=403, text="forbidden")
        hit = files.get(path)
        if hit is None:
            return web.Response(status=404, text="not found")
        return web.Response(body=hit[0], headers={"Content-Type": hit[1]})

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", handler)
    port = await file_server(app)
    state["port"] = port
    home = f"http://{HOST}:{port}/index.html"
    async with Fetcher(_settings()) as fetcher:
        page = await fetcher.fetch(home)
        assert page.ok and page.html
        page.role = "home"
        snap = SiteSnapshot(
            target=Target(id="T1", kind="website", name="测试网站", url=home),
            home_url=home, started_at=datetime.now(TZ), pages=[page],
        )
        yield fetcher, snap, log, files


async def test_collects_every_readable_same_site_file(site, pool: ExtractPool) -> None:  # type: ignore[no-untyped-def]
    fetcher, snap, log, served = site
    counting = CountingPool(pool)
    atts = await collect_attachments(fetcher, snap, max_bytes=1024 * 1024, timeout_s=0.8, pool=counting)
    by = {a.url.rsplit("/", 1)[-1]: a for a in atts}
    assert set(by) == {"20250314_名单.xlsx", "公示.pdf", "说明.docx", "名单.xls", "人员.csv", "old.doc",
                       "missing.pdf", "bomb.xlsx", "big.csv", "slow.pdf", "copy.xlsx", "waf.pdf"}
    # nothing off-site, no archive, no image, no page was downloaded
    assert not any(h.startswith(OTHER) for h in log)
    assert not any(p.endswith((".jpg", ".zip", ".html")) and "index" not in p for p in log)

    x = by["20250314_名单.xlsx"]
    assert (x.kind, x.error, x.status, x.truncated) == ("xlsx", None, 200, False)
    assert x.link_text == "2025年第一季度补贴发放花名册"  # the text of the first link, not the empty repeat
    assert x.source_url == snap.pages[0].final_url and x.fetched_at is not None
    served_xlsx = served["/files/2025/03/20250314_名单.xlsx"][0]
    assert x.size == len(served_xlsx) and x.body_hash == hashlib.sha256(served_xlsx).hexdigest()
    assert {s.location: s.text for s in x.segments}["工作表「名单」C4"] == F.ID1
    assert by["copy.xlsx"].segments == x.segments and by["copy.xlsx"].body_hash == x.body_hash

    pdf = by["公示.pdf"]  # on the site's own file host
    assert pdf.kind == "pdf" and [s.location for s in pdf.segments if F.ID1 in s.text] == ["第2页"]
    assert by["说明.docx"].kind == "docx" and any(F.ID1 in s.text for s in by["说明.docx"].segments)
    assert {s.location: s.text for s in by["名单.xls"].segments}["工作表「名单」C4"] == F.ID1
    assert {s.location: s.text for s in by["人员.csv"].segments}["单元格C2"] == F.ID1  # GBK
    assert by["old.doc"].kind == "doc" and by["old.doc"].segments[0].text == "张三 " + F.ID1

    assert (by["missing.pdf"].error, by["missing.pdf"].status, by["missing.pdf"].segments) == ("http_404", 404, [])
    assert by["waf.pdf"].error == "forbidden"
    assert by["bomb.xlsx"].error == "zip_bomb" and by["bomb.xlsx"].kind == "xlsx"
    assert by["slow.pdf"].error == "timeout"
    big = by["big.csv"]
    assert (big.error, big.truncated, big.size) == ("too_large", True, 1024 * 1024)
    assert big.segments and big.segments[-1].location.startswith("单元格")  # read up to the cut
    # same bytes under two URLs are parsed once; failed downloads are not parsed at all
    assert counting.calls == 8


async def test_priority_and_max_files(site, pool: ExtractPool) -> None:  # type: ignore[no-untyped-def]
    fetcher, snap, log, served = site
    links = attachment_links(snap)
    names = [link.url.rsplit("/", 1)[-1] for link in links]
    # keyword score (strong words 2, weak 1, spreadsheets +1), then the newest, then crawl order
    assert names[:4] == ["20250314_名单.xlsx", "公示.pdf", "人员.csv", "名单.xls"]
    assert priority(links[0]) < priority(links[-1])
    before = len(log)
    atts = await collect_attachments(fetcher, snap, max_files=2, pool=pool)
    assert [a.url.rsplit("/", 1)[-1] for a in atts] == names[:2]
    assert [p for p in log[before:] if not p.endswith("/robots.txt")] == [
        f"{HOST}/files/2025/03/20250314_名单.xlsx", f"{FILES}/up/公示.pdf"]  # only the chosen files
    assert await collect_attachments(fetcher, snap, max_files=0, pool=pool) == []


async def test_extra_hosts_and_non_html_pages(site, pool: ExtractPool) -> None:  # type: ignore[no-untyped-def]
    fetcher, snap, log, served = site
    assert all(OTHER not in link.url for link in attachment_links(snap))
    assert any(OTHER in link.url for link in attachment_links(snap, extra_hosts=[OTHER]))
    # pages that failed or carry no HTML give no links
    snap.pages = [Page(url=snap.home_url, status=500, html=snap.pages[0].html), Page(url=snap.home_url + "x")]
    assert await collect_attachments(fetcher, snap, pool=pool) == []


async def test_links_given_by_the_caller(site, pool: ExtractPool) -> None:  # type: ignore[no-untyped-def]
    """SiteStructure.links can be handed over instead of parsing every page again."""
    from xuncha.extract.links import extract_links

    fetcher, snap, log, served = site
    refs = extract_links(snap.pages[0].html, snap.pages[0].final_url)
    assert attachment_links(snap, links=refs) == attachment_links(snap)
    assert attachment_links(snap, links=[]) == []
