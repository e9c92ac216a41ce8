"""List pages (栏目列表页, 首页信息块) -> dated items, pagination, blank/no-info notes.

How a list is found without knowing the CMS: every link with a title-like text is an
*anchor*; its *row* is the highest ancestor (a few levels up) that holds no other item link
(the ``<li>``, ``<tr>``, ``<dl>`` or ``<div class="item">``); rows sharing a parent form a
*container*. A row's date is read from the row text outside the title, then from short date
badges inside the link, then from the siblings that follow (``<dt><a/></dt><dd>date</dd>``).
A container is a list when its rows carry dates, or, undated, when its links read like
titles (long texts, same site) and it is not a side menu.

On column pages side blocks (left menu, 热点排行, 相关信息) are ignored unless they hold the
main list (templates do put it in ``con-left``): their dated items belong to other columns
and would make a stale column look fresh (栏目不更新). On the home page every block, tab and carousel counts (首页不更新).

Everything is one parse and a few linear passes, so a 1 MB page takes tens of milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qsl, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from xuncha.extract.dates import (
    date_from_meta,
    date_from_url,
    first_date,
    labeled_date,
    normalize,
    split_date,
)
from xuncha.extract.html import (
    FOOTER_WORDS,
    HEADER_WORDS,
    NAV_WORDS,
    absolute,
    base_url,
    host_of,
    meta_tags,
    normalize_space,
    parse,
    region_of,
    title_of,
    words_of,
)
from xuncha.extract.taxonomy import canonical_column_url
from xuncha.model import Item

MAX_ROW_UP = 6  # ancestors climbed from a link to find its row
MIN_TITLE_LEN = 2
TITLE_LIKE_LEN = 8  # undated lists: links this long read like titles, not column names
ARTICLE_MIN_CHARS = 80  # non-link text that makes a page an article, not an empty list
MAX_NEXT_PAGES = 100

# Blocks beside the content. Positional words (left, sidebar) are weak: many templates put the
# main list in "con-left". Functional words (热点, 相关, 友情链接, sub-menus) are strong.
POSITIONAL_SIDE_WORDS = frozenset(
    {"left", "side", "sidebar", "aside", "leftbar", "leftbox", "sider", "lside", "leftside", "slide_left"}
)
STRONG_SIDE_WORDS = frozenset(
    {"leftnav", "leftmenu", "lmdh", "zlm", "ejlm", "ejdh", "sjlm", "submenu", "sonnav",
     "hot", "hots", "rank", "ranking", "paihang", "phb", "tuijian", "recommend", "related",
     "relate", "xgwz", "xgxx", "xglj", "rdxx", "rdph", "rdwz", "share", "fenxiang", "friend",
     "links", "yqlj", "friendlink"}
)
SIDE_WORDS = POSITIONAL_SIDE_WORDS | STRONG_SIDE_WORDS
CRUMB_WORDS = frozenset(
    {"crumb", "crumbs", "breadcrumb", "breadcrumbs", "position", "location", "weizhi", "dqwz",
     "curpos", "currentpos", "mbx", "lujing", "nowpos", "pos", "wz", "dangqian", "path"}
)
_EXCLUDED_TAGS = frozenset({"script", "style", "noscript", "template", "select", "option", "textarea",
                            "iframe", "object", "svg", "head", "title"})
_REGION_WORDS = FOOTER_WORDS | NAV_WORDS | HEADER_WORDS

# Link texts that are never items (after removing symbols, lower-cased).
_SKIP_TEXTS = frozenset(
    {"更多", "more", "查看更多", "更多信息", "更多内容", "更多新闻", "首页", "网站首页", "返回首页", "主页",
     "上一页", "下一页", "上页", "下页", "尾页", "末页", "第一页", "最后一页", "前一页", "后一页",
     "跳转", "go", "返回", "返回顶部", "顶部", "打印", "打印本页", "关闭", "关闭窗口", "收藏",
     "加入收藏", "设为首页", "分享", "详情", "详细", "查看", "进入", "点击查看", "阅读全文", "全文",
     "下载", "附件", "english", "无障碍", "无障碍浏览", "长者模式", "关怀版", "适老化", "登录",
     "注册", "简体", "繁体", "繁體", "手机版", "移动版", "微信", "微博", "站点地图", "网站地图",
     "联系我们", "prev", "next", "previous", "last", "first"}
)
_PAGER_TEXTS = frozenset({"下一页", "下页", "末页", "尾页", "最后一页", "后一页", "next", "last"})
_SYMBOLS = re.compile(r"[\s\u3000\xa0>»›<«‹\-+_|/\\.:：,，、·•●■□▪◆◇▶►\[\]【】()（）]+")
_DIGITS = re.compile(r"^\d{1,4}$")
_PAGE_TEXT = re.compile(r"^第?\d{1,4}页?$")
_BULLET = re.compile(r"^[\s·•●○■□▪◆◇▶►▸>》\-—·]+")
_TRUNC = re.compile(r"(?:\.{2,}|…+|。。+)\s*$")

_PLACEHOLDER = re.compile(
    r"暂无(?:相关)?(?:信息|数据|内容|记录|文章|新闻|公告|文件|更新|资料)?|正在建设|建设中|敬请期待|"
    r"正在更新|待更新|没有找到(?:相关)?(?:信息|记录|数据|内容)|(?:没有|无)(?:相关)?记录|共\s*0\s*条|总共\s*0\s*条"
)
# Explanations that nothing was produced (indicators.md §1 W.VETO.BLANK_COLUMNS: NOT blank).
_NO_INFO_NOTE = re.compile(
    r"未(?:产生|制发|发生|出台|制定|收到|受理|发布过?|形成)[^。；;]{0,20}(?:信息|文件|事项|申请|内容|情况|数据|公文)|"
    r"不涉及|无此(?:类|项)|不(?:承担|具有|具备)[^。；;]{0,12}(?:职能|职责|事项|权限)|"
    r"(?:本|我)(?:机关|单位|部门|局|委|办|院|厅|中心|政府|镇|乡|街道|县|区|市|委员会|办公室)"
    r"[^。，,；;]{0,14}(?:无|没有)[^。；;]{0,20}(?:信息|内容|事项|情况|数据|文件)|"
    r"(?:^|[\s。:：])无\s*[。.;；]?\s*(?:说明|原因|备注)\s*[:：]|"
    r"(?:无|没有)[^。；;]{0,16}(?:原因|说明)\s*[:：]"
)
_CYCLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("month", re.compile(r"月报|每月|按月|月度(?:报告|报表|数据)|逐月")),
    ("quarter", re.compile(r"季报|每季|按季|季度(?:报告|报表)")),
    ("year", re.compile(r"年报|每年|按年|年度(?:报告|报表)")),
)
_CRUMB_SELECTOR = ", ".join(
    f"[{attr}*={word}]" for attr in ("class", "id")
    for word in ("crumb", "position", "location", "weizhi", "dqwz", "pos", "mbx", "lujing", "wz", "path", "dangqian")
)
_CRUMB_LABEL = re.compile(r"(?:当前位置|您的位置|您现在的位置|你的位置|你现在的位置|所在位置|现在位置)")
_JS_CALL = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_JS_VAR = r"(?:var\s+|let\s+|const\s+)?{name}\s*=\s*['\"]?([\w.]+)['\"]?"
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_PAGE_NUM = re.compile(r"(?:_|page[=_/-]?|pageno[=_]?|pagenum[=_]?|p=|index_|list_|curpage=|pageindex=)(\d{1,5})", re.I)


@dataclass
class ListPage:
    """What a list page (栏目页) says about its column.

    ``no_info_note``: the page explains that no information was produced (本机关本年度未产生
    依申请公开信息, 无。说明：...): such a column is NOT blank. ``placeholder``: nothing but a
    placeholder (暂无信息, 正在建设中, 敬请期待) or an empty list. ``has_article``: the page itself
    carries article text (a single-page column such as 机构职能), so it is not empty either.
    """

    items: list[Item] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    no_info_note: bool = False
    placeholder: bool = False
    declared_cycle: str | None = None
    has_article: bool = False
    breadcrumb: str = ""
    heading: str = ""


@dataclass
class _Row:
    """One item line. Its date and final title are read only when its container is needed."""

    a: LexborNode
    node: LexborNode  # the row element (li, tr, dl, div.item ... or the link itself)
    url: str
    text: str
    title_attr: str
    same_site: bool
    item: Item | None = None

    @property
    def title_len(self) -> int:
        return len(self.item.title if self.item is not None else self.text)


@dataclass
class _Container:
    node: LexborNode
    rows: list[_Row] = field(default_factory=list)
    region: str = "body"
    side: int = 0  # 0 content, 1 positional side block (left/sidebar), 2 functional (热点/相关/menu)

    @property
    def dated(self) -> int:
        return sum(1 for r in self.rows if r.item is not None and r.item.date is not None)

    @property
    def items(self) -> list[Item]:
        return [r.item for r in self.rows if r.item is not None]


# --------------------------------------------------------------------------- helpers
def _tree(html: str | LexborHTMLParser) -> LexborHTMLParser:
    return parse(html) if isinstance(html, str) else html


def key_text(text: str) -> str:
    return _SYMBOLS.sub("", text).lower()


def is_skip_text(text: str) -> bool:
    """更多, 首页, 下一页, page numbers...: link texts that never name an item or a column."""
    key = key_text(text)
    return not key or key in _SKIP_TEXTS or bool(_PAGE_TEXT.match(key))


_TITLE_IN_LINK = "h1, h2, h3, h4, h5, h6, [class*=tit], [class*=bt]"


def _anchor_text(a: LexborNode) -> str:
    """Link text; a card link (``<a><h4>title</h4><p>summary</p></a>``) gives its heading."""
    text = " ".join(a.text(separator=" ", strip=True).split())  # str.split knows \u3000 and \xa0
    if len(text) > 40:
        head = a.css_first(_TITLE_IN_LINK)
        if head is not None:
            t = normalize_space(head.text(separator=" ", strip=True))
            if len(t) >= 4:
                return t
    if not text:
        img = a.css_first("img[alt]")
        if img is not None:
            text = normalize_space(img.attributes.get("alt") or "")
    return text


def _clean_title(text: str, title_attr: str) -> str:
    text = _BULLET.sub("", text).strip()
    title_attr = normalize_space(title_attr or "")
    if not title_attr or title_attr == text:
        return text
    stem = _TRUNC.sub("", text).strip()
    if _TRUNC.search(text) and len(title_attr) >= len(stem):
        return title_attr  # "市政府召开...": the full title is in title=""
    if len(title_attr) > len(text) and stem and title_attr.startswith(stem[: max(2, len(stem) - 1)]):
        return title_attr
    return text


def side_level(node: LexborNode) -> int:
    """0: content; 1: inside a positional side block (left, sidebar, <aside>); 2: inside a
    functional one (left menu, 热点排行, 相关信息, 友情链接), by tag and class/id words."""
    level = 0
    cur: LexborNode | None = node
    while cur is not None and cur.tag not in ("body", "html", "-document"):
        if cur.tag == "aside":
            level = 1
        w = words_of(cur)
        if w:
            if w & STRONG_SIDE_WORDS:
                return 2
            if w & POSITIONAL_SIDE_WORDS:
                level = 1
        cur = cur.parent
    return level


def in_side_block(node: LexborNode) -> bool:
    """Inside a left menu / sidebar / 热点排行 / 相关链接 block."""
    return side_level(node) > 0


def same_site(url: str, host: str) -> bool:
    h = host_of(url)
    return h == host or h.removeprefix("www.") == host.removeprefix("www.")


# --------------------------------------------------------------------------- dates of rows
_DATE_TAGS = frozenset({"span", "em", "i", "font", "b", "small", "time", "div", "p", "strong", "label",
                        "cite", "td", "dd", "var", "sup", "sub"})


_CLOSERS = " ])】)）"  # sets of characters for strip()
_OPENERS = " [(（【"


def _date_inside_anchor(a: LexborNode, text: str, ref: date) -> tuple[date, str, str] | None:
    """A date badge inside the link (``<a><span>title</span><span>2025-03-10</span></a>``), a
    numeric date ending the link text (``标题 2025-03-10``) or a bracketed one starting it
    (``[03-10] 标题``). Returns (date, raw, title without it). A title that merely begins
    with a date (``3月10日，市长调研...``) keeps it: that is news wording, not a list date."""
    for node in a.traverse(include_text=False):
        if node is a or node.tag not in _DATE_TAGS:
            continue
        t = normalize_space(node.text(separator=" ", strip=True))
        if not t or len(t) > 30:
            continue
        found = first_date(t, ref) or split_date(t)
        if found is not None and len(found[1]) >= len(_SYMBOLS.sub("", t)) * 0.7:
            return found[0], found[1], normalize_space(text.replace(t, " "))
    norm = normalize(text)
    found = first_date(norm[-24:], ref)
    if (found is not None and norm.rstrip(_CLOSERS).endswith(found[1])
            and any(ch in found[1] for ch in "-/.") and len(norm) > len(found[1]) + 4):
        cut = norm.rfind(found[1])
        return found[0], found[1], norm[:cut].rstrip(_OPENERS)
    if norm[:1] in "[【(（":
        found = first_date(norm[:24], ref)
        if found is not None and norm[1:].lstrip().startswith(found[1]) and len(norm) > len(found[1]) + 4:
            cut = norm.find(found[1]) + len(found[1])
            return found[0], found[1], norm[cut:].lstrip(_CLOSERS)
    return None


def _text_date(text: str, ref: date) -> tuple[date, str] | None:
    if not text:
        return None
    return first_date(text, ref) or split_date(text)


class _TableHeads:
    """Per table: index of the 发布日期/发布时间 column (cached)."""

    def __init__(self) -> None:
        self._cache: dict[int, int | None] = {}

    def index(self, table: LexborNode) -> int | None:
        key = table.mem_id
        if key in self._cache:
            return self._cache[key]
        idx: int | None = None
        head = table.css_first("thead tr") or table.css_first("tr")
        if head is not None:
            cells = [c for c in head.iter() if c.tag in ("th", "td")]
            texts = [normalize_space(c.text()) for c in cells]
            for i, t in enumerate(texts):
                if ("发布" in t or "公开" in t or "更新" in t) and ("日期" in t or "时间" in t):
                    idx = i
                    break
            if idx is None:
                for i, t in enumerate(texts):
                    if t in ("日期", "时间") and len(cells) > 1:
                        idx = i
                        break
        self._cache[key] = idx
        return idx


def _row_date(row: LexborNode, a: LexborNode, title_text: str, ref: date, heads: _TableHeads,
              contains_item: set[int]) -> tuple[tuple[date, str] | None, str]:
    """(date found or None, title text possibly without an embedded date)."""
    if row.tag == "tr":
        table = row.parent
        while table is not None and table.tag not in ("table", "body"):
            table = table.parent
        if table is not None and table.tag == "table":
            idx = heads.index(table)
            if idx is not None:
                cells = [c for c in row.iter() if c.tag in ("td", "th")]
                if idx < len(cells):
                    found = _text_date(normalize_space(cells[idx].text(separator=" ")), ref)
                    if found is not None:
                        return found, title_text
    if row is not a:
        row_text = normalize_space(row.text(separator=" ", strip=True))
        a_text = normalize_space(a.text(separator=" ", strip=True))
        if a_text and a_text in row_text:
            i = row_text.find(a_text)
            rest = row_text[:i] + " | " + row_text[i + len(a_text):]
        else:
            rest = row_text
        found = _text_date(rest, ref)
        if found is not None:
            return found, title_text
    inside = _date_inside_anchor(a, title_text, ref)
    if inside is not None:
        return (inside[0], inside[1]), inside[2]
    # Flat markup: <dt><a/></dt><dd>date</dd>, <a/> <span>date</span><br/>, [03-10] <a/>.
    for direction in ("next", "prev"):
        sib = getattr(row, direction)
        parts: list[str] = []
        steps = 0
        while sib is not None and steps < 4:
            steps += 1
            if sib.tag in ("br", "hr"):
                break  # a line break ends the line: the text beyond belongs to the next item
            if sib.tag != "-text" and sib.mem_id in contains_item:
                break
            t = sib.text_content if sib.tag == "-text" else sib.text(separator=" ")
            if t and t.strip():
                parts.append(t)
                found = _text_date(normalize_space(" ".join(parts if direction == "next" else parts[::-1])), ref)
                if found is not None:
                    return found, title_text
            sib = getattr(sib, direction)
    return None, title_text


# --------------------------------------------------------------------------- scanning
_BOUNDARY_TAGS = frozenset({"body", "html", "-document", "header", "footer", "nav", "aside", "main", "form"})


_NOT_FAST = re.compile(r"/\.|\\|\s")


class Resolver:
    """``html.absolute`` with a fast path for the common root-relative ``/path?query`` href:
    a 1 MB list page has thousands of them and ``urljoin`` dominates otherwise."""

    def __init__(self, base: str) -> None:
        self.base = base
        parts = urlsplit(base)
        self.origin = f"{parts.scheme}://{parts.netloc.lower()}" if parts.scheme in ("http", "https") else ""

    def __call__(self, href: str | None) -> str | None:
        if href and self.origin:
            h = href.strip()
            if h.startswith("/") and not h.startswith("//") and not _NOT_FAST.search(h):
                return self.origin + h.split("#", 1)[0]
        return absolute(self.base, href)


_ROW_TAGS = frozenset({"li", "tr", "td", "th", "dd", "dt", "p", "span", "em", "font", "strong", "b", "i",
                       "h1", "h2", "h3", "h4", "h5", "h6", "label", "small"})


def _is_boundary(node: LexborNode) -> bool:
    """A region or side block: rows never climb into it, so it stays the rows' container."""
    tag = node.tag
    if tag in _ROW_TAGS:
        return False  # line-level elements are never layout regions (and this is the hot path)
    if tag in _BOUNDARY_TAGS:
        return True
    w = words_of(node)
    return bool(w and w & (_REGION_WORDS | SIDE_WORDS))


