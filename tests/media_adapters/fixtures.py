"""Fixture documents in the real shapes (RSS from WeChat-to-RSS, Atom, Weibo mobile JSON)."""

import json
from datetime import datetime

from xuncha.model import Target
from xuncha.settings import TZ

AS_OF = datetime(2025, 3, 20, 12, 0, tzinfo=TZ)
HOST = "feeds.example.gov.cn"


def account(kind: str = "wechat", url: str = "", **extra: str) -> Target:
    return Target(id="GZH001", kind=kind, name="成都发布", url=url, extra=dict(extra))


RSS_WECHAT = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title><![CDATA[成都发布]]></title>
  <link>https://mp.weixin.qq.com/</link>
  <description><![CDATA[成都市人民政府新闻办公室官方微信]]></description>
  <item>
    <title><![CDATA[春季植树活动启动]]></title>
    <link>https://mp.weixin.qq.com/s/AAA111</link>
    <guid isPermaLink="false">AAA111</guid>
    <pubDate>Tue, 18 Mar 2025 10:00:00 +0800</pubDate>
    <description><![CDATA[<p>今天上午，<strong>全市</strong>春季义务植树活动启动。</p><a href="https://www.chengdu.gov.cn/x.html">详情</a>]]></description>
  </item>
  <item>
    <title>天气预报</title>
    <link>https://mp.weixin.qq.com/s/BBB222</link>
    <pubDate>Mon, 17 Mar 2025 02:00:00 GMT</pubDate>
    <content:encoded><![CDATA[<section>明天晴。</section>]]></content:encoded>
  </item>
  <item>
    <title>无日期的推送</title>
    <link>https://mp.weixin.qq.com/s/CCC333</link>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>武侯发布</title>
  <id>urn:wuhou</id>
  <updated>2025-03-19T08:00:00Z</updated>
  <entry>
    <title type="html">&lt;b&gt;政务公开日&lt;/b&gt;活动</title>
    <link rel="alternate" href="https://example.gov.cn/a/1"/>
    <id>urn:1</id>
    <published>2025-03-19T08:00:00+00:00</published>
    <updated>2025-03-19T09:00:00Z</updated>
    <summary type="html">&lt;p&gt;活动回顾&lt;/p&gt;</summary>
  </entry>
  <entry>
    <title>只有更新时间</title>
    <link href="https://example.gov.cn/a/2"/>
    <id>urn:2</id>
    <updated>2025-03-19T08:00:00+08:00</updated>
  </entry>
</feed>
"""

EMPTY_RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>空号</title></channel></rss>"""

LOGIN_HTML = """<!DOCTYPE html><html><head><title>登录</title></head>
<body><form action="/login"><input name="u"><input type="password" name="p"></form></body></html>"""

TRUNCATED = RSS_WECHAT[: len(RSS_WECHAT) // 2]

ENTITY_BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><title>&lol3;</title></channel></rss>"""

BAD_DATES = """<rss version="2.0"><channel><title>x</title>
<item><title>a</title><link>https://e.gov.cn/1</link><pubDate>昨天下午</pubDate></item>
<item><title>b</title><link>https://e.gov.cn/2</link><pubDate>Thu, 01 Jan 1970 00:00:00 GMT</pubDate></item>
</channel></rss>"""

FUTURE = """<rss version="2.0"><channel><title>x</title>
<item><title>未来</title><link>https://e.gov.cn/1</link><pubDate>Sat, 01 Nov 2025 10:00:00 +0800</pubDate></item>
<item><title>正常</title><link>https://e.gov.cn/2</link><pubDate>Wed, 19 Mar 2025 23:30:00 +0000</pubDate></item>
</channel></rss>"""

WEIBO_PROFILE = json.dumps({"ok": 1, "data": {"userInfo": {
    "id": 1234567890, "screen_name": "成都发布", "verified": True,
    "verified_reason": "成都市人民政府新闻办公室官方微博", "avatar_hd": "https://tvax1.sinaimg.cn/a.jpg",
    "followers_count": "123.4万"}}}, ensure_ascii=False)

WEIBO_TIMELINE = json.dumps({"ok": 1, "data": {"cardlistInfo": {"total": 5}, "cards": [
    {"card_type": 9, "mblog": {"id": "5001", "created_at": "Tue Mar 18 10:00:00 +0800 2025",
        "text": "【置顶】欢迎关注 <a href=\"https://m.weibo.cn/search\">#话题#</a>", "isTop": 1,
        "comments_count": 12, "comment_manage_info": {"comment_permission_type": -1}}},
    {"card_type": 9, "mblog": {"id": "5002", "created_at": "5分钟前", "text": "今日发布会",
        "comments_count": 0, "mblogtype": 0}},
    {"card_type": 9, "mblog": {"id": "5003", "created_at": "昨天 10:00", "text": "转发微博",
        "retweeted_status": {"id": "4000", "text": "原微博"}, "comments_count": "3"}},
    {"card_type": 11, "card_group": [{"card_type": 9, "mblog": {"id": "5004",
        "created_at": "03-18", "text": "嵌套卡片中的微博"}}]},
    {"card_type": 9, "mblog": {"id": "5005", "created_at": "12-30", "text": "去年旧帖",
        "mblogtype": 2}},
]}}, ensure_ascii=False)

HTML_LIST = """<!DOCTYPE html><html><head><title>成都发布客户端</title></head><body>
<div class="header"><a href="/">首页</a></div>
<ul class="news-list">
 <li><a href="/a/101.html">成都市召开春季森林防火工作会议</a><span>2025-03-19</span></li>
 <li><a href="/a/102.html">关于开展政务服务满意度调查的通知</a><span>2025-03-15</span></li>
 <li><a href="/a/103.html">全市重点项目建设推进情况通报</a><span>2025-03-10</span></li>
</ul></body></html>"""
