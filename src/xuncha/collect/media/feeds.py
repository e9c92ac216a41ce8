"""RSS 2.0 and Atom feeds (what RSSHub-style and WeChat-to-RSS services produce) → posts.

XML is parsed with ``defusedxml`` (entity definitions, external entities and DTDs are refused:
no billion-laughs, no file reads). Dates in RFC 822 (``Tue, 18 Mar 2025 10:00:00 +0800``) or
ISO 8601 (``2025-03-18T02:00:00Z``) become aware datetimes in Asia/Shanghai; a date without a
zone is read as Beijing time; an item without a (valid) date keeps ``published_at=None``.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element, ParseError

from xuncha.collect.media import health as H
from xuncha.model import AccountSnapshot, Page, Post, Target
from xuncha.settings import TZ

try:  # pragma: no branch - defusedxml is a pinned dependency; the fallback only refuses DTDs
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring as _fromstring
except ImportError:  # pragma: no cover
    from xml.etree.ElementTree import fromstring as _std_fromstring

    class DefusedXmlException(ValueError):  # type: ignore[no-redef]
        pass

    def _fromstring(text: str) -> Element:  # type: ignore[misc]
        if "<!DOCTYPE" in text or "<!ENTITY" in text:
            raise DefusedXmlException("DTD refused")
        return _std_fromstring(text)

if TYPE_CHECKING:
    from xuncha.collect.http import Fetcher

__all__ = ["FeedError", "collect", "parse", "parse_feed", "parse_feed_date"]

MIN_YEAR, MAX_YEAR = 1990, 2099
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_TZ_NAMES = re.compile(r"\s(?:GMT|UT|UTC|Z)$")


class FeedError(ValueError):
    """The text is not a usable feed; ``str(exc)`` is the Chinese reason."""


def parse_feed_date(text: str | None) -> datetime | None:
    """An aware Asia/Shanghai datetime from an RFC 822 or ISO 8601 date, else None."""
    if not text or not text.strip():
        return None
    s = " ".join(text.split())
    dt: datetime | None = None
    try:
        dt = parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError):
        dt = None
    if dt is None:
        iso = s.replace("Z", "+00:00") if s.endswith("Z") else s
        iso = _TZ_NAMES.sub("+00:00", iso)
        try:
            dt = datetime.fromisoformat(iso)
        except ValueError:
            for fmt in ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d",
                        "%Y年%m月%d日 %H:%M", "%Y年%m月%d日"):
                try:
                    dt = datetime.strptime(s, fmt)
                    break
                except ValueError:
                    continue
    if dt is None or not (MIN_YEAR <= dt.year <= MAX_YEAR):
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=TZ)
    return dt.astimezone(TZ)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if "}" in tag else tag


def _child(el: Element, *names: str) -> Element | None:
    for name in names:
        for c in el:
            if _local(c.tag) == name:
                return c
    return None


def _text(el: Element, *names: str) -> str:
    c = _child(el, *names)
    return (c.text or "").strip() if c is not None else ""


_PINNED_MARKS = frozenset({"置顶", "pinned", "top", "sticky"})


def _pinned(el: Element) -> bool:
    """A pinned item: ``<category>置顶</category>`` (RSS) or ``<category term="置顶"/>`` (Atom)."""
    return any(_local(c.tag) == "category" and ((c.text or c.get("term") or "").strip().lower() in _PINNED_MARKS)
               for c in el)


def _rss_items(channel: Element) -> list[Post]:
    posts: list[Post] = []
    for item in channel:
        if _local(item.tag) != "item":
            continue
        html = _text(item, "encoded") or _text(item, "description")
        link = _text(item, "link")
        guid = _text(item, "guid")
        url = link or (guid if guid.startswith(("http://", "https://")) else "")
        posts.append(Post(
            url=url,
            title=H.html_to_text(_text(item, "title")),
            text=H.html_to_text(html),
            published_at=parse_feed_date(_text(item, "pubDate", "date", "published", "updated")),
            pinned=_pinned(item),
            links=H.links_in_html(html),
        ))
    return posts


def _atom_link(entry: Element) -> str:
    fallback = ""
    for c in entry:
        if _local(c.tag) != "link":
            continue
        href = (c.get("href") or "").strip()
        rel = c.get("rel") or "alternate"
        if rel == "alternate" and href:
            return href
        fallback = fallback or href
    return fallback


def _atom_entries(feed: Element) -> list[Post]:
    posts: list[Post] = []
    for entry in feed:
        if _local(entry.tag) != "entry":
            continue
        html = _text(entry, "content") or _text(entry, "summary")
        posts.append(Post(
            url=_atom_link(entry) or _text(entry, "id"),
            title=H.html_to_text(_text(entry, "title")),
            text=H.html_to_text(html),
            published_at=parse_feed_date(_text(entry, "published") or _text(entry, "updated")),
            pinned=_pinned(entry),
            links=H.links_in_html(html),
        ))
    return posts


def parse_feed(text: str) -> tuple[str, str, list[Post]]:
    """(format "rss"|"atom", feed title, posts) of a feed text; raises :class:`FeedError`."""
    body = _XML_DECL.sub("", text, count=1).lstrip("\ufeff")
    try:
        root = _fromstring(body)
    except DefusedXmlException as exc:
        raise FeedError("订阅源含有实体/DTD 定义（可能是实体炸弹攻击），已拒绝解析") from exc
    except ParseError as exc:
        raise FeedError(f"订阅源 XML 不完整或格式错误（{exc}）") from exc
    tag = _local(root.tag).lower()
    if tag == "rss" or tag == "rdf":
        channel = _child(root, "channel")
        if channel is None:
            raise FeedError("RSS 订阅源缺少 channel 元素")
        items_holder = root if tag == "rdf" else channel  # RSS 1.0 keeps items beside channel
        return "rss", H.html_to_text(_text(channel, "title")), _rss_items(items_holder)
    if tag == "feed":
        return "atom", H.html_to_text(_text(root, "title")), _atom_entries(root)
    raise FeedError(f"不是 RSS/Atom 订阅源（根元素为 <{_local(root.tag)}>）")


def parse(target: Target, source: str, documents: list[Page], as_of: datetime) -> AccountSnapshot:
    """Re-parse stored feed documents (pure: no network) into a judged snapshot."""
    snap = H.new_snapshot(target, source, "rss", documents, as_of)
    if not documents:
        return H.judge(snap, as_of, (H.NO_SOURCE, "没有采集到任何订阅源文档"))
    problem: tuple[str, str] | None = None
    for doc in documents:
        bad = H.document_problem(doc, "xml")
        if bad is not None:
            problem = H.worst(problem, bad)
            continue
        try:
            fmt, title, posts = parse_feed(doc.html)
        except FeedError as exc:
            problem = H.worst(problem, (H.PARSE_ERROR, f"{exc}：{doc.url}"))
            continue
        snap.adapter = fmt
        snap.state.display_name = snap.state.display_name or title
        snap.posts.extend(posts)
    if problem is not None and not snap.posts:
        return H.judge(snap, as_of, problem)
    return H.judge(snap, as_of)


async def collect(fetcher: Fetcher, target: Target, source: str, as_of: datetime) -> AccountSnapshot:
    """Fetch the feed at ``source`` and parse it."""
    doc = await H.fetch_document(fetcher, source, role="feed")
    return parse(target, source, [doc], as_of)
