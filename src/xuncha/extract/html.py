"""Shared HTML helpers: parsing (selectolax/Lexbor), text, URLs and page regions.

Government pages follow the 头部标识区 / 导航 / 中间内容区 / 底部功能区 layout (政府网站发展指引),
but say so only through tag names and class/id words (``header``, ``nav``, ``foot``, ``dibu``...).
``region_of`` maps a node to one of header / nav / body / footer from its ancestors.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")

FOOTER_WORDS = frozenset(
    {"footer", "foot", "bottom", "copyright", "banquan", "dibu", "ft", "bot", "footbox", "bq"}
)
NAV_WORDS = frozenset(
    {"nav", "navbar", "menu", "mainnav", "navigation", "daohang", "dh", "menubar", "topnav",
     "subnav", "navs", "nav1", "nav2", "mainmenu", "lanmu"}
)
HEADER_WORDS = frozenset(
    {"header", "head", "logo", "banner", "toubu", "masthead", "topbar", "hd", "top"}
)

ATTACHMENT_EXTS = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".csv", ".ppt", ".pptx", ".wps", ".et", ".dps",
     ".zip", ".rar", ".7z", ".txt", ".ofd", ".ceb", ".tif", ".tiff"}
)
HTML_EXTS = frozenset({"", ".html", ".htm", ".shtml", ".shtm", ".jsp", ".asp", ".aspx", ".php", ".do", ".action", ".jhtml"})


def parse(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(html)


def words_of(node: LexborNode) -> set[str]:
    """Lower-case words of a node's id and class, split on non-alphanumerics and camelCase."""
    attrs = node.attributes
    raw = f"{attrs.get('id') or ''} {attrs.get('class') or ''}"
    raw = _CAMEL.sub(" ", raw)
    return {w for w in _WORD_SPLIT.split(raw.lower()) if w}


def region_of(node: LexborNode) -> str:
    """header / nav / body / footer for a node, decided by its ancestors (footer wins)."""
    found: set[str] = set()
    cur: LexborNode | None = node
    while cur is not None and cur.tag not in ("body", "html", "-document"):
        tag = cur.tag
        if tag == "footer":
            return "footer"
        if tag == "nav":
            found.add("nav")
        elif tag == "header":
            found.add("header")
        w = words_of(cur)
        if w:
            if w & FOOTER_WORDS:
                return "footer"
            if w & NAV_WORDS:
                found.add("nav")
            elif w & HEADER_WORDS:
                found.add("header")
        cur = cur.parent
    if "nav" in found:
        return "nav"
    if "header" in found:
        return "header"
    return "body"


def text_of(node: LexborNode | None) -> str:
    if node is None:
        return ""
    return normalize_space(node.text(separator=" ", strip=True))


_SPACES = re.compile(r"[\s\u3000\xa0]+")


def normalize_space(s: str) -> str:
    return _SPACES.sub(" ", s).strip()


def compact(s: str) -> str:
    """Remove every kind of space (for Chinese label matching)."""
    return _SPACES.sub("", s)


def base_url(tree: LexborHTMLParser, page_url: str) -> str:
    node = tree.css_first("base[href]")
    if node is not None:
        href = (node.attributes.get("href") or "").strip()
        if href:
            return urljoin(page_url, href)
    return page_url


_BAD_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "about:", "#", "vbscript:", "sms:")


def absolute(base: str, href: str | None) -> str | None:
    """Absolute http(s) URL without fragment, or None for javascript:, mailto:, anchors..."""
    if not href:
        return None
    href = href.strip().replace("\\", "/")
    if not href or href.lower().startswith(_BAD_SCHEMES):
        return None
    try:
        url = urljoin(base, href)
    except ValueError:
        return None
    url, _ = urldefrag(url)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    path = parts.path or "/"
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, parts.query, ""))


def url_ext(url: str) -> str:
    path = urlsplit(url).path
    last = path.rsplit("/", 1)[-1]
    if "." not in last:
        return ""
    return "." + last.rsplit(".", 1)[-1].lower()


def is_attachment_url(url: str) -> bool:
    return url_ext(url) in ATTACHMENT_EXTS


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def meta_tags(tree: LexborHTMLParser) -> dict[str, str]:
    """<meta name=... content=...> as a dict (first wins), names kept as written."""
    out: dict[str, str] = {}
    for m in tree.css("meta[name]"):
        name = (m.attributes.get("name") or "").strip()
        if name and name not in out:
            out[name] = (m.attributes.get("content") or "").strip()
    return out


def title_of(tree: LexborHTMLParser) -> str:
    return text_of(tree.css_first("title"))
