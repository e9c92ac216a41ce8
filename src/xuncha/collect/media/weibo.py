"""Weibo's public mobile JSON (m.weibo.cn ``/api/container/getIndex``) → account state and posts.

Two documents per account: the profile (``type=uid&value=UID`` → ``data.userInfo``) and the
timeline (same URL plus ``containerid=107603UID`` → ``data.cards[].mblog``). A source of the form
``PROFILE_URL|TIMELINE_URL`` names both explicitly; any other single URL is fetched alone and
whatever it holds (userInfo and/or cards) is read.

Relative dates ("刚刚", "5分钟前", "昨天 10:00", "03-18") are resolved against the time the
document was fetched (kept in the stored ``Page``), so a later rejudge reads them the same.
Reposts (``retweeted_status``) count as posts; pinned posts (``isTop`` / ``mblogtype`` 2) are
flagged so that freshness ignores them.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from xuncha.collect.media import health as H
from xuncha.model import AccountSnapshot, AccountState, Page, Post, Target
from xuncha.settings import TZ

if TYPE_CHECKING:
    from xuncha.collect.http import Fetcher

__all__ = ["collect", "parse", "parse_count", "parse_weibo_date", "weibo_urls"]

_MINUTES = re.compile(r"^(\d+)\s*分钟前$")
_HOURS = re.compile(r"^(\d+)\s*小时前$")
_SECONDS = re.compile(r"^(\d+)\s*秒前$")
_DAY_TIME = re.compile(r"^(今天|昨天|前天)\s*(\d{1,2}):(\d{2})$")
_MD = re.compile(r"^(\d{1,2})-(\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$")
_COUNT = re.compile(r"^([\d.]+)\s*(万|亿)?\+?$")


def weibo_urls(source: str) -> list[str]:
    """The JSON URLs to fetch for a source: profile and timeline when derivable."""
    if "|" in source:
        return [u.strip() for u in source.split("|") if u.strip()]
    q = parse_qs(urlsplit(source).query)
    uid = (q.get("value") or [""])[0]
    if q.get("type") == ["uid"] and uid.isdigit() and "containerid" not in q:
        return [source, f"{source}&containerid=107603{uid}"]
    return [source]


def parse_weibo_date(text: str | None, ref: datetime) -> datetime | None:
    """A Weibo ``created_at`` (absolute or relative to ``ref``, the fetch time) → aware datetime."""
    if not text or not str(text).strip():
        return None
    s = " ".join(str(text).split())
    ref = ref.astimezone(TZ)
    try:
        return datetime.strptime(s, "%a %b %d %H:%M:%S %z %Y").astimezone(TZ)
    except ValueError:
        pass
    if s == "刚刚":
        return ref
    for rx, unit in ((_SECONDS, "seconds"), (_MINUTES, "minutes"), (_HOURS, "hours")):
        m = rx.match(s)
        if m:
            return ref - timedelta(**{unit: int(m.group(1))})
    m = _DAY_TIME.match(s)
    if m:
        back = {"今天": 0, "昨天": 1, "前天": 2}[m.group(1)]
        day = ref.date() - timedelta(days=back)
        return _at(day.year, day.month, day.day, int(m.group(2)), int(m.group(3)))
    m = _YMD.match(s)
    if m:
        return _at(int(m[1]), int(m[2]), int(m[3]), int(m[4] or 0), int(m[5] or 0))
    m = _MD.match(s)
    if m:  # this year's date; one "in the future" belongs to last year
        got = _at(ref.year, int(m[1]), int(m[2]), int(m[3] or 0), int(m[4] or 0))
        if got is not None and got > ref + timedelta(days=1):
            got = _at(ref.year - 1, int(m[1]), int(m[2]), int(m[3] or 0), int(m[4] or 0))
        return got
    return None


def _at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime | None:
    try:
        return datetime(y, mo, d, h, mi, tzinfo=TZ)
    except ValueError:
        return None


def parse_count(value: Any) -> int | None:
    """Weibo counts: 1234, "1234", "12.3万", "1亿+" → int; anything else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        m = _COUNT.match(value.strip().replace(",", ""))
        if m:
            try:
                n = float(m.group(1))
            except ValueError:
                return None
            return int(n * {"万": 10_000, "亿": 100_000_000}.get(m.group(2) or "", 1))
    return None


def _state(user: dict[str, Any], state: AccountState) -> None:
    state.display_name = str(user.get("screen_name") or state.display_name)
    if "verified" in user:
        state.verified = bool(user.get("verified"))
    state.verified_subject = str(user.get("verified_reason") or state.verified_subject)
    state.avatar_url = str(user.get("avatar_hd") or user.get("profile_image_url")
                           or state.avatar_url)
    followers = parse_count(user.get("followers_count"))
    if followers is not None:
        state.followers = followers


