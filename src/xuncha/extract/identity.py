"""Identity marks of a government site: footer marks, 找错 entry, header name (indicators.md §4.1–4.4).

Real footers are messy: ``<p>`` lines with ``&nbsp;`` separators, marks split across
``<span>``s, badge images with alt text, pipes between items, legacy local police-record forms.
Everything here therefore works on *text blocks* (one line per block element, inline pieces
joined as a reader sees them) plus the links of the footer, and tolerates spaces and
full-width punctuation everywhere.

* ``extract_footer`` → :class:`~xuncha.model.FooterMarks` (W.ID.FOOTER, W.SITEMAP)
* ``find_zhaocuo`` → 我为政府网站找错 entries, also those built in JavaScript (W.ID.ZHAOCUO)
* ``header_text`` → 头部标识区 text for the name check (W.ID.SITE_NAME; names: xuncha.text.names)
* ``icp_valid`` / ``psb_valid`` → §4.2 formats (网站标识码 §4.4: xuncha.text.names)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from xuncha.extract.html import (
    FOOTER_WORDS,
    HEADER_WORDS,
    NAV_WORDS,
    absolute,
    base_url,
    compact,
    meta_tags,
    normalize_space,
    parse,
    text_of,
    words_of,
)
from xuncha.model import ConacBadge, FooterMarks, ZhaocuoEntry

# --------------------------------------------------------------------------- text blocks
# Elements whose content flows inside a line; everything else starts a new line.
INLINE_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "big",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "font",
        "i",
        "img",
        "kbd",
        "label",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
        "var",
        "wbr",
        "nobr",
        "ins",
        "del",
        "-text",
        "input",
        "button",
    }
)
# Never part of what a visitor reads.
SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "select",
        "option",
        "textarea",
        "svg",
        "iframe",
        "object",
        "embed",
        "map",
        "-comment",
    }
)

# Full-width ASCII (！…～) and the ideographic space -> half-width; 1:1 in length, so spans
# found in the normalised text slice the original text.
_HALF = {0xFF01 + i: 0x21 + i for i in range(94)}
_HALF[0x3000] = 0x20
_HALF[0xA0] = 0x20


def to_halfwidth(s: str) -> str:
    """Full-width letters, digits and punctuation to ASCII (same length)."""
    return s.translate(_HALF)


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _join(pieces: list[str]) -> str:
    """Join inline text pieces: CJK pieces touch (豫ICP备 + 05024460), two ASCII words get a space
    (2024-01-02 + 12:30) so numbers never merge."""
    out = ""
    for piece in pieces:
        if not piece:
            continue
        if out and _is_ascii_alnum(out[-1]) and _is_ascii_alnum(piece[0]):
            out += " "
        out += piece
    return out


# Inline elements read as separate words: links and buttons (a mark split across <span>s joins).
_SEPARATED_INLINE = frozenset({"a", "button"})
_ENTER, _CLOSE_BLOCK, _CLOSE_WORD = 0, 1, 2


@dataclass
class Block:
    """One line of visible text and the innermost block element it belongs to."""

    text: str
    node: LexborNode


def _children(node: LexborNode) -> list[LexborNode]:
    out: list[LexborNode] = []
    child = node.child
    while child is not None:
        out.append(child)
        child = child.next
    return out


def text_blocks(root: LexborNode | None, *, alt_text: bool = True, img_placeholder: str = "") -> list[Block]:
    """Visible text of ``root`` as lines, one per block element (and per ``<br>``).

    Inline elements are joined without separators the way a reader sees them, so a mark split
    across ``<span>``s stays whole. ``alt_text`` adds image alt/title text as its own piece;
    ``img_placeholder`` stands for images without one.
    """
    out: list[Block] = []
    if root is None:
        return out
    pieces: list[str] = []
    blocks: list[LexborNode] = [root]

    def flush() -> None:
        if pieces:
            text = normalize_space(_join(pieces))
            pieces.clear()
            if text:
                out.append(Block(text, blocks[-1]))

    # (node, step) pairs on an explicit stack (government pages nest deeply): step is _ENTER,
    # _CLOSE_BLOCK (end of a block element) or _CLOSE_WORD (end of a link or button).
    stack: list[tuple[LexborNode, int]] = [(c, _ENTER) for c in reversed(_children(root))]
    while stack:
        node, step = stack.pop()
        if step == _CLOSE_BLOCK:
            flush()
            blocks.pop()
            continue
        if step == _CLOSE_WORD:
            pieces.append(" ")
            continue
        tag = node.tag
        if tag == "-text":
            pieces.append(node.text_content or "")
            continue
        if tag in SKIP_TAGS or tag is None:
            continue
        if tag == "br":
            flush()
            continue
        if tag == "img":
            if alt_text:
                alt = (node.attributes.get("alt") or node.attributes.get("title") or "").strip()
                alt = alt or img_placeholder
                if alt:
                    pieces.append(f" {alt} ")
            continue
        if tag == "input":
            if (node.attributes.get("type") or "").lower() in ("button", "submit"):
                pieces.append(f" {node.attributes.get('value') or ''} ")
            continue
        kids = _children(node)
        if tag in INLINE_TAGS:
            if tag in _SEPARATED_INLINE:
                pieces.append(" ")  # 无障碍 | 长者模式: neighbouring links are separate words
                stack.append((node, _CLOSE_WORD))
            stack.extend((c, _ENTER) for c in reversed(kids))
            continue
        flush()
        blocks.append(node)
        stack.append((node, _CLOSE_BLOCK))
        stack.extend((c, _ENTER) for c in reversed(kids))
    flush()
    return out


def blocks_text(blocks: list[Block]) -> str:
    return "\n".join(b.text for b in blocks)


# --------------------------------------------------------------------------- regions
def _tree(html_or_tree: str | LexborHTMLParser) -> LexborHTMLParser:
    return parse(html_or_tree) if isinstance(html_or_tree, str) else html_or_tree


def _is_within(node: LexborNode, ids: set[int]) -> bool:
    cur = node.parent
    while cur is not None:
        if cur.mem_id in ids:
            return True
        cur = cur.parent
    return False


def _region_selector(tag: str, words: frozenset[str]) -> str:
    # Substring pre-filter in CSS (fast, in C); words_of() then applies the exact word rule.
    return ", ".join([tag, *(f'[class*="{w}" i], [id*="{w}" i]' for w in sorted(words))])


def _region_roots(tree: LexborHTMLParser, tag: str, words: frozenset[str]) -> list[LexborNode]:
    """Outermost elements that are a region by tag name or by id/class words, document order."""
    body = tree.body
    if body is None:
        return []
    roots: list[LexborNode] = []
    ids: set[int] = set()
    for node in body.css(_region_selector(tag, words)):
        if node.tag in SKIP_TAGS or node.mem_id == body.mem_id or node.mem_id in ids:
            continue  # (a node matching several selectors comes back once per selector)
        if (node.tag == tag or (words_of(node) & words)) and not _is_within(node, ids):
            roots.append(node)
            ids.add(node.mem_id)
    return roots


def footer_roots(tree: LexborHTMLParser) -> list[LexborNode]:
    """Outermost ``<footer>`` / footer-word elements (``region_of`` says "footer" inside)."""
    return _region_roots(tree, "footer", FOOTER_WORDS)


def _tail_blocks(tree: LexborHTMLParser, share: float = 0.25) -> list[Block]:
    blocks = text_blocks(tree.body)
    if not blocks:
        return []
    n = max(6, math.ceil(len(blocks) * share))
    return blocks[-n:]


# --------------------------------------------------------------------------- formats
PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川蜀贵黔云滇藏陕秦甘陇青宁新"

ICP_RE = re.compile(rf"^[{PROVINCES}]ICP备\s?\d{{5,10}}号(?:-\d{{1,3}})?$")
PSB_RE = re.compile(rf"^[{PROVINCES}]公网安备\s?\d{{14}}号?$")

# Lenient finders: what is printed, valid or not (validity is judged by the *_valid helpers).
_ICP_FIND = re.compile(
    rf"(?:[{PROVINCES}]\s*)?ICP\s*(?:备案?|证)\s*(?:号|编号)?\s*:?\s*\d{{4,12}}\s*号?(?:\s*[-—–]\s*\d{{1,3}})?",
    re.I,
)
_PSB_STD_FIND = re.compile(rf"[{PROVINCES}]\s*公网安备\s*:?\s*(\d{{14}})\s*号?")
# Legacy local forms: 郑公备：41010029000130, 沪公安备 310..., 公安机关备案号：..., 京公网安备...号
_PSB_ANY_FIND = re.compile(
    r"(?:[\u4e00-\u9fff]{1,2}\s*)?(?:公网安备|公安网备|公安备案?号?|公备|网安备|公安机关备案号?)"
    r"\s*:?\s*(\d{6,20})\s*号?"
)
_SITE_CODE_FIND = re.compile(r"(?:政府)?网站(?:标识|识别)码\s*:?\s*([A-Za-z]{0,2}\s?\d{4,14})", re.I)


def _norm_code(s: str) -> str:
    return re.sub(r"\s+", "", to_halfwidth(s))


def _norm_mark(text: str) -> str:
    """Half-width, one kind of dash, no spaces: printed marks are compared space-insensitively."""
    t = to_halfwidth(text or "")
    t = re.sub(r"[—–]", "-", t)
    return re.sub(r"\s+", "", t)


def icp_valid(text: str) -> bool:
    """ICP备案编号 in the §4.2 form, e.g. ``豫ICP备05024460号-1``."""
    return bool(ICP_RE.match(_norm_mark(text)))


def psb_valid(text: str) -> bool:
    """公安机关备案号 in the §4.2 form, e.g. ``京公网安备 11040102700068号``."""
    return bool(PSB_RE.match(_norm_mark(text)))


# --------------------------------------------------------------------------- footer marks
# Where a value printed after a label stops: the next known label.
_NEXT_LABEL = re.compile(
    r"(?:承\s*办|协\s*办|主\s*办|主管单位|网站标识码|政府网站标识码|标识码|ICP|公网安备|公安备|联系|电话|地址|邮编|"
    r"邮政编码|邮箱|e-?mail|技术支持|版权|copyright|©|维护|建设单位|运维|传真|备案|网站地图|投诉|纠错|"
    r"建议使用|分辨率|浏览器)",
    re.I,
)
_VALUE = r"\s*[:：]\s*([^\s|｜丨/,，;；。:：]{2,80})"
_HOST_LABEL = re.compile(r"(?:网站)?主\s*办(?:单位|方)?" + _VALUE)
_HOST_AFTER = re.compile(r"([\u4e00-\u9fffA-Za-z0-9（）()]{3,40})\s*主\s*办(?!单位|方|\s*[:：])")
_ORG_LABEL = re.compile(r"(?:网站)?承\s*办(?:单位|方)?" + _VALUE)
_ORG_AFTER = re.compile(r"([\u4e00-\u9fffA-Za-z0-9（）()]{3,40})\s*承\s*办(?!单位|方|\s*[:：])")

_PHONE = r"(?:\(?0\d{2,3}\)?[-\s]?\d{7,8}(?:[-转]\d{1,5})?|1[3-9]\d{9}|400-?\d{3}-?\d{4}|\d{7,8}|12345)"
_ADDRESS = re.compile(r"(?:联系|通讯|通信|办公)?地址\s*[:：]\s*[^\s|｜丨:：]{4,60}")
_CONTACT_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?:联系|咨询|值班|服务|办公|监督|网站)?(?:电话|热线|联系方式)\s*[:：]?\s*" + _PHONE),
    re.compile(r"(?:(?:电子)?邮箱|e-?mail|电子邮件)?\s*[:：]?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I),
    _ADDRESS,
)
_SITEMAP_TEXT = re.compile(r"网站地图|站点地图|网站导航图")


def _cut_value(value: str) -> str:
    """A unit name ends where the next footer label starts (主办单位：XX承办单位：YY)."""
    mt = _NEXT_LABEL.search(value)
    if mt and mt.start() > 0:
        value = value[: mt.start()]
    elif mt:
        return ""
    return value.strip(" ：:|-")


def _unit(half: str, orig: str, label_rx: re.Pattern[str], after_rx: re.Pattern[str]) -> str:
    """Unit name after 主办单位： (or before 主办), found in ``half``, sliced from ``orig``."""
    for mt in label_rx.finditer(half):
        value = _cut_value(mt.group(1))
        if len(value) >= 2:
            start = mt.start(1) + mt.group(1).find(value)
            return orig[start : start + len(value)]
    for mt in after_rx.finditer(half):
        value = re.sub(r"^(?:版权所有|网站|本网|本站)", "", mt.group(1))
        if len(value) >= 3:
            return orig[mt.end(1) - len(value) : mt.end(1)]
    return ""


def _contact(half: str, orig: str) -> str:
    """Phone / e-mail / address snippets of the footer as printed, joined with "；"."""
    found: list[tuple[int, str]] = []
    for rx in _CONTACT_PATTERNS:
        for mt in rx.finditer(half):
            start, end = mt.span()
            while start < end and half[start] in " :：":
                start += 1
            if rx is _ADDRESS:
                colon = half.index(":", start)
                tail = _cut_value(half[colon + 1 : end])
                if len(tail) < 4:
                    continue
                end = half.index(tail, colon) + len(tail)
            snippet = orig[start:end].strip()
            if not any(snippet in s or s in snippet for _, s in found):
                found.append((start, snippet))
    return "；".join(s for _, s in sorted(found))


@dataclass
class _TextMarks:
    site_code: str = ""
    icp_text: str = ""
    psb_text: str = ""
    psb_code: str = ""
    psb_nonstandard: bool = False
    host_unit: str = ""
    organizer_unit: str = ""
    contact: str = ""


def _text_marks(text: str) -> _TextMarks:
    """Marks printed as text (original spelling kept; search runs on half-width text)."""
    half = to_halfwidth(text)
    marks = _TextMarks()
    mt = _SITE_CODE_FIND.search(half)
    if mt:
        marks.site_code = _norm_code(mt.group(1))
    mt = _ICP_FIND.search(half)
    if mt:
        marks.icp_text = normalize_space(text[mt.start() : mt.end()])
    mt = _PSB_STD_FIND.search(half)
    if mt:
        marks.psb_text = normalize_space(text[mt.start() : mt.end()])
        marks.psb_code = mt.group(1)
    else:
        mt = _PSB_ANY_FIND.search(half)
        if mt:
            marks.psb_text = normalize_space(text[mt.start() : mt.end()]).lstrip(":： ")
            marks.psb_code = mt.group(1)
            marks.psb_nonstandard = True
    marks.host_unit = _unit(half, text, _HOST_LABEL, _HOST_AFTER)
    marks.organizer_unit = _unit(half, text, _ORG_LABEL, _ORG_AFTER)
    marks.contact = _contact(half, text)
    return marks


_FOOTERISH = re.compile(r"版权|主办|承办|ICP|备案|标识码|copyright|©|技术支持|联系我们", re.I)


def _merge(primary: _TextMarks, fallback: _TextMarks, specific_only: bool) -> _TextMarks:
    """Fill marks missing in the footer region from the page tail. With ``specific_only`` (the
    region clearly is the footer) only marks that cannot be confused with body text are taken
    (标识码, ICP, 公安备案); a 电话 or 主办 in the body must not stand in for the footer's."""
    names = (
        ("site_code", "icp_text")
        if specific_only
        else ("site_code", "icp_text", "host_unit", "organizer_unit", "contact")
    )
    for name in names:
        if not getattr(primary, name):
            setattr(primary, name, getattr(fallback, name))
    if not primary.psb_text and fallback.psb_text:
        primary.psb_text = fallback.psb_text
        primary.psb_code = fallback.psb_code
        primary.psb_nonstandard = fallback.psb_nonstandard
    return primary


