"""Weibo mobile JSON adapter: profile + timeline, reposts, pinned posts, relative dates."""

from __future__ import annotations

from datetime import datetime

from xuncha.collect.media import health, weibo
from xuncha.model import Page
from xuncha.settings import TZ

from .fixtures import AS_OF, LOGIN_HTML, WEIBO_PROFILE, WEIBO_TIMELINE, account

API = "/api/container/getIndex"


async def test_profile_and_timeline(world):
    base, f = await world({API: (WEIBO_PROFILE, "application/json", 200),
                           "/timeline": (WEIBO_TIMELINE, "application/json", 200)})
    src = f"{base}{API}?type=uid&value=1234567890|{base}/timeline"
    snap = await weibo.collect(f, account("weibo"), src, AS_OF)
    assert snap.health == "ok", snap.health_detail
    st = snap.state
    assert st.display_name == "成都发布" and st.verified is True
    assert st.verified_subject == "成都市人民政府新闻办公室官方微博"
    assert st.followers == 1_234_000 and st.avatar_url.endswith("a.jpg")
    posts = {p.url.rsplit("/", 1)[-1]: p for p in snap.posts}
    assert set(posts) == {"5001", "5002", "5003", "5004", "5005"}
    assert posts["5001"].pinned and posts["5005"].pinned and not posts["5002"].pinned
    assert posts["5003"].kind == "repost" and posts["5002"].kind == "original"
    assert posts["5001"].published_at == datetime(2025, 3, 18, 10, tzinfo=TZ)
    assert posts["5001"].comments_enabled is True and posts["5001"].comment_count == 12
    assert posts["5003"].comment_count == 3
    assert posts["5001"].links == ["https://m.weibo.cn/search"]
    assert "<a" not in posts["5001"].text
    # relative dates are read against the fetch time stored with the document
    fetched = snap.documents[1].fetched_at
    assert posts["5002"].published_at is not None
    assert abs((fetched - posts["5002"].published_at).total_seconds() - 300) < 5
    y = fetched.date().toordinal() - 1
    assert posts["5003"].published_at.date().toordinal() == y
    assert posts["5003"].published_at.hour == 10
    assert posts["5004"].published_at.month == 3 and posts["5004"].published_at.day == 18
    # "12-30" is in the future for this year: last year's post
    assert posts["5005"].published_at.year == fetched.year - 1
    fresh = health.fresh_posts(snap.posts, fetched)
    assert "5001" not in {p.url.rsplit("/", 1)[-1] for p in fresh}


def test_weibo_urls_derives_timeline():
    u = "https://m.weibo.cn/api/container/getIndex?type=uid&value=123"
    assert weibo.weibo_urls(u) == [u, u + "&containerid=107603123"]
    assert weibo.weibo_urls("http://a/x|http://a/y") == ["http://a/x", "http://a/y"]


def test_relative_dates_against_fixed_ref():
    ref = datetime(2025, 3, 20, 12, 0, tzinfo=TZ)
    d = weibo.parse_weibo_date
    assert d("刚刚", ref) == ref
    assert d("5分钟前", ref) == datetime(2025, 3, 20, 11, 55, tzinfo=TZ)
    assert d("2小时前", ref) == datetime(2025, 3, 20, 10, 0, tzinfo=TZ)
    assert d("昨天 10:00", ref) == datetime(2025, 3, 19, 10, 0, tzinfo=TZ)
    assert d("03-18", ref) == datetime(2025, 3, 18, tzinfo=TZ)
    assert d("12-30", ref) == datetime(2024, 12, 30, tzinfo=TZ)
    assert d("2023-05-01", ref) == datetime(2023, 5, 1, tzinfo=TZ)
    assert d("Tue Mar 18 02:00:00 +0000 2025", ref) == datetime(2025, 3, 18, 10, tzinfo=TZ)
    assert d("很久以前", ref) is None and d("13-45", ref) is None


async def test_login_page_instead_of_json_blocked(world):
    base, f = await world({"/j": (LOGIN_HTML, "text/html", 200)})
    snap = await weibo.collect(f, account("weibo"), f"{base}/j", AS_OF)
    assert snap.health == "blocked" and "JSON" in snap.health_detail


async def test_profile_only_is_not_trusted(world):
    base, f = await world({"/p": (WEIBO_PROFILE, "application/json", 200),
                           "/t": ("{\"ok\": 0, \"msg\": \"这里还没有内容\"}", "application/json", 200)})
    snap = await weibo.collect(f, account("weibo"), f"{base}/p|{base}/t", AS_OF)
    assert snap.health == "parse_error"
    assert "这里还没有内容" in snap.health_detail
    assert snap.state.display_name == "成都发布"  # the profile is still read


def test_garbage_json_never_crashes():
    for body in ("{not json", "[]", "{\"data\": []}", "{\"data\": {\"cards\": [1, null, {\"mblog\": 5}]}}",
                 "{\"data\": {\"cards\": [{\"mblog\": {\"created_at\": 12}}]}}"):
        doc = Page(url="http://x/j", status=200, content_type="application/json", html=body,
                   fetched_at=AS_OF)
        snap = weibo.parse(account("weibo"), "http://x/j", [doc], AS_OF)
        assert snap.health in ("parse_error", "empty"), (body, snap.health)
