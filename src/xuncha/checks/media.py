"""New-media account checks (indicators.md §3, §7.4–7.6).

Account checks read ``ctx.account`` (an :class:`AccountSnapshot`), never fetch, and are fair to
fragile collection: when the snapshot's ``health`` is not trustworthy (anything but ok / empty /
manual, :data:`xuncha.collect.media.health.TRUSTWORTHY`) a check that needs the posts emits one
``inconclusive`` finding naming ``health_detail`` instead of a verdict (no data → no false veto).

Dates are compared by calendar day in Asia/Shanghai: a window "N days before T" is the closed
interval ``[T − N days, T]`` (indicators.md §0). Posts that count are those of
:func:`~xuncha.collect.media.health.fresh_posts`: dated, not pinned, not deleted, not from the
future. Manual evidence (adapter ``manual``) arrives as posts and counts on its date.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from difflib import SequenceMatcher
from urllib.parse import urlsplit

from xuncha.checks.base import CheckContext, check, guarded
from xuncha.checks.content import (
    TextUnit,
    capped,
    sensitive_findings,
    serious_error_findings,
    typo_findings,
)
from xuncha.checks.privacy import pii_findings
from xuncha.collect.media.health import TRUSTWORTHY, fresh_posts
from xuncha.model import AccountSnapshot, Finding, Post
from xuncha.settings import TZ

MEDIA_KINDS: tuple[str, ...] = ("wechat", "weibo", "douyin", "toutiao", "app", "miniprogram", "other")

# Windows of M.VETO.STALE (14 days [C]) and M.UPDATE.SLOW (7 days [U]; provinces use 7 or 10,
# 待核实) are Thresholds.media_stale_days / media_update_slow_days, set by the rule set.
STALE_DAYS = 14  # the M.REGISTRY.MISMATCH "still posting" window
# [U] "临近最后期限更新": gaps of 12–14 days between consecutive posts, at least 3 times in 90 days.
DEADLINE_GAP_DAYS = (12, 14)
DEADLINE_GAP_MIN = 3
PATTERN_WINDOW_DAYS = 90
# [U] indicators.md §7.6 defaults for dormant accounts (僵尸号).
DORMANT_DAYS = 90
DORMANT_MIN_POSTS = 3
REPOST_TITLE_SIMILARITY = 0.9  # [U] indicators.md §7.4
INTERACTION_LABELS = {
    "comments": "评论", "messages": "私信/留言", "menu": "留言菜单", "auto_reply": "自动回复",
    "feedback": "意见反馈/咨询",
}
ACCOUNT_CLOSED = {"closed": "已关闭", "banned": "已被封禁", "not_found": "无法找到（可能已注销）"}
_PUNCT = re.compile(r"[\W_]+")
# Hosts that are obviously placeholders, never a working link.
_PLACEHOLDER_HOSTS = re.compile(
    r"^(?:localhost|127(?:\.\d+){3}|0\.0\.0\.0|(?:[\w-]+\.)*example\.(?:com|org|net)|.*\.(?:test|invalid|example|localhost))$",
    re.I,
)


# --------------------------------------------------------------------------- helpers
def _day(dt: datetime) -> date:
    return dt.astimezone(TZ).date()


def _untrusted(ctx: CheckContext, code: str) -> Finding | None:
    """An inconclusive finding when the account's data cannot be judged, else None."""
    acc = ctx.account
    if acc is None:
        return ctx.finding(code, "inconclusive", ctx.target.url, "未采集到账号数据，无法判断", health="missing")
    if acc.health in TRUSTWORTHY:
        return None
    why = acc.health_detail or acc.health
    return ctx.finding(code, "inconclusive", ctx.target_url,
                       f"账号数据采集异常（{why}），无法判断", health=acc.health)


# Account checks judge trustworthy data only: when the collection failed (blocked,
# unreachable, parse error …) a check yields one inconclusive finding naming why, never a veto.
_trusted_only = guarded(_untrusted)


def _counted(acc: AccountSnapshot, as_of: datetime) -> list[Post]:
    """Posts that count as updates, newest first."""
    posts = fresh_posts(acc.posts, as_of)
    return sorted(posts, key=lambda p: p.published_at, reverse=True)  # type: ignore[arg-type, return-value]


def _in_window(posts: list[Post], today: date, days: int) -> list[Post]:
    start = today - timedelta(days=days)
    return [p for p in posts if p.published_at is not None and _day(p.published_at) >= start]


