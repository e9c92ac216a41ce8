"""List pages, detail dates and home items (extract/lists.py)."""

from __future__ import annotations

import time
from datetime import date

from xuncha.extract.lists import (
    extract_detail_date,
    extract_list_items,
    home_items,
    scan_home,
)

AS_OF = date(2025, 3, 15)


def _dates(lp):
    return [(i.date, i.title) for i in lp.items]


# --------------------------------------------------------------------------- list pages
def test_trs_list_with_create_page_html(load) -> None:
    url = "http://www.mm.gov.cn/col/col123/index.html"
    lp = extract_list_items(load("trs_col_list.html"), url, AS_OF)
    assert [i.date for i in lp.items] == [date(2025, 3, 10), date(2025, 3, 8), date(2025, 3, 1), date(2025, 2, 20)]
    first = lp.items[0]
    # truncated title completed from title=""; absolute URL; list date source and raw text
    assert first.title == "市政府召开全市安全生产工作会议部署下一阶段重点任务"
    assert first.url == "http://www.mm.gov.cn/art/2025/3/10/art_123_456.html"
    assert (first.date_source, first.raw_date) == ("list", "2025-03-10")
    titles = {i.title for i in lp.items}
    # nothing from the header, nav, left sub-menu, 热点 sidebar or footer
    assert not titles & {"首页", "政务公开", "通知公告", "部门动态的列表页面", "市长热线回复情况汇总说明", "网站地图"}
    assert lp.next_pages == [f"http://www.mm.gov.cn/col/col123/index_{n}.html" for n in (1, 2, 3, 4)]
    assert lp.breadcrumb.endswith("首页 > 政务公开 > 政务动态")
    assert not lp.placeholder and not lp.no_info_note


def test_create_page_html_on_a_later_page_and_with_div_id() -> None:
    html = """<html><body><ul><li><a href="./t20250301_1.html">某某县召开春季农业生产现场会</a>
    <span>2025-03-01</span></li></ul>
    <script>createPageHTML('page_div', 3, 2, 'index', 'shtml', 45);</script></body></html>"""
    lp = extract_list_items(html, "http://x.gov.cn/a/index_2.shtml", AS_OF)
    assert lp.next_pages == ["http://x.gov.cn/a/index.shtml", "http://x.gov.cn/a/index_1.shtml"]


def test_guangdong_style_list_with_pagination_links(load) -> None:
    url = "http://www.qq.gov.cn/zwgk/tzgg/index.html"
    lp = extract_list_items(load("gd_tzgg_list.html"), url, AS_OF)
    assert len(lp.items) == 5
    assert lp.items[0].url == "http://www.qq.gov.cn/zwgk/tzgg/202503/t20250310_123.html"
    assert lp.items[0].title == "某某区关于2025年春季森林防火期野外用火管控的通告"
    assert lp.items[1].title == "某某区2025年第一批次公开招聘事业单位工作人员公告"  # "…" truncation
    assert lp.items[3].url.endswith(".pdf") and lp.items[3].date == date(2025, 2, 10)
    undated = lp.items[4]
    assert undated.date is None and undated.date_source == ""  # no list date: not invented
    assert lp.next_pages == [
        "http://www.qq.gov.cn/zwgk/tzgg/index_1.html",
        "http://www.qq.gov.cn/zwgk/tzgg/index_2.html",
        "http://www.qq.gov.cn/zwgk/tzgg/index_7.html",
    ]
    assert "规划计划" not in {i.title for i in lp.items}


def test_table_takes_the_publish_date_column(load) -> None:
    lp = extract_list_items(load("table_list.html"), "http://www.xx.gov.cn/zfxxgk/zcwj/", AS_OF)
    # 发布日期 column, not 成文日期 printed before it
    assert [i.date for i in lp.items] == [date(2025, 3, 12), date(2025, 2, 26), date(2024, 12, 30)]
    assert lp.items[0].title == "某某县人民政府关于印发2025年政府工作要点的通知"


def test_table_without_header_uses_first_date_outside_title() -> None:
    html = """<table><tr><td><a href="/a/1.html">关于2025年3月1日停水的通知</a></td><td>2025-02-27</td></tr>
    <tr><td><a href="/a/2.html">关于开展某项检查工作的通知</a></td><td>2025-02-20</td></tr></table>"""
    lp = extract_list_items(html, "http://x.gov.cn/a/", AS_OF)
    assert [i.date for i in lp.items] == [date(2025, 2, 27), date(2025, 2, 20)]


