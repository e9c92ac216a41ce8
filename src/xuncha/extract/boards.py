"""Message boards (政务咨询类 columns: 领导信箱, 在线咨询, 留言板, 12345 ...) and their messages.

Feeds W.VETO.INTERACTION (互动回应差: a valid message waiting more than 3 months for its reply)
and the W.INT.* deductions. Board list pages are rendered by real CMSs as

* tables with a header row: 标题 | 留言时间 | 回复时间 | 状态 (已回复 / 未回复 / 办理中 / 已办结);
* ``<li>``/``<div>`` rows: ``<a>title</a> 留言时间：2024-01-02 回复时间：2024-01-05``;
* rows with a status badge (``<span class="zt">已回复</span>``) and one undated-label date.

ask_date comes from a 留言/提问/来信/咨询 时间 label (else the earliest date shown, flagged
``ask_date_guessed`` per §1 [U]); reply_date from a 回复/答复/办结 时间 label; ``replied`` from a
reply date or a status word. When a list row shows no reply information at all and its detail
page was crawled, the detail page is read for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qsl, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from xuncha.extract.dates import find_dates, parse_date
from xuncha.extract.html import (
    absolute,
    base_url,
    compact,
    meta_tags,
    normalize_space,
    parse,
    region_of,
    text_of,
    title_of,
)
from xuncha.extract.identity import text_blocks, to_halfwidth
from xuncha.extract.taxonomy import classify_name
from xuncha.model import Column, Message, MessageBoard, Page, SiteSnapshot

BOARD_CLASSES: tuple[str, ...] = ("CONSULT", "SURVEY", "INTERVIEW", "EXCLUDE")


def board_class(name: str) -> str | None:
    """CONSULT / SURVEY / INTERVIEW / EXCLUDE for a channel name (§5 taxonomy), None otherwise."""
    got = classify_name(to_halfwidth(name or ""))
    return got[0] if got is not None and got[0] in BOARD_CLASSES else None


# --------------------------------------------------------------------------- labels
_DATEISH = r"[\[【(（]?\s*([0-9０-９]{1,4}[0-9０-９\s\-/.:：年月日—–]{2,24})"
_ASK_WORDS = r"留言|提问|来信|咨询|写信|提交|来件|诉求|投诉|发信|提出|反映|问政|求助|信件"
_REPLY_WORDS = r"回复|答复|办结|反馈|回信|处理"
ASK_RE = re.compile(rf"(?:{_ASK_WORDS})\s*(?:时间|日期)\s*[:：]?\s*" + _DATEISH)
REPLY_RE = re.compile(rf"(?:{_REPLY_WORDS})\s*(?:时间|日期)\s*[:：]?\s*" + _DATEISH)
NOT_REPLIED_RE = re.compile(
    r"未回复|未答复|待回复|待答复|暂未回复|尚未回复|办理中|处理中|待处理|未办结|未处理|受理中|已受理|"
    r"转办中|已转办|待审核|审核中|未反馈|待办理|正在办理"
)
REPLIED_RE = re.compile(r"已回复|已答复|已办结|已处理|已反馈|已完成|已解决|办结|已回")
_REPLY_CONTENT_RE = re.compile(r"(?:回复|答复|办理|处理)(?:内容|意见|结果|情况)?\s*[:：]\s*(\S.{3,})")
_REPLY_HEADING_RE = re.compile(r"^(?:回复|答复)(?:内容|意见|情况)?[:：]?$|^(?:办理|处理)(?:结果|意见)[:：]?$")
_SKIP_TITLE = re.compile(
    r"^(?:详情|查看|更多|more|>>|»|回复|已回复|未回复|我要写信|我要留言|首页|上一页|下一页|尾页)", re.I
)


@dataclass
class _Row:
    message: Message
    evidence: bool  # the row itself shows board facts (labelled dates or a status word)
    reply_known: bool  # reply date or a status word seen


# Column/label words that contain status words (办结时间, 回复单位, 办理状态) are not a status.
_LABEL_WORDS = re.compile(
    rf"(?:{_ASK_WORDS}|{_REPLY_WORDS}|办理|受理)\s*(?:时间|日期|单位|部门|人|状态|情况)"
)


def _status(text: str) -> bool | None:
    text = _LABEL_WORDS.sub(" ", text)
    if NOT_REPLIED_RE.search(text):
        return False
    if REPLIED_RE.search(text):
        return True
    return None


def _labelled(rx: re.Pattern[str], text: str, ref: date) -> date | None:
    for mt in rx.finditer(text):
        got = parse_date(mt.group(1), ref)
        if got is not None:
            return got
    return None


def _strip_labelled(text: str) -> str:
    text = ASK_RE.sub(" ", text)
    return REPLY_RE.sub(" ", text)


def _row_from_text(
    title: str,
    url: str,
    rest: str,
    ref: date,
    *,
    ask: date | None = None,
    reply: date | None = None,
    status_text: str | None = None,
    generic_dates: list[date] | None = None,
) -> _Row:
    """A message from a row's text (title removed): labels first, then status, then any date."""
    ask = ask or _labelled(ASK_RE, rest, ref)
    reply = reply or _labelled(REPLY_RE, rest, ref)
    status = _status(status_text if status_text is not None else _strip_labelled(rest))
    guessed = False
    if ask is None:
        dates = generic_dates if generic_dates is not None else find_dates(rest, ref)
        if dates:
            ask = min(dates)
            guessed = True
    replied = reply is not None or status is True
    evidence = bool(ASK_RE.search(rest) or REPLY_RE.search(rest)) or status is not None
    msg = Message(
        title=title, url=url, ask_date=ask, reply_date=reply, replied=replied, ask_date_guessed=guessed,
        reply_known=reply is not None or status is not None,
    )
    return _Row(msg, evidence, reply is not None or status is not None)