def _label(post: Post) -> str:
    """How evidence names a post: 「title」（date）."""
    title = post.title.strip() or (post.text.strip()[:20] + ("…" if len(post.text.strip()) > 20 else ""))
    from xuncha.text.pii import redact

    when = _day(post.published_at).isoformat() if post.published_at else "日期不详"
    return f"「{redact(title) or '无标题'}」（{when}）"


def _post_units(ctx: CheckContext) -> list[TextUnit]:
    """Title and text of every non-deleted post, judged at the post's own date."""
    assert ctx.account is not None
    out: list[TextUnit] = []
    for p in ctx.account.posts:
        if p.deleted:
            continue
        group, as_of = f"内容{_label(p)}", _post_date(p, ctx.today)
        if p.title.strip():
            out.append(TextUnit(p.url, group, "标题", p.title, as_of))
        if p.text.strip():
            out.append(TextUnit(p.url, group, "正文", p.text, as_of))
    return out


def _post_date(post: Post, today: date) -> date:
    """The date dated rules (leaders in office) judge a post at: its own, never later than T."""
    if post.published_at is None:
        return today
    return min(_day(post.published_at), today)


def _fold_title(s: str) -> str:
    return _PUNCT.sub("", unicodedata.normalize("NFKC", s or "")).lower()


# platform verification texts add the account type: "青山市人民政府新闻办公室官方微博"
_VERIFIED_SUFFIX = re.compile(r"(?:的)?(?:官方)?(?:微博|微信公众号|公众号|抖音号|头条号|账号|帐号|网站)$")


def _same_unit(verified: str, owner: str) -> bool:
    a = _VERIFIED_SUFFIX.sub("", _fold_unit(verified))
    b = _fold_unit(owner)
    return a == b or (len(b) >= 4 and a.startswith(b) and len(a) - len(b) <= 4)


def _fold_unit(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s or "").split()).lower()


def _fold_url(u: str) -> str:
    u = (u or "").strip()
    u = re.sub(r"^https?://", "", u, flags=re.I)
    return u.rstrip("/").lower()


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return _day(value) if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


# --------------------------------------------------------------------------- updates
@check(
    "M.VETO.STALE",
    title="内容不更新",
    family="media",
    indicator="国办秘函〔2019〕19号 政务新媒体单项否决指标：内容不更新（监测时间点前2周内无更新）",
    kinds=MEDIA_KINDS,
)
@_trusted_only
def account_stale(ctx: CheckContext) -> Iterator[Finding]:
    """M.VETO.STALE — 内容不更新（单项否决）.

    What: the account published nothing in the 14 days before the monitoring point, the closed
    window [T − 14 days, T] by calendar day. Reposts count as posts; pinned old posts, deleted
    posts and posts dated after T do not. Manual evidence counts on its date. A trustworthy
    source with no posts at all (health "empty") vetoes; an untrustworthy collection (blocked,
    unreachable, parse error ...) is one inconclusive finding naming why, never a veto.
    Why: 国办秘函〔2019〕19号 政务新媒体单项否决「内容不更新：监测时间点前2周内无更新」
    (indicators.md §3.1).
    Example: newest post 2024-05-01, T = 2024-05-20 ⇒ veto "近14天（2024-05-06至2024-05-20）无更新，
    最近一次发布于2024-05-01".
    """
    code = "M.VETO.STALE"
    acc = ctx.account
    assert acc is not None
    today = ctx.today
    stale_days = ctx.thresholds.media_stale_days
    counted = _counted(acc, ctx.as_of)
    if _in_window(counted, today, stale_days):
        return
    start = today - timedelta(days=stale_days)
    span = f"近{stale_days}天（{start.isoformat()}至{today.isoformat()}）无更新"
    ignored = [p for p in acc.posts if p not in counted]
    note = f"；另有 {len(ignored)} 条置顶、已删除、无日期或日期晚于监测时间的内容不计入" if ignored else ""
    if counted:
        newest = counted[0]
        yield ctx.finding(code, "veto", ctx.target_url, f"{span}，最近一次发布为{_label(newest)}{note}",
                          newest=_day(newest.published_at).isoformat(), newest_url=newest.url,  # type: ignore[arg-type]
                          window_days=stale_days)
    else:
        yield ctx.finding(code, "veto", ctx.target_url, f"{span}，采集源中没有可计入的发布内容{note}",
                          newest=None, window_days=stale_days)


