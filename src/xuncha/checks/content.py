"""Content correctness: serious expression errors, typos, sensitive and prohibited words.

Every crawled page's readable text (title and body, without header/nav/footer boilerplate) and
every attachment's text is read (``ctx.site.texts``). Serious errors are *candidates*: the
finding carries the suggested correction and needs an inspector's confirmation before it can
veto (indicators.md §1: "Automated detection produces candidates").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from xuncha.checks.base import CheckContext, check
from xuncha.model import Finding

VARIANT_CONFIDENCE = 0.7  # typo hits below this are non-recommended variant forms
MAX_FINDINGS_PER_CODE = 30  # per site: an inspector reads every one; the rest are counted
_SERIOUS_CATEGORIES = frozenset({"gambling", "porn", "drugs", "reactionary", "violence"})
CATEGORY_LABELS = {
    "gambling": "赌博", "porn": "色情", "drugs": "毒品", "reactionary": "反动", "violence": "暴力恐怖",
    "fraud": "诈骗", "ads": "违规广告", "sensitive": "敏感",
}


@dataclass(frozen=True)
class TextUnit:
    """One piece of text a content check reads, from a page, an attachment or a post.

    Website and account checks share the engines through these units: ``group`` names the page,
    attachment or post in evidence ("页面", "附件「名单.xlsx」", "内容「标题」（2025-03-10）"),
    ``location`` the place inside it, ``as_of`` the date dated rules judge it at (its own date,
    never later than the monitoring point), ``extra`` detail copied into every finding.
    """

    url: str
    group: str
    location: str
    text: str
    as_of: date
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"{self.group}{self.location}"


def site_units(ctx: CheckContext) -> list[TextUnit]:
    """Units of every crawled page and attachment (an attachment cut short still has the text
    read before the cut)."""
    assert ctx.site is not None
    out: list[TextUnit] = []
    for pt in ctx.site.texts:
        as_of = pt.date if pt.date and pt.date <= ctx.today else ctx.today
        if pt.source == "attachment":
            group = f"附件「{pt.title or pt.url.rsplit('/', 1)[-1]}」"
        else:
            group = "页面"
        extra = {"source": pt.source, "source_url": pt.source_url}
        out.extend(TextUnit(pt.url, group, seg.location, seg.text, as_of, extra) for seg in pt.segments)
    return out


def _snippet(text: str, start: int, end: int, width: int = 15) -> str:
    """Context of a hit with the hit in 【】; personal numbers around it are masked."""
    from xuncha.text.pii import redact

    safe = redact(text)  # mask whole numbers before cutting: a cut number would show its digits
    if len(safe) == len(text):
        text = safe
    left = redact(text[max(0, start - width):start])
    right = redact(text[end:end + width])
    return f"{'…' if start > width else ''}{left}【{text[start:end]}】{right}{'…' if end + width < len(text) else ''}"


def by_group(units: list[TextUnit]) -> Iterator[list[TextUnit]]:
    """Consecutive units of one page/attachment/post (engines are called once per group: the
    per-call overhead dominates on short segments, bench/text.py)."""
    for _key, grp in groupby(units, key=lambda u: (u.url, u.group)):
        yield list(grp)


def _lexicon_hits(lexicon: object, units: list[TextUnit]) -> Iterator[tuple[TextUnit, list]]:
    for grp in by_group(units):
        for unit, matches in zip(grp, lexicon.find_many([u.text for u in grp]), strict=True):  # type: ignore[attr-defined]
            if matches:
                yield unit, matches


def capped(ctx: CheckContext, code: str, found: list[Finding], url: str) -> Iterator[Finding]:
    """At most MAX_FINDINGS_PER_CODE findings, then one advisory counting the rest."""
    yield from found[:MAX_FINDINGS_PER_CODE]
    if len(found) > MAX_FINDINGS_PER_CODE:
        yield ctx.finding(
            code, "advisory", url,
            f"另有 {len(found) - MAX_FINDINGS_PER_CODE} 处同类问题未逐条列出（共 {len(found)} 处）",
            omitted=len(found) - MAX_FINDINGS_PER_CODE,
        )


def serious_error_findings(ctx: CheckContext, code: str, units: list[TextUnit]) -> list[Finding]:
    """Political-expression candidates per hit, and prohibited-content candidates grouped per
    page/post and category; all need an inspector's confirmation."""
    from xuncha.text.lexicon import default_lexicon
    from xuncha.text.political import default_checker

    political = default_checker()
    found: list[Finding] = []
    for u in units:
        for c in political.check(u.text, u.as_of):
            found.append(ctx.finding(
                code, "veto", u.url,
                f"{u.where}疑似{c.explanation}：{_snippet(u.text, c.start, c.end)}，建议改为「{c.suggestion}」"
                + ("（依据待核实）" if not c.verified else ""),
                needs_confirmation=True, kind=c.kind, found=c.found, suggestion=c.suggestion,
                location=u.location, **u.extra,
            ))
    prohibited: dict[tuple[str, str], tuple[TextUnit, object, dict[str, None]]] = {}
    for u, matches in _lexicon_hits(default_lexicon(), units):
        for m in matches:
            if m.term.category not in _SERIOUS_CATEGORIES or m.term.severity != "veto":
                continue
            entry = prohibited.setdefault((u.url, m.term.category), (u, m, {}))
            entry[2].setdefault(m.text, None)  # ordered set of distinct terms
    for (url, category), (u, first, terms) in prohibited.items():
        label = CATEGORY_LABELS.get(category, category)
        words = "、".join(f"「{t}」" for t in list(terms)[:6]) + (" 等" if len(terms) > 6 else "")
        found.append(ctx.finding(
            code, "veto", url,
            f"{u.where}出现疑似{label}内容 {words}：{_snippet(u.text, first.start, first.end)}",  # type: ignore[attr-defined]
            needs_confirmation=True, kind="prohibited", category=category, found=list(terms),
            location=u.location, **u.extra,
        ))
    return found


