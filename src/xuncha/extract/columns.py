"""The column tree (栏目) of a crawled site, with each column's items and emptiness.

Columns are discovered, in this order of trust, from:

1. the home page navigation (links in the nav region; dropdown links nested under a top
   link are second-level);
2. the site map (网站地图/站点地图) when it was crawled: headings are first-level, the links
   listed under them second-level;
3. "更多" links of the home page's content blocks (the block title names the column);
4. a first-level column page's own sub-navigation (left menu, its own "更多" blocks): new
   links there are its second-level columns.

Crawl roles are hints only: a page is a column because the site presents it as one.
For each column, items come from its list page and the pagination pages present in the
snapshot; undated list items take their date from the crawled detail page (``meta`` /
``detail``), else from the URL (``url``). Nothing here judges: checks read the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from selectolax.lexbor import LexborHTMLParser, LexborNode

from xuncha.extract.dates import date_from_url
from xuncha.extract.html import (
    absolute,
    base_url,
    host_of,
    is_attachment_url,
    normalize_space,
    parse,
    region_of,
)
from xuncha.extract.lists import (
    ListPage,
    Resolver,
    extract_detail_date,
    extract_list_items,
    in_side_block,
    is_skip_text,
    key_text,
    same_site,
    scan_home,
)
from xuncha.extract.taxonomy import breadcrumb_segments, canonical_column_url, classify_column
from xuncha.model import Column, Item, Page, SiteSnapshot

MAX_NAME_LEN = 24
MAX_CLIMB = 8
_SITEMAP_TEXTS = frozenset({"网站地图", "站点地图", "网站导航", "sitemap", "网站导航图"})
_MORE_TEXTS = frozenset({"更多", "more", "查看更多", "更多信息", "更多内容", "更多新闻", "更多资讯"})
_NOT_COLUMNS = frozenset(
    {"网站地图", "站点地图", "网站导航", "联系我们", "网站声明", "隐私声明", "免责声明", "关于我们",
     "使用帮助", "帮助", "rss", "搜索", "高级搜索", "站内搜索", "检索", "english", "繁体", "繁體",
     "简体", "无障碍", "无障碍浏览", "长者模式", "关怀版", "适老化", "手机版", "移动版", "登录", "注册",
     "个人登录", "法人登录", "退出", "设为首页", "加入收藏", "我为政府网站找错", "网站纠错", "纠错",
     "sitemap", "首页", "网站首页", "返回首页", "主页"}
)
_HEADING_TAGS = frozenset({"dt", "h1", "h2", "h3", "h4", "h5", "h6", "th", "strong", "b"})
_HEADING_WORDS = frozenset({"title", "tit", "bt", "hd", "head", "name", "first", "yj", "yiji", "lm",
                            "lmtitle", "level1", "lv1", "one", "parent", "zlm", "dl"})
_SPECIAL = re.compile(r"专题|专栏")
_SOFT_404 = re.compile(
    r"(?:页面|网页|文件|内容|信息|资源|栏目|您(?:所)?访问的[^。]{0,12})(?:不存在|未找到|找不到|已(?:被)?删除|已下线)|"
    r"404\s*not\s*found|\b404\b.{0,10}(?:错误|error)",
    re.I,
)


@dataclass
class ColumnsResult:
    """Columns with their items, the home page's items, and how the home page is built."""

    columns: list[Column] = field(default_factory=list)
    home_items: list[Item] = field(default_factory=list)
    home_is_navigation_only: bool = False
    sitemap_url: str = ""


@dataclass
class _Candidate:
    url: str
    name: str
    level: int
    parent_url: str | None
    source: str  # nav, nav-sub, sitemap, more, subnav
    order: int


# --------------------------------------------------------------------------- snapshot access
class _Pages:
    """Pages of a snapshot by canonical URL, each parsed at most once."""

    def __init__(self, snapshot: SiteSnapshot) -> None:
        self.by_key: dict[str, Page] = {}
        for p in snapshot.pages:
            for u in (p.url, p.final_url):
                if u:
                    self.by_key.setdefault(canonical_column_url(u), p)
        self._trees: dict[int, LexborHTMLParser] = {}
        self._lists: dict[int, ListPage] = {}

    def get(self, url: str) -> Page | None:
        return self.by_key.get(canonical_column_url(url))

    def tree(self, page: Page) -> LexborHTMLParser:
        key = id(page)
        t = self._trees.get(key)
        if t is None:
            t = self._trees[key] = parse(page.html)
        return t

    def list_page(self, page: Page, ref: date, items_only: bool = False) -> ListPage:
        key = id(page)
        got = self._lists.get(key)
        if got is None:
            got = extract_list_items(self.tree(page), _page_base(page), ref, items_only=items_only)
            if not items_only:
                self._lists[key] = got
        return got


