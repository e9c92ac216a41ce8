"""crawl_site: roles and priorities, scope, statuses for every link, budgets, traps, modes."""

from __future__ import annotations

import asyncio
import re
import time
import uuid

from aiohttp import web

from xuncha.collect.crawl import TrapGuard, crawl_site, strip_session_ids
from xuncha.collect.http import Fetcher
from xuncha.extract.links import extract_links
from xuncha.model import SiteSnapshot, Target
from xuncha.settings import CollectSettings

from ._servers import fast_settings, free_port

HEADER = '<div class="header"><a href="/"><img src="/img/logo.png" alt="某市人民政府"></a></div>'


def _page(title: str, body: str, nav: str = "") -> str:
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title>"
        f"<link rel='stylesheet' href='/css/main.css'></head><body>{HEADER}{nav}"
        f"<div class='main'>{body}</div>"
        f"<div class='footer'><a href='/sitemap.html'>网站地图</a> 主办单位：某市人民政府办公室</div>"
        f"</body></html>"
    )


def _list(prefix: str, n: int, start: int = 0) -> str:
    return "<ul>" + "".join(
        f'<li><a href="{prefix}t2024010{i % 9 + 1}_{i}.html">通知{i}</a><span>2024-01-0{i % 9 + 1}</span></li>'
        for i in range(start, start + n)
    ) + "</ul>"


def gov_site(ext_url: str) -> web.Application:
    """A small city portal: nav columns, lists with pagination, details, a site map, files."""
    nav = ('<div class="nav"><a href="/xwzx/index.html">新闻中心</a>'
           '<a href="/zwgk/index.html">政务公开</a></div>')
    pages: dict[str, str] = {}
    pages["/"] = _page(
        "某市人民政府",
        '<a href="/xwzx/t20240101_0.html">要闻一</a>'
        '<a href="/files/a.pdf">附件</a>'
        '<a href="/missing.html">坏链接</a>'
        '<a href="/private/x.html">内部</a>'
        f'<a href="{ext_url}/ext.html">外部网站</a>'
        '<a href="mailto:a@b.c">邮箱</a><a href="javascript:void(0)">无</a>'
        '<script src="/js/zhaocuo.js"></script>',
        nav,
    )
    for col in ("xwzx", "zwgk"):
        pages[f"/{col}/index.html"] = _page(
            col,
            _list(f"/{col}/", 8) + f'<div class="page"><a href="/{col}/index_1.html">下一页</a>'
            f'<a href="/{col}/index_6.html">末页</a></div>'
            + ('<a href="/zwgk/zcwj/index.html">政策文件</a>' if col == "zwgk" else ""),
            nav,
        )
        for k in range(1, 7):
            nxt = f'<a href="/{col}/index_{k + 1}.html">下一页</a>' if k < 6 else ""
            pages[f"/{col}/index_{k}.html"] = _page(f"{col}{k}", _list(f"/{col}/", 8, 8 * k) + nxt, nav)
        for i in range(0, 56):
            pages[f"/{col}/t2024010{i % 9 + 1}_{i}.html"] = _page(f"通知{i}", f"<p>正文{i}</p>", nav)
    pages["/zwgk/zcwj/index.html"] = _page("政策文件", _list("/zwgk/zcwj/", 3), nav)
    for i in range(3):
        pages[f"/zwgk/zcwj/t2024010{i + 1}_{i}.html"] = _page("文件", "<p>文件</p>", nav)
    pages["/sitemap.html"] = _page(
        "网站地图", '<a href="/xwzx/index.html">新闻中心</a><a href="/hdjl/index.html">互动交流</a>'
    )
    pages["/hdjl/index.html"] = _page("互动交流", "<p>留言</p>")
    pages["/private/x.html"] = _page("内部", "<p>secret</p>")

    async def handler(request: web.Request) -> web.StreamResponse:
        path = request.path
        if path in pages:
            return web.Response(text=pages[path], content_type="text/html")
        if path == "/robots.txt":
            return web.Response(text="User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        if path == "/files/a.pdf":
            return web.Response(body=b"%PDF-1.4 xxx", content_type="application/pdf")
        if path == "/img/logo.png":
            return web.Response(body=b"\x89PNG....", content_type="image/png")
        if path == "/css/main.css":
            return web.Response(text="body{}", content_type="text/css")
        if path == "/js/zhaocuo.js":
            return web.Response(text="document.write('<a href=\"https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode=1234567890\">找错</a>')",
                                content_type="application/javascript")
        return web.Response(status=404, text="not found")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    return app


def ext_app() -> web.Application:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text="<html>ext</html>", content_type="text/html")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    return app