@check(
    "M.UPDATE.SLOW",
    title="内容更新不及时",
    family="media",
    indicator="国办发〔2018〕123号 政务新媒体内容更新要求；省级通报扣分项：内容更新不及时（窗口待核实）",
    kinds=MEDIA_KINDS,
)
@_trusted_only
def account_slow(ctx: CheckContext) -> Iterator[Finding]:
    """M.UPDATE.SLOW — 内容更新不及时（扣分，未达否决）.

    What: (1) the newest counted post is older than Thresholds.media_update_slow_days (7 days, [U] default,
    provinces set 7 or 10) but still inside the 14-day veto window → deduct; (2) "临近最后期限更新":
    in the last 90 days the gap between consecutive posting days is 12–14 days at least 3 times
    → advisory (the account updates just before the veto deadline).
    Why: 国办发〔2018〕123号 requires timely publication; Jiangsu/Fujian/Sichuan circulars deduct
    内容更新不及时 below the veto of 国办秘函〔2019〕19号 and warn about 临近最后期限更新
    (indicators.md §3.3).
    Example: newest post 10 days before T ⇒ deduct "最近一次发布距监测时间10天，超过7天".
    """
    code = "M.UPDATE.SLOW"
    acc = ctx.account
    assert acc is not None
    today = ctx.today
    counted = _counted(acc, ctx.as_of)
    stale_days, slow_days = ctx.thresholds.media_stale_days, ctx.thresholds.media_update_slow_days
    recent = _in_window(counted, today, stale_days)
    if recent:
        newest = recent[0]
        age = (today - _day(newest.published_at)).days  # type: ignore[arg-type]
        if age > slow_days:
            yield ctx.finding(
                code, "deduct", ctx.target_url,
                f"最近一次发布为{_label(newest)}，距监测时间{age}天，超过{slow_days}天（窗口待核实）",
                age_days=age, window_days=slow_days, newest_url=newest.url,
            )
    days = sorted({_day(p.published_at) for p in _in_window(counted, today, PATTERN_WINDOW_DAYS)})  # type: ignore[arg-type]
    lo, hi = DEADLINE_GAP_DAYS
    gaps = [(a, b) for a, b in zip(days, days[1:], strict=False) if lo <= (b - a).days <= hi]
    if len(gaps) >= DEADLINE_GAP_MIN:
        shown = "、".join(f"{a.isoformat()}→{b.isoformat()}" for a, b in gaps[:5])
        yield ctx.finding(
            code, "advisory", ctx.target_url,
            f"近{PATTERN_WINDOW_DAYS}天内有{len(gaps)}次相邻发布间隔为{lo}至{hi}天（{shown}），"
            "疑似临近最后期限才更新",
            pattern="deadline", gaps=len(gaps),
        )


# --------------------------------------------------------------------------- interaction
@check(
    "M.VETO.INTERACTION",
    title="互动回应差",
    family="media",
    indicator="国办秘函〔2019〕19号 政务新媒体单项否决指标：互动回应差（未提供有效互动功能）",
    kinds=MEDIA_KINDS,
)
@_trusted_only
def account_interaction(ctx: CheckContext) -> Iterator[Finding]:
    """M.VETO.INTERACTION — 未提供有效互动功能（单项否决）.

    What: veto when every interaction path the source reports (comments, messages, message menu,
    auto-reply, app feedback) is closed, or when every post with a known comment setting has
    comments closed and no other path is known to be open. Nothing known (no interaction data,
    no comment settings) is inconclusive, never a veto.
    Why: 国办秘函〔2019〕19号 单项否决「互动回应差」: 未提供有效互动功能 (indicators.md §3.1).
    Example: interaction {"comments": False, "messages": False} ⇒ veto "未发现有效互动功能：评论、私信/留言均已关闭".
    """
    code = "M.VETO.INTERACTION"
    acc = ctx.account
    assert acc is not None
    known = {k: v for k, v in acc.state.interaction.items() if v is not None}
    posts = [p for p in acc.posts if not p.deleted and p.comments_enabled is not None]
    if any(known.values()) or any(p.comments_enabled for p in posts):
        return
    if known:
        closed = "、".join(INTERACTION_LABELS.get(k, k) for k in known)
        unknown = [INTERACTION_LABELS.get(k, k) for k, v in acc.state.interaction.items() if v is None]
        tail = f"（{'、'.join(unknown)}情况未知）" if unknown else ""
        yield ctx.finding(code, "veto", ctx.target_url, f"未发现有效互动功能：{closed}均已关闭{tail}",
                          closed=sorted(known), unknown=sorted(k for k, v in acc.state.interaction.items() if v is None))
    elif posts:
        yield ctx.finding(code, "veto", ctx.target_url,
                          f"未发现有效互动功能：已采集的 {len(posts)} 条内容均关闭评论，且未发现其他互动渠道",
                          closed=["comments"], posts=len(posts))
    else:
        yield ctx.finding(code, "inconclusive", ctx.target_url, "未采集到评论、留言等互动功能信息，无法判断")