_MULTI = "\x00multi"  # sentinel: this ancestor holds several item links


class _Scan:
    """Item rows of a page grouped by container (the rows' common parent), and the page's
    pagination links. Dates are read per container on demand (:meth:`resolve`): on a column
    page the navigation's rows never need one."""

    def __init__(self, tree: LexborHTMLParser, page_url: str, ref: date) -> None:
        self.ref = ref
        self.heads = _TableHeads()
        self.pager: list[str] = []
        self.containers: list[_Container] = []
        resolve = Resolver(base_url(tree, page_url))
        host = host_of(page_url)
        origin = resolve.origin + "/"
        me = canonical_column_url(page_url)
        page_dir = page_url[: page_url.rfind("/") + 1]
        anchors: list[tuple[LexborNode, str, str, str]] = []
        for a in tree.css("a[href]"):
            attrs = a.attributes
            url = resolve(attrs.get("href"))
            if url is None:
                continue
            text = _anchor_text(a)
            title_attr = attrs.get("title") or ""
            if len(text) <= 6 and _PAGER_HINT.search(text) and _is_pager_text(text) and _same_dir(url, page_url):
                self.pager.append(url)
            if url == page_url or (url.startswith(page_dir) and "/" not in url[len(page_dir):]
                                   and canonical_column_url(url) == me):
                continue  # the page itself (首页/当前页 links)
            if len(text) < MIN_TITLE_LEN and len(title_attr.strip()) < MIN_TITLE_LEN:
                continue
            if len(text) <= 12 and is_skip_text(text or title_attr):
                continue  # (skip words are all short)
            anchors.append((a, url, text or normalize_space(title_attr), title_attr))
        # The item URL under each ancestor, or _MULTI once it holds two: a row is the highest
        # ancestor holding one. Climbing stops at the first ancestor already holding several
        # (everything above it does too), so a long <ul> costs two steps per link. Each link's
        # chain of (node, mem_id) is kept: node objects are costly to re-create.
        stop: set[int] = set()
        root = tree.root
        for n in (tree.body, root, root.parent if root is not None else None):
            if n is not None:
                stop.add(n.mem_id)
        urls_under: dict[int, str] = {}
        chains: list[list[tuple[LexborNode, int]]] = []
        for a, url, _, _ in anchors:
            chain: list[tuple[LexborNode, int]] = []
            cur: LexborNode | None = a
            for _ in range(MAX_ROW_UP + 2):
                if cur is None:
                    break
                key = cur.mem_id
                if key in stop:
                    break
                chain.append((cur, key))
                got = urls_under.get(key)
                if got is None:
                    urls_under[key] = url
                elif got is _MULTI:
                    break
                elif got != url:
                    urls_under[key] = _MULTI
                    break
                cur = cur.parent
            chains.append(chain)
        self.contains_item = set(urls_under)

        by_key: dict[int, _Container] = {}
        seen_row: dict[int, _Row] = {}
        for (a, url, text, title_attr), chain in zip(anchors, chains, strict=True):
            row, rkey = a, chain[0][1] if chain else a.mem_id
            parent: LexborNode | None = None
            ckey = 0
            for i in range(1, min(len(chain), MAX_ROW_UP + 1)):
                node, key = chain[i]
                if urls_under.get(key) is _MULTI or _is_boundary(node):
                    parent, ckey = node, key
                    break
                row, rkey = node, key
            if parent is None:
                parent = row.parent
                ckey = parent.mem_id if parent is not None else 0
            prev = seen_row.get(rkey)
            if prev is not None:
                # The same item linked twice in one row (picture + title): keep the longer text.
                if prev.url == url and len(text) > len(prev.text):
                    prev.a, prev.text, prev.title_attr = a, text, title_attr or prev.title_attr
                continue
            r = _Row(a=a, node=row, url=url, text=text, title_attr=title_attr,
                     same_site=url.startswith(origin) or same_site(url, host))
            seen_row[rkey] = r
            cont = by_key.get(ckey)
            if cont is None:
                cont = by_key[ckey] = _Container(node=parent if parent is not None else row)
                cont.region = region_of(cont.node)
                cont.side = side_level(cont.node)
                self.containers.append(cont)
            cont.rows.append(r)

    def resolve(self, cont: _Container) -> _Container:
        """Read the date and final title of every row of ``cont`` (once)."""
        for r in cont.rows:
            if r.item is not None:
                continue
            title = _clean_title(r.text, r.title_attr)
            found, title2 = _row_date(r.node, r.a, title, self.ref, self.heads, self.contains_item)
            if title2 != title and len(title2) >= MIN_TITLE_LEN:
                title = _clean_title(title2, "")
            r.item = Item(title=title, url=r.url, date=found[0] if found else None,
                          date_source="list" if found else "", raw_date=found[1] if found else "")
        return cont