def _target(url: str) -> Target:
    return Target(id="T1", kind="website", name="某市人民政府", url=url)


def _statuses_cover_all_links(snap: SiteSnapshot) -> list[str]:
    """Links of crawled HTML pages that got neither a Page nor a LinkCheck."""
    known = {p.url for p in snap.pages} | {p.final_url for p in snap.pages} | set(snap.link_checks)
    missing = []
    for p in snap.pages:
        if p.html and p.role != "script" and p.ok:
            for ref in extract_links(p.html, p.final_url):
                if ref.url not in known:
                    missing.append(ref.url)
    return missing


async def test_full_crawl_roles_priorities_and_statuses(serve) -> None:
    ext = await serve(ext_app())
    site = await serve(gov_site(ext.url))
    settings = fast_settings()
    calls: list[tuple[int, int]] = []
    async with Fetcher(settings) as f:
        snap = await crawl_site(f, _target(site.url + "/"), settings,
                                progress=lambda d, t: calls.append((d, t)))
    home = snap.pages[0]
    assert home.role == "home" and home.url == site.url + "/" and home.ok
    roles = {p.url.removeprefix(site.url): p.role for p in snap.pages}
    assert roles["/xwzx/index.html"] == "column" and roles["/zwgk/index.html"] == "column"
    assert roles["/sitemap.html"] == "sitemap"
    assert roles["/hdjl/index.html"] == "column"  # listed on the site map
    assert roles["/zwgk/zcwj/index.html"] == "column"  # a sub-column of 政务公开
    for col in ("/xwzx/", "/zwgk/"):
        own = {u: r for u, r in roles.items() if u.startswith(col) and u.count("/") == 2}
        pag = [u for u, r in own.items() if r == "pagination"]
        det = [u for u, r in own.items() if r == "detail"]
        assert 1 <= len(pag) <= settings.max_list_pages_per_column
        assert 1 <= len(det) <= settings.max_detail_pages_per_column
    scripts = [p for p in snap.pages if p.role == "script"]
    assert len(scripts) == 1 and "找错" in scripts[0].html
    # everything found has a status; non-HTML and external links are checked, not crawled
    assert _statuses_cover_all_links(snap) == []
    lc = snap.link_checks
    assert lc[site.url + "/files/a.pdf"].status == 200 and lc[site.url + "/files/a.pdf"].size
    assert site.url + "/img/logo.png" in lc and site.url + "/css/main.css" in lc
    assert lc[ext.url + "/ext.html"].status == 200
    assert ext.hits("/ext.html", "GET") == 0  # external: HEAD only, never crawled
    missing = snap.page(site.url + "/missing.html")
    assert missing is not None and missing.status == 404
    private = snap.page(site.url + "/private/x.html")
    assert private is not None and private.error == "robots"
    assert site.hits("/private/x.html") == 0
    assert snap.robots_txt and "Disallow: /private/" in snap.robots_txt
    assert not snap.budget_exhausted and snap.finished_at is not None
    assert calls and calls[-1][0] == len(snap.pages)
    assert len({p.url for p in snap.pages}) == len(snap.pages)  # nothing crawled twice


async def test_priorities_under_a_small_budget(serve) -> None:
    ext = await serve(ext_app())
    site = await serve(gov_site(ext.url))
    settings = fast_settings(max_pages=6, per_host_concurrency=1)
    async with Fetcher(settings) as f:
        snap = await crawl_site(f, _target(site.url + "/"), settings)
    got = [p.url.removeprefix(site.url) for p in snap.pages if p.role != "script"]
    assert len(snap.pages) == 6 and snap.budget_exhausted
    assert any("上限" in n for n in snap.notes)
    assert {"/", "/xwzx/index.html", "/zwgk/index.html", "/sitemap.html"} <= set(got)
    assert "/missing.html" not in got  # an "other" link waits behind columns
    # what the budget cut off is still checked (HEAD), so broken links are not missed
    assert site.url + "/missing.html" in snap.link_checks
    assert snap.link_checks[site.url + "/missing.html"].broken