# --------------------------------------------------------------------------- content
@check(
    "M.VETO.SERIOUS_ERROR",
    title="严重表述错误",
    family="media",
    indicator="国办秘函〔2019〕19号 政务新媒体单项否决指标：严重表述错误；发布或链接反动、暴力、色情等内容",
    kinds=MEDIA_KINDS,
)
@_trusted_only
def account_serious_error(ctx: CheckContext) -> Iterator[Finding]:
    """M.VETO.SERIOUS_ERROR — 严重表述错误 / 发布反动、暴力、色情等内容（候选，需人工确认）.

    What: the website engines run over every post's title and text: leaders' names and offices
    (judged at the post's own date), formulation errors, and veto-level prohibited lexicon terms
    (gambling, porn, drugs, violence, reactionary; one candidate per post and category). Every
    finding names the post (title, date, URL) with a masked snippet and needs an inspector's
    confirmation before it vetoes. At most 30 are listed; the rest are counted.
    Why: 国办秘函〔2019〕19号 政务新媒体单项否决「严重表述错误」「发布或链接反动、暴力、色情等内容」
    (indicators.md §3.1).
    Example: post "国务院总理李墙出席…" ⇒ candidate "疑似领导人姓名错误「李墙」，应为「李强」".
    """
    code = "M.VETO.SERIOUS_ERROR"
    yield from capped(ctx, code, serious_error_findings(ctx, code, _post_units(ctx)), ctx.target_url)


@check(
    "M.CONTENT.TYPO",
    title="错别字及表述不规范",
    family="media",
    indicator="国办秘函〔2019〕19号 发布解读（错别字、表述不规范）；省级通报扣分项：政务新媒体错别字",
    kinds=MEDIA_KINDS,
)
@_trusted_only
def account_typos(ctx: CheckContext) -> Iterator[Finding]:
    """M.CONTENT.TYPO — 错别字、表述不规范（扣分）.

    What: the website typo engine over every post's title and text; one finding per instance
    naming the post with the suggested correction; non-recommended variant forms are advisory.
    At most 30 are listed; the rest are counted.
    Why: 国办秘函〔2019〕19号 deducts 错别字 and 表述不规范; Inner Mongolia and Sichuan circulars list
    new-media 错别字 by unit (indicators.md §3.3).
    Example: post text "已为小区按装智能门禁" ⇒ "疑似错别字「按装」，应为「安装」".
    """
    code = "M.CONTENT.TYPO"
    yield from capped(ctx, code, typo_findings(ctx, code, _post_units(ctx)), ctx.target_url)


@check(
    "M.CONTENT.SENSITIVE",
    title="敏感词及违规内容",
    family="media",
    indicator="国办秘函〔2019〕19号 发布解读（敏感、违规信息）；省级通报扣分项：政务新媒体错敏信息",
    kinds=MEDIA_KINDS,
)
@_trusted_only
def account_sensitive(ctx: CheckContext) -> Iterator[Finding]:
    """M.CONTENT.SENSITIVE — 敏感词、违规信息（扣分，未达严重问题）.

    What: lexicon terms below veto severity (fraud offers, illicit ads ...) in post titles and
    texts; veto-level terms are M.VETO.SERIOUS_ERROR candidates instead. At most 30 listed.
    Why: 国办秘函〔2019〕19号 发布解读 deductions; Sichuan circulars report new-media 错敏信息
    (indicators.md §3.3).
    Example: post "代开发票 联系QQ" ⇒ "出现疑似诈骗类信息「代开发票」".
    """
    code = "M.CONTENT.SENSITIVE"
    yield from capped(ctx, code, sensitive_findings(ctx, code, _post_units(ctx)), ctx.target_url)


