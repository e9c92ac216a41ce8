"""extract/search.py: search box shapes, query URLs, and result pages (W.SEARCH)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from xuncha.extract.search import build_search_url, find_search_form, results_contain
from xuncha.model import SearchForm

TITLE = "关于印发汝阳县2024年防汛应急预案的通知"


def test_plain_get_form_with_hidden_fields(fixture_text):
    form = find_search_form(fixture_text("footer_complete.html"), "https://www.henan.gov.cn/")
    assert form == SearchForm(
        action="https://searchapi.henan.gov.cn/jsearchfront/search.do",
        method="get",
        param="q",
        hidden={"websiteid": "410000000000000"},
    )
    url = build_search_url(form, TITLE)
    parts = urlsplit(url)
    assert parts.netloc == "searchapi.henan.gov.cn"
    assert parse_qs(parts.query) == {"websiteid": ["410000000000000"], "q": [TITLE]}


def test_js_box_with_url_template(fixture_text):
    form = find_search_form(fixture_text("search_js_box.html"), "http://www.example.gov.cn/index.html")
    assert form is not None
    assert form.action == "http://www.example.gov.cn/search/index.jsp"
    assert form.param == "searchword"
    assert form.hidden == {"siteCode": "4101000001"}
    assert build_search_url(form, "防汛") == (
        "http://www.example.gov.cn/search/index.jsp?siteCode=4101000001&searchword=%E9%98%B2%E6%B1%9B"
    )


def test_js_driven_form_skips_login_form(fixture_text):
    form = find_search_form(fixture_text("search_js_form.html"), "http://www.ruyang.gov.cn/")
    assert form is not None
    assert form.action == "https://so.example.gov.cn/s"
    assert form.param == "qt"
    assert form.hidden == {"sitecode": "4103260001"}


def test_post_form_and_pages_without_search():
    html = """<html><body><form action="/was5/search.jsp" method="POST">
      <input type="text" name="searchword"><input type="submit" value="搜索"></form></body></html>"""
    form = find_search_form(html, "http://www.a.gov.cn/")
    assert form is not None and form.method == "post"
    assert build_search_url(form, "x") == "http://www.a.gov.cn/was5/search.jsp"
    assert (
        find_search_form(
            "<html><body><form action='/ly' method='post'><input name='title'>"
            "<textarea name='content'></textarea></form></body></html>",
            "http://a.gov.cn/",
        )
        is None
    )
    assert find_search_form("<html><body><p>无搜索</p></body></html>", "http://a.gov.cn/") is None


def test_box_without_known_target():
    html = """<html><body><div class="search"><input id="kw" placeholder="请输入搜索关键词">
      <button onclick="search()">搜索</button></div><script src="/js/s.js"></script></body></html>"""
    form = find_search_form(html, "http://a.gov.cn/")
    assert form is not None and form.action == ""
    assert build_search_url(form, "x") == ""
    with_script = find_search_form(
        html,
        "http://a.gov.cn/",
        {
            "http://a.gov.cn/js/s.js": "function search(){location.href='/sousuo/?kw='+encodeURIComponent($('#kw').val());}"
        },
    )
    assert (
        with_script is not None
        and with_script.action == "http://a.gov.cn/sousuo/"
        and with_script.param == "kw"
    )


def test_results_echo_only_is_false(fixture_text):
    assert results_contain(fixture_text("results_echo.html"), TITLE) is False


def test_results_listing_title_is_true(fixture_text):
    html = fixture_text("results_list.html")
    assert results_contain(html, TITLE) is True
    assert results_contain(html, "关于印发汝阳县 2024 年防汛应急预案的通知") is True  # whitespace-insensitive
    assert results_contain(html, "关于印发汝阳县2022年防汛应急预案的通知") is False