_CONAC_URL = re.compile(r"(?:https?:)?//(?:bszs|dcs)\.conac\.cn/[^\s\"'<>()]*", re.I)
_HEX32 = re.compile(r"(?<![0-9A-Fa-f])([0-9A-Fa-f]{32})(?![0-9A-Fa-f])")


def find_conac(html_or_tree: str | LexborHTMLParser, page_url: str) -> ConacBadge | None:
    """党政机关网站标识: the bszs.conac.cn certificate link, else a dcs.conac.cn badge script/image.

    The usual embed is ``document.write(unescape("%3Cscript src='//dcs.conac.cn/js/...'"))``,
    so inline scripts are read URL-decoded too."""
    tree = _tree(html_or_tree)
    base = base_url(tree, page_url)
    found: list[str] = []
    for node in tree.css("a[href], area[href], img[src], script[src], iframe[src]"):
        raw = node.attributes.get("href") or node.attributes.get("src") or ""
        if "conac.cn" in raw.lower():
            found.append(absolute(base, raw) or raw)
    for node in tree.css("script"):
        if node.attributes.get("src"):
            continue
        js = node.text(deep=True) or ""
        if "conac" not in js.lower():
            continue
        for mt in _CONAC_URL.finditer(unquote(js)):
            found.append(absolute(base, mt.group(0)) or mt.group(0))
    if not found:
        return None
    # The certificate link (bszs, 32-hex id) is the better evidence; a badge script is second.
    found.sort(key=lambda u: 0 if "bszs.conac.cn" in u.lower() else 1)
    url = found[0]
    mt = _HEX32.search(url)
    if mt:
        site_id = mt.group(1).upper()
    else:
        path = urlsplit(url).path
        stem = path.rstrip("/").rsplit("/", 1)[-1].split(".", 1)[0]
        qs = parse_qs(urlsplit(url).query)
        site_id = (qs.get("id") or qs.get("sitecode") or [stem])[0]
    return ConacBadge(url=url, site_id=site_id)