@check(
    "M.PRIVACY.LEAK",
    title="个人信息未脱敏",
    family="media",
    indicator="国办秘函〔2019〕19号 发布解读（个人信息保护）；2018年政务公开工作要点（去标识化）",
    kinds=MEDIA_KINDS,
)
@_trusted_only
def account_privacy(ctx: CheckContext) -> Iterator[Finding]:
    """M.PRIVACY.LEAK — 个人信息未脱敏（扣分）.

    What: unmasked ID numbers (checksum-valid), mobile numbers and bank card numbers in post
    titles and texts; one finding per post with counts per kind and up to three masked examples.
    The leaked value itself never appears in evidence. At most 30 posts listed.
    Why: 国办秘函〔2019〕19号 counts leaks under 发布解读 (veto when severe); personal information
    outside mandatory disclosure must be de-identified since the 2018 政务公开工作要点
    (indicators.md §8).
    Example: post "公示：张三 身份证号 110105198001011234" ⇒ "含未脱敏个人信息：身份证号 1 处（如 正文 1101**********1234）".
    """
    code = "M.PRIVACY.LEAK"
    yield from capped(ctx, code, pii_findings(ctx, code, _post_units(ctx)), ctx.target_url)


# --------------------------------------------------------------------------- menu / links
def _link_problem(url: str) -> str | None:
    """Why a menu or post link cannot work, judged from the URL alone (no network), else None.
    Only certain cases: empty, javascript:/about:blank/#, malformed http(s), placeholder hosts.
    Other schemes (weixin://, mini-program paths) cannot be judged offline and pass."""
    u = (url or "").strip()
    if not u:
        return "链接为空"
    low = u.lower()
    if low.startswith("javascript:") or low in ("#", "about:blank"):
        return f"链接为无效占位地址（{u[:40]}）"
    if low.startswith(("http:", "https:")):
        if any(ch.isspace() for ch in u):
            return "链接地址格式错误（含空白字符）"
        try:
            parts = urlsplit(u)
            host = parts.hostname or ""
        except ValueError:
            return "链接地址格式错误"
        if not low.startswith(("http://", "https://")) or not host or ".." in host or host.startswith("."):
            return "链接地址格式错误（无有效域名）"
        if _PLACEHOLDER_HOSTS.match(host):
            return f"链接指向测试或本机地址（{host}）"
    return None


@check(
    "M.MENU.BROKEN",
    title="功能无法使用",
    family="media",
    indicator="国办发〔2018〕123号 政务新媒体功能可用要求；省级通报扣分项：菜单、链接无法使用",
    kinds=MEDIA_KINDS,
)
@_trusted_only
def account_menu_broken(ctx: CheckContext) -> Iterator[Finding]:
    """M.MENU.BROKEN — 菜单、链接功能无法使用（扣分）.

    What: account menu entries and links in posts whose URL certainly cannot work, judged from
    the data only (no network): empty, javascript:/#/about:blank placeholders, malformed http(s)
    URLs, and links to test or loopback hosts (localhost, example.com, *.test). Other schemes
    (mini-program paths, weixin://) are not judged. One finding per distinct broken URL.
    Why: 国办发〔2018〕123号 requires working functions; Jiangsu circulars deduct 功能无法使用
    (menu, link or mini-program entry broken) (indicators.md §3.3).
    Example: menu entry ("办事服务", "javascript:void(0)") ⇒ "菜单「办事服务」链接为无效占位地址".
    """
    code = "M.MENU.BROKEN"
    acc = ctx.account
    assert acc is not None
    found: list[Finding] = []
    seen: set[str] = set()
    for text, url in acc.state.menu:
        why = _link_problem(url)
        key = f"menu\0{text}\0{url}"
        if why is None or key in seen:
            continue
        seen.add(key)
        found.append(ctx.finding(code, "deduct", url or ctx.target_url, f"菜单「{text or '未命名'}」：{why}",
                                 where="menu", text=text, link=url))
    for post in acc.posts:
        if post.deleted:
            continue
        for url in post.links:
            why = _link_problem(url)
            if why is None or url in seen:
                continue
            seen.add(url)
            found.append(ctx.finding(code, "deduct", post.url, f"内容{_label(post)}中的链接「{url[:80]}」：{why}",
                                     where="post", link=url))
    yield from capped(ctx, code, found, ctx.target_url)


