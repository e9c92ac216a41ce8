"""A realistic SiteSnapshot for the store tests: Chinese pages, a GBK page, redirects, failures,
link checks, network and search facts, probes; and a new-media AccountSnapshot."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from xuncha.model import (
    AccountSnapshot,
    AccountState,
    LinkCheck,
    NetCheck,
    Page,
    Post,
    Probe,
    SearchAttempt,
    SiteSnapshot,
    Target,
)
from xuncha.settings import TZ

T0 = datetime(2025, 3, 14, 9, 30, 15, 123456, tzinfo=TZ)


def make_target(target_id: str = "5101000001") -> Target:
    return Target(
        id=target_id,
        kind="website",
        name="成都市人民政府",
        url="https://www.chengdu.gov.cn/",
        owner="成都市人民政府办公厅",
        region="四川省/成都市",
        category="政府门户网站",
        status="running",
        status_raw="运行",
        flags=frozenset({"no_service_function", "portal_override"}),
        extra={"备注": "集约化平台", "联系人": "张三"},
        source="registry.xlsx:2",
    )


def home_html(salt: str = "") -> str:
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>成都市人民政府</title></head>"
        "<body><div class='nav'><a href='/zwgk/'>政务公开</a><a href='/tzgg/'>通知公告</a></div>"
        "<ul><li><a href='/xw/1.html'>市政府召开常务会议 研究部署近期重点工作</a><span>2025-03-13</span></li>"
        "<li><a href='/xw/2.html'>关于做好2025年春季森林防火工作的通知</a><span>2025-03-12</span></li></ul>"
        f"<div class='footer'>主办单位：成都市人民政府办公厅 网站标识码：5101000001 蜀ICP备05003299号 {salt}</div>"
        "</body></html>"
    )


def gbk_page_html(salt: str = "") -> tuple[str, bytes]:
    """A page served as GBK: returns (decoded text, raw bytes)."""
    raw = (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=gbk'>"
        f"<title>通知公告</title></head><body><p>关于征求《成都市政务公开工作要点》意见的公告 {salt}</p>"
        "<p>联系电话：028-61881234 邮箱：zwgk@chengdu.gov.cn</p></body></html>"
    ).encode("gbk")
    return raw.decode("gbk"), raw


def make_snapshot(target_id: str = "5101000001", salt: str = "") -> SiteSnapshot:
    """One website's snapshot; ``salt`` changes every page text (new bodies)."""
    target = make_target(target_id)
    home = home_html(salt)
    gbk_text, gbk_raw = gbk_page_html(salt)
    pages = [
        Page(
            url="http://www.chengdu.gov.cn/",
            final_url="https://www.chengdu.gov.cn/",
            status=200,
            content_type="text/html; charset=utf-8",
            encoding="utf-8",
            html=home,
            body_hash=hashlib.sha256(home.encode()).hexdigest(),
            size=len(home.encode()),
            elapsed_ms=183.25,
            fetched_at=T0,
            redirects=["http://www.chengdu.gov.cn/", "https://www.chengdu.gov.cn/"],
            depth=0,
            role="home",
            headers={"server": "nginx", "content-type": "text/html; charset=utf-8"},
        ),
        Page(
            url="https://www.chengdu.gov.cn/tzgg/",
            final_url="https://www.chengdu.gov.cn/tzgg/index.html",
            status=200,
            content_type="text/html",
            encoding="gbk",
            html=gbk_text,
            body_hash=hashlib.sha256(gbk_raw).hexdigest(),
            size=len(gbk_raw),
            elapsed_ms=92.5,
            fetched_at=(T0 + timedelta(seconds=2)).astimezone(UTC),  # any zone comes back equal
            redirects=["https://www.chengdu.gov.cn/tzgg/index.html"],
            depth=1,
            referrer="https://www.chengdu.gov.cn/",
            role="column",
            headers={"content-type": "text/html", "x-frame-options": "SAMEORIGIN"},
        ),
        Page(
            url="https://www.chengdu.gov.cn/xw/404.html",
            status=404,
            content_type="text/html",
            size=0,
            fetched_at=T0 + timedelta(seconds=3),
            depth=2,
            referrer="https://www.chengdu.gov.cn/",
            role="detail",
        ),
        Page(
            url="https://www.chengdu.gov.cn/zwgk/slow.html",
            error="timeout",
            elapsed_ms=15000.0,
            fetched_at=T0 + timedelta(seconds=4),
            depth=1,
            referrer="https://www.chengdu.gov.cn/",
        ),
        Page(
            url="https://www.chengdu.gov.cn/search?q=防火",
            status=403,
            blocked="waf",
            content_type="text/html",
            fetched_at=T0 + timedelta(seconds=5),
            depth=1,
            role="search",
        ),
        Page(
            url="https://www.chengdu.gov.cn/files/2025年工作要点.pdf",
            status=200,
            content_type="application/pdf",
            body_hash="deadbeef" * 8,
            size=1_234_567,
            truncated=True,
            fetched_at=T0 + timedelta(seconds=6),
            depth=2,
            role="other",
        ),
        Page(  # the home page fetched again (pagination): same text, stored once
            url="https://www.chengdu.gov.cn/index.html",
            status=200,
            content_type="text/html",
            encoding="utf-8",
            html=home,
            size=len(home.encode()),
            fetched_at=T0 + timedelta(seconds=7),
            depth=1,
            role="pagination",
        ),
    ]
    link_checks = {
        "https://www.sc.gov.cn/": LinkCheck(
            url="https://www.sc.gov.cn/", final_url="https://www.sc.gov.cn/10462/index.shtml",
            status=200, content_type="text/html", size=48213, method="GET",
            checked_at=T0 + timedelta(seconds=10), elapsed_ms=211.0,
        ),
        "https://www.chengdu.gov.cn/old/gone.html": LinkCheck(
            url="https://www.chengdu.gov.cn/old/gone.html", status=404,
            checked_at=T0 + timedelta(seconds=11), elapsed_ms=35.5,
        ),
        "https://www.example-waf.gov.cn/": LinkCheck(
            url="https://www.example-waf.gov.cn/", status=403, inconclusive="forbidden",
            checked_at=T0 + timedelta(seconds=12),
        ),
        "http://nxdomain.invalid/": LinkCheck(
            url="http://nxdomain.invalid/", error="dns", method="GET",
            checked_at=T0 + timedelta(seconds=13),
        ),
        # a key that differs from the checked URL (normalised form)
        "https://www.gov.cn": LinkCheck(url="https://www.gov.cn/", status=200, checked_at=None),
    }
    probes = [
        Probe(target_id, "https://www.chengdu.gov.cn/", T0 - timedelta(seconds=30), True, 200, 120.5),
        Probe(target_id, "https://www.chengdu.gov.cn/", T0 + timedelta(minutes=5), False, None, 15000.0, "timeout"),
        Probe(target_id, "https://www.chengdu.gov.cn/", T0 + timedelta(minutes=10), True, 200, 98.0),
    ]
    return SiteSnapshot(
        target=target,
        home_url="https://www.chengdu.gov.cn/",
        started_at=T0 - timedelta(minutes=1),
        finished_at=T0 + timedelta(minutes=12),
        pages=pages,
        link_checks=link_checks,
        probes=probes,
        net=NetCheck(
            host="www.chengdu.gov.cn",
            aaaa=["240e:d9:c200:1::6", "240e:d9:c200:1::7"],
            ipv6_status=200,
            ipv6_title_same=True,
            https_ok=True,
            cert_not_after=datetime(2026, 1, 31, 23, 59, 59, tzinfo=UTC),
            http_redirects_to_https=False,
        ),
        search=SearchAttempt(
            query="春季森林防火", url="https://www.chengdu.gov.cn/search?q=春季森林防火",
            status=200, found=True,
        ),
        robots_txt="User-agent: *\nDisallow: /admin/\n# 后台\n",
        robots_ignored=False,
        budget_exhausted=True,
        notes=["栏目 /tzgg/ 翻页超过 3 页，已停止", "查询参数变体超过 20 个：/search"],
    )


