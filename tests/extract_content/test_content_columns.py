"""The column tree of a crawled site (extract/columns.py)."""

from __future__ import annotations

import time
from datetime import date

import pytest

from xuncha.extract.columns import ColumnsResult, build_columns
from xuncha.model import Column, Page

AS_OF = date(2025, 3, 15)
H = "http://www.mm.gov.cn"

XQDT = """<html><body><div class="nav"><a href="/">首页</a></div><div class="list"><ul>
<li><a href="/xwzx/xqdt/202503/t20250313_1.html">某某县召开春季农业生产现场会</a><span>2025-03-13</span></li>
</ul></div><script>createPageHTML(3, 0, "index", "html");</script></body></html>"""
XQDT_1 = """<html><body><div class="list"><ul>
<li><a href="/xwzx/xqdt/202502/t20250201_0.html">某某区开展节前安全生产大检查</a><span>2025-02-01</span></li>
</ul></div><script>createPageHTML(3, 1, "index", "html");</script></body></html>"""
ZWYW = """<html><body><div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xwzx/">新闻中心</a> &gt; 政务要闻</div>
<div class="list"><ul>
<li><a href="/xwzx/zwyw/a1.html">市政府召开全市安全生产工作会议</a></li>
<li><a href="/xwzx/zwyw/a2.html">关于印发某某办法的通知</a></li>
<li><a href="/xwzx/zwyw/202503/t20250301_3.html">全市经济运行情况分析会召开</a></li>
<li><a href="/xwzx/zwyw/a4.html">没有日期也没有详情页的条目</a></li>
</ul></div></body></html>"""
ZTZL = """<html><body><div class="list"><ul><li><a href="/ztzl/yhyshj/">优化营商环境专题</a></li></ul></div></body></html>"""
ZT_GZDT = """<html><body><div class="list"><ul><li><a href="/ztzl/yhyshj/gzdt/t20230101_1.html">营商环境工作动态一则消息</a>
<span>2023-01-01</span></li></ul></div></body></html>"""
SOFT_404 = """<html><head><title>404</title></head><body><div class="c">对不起，您访问的页面不存在！</div></body></html>"""


@pytest.fixture
def site(load, make_snapshot) -> ColumnsResult:
    pages = [
        Page(url=H + "/", html=load("home_tabs.html"), status=200, role="home"),
        Page(url=H + "/wzdt/", html=load("sitemap.html"), status=200, role="other"),
        Page(url=H + "/zwgk/", html=load("column_parent.html"), status=200, role="column"),
        Page(url=H + "/zwgk/jgzn/", html=load("column_jgzn.html"), status=200, role="column"),
        Page(url=H + "/zwgk/ghjh/", html=load("blank_column.html"), status=200, role="column"),
        Page(url=H + "/zwgk/ysqgk/", html=load("no_info_column.html"), status=200, role="column"),
        Page(url=H + "/zwgk/rsxx/", html=load("gbk_rsxx.html"), status=200, role="column", encoding="gbk"),
        Page(url=H + "/zwgk/tzgg/", final_url=H + "/zwgk/tzgg/index.html", html=load("gd_tzgg_list.html"),
             status=200, role="column"),
        Page(url=H + "/zwgk/zcwj/", html=load("table_list.html"), status=200, role="column"),
        Page(url=H + "/xwzx/bmdt/", html=load("dl_cn_dates.html"), status=200, role="column"),
        Page(url=H + "/xwzx/xqdt/", html=XQDT, status=200, role="column"),
        Page(url=H + "/xwzx/xqdt/index_1.html", html=XQDT_1, status=200, role="pagination"),
        Page(url=H + "/xwzx/zwyw/", html=ZWYW, status=200, role="other"),
        Page(url=H + "/xwzx/zwyw/a1.html", html=load("detail_meta.html"), status=200, role="detail"),
        Page(url=H + "/xwzx/zwyw/a2.html", html=load("detail_label.html"), status=200, role="detail"),
        Page(url=H + "/bsfw/", status=404, html="<html><body>Not Found</body></html>", role="column"),
        Page(url=H + "/hdjl/", status=200, html=SOFT_404, role="column"),
        Page(url=H + "/ztzl/", html=ZTZL, status=200, role="column"),
        Page(url=H + "/ztzl/yhyshj/gzdt/", html=ZT_GZDT, status=200, role="column"),
        Page(url=H + "/xwzx/", error="timeout", role="column"),
    ]
    return build_columns(make_snapshot(H + "/", pages), AS_OF)