def test_bracket_dates_before_titles_across_new_year(load) -> None:
    lp = extract_list_items(load("bracket_dates.html"), "http://www.xx.gov.cn/gzdt/", date(2025, 1, 5))
    assert _dates(lp) == [
        (date(2025, 1, 3), "县长主持召开新年第一次常务会议"),
        (date(2024, 12, 30), "全县年终安全生产大检查启动"),
        (date(2024, 12, 28), "县委理论学习中心组举行集体学习"),
    ]
    assert lp.items[0].raw_date == "01-03"


def test_dates_after_titles_in_flat_markup() -> None:
    html = """<div class="list"><a href="/x/1.html">第一条信息的标题内容</a><span>2025-03-02</span><br>
    <a href="/x/2.html">第二条信息的标题内容</a><span>2025-03-01</span><br>
    <a href="/x/3.html">第三条信息的标题内容</a><br></div>"""
    lp = extract_list_items(html, "http://x.gov.cn/x/", AS_OF)
    assert [i.date for i in lp.items] == [date(2025, 3, 2), date(2025, 3, 1), None]


def test_dl_with_chinese_and_fullwidth_dates(load) -> None:
    lp = extract_list_items(load("dl_cn_dates.html"), "http://www.xx.gov.cn/bmdt/list.htm", AS_OF)
    assert [i.date for i in lp.items] == [date(2025, 3, 10), date(2025, 3, 2), date(2025, 2, 15)]
    assert lp.items[0].raw_date == "2025年3月10日"


def test_date_badges_inside_card_links(load) -> None:
    lp = extract_list_items(load("date_badge.html"), "http://www.xx.gov.cn/qxdt/", AS_OF)
    assert _dates(lp) == [
        (date(2025, 3, 10), "某某县召开农村人居环境整治推进会"),
        (date(2025, 2, 28), "某某区举办就业援助月专场招聘会"),
        (date(2025, 1, 20), "某某镇开展森林防火宣传活动"),
    ]


def test_a_title_that_starts_with_a_date_keeps_it() -> None:
    html = """<ul><li><a href="/a/1.html">3月10日，市长调研春耕备耕工作</a></li>
    <li><a href="/a/2.html">2025年3月9日全市召开某某会议</a></li></ul>"""
    lp = extract_list_items(html, "http://x.gov.cn/a/", AS_OF)
    assert [(i.title, i.date) for i in lp.items] == [
        ("3月10日，市长调研春耕备耕工作", None), ("2025年3月9日全市召开某某会议", None)]


def test_date_ending_the_link_text() -> None:
    html = """<ul><li><a href="/a/1.html">关于某某事项的公示 2025-03-10</a></li>
    <li><a href="/a/2.html">[03-09] 关于另一事项的公告</a></li></ul>"""
    lp = extract_list_items(html, "http://x.gov.cn/a/", AS_OF)
    assert _dates(lp) == [(date(2025, 3, 10), "关于某某事项的公示"), (date(2025, 3, 9), "关于另一事项的公告")]


def test_gbk_origin_page(load) -> None:
    lp = extract_list_items(load("gbk_rsxx.html"), "http://www.mm.gov.cn/zwgk/rsxx/", AS_OF)
    assert _dates(lp) == [
        (date(2024, 12, 1), "某某市人民政府关于某某同志职务任免的通知"),
        (date(2024, 6, 18), "某某市人民政府关于公布2024年公务员招录体检结果的公告"),
    ]
    assert lp.declared_cycle == "year"  # 本栏目信息每年更新
    assert "人事信息" in lp.breadcrumb


def test_messy_markup(load) -> None:
    lp = extract_list_items(load("messy.html"), "http://www.xx.gov.cn/xxgk/index.asp", AS_OF)
    assert [i.date for i in lp.items] == [date(2025, 3, 9), date(2025, 3, 1), date(2025, 1, 20)]
    assert lp.items[0].url == "http://www.xx.gov.cn/xxgk/show.asp?id=88"
    # the old item of the "hot" side block is not this column's content
    assert all("旧闻" not in i.title for i in lp.items)
    assert lp.next_pages == ["http://www.xx.gov.cn/xxgk/index.asp?page=2", "http://www.xx.gov.cn/xxgk/index.asp?page=3"]


