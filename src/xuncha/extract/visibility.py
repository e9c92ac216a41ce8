"""Can a visitor see this link? CSS and markup tricks that hide dark links, decided offline.

Hacked government pages carry blocks of gambling/porn links that search engines read and
visitors never see. The hiding is done with ordinary CSS and markup, so this module decides,
for every link of a page, whether it is rendered visibly — from the page alone (external style
sheets are not fetched; what they could add can only *show* more, never hide a block that the
page itself does not hide).

Tricks recognised (``Hiding.how``):

* ``display_none`` — ``display:none`` (inline, ``<style>`` rule, ``hidden`` attribute, script);
* ``visibility`` — ``visibility:hidden|collapse``, inherited unless a descendant sets ``visible``;
* ``opacity`` — ``opacity`` ≤ 0.05 or ``filter:alpha(opacity=0)``;
* ``offscreen`` — positioned (or shifted by margins / ``translate``) ≥ 500 px off the page;
* ``zero_size`` — width or height ≤ 1 px with ``overflow:hidden``; hidden ``<iframe width=0>``;
* ``clip`` — ``clip:rect(0 0 0 0)``, ``clip-path:inset(50%)`` / ``circle(0)``;
* ``transform`` — ``scale(0)``;
* ``font_size`` — an inherited font size ≤ 1 px (``font-size:0``, ``font:0/0 a``) on text links;
* ``text_indent`` — ``text-indent`` ≤ −500 px without an image-replacement background;
* ``same_color`` — text colour equal to the background colour declared on the page;
* ``marquee`` — ``<marquee>`` 1–4 px high/wide or scrolling too fast to read;
* ``noscript`` — inside ``<noscript>`` / ``<template>``.

Cascade: ``!important``, inline > ``<style>`` rules, specificity, source order; ``@media print``
is skipped, other ``@media``/``@supports`` blocks are read. Selectors are matched by Lexbor, so
tag/.class/#id/attribute/descendant/child/sibling/compound selectors all work.

Not every hidden link is a dark link: drop-down menus, tab panels and carousels hide real links
until the visitor hovers or clicks. ``Hiding.revealable`` names such a way to reveal the block
(a ``:hover``/``:focus`` rule, a script that references its id/class, a mouse handler nearby, a
visible sibling panel of the same kind, a navigation menu); the security check treats those as
visible unless the link itself is spam.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from xuncha.extract.html import absolute, base_url, meta_tags, normalize_space, parse, region_of, title_of
from xuncha.extract.scripts import (
    MARK_ATTR,
    Redirect,
    RenderedPage,
    ScriptStyle,
    ScriptWrite,
    analyze_script,
    meta_refresh,
    render_scripts,
)

__all__ = [
    "HOW_ZH",
    "url_host",
    "Hiding",
    "LinkView",
    "PageView",
    "Visibility",
    "page_view",
    "parse_css",
    "parse_declarations",
    "specificity",
]

HOW_ZH: dict[str, str] = {
    "display_none": "不显示（display:none）",
    "visibility": "不可见（visibility:hidden）",
    "opacity": "完全透明（opacity:0）",
    "offscreen": "移出可视区域（负坐标定位）",
    "zero_size": "尺寸为0且溢出隐藏",
    "clip": "裁剪为0（clip）",
    "transform": "缩放为0（transform）",
    "font_size": "字号为0",
    "text_indent": "文字缩进移出（text-indent）",
    "same_color": "文字颜色与背景色相同",
    "marquee": "marquee 滚动隐藏",
    "noscript": "位于 <noscript> 内",
}

OFFSCREEN_PX = 500.0  # a box moved this far off the page is out of any visitor's sight
TINY_PX = 1.0  # width/height at or below this (with overflow hidden) shows nothing
MARQUEE_TINY_PX = 4.0
MARQUEE_FAST = 500  # scrollamount: pixels per step, unreadable long before this
MAX_STYLE_CHARS = 400_000
MAX_RULES = 3000  # selectors read per page (hostile pages carry tens of thousands)
QUERY_BUDGET = 4_000_000  # element visits by selector queries per page (about half a second)
MAX_COLOUR_RULES = 400  # pages with more colour rules skip the same-colour test

# Properties the cascade is kept for; shorthands are expanded when declarations are parsed.
PROPS = frozenset(
    {"display", "visibility", "opacity", "filter", "position", "left", "top", "right", "bottom",
     "margin-left", "margin-top", "width", "height", "max-width", "max-height", "overflow-x",
     "overflow-y", "clip", "clip-path", "text-indent", "font-size", "transform", "color",
     "background-color", "background-image"}
)
_DYNAMIC_PSEUDO = re.compile(r":(?:hover|focus-within|focus-visible|focus|active|target|checked|visited)\b", re.I)
_PSEUDO_ELEMENT = re.compile(r"::?(?:before|after|first-line|first-letter|placeholder|selection|marker|-[\w-]+)\b", re.I)
_COLORS = {
    "white": "#ffffff", "black": "#000000", "red": "#ff0000", "green": "#008000", "blue": "#0000ff",
    "yellow": "#ffff00", "gray": "#808080", "grey": "#808080", "silver": "#c0c0c0", "navy": "#000080",
    "maroon": "#800000", "purple": "#800080", "orange": "#ffa500", "fuchsia": "#ff00ff", "aqua": "#00ffff",
    "lime": "#00ff00", "olive": "#808000", "teal": "#008080",
}


# --------------------------------------------------------------------------- CSS parsing
@dataclass(frozen=True)
class Decl:
    prop: str
    value: str  # lower-cased, !important removed
    important: bool = False
    text: str = ""  # as written, for evidence


@dataclass(frozen=True)
class CssRule:
    selector: str  # one selector of the rule's list
    spec: tuple[int, int, int]
    order: int
    decls: Mapping[str, Decl]
    dynamic: bool = False  # carried a :hover/:focus/... pseudo-class (stripped from ``selector``)


def _split_top(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside parentheses, brackets and quotes."""
    out: list[str] = []
    depth, quote, start = 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == sep and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return out