async def test_links_mode_keeps_no_html(serve) -> None:
    ext = await serve(ext_app())
    site = await serve(gov_site(ext.url))
    settings = fast_settings(max_depth=100, max_pages=1000)
    async with Fetcher(settings) as f:
        snap = await crawl_site(f, _target(site.url + "/"), settings, mode="links")
    assert all(p.html == "" for p in snap.pages)
    assert not any(p.role == "script" for p in snap.pages)
    urls = {p.url.removeprefix(site.url) for p in snap.pages}
    assert {"/xwzx/index_6.html", "/zwgk/zcwj/t20240103_2.html", "/missing.html"} <= urls
    assert site.url + "/js/zhaocuo.js" in snap.link_checks
    broken = [p.url for p in snap.pages if p.status and p.status >= 400] + [
        u for u, c in snap.link_checks.items() if c.broken
    ]
    assert broken == [site.url + "/missing.html"]


async def test_depth_limit_checks_what_it_does_not_crawl(serve) -> None:
    ext = await serve(ext_app())
    site = await serve(gov_site(ext.url))
    settings = fast_settings(max_depth=1)
    async with Fetcher(settings) as f:
        snap = await crawl_site(f, _target(site.url + "/"), settings)
    assert max(p.depth for p in snap.pages) == 1
    assert site.url + "/xwzx/index_1.html" in snap.link_checks  # depth 2: HEAD-checked
    assert _statuses_cover_all_links(snap) == []


async def test_home_unreachable_stops_early() -> None:
    settings = fast_settings(retries=0)
    url = f"http://127.0.0.1:{free_port()}/"
    async with Fetcher(settings) as f:
        snap = await crawl_site(f, _target(url), settings)
    assert len(snap.pages) == 1 and snap.pages[0].role == "home"
    assert snap.pages[0].error == "connect"
    assert any("首页无法访问" in n for n in snap.notes)


async def test_forbidden_site_is_inconclusive_not_broken(serve) -> None:
    async def deny(request: web.Request) -> web.Response:
        return web.Response(status=403, text="<html>Forbidden</html>", content_type="text/html")

    srv = await serve({"/{tail:.*}": deny})
    settings = fast_settings()
    async with Fetcher(settings) as f:
        snap = await crawl_site(f, _target(srv.url + "/"), settings)
    home = snap.pages[0]
    assert home.blocked == "forbidden" and home.error is None
    assert not any(c.broken for c in snap.link_checks.values())
    assert any("拒绝" in n for n in snap.notes)


async def test_waf_mid_crawl_stops_after_a_streak(serve) -> None:
    links = "".join(f'<a href="/p{i}.html">p{i}</a>' for i in range(60))

    async def handler(request: web.Request) -> web.Response:
        if request.path == "/":
            return web.Response(text=f"<html><body>{links}</body></html>", content_type="text/html")
        return web.Response(status=200, text="<html><title>安全验证</title>滑动验证</html>",
                            content_type="text/html")

    srv = await serve({"/{tail:.*}": handler})
    settings = fast_settings(per_host_concurrency=2)
    async with Fetcher(settings) as f:
        snap = await crawl_site(f, _target(srv.url + "/"), settings)
    blocked = [p for p in snap.pages if p.blocked == "waf"]
    assert 20 <= len(blocked) < 60
    assert any("停止采集" in n for n in snap.notes)
    assert not any(c.broken for c in snap.link_checks.values())