def test_hanweb_xml_records(load) -> None:
    lp = extract_list_items(load("hanweb_xml.html"), "http://www.xx.gov.cn/col/col124/index.html", AS_OF)
    assert _dates(lp) == [
        (date(2025, 3, 12), "关于2025年清明节期间文明祭扫的通告"),
        (date(2025, 2, 27), "关于开展2025年度食品安全抽检的公告"),
    ]
    assert not lp.placeholder


def test_blank_column_placeholder(load) -> None:
    lp = extract_list_items(load("blank_column.html"), "http://www.xx.gov.cn/zwgk/ghjh/", AS_OF)
    assert lp.items == []
    assert lp.placeholder and not lp.no_info_note
    assert lp.heading == "规划计划"


def test_under_construction_placeholder(load) -> None:
    lp = extract_list_items(load("placeholder_building.html"), "http://www.xx.gov.cn/sjfb/", AS_OF)
    assert lp.items == [] and lp.placeholder and not lp.no_info_note


def test_empty_list_without_any_text_is_a_placeholder() -> None:
    lp = extract_list_items("<html><body><ul class='list'></ul></body></html>", "http://x.gov.cn/a/", AS_OF)
    assert lp.items == [] and lp.placeholder


def test_explanatory_no_info_note_is_not_blank(load) -> None:
    lp = extract_list_items(load("no_info_column.html"), "http://www.xx.gov.cn/zwgk/ysqgk/", AS_OF)
    assert lp.items == []
    assert lp.no_info_note and not lp.placeholder


def test_no_info_note_variants() -> None:
    for text in ("本单位无此类信息。", "无。说明：本年度未制发规范性文件。", "本局2024年度没有产生相关信息。",
                 "本部门不涉及此项内容", "说明：本单位不承担行政强制职能，本栏目无相关信息。"):
        lp = extract_list_items(f"<html><body><div class='c'><p>{text}</p></div></body></html>",
                                "http://x.gov.cn/a/", AS_OF)
        assert lp.no_info_note, text
    for text in ("本栏目暂无相关信息", "暂无信息", "暂无数据"):
        lp = extract_list_items(f"<html><body><div class='c'><p>{text}</p></div></body></html>",
                                "http://x.gov.cn/a/", AS_OF)
        assert not lp.no_info_note and lp.placeholder, text


def test_short_real_page_is_not_a_placeholder() -> None:
    # a genuinely short single-page column (about 100 characters) is content, not a blank column
    text = "青山市统计局负责全市统计调查和统计监督工作，组织实施人口、经济、农业等重大国情国力普查，" * 2
    lp = extract_list_items(f"<html><body><div class='c'><p>{text}</p></div></body></html>",
                            "http://x.gov.cn/zwgk/jgzn/", AS_OF)
    assert lp.items == [] and not lp.placeholder


def test_single_article_column_is_not_a_placeholder(load) -> None:
    lp = extract_list_items(load("column_jgzn.html"), "http://www.mm.gov.cn/zwgk/jgzn/", AS_OF)
    assert lp.items == [] and lp.has_article and not lp.placeholder


def test_declared_cycles() -> None:
    def cycle(text: str) -> str | None:
        html = f"<html><head><title>{text}</title></head><body><div class='c'><h2>{text}</h2></div></body></html>"
        return extract_list_items(html, "http://x.gov.cn/a/", AS_OF).declared_cycle

    assert cycle("统计月报") == "month"
    assert cycle("本栏目每月更新") == "month"
    assert cycle("经济运行季报") == "quarter"
    assert cycle("每季度公开") == "quarter"
    assert cycle("政府信息公开年报") == "year"
    assert cycle("统计月报、季报、年报") == "month"  # the shortest declared cycle
    assert cycle("通知公告") is None


def test_link_words_are_never_items() -> None:
    html = """<div class="list"><ul><li><a href="/a/1.html">一条正常信息的标题</a><span>2025-03-01</span></li></ul>
    <a href="/a/">更多&gt;&gt;</a> <a href="/a/index_1.html">下一页</a> <a href="/">首页</a> <a href="/a/index_1.html">2</a></div>"""
    lp = extract_list_items(html, "http://x.gov.cn/a/", AS_OF)
    assert [i.title for i in lp.items] == ["一条正常信息的标题"]
    assert lp.next_pages == ["http://x.gov.cn/a/index_1.html"]


