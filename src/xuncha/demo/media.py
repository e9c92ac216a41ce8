"""The demo world's new-media sources: WeChat-to-RSS feeds, Weibo-like JSON, an app news list.

``build_media(root, as_of, seed)`` writes, for every account of ``sites.ACCOUNTS``:

* ``media/rss.qingshan.gov.cn/feeds/...xml``: RSS 2.0 feeds (what WeChat-to-RSS / RSSHub
  services produce); a pinned item carries ``<category>置顶</category>``;
* ``media/m.weibo.demo/<uid>.profile.json`` / ``<uid>.timeline.json``: m.weibo.cn
  ``/api/container/getIndex`` shapes (``data.userInfo``; ``data.cards[].mblog``). Posts marked
  ``_rel`` get a *relative* ``created_at`` ("昨天 10:00", "3小时前", "03-10") computed by the
  server at request time (:func:`weibo_display_date`), since the adapter resolves relative
  dates against the fetch time;
* ``sites/www.qingshan.gov.cn/app/qst/news/``: the app's web news list (an HTML list page);
* ``repost_tasks.json``: the supervisor's repost task (title, url, deadline, targets).

The login page served instead of a feed (a blocked source) is :data:`LOGIN_PAGE`. Every file
is a pure function of (seed, as_of).
"""

from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

from xuncha.demo.sites import ACCOUNTS, RSS_HOST, WEIBO_HOST, DemoSite
from xuncha.settings import TZ

__all__ = ["LOGIN_PAGE", "MediaPost", "build_media", "media_index", "repost_task", "weibo_display_date"]

REPOST_DONE = "gh_5c2e9a1f7b3d"  # did the repost before the deadline
REPOST_MISSED = "app_qingshantong"  # did not
BLOCKED = "gh_8e2f4a6c1d90"  # its feed URL answers a login page

LOGIN_PAGE = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>登录 - 订阅服务</title></head>'
    '<body><h2>请先登录</h2><form method="post" action="/login"><input name="user" placeholder="账号">'
    '<input name="password" type="password" placeholder="密码"><button>登录</button></form>'
    "<p>登录状态已过期，请重新扫码授权后再访问订阅源。</p></body></html>"
)

_TOPICS = (
    "召开一季度经济运行分析会", "开展安全生产大检查", "推进城市更新重点项目建设", "举办春季招聘会",
    "部署防汛备汛工作", "开展优化营商环境专项行动", "召开民生实事项目推进会", "开展文明城市创建志愿服务",
    "举行重点项目集中开工仪式", "开展食品安全进校园活动", "发布政务服务“一件事”新清单", "开展森林防火宣传",
    "召开农业农村工作会议", "开展消防安全知识培训", "推进老旧小区改造", "举办非遗文化展演",
)


@dataclass(frozen=True)
class MediaPost:
    """One generated post: when, what, and how the source marks it."""

    when: datetime
    title: str
    text: str = ""
    pinned: bool = False
    repost_of: str = ""  # source URL of a reposted item
    relative: bool = False  # Weibo: shown with a relative date


def _at(as_of: date, days: int, hour: int, minute: int = 0) -> datetime:
    d = as_of - timedelta(days=days)
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=TZ)


def repost_task(as_of: date) -> dict[str, object]:
    """The supervisor's repost task: issued 7 days, due 3 days before as-of."""
    issued = as_of - timedelta(days=7)
    return {
        "title": f"国务院办公厅关于做好{as_of.year}年政务公开重点工作的通知",
        "url": f"https://www.gov.cn/zhengce/content/{issued:%Y-%m}/{issued:%d}/content_7000001.htm",
        "issued": issued.isoformat(),
        "deadline": (as_of - timedelta(days=3)).isoformat(),
        "targets": [REPOST_DONE, REPOST_MISSED],
    }


def _regular(rng: random.Random, as_of: date, short: str, start: int, stop: int, step: tuple[int, int] = (2, 3),
             relative_first: int = 0) -> list[MediaPost]:
    """Ordinary posts from ``start`` to ``stop`` days back, every 2–3 days (newest first)."""
    out: list[MediaPost] = []
    day = start
    while day <= stop:
        topic = rng.choice(_TOPICS)
        title = f"{short}{topic}"
        when = _at(as_of, day, rng.choice((9, 10, 11, 15, 16, 17)), rng.choice((0, 10, 20, 30, 40, 50)))
        out.append(MediaPost(when, title, f"近日，{title}。相关负责人表示，将持续抓好各项工作落实。",
                             relative=len(out) < relative_first))
        day += rng.randint(*step)
    return out