_PAGER_HINT = re.compile(r"[\d下末尾后>»›＞]|next|last", re.I)


def _is_pager_text(text: str) -> bool:
    key = key_text(text)
    if key in _PAGER_TEXTS or _DIGITS.match(key) or _PAGE_TEXT.match(key):
        return True
    return key == "" and text.strip() in (">", ">>", "»", "›", "＞")


def _hanweb_records(tree: LexborHTMLParser) -> LexborHTMLParser | None:
    """大汉 JCMS writes list records as CDATA inside ``<script type="text/xml">``."""
    if not isinstance(tree, LexborHTMLParser) or not (tree.scripts_contain("<record") or tree.scripts_contain("<datastore")):
        return None
    chunks: list[str] = []
    for s in tree.css("script"):
        if s.attributes.get("src"):
            continue
        text = s.text() or ""
        if "<record" not in text and "<datastore" not in text:
            continue
        chunks.extend(_CDATA.findall(text))
    if not chunks:
        return None
    return parse("<html><body><div class='list'><ul>" + "".join(chunks) + "</ul></div></body></html>")


def _is_list_container(c: _Container) -> bool:
    """Rows with dates, or undated rows that read like titles of this site (resolved first)."""
    if not c.rows:
        return False
    dated = c.dated
    if dated and dated >= max(1, 0.3 * len(c.rows)):
        return True
    if dated:
        return False
    titled = sum(1 for r in c.rows if r.title_len >= TITLE_LIKE_LEN)
    same = sum(1 for r in c.rows if r.same_site)
    return titled * 2 > len(c.rows) and same * 2 > len(c.rows)


