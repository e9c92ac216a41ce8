"""extract/identity.py: footer marks (§4.2), 找错 entry (§4.3), header name (§4.1), formats (§4.4)."""

from __future__ import annotations

import pytest

from xuncha.extract.html import parse
from xuncha.extract.identity import (
    extract_footer,
    find_zhaocuo,
    header_text,
    icp_valid,
    psb_valid,
    text_blocks,
)
from xuncha.text.names import name_shown_in as site_name_matches
from xuncha.text.names import normalize_site_name
from xuncha.text.names import valid_site_code as site_code_valid

HOME = "https://www.henan.gov.cn/"


def test_complete_footer_has_all_marks(fixture_text):
    html = fixture_text("footer_complete.html")
    f = extract_footer(html, HOME)
    assert f.conac is not None
    assert f.conac.site_id == "072BBE0F2B5D4B2EE053022819AC7E7A"
    assert f.conac.url.startswith("https://bszs.conac.cn/sitename?method=show")
    assert f.site_code == "4100000001"
    assert f.icp_text == "豫ICP备05024460号-1"
    assert f.icp_link == "https://beian.miit.gov.cn/"
    assert f.psb_text == "豫公网安备 41010502000123号"
    assert f.psb_code == "41010502000123"
    assert f.psb_link.endswith("recordcode=41010502000123")
    assert f.psb_nonstandard is False
    assert f.host_unit == "河南省人民政府办公厅"
    assert f.organizer_unit == "河南省大数据管理局"
    assert "0371-65506000" in f.contact
    assert "webmaster@henan.gov.cn" in f.contact
    assert "地址：郑州市金水路8号" in f.contact
    assert f.sitemap_url == "https://www.henan.gov.cn/sitemap/"
    # The body's "12345" sentence is not footer contact.
    assert "12345" not in f.contact
    zc = find_zhaocuo(html, HOME, {})
    assert len(zc) == 1
    assert zc[0].site_code == "4100000001"
    assert zc[0].via_script is False and zc[0].legacy_host is False
    assert zc[0].url.startswith("https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=4100000001")
    assert icp_valid(f.icp_text) and psb_valid(f.psb_text) and site_code_valid(f.site_code)


def test_footer_missing_icp(fixture_text):
    f = extract_footer(fixture_text("footer_no_icp.html"), "http://www.ruyang.gov.cn/")
    assert f.icp_text == "" and f.icp_link == ""
    # everything else is still there
    assert f.site_code == "4103260001"
    assert f.host_unit == "汝阳县人民政府办公室"
    assert f.psb_code == "41032602000101" and not f.psb_nonstandard
    assert f.contact == "联系电话：0379-68212345"
    assert f.sitemap_url == "http://www.ruyang.gov.cn/map.html"
    # badge embedded by document.write(unescape(...)): the dcs script id is kept
    assert f.conac is not None and f.conac.site_id == "CA170000000604299710001"
    assert find_zhaocuo(fixture_text("footer_no_icp.html"), "http://www.ruyang.gov.cn/", {}) == []


def test_nonstandard_psb_and_reversed_host(fixture_text):
    f = extract_footer(fixture_text("footer_nonstandard_psb.html"), "http://www.guancheng.gov.cn/")
    assert f.psb_nonstandard is True
    assert f.psb_code == "41010029000130"
    assert "郑公备" in f.psb_text and not psb_valid(f.psb_text)
    assert f.icp_text == "豫ICP备 10006520号" and icp_valid(f.icp_text)
    assert f.icp_link == "http://www.miibeian.gov.cn/"
    assert f.site_code == "4101040001"
    assert f.host_unit == "郑州市管城回族区人民政府办公室"  # "XX 主办" form
    assert f.conac is None
    assert f.sitemap_url == ""