def account_posts(acc: DemoSite, as_of: date, seed: int) -> list[MediaPost]:
    """The posts of one account (newest first), planted problems included."""
    rng = random.Random(f"{seed}:{acc.id}")
    task = repost_task(as_of)
    if acc.id == "gh_5c2e9a1f7b3d":  # clean WeChat, posts every 2–3 days, did the repost
        posts = _regular(rng, as_of, "青山", 1, 60)
        posts.append(MediaPost(_at(as_of, 5, 18, 30), str(task["title"]),
                               "转载自中国政府网。", repost_of=str(task["url"])))
    elif acc.id == "gh_3b7d1e9c2a58":  # stale: newest ordinary post 20 days ago, pinned post 1 day ago
        posts = _regular(rng, as_of, "市住房城乡建设局", 20, 80, (3, 5))
        posts.append(MediaPost(_at(as_of, 1, 9), "青山市住房公积金业务办理指南（置顶）",
                               "住房公积金提取、贷款业务办理材料和流程。", pinned=True))
    elif acc.id == "1990000001":  # clean Weibo: relative dates, reposts, one pinned old post
        posts = _regular(rng, as_of, "青山", 1, 40, (1, 3), relative_first=3)
        posts.append(MediaPost(_at(as_of, 2, 20, 15), "转发：示例省发布 春季森林防火提示",
                               "//转发微博", repost_of="https://m.weibo.demo/detail/4990000000000001", relative=True))
        posts.append(MediaPost(_at(as_of, 9, 12), "转发：示例省应急管理厅 防汛知识问答",
                               "//转发微博", repost_of="https://m.weibo.demo/detail/4990000000000002"))
        posts.append(MediaPost(_at(as_of, 200, 10), "欢迎关注青山发布官方微博", "权威发布青山市政务信息。", pinned=True))
    elif acc.id in ("1990000002", "1990000003"):
        posts = _regular(rng, as_of, "市公安局", 1, 45, (2, 4), relative_first=1)
    elif acc.id == "dy_qingshanwenlv":  # leader-name error and a typo in video titles
        posts = _regular(rng, as_of, "青山文旅", 1, 50)
        posts.append(MediaPost(_at(as_of, 6, 19), "文旅系统学习国务院总理李墙在政府工作报告中关于扩大消费的部署",
                               "视频：全市文旅系统集中学习。"))
        posts.append(MediaPost(_at(as_of, 9, 17), "云台山景区按装智能导览屏 游客扫码听讲解",
                               "视频：景区新设备投入使用。"))
    elif acc.id == "app_qingshantong":  # fresh app news, but not the repost task
        posts = _regular(rng, as_of, "青山", 1, 45)
    elif acc.id == "gh_6d4c2b8a0e17":  # dormant: newest post 100 days ago
        posts = _regular(rng, as_of, "东岭县", 100, 160, (4, 9))
    else:
        posts = _regular(rng, as_of, "河西", 1, 30)
    return sorted(posts, key=lambda p: p.when, reverse=True)


# --------------------------------------------------------------------------- RSS
def _rss(acc: DemoSite, posts: list[MediaPost], as_of: date) -> str:
    items = []
    for i, p in enumerate(posts):
        link = f"https://mp.weixin.qq.com/s/{acc.id}_{i:03d}" if acc.kind == "wechat" else f"https://www.douyin.com/video/{acc.id}_{i:03d}"
        body = html.escape(p.text)
        if p.repost_of:
            body += f' <a href="{html.escape(p.repost_of)}">阅读原文</a>'
        cat = "<category>置顶</category>" if p.pinned else ""
        items.append(
            f"<item><title>{html.escape(p.title)}</title><link>{link}</link><guid>{link}</guid>"
            f"<pubDate>{format_datetime(p.when)}</pubDate>{cat}<description><![CDATA[<p>{body}</p>]]></description></item>"
        )
    built = format_datetime(datetime(as_of.year, as_of.month, as_of.day, 6, tzinfo=TZ))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{html.escape(acc.name)}</title><link>{html.escape(acc.url)}</link>"
        f"<description>{html.escape(acc.owner)}</description><lastBuildDate>{built}</lastBuildDate>"
        + "".join(items) + "</channel></rss>\n"
    )