# --------------------------------------------------------------------------- registry
@check(
    "M.REGISTRY.MISMATCH",
    title="账号信息与备案不一致",
    family="media",
    indicator="国办发〔2018〕123号 政务新媒体开设、变更、关停、注销报备要求（全国政务新媒体信息报送系统）",
    kinds=MEDIA_KINDS,
)
def account_registry_mismatch(ctx: CheckContext) -> Iterator[Finding]:
    """M.REGISTRY.MISMATCH — 账号名称、认证主体或状态与备案不一致（扣分）.

    What: (1) the displayed account name differs from the filed name (compared folded: width,
    spaces, punctuation, 网站/官网 suffixes); (2) the verified subject differs from the filed
    owner unit (when both are known); (3) the platform says the account is closed, banned or
    not found while the registry says running; (4) the registry says closed/cancelled while the
    account still posts (a post in the last 14 days). One finding per difference.
    Why: 国办发〔2018〕123号 requires filing every opening, change, closure and cancellation in
    全国政务新媒体信息报送系统; circulars (Baoji, Sichuan 2025) deduct renamed or closed accounts
    that were not re-filed (indicators.md §3.3, §7.5).
    Example: registry "成都发布", platform name "成都发布厅" ⇒ "账号名称「成都发布厅」与备案名称「成都发布」不一致".
    """
    from xuncha.text.names import normalize_site_name

    code = "M.REGISTRY.MISMATCH"
    acc = ctx.account
    if acc is None:
        return
    t, st, url = ctx.target, acc.state, ctx.target_url
    if st.display_name.strip() and t.name.strip() and normalize_site_name(st.display_name) != normalize_site_name(t.name):
        yield ctx.finding(code, "deduct", url, f"账号名称「{st.display_name}」与备案名称「{t.name}」不一致",
                          field="name", shown=st.display_name, filed=t.name)
    if st.verified_subject.strip() and t.owner.strip() and not _same_unit(st.verified_subject, t.owner):
        yield ctx.finding(code, "deduct", url, f"认证主体「{st.verified_subject}」与备案主管单位「{t.owner}」不一致",
                          field="owner", shown=st.verified_subject, filed=t.owner)
    if st.status in ACCOUNT_CLOSED and t.status == "running":
        yield ctx.finding(code, "deduct", url,
                          f"平台显示账号{ACCOUNT_CLOSED[st.status]}，备案状态仍为运行（{t.status_raw or '运行'}），未报备关停或注销",
                          field="status", shown=st.status, filed=t.status)
    if t.status in ("closed", "cancelled"):
        recent = _in_window(_counted(acc, ctx.as_of), ctx.today, STALE_DAYS)
        if recent:
            yield ctx.finding(code, "deduct", url,
                              f"备案状态为{t.status_raw or ('关停' if t.status == 'closed' else '注销')}，"
                              f"但账号近{STALE_DAYS}天仍在发布（最近：{_label(recent[0])}）",
                              field="status", shown="posting", filed=t.status)


@check(
    "M.REGISTRY.DUPLICATE",
    title="同一单位同一平台重复开设账号",
    family="media",
    indicator="国办发〔2018〕123号 原则上一个单位在同一平台只开设一个政务新媒体账号",
    kinds=MEDIA_KINDS,
)
def account_duplicate(ctx: CheckContext) -> Iterator[Finding]:
    """M.REGISTRY.DUPLICATE — 同一单位在同一平台重复开设账号（扣分）.

    What: another running registry entry of the same platform (kind) has the same owner unit
    (compared without spaces and width differences). One finding per pair, emitted on the entry
    whose id sorts later. Kind "other" names no single platform and is not compared; entries
    without an owner are not compared.
    Why: 国办发〔2018〕123号: one account per unit per platform; duplicates are merged or closed
    (indicators.md §3.2).
    Example: two running WeChat accounts owned by "某县人民政府办公室" ⇒ finding on the later id
    naming the other account.
    """
    code = "M.REGISTRY.DUPLICATE"
    t = ctx.target
    owner = _fold_unit(t.owner)
    if not owner or t.kind == "other" or t.status != "running":
        return
    for p in sorted(ctx.peers, key=lambda x: x.id):
        if p.id == t.id or p.kind != t.kind or p.status != "running" or _fold_unit(p.owner) != owner:
            continue
        if t.id <= p.id:
            continue
        yield ctx.finding(code, "deduct", t.url,
                          f"主管单位「{t.owner}」在同一平台已有运行中的账号「{p.name}」（{p.id}），疑似重复开设",
                          other_id=p.id, other_name=p.name, other_url=p.url)


# --------------------------------------------------------------------------- reposting
def _matches_task(post: Post, title: str, url: str) -> bool:
    want = _fold_title(title)
    if want and post.title and SequenceMatcher(None, want, _fold_title(post.title)).ratio() >= REPOST_TITLE_SIMILARITY:
        return True
    u = _fold_url(url)
    if u:
        if any(_fold_url(link) == u for link in post.links):
            return True
        if u in post.text.lower():
            return True
    return False


