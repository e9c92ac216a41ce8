"""Site search (W.SEARCH, indicators.md §4.5): find the search box, build a query URL, and tell
whether a result page really lists a title.

Search boxes on government sites come in three shapes: a plain ``<form action=... method=get>``
with a text input (``q``, ``searchword``, ``keyword``...) and hidden inputs (``siteCode``,
``websiteid``); a form whose submit is taken over by JavaScript; and a bare ``<input>`` + button
whose ``onclick`` runs ``window.location.href = "/search?searchword=" + encodeURI(v)``. For the
last two the URL template is read from the script literal.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from xuncha.extract.html import absolute, base_url, compact, parse, region_of
from xuncha.extract.identity import text_blocks, to_halfwidth
from xuncha.model import SearchForm

SEARCH_PARAMS = frozenset(
    {
        "q",
        "searchword",
        "keyword",
        "keywords",
        "kw",
        "query",
        "wd",
        "searchkey",
        "searchtext",
        "key",
        "word",
        "qt",
        "sword",
        "search",
        "s",
        "searchvalue",
        "keys",
        "w",
        "searchstr",
        "queryword",
        "strkey",
    }
)
_SEARCHY = re.compile(
    r"search|sousuo|jsearch|query|/so/|/s/|/s\?|/ss/|\bso\.|search\.|/find|jansearch|quanwen|ssjg", re.I
)
_SEARCH_WORDS = re.compile(r"搜索|检索|搜\s*索|查询|站内|全文|关键[词字]|请输入")
_TEXT_TYPES = frozenset({"", "text", "search"})
_JS_TEMPLATE = re.compile(r"""(["'])([^"'\s]*?[?&]([A-Za-z_][\w.]*)=)\1\s*\+""")
_HANDLER_ATTRS = ("onclick", "onsubmit", "onkeydown", "onkeyup", "onkeypress", "href")


def _attrs_text(node: LexborNode, *names: str) -> str:
    return " ".join((node.attributes.get(n) or "") for n in names)


def _text_inputs(root: LexborNode) -> list[LexborNode]:
    return [i for i in root.css("input") if (i.attributes.get("type") or "").lower() in _TEXT_TYPES]


def _in_form(node: LexborNode) -> bool:
    cur = node.parent
    while cur is not None:
        if cur.tag == "form":
            return True
        cur = cur.parent
    return False


def _input_score(inp: LexborNode) -> int:
    name = (inp.attributes.get("name") or "").strip()
    hints = _attrs_text(inp, "id", "class", "placeholder", "title", "value", "name")
    score = 3 if name.lower() in SEARCH_PARAMS else 0
    if _SEARCH_WORDS.search(hints) or re.search(r"search|sousuo|keyword|kw|query", hints, re.I):
        score += 2
    return score


def _form_score(form: LexborNode, inp: LexborNode) -> int:
    score = _input_score(inp)
    if _SEARCHY.search(form.attributes.get("action") or "") or _SEARCHY.search(
        _attrs_text(form, "id", "name", "class")
    ):
        score += 2
    buttons = " ".join(
        (b.text(strip=True) or "") + " " + _attrs_text(b, "value", "alt", "title", "class")
        for b in form.css("button, input[type=submit], input[type=button], input[type=image], a, img")
    )
    if _SEARCH_WORDS.search(buttons) or re.search(r"search|sousuo", buttons, re.I):
        score += 2
    return score


def _js_sources(tree: LexborHTMLParser, scripts: dict[str, str] | None) -> list[str]:
    out = [n.text(deep=True) or "" for n in tree.css("script") if not n.attributes.get("src")]
    for node in tree.css(
        "[onclick], [onsubmit], [onkeydown], [onkeyup], [onkeypress], a[href^='javascript']"
    ):
        out.append(_attrs_text(node, *_HANDLER_ATTRS))
    if scripts:
        out.extend(scripts.values())
    return out


def _template(sources: list[str], base: str, hint_ids: list[str]) -> SearchForm | None:
    """A search URL template from a JS literal ``"...?param=" + value``; literals in a source that
    mentions the box's id/name win, then literals that look like a search URL."""
    best: tuple[int, SearchForm] | None = None
    for src in sources:
        mentions = any(h and h in src for h in hint_ids)
        for mt in _JS_TEMPLATE.finditer(src):
            literal, param = mt.group(2), mt.group(3)
            url_part = literal[: literal.rfind(param + "=")].rstrip("?&")
            searchy = bool(_SEARCHY.search(url_part)) or param.lower() in SEARCH_PARAMS
            if not searchy:
                continue
            score = (2 if mentions else 0) + (1 if param.lower() in SEARCH_PARAMS else 0)
            action_raw, _, query = url_part.partition("?")
            action = absolute(base, action_raw or base) or ""
            form = SearchForm(
                action=action,
                method="get",
                param=param,
                hidden=dict(parse_qsl(query, keep_blank_values=True)),
            )
            if best is None or score > best[0]:
                best = (score, form)
    return best[1] if best else None


def _hidden(form: LexborNode) -> dict[str, str]:
    out: dict[str, str] = {}
    for inp in form.css("input[type=hidden]"):
        name = (inp.attributes.get("name") or "").strip()
        if name and name not in out:
            out[name] = inp.attributes.get("value") or ""
    for sel in form.css("select[name]"):
        name = (sel.attributes.get("name") or "").strip()
        opt = sel.css_first("option[selected]") or sel.css_first("option")
        if name and opt is not None and name not in out:
            out[name] = opt.attributes.get("value") or (opt.text(strip=True) or "")
    return out


def find_search_form(
    html_or_tree: str | LexborHTMLParser, page_url: str, scripts: dict[str, str] | None = None
) -> SearchForm | None:
    """The page's site-search box as a submittable :class:`SearchForm`, or None.

    Forms with a password field or a ``<textarea>`` (login, 留言) are never search boxes. A form
    whose action is empty or ``javascript:`` and a bare input without a form take their target
    from a JS URL template (inline scripts, handlers, and ``scripts`` when given). A box whose
    target cannot be found is returned with ``action=""`` (the box exists, it cannot be tried).
    """
    tree = parse(html_or_tree) if isinstance(html_or_tree, str) else html_or_tree
    base = base_url(tree, page_url)
    sources: list[str] | None = None

    candidates: list[tuple[int, LexborNode, LexborNode]] = []
    for form in tree.css("form"):
        if form.css_first("input[type=password], textarea") is not None:
            continue
        for inp in _text_inputs(form):
            if not (inp.attributes.get("name") or inp.attributes.get("id")):
                continue
            score = _form_score(form, inp)
            if score >= 2:
                candidates.append((score, form, inp))
    if candidates:
        candidates.sort(key=lambda c: -c[0])  # stable: document order among equals
        _, form, inp = candidates[0]
        name = (inp.attributes.get("name") or "").strip()
        action_raw = (form.attributes.get("action") or "").strip()
        method = (form.attributes.get("method") or "get").strip().lower()
        js_driven = not action_raw or action_raw.lower().startswith("javascript") or not name
        if js_driven:
            sources = _js_sources(tree, scripts)
            hints = [
                inp.attributes.get("id") or "",
                name,
                form.attributes.get("id") or "",
                form.attributes.get("name") or "",
            ]
            tpl = _template(sources, base, hints)
            if tpl is not None:
                tpl.hidden = {**_hidden(form), **tpl.hidden}
                tpl.hidden.pop(tpl.param, None)
                return tpl
        action = (
            absolute(base, action_raw)
            if action_raw and not action_raw.lower().startswith("javascript")
            else base
        )
        hidden = _hidden(form)
        hidden.pop(name, None)
        return SearchForm(
            action=action or "",
            method="post" if method == "post" else "get",
            param=name or "q",
            hidden=hidden,
        )

    # A bare input + button driven by JavaScript (inputs of forms were judged above).
    boxes = (
        [
            (s, i)
            for i in _text_inputs(tree.body)
            if (s := _input_score(i)) >= 2 and region_of(i) != "footer" and not _in_form(i)
        ]
        if tree.body is not None
        else []
    )
    if not boxes:
        return None
    boxes.sort(key=lambda b: -b[0])
    inp = boxes[0][1]
    sources = sources or _js_sources(tree, scripts)
    hints = [inp.attributes.get("id") or "", inp.attributes.get("name") or ""]
    tpl = _template(sources, base, hints)
    if tpl is not None:
        return tpl
    return SearchForm(action="", method="get", param=(inp.attributes.get("name") or "q"))


def build_search_url(form: SearchForm, query: str) -> str:
    """The GET URL that searches ``query`` (hidden fields kept, UTF-8). POST forms and boxes
    without a known target return ``form.action`` (the caller POSTs ``hidden`` + param)."""
    if not form.action or form.method.lower() == "post":
        return form.action
    parts = urlsplit(form.action)
    params = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != form.param]
    params += [(k, v) for k, v in form.hidden.items() if k != form.param and k not in dict(params)]
    params.append((form.param, query))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(params, quote_via=quote), ""))