def test_no_pagination_out_of_the_folder() -> None:
    html = """<ul><li><a href="/a/1.html">一条正常信息的标题</a><span>2025-03-01</span></li></ul>
    <div class="page"><a href="/other/index_1.html">2</a><a href="javascript:next()">下一页</a></div>"""
    assert extract_list_items(html, "http://x.gov.cn/a/", AS_OF).next_pages == []


def test_large_page_is_fast() -> None:
    rows = "".join(
        f'<li><a href="/art/2025/3/1/art_1_{i}.html" title="第{i}条信息的完整标题">第{i}条信息的标题...</a>'
        f"<span>2025-03-01</span></li>"
        for i in range(9000)
    )
    html = (
        "<html><body><div class='nav'>" + "<a href='/c/'>栏目</a>" * 50 + "</div>"
        f"<div class='list'><ul>{rows}</ul></div><div class='footer'>版权所有</div></body></html>"
    )
    assert len(html) > 1_000_000
    t0 = time.process_time()
    lp = extract_list_items(html, "http://x.gov.cn/col/col1/index.html", AS_OF)
    elapsed = time.process_time() - t0
    assert len(lp.items) == 9000 and lp.items[0].title == "第0条信息的完整标题"
    assert elapsed < 2.0, elapsed  # ~0.6 s for this worst case (9000 rows) on a shared 2-core box


def test_typical_one_megabyte_page_is_fast() -> None:
    rows = "".join(
        f'<li><a href="/art/2025/3/1/art_1_{i}.html">第{i}条信息的标题内容</a><span>2025-03-01</span></li>'
        for i in range(60)
    )
    nav = "<div class='nav'><ul>" + "".join(
        f"<li><a href='/c{i}/'>栏目{i}</a><ul>"
        + "".join(f"<li><a href='/c{i}/s{j}/'>子栏目{j}</a></li>" for j in range(10))
        + "</ul></li>"
        for i in range(50)
    ) + "</ul></div>"
    script = "<script>var x='" + "a" * 900_000 + "';</script><style>" + ".a{color:red}" * 5000 + "</style>"
    body = "".join(f"<div class='block'><p>段落{i}" + "文字" * 40 + "</p></div>" for i in range(300))
    html = f"<html><head>{script}</head><body>{nav}<div class='list'><ul>{rows}</ul></div>{body}</body></html>"
    assert len(html) > 1_000_000
    t0 = time.process_time()
    lp = extract_list_items(html, "http://x.gov.cn/col/", AS_OF)
    items, _ = scan_home(html, "http://x.gov.cn/", AS_OF)
    elapsed = time.process_time() - t0
    assert len(lp.items) == 60 and len(items) == 60
    assert elapsed < 0.8, elapsed  # ~0.1 s measured


# --------------------------------------------------------------------------- detail pages
def test_detail_date_from_meta(load) -> None:
    assert extract_detail_date(load("detail_meta.html"), "http://x.gov.cn/a/1.html", AS_OF) == (
        date(2025, 3, 10), "meta")


def test_detail_date_from_label_not_header_today(load) -> None:
    got = extract_detail_date(load("detail_label.html"), "http://x.gov.cn/a/1.html", AS_OF)
    assert got == (date(2025, 3, 3), "detail")  # 发布日期, not 成文日期 nor 今天 in the header


def test_detail_date_after_the_title(load) -> None:
    got = extract_detail_date(load("detail_header_date.html"), "http://x.gov.cn/a/1.html", AS_OF)
    assert got == (date(2025, 1, 20), "detail")  # not the side list's 2025-03-14 nor 今天是


def test_detail_date_from_url_last(load) -> None:
    html = load("detail_none.html")
    assert extract_detail_date(html, "http://x.gov.cn/a/202502/t20250201_1.html", AS_OF) == (
        date(2025, 2, 1), "url")
    assert extract_detail_date(html, "http://x.gov.cn/a/1.html", AS_OF) == (None, "")