# --------------------------------------------------------------------------- Weibo
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def weibo_api_date(dt: datetime) -> str:
    """The API's absolute form: ``Sat Mar 15 10:00:00 +0800 2025`` (English names, any locale)."""
    dt = dt.astimezone(TZ)
    return f"{_WEEKDAYS[dt.weekday()]} {_MONTHS[dt.month - 1]} {dt:%d %H:%M:%S +0800 %Y}"


def weibo_display_date(dt: datetime, now: datetime) -> str:
    """How the mobile site shows ``dt`` when viewed at ``now`` (relative when recent)."""
    dt, now = dt.astimezone(TZ), now.astimezone(TZ)
    if dt > now:
        return weibo_api_date(dt)
    age = now - dt
    if age < timedelta(minutes=1):
        return "刚刚"
    if age < timedelta(hours=1):
        return f"{int(age.total_seconds() // 60)}分钟前"
    if dt.date() == now.date():
        return f"{int(age.total_seconds() // 3600)}小时前"
    if dt.date() == now.date() - timedelta(days=1):
        return f"昨天 {dt:%H:%M}"
    if dt.year == now.year:
        return f"{dt:%m-%d}"
    return f"{dt:%Y-%m-%d}"


def _uid(acc: DemoSite) -> str:
    return acc.id


def _screen_name(acc: DemoSite) -> str:
    return acc.name  # the account's own name (may differ from the registry name)


def _weibo(acc: DemoSite, posts: list[MediaPost], seed: int) -> tuple[dict, dict]:
    rng = random.Random(f"{seed}:{acc.id}:counts")
    user = {
        "id": int(_uid(acc)), "screen_name": _screen_name(acc), "verified": True, "verified_type": 1,
        "verified_reason": acc.owner, "description": f"{acc.owner}官方微博",
        "profile_image_url": f"https://{WEIBO_HOST}/avatar/{acc.id}.jpg",
        "avatar_hd": f"https://{WEIBO_HOST}/avatar/{acc.id}_hd.jpg",
        "followers_count": f"{rng.randint(12, 98)}.{rng.randint(1, 9)}万", "follow_count": rng.randint(50, 400),
        "statuses_count": 1000 + len(posts),
    }
    profile = {"ok": 1, "data": {"userInfo": user, "tabsInfo": {"selectedTab": 1, "tabs": [
        {"tabKey": "weibo", "title": "微博", "containerid": f"107603{acc.id}"}]}}}
    cards = []
    base_mid = 5100000000000000 + int(acc.id[-3:]) * 1000
    for i, p in enumerate(posts):
        mid = str(base_mid + len(posts) - i)
        mblog: dict[str, object] = {
            "id": mid, "mid": mid, "bid": f"Qs{mid[-6:]}", "created_at": weibo_api_date(p.when),
            "text": html.escape(p.title) + ("" if p.repost_of else f"<br />{html.escape(p.text)}"),
            "source": "微博 weibo.com", "reposts_count": rng.randint(0, 40), "comments_count": rng.randint(1, 60),
            "attitudes_count": rng.randint(5, 300), "user": {"id": user["id"], "screen_name": user["screen_name"]},
            "comment_manage_info": {"comment_permission_type": -1},
        }
        if p.pinned:
            mblog.update(isTop=1, mblogtype=2, title={"text": "置顶"})
        if p.repost_of:
            orig = p.repost_of.rsplit("/", 1)[-1]
            mblog["retweeted_status"] = {"id": orig, "text": html.escape(p.title.split("：", 1)[-1]),
                                         "created_at": weibo_api_date(p.when - timedelta(hours=3)),
                                         "user": {"id": 1990009999, "screen_name": "示例省发布"}}
        if p.relative:
            mblog["_rel"] = True  # the server shows created_at relative to the request time
        cards.append({"card_type": 9, "itemid": f"1076031{mid}", "mblog": mblog})
    timeline = {"ok": 1, "data": {"cardlistInfo": {"containerid": f"107603{acc.id}", "page": 1, "total": len(posts)},
                                  "cards": cards}}
    return profile, timeline