# --------------------------------------------------------------------------- tables
def _cells(tr: LexborNode) -> list[LexborNode]:
    out: list[LexborNode] = []
    child = tr.child
    while child is not None:
        if child.tag in ("td", "th"):
            span = child.attributes.get("colspan") or "1"
            out.extend([child] * (int(span) if span.isdigit() and 0 < int(span) < 20 else 1))
        child = child.next
    return out


def _header_role(text: str) -> str | None:
    h = compact(to_halfwidth(text))
    if not h or len(h) > 12:
        return None
    if re.search(r"状态|是否回复|是否答复|办理情况|处理情况|回复情况|答复情况|进度|办理结果", h):
        return "status"
    if re.search(r"时间|日期", h):
        if re.search(_ASK_WORDS, h):
            return "ask"
        if re.search(_REPLY_WORDS, h):
            return "reply"
        return "date"
    if re.search(r"人|编号|序号|单位|部门|类型|类别|分类|点击|浏览", h):
        return None
    if re.search(r"标题|主题|事项|内容|诉求|信件|留言|问题|名称|来信|咨询", h):
        return "title"
    return None


def _full_title(text: str, attr: str) -> str:
    """The link's title attribute when the visible text is cut (关于...问题...) or missing."""
    attr = normalize_space(attr)
    if attr and (not text or len(attr) > len(text) or text.endswith(("...", "…", ".."))):
        return attr
    return text


def _title_of_cell(cell: LexborNode, base: str) -> tuple[str, str]:
    for a in cell.css("a"):
        text = _full_title(normalize_space(a.text(strip=True)), a.attributes.get("title") or "")
        if text and not _SKIP_TITLE.match(text):
            return text, absolute(base, a.attributes.get("href")) or ""
    return text_of(cell), ""


