"""办事指南 (service guides) and their 10 key element categories (indicators.md §6).

Feeds W.VETO.SERVICE (服务不实用: no service at all, or ≥ 5 guides lacking ≥ 4 categories) and
W.SVC.GUIDE. Guides are rendered as two-column tables (``<th>收费标准</th><td>不收费</td>``),
label rows above value rows, definition lists, numbered headings followed by paragraphs
(``一、设定依据`` / ``【申请条件】``), or ``label：value`` lines. A category is present when a
label matches it (or a synonym) *and* its value is usable: non-empty ("无" only counts for
收费标准), a phone number for 联系电话, office hours — not a 承诺时限 — for 办理时间.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from xuncha.extract.html import compact, host_of, parse, text_of, title_of
from xuncha.extract.identity import footer_roots, text_blocks, to_halfwidth
from xuncha.extract.links import extract_links
from xuncha.model import GUIDE_CATEGORIES, Column, Page, ServiceGuide, SiteSnapshot

# §6 synonyms [U]; the category name itself is always accepted.
GUIDE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "事项名称": ("事项名称", "事项", "服务名称", "审批事项"),
    "设定依据": ("设定依据", "法定依据", "实施依据", "办理依据", "法律依据", "政策依据"),
    "申请条件": ("申请条件", "受理条件", "办理条件", "申报条件", "准入条件"),
    "办理材料": ("办理材料", "申请材料", "申报材料", "所需材料", "材料清单", "提交材料"),
    "办理地点": ("办理地点", "受理地点", "办理窗口", "办公地址", "服务地址"),
    "办理机构": ("办理机构", "实施主体", "实施机关", "受理机构", "办理部门", "责任单位"),
    "收费标准": ("收费标准", "收费依据", "是否收费", "收费情况"),
    "办理时间": ("办理时间", "受理时间", "办公时间", "工作时间"),
    "联系电话": ("联系电话", "咨询电话", "咨询方式", "联系方式"),
    "办理流程": ("办理流程", "办事流程", "办理程序", "流程图", "办理环节"),
}
# Decorations a label may carry: 申请材料目录, 办理流程图, 收费标准及依据 ...
_SUFFIXES = (
    "",
    "目录",
    "清单",
    "及要求",
    "要求",
    "说明",
    "信息",
    "情况",
    "图",
    "及说明",
    "名录",
    "及份数",
    "及依据",
    "列表",
    "及地址",
    "及电话",
)
_LABELS: dict[str, str] = {}
for _cat, _syns in GUIDE_SYNONYMS.items():
    for _syn in _syns:
        for _suf in _SUFFIXES:
            _LABELS.setdefault(_syn + _suf, _cat)

_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+\s*[、.．]|\d{1,2}\s*[、.．)）]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|"
    r"第[一二三四五六七八九十]+[项条部分]?\s*[、.:]?)\s*"
)
_BRACKET = re.compile(r"^[【\[「《<]\s*([^】\]」》>]{1,16})\s*[】\]」》>]\s*:?\s*(.*)$")
_PAREN = re.compile(r"[(（][^)）]{0,20}[)）]")
_EMPTY_VALUES = frozenset({"", "无", "暂无", "-", "--", "---", "—", "——", "/", "空", "待定", "null", "none"})
_PHONE = re.compile(
    r"(?:\(?0\d{2,3}\)?\s*[-—]?\s*\d{7,8}|1[3-9]\d{9}|(?<!\d)12345(?!\d)|400-?\d{3}-?\d{4}|(?<!\d)\d{7,8}(?!\d))"
)
_HOURS = re.compile(
    r"\d{1,2}\s*[:点时]\s*\d{0,2}|上午|下午|周[一二三四五六日末]|星期[一二三四五六日天]|节假日|全天|24小时|"
    r"工作日(?!内)|每天|每日|早上|晚上"
)
_TIME_LIMIT = re.compile(r"时限|\d+\s*个?\s*(?:工作日|自然日|日|天)(?:内)?|即办|当场办结")
_GUIDE_TITLE = re.compile(r"办事指南|服务指南|办事须知|事项指南|办理指南")


def label_of(text: str) -> tuple[str, str] | None:
    """(category, inline value) when a line/cell starts with a §6 label, else None.

    ``一、设定依据``, ``【收费标准】不收费``, ``申请材料目录：``, ``联系电话（咨询）：0371-...``."""
    t = to_halfwidth(text or "").strip()
    t = _NUMBERING.sub("", t, count=1)
    value = ""
    mt = _BRACKET.match(t)
    if mt:
        label_part, value = mt.group(1), mt.group(2)
    else:
        head, sep, tail = t.partition(":")
        label_part, value = (head, tail) if sep else (t, "")
    label = _PAREN.sub("", compact(label_part)).rstrip(":")
    if not label or len(label) > 12:
        return None
    cat = _LABELS.get(label)
    if cat is None:
        return None
    return cat, value.strip()


def value_ok(category: str, value: str) -> bool:
    """Is ``value`` a usable value for ``category`` (§6: non-empty; phone; office hours)."""
    v = to_halfwidth(value or "").strip()
    v = re.sub(r"^[:\s]+", "", v)
    if category == "收费标准":
        return bool(compact(v))
    if compact(v).lower() in _EMPTY_VALUES:
        return False
    if category == "联系电话":
        return bool(_PHONE.search(re.sub(r"(?<=\d)[\s-]+(?=\d)", "", v)))
    if category == "办理时间":
        # 承诺时限 / 法定时限 (5个工作日) alone is not an office-hours value [U].
        return bool(_HOURS.search(_TIME_LIMIT.sub(" ", v)))
    return True


@dataclass
class _Found:
    labels: set[str] = field(default_factory=set)  # categories whose label was seen
    values: dict[str, list[str]] = field(default_factory=dict)

    def add(self, cat: str, value: str) -> None:
        self.labels.add(cat)
        self.values.setdefault(cat, []).append(value.strip())

    def present(self) -> frozenset[str]:
        return frozenset(c for c, vs in self.values.items() if any(value_ok(c, v) for v in vs))


def _cells(tr: LexborNode) -> list[LexborNode]:
    out = []
    child = tr.child
    while child is not None:
        if child.tag in ("td", "th"):
            out.append(child)
        child = child.next
    return out


def _cell_text(cell: LexborNode) -> str:
    return " ".join(b.text for b in text_blocks(cell))


def _scan_tables(tree: LexborHTMLParser, found: _Found) -> set[int]:
    """Label/value pairs of guide tables; returns the ids of tables read."""
    used: set[int] = set()
    for table in tree.css("table"):
        if any(t.mem_id != table.mem_id for t in table.css("table")):
            continue  # a layout table around the guide table
        rows = [_cells(tr) for tr in table.css("tr")]
        texts = [[_cell_text(c) for c in cells] for cells in rows]
        labels = [[label_of(t) for t in row] for row in texts]
        if sum(1 for row in labels for lab in row if lab) < 2:
            continue
        used.add(table.mem_id)
        for i, row in enumerate(texts):
            labs = labels[i]
            nxt = texts[i + 1] if i + 1 < len(texts) else []
            nxt_labs = labels[i + 1] if i + 1 < len(labels) else []
            only_labels = all(
                lab is not None and not lab[1] for lab, txt in zip(labs, row, strict=False) if compact(txt)
            )
            if labs and only_labels and len(labs) >= 2 and nxt and not any(nxt_labs):
                for j, lab in enumerate(labs):  # header row, values below (column layout)
                    if lab:
                        found.add(lab[0], nxt[j] if j < len(nxt) else "")
                continue
            for j, lab in enumerate(labs):
                if not lab:
                    continue
                cat, inline = lab
                if inline:
                    found.add(cat, inline)
                elif j + 1 < len(row) and not labs[j + 1]:
                    found.add(cat, row[j + 1])
                elif len(row) == 1 and nxt and not any(nxt_labs):
                    found.add(cat, " ".join(nxt))  # label spanning the table, value row below
                else:
                    found.add(cat, "")
    return used


def _inside(node: LexborNode, ids: set[int]) -> bool:
    cur: LexborNode | None = node
    while cur is not None:
        if cur.mem_id in ids:
            return True
        cur = cur.parent
    return False


def _scan_lines(tree: LexborHTMLParser, found: _Found, skip: set[int]) -> None:
    """``label：value`` lines and label headings followed by their paragraphs (dl/dt/dd too),
    outside the tables already read, the footer and ``<nav>`` (header words such as "top" are
    too common inside content blocks to exclude by)."""
    skip = skip | {n.mem_id for n in footer_roots(tree)} | {n.mem_id for n in tree.css("nav")}
    # An image without alt text still is a value (a 办理流程 flow chart).
    lines = [b for b in text_blocks(tree.body, img_placeholder="[图片]") if not _inside(b.node, skip)]
    pending: str | None = None
    collected: list[str] = []
    for b in lines:
        lab = label_of(b.text)
        if lab is not None:
            if pending is not None:
                found.add(pending, " ".join(collected))
            cat, inline = lab
            if inline:
                found.add(cat, inline)
                pending, collected = None, []
            else:
                pending, collected = cat, []
            continue
        if pending is not None:
            collected.append(b.text)
            if len(collected) >= 40:
                found.add(pending, " ".join(collected))
                pending, collected = None, []
    if pending is not None:
        found.add(pending, " ".join(collected))


def _guide_title(tree: LexborHTMLParser, found: _Found) -> str:
    for v in found.values.get("事项名称", []):
        if value_ok("事项名称", v):
            return v[:100]
    h1 = text_of(tree.css_first("h1"))
    if h1:
        return h1[:100]
    return re.split(r"\s*[-_|]\s*", title_of(tree))[0][:100]


_CRUMB = re.compile(
    r"(?:当前位置|您的位置|您现在的位置|所在位置).{0,80}?(?:办事指南|服务指南|办事服务|网上办事|政务服务|服务事项|办事事项)"
)


def _page_text(tree: LexborHTMLParser) -> str:
    return to_halfwidth(tree.body.text(separator=" ") if tree.body is not None else "")


def _named(tree: LexborHTMLParser, text: str) -> bool:
    """The page calls itself a guide: title, ``<h1>`` or a 当前位置 breadcrumb."""
    return bool(
        _GUIDE_TITLE.search(title_of(tree) + " " + text_of(tree.css_first("h1"))) or _CRUMB.search(text)
    )


def _label_words_in(text: str) -> int:
    """How many categories have a label word somewhere in the page text (fast pre-check)."""
    flat = compact(text)
    return sum(1 for syns in GUIDE_SYNONYMS.values() if any(s in flat for s in syns))


def _analyse(tree: LexborHTMLParser) -> tuple[_Found, bool] | None:
    """Labels/values of a page and whether it names itself a guide; None when the page cannot
    be a guide (too few label words anywhere: no need to walk it)."""
    text = _page_text(tree)
    named = _named(tree, text)
    words = _label_words_in(text)
    if words < 3 and not (named and words >= 1):
        return None
    found = _Found()
    used = _scan_tables(tree, found)
    _scan_lines(tree, found, used)
    return found, named


def _is_guide(found: _Found, named: bool) -> bool:
    return len(found.labels) >= 3 or (named and bool(found.labels))


def extract_guide(html: str | LexborHTMLParser, page_url: str) -> ServiceGuide | None:
    """The service guide on a page with its present categories, or None when the page is not a
    guide: fewer than 3 categories labelled, unless the page calls itself 办事指南 (title, h1,
    breadcrumb) and labels at least one. Labels in running text are not labels (a line must
    start with one), so an article mentioning 申请条件 is not a guide."""
    tree = parse(html) if isinstance(html, str) else html
    if tree.body is None:
        return None
    got = _analyse(tree)
    if got is None or not _is_guide(*got):
        return None
    found = got[0]
    return ServiceGuide(title=_guide_title(tree, found), url=page_url, present=found.present())


# --------------------------------------------------------------------------- site level
SERVICE_ENTRY_RE = re.compile(
    r"办事服务|网上办事|政务服务|在线办理|政务服务网|办事大厅|一网通办|服务大厅|网上办理"
)
_ORG_SUFFIX = re.compile(r"(?:局|委|办公室|中心|(?<!大)厅|处|科|室|院|所|站)$")
_ZWFW_HOST = re.compile(r"(?:^|[.-])(?:[a-z]{0,6}zwfw[a-z]{0,4}|zwfwzx|gjzwfw|tzxm)(?:[.-]|$)")
_GUIDE_LINK = re.compile(r"办事指南|服务指南|办事须知|办理指南")
_GUIDE_WORDS = ("材料", "条件", "依据", "流程", "收费", "地点", "电话", "机构", "时间", "事项")


def is_service_entry(text: str, url: str) -> bool:
    """A link to online services: its short text names 办事服务/网上办事/政务服务/... (not an
    office such as 政务服务中心/政务服务管理局), or it points to a 政务服务网 host (zwfw)."""
    t = compact(to_halfwidth(text or ""))
    if _ZWFW_HOST.search(host_of(url)):
        return True
    if not t or len(t) > 14:
        return False
    if "政务服务网" in t:
        return True
    return bool(SERVICE_ENTRY_RE.search(t)) and not _ORG_SUFFIX.search(t)


def _dir_of(url: str) -> str:
    """Folder of a column URL (``http://a/bsfw/index.html`` → ``http://a/bsfw/``); "" at the root."""
    parts = urlsplit(url)
    folder = parts.path.rsplit("/", 1)[0] + "/"
    return "" if folder == "/" else f"{parts.scheme}://{parts.netloc}{folder}"


def _service_context(page: Page, found: _Found, named: bool, service_dirs: list[str]) -> bool:
    """A guide-shaped page counts as a guide when it says so, carries 事项名称 or most
    categories, or sits under a SERVICE column: a notice with 申报条件/申报材料 sections
    elsewhere is not a service item."""
    if named or "事项名称" in found.labels or len(found.labels) >= 6:
        return True
    urls = (page.url, page.final_url, page.referrer)
    return any(u and u.startswith(d) for d in service_dirs for u in urls)


def build_guides(snapshot: SiteSnapshot, columns: list[Column]) -> tuple[list[ServiceGuide], list[str]]:
    """(guides on crawled pages, service entry URLs) of a site.

    A guide on another host than the home page (a 政务服务网 link-out that was crawled) is
    ``link_out``; a guide link-out that the link checks found dead is a guide with
    ``reachable=False`` and no category (§6: counts as all 10 missing). Entries are links from
    any crawled page (and SERVICE columns) that :func:`is_service_entry` accepts."""
    home_host = host_of(snapshot.home_url)
    home_hosts = {home_host}
    if snapshot.home is not None and snapshot.home.final_url:
        home_hosts.add(host_of(snapshot.home.final_url))
    service_dirs = [_dir_of(c.url) for c in columns if c.cls == "SERVICE"]
    service_dirs = [d for d in service_dirs if d]
    guides: list[ServiceGuide] = []
    seen_guides: set[str] = set()
    entries: list[str] = []
    seen_entries: set[str] = set()
    guide_links: dict[str, str] = {}

    for col in columns:
        if col.cls == "SERVICE" and is_service_entry(col.name, col.url) and col.url not in seen_entries:
            seen_entries.add(col.url)
            entries.append(col.url)

    for page in snapshot.pages:
        if not page.html or page.role == "script" or not page.ok:
            continue
        url = page.final_url or page.url
        html = page.html
        if url not in seen_guides and sum(1 for w in _GUIDE_WORDS if w in html) >= 3:
            tree = parse(html)
            got = _analyse(tree) if tree.body is not None else None
            if got is not None:
                found, named = got
                if _is_guide(found, named) and _service_context(page, found, named, service_dirs):
                    seen_guides |= {url, page.url}
                    guides.append(
                        ServiceGuide(
                            title=_guide_title(tree, found),
                            url=url,
                            present=found.present(),
                            link_out=host_of(url) not in home_hosts,
                        )
                    )
        if not (SERVICE_ENTRY_RE.search(html) or "zwfw" in html or _GUIDE_LINK.search(html)):
            continue
        for link in extract_links(html, url):
            if link.tag not in ("a", "area"):
                continue
            if is_service_entry(link.text, link.url) and link.url not in seen_entries:
                seen_entries.add(link.url)
                entries.append(link.url)
            if _GUIDE_LINK.search(link.text) and host_of(link.url) not in home_hosts:
                guide_links.setdefault(link.url, link.text)

    for url, text in guide_links.items():
        check = snapshot.link_checks.get(url)
        if url not in seen_guides and snapshot.page(url) is None and check is not None and check.broken:
            guides.append(ServiceGuide(title=text, url=url, link_out=True, reachable=False))
    return guides, entries


__all__ = [
    "GUIDE_CATEGORIES",
    "GUIDE_SYNONYMS",
    "build_guides",
    "extract_guide",
    "is_service_entry",
    "label_of",
    "value_ok",
]