def typo_findings(ctx: CheckContext, code: str, units: list[TextUnit]) -> list[Finding]:
    """One finding per typo hit; non-recommended variant forms are advisory."""
    from xuncha.text.typos import default_checker

    checker = default_checker(ctx.thresholds.typo_lm_chars)
    found: list[Finding] = []
    for u in units:
        for h in checker.check(u.text):
            if h.confidence < VARIANT_CONFIDENCE:  # 非推荐词形 (部份→部分): a hint, not a typo
                severity, what = "advisory", "使用了非推荐词形"
            else:
                severity, what = "deduct", "疑似错别字"
            found.append(ctx.finding(
                code, severity, u.url,
                f"{u.where}{what}：{_snippet(u.text, h.start, h.end)}，应为「{h.suggestion}」"
                + (f"（{h.explanation}）" if h.rule == "lm" and h.explanation else ""),
                found=h.found, suggestion=h.suggestion, rule=h.rule, location=u.location, **u.extra,
            ))
    return found


def sensitive_findings(ctx: CheckContext, code: str, units: list[TextUnit]) -> list[Finding]:
    """Lexicon terms below veto severity (veto-level ones are serious-error candidates)."""
    from xuncha.text.lexicon import default_lexicon

    lexicon = default_lexicon()
    found: list[Finding] = []
    for u, matches in _lexicon_hits(lexicon, units):
        for m in matches:
            if m.term.severity == "veto":
                continue
            severity = "advisory" if m.term.severity == "advisory" else "deduct"
            label = CATEGORY_LABELS.get(m.term.category, m.term.category)
            found.append(ctx.finding(
                code, severity, u.url,
                f"{u.where}出现疑似{label}类信息：{_snippet(u.text, m.start, m.end)}",
                category=m.term.category, found=m.text, location=u.location, lexicon=lexicon.fingerprint,
                **u.extra,
            ))
    return found


@check(
    "W.VETO.SERIOUS_ERROR",
    title="严重表述错误",
    family="content",
    indicator="国办秘函〔2019〕19号 单项否决：安全、泄密事故等严重问题（严重表述错误；发布反动、暴力、色情等内容）",
)
def serious_expression_error(ctx: CheckContext) -> Iterator[Finding]:
    """W.VETO.SERIOUS_ERROR — 严重表述错误 / 发布反动、暴力、色情等内容（候选，需人工确认）.

    What: (1) leaders' names written with a same-sound or similar-shape character, a leader paired
    with an office he does not hold (or no longer held at the page's date), Standing Committee
    members listed out of order, key political formulations written wrongly; (2) gambling,
    pornographic, drug, violent or reactionary content published on a page or in an attachment.
    Each finding is a candidate carrying the suggested correction; it vetoes only after an
    inspector confirms it (``needs_confirmation``).
    Why: 国办秘函〔2019〕19号 单项否决「安全、泄密事故等严重问题」item 1 严重表述错误 and item 3
    发布或链接反动、暴力、色情等内容 (indicators.md §1).
    Example: "国务院总理李墙出席…" ⇒ candidate "疑似领导人姓名错误「李墙」，应为「李强」".
    """
    code = "W.VETO.SERIOUS_ERROR"
    yield from capped(ctx, code, serious_error_findings(ctx, code, site_units(ctx)), ctx.target_url)


@check(
    "W.CONTENT.TYPO",
    title="错别字及表述不规范",
    family="content",
    indicator="国办秘函〔2019〕19号 扣分指标：发布解读（错别字、表述不规范）",
)
def typos(ctx: CheckContext) -> Iterator[Finding]:
    """W.CONTENT.TYPO — 错别字、表述不规范（扣分）.

    What: common misused words from a curated dictionary (既使→即使, 按装→安装, 再接再励→再接再厉)
    and confusable characters detected statistically with high precision, in page titles, body
    text and attachments; header/nav/footer boilerplate is not read. One finding per instance
    with the suggested correction.
    Why: 国办秘函〔2019〕19号 发布解读 deductions for non-serious typos and 表述不规范; circulars
    (Sichuan, Inner Mongolia) list 错别字 by unit (indicators.md §2.2, §3.3).
    Example: "为做好按装工作" ⇒ "错别字「按装」，应为「安装」".
    """
    code = "W.CONTENT.TYPO"
    yield from capped(ctx, code, typo_findings(ctx, code, site_units(ctx)), ctx.target_url)


@check(
    "W.CONTENT.SENSITIVE",
    title="敏感词及违规内容",
    family="content",
    indicator="国办秘函〔2019〕19号 扣分指标：发布解读（敏感、违规信息）",
)
def sensitive_words(ctx: CheckContext) -> Iterator[Finding]:
    """W.CONTENT.SENSITIVE — 敏感词、违规信息（扣分，未达严重问题）.

    What: terms of the sensitive / prohibited lexicons whose severity is below a veto (fraud
    offers such as 代开发票/办证, illicit ads) in page text and attachments. Allow-list phrases
    beat shorter matches (大麻烦 is not 大麻). Deployment and per-site lexicons extend the
    packaged ones.
    Why: 国办秘函〔2019〕19号 发布解读 deductions; Sichuan circulars report 错敏信息 (indicators.md
    §2.2, §3.3).
    Example: "代开发票 联系QQ" in an old article ⇒ "出现疑似诈骗类信息「代开发票」".
    """
    code = "W.CONTENT.SENSITIVE"
    yield from capped(ctx, code, sensitive_findings(ctx, code, site_units(ctx)), ctx.target_url)