def _links(nodes: list[LexborNode]) -> list[LexborNode]:
    out: list[LexborNode] = []
    for n in nodes:
        if n.tag in ("a", "area"):
            out.append(n)
        out.extend(n.css("a[href], area[href]"))
    return out


def _anchor_text(a: LexborNode) -> str:
    text = " ".join(b.text for b in text_blocks(a, alt_text=False)) or (a.attributes.get("title") or "")
    if not text:
        img = a.css_first("img")
        if img is not None:
            text = img.attributes.get("alt") or img.attributes.get("title") or ""
    return to_halfwidth(text).strip()


def _sitemap_in(anchors: list[LexborNode], base: str) -> str:
    for a in anchors:
        # fast check on lexbor's own text first; the slower reading only for candidates
        raw = compact((a.text(deep=True) or "") + (a.attributes.get("title") or ""))
        if not (
            _SITEMAP_TEXT.search(raw)
            or (a.css_first("img") is not None and _SITEMAP_TEXT.search(_anchor_text(a)))
        ):
            continue
        url = absolute(base, a.attributes.get("href"))
        if url:
            return url
    return ""


def find_sitemap_link(html_or_tree: str | LexborHTMLParser, page_url: str, footer_first: bool = True) -> str:
    """网站地图 / 站点地图 link: footer first (its usual place), then anywhere on the page."""
    tree = _tree(html_or_tree)
    base = base_url(tree, page_url)
    if footer_first:
        found = _sitemap_in(_links(footer_roots(tree)), base)
        if found:
            return found
    return _sitemap_in(tree.css("a[href], area[href]"), base)