# --------------------------------------------------------------------------- traps
def trap_app() -> web.Application:
    async def handler(request: web.Request) -> web.Response:
        path, q = request.path, request.query
        links: list[str] = []
        if path == "/":
            links = ["/cal?year=2026&month=1", "/search?q=0", "/a/b/", "/calendar/2026/01/",
                     "/s.jsp", "/long/x"]
        elif path == "/cal":
            y, m = int(q["year"]), int(q["month"])
            y2, m2 = (y + 1, 1) if m == 12 else (y, m + 1)
            links = [f"/cal?year={y2}&month={m2}"]
        elif path.startswith("/calendar/"):
            y, m = (int(x) for x in path.strip("/").split("/")[1:3])
            y2, m2 = (y + 1, 1) if m == 12 else (y, m + 1)
            links = [f"/calendar/{y2}/{m2:02d}/"]
        elif path == "/search":
            n = int(q["q"])
            links = [f"/search?q={n * 10 + k}" for k in range(1, 6)]
        elif path.startswith("/a/b/"):
            links = ["a/b/", "x.html"]
        elif path.startswith("/s.jsp") or path.startswith("/t.php"):
            sid = uuid.uuid4().hex
            links = [f"/s.jsp;jsessionid={sid}", f"/t.php?PHPSESSID={sid}&x=1"]
        elif path.startswith("/long/"):
            links = [path + "x" * 50]
        body = "".join(f'<a href="{h}">l</a>' for h in links)
        return web.Response(text=f"<html><body>{body}</body></html>", content_type="text/html")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    return app


async def test_crawler_traps_terminate_with_notes(serve) -> None:
    srv = await serve(trap_app())
    settings = fast_settings(max_depth=200, max_pages=2000, per_host_concurrency=8)
    t0 = time.perf_counter()
    async with Fetcher(settings) as f:
        snap = await asyncio.wait_for(crawl_site(f, _target(srv.url + "/"), settings), 60)
    assert time.perf_counter() - t0 < 30
    assert not snap.budget_exhausted
    notes = "\n".join(snap.notes)
    for word in ("日历", "查询参数变体", "路径段重复", "长度超过", "会话标识"):
        assert word in notes, word
    urls = [p.url for p in snap.pages]
    assert len(urls) < 300
    assert not any("jsessionid" in u.lower() or "phpsessid" in u.lower() for u in urls)
    assert sum(1 for u in urls if u.endswith("/s.jsp")) == 1
    years = [int(m.group(1)) for u in urls if (m := re.search(r"year=(\d+)", u))]
    assert max(years) <= 2027 + 1
    assert all(u.count("/a/b") <= 2 for u in urls)
    assert all(len(u) <= settings.max_url_length for u in urls)


def test_strip_session_ids() -> None:
    assert strip_session_ids("http://h/a.jsp;jsessionid=ABC123?x=1") == "http://h/a.jsp?x=1"
    assert strip_session_ids("http://h/a.php?PHPSESSID=abc&x=1") == "http://h/a.php?x=1"
    assert strip_session_ids("http://h/a?sessionid=1") == "http://h/a"
    assert strip_session_ids("http://h/a?sid=0123456789abcdef0123&y=2") == "http://h/a?y=2"
    assert strip_session_ids("http://h/a?sid=3") == "http://h/a?sid=3"  # a site id, not a session
    assert strip_session_ids("http://h/plain") == "http://h/plain"


def test_trap_guard_rules() -> None:
    g = TrapGuard(CollectSettings(), 2026)
    assert g.check("http://h/" + "x" * 600) == "url_length"
    assert g.check("http://h/a/b/a/b/a/b/") == "repeated_segments"
    assert g.check("http://h/a/b/a/b/") is None
    assert g.check("http://h/cal?year=2031&month=5") == "calendar"
    assert g.check("http://h/calendar/2031/05") == "calendar"
    assert g.check("http://h/xwzx/2024/05/t20240501_1.html") is None  # a dated detail page
    assert g.check("http://h/ghjh/2035/index.html") is None  # 2035 远景目标: no month, no keyword
    results = [g.check(f"http://h/list?id={i}") for i in range(25)]
    assert results[:20] == [None] * 20 and results[20:] == ["query_variants"] * 5


# --------------------------------------------------------------------------- cache / resolve
async def test_external_link_checked_once_across_sites(serve) -> None:
    ext = await serve(ext_app())
    body = f'<html><body><a href="{ext.url}/shared.html">共享</a></body></html>'
    a = await serve({"/": body})
    b = await serve({"/": body})
    settings = fast_settings()
    async with Fetcher(settings) as f:
        snaps = await asyncio.gather(
            crawl_site(f, _target(a.url + "/"), settings),
            crawl_site(f, _target(b.url + "/"), settings),
        )
    for snap in snaps:
        assert snap.link_checks[ext.url + "/shared.html"].status == 200
    assert ext.hits("/shared.html") == 1


