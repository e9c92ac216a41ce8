"""Links of a page with anchor text and position (header / nav / body / footer).

Used by the crawler (what to fetch next) and by the link checks (W.LINK.BROKEN_HOME on the
home page, W.LINK.BROKEN_OTHER elsewhere, W.ATTACHMENT for files).
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from xuncha.extract.html import absolute, base_url, is_attachment_url, normalize_space, parse, region_of
from xuncha.model import LinkRef

# (css selector, attribute, tag label)
_SOURCES: tuple[tuple[str, str, str], ...] = (
    ("a[href]", "href", "a"),
    ("area[href]", "href", "area"),
    ("img[src]", "src", "img"),
    ("iframe[src]", "src", "iframe"),
    ("frame[src]", "src", "frame"),
    ("script[src]", "src", "script"),
    ("link[href]", "href", "link"),
)


def extract_links(html: str | LexborHTMLParser, page_url: str) -> list[LinkRef]:
    """All distinct (url, tag, position) links of a page in document order."""
    tree = parse(html) if isinstance(html, str) else html
    base = base_url(tree, page_url)
    out: list[LinkRef] = []
    seen: set[tuple[str, str]] = set()
    for selector, attr, tag in _SOURCES:
        for node in tree.css(selector):
            if tag == "link":
                rel = (node.attributes.get("rel") or "").lower()
                if "stylesheet" not in rel and "icon" not in rel:
                    continue
            url = absolute(base, node.attributes.get(attr))
            if url is None:
                continue
            key = (url, tag)
            if key in seen:
                continue
            seen.add(key)
            if tag == "a" or tag == "area":
                text = normalize_space(node.text(strip=True)) or (node.attributes.get("title") or "")
                if not text:
                    img = node.css_first("img")
                    if img is not None:
                        text = img.attributes.get("alt") or ""
            else:
                text = node.attributes.get("alt") or node.attributes.get("title") or ""
            out.append(
                LinkRef(
                    source_url=page_url,
                    url=url,
                    text=(text or "")[:120],
                    position=region_of(node),
                    tag=tag,
                    is_attachment=is_attachment_url(url),
                )
            )
    return out


def extract_hrefs(html: str | LexborHTMLParser, page_url: str) -> list[str]:
    """Fast path for the crawler: absolute URLs of <a>/<area>/<frame>/<iframe> only."""
    tree = parse(html) if isinstance(html, str) else html
    base = base_url(tree, page_url)
    out: list[str] = []
    seen: set[str] = set()
    for node in tree.css("a[href], area[href], frame[src], iframe[src]"):
        attrs = node.attributes
        url = absolute(base, attrs.get("href") or attrs.get("src"))
        if url is not None and url not in seen:
            seen.add(url)
            out.append(url)
    return out