def _dedupe(items: list[Item]) -> list[Item]:
    out: dict[str, Item] = {}
    for it in items:
        old = out.get(it.url)
        if old is None or (old.date is None and it.date is not None):
            out[it.url] = it
    return list(out.values())


def _column_lists(scan: _Scan) -> list[_Container]:
    """The containers whose rows are this column's items."""
    body = [c for c in scan.containers if c.region == "body"]
    lists = [c for c in body if _is_list_container(scan.resolve(c))]
    if not lists:
        # Defensive: a page wrapped in a container named like a header/nav still has its list.
        others = [c for c in scan.containers if c.region not in ("body", "footer")]
        lists = [c for c in others if scan.resolve(c).dated >= 3 and _is_list_container(c)]
    if not lists:
        return []
    # The main list: never a functional side block (热点, 相关) when anything else exists; then a
    # dated list before an undated one, content before a positional side block, more rows first.
    pool = [c for c in lists if c.side < 2] or lists
    main = max(pool, key=lambda c: (c.dated > 0, c.side == 0, len(c.rows)))
    return [c for c in lists if c is main or not c.side]


# --------------------------------------------------------------------------- text of the page
@dataclass
class _PageText:
    all_text: str
    plain_text: str  # text outside links
    short_texts: list[str] = field(default_factory=list)  # text nodes of <= 40 chars ("暂无信息")