async def test_fake_hostnames_via_resolve_map(serve) -> None:
    async def home(request: web.Request) -> web.Response:
        port = request.url.port  # links spell the host in upper case and carry a fragment
        body = (f'<a href="/a.html">A</a><a href="http://WWW.TEST.GOV.CN:{port}/b.html#x">B</a>'
                '<a href="http://www.example.com/">外部</a>')
        return web.Response(text=f"<html><body>{body}</body></html>", content_type="text/html")

    srv = await serve({"/": home, "/a.html": "<html>a</html>", "/b.html": "<html>b</html>"})
    settings = fast_settings(resolve=(("www.test.gov.cn", ("127.0.0.1",)),))
    url = f"http://www.test.gov.cn:{srv.port}/"
    async with Fetcher(settings) as f:
        snap = await crawl_site(f, _target(url), settings)
    assert {p.url for p in snap.pages} == {url, url + "a.html", url + "b.html"}
    assert all(h["Host"] == f"www.test.gov.cn:{srv.port}" for _, _, h in srv.log)
    ext = snap.link_checks["http://www.example.com/"]
    assert ext.error == "offline" and ext.inconclusive == "offline" and not ext.broken


async def test_hostile_content_never_raises(serve) -> None:
    async def garbage(request: web.Request) -> web.Response:
        return web.Response(body=bytes(range(256)) * 50 + b"<a href='/x'>x</a>",
                            headers={"Content-Type": "text/html; charset=bogus-charset"})

    srv = await serve({"/": garbage, "/x": "<html>ok</html>"})
    settings = fast_settings()
    async with Fetcher(settings) as f:
        snap = await crawl_site(f, _target(srv.url + "/"), settings)
    assert snap.pages[0].ok and snap.pages[0].html
    assert snap.page(srv.url + "/x") is not None


def test_fast_join_agrees_with_urljoin() -> None:
    from xuncha.collect.crawl import _Joiner
    from xuncha.collect.http import canonical_url
    from xuncha.extract.html import absolute

    bases = ["http://h/a/b/c.html", "http://h/a/b/", "http://h/", "http://h/a/b/c.html?x=1",
             "http://h:8080/a/", "https://h/a"]
    hrefs = ["./x.html", "../x.html", "../../x.html", "../../../../x", ".", "..", "./", "../",
             "./?q=1", "../a/../b", "./x#f", "x.html", "/y", "//o/z", "?p=2", "#top",
             "../x?y=../z", "...html", ".hidden", "./a:b", "mailto:x", "javascript:;",
             "HTTP://H:80/Up", " ./sp.html ", "./中文.html", "../x/./y", "", "a\nb.html",
             "tel:123", "/./x", "x/../y"]
    for base in bases:
        join = _Joiner(base, canonical_url).join
        for href in hrefs:
            ref = absolute(base, href.replace("\n", ""))
            assert join(href) == (canonical_url(ref) if ref else None), (base, href)


async def test_bad_target_url_ends_with_a_note() -> None:
    settings = fast_settings()
    async with Fetcher(settings) as f:
        snap = await crawl_site(f, _target("ftp://www.test.gov.cn/"), settings)
    assert [p.error for p in snap.pages] == ["bad_url"] and snap.notes


async def test_robots_ignored_on_request(serve) -> None:
    ext = await serve(ext_app())
    site = await serve(gov_site(ext.url))
    settings = fast_settings(respect_robots=False)
    async with Fetcher(settings) as f:
        snap = await crawl_site(f, _target(site.url + "/"), settings)
    private = snap.page(site.url + "/private/x.html")
    assert private is not None and private.ok and snap.robots_ignored
    assert snap.robots_txt and "Disallow: /private/" in snap.robots_txt  # still recorded


async def test_external_links_can_be_left_alone(serve) -> None:
    ext = await serve(ext_app())
    site = await serve(gov_site(ext.url))
    settings = fast_settings(check_external_links=False, max_pages=5)
    async with Fetcher(settings) as f:
        snap = await crawl_site(f, _target(site.url + "/"), settings)
    assert not any(u.startswith(ext.url) for u in snap.link_checks)
    assert ext.log == []