_LINK_MARK_HINT = re.compile(r"beian|miit|recordcode|icp|公网安备|公安|备案", re.I)


def _link_marks(tree: LexborHTMLParser, base: str, out: FooterMarks) -> None:
    """ICP and 公安 record links (their hosts are unique to them: searched on the whole page)."""
    for a in tree.css("a[href], area[href]"):
        href = a.attributes.get("href") or ""
        if not _LINK_MARK_HINT.search(
            href + " " + (a.text(deep=True) or "") + " " + (a.attributes.get("title") or "")
        ):
            continue
        url = absolute(base, href)
        if not url:
            continue
        low = url.lower()
        text = to_halfwidth(_anchor_text(a))
        if not out.icp_link and (
            "beian.miit.gov.cn" in low or "miibeian.gov.cn" in low or _ICP_FIND.search(text)
        ):
            out.icp_link = url
            if not out.icp_text:
                mt = _ICP_FIND.search(text)
                out.icp_text = normalize_space(mt.group(0)) if mt else ""
        host = urlsplit(low).hostname or ""
        if not out.psb_link and (
            (host.endswith("beian.gov.cn") and "miit" not in host) or "recordcode=" in low
        ):
            out.psb_link = url
            code = (parse_qs(urlsplit(url).query).get("recordcode") or [""])[0]
            if not out.psb_text:
                mt = _PSB_STD_FIND.search(text) or _PSB_ANY_FIND.search(text)
                if mt:
                    out.psb_text = normalize_space(mt.group(0))
                    out.psb_code = mt.group(1)
                    out.psb_nonstandard = not psb_valid(out.psb_text)
                elif code.isdigit():
                    out.psb_code = code


