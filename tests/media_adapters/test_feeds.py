"""RSS / Atom adapter over loopback, healthy and broken sources."""

from __future__ import annotations

from datetime import datetime

from xuncha.collect.media import feeds, health
from xuncha.settings import TZ

from .fixtures import (
    AS_OF,
    ATOM,
    BAD_DATES,
    EMPTY_RSS,
    ENTITY_BOMB,
    FUTURE,
    LOGIN_HTML,
    RSS_WECHAT,
    TRUNCATED,
    account,
)


async def test_wechat_rss_with_cdata(world):
    base, f = await world({"/rss/cdfb.xml": RSS_WECHAT})
    snap = await feeds.collect(f, account(), f"{base}/rss/cdfb.xml", AS_OF)
    assert snap.health == "ok", snap.health_detail
    assert snap.adapter == "rss"
    assert snap.state.display_name == "成都发布"
    assert [p.title for p in snap.posts] == ["春季植树活动启动", "天气预报", "无日期的推送"]
    first, second, third = snap.posts
    assert first.url == "https://mp.weixin.qq.com/s/AAA111"
    assert first.text.startswith("今天上午，全市春季义务植树活动启动。")
    assert "<p>" not in first.text
    assert first.links == ["https://www.chengdu.gov.cn/x.html"]
    assert first.published_at == datetime(2025, 3, 18, 10, 0, tzinfo=TZ)
    assert second.published_at == datetime(2025, 3, 17, 10, 0, tzinfo=TZ)  # 02:00 GMT
    assert str(second.published_at.tzinfo) == "Asia/Shanghai"
    assert second.text == "明天晴。"
    assert third.published_at is None
    assert "1条无法识别发布时间" in snap.health_detail
    # documents are stored raw and re-parse identically
    assert snap.documents[0].html.startswith("<?xml")
    again = feeds.parse(snap.target, snap.source, snap.documents, AS_OF)
    assert [p.published_at for p in again.posts] == [p.published_at for p in snap.posts]


async def test_atom_feed_timezones(world):
    base, f = await world({"/atom": (ATOM, "application/atom+xml", 200)})
    snap = await feeds.collect(f, account(), f"{base}/atom", AS_OF)
    assert snap.health == "ok" and snap.adapter == "atom"
    assert snap.state.display_name == "武侯发布"
    a, b = snap.posts
    assert a.title == "政务公开日活动" and a.url == "https://example.gov.cn/a/1"
    assert a.published_at == datetime(2025, 3, 19, 16, 0, tzinfo=TZ)  # +00:00 → Beijing
    assert b.published_at == datetime(2025, 3, 19, 8, 0, tzinfo=TZ)  # +08:00 kept
    assert b.url == "https://example.gov.cn/a/2"


async def test_feed_served_as_octet_stream(world):
    base, f = await world({"/f": (RSS_WECHAT, "application/octet-stream", 200)})
    snap = await feeds.collect(f, account(), f"{base}/f", AS_OF)
    assert snap.health == "ok" and len(snap.posts) == 3


async def test_empty_feed_is_trustworthy_empty(world):
    base, f = await world({"/e.xml": EMPTY_RSS})
    snap = await feeds.collect(f, account(), f"{base}/e.xml", AS_OF)
    assert snap.health == "empty" and snap.posts == []
    assert snap.health in health.TRUSTWORTHY


async def test_login_page_instead_of_xml_is_blocked(world):
    base, f = await world({"/rss": (LOGIN_HTML, "text/html", 200)})
    snap = await feeds.collect(f, account(), f"{base}/rss", AS_OF)
    assert snap.health == "blocked"
    assert "登录或反爬虫" in snap.health_detail
    assert snap.health not in health.TRUSTWORTHY


async def test_truncated_xml_is_parse_error(world):
    base, f = await world({"/t.xml": TRUNCATED})
    snap = await feeds.collect(f, account(), f"{base}/t.xml", AS_OF)
    assert snap.health == "parse_error"
    assert "XML 不完整" in snap.health_detail


async def test_entity_bomb_refused(world):
    base, f = await world({"/bomb.xml": ENTITY_BOMB})
    snap = await feeds.collect(f, account(), f"{base}/bomb.xml", AS_OF)
    assert snap.health == "parse_error"
    assert "实体" in snap.health_detail and snap.posts == []


async def test_http_403_blocked_and_404_unreachable(world):
    base, f = await world({"/403": ("forbidden", "text/plain", 403),
                           "/404": ("gone", "text/plain", 404)})
    s403 = await feeds.collect(f, account(), f"{base}/403", AS_OF)
    s404 = await feeds.collect(f, account(), f"{base}/404", AS_OF)
    assert s403.health == "blocked" and "403" in s403.health_detail
    assert s404.health == "unreachable" and "HTTP 404" in s404.health_detail


async def test_connection_refused_is_unreachable(world):
    base, f = await world({})
    snap = await feeds.collect(f, account(), "http://127.0.0.1:1/rss.xml", AS_OF)
    assert snap.health == "unreachable"


async def test_wrong_dates_only_is_parse_error(world):
    base, f = await world({"/d.xml": BAD_DATES})
    snap = await feeds.collect(f, account(), f"{base}/d.xml", AS_OF)
    assert snap.health == "parse_error"
    assert "无法识别发布时间" in snap.health_detail
    assert all(p.published_at is None for p in snap.posts)


async def test_future_posts_flagged_and_ignored(world):
    base, f = await world({"/fu.xml": FUTURE})
    snap = await feeds.collect(f, account(), f"{base}/fu.xml", AS_OF)
    assert snap.health == "ok"
    assert "1条发布时间晚于监测时间" in snap.health_detail
    fresh = health.fresh_posts(snap.posts, AS_OF)
    assert [p.title for p in fresh] == ["正常"]
    assert fresh[0].published_at == datetime(2025, 3, 20, 7, 30, tzinfo=TZ)  # +0000 → next day
    assert [p.title for p in health.future_posts(snap.posts, AS_OF)] == ["未来"]


def test_parse_feed_date_forms():
    d = feeds.parse_feed_date
    assert d("Tue, 18 Mar 2025 10:00:00 +0800") == datetime(2025, 3, 18, 10, tzinfo=TZ)
    assert d("2025-03-18T02:00:00Z") == datetime(2025, 3, 18, 10, tzinfo=TZ)
    assert d("2025-03-18 10:00:00") == datetime(2025, 3, 18, 10, tzinfo=TZ)  # naive = Beijing
    assert d("2025/03/18") == datetime(2025, 3, 18, tzinfo=TZ)
    assert d("not a date") is None and d("") is None and d(None) is None
    assert d("Thu, 01 Jan 1970 00:00:00 GMT") is None
