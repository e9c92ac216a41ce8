"""A generic HTML account page (an app's web version, a profile or article-list page) → posts.

The list extractor of the website crawler (``xuncha.extract.lists.extract_list_items``) finds
the dated item rows; each becomes a post dated at 00:00 Beijing time of its list date (list
pages print days, not times). The page ``<title>`` serves as the account's display name.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from selectolax.lexbor import LexborHTMLParser

from xuncha.collect.media import health as H
from xuncha.extract.html import title_of
from xuncha.extract.lists import extract_list_items
from xuncha.model import AccountSnapshot, Page, Post, Target
from xuncha.settings import TZ

if TYPE_CHECKING:
    from xuncha.collect.http import Fetcher

__all__ = ["collect", "parse"]


def _posts(doc: Page, as_of: datetime) -> tuple[list[Post], bool]:
    """Posts of one list page, and whether the page explicitly says it has nothing."""
    tree = LexborHTMLParser(doc.html)
    listing = extract_list_items(tree, doc.final_url or doc.url, as_of.astimezone(TZ).date())
    posts = [
        Post(
            url=item.url,
            title=item.title,
            published_at=datetime.combine(item.date, time(0, 0), tzinfo=TZ) if item.date else None,
        )
        for item in listing.items
    ]
    # ``placeholder`` is also set for a bare page without list: only an explicit note counts.
    return posts, listing.no_info_note


def parse(target: Target, source: str, documents: list[Page], as_of: datetime) -> AccountSnapshot:
    """Re-parse stored HTML list pages (pure) into a judged snapshot."""
    snap = H.new_snapshot(target, source, "html_list", documents, as_of)
    if not documents:
        return H.judge(snap, as_of, (H.NO_SOURCE, "没有采集到账号页面"))
    problem: tuple[str, str] | None = None
    said_empty = False
    for doc in documents:
        bad = H.document_problem(doc, "html")
        if bad is not None:
            problem = H.worst(problem, bad)
            continue
        posts, empty_note = _posts(doc, as_of)
        said_empty = said_empty or empty_note
        if not snap.state.display_name:
            snap.state.display_name = title_of(LexborHTMLParser(doc.html))
        if not posts and not empty_note:
            problem = H.worst(problem, (H.PARSE_ERROR, f"页面中未找到内容列表：{doc.url}"))
        snap.posts.extend(posts)
    if snap.posts or (said_empty and problem is None):
        return H.judge(snap, as_of)
    return H.judge(snap, as_of, problem)


async def collect(fetcher: Fetcher, target: Target, source: str, as_of: datetime) -> AccountSnapshot:
    """Fetch the account page at ``source`` and parse its item list."""
    doc = await H.fetch_document(fetcher, source, role="column")
    return parse(target, source, [doc], as_of)