def extract_footer(html_or_tree: str | LexborHTMLParser, page_url: str) -> FooterMarks:
    """Footer marks of §4.2 (W.ID.FOOTER).

    The footer is the "footer" region (``<footer>`` or footer id/class words). A mark not found
    there — or every mark when the page marks no footer — is looked for in the last quarter of
    the page's text blocks (for a clearly marked footer only the marks that cannot be confused
    with body text: 标识码, ICP, 公安备案). Link-borne marks (conac, ICP/公安 record links) are
    looked for on the whole page: their hosts are unique to them.
    """
    tree = _tree(html_or_tree)
    base = base_url(tree, page_url)
    roots = footer_roots(tree)
    root_blocks: list[Block] = []
    for r in roots:
        root_blocks.extend(text_blocks(r))
    footer_text = blocks_text(root_blocks)
    if footer_text:
        marks = _text_marks(footer_text)
        specific = bool(_FOOTERISH.search(footer_text))
        wanted = (
            ("site_code", "icp_text", "psb_text")
            if specific
            else ("site_code", "icp_text", "psb_text", "host_unit", "organizer_unit", "contact")
        )
        if not all(getattr(marks, n) for n in wanted):  # the page tail is read only when needed
            marks = _merge(marks, _text_marks(blocks_text(_tail_blocks(tree))), specific)
    else:
        footer_text = blocks_text(_tail_blocks(tree))
        marks = _text_marks(footer_text)

    out = FooterMarks(
        conac=find_conac(tree, page_url),
        site_code=marks.site_code,
        icp_text=marks.icp_text,
        psb_text=marks.psb_text,
        psb_code=marks.psb_code,
        psb_nonstandard=marks.psb_nonstandard,
        host_unit=marks.host_unit,
        organizer_unit=marks.organizer_unit,
        contact=marks.contact,
        footer_text=footer_text[:2000],
    )
    _link_marks(tree, base, out)
    out.sitemap_url = _sitemap_in(_links(roots), base) or _sitemap_in(tree.css("a[href], area[href]"), base)
    return out


