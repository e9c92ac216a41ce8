"""extract/guides.py: 办事指南 categories (§6) and service entries (W.VETO.SERVICE, W.SVC.GUIDE)."""

from __future__ import annotations

from datetime import datetime

import pytest

from xuncha.extract.guides import build_guides, extract_guide, is_service_entry, label_of, value_ok
from xuncha.model import GUIDE_CATEGORIES, Column, LinkCheck, Page, SiteSnapshot, Target

SITE = "http://www.ruyang.gov.cn"


def test_complete_table_guide(fixture_text):
    g = extract_guide(fixture_text("guide_complete.html"), SITE + "/bsfw/zn/1.html")
    assert g is not None
    assert g.title == "个体工商户设立登记"
    assert g.present == frozenset(GUIDE_CATEGORIES)
    assert g.missing == []
    assert g.url == SITE + "/bsfw/zn/1.html"


def test_definition_list_guide_with_synonyms(fixture_text):
    g = extract_guide(fixture_text("guide_dl.html"), SITE + "/fw/cjrz.html")
    assert g is not None
    assert g.title == "残疾人证新办"
    assert g.missing == []  # 是否收费：无 is a valid 收费标准


def test_guide_missing_five_categories(fixture_text):
    g = extract_guide(fixture_text("guide_partial.html"), SITE + "/bsfw/zn/2.html")
    assert g is not None
    assert g.present == {"事项名称", "设定依据", "申请条件", "办理材料", "办理流程"}
    # 办理时间 given only as 承诺时限; 联系方式 without a phone number; three never labelled
    assert sorted(g.missing) == sorted(["办理地点", "办理机构", "收费标准", "办理时间", "联系电话"])


def test_running_text_is_not_a_guide(fixture_text):
    assert extract_guide(fixture_text("not_guide.html"), SITE + "/gzdt/1.html") is None
    assert (
        extract_guide(
            "<html><body><ul><li><a href='/zn/1.html'>户籍办理</a></li></ul></body></html>", SITE + "/bsfw/"
        )
        is None
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一、设定依据", ("设定依据", "")),
        ("【收费标准】不收费", ("收费标准", "不收费")),
        ("申请材料目录：", ("办理材料", "")),
        ("联系电话（咨询）：0371-65501234", ("联系电话", "0371-65501234")),
        ("(三)办理流程图", ("办理流程", "")),
        ("事项类型：行政许可", None),
        ("今年以来我县精简申请条件和办理材料", None),
    ],
)
def test_label_of(text, expected):
    assert label_of(text) == expected


@pytest.mark.parametrize(
    ("cat", "value", "ok"),
    [
        ("收费标准", "无", True),
        ("收费标准", "不收费", True),
        ("收费标准", "", False),
        ("设定依据", "无", False),
        ("联系电话", "0379-68231234", True),
        ("联系电话", "请咨询当地社保经办机构", False),
        ("办理时间", "工作日 上午8:30-12:00", True),
        ("办理时间", "承诺时限：5个工作日", False),
        ("办理时间", "法定工作日", True),
        ("办理材料", "——", False),
    ],
)
def test_value_ok(cat, value, ok):
    assert value_ok(cat, value) is ok


def test_build_guides_and_service_entries(fixture_text):
    home_html = """<html><body><div class="nav"><a href="/">首页</a><a href="/bsfw/">办事服务</a>
      <a href="https://www.hnzwfw.gov.cn/">河南政务服务网</a><a href="/zwfwzx/">县政务服务中心</a></div>
      <div class="main"><a href="/news/1.html">我县政务服务改革取得新成效工作经验在全市推广</a>
      <a href="https://zwfw.example.gov.cn/guide/404">户口迁移办事指南</a></div></body></html>"""
    pages = [
        Page(url=SITE + "/", status=200, html=home_html, role="home"),
        Page(
            url=SITE + "/bsfw/zn/1.html", status=200, html=fixture_text("guide_complete.html"), role="detail"
        ),
        Page(
            url=SITE + "/bsfw/zn/2.html", status=200, html=fixture_text("guide_partial.html"), role="detail"
        ),
        Page(url=SITE + "/gzdt/1.html", status=200, html=fixture_text("not_guide.html"), role="detail"),
        Page(url=SITE + "/js/a.js", status=200, html="var a='办理材料 申请条件 设定依据';", role="script"),
    ]
    snap = SiteSnapshot(
        target=Target(id="4103260001", kind="website", name="汝阳县人民政府", url=SITE + "/"),
        home_url=SITE + "/",
        started_at=datetime(2024, 6, 1),
        pages=pages,
        link_checks={
            "https://zwfw.example.gov.cn/guide/404": LinkCheck(
                url="https://zwfw.example.gov.cn/guide/404", status=404
            )
        },
    )
    columns = [
        Column(name="网上办事", url=SITE + "/wsbs/", cls="SERVICE"),
        Column(name="表格下载", url=SITE + "/bgxz/", cls="SERVICE"),
    ]
    guides, entries = build_guides(snap, columns)
    by_url = {g.url: g for g in guides}
    assert by_url[SITE + "/bsfw/zn/1.html"].missing == []
    assert len(by_url[SITE + "/bsfw/zn/2.html"].missing) == 5
    assert SITE + "/gzdt/1.html" not in by_url
    dead = by_url["https://zwfw.example.gov.cn/guide/404"]
    assert dead.link_out and not dead.reachable and len(dead.missing) == 10
    assert entries[0] == SITE + "/wsbs/"
    assert SITE + "/bsfw/" in entries
    assert "https://www.hnzwfw.gov.cn/" in entries
    assert SITE + "/zwfwzx/" not in entries  # the service centre (an office), not online service
    assert SITE + "/news/1.html" not in entries
    assert SITE + "/bgxz/" not in entries