_PAGE_HEADER_WORDS = frozenset({"header", "toubu", "masthead", "topbar", "banner", "logo", "top", "head"})


def _skip_for_text(node: LexborNode, depth: int) -> bool:
    """Header/nav/footer and side-block subtrees. Header words count only near the top of the
    tree: deeper down ``article-head`` or ``hd`` is a block title that may carry 发布时间."""
    w = words_of(node)
    if not w:
        return False
    if w & (FOOTER_WORDS | NAV_WORDS | SIDE_WORDS):
        return True
    return depth <= 4 and bool(w & _PAGE_HEADER_WORDS)


def _main_text(tree: LexborHTMLParser | LexborNode, limit: int = 400_000,
               skip: frozenset[int] = frozenset()) -> _PageText:
    """Text of the content region (header/nav/footer, scripts and forms left out; also the
    ``skip`` subtrees by mem_id: item lists already read, whose text is titles and dates)."""
    body = tree.body if isinstance(tree, LexborHTMLParser) else tree
    if body is None:
        return _PageText("", "")
    all_parts: list[str] = []
    plain_parts: list[str] = []
    short: list[str] = []
    size = 0
    # Iterative DFS with (node, inside_link, depth); skipped subtrees are never entered.
    stack: list[tuple[LexborNode, bool, int]] = [(body, False, 0)]
    while stack and size < limit:
        node, in_link, depth = stack.pop()
        tag = node.tag
        if tag == "-text":
            t = node.text_content
            if t and not t.isspace():
                t = " ".join(t.split())
                all_parts.append(t)
                size += len(t)
                if len(t) <= 40:
                    short.append(t)
                if not in_link:
                    plain_parts.append(t)
            continue
        if tag in _EXCLUDED_TAGS or tag in ("header", "nav", "footer", "aside") or tag == "-comment":
            continue
        if node is not body and (_skip_for_text(node, depth) or (skip and node.mem_id in skip)):
            continue
        link = in_link or tag == "a"
        children: list[tuple[LexborNode, bool, int]] = []
        child = node.first_child
        while child is not None:
            children.append((child, link, depth + 1))
            child = child.next
        stack.extend(reversed(children))
    return _PageText(" ".join(all_parts), " ".join(plain_parts), short)