# --------------------------------------------------------------------------- 找错 entry
ZHAOCUO_LEGACY_HOST = "121.43.68.40"
ZHAOCUO_HOST = "zfwzgl.www.gov.cn"
_JIUCUO_LITERAL = re.compile(r"""(["'`])([^"'`\s]*?jiucuo\.html[^"'`\s]*)\1""", re.I)
_CODE = r"([A-Za-z]{0,2}\d{6,14})"
_CODE_ASSIGN = re.compile(r"""site_?code["']?\s*[:=]\s*["']""" + _CODE + r"""["']""", re.I)
_CODE_IN_URL = re.compile(r"site_?code=" + _CODE, re.I)
_CODE_CONCAT = re.compile(r"""\s*\+\s*["']""" + _CODE + r"""["']""")
_FUNC_BEFORE = re.compile(
    r"function\s+([A-Za-z_$][\w$]*)\s*\(|([A-Za-z_$][\w$]*)\s*[:=]\s*function\s*\(|"
    r"([A-Za-z_$][\w$]*)\s*=\s*\([^)]*\)\s*=>"
)
_HANDLER_ATTRS = ("onclick", "onmousedown", "onmouseup", "ontouchstart", "onkeydown", "onsubmit")


def _site_code_of(url: str) -> str:
    qs = parse_qs(urlsplit(url).query)
    for key in ("site_code", "sitecode", "siteCode"):
        if qs.get(key):
            return qs[key][0].strip()
    return ""


def _entry_url(url_or_base: str, code: str, page_url: str) -> str:
    base = url_or_base.split("?", 1)[0]
    if base.startswith("//"):
        base = "https:" + base
    return f"{base}?site_code={code}&url={quote(page_url, safe='')}"


def _legacy(url: str) -> bool:
    return (urlsplit(url if "//" in url else "http://" + url).hostname or "") == ZHAOCUO_LEGACY_HOST


