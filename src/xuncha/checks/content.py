"""Content correctness: serious expression errors, typos, sensitive and prohibited words.

Every crawled page's readable text (title and body, without header/nav/footer boilerplate) and
every attachment's text is read (``ctx.site.texts``). Serious errors are *candidates*: the
finding carries the suggested correction and needs an inspector's confirmation before it can
veto (indicators.md §1: "Automated detection produces candidates").
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from xuncha.checks.base import CheckContext, check
from xuncha.model import Finding, PageText, TextSegment

VARIANT_CONFIDENCE = 0.7  # typo hits below this are non-recommended variant forms
MAX_FINDINGS_PER_CODE = 30  # per site: an inspector reads every one; the rest are counted
_SERIOUS_CATEGORIES = frozenset({"gambling", "porn", "drugs", "reactionary", "violence"})
CATEGORY_LABELS = {
    "gambling": "赌博", "porn": "色情", "drugs": "毒品", "reactionary": "反动", "violence": "暴力恐怖",
    "fraud": "诈骗", "ads": "违规广告", "sensitive": "敏感",
}


def _where(pt: PageText, seg: TextSegment) -> str:
    if pt.source == "attachment":
        name = pt.title or pt.url.rsplit("/", 1)[-1]
        return f"附件「{name}」{seg.location}"
    return f"页面{seg.location}"


def _snippet(text: str, start: int, end: int, width: int = 15) -> str:
    """Context of a hit with the hit in 【】; personal numbers around it are masked."""
    from xuncha.text.pii import redact

    safe = redact(text)  # mask whole numbers before cutting: a cut number would show its digits
    if len(safe) == len(text):
        text = safe
    left = redact(text[max(0, start - width):start])
    right = redact(text[end:end + width])
    return f"{'…' if start > width else ''}{left}【{text[start:end]}】{right}{'…' if end + width < len(text) else ''}"


def _lexicon_hits(lexicon: object, ctx: CheckContext) -> Iterator[tuple[PageText, TextSegment, list]]:
    """(page, segment, matches) with one engine call per page (per-call overhead dominates on
    short segments: bench/text.py)."""
    for pt in ctx.site.texts:
        if not pt.segments:
            continue
        for seg, matches in zip(pt.segments, lexicon.find_many([s.text for s in pt.segments]), strict=True):  # type: ignore[attr-defined]
            if matches:
                yield pt, seg, matches


def _capped(ctx: CheckContext, code: str, found: list[Finding]) -> Iterator[Finding]:
    yield from found[:MAX_FINDINGS_PER_CODE]
    if len(found) > MAX_FINDINGS_PER_CODE:
        yield ctx.finding(
            code, "advisory", ctx.snapshot.home_url,
            f"另有 {len(found) - MAX_FINDINGS_PER_CODE} 处同类问题未逐条列出（共 {len(found)} 处）",
            omitted=len(found) - MAX_FINDINGS_PER_CODE,
        )


def _texts(ctx: CheckContext) -> Iterator[tuple[PageText, TextSegment]]:
    for pt in ctx.site.texts:  # an attachment cut short still has the text read before the cut
        for seg in pt.segments:
            yield pt, seg


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
    from xuncha.text.lexicon import default_lexicon
    from xuncha.text.political import default_checker

    political = default_checker()
    lexicon = default_lexicon()
    code = "W.VETO.SERIOUS_ERROR"
    found: list[Finding] = []
    prohibited: dict[tuple[str, str], tuple[PageText, TextSegment, object, dict[str, None]]] = {}
    for pt, seg in _texts(ctx):
        as_of: date = pt.date if pt.date and pt.date <= ctx.today else ctx.today
        for c in political.check(seg.text, as_of):
            found.append(ctx.finding(
                code, "veto", pt.url,
                f"{_where(pt, seg)}疑似{c.explanation}：{_snippet(seg.text, c.start, c.end)}，建议改为「{c.suggestion}」"
                + ("（依据待核实）" if not c.verified else ""),
                needs_confirmation=True, kind=c.kind, found=c.found, suggestion=c.suggestion,
                location=seg.location, source=pt.source,
            ))
    for pt, seg, matches in _lexicon_hits(lexicon, ctx):
        for m in matches:
            if m.term.category not in _SERIOUS_CATEGORIES or m.term.severity != "veto":
                continue
            key = (pt.url, m.term.category)
            if key not in prohibited:
                prohibited[key] = (pt, seg, m, {})
            prohibited[key][3].setdefault(m.text, None)  # ordered set of distinct terms
    for (url, category), (pt, seg, first, terms) in prohibited.items():
        label = CATEGORY_LABELS.get(category, category)
        words = "、".join(f"「{t}」" for t in list(terms)[:6]) + (" 等" if len(terms) > 6 else "")
        found.append(ctx.finding(
            code, "veto", url,
            f"{_where(pt, seg)}出现疑似{label}内容 {words}：{_snippet(seg.text, first.start, first.end)}",
            needs_confirmation=True, kind="prohibited", category=category, found=list(terms),
            location=seg.location, source=pt.source,
        ))
    yield from _capped(ctx, code, found)


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
    from xuncha.text.typos import default_checker

    checker = default_checker()
    code = "W.CONTENT.TYPO"
    found: list[Finding] = []
    for pt, seg in _texts(ctx):
        for h in checker.check(seg.text):
            if h.confidence < VARIANT_CONFIDENCE:  # 非推荐词形 (部份→部分): a hint, not a typo
                severity, what = "advisory", "使用了非推荐词形"
            else:
                severity, what = "deduct", "疑似错别字"
            found.append(ctx.finding(
                code, severity, pt.url,
                f"{_where(pt, seg)}{what}：{_snippet(seg.text, h.start, h.end)}，应为「{h.suggestion}」",
                found=h.found, suggestion=h.suggestion, rule=h.rule, location=seg.location, source=pt.source,
            ))
    yield from _capped(ctx, code, found)


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
    from xuncha.text.lexicon import default_lexicon

    lexicon = default_lexicon()
    code = "W.CONTENT.SENSITIVE"
    found: list[Finding] = []
    for pt, seg, matches in _lexicon_hits(lexicon, ctx):
        for m in matches:
            if m.term.severity == "veto":
                continue  # reported as W.VETO.SERIOUS_ERROR candidates
            severity = "advisory" if m.term.severity == "advisory" else "deduct"
            label = CATEGORY_LABELS.get(m.term.category, m.term.category)
            found.append(ctx.finding(
                code, severity, pt.url,
                f"{_where(pt, seg)}出现疑似{label}类信息：{_snippet(seg.text, m.start, m.end)}",
                category=m.term.category, found=m.text, location=seg.location, source=pt.source,
                lexicon=lexicon.fingerprint,
            ))
    yield from _capped(ctx, code, found)