def _table_rows(tree: LexborHTMLParser, base: str, ref: date) -> tuple[list[_Row], set[int]]:
    """Messages of tables whose header names message-board columns; ids of tables used."""
    out: list[_Row] = []
    used: set[int] = set()
    for table in tree.css("table"):
        if any(t.mem_id != table.mem_id for t in table.css("table")):
            continue  # layout table around the real one (lexbor's css() includes the node itself)
        trs = table.css("tr")
        header_at = -1
        roles: list[str | None] = []
        for i, tr in enumerate(trs[:3]):
            cells = _cells(tr)
            got = [_header_role(text_of(c)) for c in cells]
            if sum(1 for r in got if r) >= 2 and any(r in ("ask", "reply", "status", "date") for r in got):
                header_at, roles = i, got
                break
        if header_at < 0 or not any(r in ("ask", "reply", "status") for r in roles):
            continue
        used.add(table.mem_id)
        for tr in trs[header_at + 1 :]:
            cells = _cells(tr)
            if not cells:
                continue
            title, url, ask, reply, status_text = "", "", None, None, ""
            generic: list[date] = []
            for role, cell in zip(roles, cells, strict=False):
                text = text_of(cell)
                if role == "title" and not title:
                    title, url = _title_of_cell(cell, base)
                elif role == "ask":
                    ask = ask or parse_date(text, ref)
                elif role == "reply":
                    reply = reply or parse_date(text, ref)
                elif role == "status":
                    status_text += " " + text
                elif role == "date":
                    generic.extend(find_dates(text, ref))
            if not title:
                for cell in cells:
                    if cell.css_first("a") is not None:
                        title, url = _title_of_cell(cell, base)
                        break
            if not title:
                continue
            row_text = " ".join(text_of(c) for c in dict.fromkeys(cells))
            rest = row_text.replace(title, " ", 1)
            if ask is None and not generic:
                generic = find_dates(_strip_labelled(rest), ref)
            row = _row_from_text(
                title,
                url,
                rest,
                ref,
                ask=ask,
                reply=reply,
                status_text=status_text if "status" in roles else None,
                generic_dates=generic,
            )
            row.evidence = True
            out.append(row)
    return out, used


# --------------------------------------------------------------------------- list rows
_ROW_TAGS = "li, tr, dl, div, p, article, section, dd"
_DATE_HINT = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}|\d{1,2}\s*-\s*\d{1,2}")


def _title_link(node: LexborNode) -> tuple[str, LexborNode] | None:
    """(title, anchor) of the first link of a row whose text can be a message title."""
    for a in node.css("a"):
        text = _full_title(normalize_space(a.text(strip=True)), a.attributes.get("title") or "")
        if len(compact(text)) >= 4 and not _SKIP_TITLE.match(text):
            return text, a
    return None


def _leaf_rows(tree: LexborHTMLParser, skip: set[int], qualifies) -> list[LexborNode]:
    """Smallest row-like elements that qualify (no qualifying descendant), document order."""
    body = tree.body
    if body is None:
        return []
    rows = [n for n in body.css(_ROW_TAGS) if qualifies(n)]
    has_inner: set[int] = set()
    for n in rows:
        cur = n.parent
        while cur is not None and cur.mem_id not in has_inner:
            has_inner.add(cur.mem_id)
            cur = cur.parent
    out = []
    for n in rows:
        if n.mem_id in has_inner:
            continue
        cur, inside_used = n.parent, False
        while cur is not None:
            if cur.mem_id in skip:
                inside_used = True
                break
            cur = cur.parent
        if not inside_used and region_of(n) not in ("footer", "nav", "header"):
            out.append(n)
    return out


def _row_text(node: LexborNode) -> str:
    return " ".join(b.text for b in text_blocks(node, alt_text=False))