def _script_sources(tree: LexborHTMLParser, base: str, scripts: dict[str, str]) -> list[str]:
    """JS the page runs: inline scripts, event-handler attributes, external scripts it loads
    (all of ``scripts`` when none of them is referenced under the same URL)."""
    sources: list[str] = []
    for node in tree.css("script"):
        if not node.attributes.get("src"):
            sources.append(node.text(deep=True) or "")
    for node in tree.css(
        "[onclick], [onmousedown], [onsubmit], [onkeydown], a[href^='javascript'], [onmouseup], [ontouchstart]"
    ):
        for attr in _HANDLER_ATTRS:
            if node.attributes.get(attr):
                sources.append(node.attributes[attr] or "")
        href = node.attributes.get("href") or ""
        if href.lower().startswith("javascript"):
            sources.append(href)
    if scripts:
        referenced = set()
        for node in tree.css("script[src]"):
            url = absolute(base, node.attributes.get("src"))
            if url:
                referenced.add(url)
        keys = [k for k in scripts if k in referenced or (absolute(base, k) or k) in referenced]
        for k in keys or list(scripts):
            sources.append(scripts[k] or "")
    return sources


def _function_name_before(js: str, pos: int) -> str:
    name = ""
    for mt in _FUNC_BEFORE.finditer(js, 0, pos):
        name = mt.group(1) or mt.group(2) or mt.group(3) or ""
    return name


def _code_from_call(name: str, sources: list[str]) -> str:
    call = re.compile(rf"""(?<![\w$.]){re.escape(name)}\s*\(\s*["']{_CODE}["']""")
    for src in sources:
        mt = call.search(src)
        if mt:
            return mt.group(1)
    return ""


def _code_for_literal(js: str, literal: str, end: int, sources: list[str], meta_code: str) -> str:
    code = _site_code_of(literal)
    if code:
        return code
    mt = _CODE_CONCAT.match(js, end)  # "...site_code=" + "4100000001"
    if mt and literal.lower().endswith(("site_code=", "sitecode=")):
        return mt.group(1)
    name = _function_name_before(js, end)
    if name:
        code = _code_from_call(name, sources)
        if code:
            return code
    for src in [js, *sources]:
        mt = _CODE_ASSIGN.search(src)
        if mt:
            return mt.group(1)
    if "siteidcode" in js.lower() and meta_code:
        return meta_code  # the script reads <meta name="SiteIDCode">
    return ""