def _expand(prop: str, value: str, important: bool, text: str) -> list[Decl]:
    """Shorthands this module needs, expanded to longhands."""
    if prop == "margin":
        parts = value.split()
        if not parts:
            return []
        top = parts[0]
        left = parts[3] if len(parts) >= 4 else (parts[1] if len(parts) >= 2 else parts[0])
        return [Decl("margin-top", top, important, text), Decl("margin-left", left, important, text)]
    if prop == "overflow":
        parts = value.split() or [value]
        return [Decl("overflow-x", parts[0], important, text), Decl("overflow-y", parts[-1], important, text)]
    if prop == "font":
        m = re.search(r"(?:^|\s)(-?[\d.]+(?:px|em|rem|pt|%)?|xx-small|x-small|small|medium|large)\s*(?:/|\s|$)", value)
        return [Decl("font-size", m.group(1), important, text)] if m else []
    if prop == "background":
        out: list[Decl] = []
        if "url(" in value:
            out.append(Decl("background-image", "url", important, text))
        color = _find_color(value)
        if color:
            out.append(Decl("background-color", color, important, text))
        elif "url(" not in value and value.strip() in ("none", "transparent"):
            out.append(Decl("background-color", "transparent", important, text))
        return out
    if prop in PROPS:
        return [Decl(prop, value, important, text)]
    return []


def parse_declarations(text: str) -> list[Decl]:
    """``a:b; c:d !important`` → declarations of the properties this module uses."""
    out: list[Decl] = []
    for part in _split_top(text, ";"):
        if ":" not in part:
            continue
        prop, _, value = part.partition(":")
        prop = prop.strip().lower()
        raw = normalize_space(value)
        value = raw.lower()
        important = False
        if "!important" in value.replace(" ", ""):
            important = True
            value = re.sub(r"!\s*important", "", value).strip()
        if prop.startswith("*") or prop.startswith("_"):  # IE hacks (*display:none) still apply there
            prop = prop.lstrip("*_")
        out.extend(_expand(prop, value, important, f"{prop}:{raw}"))
    return out


def parse_css(text: str) -> list[tuple[str, list[Decl]]]:
    """(selector list, declarations) of a style sheet; ``@media print`` and unknown @-rules dropped."""
    text = re.sub(r"/\*.*?\*/", "", text[:MAX_STYLE_CHARS], flags=re.S)
    text = text.replace("<!--", " ").replace("-->", " ")
    out: list[tuple[str, list[Decl]]] = []
    i, n = 0, len(text)
    while i < n:
        brace = text.find("{", i)
        if brace < 0:
            break
        prelude = text[i:brace].strip()
        semi = prelude.rfind(";")
        if prelude.startswith("@") and semi >= 0:  # @import ...; @charset ...; before a rule
            prelude = prelude[semi + 1 :].strip()
        depth, j = 1, brace + 1
        while j < n and depth:
            c = text[j]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            j += 1
        body = text[brace + 1 : j - 1]
        if prelude.startswith("@"):
            low = prelude.lower()
            if low.startswith(("@media", "@supports", "@layer", "@document")):
                media = low[6:] if low.startswith("@media") else ""
                if not re.search(r"\bprint\b|\bspeech\b", media) or re.search(r"\b(screen|all)\b", media):
                    out.extend(parse_css(body))
        elif prelude:
            decls = parse_declarations(body)
            if decls:
                out.append((prelude, decls))
        i = j
    return out


def specificity(selector: str) -> tuple[int, int, int]:
    s = re.sub(r"\"[^\"]*\"|'[^']*'", "", selector)
    ids = len(re.findall(r"#[\w-]+", s))
    classes = len(re.findall(r"\.[\w-]+|\[[^\]]*\]|(?<!:):(?!:)[\w-]+", s))
    types = len(re.findall(r"(?:^|[\s>+~(])([a-zA-Z][\w-]*)", s)) + len(re.findall(r"::[\w-]+", s))
    return ids, classes, types


# --------------------------------------------------------------------------- values
_LEN = re.compile(r"^(-?\d*\.?\d+)(px|em|rem|pt|%|vw|vh|cm|mm|in|ex|ch)?$")
_UNIT_PX = {"px": 1.0, None: 1.0, "em": 16.0, "rem": 16.0, "pt": 4 / 3, "%": 10.0, "vw": 19.2,
            "vh": 10.8, "cm": 37.8, "mm": 3.78, "in": 96.0, "ex": 8.0, "ch": 8.0}


def px(value: str | None) -> float | None:
    """A CSS length in (approximate) pixels; % counts a 1000 px container, unknown → None."""
    if not value:
        return None
    m = _LEN.match(value.strip())
    if not m:
        return None
    num = float(m.group(1))
    unit = m.group(2)
    if unit is None and num != 0:
        return num  # legacy unitless lengths (quirks mode)
    return num * _UNIT_PX.get(unit, 1.0)


