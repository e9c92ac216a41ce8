"""extract/boards.py: message rows of board list pages and boards of a site (W.VETO.INTERACTION)."""

from __future__ import annotations

from datetime import date, datetime

from xuncha.extract.boards import board_class, build_boards, extract_messages, is_pagination_of
from xuncha.model import Column, Page, SiteSnapshot, Target

REF = date(2024, 6, 1)
SITE = "http://www.ly.gov.cn"


def _snapshot(pages: list[Page]) -> SiteSnapshot:
    target = Target(id="4103000001", kind="website", name="洛阳市人民政府", url=SITE + "/")
    home = Page(
        url=SITE + "/",
        status=200,
        html="<html><body><a href='/hdjl/szxx/'>市长信箱</a></body></html>",
        role="home",
    )
    return SiteSnapshot(
        target=target, home_url=SITE + "/", started_at=datetime(2024, 6, 1, 9), pages=[home, *pages]
    )


def test_table_board_rows(fixture_text):
    msgs = extract_messages(fixture_text("board_table.html"), SITE + "/hdjl/szxx/index.html", REF)
    # the side list of news (dates, no board facts) is not a message list
    assert [m.title for m in msgs] == [
        "关于涧西区某小区供暖管道老化漏水的问题",  # full title from the link's title attribute
        "咨询二孩生育补贴申领流程",
        "反映老城区夜间施工噪音扰民",
        "关于农村公路破损的建议",
    ]
    replied, pending, late, unanswered = msgs
    assert replied.url == SITE + "/hdjl/szxx/202405/t20240518_101.html"
    assert (replied.ask_date, replied.reply_date, replied.replied) == (
        date(2024, 5, 18),
        date(2024, 5, 24),
        True,
    )
    assert not replied.ask_date_guessed
    assert (pending.ask_date, pending.reply_date, pending.replied) == (date(2024, 5, 3), None, False)
    # replied, but more than 3 months after the question
    assert (late.ask_date, late.reply_date, late.replied) == (date(2024, 1, 10), date(2024, 5, 20), True)
    assert (unanswered.ask_date, unanswered.reply_date, unanswered.replied) == (
        date(2023, 12, 5),
        None,
        False,
    )


def test_list_rows_with_labels(fixture_text):
    msgs = extract_messages(fixture_text("board_list.html"), "http://www.ruyang.gov.cn/zx/", REF)
    assert [(m.ask_date, m.reply_date, m.replied) for m in msgs] == [
        (date(2024, 5, 20), date(2024, 5, 21), True),
        (date(2024, 2, 10), None, False),  # 回复时间： left empty
        (date(2023, 11, 2), date(2024, 3, 8), True),
    ]
    assert msgs[0].title == "请问新生儿医保参保需要哪些材料？"
    assert msgs[0].url == "http://www.ruyang.gov.cn/zx/show.asp?id=3021"
    assert not any(m.ask_date_guessed for m in msgs)


def test_status_badges_and_unlabelled_dates(fixture_text):
    msgs = extract_messages(fixture_text("board_badges.html"), "http://www.example.gov.cn/lyb/", REF)
    assert [(m.title, m.ask_date, m.replied, m.ask_date_guessed) for m in msgs] == [
        ("幼儿园入园报名时间咨询", date(2024, 4, 2), True, True),
        ("道路积水问题反映", date(2024, 1, 15), False, True),
        ("社区养老服务站开放时间", date(2023, 12, 20), True, True),
    ]


def test_page_with_no_board(fixture_text):
    assert extract_messages(fixture_text("no_board.html"), "http://www.example.gov.cn/gzdt/", REF) == []
    assert extract_messages("<html><body><p>暂无信息</p></body></html>", "http://x.gov.cn/", REF) == []


def test_whole_messages_without_links():
    html = """<html><body><div class="ly">
      <div class="msg"><h4>小区门口路灯坏了很久没人修</h4><p>留言时间：2024-03-02</p>
        <div class="reply"><p>答复：已通知城管部门维修。</p><p>答复时间：2024-03-06</p></div></div>
      <div class="msg"><h4>公园厕所卫生差的问题</h4><p>留言时间：2024-01-20</p></div>
    </div></body></html>"""
    msgs = extract_messages(html, "http://x.gov.cn/ly/", REF)
    assert [(m.title, m.ask_date, m.reply_date, m.replied) for m in msgs] == [
        ("小区门口路灯坏了很久没人修", date(2024, 3, 2), date(2024, 3, 6), True),
        ("公园厕所卫生差的问题", date(2024, 1, 20), None, False),
    ]


