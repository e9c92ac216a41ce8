"""A feed item marked 置顶 is pinned: it does not make a stale account look updated."""

from datetime import datetime

from xuncha.collect.media.feeds import parse_feed

RSS = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>青山住建</title>
<item><title>置顶：住房公积金办事指南</title><link>http://x/1</link><category>置顶</category>
<pubDate>Sat, 15 Mar 2025 10:00:00 +0800</pubDate></item>
<item><title>工作动态</title><link>http://x/2</link><pubDate>Mon, 24 Feb 2025 10:00:00 +0800</pubDate></item>
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><title>置顶公告</title><link href="http://x/3"/><category term="置顶"/><updated>2025-03-15T10:00:00+08:00</updated></entry>
<entry><title>普通</title><link href="http://x/4"/><updated>2025-03-01T10:00:00+08:00</updated></entry></feed>"""


def test_pinned_items_in_rss_and_atom() -> None:
    for text in (RSS, ATOM):
        _, _, posts = parse_feed(text)
        assert [p.pinned for p in posts] == [True, False]
        assert isinstance(posts[0].published_at, datetime)
