"""Collection health of a new-media account, plus the helpers every adapter shares.

Collection is fragile (feeds die, platforms block, exports are messy). Each snapshot says
whether its data can be trusted (``AccountSnapshot.health``); anything but ok / empty / manual
makes the account checks *inconclusive* with the Chinese ``health_detail`` as the reason, so
that missing data never turns into a false veto (nor a false pass).

Rules (indicators.md §3, issue "collect/media"):

* transport failure (timeout, DNS, refused ...) or HTTP >= 400 → ``unreachable`` (with status);
* server refusal (403/429/WAF page) or an HTML page where XML/JSON was expected (login or
  anti-crawler page) → ``blocked``;
* a 200 answer that is not a feed / JSON / list → ``parse_error``;
* posts parsed but none carries a usable date → ``parse_error`` "无法识别发布时间";
* a feed that parses with zero items → ``empty`` (a trustworthy "nothing published");
* posts dated more than one day after the monitoring time are kept (evidence) but flagged in
  ``health_detail`` and ignored for freshness (:func:`fresh_posts`); health stays ok.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from typing import TYPE_CHECKING

from selectolax.lexbor import LexborHTMLParser

from xuncha.collect.http import decode_body
from xuncha.model import AccountSnapshot, Page, Post, Target
from xuncha.settings import TZ

if TYPE_CHECKING:
    from xuncha.collect.http import Fetcher

__all__ = [
    "BLOCKED", "EMPTY", "FUTURE_TOLERANCE", "HEALTH_STATES", "MANUAL", "NO_SOURCE", "OK",
    "PARSE_ERROR", "STALE_SOURCE", "TRUSTWORTHY", "UNREACHABLE",
    "document_problem", "fetch_document", "fresh_posts", "future_posts", "html_to_text",
    "judge", "links_in_html", "looks_like_html", "new_snapshot", "worst",
]

OK = "ok"
EMPTY = "empty"
STALE_SOURCE = "stale_source"
BLOCKED = "blocked"
PARSE_ERROR = "parse_error"
UNREACHABLE = "unreachable"
NO_SOURCE = "no_source"
MANUAL = "manual"
HEALTH_STATES: tuple[str, ...] = (
    OK, EMPTY, STALE_SOURCE, BLOCKED, PARSE_ERROR, UNREACHABLE, NO_SOURCE, MANUAL,
)
# States whose data the account checks may judge on; the others make them inconclusive.
TRUSTWORTHY: frozenset[str] = frozenset({OK, EMPTY, MANUAL})
# Posts dated later than as_of + this are "from the future" (clock or time-zone errors).
FUTURE_TOLERANCE = timedelta(days=1)
# Documents are capped: a feed or JSON page is small; a 5 MB cut is a parse error, not a hang.
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024

_SEVERITY = {OK: 0, MANUAL: 0, EMPTY: 1, STALE_SOURCE: 2, PARSE_ERROR: 3, BLOCKED: 4,
             UNREACHABLE: 5, NO_SOURCE: 6}
_HTML_HEAD = re.compile(r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|script|div|title)\b",
                        re.I | re.S)
# Block boundaries become spaces; inline tags (<b>, <a>, <span>) join their text directly.
_BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|div|section|li|h[1-6]|tr|td|blockquote)\s*>", re.I)
_XML_DECL_ENC = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9_.\-]+)[\"']", re.I)


# --------------------------------------------------------------------------- documents
def new_snapshot(target: Target, source: str, adapter: str, documents: list[Page],
                 as_of: datetime) -> AccountSnapshot:
    """An empty snapshot carrying the stored documents (fetched_at = first document's time)."""
    when = next((d.fetched_at for d in documents if d.fetched_at is not None), None)
    return AccountSnapshot(target=target, source=source, adapter=adapter,
                           fetched_at=when or as_of, documents=list(documents))


async def fetch_document(fetcher: Fetcher, url: str, role: str = "other") -> Page:
    """GET one feed/JSON/HTML document; its decoded text always lands in ``Page.html``.

    ``Fetcher.fetch`` keeps text only for types it knows; feeds are often served as
    ``application/octet-stream`` or with the charset only in the XML declaration, so the raw
    bytes are decoded here (declaration charset first when the header names none).
    """
    page, body = await fetcher.fetch_bytes(url, max_bytes=MAX_DOCUMENT_BYTES)
    page.role = role
    if body and not page.html:
        ct = page.content_type
        m = _XML_DECL_ENC.match(body[:512])
        if m and "charset" not in page.headers.get("content-type", "").lower():
            ct = f"{ct or 'application/xml'}; charset={m.group(1).decode('ascii')}"
        page.html, page.encoding = decode_body(body, ct, final=not page.truncated)
    return page


def looks_like_html(text: str) -> bool:
    """True when a body is an HTML page (a login, captcha or error page), not XML/JSON data."""
    return bool(_HTML_HEAD.match(text[:4096]))


def document_problem(page: Page, expect: str) -> tuple[str, str] | None:
    """(health, Chinese detail) when a fetched document cannot be used, else None.

    ``expect`` is "xml", "json" or "html": an HTML page where XML/JSON was expected is a login
    or anti-crawler page (blocked), not an account without posts.
    """
    where = page.url
    if page.error is not None:
        return UNREACHABLE, f"采集地址无法访问（{page.error}）：{where}"
    if page.blocked is not None:
        return BLOCKED, f"采集地址拒绝访问（{page.blocked}，HTTP {page.status}）：{where}"
    if page.status is not None and page.status >= 400:
        return UNREACHABLE, f"采集地址返回 HTTP {page.status}：{where}"
    text = page.html
    if not text.strip():
        return PARSE_ERROR, f"采集地址返回空内容：{where}"
    if expect != "html" and looks_like_html(text):
        what = "订阅源（XML）" if expect == "xml" else "JSON 数据"
        return BLOCKED, f"采集地址返回了网页（可能是登录或反爬虫页面）而不是{what}：{where}"
    if page.truncated:
        return PARSE_ERROR, f"采集内容过大被截断，无法完整解析：{where}"
    return None


def worst(a: tuple[str, str] | None, b: tuple[str, str] | None) -> tuple[str, str] | None:
    """The more severe of two (health, detail) problems."""
    if a is None:
        return b
    if b is None:
        return a
    return a if _SEVERITY.get(a[0], 9) >= _SEVERITY.get(b[0], 9) else b


# --------------------------------------------------------------------------- text
_DROP = re.compile(r"<(script|style|template)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")


def html_to_text(html: str) -> str:
    """Readable text of a post's HTML body (feeds' CDATA, Weibo's ``text``), spaces collapsed.

    Post bodies are small fragments: a regex tag strip plus ``html.unescape`` gives the same text
    as a full parser at a fraction of its cost (creating a Lexbor document costs ~0.8 ms, which
    dominated a 2,000-account run: bench/media.py).
    """
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        return " ".join(html.split())
    text = _DROP.sub(" ", html)
    text = _BLOCK_END.sub(lambda m: m.group(0) + " ", text)
    text = _TAG.sub("", text)
    return " ".join(unescape(text).split())


def links_in_html(html: str) -> list[str]:
    """The http(s) hrefs of a post's HTML body, in order, without duplicates."""
    if not html or "href" not in html:
        return []
    out: list[str] = []
    for a in LexborHTMLParser(f"<body>{html}</body>").css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if href.startswith(("http://", "https://")) and href not in out:
            out.append(href)
    return out


# --------------------------------------------------------------------------- health
def future_posts(posts: list[Post], as_of: datetime) -> list[Post]:
    """Posts dated more than one day after the monitoring time (wrong clock / time zone)."""
    limit = as_of + FUTURE_TOLERANCE
    return [p for p in posts if p.published_at is not None and p.published_at > limit]


def fresh_posts(posts: list[Post], as_of: datetime) -> list[Post]:
    """Posts that may count for freshness (M.VETO.STALE): dated, not pinned, not deleted and
    not from the future."""
    limit = as_of + FUTURE_TOLERANCE
    return [p for p in posts if p.published_at is not None and p.published_at <= limit
            and not p.pinned and not p.deleted]


def _fmt(dt: datetime) -> str:
    return dt.astimezone(TZ).strftime("%Y-%m-%d %H:%M")


def judge(snap: AccountSnapshot, as_of: datetime,
          problem: tuple[str, str] | None = None) -> AccountSnapshot:
    """Set ``snap.health`` / ``health_detail`` from a document problem and the parsed posts."""
    if problem is not None:
        snap.health, snap.health_detail = problem
        return snap
    posts = snap.posts
    if not posts:
        snap.health, snap.health_detail = EMPTY, "采集源可正常解析，但没有任何发布内容"
        return snap
    dated = [p for p in posts if p.published_at is not None]
    if not dated:
        snap.health = PARSE_ERROR
        snap.health_detail = f"无法识别发布时间（共{len(posts)}条内容均无有效日期）"
        return snap
    snap.health = OK
    notes = [f"共{len(posts)}条内容"]
    fresh = fresh_posts(posts, as_of)
    if fresh:
        newest = max(p.published_at for p in fresh if p.published_at is not None)
        notes.append(f"最新发布于{_fmt(newest)}")
    if len(dated) < len(posts):
        notes.append(f"{len(posts) - len(dated)}条无法识别发布时间")
    future = future_posts(posts, as_of)
    if future:
        latest = max(p.published_at for p in future if p.published_at is not None)
        notes.append(f"{len(future)}条发布时间晚于监测时间（最晚{_fmt(latest)}），"
                     "疑似日期错误，时效判断中已忽略")
    snap.health_detail = "；".join(notes)
    return snap