def _page_base(page: Page) -> str:
    return page.final_url or page.url


def _usable(page: Page | None) -> bool:
    return page is not None and page.ok and bool(page.html)


# --------------------------------------------------------------------------- link filtering
class _Site:
    def __init__(self, snapshot: SiteSnapshot) -> None:
        home = snapshot.home
        urls = [snapshot.home_url] + ([home.url, home.final_url] if home else [])
        self.hosts = {host_of(u) for u in urls if u}
        self.home_keys = {canonical_column_url(u) for u in urls if u}
        self._like: dict[str, bool] = {}  # the same nav links recur on every page

    def same_site(self, url: str) -> bool:
        return any(same_site(url, h) for h in self.hosts)

    def column_like(self, url: str) -> bool:
        """Same site, not the home page, not a file, not an article (dated URL)."""
        got = self._like.get(url)
        if got is None:
            got = self._like[url] = (
                self.same_site(url)
                and canonical_column_url(url) not in self.home_keys
                and not is_attachment_url(url)
                and date_from_url(url) is None
            )
        return got


def _valid_name(name: str) -> bool:
    if not name or len(name) > MAX_NAME_LEN:
        return False
    key = key_text(name)
    if len(key) < 2 or key in _NOT_COLUMNS or is_skip_text(name):
        return False
    return not key.isdigit()


def _link_name(a: LexborNode) -> str:
    text = normalize_space(a.text(separator=" ", strip=True))
    if not text:
        text = normalize_space(a.attributes.get("title") or "")
    if not text:
        img = a.css_first("img[alt]")
        if img is not None:
            text = normalize_space(img.attributes.get("alt") or "")
    return text


def _anchors(tree: LexborHTMLParser, page_url: str, site: _Site, known: set[str] | None = None
             ) -> list[tuple[LexborNode, str, str, str]]:
    """(node, absolute url, text, region) of the <a href> that may name a column, in document
    order: same site, not a file or article, and (when given) not already ``known``. 更多 links
    are kept (they lead to a column named elsewhere)."""
    resolve = Resolver(base_url(tree, page_url))
    out: list[tuple[LexborNode, str, str, str]] = []
    for a in tree.css("a[href]"):
        url = resolve(a.attributes.get("href"))
        if url is None:
            continue
        name = _link_name(a)
        key = key_text(name)
        if key in _SITEMAP_TEXTS:
            out.append((a, url, name, "any"))
            continue
        if known is not None and canonical_column_url(url) in known:
            continue
        if not site.column_like(url):
            continue
        if key not in _MORE_TEXTS and not _valid_name(name):
            continue
        out.append((a, url, name, region_of(a)))
    return out


# --------------------------------------------------------------------------- nesting
def _heading_like(a: LexborNode, stop: LexborNode) -> bool:
    cur = a.parent
    while cur is not None and cur.mem_id != stop.mem_id:
        if cur.tag in _HEADING_TAGS:
            return True
        cls = f"{cur.attributes.get('class') or ''} {cur.attributes.get('id') or ''}".lower()
        if cls.strip() and set(re.split(r"[^a-z0-9]+", cls)) & _HEADING_WORDS:
            return True
        cur = cur.parent
    return False