def _list_rows(tree: LexborHTMLParser, base: str, ref: date, skip: set[int], plain: bool) -> list[_Row]:
    def with_link(n: LexborNode) -> bool:
        text = to_halfwidth(n.text(strip=True) or "")
        if not (_DATE_HINT.search(text) or REPLIED_RE.search(text) or NOT_REPLIED_RE.search(text)):
            return False
        return n.css_first("a[href]") is not None and _title_link(n) is not None

    groups: dict[int, list[_Row]] = {}
    order: list[int] = []
    for node in _leaf_rows(tree, skip, with_link):
        link = _title_link(node)
        if link is None:
            continue
        title = link[0]
        url = absolute(base, link[1].attributes.get("href")) or ""
        rest = to_halfwidth(_row_text(node)).replace(to_halfwidth(title), " ", 1)
        row = _row_from_text(title, url, rest, ref)
        if row.message.ask_date is None and not row.reply_known:
            continue
        key = node.parent.mem_id if node.parent is not None else 0
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(row)
    if not groups:
        return _linkless_rows(tree, ref, skip)
    # A board page may carry side lists (最新动态) with dates: when some list shows board facts,
    # only such lists count; lists of dated titles alone are messages only when ``plain``.
    with_evidence = [k for k in order if any(r.evidence for r in groups[k])]
    keys = with_evidence or (order if plain else [])
    return [r for k in keys for r in groups[k]]


_NOT_TITLE = re.compile(
    r"^(?:回复|答复|办理结果|处理结果|回复内容|答复内容|回复单位|答复单位|留言人|来信人|咨询人)"
)


def _linkless_title(node: LexborNode) -> str:
    """First line of a whole-message block that is neither a label, a date nor a status."""
    for b in text_blocks(node, alt_text=False):
        half = to_halfwidth(b.text)
        if _NOT_TITLE.match(half):
            continue
        cleaned = re.sub(
            r"^(?:标题|主题|留言|问题|咨询)(?:内容|标题)?\s*:\s*", "", _strip_labelled(half)
        ).strip()
        if len(compact(cleaned)) >= 4 and _status(cleaned) is None and not _DATE_HINT.match(cleaned):
            return cleaned[:80]
    return ""


def _linkless_rows(tree: LexborHTMLParser, ref: date, skip: set[int]) -> list[_Row]:
    """Boards that print whole messages (question, 留言时间, answer) without a detail link."""

    def qualifies(n: LexborNode) -> bool:
        return bool(ASK_RE.search(to_halfwidth(n.text(strip=True) or ""))) and bool(_linkless_title(n))

    out: list[_Row] = []
    for node in _leaf_rows(tree, skip, qualifies):
        title = _linkless_title(node)
        rest = to_halfwidth(_row_text(node)).replace(title, " ", 1)
        out.append(_row_from_text(title, "", rest, ref))
    return out


_ANY_BOARD_FACT = re.compile(
    rf"(?:{_ASK_WORDS}|{_REPLY_WORDS})\s*(?:时间|日期)|{NOT_REPLIED_RE.pattern}|{REPLIED_RE.pattern}|状态"
)


def _extract_rows(tree: LexborHTMLParser, page_url: str, ref: date, plain: bool = False) -> list[_Row]:
    if tree.body is None:
        return []
    if not plain and not _ANY_BOARD_FACT.search(to_halfwidth(tree.body.text(separator=" ") or "")):
        return []  # fast path: nothing on the page speaks of messages and replies
    base = base_url(tree, page_url)
    rows, used = _table_rows(tree, base, ref)
    rows.extend(_list_rows(tree, base, ref, used, plain))
    seen: set[tuple[str, str, date | None]] = set()
    out: list[_Row] = []
    for r in rows:
        key = (r.message.url, r.message.title, r.message.ask_date)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def extract_messages(html: str | LexborHTMLParser, page_url: str, ref: date) -> list[Message]:
    """Messages listed on one board list page, in page order (tables, list rows, whole messages).

    Only rows in lists that show board facts count (a 留言/回复 time label, a 状态 column, an
    已回复/未回复 badge): a list of dated titles says nothing about replies, so a news list
    gives no messages. ``ref`` is the monitoring point, used to infer the year of year-less
    dates (03-10)."""
    tree = parse(html) if isinstance(html, str) else html
    return [r.message for r in _extract_rows(tree, page_url, ref)]