def find_zhaocuo(
    html_or_tree: str | LexborHTMLParser, page_url: str, scripts: dict[str, str] | None = None
) -> list[ZhaocuoEntry]:
    """我为政府网站找错 entries of a page (§4.3, W.ID.ZHAOCUO).

    Found as: ``<a href=".../exposure/jiucuo.html?site_code=...">``; the official embed
    ``<script id="_jiucuo_" sitecode="..." src=".../exposure/jiucuo.js">``; or a URL literal
    with ``jiucuo.html`` in inline/external JS (``scripts``: script URL → JS source), whose
    ``site_code`` is taken from the literal, a string concatenated to it, the argument of a call
    to the enclosing function (``onclick="Link('4100000001')"``), a ``site_code = '...'``
    assignment, or the page's ``SiteIDCode`` meta when the script reads it. A ``jiucuo.png``
    badge with none of these yields one entry with an empty URL (badge without a working link).
    """
    tree = _tree(html_or_tree)
    base = base_url(tree, page_url)
    entries: list[ZhaocuoEntry] = []
    seen: set[tuple[str, str, bool]] = set()

    def add(entry: ZhaocuoEntry) -> None:
        key = ((urlsplit(entry.url).hostname or "") if entry.url else "", entry.site_code, entry.via_script)
        if key not in seen:
            seen.add(key)
            entries.append(entry)

    for a in tree.css("a[href], area[href]"):
        href = a.attributes.get("href") or ""
        if "jiucuo.html" in href.lower() and not href.lower().startswith("javascript"):
            url = absolute(base, href) or href
            add(ZhaocuoEntry(url=url, site_code=_site_code_of(url), legacy_host=_legacy(url)))

    for node in tree.css("script[src]"):
        src = node.attributes.get("src") or ""
        if "exposure/jiucuo" in src.lower() or node.attributes.get("id") == "_jiucuo_":
            url = absolute(base, src) or src
            attrs = node.attributes
            code = (
                attrs.get("sitecode") or attrs.get("site_code") or attrs.get("data-sitecode") or ""
            ).strip()
            add(
                ZhaocuoEntry(
                    url=_entry_url(url.replace("jiucuo.js", "jiucuo.html"), code, page_url) if code else url,
                    site_code=code,
                    via_script=True,
                    legacy_host=_legacy(url),
                )
            )

    sources = _script_sources(tree, base, scripts or {})
    meta_code = meta_tags(tree).get("SiteIDCode", "")
    for js in sources:
        if "jiucuo.html" not in js.lower():
            continue
        for mt in _JIUCUO_LITERAL.finditer(js):
            literal = mt.group(2)
            if literal.lower().startswith("javascript"):
                continue
            code = _code_for_literal(js, literal, mt.end(), sources, meta_code)
            target = absolute(base, literal) or literal
            complete = bool(_site_code_of(literal)) and "+" not in js[mt.end() : mt.end() + 3]
            url = target if complete else (_entry_url(target, code, page_url) if code else target)
            add(ZhaocuoEntry(url=url, site_code=code, via_script=True, legacy_host=_legacy(target)))

    if not entries:
        for img in tree.css("img[src]"):
            if "jiucuo" in (img.attributes.get("src") or "").lower():
                handler = " ".join(img.attributes.get(a) or "" for a in _HANDLER_ATTRS)
                parent = img.parent
                if parent is not None and parent.tag == "a":
                    handler += " " + " ".join(
                        parent.attributes.get(a) or "" for a in (*_HANDLER_ATTRS, "href")
                    )
                mt = re.search(r"""\(\s*["']""" + _CODE + r"""["']""", handler)
                code = mt.group(1) if mt else ""
                add(ZhaocuoEntry(url="", site_code=code, via_script=bool(handler.strip())))
                break
    if any(e.site_code for e in entries):
        # a generic script (the official jiucuo.js itself) gives a code-less duplicate
        entries = [e for e in entries if e.site_code]
    return entries


# --------------------------------------------------------------------------- header / name
def header_roots(tree: LexborHTMLParser) -> list[LexborNode]:
    """Outermost ``<header>`` / header-word elements that are not navigation or footer, in
    document order. When some come before the main navigation, only those: a ``hd`` block in
    the content area (互动) is not the 头部标识区."""
    cands = []
    for node in _region_roots(tree, "header", HEADER_WORDS):
        w = words_of(node)
        if w & FOOTER_WORDS or (w & NAV_WORDS and not (w & HEADER_WORDS)):
            continue
        cands.append(node)
    navs = _region_roots(tree, "nav", NAV_WORDS)
    if not cands or not navs or tree.body is None:
        return cands
    order = {n.mem_id: i for i, n in enumerate(tree.body.traverse())}
    first_nav = order.get(navs[0].mem_id, 0)
    before = [n for n in cands if order.get(n.mem_id, 0) < first_nav]
    return before or cands


def header_text(html_or_tree: str | LexborHTMLParser) -> str:
    """Text of the 头部标识区 (§4.1, W.ID.SITE_NAME): the first header-region blocks with their
    image alt text (logos are images), the logo images' alt/title, and the first ``<h1>``.
    Without a header region, the first three text blocks of the page stand in for it."""
    tree = _tree(html_or_tree)
    parts: list[str] = []
    roots = header_roots(tree)[:3]  # a top bar (日期, 无障碍) often comes before the logo block
    for root in roots:
        parts.extend(b.text for b in text_blocks(root)[:12])
    if not parts and tree.body is not None:
        parts.extend(b.text for b in text_blocks(tree.body)[:3])
    for img in tree.css("img"):
        attrs = img.attributes
        hint = f"{attrs.get('src') or ''} {attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
        parent = img.parent
        if parent is not None:
            hint += " " + " ".join(words_of(parent))
        if "logo" in hint:
            alt = (attrs.get("alt") or attrs.get("title") or "").strip()
            if alt and alt not in parts:
                parts.append(alt)
    h1 = text_of(tree.css_first("h1"))
    if h1 and h1 not in parts:
        parts.append(h1)
    return normalize_space(" ".join(parts))[:500]