# --------------------------------------------------------------------------- results
_ECHO = re.compile(
    r"关键[词字]|检索|搜索|查询|找到|相关结果|相关信息|条结果|共\d+条|"
    r"共找到|约\d+|检索到|为您|没有找到|未找到|抱歉|暂无|无结果|搜索到|用时|耗时"
)


def _norm(s: str) -> str:
    return compact(to_halfwidth(s or "")).lower()


def results_contain(html: str | LexborHTMLParser, query: str) -> bool:
    """True when the exact title ``query`` (whitespace-insensitive, highlight tags ignored) is
    listed on a result page: as a link's text/title, or as a result line that is not an echo of
    the query (the search box's ``value=``, ``您搜索的关键词：xxx``, ``找到 N 条关于“xxx”的结果``),
    outside the header and footer."""
    q = _norm(query)
    if not q:
        return False
    tree = parse(html) if isinstance(html, str) else html
    if tree.body is None or q not in _norm(tree.body.text(separator="") or ""):
        return False  # fast path: the title is nowhere on the page
    for a in tree.css("a"):
        text = _norm(a.text(strip=True) or "")
        title = _norm(a.attributes.get("title") or "")
        if q not in text and q not in title:
            continue
        if region_of(a) in ("header", "footer"):
            continue
        if q in _norm(unquote(a.attributes.get("href") or "")):
            continue  # 相关搜索 / 热门搜索: a link that searches the query again
        if q in text and len(text) <= len(q) + 40 and not _ECHO.search(a.text(strip=True) or ""):
            return True
        if title and q in title and len(title) <= len(q) + 40:
            return True
    for b in text_blocks(tree.body, alt_text=False):
        t = _norm(b.text)
        if q not in t or region_of(b.node) in ("header", "footer"):
            continue
        rest = to_halfwidth(b.text)
        rest = compact(rest).lower().replace(q, " ", 1)
        if _ECHO.search(rest):
            continue  # the query echoed in a sentence about the search
        return True
    return False