def _comments_enabled(mblog: dict[str, Any]) -> bool | None:
    """Whether users could comment: explicit flags first; a post with comments had them open."""
    info = mblog.get("comment_manage_info")
    if isinstance(info, dict) and info.get("comment_permission_type") == -1:
        return True  # default: everyone may comment
    for key in ("comment_disabled", "comments_disabled", "is_comment_closed"):
        if mblog.get(key) in (True, 1):
            return False
    count = parse_count(mblog.get("comments_count"))
    if count:
        return True
    return None


def _mblogs(cards: Any) -> list[dict[str, Any]]:
    """Every mblog of a card list, including those nested in card groups."""
    out: list[dict[str, Any]] = []
    if not isinstance(cards, list):
        return out
    for card in cards:
        if not isinstance(card, dict):
            continue
        mblog = card.get("mblog")
        if isinstance(mblog, dict):
            out.append(mblog)
        out.extend(_mblogs(card.get("card_group")))
    return out


def _post(mblog: dict[str, Any], doc: Page, ref: datetime) -> Post:
    mid = str(mblog.get("id") or mblog.get("mid") or "")
    bid = str(mblog.get("bid") or "")
    parts = urlsplit(doc.final_url or doc.url)
    base = f"{parts.scheme}://{parts.netloc}" if parts.netloc else "https://m.weibo.cn"
    html = str(mblog.get("text") or "")
    text = H.html_to_text(html)
    retweeted = mblog.get("retweeted_status")
    return Post(
        url=f"{base}/detail/{mid or bid}",
        title=text[:60],
        text=text,
        published_at=parse_weibo_date(mblog.get("created_at"), ref),
        kind="repost" if isinstance(retweeted, dict) else "original",
        pinned=mblog.get("isTop") in (1, True) or mblog.get("mblogtype") == 2,
        deleted=mblog.get("deleted") in ("1", 1, True),
        comments_enabled=_comments_enabled(mblog),
        comment_count=parse_count(mblog.get("comments_count")),
        links=H.links_in_html(html),
    )


def _read(doc: Page, snap: AccountSnapshot, as_of: datetime) -> tuple[str, str] | bool:
    """Fill ``snap`` from one JSON document: a (health, detail) problem when unusable, else
    whether the document held a post list (``cards``)."""
    bad = H.document_problem(doc, "json")
    if bad is not None:
        return bad
    try:
        obj = json.loads(doc.html)
    except ValueError:
        return H.PARSE_ERROR, f"微博接口返回的不是有效 JSON：{doc.url}"
    data = obj.get("data") if isinstance(obj, dict) else None
    if not isinstance(data, dict):
        msg = obj.get("msg", "") if isinstance(obj, dict) else ""
        return H.PARSE_ERROR, f"微博接口未返回数据（ok={obj.get('ok') if isinstance(obj, dict) else '?'}{'，' + str(msg) if msg else ''}）：{doc.url}"
    user = data.get("userInfo")
    if isinstance(user, dict):
        _state(user, snap.state)
    cards = data.get("cards")
    if not isinstance(user, dict) and not isinstance(cards, list):
        return H.PARSE_ERROR, f"微博接口数据中既无用户信息也无微博列表：{doc.url}"
    ref = doc.fetched_at or as_of
    for mblog in _mblogs(cards):
        snap.posts.append(_post(mblog, doc, ref))
        owner = mblog.get("user")
        if isinstance(owner, dict) and not snap.state.display_name:
            _state(owner, snap.state)
    return isinstance(cards, list)


def parse(target: Target, source: str, documents: list[Page], as_of: datetime) -> AccountSnapshot:
    """Re-parse stored Weibo JSON documents (pure) into a judged snapshot."""
    snap = H.new_snapshot(target, source, "weibo_json", documents, as_of)
    if not documents:
        return H.judge(snap, as_of, (H.NO_SOURCE, "没有采集到任何微博接口数据"))
    problem: tuple[str, str] | None = None
    timeline_ok = False
    for doc in documents:
        got = _read(doc, snap, as_of)
        if isinstance(got, tuple):
            problem = H.worst(problem, got)
        elif got:
            timeline_ok = True
    if problem is not None and not (timeline_ok and snap.posts):
        # The timeline is what freshness needs: without it, no trustworthy data.
        return H.judge(snap, as_of, problem)
    if not timeline_ok:
        return H.judge(snap, as_of, (H.PARSE_ERROR, "只获取到账号信息，未获取到微博列表"))
    return H.judge(snap, as_of)


async def collect(fetcher: Fetcher, target: Target, source: str, as_of: datetime) -> AccountSnapshot:
    """Fetch the profile and timeline JSON of ``source`` and parse them."""
    urls = weibo_urls(source)
    docs: list[Page] = []
    for i, url in enumerate(urls):
        role = "profile" if len(urls) > 1 and i == 0 else "timeline"
        docs.append(await H.fetch_document(fetcher, url, role=role))
    return parse(target, source, docs, as_of)