def _find_color(value: str) -> str:
    m = re.search(r"#[0-9a-f]{3,8}\b|rgba?\([^)]*\)|\b(" + "|".join(_COLORS) + r"|transparent)\b", value)
    return m.group(0) if m else ""


def norm_color(value: str | None) -> str | None:
    """#rrggbb, "transparent", or None when unknown."""
    if not value:
        return None
    v = value.strip().lower()
    if v in ("transparent", "none", "initial", "inherit", "currentcolor"):
        return "transparent" if v in ("transparent", "none") else None
    if v in _COLORS:
        return _COLORS[v]
    m = re.fullmatch(r"#([0-9a-f]{3,8})", v)
    if m:
        h = m.group(1)
        if len(h) in (3, 4):
            if len(h) == 4 and h[3] == "0":
                return "transparent"
            return "#" + "".join(c * 2 for c in h[:3])
        if len(h) in (6, 8):
            if len(h) == 8 and h[6:] == "00":
                return "transparent"
            return "#" + h[:6]
        return None
    m = re.fullmatch(r"rgba?\(\s*([\d.]+)%?\s*[, ]\s*([\d.]+)%?\s*[, ]\s*([\d.]+)%?\s*(?:[,/]\s*([\d.]+%?))?\s*\)", v)
    if m:
        if m.group(4) is not None:
            a = m.group(4)
            alpha = float(a[:-1]) / 100 if a.endswith("%") else float(a)
            if alpha <= 0.05:
                return "transparent"
        try:
            return "#" + "".join(f"{min(255, int(float(x))):02x}" for x in m.groups()[:3])
        except ValueError:
            return None
    return None


def _opacity(value: str) -> float | None:
    v = value.strip()
    try:
        return float(v[:-1]) / 100 if v.endswith("%") else float(v)
    except ValueError:
        return None


def _clip_zero(prop: str, value: str) -> bool:
    if prop == "clip":
        m = re.search(r"rect\(([^)]*)\)", value)
        if not m:
            return False
        nums = [px(x) for x in re.split(r"[\s,]+", m.group(1).strip()) if x]
        if len(nums) != 4 or any(x is None for x in nums):
            return False
        top, right, bottom, left = nums  # type: ignore[misc]
        return bottom - top <= TINY_PX or right - left <= TINY_PX  # type: ignore[operator]
    m = re.search(r"inset\(\s*([\d.]+)%", value)
    if m and float(m.group(1)) >= 50:
        return True
    return bool(re.search(r"circle\(\s*0(?:px|%)?\s*[)\s]", value))


def _transform_hides(value: str) -> str:
    """"scale" / "offscreen" / "" for a transform value."""
    for m in re.finditer(r"scale[xy]?\(\s*([-\d.]+)", value):
        try:
            if abs(float(m.group(1))) <= 0.01:
                return "scale"
        except ValueError:
            pass
    for m in re.finditer(r"translate(?:[xy]|3d)?\(\s*([^,)]+)(?:,\s*([^,)]+))?", value):
        for part in m.groups():
            v = px(part.strip()) if part else None
            if v is not None and abs(v) >= 2 * OFFSCREEN_PX:
                return "offscreen"
    return ""


def hiding_decl(d: Decl) -> bool:
    """Could this declaration hide its element (or, inherited, its descendants)?"""
    p, v = d.prop, d.value
    if p == "display":
        return v == "none"
    if p == "visibility":
        return v in ("hidden", "collapse")
    if p == "opacity":
        o = _opacity(v)
        return o is not None and o <= 0.05
    if p == "filter":
        m = re.search(r"opacity\s*[=:(]\s*([\d.]+)", v)
        return bool(m) and float(m.group(1)) <= 5  # type: ignore[union-attr]
    if p in ("left", "top", "margin-left", "margin-top", "text-indent"):
        x = px(v)
        return x is not None and (x <= -OFFSCREEN_PX or (p == "left" and x >= 10 * OFFSCREEN_PX))
    if p in ("right", "bottom"):
        x = px(v)
        return x is not None and (x >= 4 * OFFSCREEN_PX or x <= -10 * OFFSCREEN_PX)
    if p in ("width", "height", "max-width", "max-height", "font-size"):
        x = px(v)
        return x is not None and x <= TINY_PX
    if p in ("clip", "clip-path"):
        return _clip_zero(p, v)
    if p == "transform":
        return bool(_transform_hides(v))
    return False


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Hiding:
    """Why a node is not seen: the trick, the evidence and the element that does it."""

    how: str  # key of HOW_ZH
    detail: str  # evidence: style="display:none" / 样式规则「#a{display:none}」 / <marquee height="1">
    element: str = ""  # div#links.foo
    block: int = 0  # 1-based number of the hiding element among the page's hidden blocks with links
    revealable: str = ""  # Chinese: how a visitor reveals it (menu, tab, hover); "" = never shown

    @property
    def describe(self) -> str:
        return self.detail or HOW_ZH.get(self.how, self.how)


@dataclass
class LinkView:
    """One link (a, area, iframe, frame, script) of a rendered page and whether it is seen."""

    url: str
    text: str = ""
    tag: str = "a"
    position: str = "body"  # set for hidden links only (header / nav / body / footer)
    hiding: Hiding | None = None
    write: ScriptWrite | None = None  # set when a script wrote it
    has_image: bool = False
    order: int = 0

    @cached_property
    def host(self) -> str:
        return url_host(self.url)

    @property
    def hidden(self) -> bool:
        """Hidden from every visitor (not a menu/tab a visitor can open)."""
        return self.hiding is not None and not self.hiding.revealable