def _breadcrumb(tree: LexborHTMLParser) -> str:
    for node in tree.css(_CRUMB_SELECTOR):
        w = words_of(node)
        if w and w & CRUMB_WORDS:
            t = normalize_space(node.text(separator=" ", strip=True))
            if 2 <= len(t) <= 150 and (">" in t or "»" in t or "›" in t or _CRUMB_LABEL.search(t)):
                return t
    for node in tree.css(':lexbor-contains("位置")'):
        t = normalize_space(node.text(separator=" ", strip=True))
        cur = node
        for _ in range(2):
            if len(t) >= 12 or cur.parent is None:
                break
            cur = cur.parent
            t = normalize_space(cur.text(separator=" ", strip=True))
        if _CRUMB_LABEL.search(t) and len(t) <= 150:
            return t
    return ""


def _heading(tree: LexborHTMLParser) -> str:
    for sel in ("h1", "h2", "h3"):
        for node in tree.css(sel):
            if region_of(node) == "body" and not in_side_block(node):
                t = normalize_space(node.text(separator=" ", strip=True))
                if 2 <= len(t) <= 60:
                    return t
    return ""


def _declared_cycle(text: str) -> str | None:
    for cycle, rx in _CYCLES:
        if rx.search(text):
            return cycle
    return None