def test_footer_split_over_spans(fixture_text):
    html = fixture_text("footer_spans.html")
    f = extract_footer(html, "http://www.wuhou.gov.cn/")
    assert f.site_code == "5101070001"
    assert f.icp_text == "蜀ICP备05001254号"
    assert f.psb_text.replace(" ", "") == "川公网安备51010702000586号" and not f.psb_nonstandard
    assert f.host_unit == "成都市武侯区人民政府办公室"
    assert f.organizer_unit == "成都市武侯区网络理政办公室"
    assert "028-85551234" in f.contact and "whqzf@wuhou.gov.cn" in f.contact
    assert f.sitemap_url == "http://www.wuhou.gov.cn/wzdt/index.html"
    assert f.conac is not None and f.conac.site_id == "CA230000000604289340001"
    zc = find_zhaocuo(html, "http://www.wuhou.gov.cn/", {})
    assert [(z.site_code, z.via_script) for z in zc] == [("5101070001", True)]
    assert zc[0].url.startswith("https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=5101070001&url=")


def test_footer_without_footer_region_uses_page_tail(fixture_text):
    f = extract_footer(fixture_text("footer_unmarked.html"), "http://yjj.example.gov.cn/")
    assert f.host_unit == "XX市应急管理局"
    assert f.site_code == "3301000023"
    assert f.icp_text == "浙ICP备12037965号-2"
    assert f.psb_code == "33010602009432"
    assert "0571-87061234" in f.contact
    assert "网站标识码" in f.footer_text
    assert "地震来了怎么办" not in f.footer_text


def test_zhaocuo_via_external_script_and_onclick(fixture_text):
    html = fixture_text("zhaocuo_script.html")
    scripts = {
        "http://www.ly.gov.cn/js/jquery.min.js": "/*! jQuery */",
        "http://www.ly.gov.cn/js/common.js": fixture_text("zhaocuo_script_common.js"),
    }
    zc = find_zhaocuo(html, "http://www.ly.gov.cn/", scripts)
    assert len(zc) == 1
    e = zc[0]
    assert e.via_script is True and e.legacy_host is False
    assert e.site_code == "4103000001"
    assert e.url.startswith(
        "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=4103000001&url=http%3A%2F%2Fwww.ly.gov.cn"
    )


def test_zhaocuo_badge_without_script_keeps_handler_code(fixture_text):
    # The external script was not fetched: the badge and the code in its onclick remain.
    zc = find_zhaocuo(fixture_text("zhaocuo_script.html"), "http://www.ly.gov.cn/", {})
    assert len(zc) == 1
    assert zc[0].url == "" and zc[0].site_code == "4103000001" and zc[0].via_script


def test_zhaocuo_inline_script_with_variable(fixture_text):
    zc = find_zhaocuo(fixture_text("zhaocuo_inline_var.html"), "http://www.mof.gov.cn/", None)
    assert [(z.site_code, z.via_script) for z in zc] == [("bm07000001", True)]


def test_zhaocuo_legacy_host(fixture_text):
    zc = find_zhaocuo(fixture_text("zhaocuo_legacy.html"), "http://www.example.gov.cn/", {})
    assert len(zc) == 1
    assert zc[0].legacy_host is True and zc[0].via_script is False
    assert zc[0].site_code == "1303000020"


def test_zhaocuo_site_code_from_meta_when_script_reads_it():
    html = """<html><head><meta name="SiteIDCode" content="5109030018"></head><body>
    <div class="footer"><a id="jc" href="javascript:;"><img src="/jiucuo.png"></a></div>
    <script>document.getElementById('jc').onclick=function(){
      var code=document.getElementsByName('SiteIDCode')[0].content;
      window.open('https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code='+code+'&url='+encodeURIComponent(location.href));};
    </script></body></html>"""
    zc = find_zhaocuo(html, "http://www.example.gov.cn/", {})
    assert [(z.site_code, z.via_script) for z in zc] == [("5109030018", True)]