def test_is_service_entry():
    assert is_service_entry("网上办事大厅", "http://a.gov.cn/wsbs/")
    assert is_service_entry("", "https://zwfw.sc.gov.cn/")
    assert not is_service_entry("政务服务管理局", "http://a.gov.cn/org/")
    assert not is_service_entry("通知公告", "http://a.gov.cn/tzgg/")


NOTICE_WITH_SECTIONS = """<html><head><title>关于开展2024年创业补贴申报工作的通知</title></head><body>
<div class="art"><h1>关于开展2024年创业补贴申报工作的通知</h1>
<p>一、申报条件</p><p>在本县登记注册的初创企业。</p>
<p>二、申报材料</p><p>营业执照复印件、申请表。</p>
<p>三、受理地点</p><p>县人社局二楼。</p>
<p>四、咨询电话</p><p>0379-68210000</p></div></body></html>"""


def _snap(pages):
    return SiteSnapshot(
        target=Target(id="4103260001", kind="website", name="汝阳县人民政府", url=SITE + "/"),
        home_url=SITE + "/",
        started_at=datetime(2024, 6, 1),
        pages=pages,
    )


def test_notice_with_guide_sections_counts_only_under_service_column():
    home = Page(url=SITE + "/", status=200, html="<html><body></body></html>", role="home")
    notice = Page(url=SITE + "/tzgg/1.html", status=200, html=NOTICE_WITH_SECTIONS, role="detail")
    assert extract_guide(NOTICE_WITH_SECTIONS, notice.url) is not None  # guide-shaped page
    assert build_guides(_snap([home, notice]), [])[0] == []
    under_service = Page(
        url=SITE + "/bsfw/cyzn/1.html",
        status=200,
        html=NOTICE_WITH_SECTIONS,
        role="detail",
        referrer=SITE + "/bsfw/cyzn/",
    )
    guides, _ = build_guides(
        _snap([home, under_service]), [Column(name="办事服务", url=SITE + "/bsfw/", cls="SERVICE")]
    )
    assert [sorted(g.present) for g in guides] == [sorted(["申请条件", "办理材料", "办理地点", "联系电话"])]
    assert guides[0].link_out is False


def test_crawled_guide_on_provincial_platform_is_link_out(fixture_text):
    home = Page(url=SITE + "/", status=200, html="<html><body></body></html>", role="home")
    out = Page(
        url="https://www.hnzwfw.gov.cn/guide/123",
        status=200,
        html=fixture_text("guide_dl.html"),
        role="other",
    )
    guides, _ = build_guides(_snap([home, out]), [])
    assert len(guides) == 1 and guides[0].link_out and guides[0].missing == []


def test_guide_named_by_breadcrumb_with_few_labels():
    html = """<html><head><title>房屋登记</title></head><body>
      <div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/bsfw/">办事服务</a> &gt; 房屋登记</div>
      <div class="c"><p>办理地点：县不动产登记中心</p><p>联系电话：0379-6821 0001</p></div></body></html>"""
    g = extract_guide(html, SITE + "/bsfw/fw.html")
    assert g is not None and g.present == {"办理地点", "联系电话"} and len(g.missing) == 8
    assert extract_guide(html.replace("办事服务", "新闻中心"), SITE + "/xw/fw.html") is None