# --------------------------------------------------------------------------- app list
def _app_pages(acc: DemoSite, posts: list[MediaPost]) -> dict[str, str]:
    """The app's web news list and its detail pages, paths under the site's docroot."""
    base = urlsplit(acc.source).path  # /app/qst/news/
    rows, files = [], {}
    for i, p in enumerate(posts):
        path = f"{base}{p.when:%Y%m}/t{p.when:%Y%m%d}_{i:03d}.html"
        t = html.escape(p.title)
        rows.append(f'<li><a href="{path}" target="_blank" title="{t}">{t}</a><span class="date">{p.when:%Y-%m-%d}</span></li>')
        files[path] = (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{t}_{html.escape(acc.name)}</title></head>'
                       f'<body><h1>{t}</h1><p class="info">发布时间：{p.when:%Y-%m-%d %H:%M}　来源：{html.escape(acc.name)}</p>'
                       f"<div class=\"content\"><p>{html.escape(p.text)}</p></div></body></html>")
    files[base + "index.html"] = (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(acc.name)}</title></head>'
        f'<body><div class="header"><h1>{html.escape(acc.name)}</h1><p>{html.escape(acc.owner)}主办</p></div>'
        f'<div class="main"><h2>新闻动态</h2><ul class="news-list">{"".join(rows)}</ul></div>'
        f'<div class="footer"><a href="{base}feedback.html">意见反馈</a></div></body></html>'
    )
    files[base + "feedback.html"] = (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>意见反馈_{html.escape(acc.name)}</title></head>'
        '<body><h1>意见反馈</h1><form method="post"><textarea name="content"></textarea><button>提交</button></form></body></html>'
    )
    return files


# --------------------------------------------------------------------------- build
def media_index(root: Path) -> dict[str, dict[str, str]]:
    """``host path`` (+ ``?type=uid&value=UID[&containerid=…]`` for Weibo) → file and type."""
    p = Path(root) / "media" / "index.json"
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}


def weibo_key(uid: str, timeline: bool) -> str:
    return f"{WEIBO_HOST} /api/container/getIndex?{uid}{'&timeline' if timeline else ''}"


def build_media(root: Path, as_of: date, seed: int) -> dict[str, dict[str, object]]:
    """Write every account's source into ``root``; return the manifest facts per account id."""
    root = Path(root)
    media = root / "media"
    index: dict[str, dict[str, str]] = {}
    facts: dict[str, dict[str, object]] = {}

    def put(key: str, rel: str, data: str, ctype: str) -> None:
        dest = media / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(data, encoding="utf-8")
        index[key] = {"file": rel, "type": ctype}

    for acc in ACCOUNTS:
        posts = account_posts(acc, as_of, seed)
        fresh = [p for p in posts if not p.pinned]
        fact: dict[str, object] = {
            "source": acc.source,
            "newest_post": max(p.when for p in fresh).isoformat() if fresh else None,
            "posts": len(posts),
        }
        if pinned := [p for p in posts if p.pinned]:
            fact["pinned"] = [{"title": p.title, "date": p.when.isoformat()} for p in pinned]
        if reposts := [p.title for p in posts if p.repost_of]:
            fact["reposts"] = reposts
        facts[acc.id] = fact
        host = urlsplit(acc.source).hostname if acc.source else None
        path = urlsplit(acc.source).path if acc.source else ""
        if acc.id == BLOCKED:
            put(f"{RSS_HOST} {path}", f"{RSS_HOST}{path}", LOGIN_PAGE, "text/html")
            fact["served"] = "登录页面（HTML）"
        elif host == RSS_HOST:
            put(f"{RSS_HOST} {path}", f"{RSS_HOST}{path}", _rss(acc, posts, as_of), "application/rss+xml")
        elif host == WEIBO_HOST:
            profile, timeline = _weibo(acc, posts, seed)
            put(weibo_key(acc.id, False), f"{WEIBO_HOST}/{acc.id}.profile.json",
                json.dumps(profile, ensure_ascii=False, indent=0), "application/json")
            put(weibo_key(acc.id, True), f"{WEIBO_HOST}/{acc.id}.timeline.json",
                json.dumps(timeline, ensure_ascii=False, indent=0), "application/json")
        elif host is not None:  # an app's web news list on a demo site
            for rel, text in _app_pages(acc, posts).items():
                dest = root / "sites" / host / rel.lstrip("/")
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_text(text, encoding="utf-8")
    media.mkdir(parents=True, exist_ok=True)
    (media / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    (root / "repost_tasks.json").write_text(json.dumps([repost_task(as_of)], ensure_ascii=False, indent=1), encoding="utf-8")
    return facts