def test_header_text_and_site_name(fixture_text):
    text = header_text(fixture_text("footer_complete.html"))
    assert "河南省人民政府门户网站" in text
    assert "12345" not in text  # a "hd" (互动) block in the content area is not the header
    assert site_name_matches("河南省人民政府门户网站", text)
    assert site_name_matches("河南省人民政府", "河南省政府网")
    assert not site_name_matches("河南省人民政府门户网站", "洛阳市人民政府")
    assert site_name_matches("汝阳县人民政府", header_text(fixture_text("footer_no_icp.html")))
    assert site_name_matches("成都市武侯区人民政府门户网站", header_text(fixture_text("footer_spans.html")))


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("河南省人民政府门户网站", "河南省人民政府"),
        ("中国　政府网", "中国政府"),
        ("洛阳市人民政府网站", "洛阳市人民政府"),
        ("ＸＸ市应急管理局官网", "xx市应急管理局"),
        (" 成都市 武侯区人民政府 ", "成都市武侯区人民政府"),
    ],
)
def test_normalize_site_name(raw, norm):
    assert normalize_site_name(raw) == norm


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("4100000001", True),
        ("bm07000001", True),
        ("bm0700000", False),
        ("410000000112", False),
        ("41000000a1", False),
        ("", False),
    ],
)
def test_site_code_valid(code, ok):
    assert site_code_valid(code) is ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("豫ICP备05024460号-1", True),
        ("京ICP备 05070582号", True),
        ("ICP备05024460号", False),
        ("豫ICP证05024460号", False),
        ("粤ICP备1号", False),
    ],
)
def test_icp_valid(text, ok):
    assert icp_valid(text) is ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("京公网安备 11040102700068号", True),
        ("豫公网安备41010502000123号", True),
        ("郑公备：41010029000130", False),
        ("沪公安备31010102002", False),
        ("京公网安备 110401027号", False),
    ],
)
def test_psb_valid(text, ok):
    assert psb_valid(text) is ok


def test_text_blocks_joins_inline_and_splits_blocks():
    tree = parse(
        "<div><p>豫ICP备<span>05024460</span>号</p><p>2024-01-02<span>12:30</span><br>下一行</p></div>"
    )
    assert [b.text for b in text_blocks(tree.body)] == ["豫ICP备05024460号", "2024-01-02 12:30", "下一行"]


def test_body_phone_does_not_stand_in_for_footer_contact():
    html = """<html><body><div class="main"><p>防汛值班电话：0379-63901111</p></div>
      <div class="footer"><p>主办单位：某县人民政府办公室</p><p>网站标识码：4103260001</p></div>
      <div class="beian"><a href="https://beian.miit.gov.cn/">豫ICP备12345678号</a></div></body></html>"""
    f = extract_footer(html, "http://www.a.gov.cn/")
    assert f.contact == ""  # the footer has none; the body's duty phone is not it
    assert f.icp_text == "豫ICP备12345678号"  # a specific mark just after the footer region still counts
    assert f.host_unit == "某县人民政府办公室"


def test_header_text_skips_top_bar_first():
    html = """<html><body><div class="topbar">今天是2024年6月1日 无障碍 长者模式</div>
      <div id="header"><div class="site"><span class="name">汝阳县人民政府</span></div></div>
      <div class="main"><h2>要闻</h2></div></body></html>"""
    text = header_text(html)
    assert "汝阳县人民政府" in text and "要闻" not in text


def test_official_jiucuo_js_fetched_gives_one_entry(fixture_text):
    html = fixture_text("footer_spans.html")
    official = (
        '(function(){var s=document.getElementById("_jiucuo_");var c=s.getAttribute("sitecode");'
        "document.write('<a href=\"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code='+c+'&url='"
        '+encodeURIComponent(location.href)+\'"><img src="https://zfwzgl.www.gov.cn/exposure/images/jiucuo.png"></a>\');})();'
    )
    zc = find_zhaocuo(
        html, "http://www.wuhou.gov.cn/", {"https://zfwzgl.www.gov.cn/exposure/jiucuo.js": official}
    )
    assert [(z.site_code, z.via_script) for z in zc] == [("5101070001", True)]