def test_build_boards_reads_pagination_and_detects_boards(fixture_text):
    col_url = SITE + "/hdjl/szxx/index.html"
    pages = [
        Page(
            url=col_url, status=200, html=fixture_text("board_table.html"), role="column", referrer=SITE + "/"
        ),
        Page(
            url=SITE + "/hdjl/szxx/index_1.html",
            status=200,
            html=fixture_text("board_table_p2.html"),
            role="pagination",
            referrer=col_url,
        ),
        Page(url=SITE + "/gzdt/", status=200, html=fixture_text("no_board.html"), role="column"),
        # a consultation board the column list does not know about
        Page(url=SITE + "/lyb/index.html", status=200, html=fixture_text("board_badges.html"), role="other"),
    ]
    columns = [
        Column(name="市长信箱", url=col_url, cls="CONSULT"),
        Column(name="工作动态", url=SITE + "/gzdt/", cls="NEWS"),
        Column(name="在线访谈", url=SITE + "/zxft/", cls="INTERVIEW", reachable=False),
    ]
    boards = build_boards(_snapshot(pages), columns, REF)
    by_name = {b.name: b for b in boards}
    assert set(by_name) == {"市长信箱", "在线访谈", "留言板"}
    mayor = by_name["市长信箱"]
    assert mayor.cls == "CONSULT" and mayor.reachable
    assert len(mayor.messages) == 5  # 4 on the first page + 1 on index_1.html
    assert mayor.messages[-1].ask_date == date(2023, 9, 11)
    assert by_name["在线访谈"].messages == [] and by_name["在线访谈"].reachable is False
    assert by_name["留言板"].cls == "CONSULT"
    assert by_name["留言板"].url == SITE + "/lyb/index.html"
    assert len(by_name["留言板"].messages) == 3


def test_build_boards_reads_detail_page_when_list_shows_no_reply():
    col_url = SITE + "/hdjl/xx/"
    list_html = """<html><head><title>局长信箱</title></head><body><ul class="list">
      <li><a href="/hdjl/xx/1.html">关于取暖补贴发放的问题</a><span>2024-01-05</span></li>
      <li><a href="/hdjl/xx/2.html">关于公租房申请进度的咨询</a><span>2023-12-01</span></li>
      <li><a href="/hdjl/xx/3.html">关于道路命名的建议</a><span>2023-11-11</span></li>
    </ul></body></html>"""
    detail1 = """<html><body><h1>关于取暖补贴发放的问题</h1><p>留言时间：2024-01-04</p>
      <div class="hf"><p>回复内容：补贴已于本月发放到位。</p><p>回复时间：2024-01-20</p></div></body></html>"""
    detail2 = """<html><body><h1>关于公租房申请进度的咨询</h1><p>来信时间：2023-12-01</p>
      <p>状态：办理中</p></body></html>"""
    pages = [
        Page(url=col_url, status=200, html=list_html, role="column"),
        Page(url=SITE + "/hdjl/xx/1.html", status=200, html=detail1, role="detail", referrer=col_url),
        Page(url=SITE + "/hdjl/xx/2.html", status=200, html=detail2, role="detail", referrer=col_url),
    ]
    boards = build_boards(_snapshot(pages), [Column(name="局长信箱", url=col_url, cls="CONSULT")], REF)
    assert len(boards) == 1
    msgs = boards[0].messages
    # the third row has no reply facts anywhere: it is not judged
    assert [(m.title, m.ask_date, m.ask_date_guessed, m.reply_date, m.replied) for m in msgs] == [
        ("关于取暖补贴发放的问题", date(2024, 1, 4), False, date(2024, 1, 20), True),
        ("关于公租房申请进度的咨询", date(2023, 12, 1), False, None, False),
    ]


def test_board_class_and_pagination_urls():
    assert board_class("市长信箱") == "CONSULT"
    assert board_class("网上信访") == "EXCLUDE"
    assert board_class("意见征集") == "SURVEY"
    assert board_class("在线访谈") == "INTERVIEW"
    assert board_class("通知公告") is None
    assert is_pagination_of("http://a.gov.cn/lyb/index_2.html", "http://a.gov.cn/lyb/index.html")
    assert is_pagination_of("http://a.gov.cn/lyb/index_2.html", "http://a.gov.cn/lyb/")
    assert is_pagination_of("http://a.gov.cn/lyb/list.do?id=3&page=2", "http://a.gov.cn/lyb/list.do?id=3")
    assert not is_pagination_of("http://a.gov.cn/lyb/list.do?id=4", "http://a.gov.cn/lyb/list.do?id=3")
    assert not is_pagination_of("http://a.gov.cn/gzdt/index_2.html", "http://a.gov.cn/lyb/index.html")


def test_empty_reply_label_is_not_a_status():
    html = """<html><body><ul class="xj">
      <li><a href="/x/1.html">关于燃气管道改造的咨询</a><span>来信时间：2024-02-01</span><span>办结时间：</span></li>
      <li><a href="/x/2.html">关于垃圾清运不及时的反映</a><span>来信时间：2024-02-03</span><span>办结时间：2024-02-06</span></li>
    </ul></body></html>"""
    msgs = extract_messages(html, "http://x.gov.cn/xj/", REF)
    assert [(m.replied, m.reply_date) for m in msgs] == [(False, None), (True, date(2024, 2, 6))]