# --------------------------------------------------------------------------- pagination
def _same_dir(url: str, page_url: str) -> bool:
    a, b = urlsplit(url), urlsplit(page_url)
    if a.netloc.lower() != b.netloc.lower():
        return False
    return a.path == b.path or a.path.rsplit("/", 1)[0] == b.path.rsplit("/", 1)[0]


def _page_number(url: str) -> int:
    parts = urlsplit(url)
    for k, v in parse_qsl(parts.query):
        if k.lower() in ("page", "pageno", "pagenum", "pageindex", "curpage", "p", "pn", "currentpage", "pagenumber") and v.isdigit():
            return int(v)
    found = _PAGE_NUM.findall(parts.path)
    return int(found[-1]) if found else 0


def _js_value(script: str, token: str) -> str:
    token = token.strip().strip("'\"")
    if re.fullmatch(r"[A-Za-z_$][\w$]*", token):
        mt = re.search(_JS_VAR.format(name=re.escape(token)), script)
        if mt:
            return mt.group(1)
    return token


def _create_page_html(tree: LexborHTMLParser, page_url: str) -> list[str]:
    """TRS ``createPageHTML(count, current, "index", "html")`` (also with a leading div id):
    pages are index.html, index_1.html ... index_{count-1}.html in the page's folder."""
    out: list[str] = []
    if not tree.scripts_contain("createPageHTML"):
        return out
    for s in tree.css("script"):
        if s.attributes.get("src"):
            continue
        text = s.text() or ""
        if "createPageHTML" not in text:
            continue
        for mt in _JS_CALL.finditer(text):
            args = [_js_value(text, t) for t in mt.group(1).split(",")]
            nums = [i for i, a in enumerate(args) if a.isdigit()]
            if len(nums) < 2:
                continue
            count, current = int(args[nums[0]]), int(args[nums[1]])
            if count > 100_000:
                continue
            strs = [a for a in args[nums[1] + 1:] if a and not a.isdigit()]
            prefix = strs[0] if strs else "index"
            ext = strs[1] if len(strs) > 1 else "html"
            if not re.fullmatch(r"[\w.-]{1,40}", prefix) or not re.fullmatch(r"[A-Za-z]{2,6}", ext):
                continue
            # The current page is dropped later by URL (the current index is 0- or 1-based
            # depending on the TRS version).
            del current
            for n in range(0, min(count, MAX_NEXT_PAGES + 1)):
                name = f"{prefix}.{ext}" if n == 0 else f"{prefix}_{n}.{ext}"
                out.append(urljoin(page_url, name))
            if count - 1 > MAX_NEXT_PAGES:
                out.append(urljoin(page_url, f"{prefix}_{count - 1}.{ext}"))
    return out


def _next_pages(tree: LexborHTMLParser, page_url: str, pager: list[str]) -> list[str]:
    found = pager + _create_page_html(tree, page_url)
    me = canonical_column_url(page_url)
    out: list[str] = []
    seen = {me}
    for u in found:
        c = canonical_column_url(u)
        if c not in seen:
            seen.add(c)
            out.append(u)
    out.sort(key=_page_number)
    return out[: MAX_NEXT_PAGES + 1]


# --------------------------------------------------------------------------- public API
def extract_list_items(html: str | LexborHTMLParser, page_url: str, ref: date, *,
                       items_only: bool = False) -> ListPage:
    """Items, pagination and emptiness notes of a column's list page.

    ``ref`` (the monitoring point) only serves to give year-less dates (``[03-10]``) a year.
    ``items_only`` (pagination pages 2..n): skip notes, cycle, breadcrumb and heading.
    """
    tree = _tree(html)
    scan = _Scan(tree, page_url, ref)
    lists = _column_lists(scan)
    items = [i for c in lists for i in c.items]
    extra = _hanweb_records(tree)
    if extra is not None:
        more = _Scan(extra, page_url, ref)
        items += [i for c in more.containers for i in more.resolve(c).items]
    items = _dedupe(items)
    if items_only:
        return ListPage(items=items, next_pages=_next_pages(tree, page_url, scan.pager))
    heading = _heading(tree)
    title = title_of(tree)
    if items:
        # Notes and placeholders only matter for an empty list; the content-region walk is only
        # needed to confirm a cycle word that the whole body text (C speed) does contain.
        body = tree.body
        body_text = body.text(separator=" ") if body is not None else ""
        if any(rx.search(body_text) for _, rx in _CYCLES):
            text = _main_text(tree, skip=frozenset(c.node.mem_id for c in lists))
        else:
            text = _PageText("", "")
        no_info = placeholder = placeholder_phrase = False
        has_article = len(text.plain_text) >= ARTICLE_MIN_CHARS
    else:
        text = _main_text(tree)
        no_info = bool(_NO_INFO_NOTE.search(text.plain_text))
        has_article = len(text.plain_text) >= ARTICLE_MIN_CHARS
        # A placeholder is a short text of its own ("暂无信息", "栏目正在建设中，敬请期待！"), not
        # a word inside an article ("项目建设中").
        placeholder_phrase = any(_PLACEHOLDER.search(t) for t in text.short_texts)
        placeholder = not no_info and (placeholder_phrase or not has_article)
    cycle = _declared_cycle(" ".join((title, heading, text.plain_text)))
    return ListPage(
        items=items,
        next_pages=_next_pages(tree, page_url, scan.pager),
        no_info_note=no_info,
        placeholder=placeholder,
        declared_cycle=cycle,
        has_article=has_article and not placeholder_phrase,
        breadcrumb=_breadcrumb(tree),
        heading=heading,
    )