def _col(res: ColumnsResult, path: str) -> Column:
    for c in res.columns:
        if c.url == H + path:
            return c
    raise AssertionError(f"no column {path}: {[c.url for c in res.columns]}")


def test_discovery_and_levels(site: ColumnsResult) -> None:
    urls = [c.url.removeprefix(H) for c in site.columns]
    # nav first (top links, then their dropdowns), then site map and 更多 blocks, then left menus
    assert urls[:7] == ["/xwzx/", "/xwzx/zwyw/", "/xwzx/bmdt/", "/zwgk/", "/zwgk/tzgg/", "/zwgk/zcwj/", "/bsfw/"]
    assert set(urls) == {
        "/xwzx/", "/xwzx/zwyw/", "/xwzx/bmdt/", "/xwzx/xqdt/", "/zwgk/", "/zwgk/tzgg/", "/zwgk/zcwj/",
        "/zwgk/rsxx/", "/zwgk/ysqgk/", "/zwgk/ghjh/", "/zwgk/jgzn/", "/bsfw/", "/hdjl/", "/ztzl/",
        "/ztzl/yhyshj/", "/ztzl/yhyshj/gzdt/",
    }
    # excluded: 首页, the external 中国政府网 and English site, 网站地图/无障碍, article links
    assert len(urls) == len(set(urls))
    assert _col(site, "/xwzx/").level == 1 and _col(site, "/xwzx/").parent_url is None
    assert (_col(site, "/xwzx/zwyw/").level, _col(site, "/xwzx/zwyw/").parent_url) == (2, H + "/xwzx/")
    assert (_col(site, "/xwzx/xqdt/").level, _col(site, "/xwzx/xqdt/").parent_url) == (2, H + "/xwzx/")
    # 人事信息 is a 更多 block on the home page but the site map nests it under 政务公开
    assert (_col(site, "/zwgk/rsxx/").level, _col(site, "/zwgk/rsxx/").parent_url) == (2, H + "/zwgk/")
    # 机构职能 only appears in 政务公开's left menu
    assert (_col(site, "/zwgk/jgzn/").level, _col(site, "/zwgk/jgzn/").parent_url) == (2, H + "/zwgk/")
    assert _col(site, "/ztzl/").level == 1
    assert site.sitemap_url == H + "/wzdt/"


def test_classes(site: ColumnsResult) -> None:
    assert (_col(site, "/xwzx/zwyw/").cls, _col(site, "/xwzx/zwyw/").cls_rule) == ("NEWS", "name:政务要闻")
    assert _col(site, "/zwgk/tzgg/").cls == "NOTICE"
    assert _col(site, "/zwgk/zcwj/").cls == "POLICY"
    assert _col(site, "/zwgk/rsxx/").cls == "PERIODIC"
    assert _col(site, "/zwgk/ghjh/").cls == "PERIODIC"
    assert _col(site, "/zwgk/jgzn/").cls == "OVERVIEW"
    assert _col(site, "/bsfw/").cls == "SERVICE"
    assert _col(site, "/ztzl/").cls == "SPECIAL"


def test_special_topics(site: ColumnsResult) -> None:
    gzdt = _col(site, "/ztzl/yhyshj/gzdt/")
    assert gzdt.in_special
    assert (gzdt.cls, gzdt.cls_rule) == ("SPECIAL", "special:name:工作动态")  # §5: judged as SPECIAL
    assert not _col(site, "/ztzl/").in_special
    assert not _col(site, "/xwzx/zwyw/").in_special


def test_items_and_dates(site: ColumnsResult) -> None:
    zwyw = _col(site, "/xwzx/zwyw/")
    got = [(i.url.removeprefix(H), i.date, i.date_source) for i in zwyw.items]
    assert got == [
        ("/xwzx/zwyw/a1.html", date(2025, 3, 10), "meta"),  # PubDate of the crawled detail page
        ("/xwzx/zwyw/a2.html", date(2025, 3, 3), "detail"),  # 发布日期 label
        ("/xwzx/zwyw/202503/t20250301_3.html", date(2025, 3, 1), "url"),  # not crawled: URL date
        ("/xwzx/zwyw/a4.html", None, ""),  # nothing: stays undated
    ]
    assert zwyw.newest == date(2025, 3, 10)
    tzgg = _col(site, "/zwgk/tzgg/")  # crawled under its final URL .../index.html
    assert tzgg.pages_seen == 1 and len(tzgg.items) == 5
    assert tzgg.items[0].url == H + "/zwgk/tzgg/202503/t20250310_123.html"
    assert tzgg.items[0].date_source == "list"