def _nest(links: list[tuple[LexborNode, str, str]]) -> list[tuple[str, str, int | None]]:
    """(url, name, parent index) per link: a link's parent is the first link of the nearest
    ancestor block that starts with a shallower (or heading) link: ``li > a + ul > li > a``,
    ``dl > dt > a + dd > a``, ``div > h3 > a + ul > li > a``."""
    first_in: dict[int, tuple[int, int]] = {}
    for idx, (a, _, _) in enumerate(links):
        cur, depth = a.parent, 1
        while cur is not None and depth <= MAX_CLIMB and cur.tag not in ("body", "html", "-document"):
            first_in.setdefault(cur.mem_id, (idx, depth))
            cur, depth = cur.parent, depth + 1
    out: list[tuple[str, str, int | None]] = []
    for idx, (a, url, name) in enumerate(links):
        parent: int | None = None
        cur, depth = a.parent, 1
        while cur is not None and depth <= MAX_CLIMB and cur.tag not in ("body", "html", "-document"):
            f_idx, f_depth = first_in[cur.mem_id]
            if f_idx < idx:
                head = links[f_idx][0]
                if f_depth < depth or (_heading_like(head, cur) and not _heading_like(a, cur)):
                    parent = f_idx
                    break
            cur, depth = cur.parent, depth + 1
        # A parent must itself be top-level: deeper trees fold into two levels.
        if parent is not None and out[parent][2] is not None:
            parent = out[parent][2]
        out.append((url, name, parent))
    return out


# --------------------------------------------------------------------------- discovery
def _more_name(more: LexborNode, url: str, names_by_url: dict[str, str]) -> str:
    """The column name of a "更多" link: another link to the same URL, else the block title."""
    got = names_by_url.get(canonical_column_url(url))
    if got:
        return got
    cur = more.parent
    for _ in range(4):
        if cur is None or cur.tag in ("body", "html"):
            break
        for sel in ("h1, h2, h3, h4, h5, h6, [class*=tit], [class*=title], [class*=name], strong, b",
                    "span, em, a, li, div, p"):
            for node in cur.css(sel):
                if node.mem_id == more.mem_id:
                    continue
                text = normalize_space(node.text(separator=" ", strip=True))
                text = re.sub(r"(?:更多|more|MORE|More)\s*[>»+]*", "", text).strip(" >»+")
                if 2 <= len(text) <= 12 and _valid_name(text) and not re.search(r"\d{1,2}-\d{1,2}", text):
                    return text
        cur = cur.parent
    return ""


NAV_MIN_LINKS = 4
NAV_MAX_NAME = 8


def _unmarked_nav(anchors: list[tuple[LexborNode, str, str, str]]) -> list[tuple[LexborNode, str, str]]:
    """A navigation bar whose class/id says nothing (``<div id="lm1">``): the first block of at
    least four short column links (``ul > li > a`` or ``div > a``) outside the footer."""
    groups: dict[int, list[tuple[LexborNode, str, str]]] = {}
    order: list[int] = []
    for a, url, name, region in anchors:
        if region in ("footer", "any") or not _valid_name(name) or len(name) > NAV_MAX_NAME:
            continue
        parent = a.parent
        if parent is not None and parent.tag in ("li", "span", "em", "strong", "b", "font", "td"):
            parent = parent.parent
        if parent is None:
            continue
        key = parent.mem_id
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append((a, url, name))
    for key in order:
        if len({u for _, u, _ in groups[key]}) >= NAV_MIN_LINKS:
            return groups[key]
    return []


def _nav_candidates(anchors: list[tuple[LexborNode, str, str, str]], site: _Site, order: list[int]
                    ) -> list[_Candidate]:
    nav = [(a, url, name) for a, url, name, region in anchors if region == "nav" and _valid_name(name)]
    if not nav:
        nav = _unmarked_nav(anchors)
    out: list[_Candidate] = []
    nested = _nest(nav)
    for url, name, parent in nested:
        order[0] += 1
        if parent is None:
            out.append(_Candidate(url, name, 1, None, "nav", order[0]))
        else:
            out.append(_Candidate(url, name, 2, nested[parent][0], "nav-sub", order[0]))
    return out


def _more_candidates(anchors: list[tuple[LexborNode, str, str, str]], site: _Site, order: list[int],
                     parent_url: str | None) -> list[_Candidate]:
    names_by_url: dict[str, str] = {}
    for _, url, name, _region in anchors:
        if _valid_name(name) and len(name) <= 12:
            names_by_url.setdefault(canonical_column_url(url), name)
    out: list[_Candidate] = []
    for a, url, name, region in anchors:
        if region in ("nav", "footer", "any") or key_text(name) not in _MORE_TEXTS:
            continue
        col_name = _more_name(a, url, names_by_url)
        if not col_name:
            continue
        order[0] += 1
        level = 1 if parent_url is None else 2
        out.append(_Candidate(url, col_name, level, parent_url, "more", order[0]))
    return out