@check(
    "M.REPOST.MISSING",
    title="重要信息未按时转载",
    family="media",
    indicator="国办发〔2018〕123号 政务新媒体协同联动、重要信息转载要求；省级通报：重要信息转载任务",
    kinds=MEDIA_KINDS,
)
def account_repost_missing(ctx: CheckContext) -> Iterator[Finding]:
    """M.REPOST.MISSING — 重要信息转载任务未按时完成（扣分）.

    What: for every repost task assigned to this account whose deadline is on or before T, a
    post must exist, dated on or before the deadline, whose title matches the task title
    (SequenceMatcher ratio ≥ 0.9 after removing spaces and punctuation) or that links or quotes
    the task URL. Otherwise one finding per task, saying whether it was found late (and when)
    or not at all. Deleted posts do not count.
    Why: 国办发〔2018〕123号 asks new media to relay important government information; provincial
    circulars (Sichuan, Meishan, Xichang) report repost completion and name late units
    (indicators.md §3.3, §7.4; matching method [U]).
    Example: task "关于做好防汛工作的通知", deadline 2024-05-10, reposted 2024-05-12 ⇒
    "转载任务「关于做好防汛工作的通知」逾期完成：截止2024-05-10，实际发布于2024-05-12".
    """
    code = "M.REPOST.MISSING"
    today = ctx.today
    tasks = []
    for task in ctx.repost_tasks:
        targets = task.get("targets") or []
        deadline = _as_date(task.get("deadline"))
        if ctx.target.id in [str(x) for x in targets] and deadline is not None and deadline <= today:  # type: ignore[union-attr]
            tasks.append((str(task.get("title") or ""), str(task.get("url") or ""), deadline))
    if not tasks:
        return
    bad = _untrusted(ctx, code)
    if bad is not None:
        yield bad
        return
    acc = ctx.account
    assert acc is not None
    posts = [p for p in acc.posts if not p.deleted]
    for title, url, deadline in tasks:
        name = title or url
        matched = [p for p in posts if _matches_task(p, title, url)]
        dated = sorted((p for p in matched if p.published_at is not None and _day(p.published_at) <= today),
                       key=lambda p: p.published_at)  # type: ignore[arg-type, return-value]
        if any(_day(p.published_at) <= deadline for p in dated):  # type: ignore[arg-type]
            continue
        if dated:
            late = _day(dated[0].published_at)  # type: ignore[arg-type]
            yield ctx.finding(code, "deduct", dated[0].url,
                              f"转载任务「{name}」逾期完成：截止{deadline.isoformat()}，实际发布于{late.isoformat()}",
                              task=name, task_url=url, deadline=deadline.isoformat(), late=True,
                              found_at=late.isoformat())
        elif matched:
            yield ctx.finding(code, "inconclusive", matched[0].url,
                              f"转载任务「{name}」找到相应内容，但无法识别其发布时间，无法判断是否按时完成",
                              task=name, task_url=url, deadline=deadline.isoformat())
        else:
            yield ctx.finding(code, "deduct", url or ctx.target_url,
                              f"转载任务「{name}」未完成：截止{deadline.isoformat()}，账号中未发现相应内容",
                              task=name, task_url=url, deadline=deadline.isoformat(), late=False)


# --------------------------------------------------------------------------- dormant
@check(
    "M.DORMANT",
    title="僵尸号（长期不更新或基本不用）",
    family="media",
    indicator="国办发〔2018〕123号 对功能相近、用户关注度低的政务新媒体进行清理整合",
    kinds=MEDIA_KINDS,
)
@_trusted_only
def account_dormant(ctx: CheckContext) -> Iterator[Finding]:
    """M.DORMANT — 僵尸号：应清理整合的低效账号（提示）.

    What: advisory when, in the 90 days before T, the account posted nothing, or fewer than 3
    times, or only reposts (defaults [U], 待核实). M.VETO.STALE stays the pass/fail test; this
    only flags accounts to merge or close.
    Why: 国办发〔2018〕123号 asks to clean up and merge accounts that are rarely used or not
    maintained (僵尸号) (indicators.md §3.2, §7.6).
    Example: 2 posts in the last 90 days ⇒ advisory "近90天仅发布2条内容（少于3条）".
    """
    code = "M.DORMANT"
    acc = ctx.account
    assert acc is not None
    quarter = _in_window(_counted(acc, ctx.as_of), ctx.today, DORMANT_DAYS)
    url = ctx.target_url
    if not quarter:
        yield ctx.finding(code, "advisory", url, f"近{DORMANT_DAYS}天无任何发布，疑似僵尸号（标准待核实）",
                          reason="no_posts", posts=0)
    elif len(quarter) < DORMANT_MIN_POSTS:
        yield ctx.finding(code, "advisory", url,
                          f"近{DORMANT_DAYS}天仅发布{len(quarter)}条内容（少于{DORMANT_MIN_POSTS}条），疑似僵尸号（标准待核实）",
                          reason="few_posts", posts=len(quarter))
    elif all(p.kind == "repost" for p in quarter):
        yield ctx.finding(code, "advisory", url,
                          f"近{DORMANT_DAYS}天的{len(quarter)}条内容均为转发，无原创内容，疑似僵尸号（标准待核实）",
                          reason="reposts_only", posts=len(quarter))