# --------------------------------------------------------------------------- detail pages
def reply_from_detail(html: str, ref: date) -> tuple[date | None, date | None, bool | None]:
    """(labelled ask date, reply date, replied) read from a message's detail page; replied is
    None when the page says nothing about a reply."""
    tree = parse(html)
    lines = [
        to_halfwidth(b.text)
        for b in text_blocks(tree.body, alt_text=False)
        if region_of(b.node) not in ("footer", "nav")
    ]
    text = "\n".join(lines)
    ask = _labelled(ASK_RE, text, ref)
    reply = _labelled(REPLY_RE, text, ref)
    if reply is not None:
        return ask, reply, True
    status = _status(_strip_labelled(text))
    if status is not None:
        return ask, None, status
    for i, line in enumerate(lines):
        if _REPLY_CONTENT_RE.match(line):
            return ask, None, True
        if _REPLY_HEADING_RE.match(compact(line)) and i + 1 < len(lines) and len(compact(lines[i + 1])) >= 4:
            return ask, None, True
    return ask, None, None


# --------------------------------------------------------------------------- boards
_PAGE_KEYS = frozenset(
    {
        "page",
        "pageno",
        "pageindex",
        "p",
        "pn",
        "curpage",
        "currentpage",
        "pagenum",
        "pagenumber",
        "start",
        "offset",
        "pagesize_no",
        "cpage",
        "index",
        "pg",
    }
)
_PAGED_FILE = re.compile(r"^(?P<stem>.*?)(?:_|-)(?P<n>\d{1,4})(?P<ext>\.\w+)?$")


def is_pagination_of(url: str, base: str) -> bool:
    """``url`` is a further list page of ``base``: index_2.html, index-3.shtml, ?page=2 ..."""
    if url == base:
        return False
    u, b = urlsplit(url), urlsplit(base)
    if u.netloc != b.netloc:
        return False
    if u.path == b.path or (u.path.rstrip("/") == b.path.rstrip("/")):
        uq = dict(parse_qsl(u.query))
        bq = dict(parse_qsl(b.query))
        diff = {k for k in set(uq) | set(bq) if uq.get(k) != bq.get(k)}
        return bool(diff) and all(k.lower() in _PAGE_KEYS for k in diff)
    udir, _, ufile = u.path.rpartition("/")
    bdir, _, bfile = b.path.rpartition("/")
    if udir != bdir:
        return False
    mt = _PAGED_FILE.match(ufile)
    if not mt:
        return False
    bstem = bfile.rsplit(".", 1)[0] if bfile else "index"
    return mt["stem"] == bstem or (not bfile and mt["stem"] in ("index", "default", "list"))


def _board_pages(snapshot: SiteSnapshot, page: Page) -> list[Page]:
    """The board page and its pagination pages present in the snapshot (crawl order)."""
    urls = {page.url, page.final_url} - {""}
    out = [page]
    changed = True
    while changed:
        changed = False
        for p in snapshot.pages:
            if p in out or not p.html:
                continue
            by_referrer = p.role == "pagination" and p.referrer in urls
            by_url = any(
                is_pagination_of(p.url, u) or (p.final_url and is_pagination_of(p.final_url, u))
                for u in (page.url, page.final_url)
                if u
            )
            if by_referrer or by_url:
                out.append(p)
                urls |= {p.url, p.final_url} - {""}
                changed = True
    return out