def test_pagination_pages_in_snapshot(site: ColumnsResult) -> None:
    xqdt = _col(site, "/xwzx/xqdt/")
    assert xqdt.pages_seen == 2  # index.html + index_1.html (index_2.html not crawled)
    assert [i.date for i in xqdt.items] == [date(2025, 3, 13), date(2025, 2, 1)]


def test_reachability(site: ColumnsResult) -> None:
    bsfw = _col(site, "/bsfw/")
    assert (bsfw.reachable, bsfw.status, bsfw.blank) == (False, 404, False)
    assert not _col(site, "/hdjl/").reachable  # soft 404: 200 with 页面不存在
    xwzx = _col(site, "/xwzx/")
    assert not xwzx.reachable  # fetch error
    not_crawled = _col(site, "/ztzl/yhyshj/")
    assert (not_crawled.reachable, not_crawled.pages_seen, not_crawled.blank) == (True, 0, False)


def test_blank_and_notes(site: ColumnsResult) -> None:
    ghjh = _col(site, "/zwgk/ghjh/")
    assert ghjh.blank and ghjh.pages_seen == 1 and ghjh.items == []
    ysqgk = _col(site, "/zwgk/ysqgk/")
    assert ysqgk.no_info_note and not ysqgk.blank
    assert not _col(site, "/zwgk/jgzn/").blank  # single-article column
    assert not _col(site, "/zwgk/").blank  # parent column page of entries to sub-columns
    assert not _col(site, "/ztzl/").blank  # its only link leads to a sub-column, but it has children
    assert _col(site, "/zwgk/rsxx/").declared_cycle == "year"
    assert [c.url.removeprefix(H) for c in site.columns if c.blank] == ["/zwgk/ghjh/"]


def test_home_items(site: ColumnsResult) -> None:
    assert not site.home_is_navigation_only
    dates = sorted((i.date for i in site.home_items), reverse=True)
    assert dates == [date(2025, 3, 12), date(2025, 3, 11), date(2025, 3, 9), date(2025, 2, 25), date(2024, 12, 1)]
    assert all(i.date is not None for i in site.home_items)


def test_navigation_only_home(load, make_snapshot) -> None:
    home = "http://www.tjj.gov.cn/"
    pages = [
        Page(url=home, html=load("home_nav_only.html"), status=200, role="home"),
        Page(url=home + "tzgg/", html=load("gd_tzgg_list.html"), status=200, role="column"),
    ]
    res = build_columns(make_snapshot(home, pages), AS_OF)
    assert res.home_is_navigation_only
    assert res.home_items == []
    assert [c.name for c in res.columns] == ["机构职能", "统计数据", "通知公告"]
    assert all(c.level == 1 for c in res.columns)
    assert len(res.columns[2].items) == 5


def test_overrides(load, make_snapshot) -> None:
    home = "http://www.tjj.gov.cn/"
    pages = [Page(url=home, html=load("home_nav_only.html"), status=200, role="home")]
    res = build_columns(make_snapshot(home, pages), AS_OF,
                        overrides={home + "tjsj/": "NEWS", "机构职能": "OTHER"})
    by_name = {c.name: (c.cls, c.cls_rule) for c in res.columns}
    assert by_name["统计数据"] == ("NEWS", "override")
    assert by_name["机构职能"] == ("OTHER", "override")
    assert by_name["通知公告"] == ("NOTICE", "name:通知公告")


def test_breadcrumb_classifies_unnamed_structure(make_snapshot) -> None:
    home = "http://www.x.gov.cn/"
    home_html = """<html><body><div class="nav"><a href="/col/col11/index.html">栏目甲乙</a></div>
    <div class="c"><ul><li><a href="/art/2025/3/1/art_11_1.html">某某会议召开的一则消息</a><span>2025-03-01</span></li></ul></div>
    </body></html>"""
    col_html = """<html><body><div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/col/col10/">政务公开</a>
    &gt; <a href="/col/col11/index.html">通知公告</a></div><ul class="list"><li><a href="/art/2025/3/1/art_11_1.html">
    某某会议召开的一则消息</a><span>2025-03-01</span></li></ul></body></html>"""
    pages = [Page(url=home, html=home_html, status=200, role="home"),
             Page(url=home + "col/col11/index.html", html=col_html, status=200, role="column")]
    res = build_columns(make_snapshot(home, pages), AS_OF)
    (col,) = res.columns
    assert (col.cls, col.cls_rule, col.confidence) == ("NOTICE", "breadcrumb:通知公告", 0.75)