def _sitemap_candidates(tree: LexborHTMLParser, page_url: str, site: _Site, order: list[int]) -> list[_Candidate]:
    anchors = [x for x in _anchors(tree, page_url, site) if x[3] != "any" and _valid_name(x[2])]
    links = [(a, url, name) for a, url, name, region in anchors if region in ("body", "header")]
    if not links:  # the map itself sits in a block named like a menu (class="nav-map")
        links = [(a, url, name) for a, url, name, region in anchors if region == "nav"]
    nested = _nest(links)
    out: list[_Candidate] = []
    for url, name, parent in nested:
        order[0] += 1
        if parent is None:
            out.append(_Candidate(url, name, 1, None, "sitemap", order[0]))
        else:
            out.append(_Candidate(url, name, 2, nested[parent][0], "sitemap", order[0]))
    return out


def _under(url: str, folder_url: str) -> bool:
    """``url`` lies strictly below the folder of ``folder_url`` (index file ignored)."""
    folder = canonical_column_url(folder_url).split("?", 1)[0]
    if "/" not in folder:  # the site root: everything is below it
        return False
    target = canonical_column_url(url).split("?", 1)[0]
    return target.startswith(folder + "/") and len(target) > len(folder) + 1


_INDEX_PATH = re.compile(r"/(?:index|default)\.\w+$", re.I)