def _messages_of(snapshot: SiteSnapshot, pages: list[Page], ref: date) -> list[Message]:
    """Messages of the board pages, de-duplicated, with reply facts from crawled detail pages
    for rows whose list line shows none. A dated title without any board fact on the list
    (no label, no status) is a message only when its detail page tells the reply state."""
    out: list[Message] = []
    seen: set[tuple[str, str, date | None]] = set()
    for p in pages:
        for row in _extract_rows(parse(p.html), p.final_url or p.url, ref, plain=True):
            msg = row.message
            key = (msg.url, msg.title, msg.ask_date)
            if key in seen:
                continue
            seen.add(key)
            if msg.url and (not row.reply_known or msg.ask_date_guessed):
                detail = snapshot.page(msg.url)
                if detail is not None and detail.html and detail.ok:
                    ask, reply, replied = reply_from_detail(detail.html, ref)
                    if ask is not None and msg.ask_date_guessed:
                        msg.ask_date, msg.ask_date_guessed = ask, False
                    if not row.reply_known and replied is not None:
                        msg.replied = replied
                        msg.reply_date = reply
                        msg.reply_known = True
                        row.evidence = True
            if row.evidence:
                out.append(msg)
    return out


def _page_names(tree: LexborHTMLParser) -> list[str]:
    """Names a page gives itself: ColumnName meta, <h1>, current breadcrumb, title segments."""
    names: list[str] = []
    meta = meta_tags(tree)
    for key in ("ColumnName", "columnname", "ColumnType"):
        if meta.get(key):
            names.append(meta[key])
    h1 = text_of(tree.css_first("h1"))
    if h1:
        names.append(h1)
    for seg in re.split(r"\s*[-_|｜—–]+\s*", title_of(tree)):
        if seg:
            names.append(seg)
    return [n for n in names if len(n) <= 30]


def build_boards(snapshot: SiteSnapshot, columns: list[Column], ref: date) -> list[MessageBoard]:
    """Message boards of a site: every CONSULT / SURVEY / INTERVIEW / EXCLUDE column with the
    messages of its list page and pagination pages, plus boards found on other crawled pages
    (a page naming a consultation channel in its ColumnName / h1 / title and listing messages
    with board facts: labelled dates or reply status)."""
    boards: list[MessageBoard] = []
    used: set[str] = set()
    for col in columns:
        if col.cls not in BOARD_CLASSES:
            continue
        page = snapshot.page(col.url)
        if page is None or not page.html:
            reachable = col.reachable if page is None else page.ok
            boards.append(MessageBoard(name=col.name, url=col.url, cls=col.cls, reachable=reachable))
            continue
        pages = _board_pages(snapshot, page)
        used |= {u for p in pages for u in (p.url, p.final_url) if u}
        boards.append(
            MessageBoard(
                name=col.name,
                url=col.url,
                cls=col.cls,
                messages=_messages_of(snapshot, pages, ref),
                reachable=page.ok,
            )
        )

    known = {m.url for b in boards for m in b.messages if m.url}
    found: dict[tuple[str, str], MessageBoard] = {}
    for page in snapshot.pages:
        if not page.html or not page.ok or page.role in ("script", "detail") or page.url in used:
            continue
        tree = parse(page.html)
        name, cls = "", None
        for candidate in _page_names(tree):
            cls = board_class(candidate)
            if cls is not None:
                name = normalize_space(candidate)
                break
        if cls is None:
            continue
        rows = _extract_rows(tree, page.final_url or page.url, ref)
        if not any(r.evidence for r in rows) or (len(rows) < 2 and page.role not in ("column", "pagination")):
            continue
        pages = _board_pages(snapshot, page)
        pages = [p for p in pages if p.url not in used or p is page]
        used |= {u for p in pages for u in (p.url, p.final_url) if u}
        key = (cls, name)
        board = found.get(key)
        seen = {(m.url, m.title, m.ask_date) for m in board.messages} if board else set()
        # a 政民互动 landing page repeats the newest messages of the boards under it
        fresh = [
            m
            for m in _messages_of(snapshot, pages, ref)
            if (m.url, m.title, m.ask_date) not in seen and not (m.url and m.url in known)
        ]
        if not fresh:
            continue
        if board is None:
            board = found[key] = MessageBoard(name=name, url=page.url, cls=cls)
            boards.append(board)
        board.messages.extend(fresh)
        known |= {m.url for m in fresh if m.url}
    return boards