def scan_home(html: str | LexborHTMLParser, page_url: str, ref: date) -> tuple[list[Item], bool]:
    """(items, has_content) of a home page.

    ``items``: every dated item of every block, tab and carousel (hidden tabs are in the DOM
    and count; the footer does not), followed by the undated items of body lists (their date
    may still come from the detail page). ``has_content`` is False for a navigation-only home
    page: no item list in the body, only column links."""
    tree = _tree(html)
    scans = [_Scan(tree, page_url, ref)]
    extra = _hanweb_records(tree)
    if extra is not None:
        scans.append(_Scan(extra, page_url, ref))
    dated: list[Item] = []
    undated: list[Item] = []
    has_content = False
    for scan in scans:
        for c in scan.containers:
            if c.region == "footer":
                continue
            items = scan.resolve(c).items
            dated.extend(i for i in items if i.date is not None)
            if c.region == "body" and _is_list_container(c):
                has_content = True
                undated.extend(i for i in items if i.date is None)
    return _dedupe(dated + undated), has_content or bool(dated)


def home_items(html: str | LexborHTMLParser, page_url: str, ref: date) -> list[Item]:
    """All dated items on the home page (首页不更新 looks at every block, tab and carousel)."""
    return [i for i in scan_home(html, page_url, ref)[0] if i.date is not None]


def _in_page_chrome(node: LexborNode) -> bool:
    """In the page header/nav/footer or a side block, by the rules of :func:`_main_text` (the
    logo's ``<h1>`` is not the article title)."""
    chain: list[LexborNode] = []
    cur: LexborNode | None = node
    while cur is not None and cur.tag not in ("body", "html", "-document"):
        chain.append(cur)
        cur = cur.parent
    for depth, n in enumerate(reversed(chain), start=1):
        if n.tag in ("header", "nav", "footer", "aside") or _skip_for_text(n, depth):
            return True
    return False


_TODAY = re.compile(r"(?:今天是|今天|今日是|今日|当前时间|现在时间|现在是)\s*[:：]?\s*\S{0,24}")


def _header_area(tree: LexborHTMLParser) -> tuple[str, str]:
    """(title text, text printed right after it) of an article: the 发布时间/来源 line."""
    heading = None
    for sel in ("h1", "h2", "[class*=title]", "[class*=tit]", "[class*=bt]", "h3"):
        for node in tree.css(sel):
            if node.tag in ("a", "title") or _in_page_chrome(node):
                continue
            t = normalize_space(node.text(separator=" ", strip=True))
            if 4 <= len(t) <= 200:
                heading = node
                break
        if heading is not None:
            break
    if heading is None:
        return "", ""
    title = normalize_space(heading.text(separator=" ", strip=True))
    parts: list[str] = []
    cur: LexborNode | None = heading
    for _ in range(3):  # climb while the heading has no following sibling
        if cur is None:
            break
        sib = cur.next
        size = 0
        while sib is not None and size < 400:
            t = sib.text_content if sib.tag == "-text" else sib.text(separator=" ")
            t = normalize_space(t or "")
            if t:
                parts.append(t)
                size += len(t)
            sib = sib.next
        if parts:
            break
        cur = cur.parent
    return title, " ".join(parts)[:600]


def extract_detail_date(html: str | LexborHTMLParser, page_url: str, ref: date) -> tuple[date | None, str]:
    """(publish date, source) of a detail page: ``meta`` (PubDate and cousins), ``detail``
    (发布时间/发布日期/日期/时间 labels, else the first date printed right after the article
    title), ``url`` (t20250310_1.html ...), or (None, "")."""
    tree = _tree(html)
    got = date_from_meta(meta_tags(tree))
    if got is not None:
        return got, "meta"
    # "今天是2025年3月15日" printed by the template is the visit date, never a publish date.
    text = _TODAY.sub(" ", _main_text(tree, limit=20_000).all_text)
    found = labeled_date(text[:6000], ref)
    if found is None:
        _, area = _header_area(tree)
        found = first_date(_TODAY.sub(" ", area), ref)
    if found is not None:
        return found[0], "detail"
    got = date_from_url(page_url)
    if got is not None:
        return got, "url"
    return None, ""