@dataclass
class PageView:
    """What a visitor's browser would show of one page: links with visibility, titles, redirects."""

    url: str
    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    links: list[LinkView] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)
    script_titles: list[str] = field(default_factory=list)  # document.title = ... values
    rendered: RenderedPage | None = None
    visibility_checked: bool = False  # False: no link was interesting, visibility not computed
    truncated: bool = False  # style rules left unread/unmatched (hostile page size): judged partly

    @property
    def writes(self) -> list[ScriptWrite]:
        return self.rendered.writes if self.rendered else []


# --------------------------------------------------------------------------- visibility engine
def _describe(node: LexborNode) -> str:
    attrs = node.attributes
    out = node.tag or ""
    if attrs.get("id"):
        out += f"#{attrs['id']}"
    classes = (attrs.get("class") or "").split()
    out += "".join(f".{c}" for c in classes[:2])
    return out


_RULE_WHY = re.compile(r"^样式规则「(.+)\{(.+)\}」$")


def _merge_why(a: str, b: str) -> str:
    """One piece of evidence for two declarations: one rule text when both come from it."""
    if a == b:
        return a
    ma, mb = _RULE_WHY.match(a), _RULE_WHY.match(b)
    if ma and mb and ma.group(1) == mb.group(1):
        return f"样式规则「{ma.group(1)}{{{ma.group(2)};{mb.group(2)}}}」"
    return f"{a}，{b}"