def test_blocked_and_empty_inputs(make_snapshot) -> None:
    home = "http://www.x.gov.cn/"
    assert build_columns(make_snapshot(home, []), AS_OF).columns == []
    down = build_columns(make_snapshot(home, [Page(url=home, error="timeout")]), AS_OF)
    assert down.columns == [] and not down.home_is_navigation_only
    home_html = """<html><body><div class="nav"><a href="/tzgg/">通知公告</a><a href="/zwdt/">政务动态</a></div></body></html>"""
    pages = [Page(url=home, html=home_html, status=200),
             Page(url=home + "tzgg/", status=403, blocked="waf"),
             Page(url=home + "zwdt/", status=200, html="")]
    res = build_columns(make_snapshot(home, pages), AS_OF)
    tzgg, zwdt = res.columns
    assert (tzgg.reachable, tzgg.pages_seen, tzgg.blank) == (True, 0, False)  # WAF: inconclusive
    assert (zwdt.reachable, zwdt.pages_seen, zwdt.blank) == (True, 1, True)  # empty 200 body


def test_other_hosts_and_articles_are_not_columns(make_snapshot) -> None:
    home = "http://www.x.gov.cn/"
    home_html = """<html><body><div class="nav"><a href="/">网站首页</a><a href="http://x.gov.cn/zwgk/">政务公开</a>
    <a href="http://www.sc.gov.cn/">四川省人民政府</a><a href="/files/a.pdf">下载文件</a>
    <a href="/zwgk/202503/t20250301_1.html">一篇文章</a><a href="/index.html">首 页</a></div></body></html>"""
    res = build_columns(make_snapshot(home, [Page(url=home, html=home_html, status=200)]), AS_OF)
    assert [c.url for c in res.columns] == ["http://x.gov.cn/zwgk/"]  # www-less host is the same site


def _big_site(n_columns: int = 50) -> list[Page]:
    names = [f"{'甲乙丙丁戊己庚辛壬癸'[i % 10]}{'子丑寅卯辰巳午未申酉'[i // 10]}工作动态" for i in range(n_columns)]
    nav = "".join(f'<li><a href="/c{i}/">{names[i]}</a></li>' for i in range(n_columns))
    home = f"""<html><body><div class="nav"><ul>{nav}</ul></div><div class="c"><ul>
    <li><a href="/c0/t20250301_1.html">首页上的一条信息标题</a><span>2025-03-01</span></li></ul></div></body></html>"""
    pages = [Page(url="http://www.big.gov.cn/", html=home, status=200, role="home")]
    filler = "<p>" + "说明文字" * 300 + "</p>"
    for i in range(n_columns):
        for p in range(4):
            rows = "".join(
                f'<li><a href="/c{i}/a{p}_{k}.html">第{i}栏目第{p}页第{k}条信息的标题</a>'
                + ("" if k % 3 == 0 else f"<span>2025-0{1 + k % 3}-1{k % 9}</span>")
                + "</li>"
                for k in range(20)
            )
            name = "index.html" if p == 0 else f"index_{p}.html"
            html = (f"<html><body><div class='nav'>{nav}</div><div class='left'><a href='/c{i}/'>本栏目</a></div>"
                    f"<div class='list'><ul>{rows}</ul></div><script>createPageHTML(4, {p}, 'index', 'html');"
                    f"</script>{filler}</body></html>")
            pages.append(Page(url=f"http://www.big.gov.cn/c{i}/{name}", html=html, status=200, role="column"))
        for k in (0, 3, 6, 9):
            pages.append(Page(url=f"http://www.big.gov.cn/c{i}/a0_{k}.html", status=200, role="detail",
                              html="<html><head><meta name='PubDate' content='2025-03-02'></head>"
                                   f"<body><h1>标题</h1>{filler}</body></html>"))
    return pages