# --------------------------------------------------------------------------- new media
def make_account_target(target_id: str = "wx-5101-001") -> Target:
    return Target(
        id=target_id,
        kind="wechat",
        name="成都发布",
        url="https://mp.weixin.qq.com/profile?__biz=MzA5NjAxNTQ2MQ==",
        owner="成都市人民政府新闻办公室",
        region="四川省/成都市",
        category="政务新媒体",
        status_raw="运行",
        extra={"微信号": "chengdufabu"},
        source="accounts.xlsx:3",
    )


def make_account_snapshot(target_id: str = "wx-5101-001", salt: str = "") -> AccountSnapshot:
    """One WeChat account: originals, a repost, a pinned old post, undated and deleted posts,
    a feed document (XML), a JSON API answer, a failed fetch. ``salt`` changes posts and texts."""
    feed = (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>成都发布</title>"
        f"<item><title>成都市2025年春季植树活动启动</title><link>https://mp.weixin.qq.com/s/a1</link>"
        f"<pubDate>Fri, 14 Mar 2025 08:00:00 +0800</pubDate><description>植树 {salt}</description></item>"
        "</channel></rss>"
    )
    api = (
        '{"ok": 1, "data": {"cards": [{"mblog": {"text": "转发：四川省政府常务会议召开 '
        f'{salt}", "created_at": "Thu Mar 13 20:15:00 +0800 2025", "isTop": 0}}}}]}}}}'
    )
    posts = [
        Post(
            url="https://mp.weixin.qq.com/s/a1",
            title="成都市2025年春季植树活动启动",
            text=f"3月14日，全市春季义务植树活动在龙泉山城市森林公园启动。{salt}",
            published_at=T0 - timedelta(hours=1, minutes=30),
            comments_enabled=True,
            comment_count=128,
            links=["https://mp.weixin.qq.com/s/a0", "weixin://dl/business/?t=小程序"],
        ),
        Post(
            url="https://weibo.com/123/Pabc",
            title="",
            text=f"//@四川发布：四川省政府常务会议召开 {salt}",
            published_at=datetime(2025, 3, 13, 12, 15, tzinfo=UTC),  # any zone comes back equal
            kind="repost",
            comments_enabled=False,
            comment_count=0,
        ),
        Post(
            url="https://mp.weixin.qq.com/s/old",
            title="置顶：成都市政务服务指南（2023版）",
            text="办事指南……",
            published_at=datetime(2023, 1, 5, 10, 0, tzinfo=TZ),
            pinned=True,
        ),
        Post(url="https://mp.weixin.qq.com/s/nodate", title="无日期的推送", published_at=None),
        Post(
            url="https://mp.weixin.qq.com/s/gone",
            title="此内容因违规无法查看",
            published_at=T0 - timedelta(days=3),
            deleted=True,
            comments_enabled=None,
            comment_count=None,
            links=[],
        ),
    ]
    documents = [
        Page(
            url="https://rsshub.example.test/wechat/chengdufabu",
            final_url="https://rsshub.example.test/wechat/chengdufabu?format=rss",
            status=200,
            content_type="application/rss+xml; charset=utf-8",
            encoding="utf-8",
            html=feed,
            body_hash=hashlib.sha256(feed.encode()).hexdigest(),
            size=len(feed.encode()),
            elapsed_ms=88.5,
            fetched_at=T0,
            redirects=["https://rsshub.example.test/wechat/chengdufabu?format=rss"],
            role="feed",
            headers={"content-type": "application/rss+xml; charset=utf-8"},
        ),
        Page(
            url="https://m.weibo.cn/api/container/getIndex?containerid=1076031234",
            status=200,
            content_type="application/json",
            encoding="utf-8",
            html=api,
            size=len(api.encode()),
            fetched_at=(T0 + timedelta(seconds=3)).astimezone(UTC),
            role="api",
        ),
        Page(
            url="https://m.weibo.cn/api/container/getIndex?containerid=1076031234&page=2",
            status=418,
            blocked="rate_limited",
            fetched_at=T0 + timedelta(seconds=4),
            role="api",
        ),
        Page(url="https://rsshub.example.test/broken", error="timeout", elapsed_ms=15000.0, fetched_at=None),
    ]
    return AccountSnapshot(
        target=make_account_target(target_id),
        source="https://rsshub.example.test/wechat/chengdufabu",
        adapter="rss",
        fetched_at=T0 + timedelta(seconds=5),
        health="ok",
        health_detail="共采集 5 条推送",
        state=AccountState(
            display_name="成都发布",
            verified=True,
            verified_subject="成都市人民政府新闻办公室",
            avatar_url="https://wx.qlogo.cn/mmhead/abc/0",
            status="active",
            followers=1_234_567,
            interaction={"comments": True, "messages": None, "menu": True, "auto_reply": False},
            menu=[("政务服务", "https://mp.weixin.qq.com/s/menu1"), ("互动留言", "https://mp.weixin.qq.com/s/menu2")],
        ),
        posts=posts,
        documents=documents,
    )