class Visibility:
    """Cascade and hiding decisions for one parsed page (see the module docstring).

    Cost control: a style rule is matched (one Lexbor query over the document) only when its
    property is needed — hiding rules up front, to find the nodes that may be hidden; the rules
    of a property when a candidate node needs that property's cascade; colour rules only for
    the few links the caller is interested in. ``QUERY_BUDGET`` bounds the element visits of
    those queries per page, so a hostile page (tens of thousands of rules and elements) cannot
    stall a run: past it, the remaining rules are not matched and ``truncated`` is set.
    """

    def __init__(
        self,
        tree: LexborHTMLParser,
        script_styles: Iterable[ScriptStyle] = (),
        ref_ids: Iterable[str] = (),
        ref_classes: Iterable[str] = (),
    ) -> None:
        self.tree = tree
        self.rules: list[CssRule] = []
        self.props_rules: dict[str, list[int]] = {}  # property -> rules declaring it (not dynamic)
        self.ref_ids = set(ref_ids)
        self.ref_classes = set(ref_classes)
        self.truncated = False  # rules left unread or unmatched (MAX_RULES, QUERY_BUDGET)
        self.candidates: set[int] = set()
        self.hiders_by_prop: dict[str, set[int]] = {}  # inherited props: nodes declaring a hiding value
        self._cand_props: dict[int, set[str]] = {}  # candidate -> properties with a hiding value on it
        self._rule_done: set[int] = set()
        self._props_done: set[str] = set()
        self._node_rules: dict[int, list[int]] = {}  # mem_id -> rules matched so far that select it
        self._value: dict[tuple[int, str], tuple[str, str] | None] = {}
        self._own: dict[int, list[tuple[str, str]]] = {}
        self._inline: dict[int, dict[str, Decl]] = {}
        self._revealed_by_pseudo: set[int] | None = None
        self._script: dict[int, list[ScriptStyle]] = {}
        self._hidden_by_script_only: set[str] = set()
        self._scan_document()
        self._budget = QUERY_BUDGET
        self._load_styles()
        self._load_script_styles(list(script_styles))
        self._find_candidates()

    # -- setup
    def _scan_document(self) -> None:
        self._order: dict[int, int] = {}
        self._ids: set[str] = set()
        self._classes: set[str] = set()
        root = self.tree.root
        for i, node in enumerate(root.traverse() if root is not None else ()):
            self._order[node.mem_id] = i
            attrs = node.attributes
            if attrs:
                if attrs.get("id"):
                    self._ids.add(attrs["id"] or "")
                cls = attrs.get("class")
                if cls:
                    self._classes.update(cls.split())
        self._elements = max(1, len(self._order))

    def _load_styles(self) -> None:
        found: list[CssRule] = []
        order = 0
        for node in self.tree.css("style"):
            media = (node.attributes.get("media") or "").lower()
            if media and "print" in media and "screen" not in media and "all" not in media:
                continue
            for selectors, decls in parse_css(node.text(deep=True) or ""):
                dmap: dict[str, Decl] = {}
                for d in decls:
                    old = dmap.get(d.prop)
                    if old is None or d.important or not old.important:
                        dmap[d.prop] = d
                for sel in _split_top(selectors, ","):
                    sel = normalize_space(sel)
                    if not sel or _PSEUDO_ELEMENT.search(sel):
                        continue
                    dynamic = bool(_DYNAMIC_PSEUDO.search(sel))
                    clean = _DYNAMIC_PSEUDO.sub("", sel).strip() if dynamic else sel
                    if not clean or clean.endswith((">", "+", "~")):
                        clean = (clean.rstrip(">+~ ") + " *").strip() if clean else "*"
                    order += 1
                    found.append(CssRule(clean, specificity(sel), order, dmap, dynamic))
        if len(found) > MAX_RULES:  # keep every hiding rule, then the first of the others
            self.truncated = True
            hiding = {id(r) for r in found if any(hiding_decl(d) for d in r.decls.values())}
            room = max(0, MAX_RULES - len(hiding))
            found = [r for r in found if id(r) in hiding or (room := room - 1) >= 0]
        for idx, rule in enumerate(found):
            self.rules.append(rule)
            if not rule.dynamic:
                for p in rule.decls:
                    self.props_rules.setdefault(p, []).append(idx)

    def _load_script_styles(self, styles: list[ScriptStyle]) -> None:
        shown: set[str] = set()
        hidden: set[str] = set()
        for ss in styles:
            if ss.prop not in PROPS:
                continue
            d = Decl(ss.prop, ss.value)
            (hidden if hiding_decl(d) else shown).add(ss.selector)
            for node in self._query(ss.selector):
                self._script.setdefault(node.mem_id, []).append(ss)
                if hiding_decl(d):
                    self._candidate(node, (d,))
        self._hidden_by_script_only = hidden - shown

    def _find_candidates(self) -> None:
        for idx, rule in enumerate(self.rules):
            hiding = [d for d in rule.decls.values() if hiding_decl(d)]
            if rule.dynamic or not hiding:
                continue
            for node in self._match_rule(idx):
                self._candidate(node, hiding)
        for node in self.tree.css("[style]"):
            hiding = [d for d in self.inline(node).values() if hiding_decl(d)]
            if hiding:
                self._candidate(node, hiding)
        for node in self.tree.css("[hidden]"):
            self._candidate(node, (Decl("display", "none"),))
        for node in self.tree.css("marquee, noscript, template, iframe, frame"):
            self.candidates.add(node.mem_id)

    def _candidate(self, node: LexborNode, decls: Iterable[Decl]) -> None:
        self.candidates.add(node.mem_id)
        props = self._cand_props.setdefault(node.mem_id, set())
        for d in decls:
            props.add(d.prop)
            if d.prop in ("visibility", "font-size", "text-indent"):
                self.hiders_by_prop.setdefault(d.prop, set()).add(node.mem_id)

    # -- matching
    def _present(self, selector: str) -> bool:
        """Cheap test: every #id and .class the selector requires exists in the document."""
        s = re.sub(r"\[[^\]]*\]|:not\([^)]*\)|\\.", " ", selector)
        return all(i in self._ids for i in re.findall(r"#([\w-]+)", s)) and all(
            c in self._classes for c in re.findall(r"\.([\w-]+)", s)
        )

    def _query(self, selector: str) -> list[LexborNode]:
        if not self._present(selector):
            return []
        if self._budget < self._elements:
            self.truncated = True
            return []
        self._budget -= self._elements
        try:
            return list(self.tree.css(selector))
        except Exception:  # noqa: BLE001 - a selector Lexbor cannot read matches nothing
            return []

    def _match_rule(self, idx: int) -> list[LexborNode]:
        if idx in self._rule_done:
            return []
        self._rule_done.add(idx)
        nodes = self._query(self.rules[idx].selector)
        for node in nodes:
            self._node_rules.setdefault(node.mem_id, []).append(idx)
        return nodes

    def _ensure(self, prop: str) -> None:
        """Match every rule that declares ``prop`` (once per page)."""
        if prop in self._props_done:
            return
        self._props_done.add(prop)
        for idx in self.props_rules.get(prop, ()):
            self._match_rule(idx)

    def matches(self, node: LexborNode, idx: int) -> bool:
        """Does rule ``idx`` select this node?"""
        self._match_rule(idx)
        return idx in self._node_rules.get(node.mem_id, ())

    # -- cascade
    def inline(self, node: LexborNode) -> dict[str, Decl]:
        key = node.mem_id
        got = self._inline.get(key)
        if got is None:
            got = {}
            for d in parse_declarations(node.attributes.get("style") or ""):
                old = got.get(d.prop)
                if old is None or d.important or not old.important:
                    got[d.prop] = d
            self._inline[key] = got
        return got

    def value(self, node: LexborNode, prop: str) -> tuple[str, str] | None:
        """(cascaded value, evidence) of ``prop`` declared on the node itself, or None."""
        key = (node.mem_id, prop)
        if key in self._value:
            return self._value[key]
        self._ensure(prop)
        best: tuple[str, str] | None = None
        best_key: tuple[object, ...] | None = None

        def offer(k: tuple[object, ...], val: str, why: str) -> None:
            nonlocal best, best_key
            if best_key is None or k > best_key:  # type: ignore[operator]
                best, best_key = (val, why), k

        attrs = node.attributes
        if prop == "display" and "hidden" in attrs:
            offer((False, -1, (0, 0, 0), 0), "none", "hidden 属性")
        if prop == "color" and node.tag == "font" and attrs.get("color"):
            offer((False, -1, (0, 0, 0), 0), attrs["color"] or "", f'<font color="{attrs["color"]}">')
        if prop == "background-color" and attrs.get("bgcolor"):
            offer((False, -1, (0, 0, 0), 0), attrs["bgcolor"] or "", f'bgcolor="{attrs["bgcolor"]}"')
        for idx in self._node_rules.get(node.mem_id, ()):
            rule = self.rules[idx]
            d = rule.decls.get(prop)
            if d is not None:
                offer((d.important, 0, rule.spec, rule.order), d.value, f"样式规则「{rule.selector}{{{d.text}}}」")
        d = self.inline(node).get(prop)
        if d is not None:
            style = normalize_space(attrs.get("style") or "")
            why = f'style="{style}"' if len(style) <= 80 else f'style="…{d.text}…"'
            offer((d.important, 1, (0, 0, 0), 0), d.value, why)
        for ss in self._script.get(node.mem_id, ()):
            if ss.prop == prop:
                offer((False, 2, (0, 0, 0), 0), ss.value, f"脚本设置 {ss.selector} 的 {ss.prop}:{ss.value}")
        self._value[key] = best
        return best

    def _px_of(self, node: LexborNode, prop: str) -> tuple[float | None, str]:
        v = self.value(node, prop)
        return (px(v[0]), v[1]) if v else (None, "")

    # -- own hiding (non-inherited tricks)
    def own(self, node: LexborNode) -> list[tuple[str, str]]:
        """(how, evidence) of the non-inherited tricks that hide this node and its content."""
        key = node.mem_id
        got = self._own.get(key)
        if got is not None:
            return got
        out: list[tuple[str, str]] = []
        if key not in self.candidates:
            self._own[key] = out
            return out
        props = self._cand_props.get(key, set())
        tag = node.tag or ""
        attrs = node.attributes
        if tag in ("noscript", "template"):
            out.append(("noscript", f"<{tag}> 内（浏览器开启脚本时不显示）"))
        if tag in ("marquee", "iframe", "frame"):
            limit = MARQUEE_TINY_PX if tag == "marquee" else TINY_PX
            small = [
                f'{a}="{attrs.get(a)}"' for a in ("width", "height")
                if (x := px((attrs.get(a) or "").strip())) is not None and x <= limit
            ]
            for p in ("width", "height"):
                if p in props:
                    v, why = self._px_of(node, p)
                    if v is not None and v <= limit:
                        small.append(why)
            amount = attrs.get("scrollamount") or "" if tag == "marquee" else ""
            fast = amount.isdigit() and int(amount) >= MARQUEE_FAST
            if small or fast:
                parts = small + ([f'scrollamount="{amount}"'] if fast else [])
                how = "marquee" if tag == "marquee" else "zero_size"
                out.append((how, f"<{tag} {' '.join(dict.fromkeys(parts))}>"))
        if "display" in props:
            disp = self.value(node, "display")
            if disp and disp[0] == "none":
                out.append(("display_none", disp[1]))
        for p in ("opacity", "filter"):
            if p in props:
                v = self.value(node, p)
                if v and hiding_decl(Decl(p, v[0])):
                    out.append(("opacity", v[1]))
        sides = [p for p in ("left", "top", "right", "bottom") if p in props]
        if sides:
            pos = self.value(node, "position")
            if pos and pos[0] in ("absolute", "fixed", "relative"):
                for side in sides:
                    v = self.value(node, side)
                    if v and hiding_decl(Decl(side, v[0])):
                        out.append(("offscreen", _merge_why(pos[1], v[1])))
                        break
        for side in ("margin-left", "margin-top"):
            if side in props:
                v = self.value(node, side)
                if v and hiding_decl(Decl(side, v[0])):
                    out.append(("offscreen", v[1]))
                    break
        if tag not in ("iframe", "frame", "marquee"):
            for axis, sizes in (("overflow-x", ("width", "max-width")), ("overflow-y", ("height", "max-height"))):
                wanted = [p for p in sizes if p in props]
                if not wanted:
                    continue
                ov = self.value(node, axis)
                if not ov or ov[0] not in ("hidden", "clip", "scroll", "auto"):
                    continue
                for p in wanted:
                    v, why = self._px_of(node, p)
                    if v is not None and v <= TINY_PX:
                        out.append(("zero_size", _merge_why(why, ov[1])))
                        break
        for p in ("clip", "clip-path"):
            if p in props:
                v = self.value(node, p)
                if v and _clip_zero(p, v[0]):
                    out.append(("clip", v[1]))
        if "transform" in props:
            tr = self.value(node, "transform")
            kind = _transform_hides(tr[0]) if tr else ""
            if tr and kind:
                out.append(("transform" if kind == "scale" else "offscreen", tr[1]))
        self._own[key] = out
        return out

    # -- reveal heuristics (menus, tabs, hover)
    def revealable(self, node: LexborNode, how: str) -> str:
        """How a visitor can reveal this hidden node, in Chinese; "" when nothing can."""
        if how in ("noscript", "marquee", "font_size", "text_indent", "same_color"):
            return ""
        if self._pseudo_reveals(node):
            return "鼠标悬停或聚焦时显示"
        attrs = node.attributes
        nid = attrs.get("id") or ""
        classes = set((attrs.get("class") or "").split())
        if nid and nid in self.ref_ids and f"#{nid}" not in self._hidden_by_script_only:
            return f"脚本可切换显示（引用 #{nid}）"
        if classes & self.ref_classes:
            return f"脚本可切换显示（引用 .{sorted(classes & self.ref_classes)[0]}）"
        cur: LexborNode | None = node
        for _ in range(3):
            if cur is None:
                break
            if any(k.lower().startswith(("onmouse", "onclick", "onfocus", "onpointer", "ontouch")) for k in cur.attributes):
                return "有鼠标/点击事件处理，可交互显示"
            cur = cur.parent
        if how in ("display_none", "visibility", "zero_size", "opacity"):
            sib = self._visible_sibling_panel(node)
            if sib:
                return sib
            if region_of(node) == "nav":
                return "导航下拉菜单"
        return ""

    def _pseudo_reveals(self, node: LexborNode) -> bool:
        if self._revealed_by_pseudo is None:
            found: set[int] = set()
            for rule in self.rules:
                if not rule.dynamic or any(hiding_decl(d) for d in rule.decls.values()):
                    continue
                found.update(n.mem_id for n in self._query(rule.selector))
            self._revealed_by_pseudo = found
        return node.mem_id in self._revealed_by_pseudo

    def _visible_sibling_panel(self, node: LexborNode) -> str:
        parent = node.parent
        if parent is None:
            return ""
        attrs = node.attributes
        cls = set((attrs.get("class") or "").split())
        prefix = re.sub(r"[-_]?\d+$", "", attrs.get("id") or "")
        has_digits = prefix != (attrs.get("id") or "")
        child = parent.child
        while child is not None:
            if child.mem_id != node.mem_id and child.tag == node.tag:
                ca = child.attributes
                same = bool(cls & set((ca.get("class") or "").split())) or bool(
                    has_digits and prefix and re.sub(r"[-_]?\d+$", "", ca.get("id") or "") == prefix
                )
                if same and not self.own(child) and not self._visibility_hidden_self(child):
                    return "选项卡/轮播中暂未显示的面板"
            child = child.next
        return ""

    def _visibility_hidden_self(self, node: LexborNode) -> bool:
        v = self.value(node, "visibility") if node.mem_id in self.candidates else None
        return bool(v and v[0] in ("hidden", "collapse"))

    # -- the decision
    def order_of(self, node: LexborNode) -> int:
        return self._order.get(node.mem_id, 0)

    def hiding(self, node: LexborNode, *, text_only: bool = False, colours: bool = False) -> tuple[Hiding, LexborNode] | None:
        """Why the node is not seen (and the element that hides it), or None when it is seen.

        ``text_only``: the node shows text only (no image), so zero font size, text-indent and
        same colour hide it. ``colours``: also compare text and background colour (costlier).
        """
        found: list[tuple[LexborNode, str, str]] = []  # innermost first
        path: list[LexborNode] = []
        cur: LexborNode | None = node
        while cur is not None and cur.tag not in ("html", "-document", None):
            path.append(cur)
            for how, why in self.own(cur):
                found.append((cur, how, why))
                break
            cur = cur.parent
        inherited = self._inherited(path, text_only)
        if inherited is not None:
            found.append(inherited)
        if not found and colours and text_only:
            same = self._same_colour(path)
            if same is not None:
                found.append(same)
        if not found:
            return None
        results: list[tuple[LexborNode, str, str, str]] = [
            (n, how, why, self.revealable(n, how)) for n, how, why in found
        ]
        hard = [r for r in results if not r[3]]
        pick = max(hard or results, key=lambda r: -self.order_of(r[0]))  # outermost
        n, how, why, reveal = pick
        return Hiding(how, why, _describe(n), 0, "" if hard else reveal), n

    def _inherited(self, path: list[LexborNode], text_only: bool) -> tuple[LexborNode, str, str] | None:
        """visibility, font-size and text-indent: inherited, so the nearest declaration decides."""
        props = ("visibility", "font-size", "text-indent") if text_only else ("visibility",)
        for prop in props:
            hiders = self.hiders_by_prop.get(prop)
            if not hiders:
                continue
            top = next((k for k in range(len(path) - 1, -1, -1) if path[k].mem_id in hiders), None)
            if top is None:
                continue
            got = self._nearest(path[: top + 1], prop)
            if got is not None:
                return got
        return None

    def _nearest(self, path: list[LexborNode], prop: str) -> tuple[LexborNode, str, str] | None:
        factor = 1.0
        for k, n in enumerate(path):
            v = self.value(n, prop)
            if not v:
                continue
            if prop == "visibility":
                return (n, "visibility", v[1]) if v[0] in ("hidden", "collapse") else None
            if prop == "text-indent":
                if not hiding_decl(Decl(prop, v[0])):
                    return None
                if any(self.value(p, "background-image") for p in path[: k + 1]):
                    return None  # image replacement: the box shows its background image
                return n, "text_indent", v[1]
            m = _LEN.match(v[0].strip())
            if m and m.group(2) in ("em", "%"):
                factor *= float(m.group(1)) / (100.0 if m.group(2) == "%" else 1.0)
                if factor <= 0:
                    return n, "font_size", v[1]
                continue
            size = px(v[0])
            if size is None:
                return None
            return (n, "font_size", v[1]) if size * factor <= TINY_PX else None
        return None

    def _same_colour(self, path: list[LexborNode]) -> tuple[LexborNode, str, str] | None:
        n_rules = sum(len(self.props_rules.get(p, ())) for p in ("color", "background-color", "background-image"))
        if n_rules > MAX_COLOUR_RULES:
            return None  # a full theme inlined: too costly for a weak signal
        colour = None
        for n in path:
            v = self.value(n, "color")
            if v:
                colour = (norm_color(v[0]), v[1], n)
                break
        if colour is None or colour[0] in (None, "transparent"):
            return None
        for n in path:
            if self.value(n, "background-image"):
                return None
            v = self.value(n, "background-color")
            if not v:
                continue
            bg = norm_color(v[0])
            if bg == "transparent":
                continue
            if bg is None:
                return None
            if bg == colour[0]:
                why = colour[1] if colour[2].mem_id == n.mem_id else f"{colour[1]}，背景 {v[1]}"
                return n, "same_color", f"文字颜色与背景色相同（{bg}）：{why}"
            return None
        return None