_SECRET_MARK = re.compile(r"(绝密|机密|秘密)\s*★")
_HIJACK_CATEGORIES = frozenset({"gambling", "porn", "drugs", "fraud", "ads"})
HIJACK_WINDOW_DAYS = 3  # [U] product default: a burst is ≥ HIJACK_MIN_POSTS such posts in 3 days
HIJACK_MIN_POSTS = 3


@check(
    "M.VETO.SECURITY",
    title="安全、泄密事故（账号被盗用、泄露国家秘密）",
    family="media",
    indicator="国办秘函〔2019〕19号 政务新媒体单项否决：安全、泄密事故等严重问题",
    kinds=MEDIA_KINDS,
)
@_trusted_only
def account_security(ctx: CheckContext) -> Iterator[Finding]:
    """M.VETO.SECURITY — 泄露国家秘密；账号被盗用、发布非本单位内容（候选，需人工确认）.

    What: (1) a post carrying a 密级 mark (秘密★ / 机密★ / 绝密★); (2) hijack evidence: a burst of
    commercial, gambling, porn, drug or fraud posts (≥ 3 posts within 3 days whose text hits those
    lexicons) that a government account would never publish. Each finding is a candidate that needs
    an inspector's confirmation before it vetoes. An account whose data cannot be trusted is
    inconclusive. (Name/avatar changes are compared with the registry under M.REGISTRY.MISMATCH.)
    Why: 国办秘函〔2019〕19号 政务新媒体单项否决「安全、泄密事故等严重问题」: 泄露国家秘密, 账号被
    盗用或发布非本单位内容 (indicators.md §3.1).
    Example: 3 posts on 03-10..03-12 advertising 百家乐/注册送彩金 ⇒ candidate
    "2025-03-10 至 2025-03-12 连续发布 3 条赌博、诈骗类内容，疑似账号被盗用".
    """
    from xuncha.text.lexicon import default_lexicon

    code = "M.VETO.SECURITY"
    acc = ctx.account
    assert acc is not None
    for post in acc.posts:
        if post.deleted:
            continue
        m = _SECRET_MARK.search(f"{post.title} {post.text}")
        if m:
            yield ctx.finding(code, "veto", post.url or ctx.target_url,
                              f"{_label(post)}含密级标志「{m.group(0)}」，疑似泄露国家秘密",
                              needs_confirmation=True, kind="secret_mark", mark=m.group(0))
    lexicon = default_lexicon()
    posts = [p for p in acc.posts if not p.deleted and p.published_at is not None]
    texts = [f"{p.title} {p.text}" for p in posts]
    spam: list[tuple[Post, list[str]]] = []
    for post, matches in zip(posts, lexicon.find_many(texts), strict=True):
        words = [mt.text for mt in matches if mt.term.category in _HIJACK_CATEGORIES]
        if words:
            spam.append((post, words))
    spam.sort(key=lambda pw: pw[0].published_at)  # type: ignore[arg-type, return-value]
    for i in range(len(spam)):
        start = spam[i][0].published_at
        burst = [pw for pw in spam[i:] if pw[0].published_at - start <= timedelta(days=HIJACK_WINDOW_DAYS)]  # type: ignore[operator]
        if len(burst) >= HIJACK_MIN_POSTS:
            words = list(dict.fromkeys(w for _, ws in burst for w in ws))[:5]
            first, last = burst[0][0].published_at, burst[-1][0].published_at
            yield ctx.finding(
                code, "veto", burst[0][0].url or ctx.target_url,
                f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d} 连续发布 {len(burst)} 条商业、赌博或诈骗类内容"
                f"（{'、'.join(f'「{w}」' for w in words)}），疑似账号被盗用",
                needs_confirmation=True, kind="hijack_burst", posts=[p.url for p, _ in burst], words=words,
            )
            break