def _folder_like(url: str) -> bool:
    """``/zwgk/bmwj/`` or ``.../index.html``: a column address rather than an article."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    return path.endswith("/") or bool(_INDEX_PATH.search(path))


def _subnav_candidates(tree: LexborHTMLParser, page_url: str, column_url: str, site: _Site,
                       known: set[str], item_urls: set[str], order: list[int]) -> list[_Candidate]:
    out: list[_Candidate] = []
    anchors = _anchors(tree, page_url, site, known)
    own = canonical_column_url(column_url)
    for a, url, name, region in anchors:
        if region in ("footer", "any") or not _valid_name(name):
            continue
        if canonical_column_url(url) == own:
            continue
        below = _under(url, column_url)
        if url in item_urls and not (below and _folder_like(url)):
            continue  # an article of its list
        # Its left menu, or links below its own folder (/zwgk/ -> /zwgk/tzgg/). The top nav of an
        # inner-page template is not enough: it may differ from the home page's.
        if below or in_side_block(a):
            order[0] += 1
            out.append(_Candidate(url, name, 2, column_url, "subnav", order[0]))
    out.extend(_more_candidates(anchors, site, order, column_url))
    return out


def _merge(cands: list[_Candidate]) -> list[_Candidate]:
    """One candidate per column URL: the first name, the most trusted nesting."""
    trust = {"nav": 0, "sitemap": 1, "nav-sub": 2, "subnav": 3, "more": 4}
    merged: dict[str, _Candidate] = {}
    for c in sorted(cands, key=lambda c: c.order):
        key = canonical_column_url(c.url)
        old = merged.get(key)
        if old is None:
            merged[key] = _Candidate(c.url, c.name, c.level, c.parent_url, c.source, c.order)
            continue
        if old.source == "nav":  # a top navigation link is first-level by definition
            continue
        if trust[c.source] < trust[old.source] or (old.level == 1 and c.level == 2 and c.source == "sitemap"):
            old.level, old.parent_url, old.source = c.level, c.parent_url, c.source
    out = list(merged.values())
    keys = {canonical_column_url(c.url) for c in out}
    for c in out:  # a parent that is not a column (or is the column itself) makes it first-level
        if c.parent_url is not None:
            pk = canonical_column_url(c.parent_url)
            if pk not in keys or pk == canonical_column_url(c.url):
                c.level, c.parent_url = 1, None
    return out


def _find_sitemap(anchors: list[tuple[LexborNode, str, str, str]], snapshot: SiteSnapshot, site: _Site) -> str:
    for _, url, _name, region in anchors:
        if region == "any" and site.same_site(url):
            return url
    for p in snapshot.pages:
        if p.role == "sitemap":
            return p.url
    return ""


# --------------------------------------------------------------------------- per column
def _soft_404(page: Page, tree: LexborHTMLParser) -> bool:
    body = tree.body
    text = normalize_space(body.text(separator=" ")) if body is not None else ""
    title = normalize_space(tree.css_first("title").text() if tree.css_first("title") else "")
    return len(text) < 600 and bool(_SOFT_404.search(title + " " + text))


def _fill_dates(items: list[Item], pages: _Pages, ref: date) -> None:
    for it in items:
        if it.date is not None:
            continue
        page = pages.get(it.url)
        if _usable(page):
            assert page is not None
            got, source = extract_detail_date(pages.tree(page), _page_base(page), ref)
            if got is not None:
                it.date, it.date_source = got, source
                continue
        got = date_from_url(it.url)
        if got is not None:
            it.date, it.date_source = got, "url"


def _read_column(col: Column, pages: _Pages, ref: date, column_keys: set[str], home_keys: set[str]
                 ) -> ListPage | None:
    """Fill reachable/status/items/pages_seen/notes of a column from the snapshot."""
    page = pages.get(col.url)
    if page is None:
        return None
    col.status = page.status
    if page.blocked:
        return None  # refused by a WAF: says nothing about the column
    if page.error or (page.status is not None and page.status >= 400):
        col.reachable = False
        return None
    if page.final_url and canonical_column_url(page.final_url) in home_keys:
        col.reachable = False  # a dead column link sent back to the home page
        return None
    if not page.html:
        if page.content_type and "html" not in page.content_type.lower():
            return None
        col.pages_seen = 1
        return ListPage(placeholder=True)
    tree = pages.tree(page)
    if _soft_404(page, tree):
        col.reachable = False
        return None
    first = pages.list_page(page, ref)
    col.pages_seen = 1
    items = list(first.items)
    queue = list(first.next_pages)
    visited = {canonical_column_url(_page_base(page)), canonical_column_url(col.url)}
    while queue:
        u = queue.pop(0)
        k = canonical_column_url(u)
        if k in visited:
            continue
        visited.add(k)
        nxt = pages.get(u)
        if not _usable(nxt):
            continue
        assert nxt is not None
        lp = pages.list_page(nxt, ref, items_only=True)
        col.pages_seen += 1
        items.extend(lp.items)
        queue.extend(lp.next_pages)
    seen: set[str] = set()
    kept: list[Item] = []
    for it in items:
        k = canonical_column_url(it.url)
        if it.url in seen or k in column_keys:
            continue  # links to other columns are navigation, not content
        seen.add(it.url)
        kept.append(Item(it.title, it.url, it.date, it.date_source, it.raw_date))
    _fill_dates(kept, pages, ref)
    col.items = kept
    col.no_info_note = first.no_info_note and not kept
    col.declared_cycle = first.declared_cycle
    return first


def _crumb_special(breadcrumb: str) -> bool:
    segs = breadcrumb_segments(breadcrumb)
    return any(_SPECIAL.search(s) for s in segs[:-1])


_REFRESH = re.compile(r"url\s*=\s*['\"]?([^'\";\s>]+)", re.I)
_JS_LOCATION = re.compile(r"(?:window\.|document\.|self\.|top\.)?location(?:\.href)?\s*=\s*['\"]([^'\"]+)['\"]")


def _effective_home(home: Page, pages: _Pages, site: _Site) -> Page:
    """The page that really is the home page: old sites serve a frameset, a meta refresh or a
    ``location.href=`` stub at the registered URL. Followed only when the stub has almost no
    links and the target was crawled."""
    tree = pages.tree(home)
    if len(tree.css("a[href]")) >= 3:
        return home
    base = _page_base(home)
    targets: list[str] = []
    for node in tree.css("frame[src], iframe[src]"):
        targets.append(node.attributes.get("src") or "")
    for node in tree.css("meta[http-equiv]"):
        if (node.attributes.get("http-equiv") or "").lower() == "refresh":
            mt = _REFRESH.search(node.attributes.get("content") or "")
            if mt:
                targets.append(mt.group(1))
    for node in tree.css("script"):
        mt = _JS_LOCATION.search(node.text() or "")
        if mt:
            targets.append(mt.group(1))
    for t in targets:
        url = absolute(base, t)
        if url is None or not site.same_site(url):
            continue
        page = pages.get(url)
        if page is not None and page is not home and _usable(page):
            site.home_keys.add(canonical_column_url(_page_base(page)))
            site.home_keys.add(canonical_column_url(page.url))
            return page
    return home


# --------------------------------------------------------------------------- public API
def build_columns(snapshot: SiteSnapshot, as_of: date, overrides: dict[str, str] | None = None) -> ColumnsResult:
    """Discover, classify and read every column of a crawled site (see the module docstring).

    ``as_of`` is the monitoring point (gives year-less list dates a year). ``overrides`` maps a
    column URL or name to a class (the inspector's per-site table) and beats the classifier.
    """
    home = snapshot.home
    result = ColumnsResult()
    if home is None or not _usable(home):
        return result
    pages = _Pages(snapshot)
    site = _Site(snapshot)
    home = _effective_home(home, pages, site)
    home_base = _page_base(home)
    home_tree = pages.tree(home)
    anchors = _anchors(home_tree, home_base, site)
    order = [0]

    cands = _nav_candidates(anchors, site, order)
    result.sitemap_url = _find_sitemap(anchors, snapshot, site)
    sm_page = pages.get(result.sitemap_url) if result.sitemap_url else None
    if _usable(sm_page):
        assert sm_page is not None
        cands += _sitemap_candidates(pages.tree(sm_page), _page_base(sm_page), site, order)
    cands += _more_candidates(anchors, site, order, None)
    merged = _merge(cands)

    # Second level from first-level column pages (left menu, their own 更多 blocks).
    known = {canonical_column_url(c.url) for c in merged}
    extra: list[_Candidate] = []
    for c in [c for c in merged if c.level == 1]:
        page = pages.get(c.url)
        if not _usable(page):
            continue
        assert page is not None
        lp = pages.list_page(page, as_of)
        item_urls = {i.url for i in lp.items}
        for cand in _subnav_candidates(pages.tree(page), _page_base(page), c.url, site, known,
                                       item_urls, order):
            k = canonical_column_url(cand.url)
            if k not in known:
                known.add(k)
                extra.append(cand)
    merged = _merge(merged + extra)

    column_keys = {canonical_column_url(c.url) for c in merged}
    by_key: dict[str, Column] = {}
    columns: list[Column] = []
    firsts: dict[str, ListPage | None] = {}
    for c in merged:
        col = Column(name=c.name, url=c.url, level=c.level, parent_url=c.parent_url)
        firsts[c.url] = _read_column(col, pages, as_of, column_keys, site.home_keys)
        by_key[canonical_column_url(c.url)] = col
        columns.append(col)

    has_children = {canonical_column_url(c.parent_url) for c in columns if c.parent_url}
    for col in columns:
        first = firsts[col.url]
        crumb = first.breadcrumb if first else ""
        if not col.name and first is not None:
            col.name = first.heading or (breadcrumb_segments(crumb)[-1:] or [""])[0]
        col.cls, col.cls_rule, col.confidence = classify_column(col.name, col.url, crumb, overrides)
    for col in columns:  # after every class is known: parents may come after their children
        first = firsts[col.url]
        crumb = first.breadcrumb if first else ""
        parent = by_key.get(canonical_column_url(col.parent_url)) if col.parent_url else None
        col.in_special = bool(
            (parent is not None and (_SPECIAL.search(parent.name) or parent.cls == "SPECIAL"))
            or _crumb_special(crumb)
        )
        if col.in_special and col.cls in ("NEWS", "NOTICE", "POLICY") and col.cls_rule != "override":
            # indicators.md §5: inside a special topic these are judged as SPECIAL.
            col.cls, col.cls_rule = "SPECIAL", f"special:{col.cls_rule}"
        col.blank = bool(
            col.reachable
            and col.pages_seen > 0
            and not col.items
            and not col.no_info_note
            and first is not None
            and first.placeholder
            and canonical_column_url(col.url) not in has_children
        )

    items, has_content = scan_home(home_tree, home_base, as_of)
    items = [Item(i.title, i.url, i.date, i.date_source, i.raw_date) for i in items]
    _fill_dates(items, pages, as_of)
    result.columns = columns
    result.home_items = [i for i in items if i.date is not None]
    result.home_is_navigation_only = not has_content and bool(columns)
    return result
