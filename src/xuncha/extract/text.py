"""The text a content check should read on a page: title and body paragraphs, no boilerplate.

Header, navigation and footer blocks repeat on every page and carry marks such as 公网安备 or
ICP备 that would only produce noise for typo and wording checks (W.CONTENT.TYPO), so they are
left out. Hidden blocks are *kept*: injected gambling text is usually hidden (W.VETO.SECURITY /
W.CONTENT.SENSITIVE must see it).
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from xuncha.extract.html import FOOTER_WORDS, NAV_WORDS, normalize_space, parse, title_of, words_of
from xuncha.model import TextSegment

# "top", "hd", "head" are too common inside content blocks (news-hd, tab-head): header blocks
# are only recognised near the top of the document tree.
_HEADER_WORDS = frozenset({"header", "logo", "banner", "toubu", "masthead", "topbar"})
_WEAK_HEADER_WORDS = frozenset({"head", "top", "hd"})
_HEADER_MAX_DEPTH = 4
_WEAK_HEADER_MAX_DEPTH = 1
_BLOCK_SPLIT = re.compile(r"\n+")
_MIN_SEGMENT = 2


def _depth(node: LexborNode) -> int:
    d = 0
    cur = node.parent
    while cur is not None and cur.tag not in ("body", "html", "-document"):
        d += 1
        cur = cur.parent
    return d


def _is_boilerplate(node: LexborNode) -> bool:
    if node.tag in ("footer", "nav"):
        return True
    w = words_of(node)
    if w & FOOTER_WORDS or w & NAV_WORDS:
        return True
    if node.tag == "header" or w & _HEADER_WORDS:
        return _depth(node) <= _HEADER_MAX_DEPTH
    return bool(w & _WEAK_HEADER_WORDS) and _depth(node) <= _WEAK_HEADER_MAX_DEPTH


def page_segments(html: str | LexborHTMLParser, *, max_chars: int = 400_000) -> list[TextSegment]:
    """[标题, 正文 paragraphs...] of a page; boilerplate regions removed, scripts and styles dropped."""
    tree = parse(html) if isinstance(html, str) else html
    out: list[TextSegment] = []
    title = title_of(tree)
    if title:
        out.append(TextSegment("标题", title))
    body = tree.body
    if body is None:
        return out
    tree.strip_tags(["script", "style", "noscript", "template", "select", "option"])
    doomed = [n for n in body.css("footer, nav, header, [class], [id]") if _is_boilerplate(n)]
    doomed_ids = {n.mem_id for n in doomed}
    outermost = []
    for n in doomed:  # decompose only the outermost boilerplate node of a nest
        cur = n.parent
        while cur is not None and cur.mem_id not in doomed_ids and cur.tag != "body":
            cur = cur.parent
        if cur is None or cur.mem_id not in doomed_ids:
            outermost.append(n)
    for n in outermost:
        n.decompose()
    text = body.text(separator="\n", strip=True)[:max_chars]
    for block in _BLOCK_SPLIT.split(text):
        block = normalize_space(block)
        if len(block) >= _MIN_SEGMENT:
            out.append(TextSegment("正文", block))
    return out


def snippet(text: str, start: int, end: int, *, width: int = 15, replacement: str | None = None) -> str:
    """Context around a hit with the hit in 【】 (or its masked ``replacement``)."""
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    hit = replacement if replacement is not None else text[start:end]
    pre = "…" if start > width else ""
    post = "…" if end + width < len(text) else ""
    return f"{pre}{left}【{hit}】{right}{post}"