# --------------------------------------------------------------------------- home page
def test_home_items_every_block_and_hidden_tab(load) -> None:
    items = home_items(load("home_tabs.html"), "http://www.mm.gov.cn/", AS_OF)
    got = {i.url.rsplit("/", 1)[-1]: i.date for i in items}
    assert got == {
        "t20250312_501.html": date(2025, 3, 12),  # carousel (image alt title)
        "t20250311_500.html": date(2025, 3, 11),
        "t20250309_499.html": date(2025, 3, 9),
        "t20250225_321.html": date(2025, 2, 25),  # hidden tab
        "t20241201_88.html": date(2024, 12, 1),
    }
    # footer links and the logo are not items
    assert all("旧新闻" not in i.title for i in items)
    carousel = next(i for i in items if i.url.endswith("t20250312_501.html"))
    assert carousel.title == "市委常委会召开会议传达学习全国两会精神"


def test_navigation_only_home(load) -> None:
    items, has_content = scan_home(load("home_nav_only.html"), "http://www.tjj.gov.cn/", AS_OF)
    assert items == [] and not has_content
    _, has_content = scan_home(load("home_tabs.html"), "http://www.mm.gov.cn/", AS_OF)
    assert has_content


def test_home_with_undated_content_is_not_navigation_only() -> None:
    html = """<html><body><div class="nav"><a href="/a/">栏目一</a></div><div class="news"><ul>
    <li><a href="/a/1.html">市政府召开全市安全生产工作会议</a></li>
    <li><a href="/a/2.html">副市长调研春耕备耕工作情况</a></li></ul></div></body></html>"""
    items, has_content = scan_home(html, "http://x.gov.cn/", AS_OF)
    assert has_content
    assert [i.date for i in items] == [None, None]
    assert home_items(html, "http://x.gov.cn/", AS_OF) == []


def _rows(prefix: str, n: int, dated: bool = True) -> str:
    return "".join(
        f'<li><a href="/{prefix}/{k}.html">{prefix}栏目的第{k}条信息标题</a>'
        + (f"<span>2025-03-{1 + k:02d}</span>" if dated else "") + "</li>"
        for k in range(n)
    )


def test_side_lists_do_not_lend_their_dates() -> None:
    # a small main list beside a bigger dated "latest" list in the left column
    html = (f"<div class='left'><ul>{_rows('side', 10)}</ul></div>"
            f"<div class='right'><div class='list'><ul>{_rows('main', 3)}</ul></div></div>")
    lp = extract_list_items(html, "http://x.gov.cn/main/", AS_OF)
    assert {i.url.split("/")[3] for i in lp.items} == {"main"}
    # 热点排行 is never the main list when another exists
    html = f"<div class='hot'><ul>{_rows('hot', 10)}</ul></div><div class='c'><ul>{_rows('main', 2, False)}</ul></div>"
    lp = extract_list_items(html, "http://x.gov.cn/main/", AS_OF)
    assert {i.url.split("/")[3] for i in lp.items} == {"main"}


def test_main_list_in_a_left_worded_container() -> None:
    html = (f"<div class='con-left'><ul>{_rows('main', 15)}</ul></div>"
            f"<div class='con-right'><ul>{_rows('other', 5, False)}</ul></div>")
    lp = extract_list_items(html, "http://x.gov.cn/main/", AS_OF)
    assert sum(1 for i in lp.items if "/main/" in i.url) == 15


def test_future_list_dates_are_kept() -> None:
    html = f"<ul><li><a href='/a/1.html'>一条发布日期在未来的信息</a><span>2025-12-31</span></li>{_rows('a', 2)}</ul>"
    lp = extract_list_items(html, "http://x.gov.cn/a/", AS_OF)
    assert lp.items[0].date == date(2025, 12, 31)  # W.VETO.FRAUD evidence, not dropped


def test_detail_date_ignores_logo_heading_and_today() -> None:
    html = """<html><body><div class="wrap"><h1 class="site">某某县人民政府</h1>
    <div class="date-bar">今天是：2025年3月15日 星期六</div>
    <div class="con"><div class="art"><h2>某某县召开某某工作推进会</h2>
    <div class="info">来源：县政府办 2025-02-20 点击：100</div><p>正文……</p></div></div></div></body></html>"""
    assert extract_detail_date(html, "http://x.gov.cn/a/1.html", AS_OF) == (date(2025, 2, 20), "detail")
    html = """<html><body><table><tr><td>发布日期：</td><td>2025-01-08</td><td>访问时间：</td>
    <td>2025-03-15</td></tr></table><h3>标题</h3></body></html>"""
    assert extract_detail_date(html, "http://x.gov.cn/a/1.html", AS_OF) == (date(2025, 1, 8), "detail")