def test_four_hundred_page_site_is_fast(make_snapshot) -> None:
    pages = _big_site()
    assert len(pages) >= 400
    snap = make_snapshot("http://www.big.gov.cn/", pages)
    t0 = time.process_time()
    res = build_columns(snap, AS_OF)
    elapsed = time.process_time() - t0
    assert len(res.columns) == 50
    c0 = res.columns[0]
    assert c0.pages_seen == 4 and len(c0.items) == 80
    assert sum(1 for i in c0.items if i.date_source == "meta") == 4
    # CPU time: ~0.7 s on the shared 2-core CI box, whose Python runs a 10M-step loop in 2.3 s
    # (a laptop: ~0.5 s), i.e. ~0.15 s on ordinary hardware. The bound guards against regressions.
    assert elapsed < 2.0, elapsed


def test_frameset_or_refresh_home_is_followed(load, make_snapshot) -> None:
    home = "http://www.old.gov.cn/"
    for stub in (
        '<html><frameset rows="100%"><frame src="/main.htm"></frameset></html>',
        '<html><head><meta http-equiv="refresh" content="0; url=/main.htm"></head><body></body></html>',
        "<html><body><script>window.location.href='/main.htm';</script></body></html>",
    ):
        pages = [Page(url=home, html=stub, status=200, role="home"),
                 Page(url=home + "main.htm", html=load("home_tabs.html"), status=200, role="other")]
        res = build_columns(make_snapshot(home, pages), AS_OF)
        assert len(res.home_items) == 5, stub
        assert any(c.name == "新闻中心" for c in res.columns)
        assert all(c.url != home + "main.htm" for c in res.columns)


def test_column_redirected_to_home_is_unreachable(make_snapshot) -> None:
    home = "http://www.x.gov.cn/"
    home_html = """<html><body><div class="nav"><a href="/tzgg/">通知公告</a></div>
    <ul><li><a href="/a/1.html">首页上的一条信息标题</a><span>2025-03-01</span></li></ul></body></html>"""
    pages = [Page(url=home, html=home_html, status=200),
             Page(url=home + "tzgg/", final_url=home + "index.html", html=home_html, status=200)]
    (col,) = build_columns(make_snapshot(home, pages), AS_OF).columns
    assert not col.reachable and col.items == [] and not col.blank


def test_items_that_are_column_links_are_dropped(make_snapshot) -> None:
    home = "http://www.x.gov.cn/"
    home_html = """<html><body><div class="nav"><a href="/zwgk/">政务公开</a><a href="/zwgk/zfwj/">政府文件汇编</a>
    </div></body></html>"""
    # the parent column page lists its sub-columns with long names: navigation, not content
    col_html = """<html><body><div class="box"><ul><li><a href="/zwgk/zfwj/">政府文件汇编与规范性文件</a></li>
    <li><a href="/zwgk/bmwj/">部门文件汇编与规范性文件</a></li></ul></div></body></html>"""
    pages = [Page(url=home, html=home_html, status=200), Page(url=home + "zwgk/", html=col_html, status=200)]
    res = build_columns(make_snapshot(home, pages), AS_OF)
    zwgk = res.columns[0]
    assert zwgk.url == home + "zwgk/"
    assert zwgk.items == []
    # 部门文件 lies below /zwgk/: found as its second-level column
    assert [(c.url, c.level, c.parent_url) for c in res.columns[1:]] == [
        (home + "zwgk/zfwj/", 1, None), (home + "zwgk/bmwj/", 2, home + "zwgk/")]
    assert not zwgk.blank  # it has a sub-column


def test_unmarked_navigation_bar(make_snapshot) -> None:
    home = "http://www.x.gov.cn/"
    home_html = """<html><body><div id="lm1"><ul><li><a href="/">首页</a></li><li><a href="/xwzx/">新闻中心</a></li>
    <li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
    <div class="c"><ul><li><a href="/xwzx/1.html">一条新闻的标题内容</a><span>2025-03-01</span></li></ul></div></body></html>"""
    res = build_columns(make_snapshot(home, [Page(url=home, html=home_html, status=200)]), AS_OF)
    assert [c.name for c in res.columns] == ["新闻中心", "政务公开", "办事服务", "互动交流"]
    # fewer than four short links is not a navigation bar
    home_html = """<html><body><div><a href="/xwzx/">新闻中心</a><a href="/zwgk/">政务公开</a></div></body></html>"""
    res = build_columns(make_snapshot(home, [Page(url=home, html=home_html, status=200)]), AS_OF)
    assert res.columns == []