# --------------------------------------------------------------------------- page view
_HANDLER_ID = re.compile(r"""getElementById\(\s*['"]([\w-]+)['"]|\$\(\s*['"]#([\w-]+)""")
_HANDLER_CLASS = re.compile(r"""getElementsByClassName\(\s*['"]([\w-]+)['"]|\$\(\s*['"][^'"]*\.([\w-]+)""")


def handler_refs(js: str) -> tuple[set[str], set[str]]:
    """Element ids and classes an event handler (onclick="...") reaches: it may show them."""
    ids = {a or b for a, b in _HANDLER_ID.findall(js)}
    classes = {a or b for a, b in _HANDLER_CLASS.findall(js)}
    return ids, classes


_LINK_SELECTOR = "a[href], area[href], iframe[src], frame[src], script[src]"


def page_view(
    html: str,
    page_url: str,
    scripts: Mapping[str, str] | None = None,
    *,
    interesting: Callable[[str, str], bool] | None = None,
) -> PageView:
    """Render the page's script output and decide the visibility of its links.

    ``interesting(url, text)`` limits the (costlier) visibility pass to pages with at least one
    link it accepts — the security check passes "foreign host or spam text"; None = always.
    Links written by scripts carry ``write``. Visibility is computed for every link of a page
    that needs it (block numbers count every hidden block with links), colours only for
    interesting links.
    """
    rendered = render_scripts(html, page_url, scripts)
    tree = parse(rendered.html)
    base = base_url(tree, page_url)
    view = PageView(url=page_url, rendered=rendered)
    view.title = title_of(tree)
    view.meta = meta_tags(tree)
    view.script_titles = list(rendered.analysis.titles)
    view.redirects = meta_refresh(tree, page_url) + list(rendered.redirects)
    body = tree.body
    if body is not None:
        onload = body.attributes.get("onload") or ""
        if onload:
            a = analyze_script(onload)
            for r in a.redirects:
                url = absolute(base, r.text)
                if url:
                    view.redirects.append(
                        Redirect("onload", url, None, r.conditional or "", r.spider_words, r.encodings, "", r.snippet)
                    )

    nodes: list[tuple[LexborNode, LinkView]] = []
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}/"
    for i, node in enumerate(tree.css(_LINK_SELECTOR)):
        attrs = node.attributes
        tag = node.tag or "a"
        url = _absolute(base, origin, attrs.get("src") if tag in ("iframe", "frame", "script") else attrs.get("href"))
        if url is None:
            continue
        img = node.css_first("img") if tag in ("a", "area") else None
        if tag in ("a", "area"):
            text = normalize_space(node.text(strip=True)) or (attrs.get("title") or "")
            if not text and img is not None:
                text = img.attributes.get("alt") or ""
            if attrs.get("title") and attrs.get("title") not in text:
                text = f"{text} {attrs.get('title')}".strip()
        else:
            text = attrs.get("title") or attrs.get("alt") or ""
        mark = attrs.get(MARK_ATTR)
        write = None
        if mark is not None and mark.isdigit() and int(mark) < len(rendered.writes):
            write = rendered.writes[int(mark)]
        lv = LinkView(url=url, text=(text or "")[:200], tag=tag, write=write, has_image=img is not None, order=i)
        nodes.append((node, lv))
        view.links.append(lv)

    if interesting is not None and not any(interesting(lv.url, lv.text) for _, lv in nodes):
        return view
    view.visibility_checked = True
    a = rendered.analysis
    ref_ids, ref_classes = set(a.ref_ids), set(a.ref_classes)
    for node in tree.css("[onclick], [onmouseover], [onmouseenter], [onfocus], a[href^='javascript:']"):
        for k, v in node.attributes.items():
            if v and (k.startswith("on") or (k == "href" and v.lower().startswith("javascript:"))):
                ids, classes = handler_refs(v)
                ref_ids |= ids
                ref_classes |= classes
    vis = Visibility(tree, a.styles, ref_ids, ref_classes)
    hiders: dict[int, LexborNode] = {}
    picked: list[tuple[LinkView, Hiding, LexborNode]] = []
    for node, lv in nodes:
        if lv.tag == "script":
            continue
        wanted = interesting is None or interesting(lv.url, lv.text)
        got = vis.hiding(node, text_only=lv.tag in ("a", "area") and not lv.has_image, colours=wanted)
        if got is None:
            continue
        hiding, hider = got
        hiders[hider.mem_id] = hider
        picked.append((lv, hiding, hider))
    numbers = {mid: k + 1 for k, mid in enumerate(sorted(hiders, key=lambda m: vis.order_of(hiders[m])))}
    for lv, hiding, hider in picked:
        lv.hiding = Hiding(hiding.how, hiding.detail, hiding.element, numbers[hider.mem_id], hiding.revealable)
    for node, lv in nodes:
        if lv.hiding is not None:
            lv.position = region_of(node)  # only where evidence may need it (region_of is costly)
    view.truncated = vis.truncated
    return view


@lru_cache(maxsize=65536)
def url_host(url: str) -> str:
    """Lower-case host of a URL ("" when it has none), cached."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


@lru_cache(maxsize=65536)
def _absolute_cached(key: str, href: str) -> str | None:
    return absolute(key, href)


def _absolute(base: str, origin: str, href: str | None) -> str | None:
    """extract.html.absolute, cached: site-wide links repeat on every page of a site."""
    if not href:
        return None
    h = href.strip()
    if h.startswith(("http://", "https://", "HTTP://", "HTTPS://")):
        return _absolute_cached("http://x/", h)
    if h.startswith("/") and not h.startswith("//"):
        return _absolute_cached(origin, h)
    return _absolute_cached(base, h)
