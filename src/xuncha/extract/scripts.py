"""What page scripts write and where they send the visitor: script-injected links and redirects.

Dark links are often not in the HTML at all: a hacked template carries
``document.write(unescape('%3Ca href=...'))``, a base64 string passed to ``atob``, a
``String.fromCharCode(60, 97, ...)`` list or an ``eval(function(p,a,c,k,e,d){...})`` packer, and
the browser builds the link. A crawler that reads only the HTML never sees it. This module runs
a *tiny, side-effect-free* JavaScript evaluator over inline and same-site scripts: it knows
string literals (with ``\\xXX``/``\\uXXXX``/octal escapes), ``+`` concatenation, variables, arrays
and a handful of decoders (``unescape``, ``decodeURI(Component)``, ``escape``, ``atob``,
``String.fromCharCode``, ``split/reverse/join/replace/concat``), and records what reaches the
*sinks*:

* HTML writers — ``document.write(ln)``, ``el.innerHTML/outerHTML =``, ``insertAdjacentHTML``,
  jQuery ``.html/.append/.prepend/.after/.before``;
* code runners — ``eval``, ``new Function``, ``setTimeout('...')`` and the p,a,c,k,e,d packer
  (analysed again, recursively, with the decoding noted);
* navigation — ``location = / location.href = / location.replace() / .assign()`` (also through
  ``window``, ``top``, ``self``, ``parent``, ``document``) and ``<meta http-equiv=refresh>``;
* styles set from script (``el.style.display = 'none'``, jQuery ``.hide()/.css()``), ``document.title``
  and dynamically loaded ``<script src>``.

Nothing is executed: control flow is ignored (every branch is read), unknown values stay unknown
and never produce URLs. :func:`render_scripts` then puts the ``document.write`` output back where
the browser would (after its ``<script>``), and ``innerHTML`` output into its target element, each
written tag marked ``data-xuncha-w="N"`` so the visibility pass (``extract/visibility.py``) can
tell written links from static ones and judge wrappers written by one script and closed by another.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

__all__ = [
    "ENCODING_ZH",
    "MARK_ATTR",
    "Redirect",
    "RenderedPage",
    "ScriptAnalysis",
    "ScriptRedirect",
    "ScriptStyle",
    "ScriptWrite",
    "analyze_script",
    "meta_refresh",
    "render_scripts",
    "unpack_packer",
]

MARK_ATTR = "data-xuncha-w"  # index into RenderedPage.writes, set on every tag a script wrote

# Chinese names of the ways a string was hidden, for evidence.
ENCODING_ZH: dict[str, str] = {
    "concat": "字符串拼接",
    "unescape": "unescape/%XX 转义",
    "hex": "\\xXX 转义",
    "unicode": "\\uXXXX 转义",
    "octal": "八进制转义",
    "base64": "base64 编码（atob）",
    "charcode": "String.fromCharCode 字符码",
    "packer": "eval 加壳（p,a,c,k,e,d）",
    "eval": "eval 动态执行",
    "reverse": "字符串倒序",
    "replace": "字符替换",
    "template": "模板字符串",
}
# Encodings that say "someone hid this on purpose" (plain concatenation does not).
OBFUSCATIONS = frozenset(ENCODING_ZH) - {"concat", "template"}

MAX_SCRIPT_CHARS = 600_000  # longer scripts are read up to here
MAX_TOKENS = 200_000
MAX_DEPTH = 4  # eval inside eval inside document.write ...
MAX_STR = 200_000  # a value longer than this stops growing (no memory blow-up on loops)

# Substrings that make a script worth evaluating at all (cheap pre-filter).
_TRIGGERS = (
    "write", "innerHTML", "outerHTML", "insertAdjacentHTML", "location", "eval", "atob",
    "fromCharCode", "unescape", "decodeURI", "\\x", "\\u", ".html(", ".append(", ".prepend(",
    ".after(", ".before(", "display", "visibility", "hide(", "title", "Function", "setTimeout",
    "createElement", "getElementById", "querySelector", "ClassName",
)
_SPIDER_WORDS = ("baidu", "spider", "sogou", "so.com", "360", "google", "bing", "sm.cn", "soso", "yahoo", "bot")


# --------------------------------------------------------------------------- records
@dataclass(frozen=True)
class ScriptWrite:
    """HTML that a script writes into the page."""

    sink: str  # document.write, innerHTML, insertAdjacentHTML, jquery
    html: str
    encodings: tuple[str, ...] = ()  # sorted ENCODING_ZH keys
    target: str = ""  # "#id" of the element written into (innerHTML ...), "" = where the script is
    source: str = ""  # script URL for external scripts, "" for inline
    snippet: str = ""  # a short piece of the script around the sink

    @property
    def obfuscated(self) -> bool:
        return bool(set(self.encodings) & OBFUSCATIONS)


@dataclass(frozen=True)
class Redirect:
    """A way the page sends the visitor elsewhere on its own."""

    kind: str  # meta_refresh, script, onload
    url: str  # absolute target
    delay_s: float | None = None
    conditional: str = ""  # "referrer", "user_agent", "referrer+user_agent" when the script tests them
    spider_words: bool = False  # the script mentions search engines / spiders
    encodings: tuple[str, ...] = ()
    source: str = ""
    snippet: str = ""

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()


@dataclass(frozen=True)
class ScriptStyle:
    """A style property set from script on an element (``#id``/``.class`` selector)."""

    selector: str
    prop: str
    value: str


@dataclass
class ScriptRedirect:
    """A navigation sink reached by a script, before the URL is made absolute."""

    text: str
    encodings: tuple[str, ...] = ()
    snippet: str = ""
    conditional: str | None = None  # set from the script that contains it (see ScriptAnalysis)
    spider_words: bool = False


@dataclass
class ScriptAnalysis:
    """Everything one script (with what it evals) was seen to do."""

    writes: list[ScriptWrite] = field(default_factory=list)
    redirects: list[ScriptRedirect] = field(default_factory=list)
    styles: list[ScriptStyle] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    script_srcs: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (src text, encodings)
    ref_ids: set[str] = field(default_factory=set)
    ref_classes: set[str] = field(default_factory=set)
    uses_referrer: bool = False
    uses_user_agent: bool = False
    spider_words: bool = False

    def merge(self, other: ScriptAnalysis) -> None:
        self.writes += other.writes
        self.redirects += other.redirects
        self.styles += other.styles
        self.titles += other.titles
        self.script_srcs += other.script_srcs
        self.ref_ids |= other.ref_ids
        self.ref_classes |= other.ref_classes
        self.uses_referrer |= other.uses_referrer
        self.uses_user_agent |= other.uses_user_agent
        self.spider_words |= other.spider_words

    @property
    def conditional(self) -> str:
        parts = [n for n, on in (("referrer", self.uses_referrer), ("user_agent", self.uses_user_agent)) if on]
        return "+".join(parts)


# --------------------------------------------------------------------------- values
class JStr(str):
    """A JavaScript string value with the encodings it went through."""

    enc: frozenset[str]

    def __new__(cls, value: str, enc: frozenset[str] | set[str] = frozenset()) -> JStr:
        obj = super().__new__(cls, value[:MAX_STR])
        obj.enc = frozenset(enc)
        return obj


class _Unknown:
    __slots__ = ()

    def __repr__(self) -> str:
        return "Unknown"


UNKNOWN = _Unknown()


@dataclass(frozen=True)
class _Obj:
    """A host object the evaluator knows about: document, window, location, element ..."""

    kind: str  # document, window, location, element, style, jq, builtin, method, regex, String, script_el
    data: object = None
    owner: object = None  # for methods: the object the method was read from


def _enc_of(*vals: object) -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for v in vals:
        if isinstance(v, JStr):
            out |= v.enc
        elif isinstance(v, list):
            out |= _enc_of(*v)
    return out


def _to_str(v: object) -> JStr | None:
    if isinstance(v, JStr):
        return v
    if isinstance(v, str):
        return JStr(v)
    if isinstance(v, bool):
        return JStr("true" if v else "false")
    if isinstance(v, float):
        return JStr(str(int(v)) if v.is_integer() else repr(v))
    if isinstance(v, list):
        parts = [_to_str(x) for x in v]
        if any(p is None for p in parts):
            return None
        return JStr(",".join(parts), _enc_of(*v))  # type: ignore[arg-type]
    return None


# --------------------------------------------------------------------------- lexer
@dataclass(frozen=True)
class Tok:
    kind: str  # str, num, name, punct, regex
    value: object
    pos: int
    enc: frozenset[str] = frozenset()


_PUNCT = sorted(
    ["===", "!==", ">>>=", "**=", "...", "<<=", ">>=", ">>>", "=>", "==", "!=", "<=", ">=", "&&", "||",
     "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>", "**",
     "{", "}", "(", ")", "[", "]", ";", ",", "<", ">", "+", "-", "*", "/", "%", "&", "|", "^", "!",
     "~", "?", ":", "=", ".", "@", "#"],
    key=len,
    reverse=True,
)
_NAME = re.compile(r"[A-Za-z_$\u00a0-\uffff][\w$\u00a0-\uffff]*")
_NUM = re.compile(r"0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_REGEX_BEFORE = frozenset(
    ["(", ",", "=", ":", "[", "!", "&", "|", "?", "{", "}", ";", "+", "-", "*", "%", "<", ">", "~", "^",
     "=>", "==", "!=", "===", "!==", "&&", "||", "??", "+=", "-=", "return", "typeof", "case", "do",
     "else", "in", "of", "new", "delete", "void", "throw"]
)
_SIMPLE_ESC = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _read_string(src: str, i: int) -> tuple[str, frozenset[str], int]:
    """A quoted literal starting at ``src[i]``: (decoded value, escapes used on ASCII, next index)."""
    q = src[i]
    i += 1
    n = len(src)
    out: list[str] = []
    enc: set[str] = set()
    while i < n:
        c = src[i]
        if c == q:
            return "".join(out), frozenset(enc), i + 1
        if c == "\n" and q != "`":
            break
        if c == "\\" and i + 1 < n:
            d = src[i + 1]
            if d == "x" and re.match(r"[0-9a-fA-F]{2}", src[i + 2 : i + 4]):
                ch = chr(int(src[i + 2 : i + 4], 16))
                if ord(ch) < 128:
                    enc.add("hex")
                out.append(ch)
                i += 4
                continue
            if d == "u":
                m = re.match(r"\{([0-9a-fA-F]{1,6})\}|([0-9a-fA-F]{4})", src[i + 2 : i + 10])
                if m:
                    ch = chr(min(int(m.group(1) or m.group(2), 16), 0x10FFFF))
                    if ord(ch) < 128:
                        enc.add("unicode")
                    out.append(ch)
                    i += 2 + m.end()
                    continue
            if d in "1234567" or (d == "0" and src[i + 2 : i + 3].isdigit()):
                m = re.match(r"[0-7]{1,3}", src[i + 1 : i + 4])
                if m:
                    out.append(chr(int(m.group(0), 8)))
                    enc.add("octal")
                    i += 1 + m.end()
                    continue
            if d == "\n":
                i += 2
                continue
            if d == "\r":
                i += 3 if src[i + 2 : i + 3] == "\n" else 2
                continue
            out.append(_SIMPLE_ESC.get(d, d))
            i += 2
            continue
        if q == "`" and c == "$" and src[i + 1 : i + 2] == "{":
            depth, j = 1, i + 2
            while j < n and depth:
                depth += {"{": 1, "}": -1}.get(src[j], 0)
                j += 1
            enc.add("template")
            i = j
            continue
        out.append(c)
        i += 1
    return "".join(out), frozenset(enc), i


def tokenize(src: str) -> list[Tok]:
    """JavaScript tokens (comments dropped, regex literals recognised by the previous token)."""
    src = src[:MAX_SCRIPT_CHARS]
    out: list[Tok] = []
    i, n = 0, len(src)
    while i < n and len(out) < MAX_TOKENS:
        c = src[i]
        if c.isspace():
            i += 1
            continue
        if src.startswith("//", i) or src.startswith("<!--", i) or (
            src.startswith("-->", i) and not src[src.rfind("\n", 0, i) + 1 : i].strip()
        ):
            j = src.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        if c in "\"'`":
            s, enc, j = _read_string(src, i)
            out.append(Tok("str", JStr(s, enc), i, enc))
            i = j
            continue
        if c.isdigit() or (c == "." and src[i + 1 : i + 2].isdigit()):
            m = _NUM.match(src, i)
            if m:
                text = m.group(0)
                try:
                    val = float(int(text, 0)) if text[:2].lower() in ("0x", "0o", "0b") else float(text)
                except ValueError:
                    val = 0.0
                out.append(Tok("num", val, i))
                i = m.end()
                continue
        m = _NAME.match(src, i)
        if m:
            out.append(Tok("name", m.group(0), i))
            i = m.end()
            continue
        if c == "/":
            prev = out[-1] if out else None
            if prev is None or (prev.kind in ("punct", "name") and str(prev.value) in _REGEX_BEFORE):
                j, in_class = i + 1, False
                while j < n and src[j] != "\n":
                    ch = src[j]
                    if ch == "\\":
                        j += 2
                        continue
                    if ch == "[":
                        in_class = True
                    elif ch == "]":
                        in_class = False
                    elif ch == "/" and not in_class:
                        break
                    j += 1
                if j < n and src[j] == "/":
                    fm = re.match(r"[a-z]*", src[j + 1 :])
                    flags = fm.group(0) if fm else ""
                    out.append(Tok("regex", (src[i + 1 : j], flags), i))
                    i = j + 1 + len(flags)
                    continue
        for p in _PUNCT:
            if src.startswith(p, i):
                out.append(Tok("punct", p, i))
                i += len(p)
                break
        else:
            i += 1  # a character JS would reject: skip it
    return out


# --------------------------------------------------------------------------- decoders
def js_unescape(s: str) -> str:
    """JavaScript ``unescape``: %XX (Latin-1) and %uXXXX."""

    def rep(m: re.Match[str]) -> str:
        g = m.group(0)
        return chr(int(g[2:], 16)) if g[1] in "uU" else chr(int(g[1:], 16))

    return re.sub(r"%[uU][0-9a-fA-F]{4}|%[0-9a-fA-F]{2}", rep, s)


def js_escape(s: str) -> str:
    """JavaScript's ``escape()``: %XX below 256, %uXXXX above; ``@*_+-./`` and alphanumerics kept."""
    out = []
    for ch in s:
        o = ord(ch)
        if ch.isascii() and (ch.isalnum() or ch in "@*_+-./"):
            out.append(ch)
        elif o < 256:
            out.append(f"%{o:02X}")
        else:
            out.append(f"%u{o:04X}")
    return "".join(out)


def js_atob(s: str) -> str | None:
    t = re.sub(r"\s+", "", s)
    t += "=" * (-len(t) % 4)
    try:
        raw = base64.b64decode(t, validate=False)
    except (binascii.Error, ValueError):
        return None
    return raw.decode("latin-1")


def _utf8_fix(s: str) -> str:
    """Bytes of UTF-8 text left as Latin-1 characters (``unescape('%E6%BE%B3')``, ``atob`` of UTF-8).

    A browser would show mojibake; the words are what matters for judging, so sinks decode them.
    """
    try:
        return s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s


def _b62(c: int, a: int) -> str:
    prefix = "" if c < a else _b62(c // a, a)
    c %= a
    if c > 35:
        return prefix + chr(c + 29)
    return prefix + ("0123456789abcdefghijklmnopqrstuvwxyz"[c])


_PACKER = re.compile(r"eval\s*\(\s*function\s*\(\s*p\s*,\s*a\s*,\s*c\s*,\s*k\s*,\s*e\s*,\s*[dr]\s*\)")


def unpack_packer(src: str) -> list[str]:
    """Payloads of Dean Edwards ``eval(function(p,a,c,k,e,d){...}('...',62,N,'a|b'.split('|'),0,{}))``."""
    out: list[str] = []
    for m in _PACKER.finditer(src):
        toks = tokenize(src[m.start() : m.start() + MAX_SCRIPT_CHARS])
        for j in range(len(toks) - 8):
            t = toks[j : j + 9]
            if (
                t[0].value == "}" and t[1].value == "(" and t[2].kind == "str" and t[3].value == ","
                and t[4].kind == "num" and t[5].value == "," and t[6].kind == "num" and t[7].value == ","
                and t[8].kind == "str"
            ):
                payload, a, c = str(t[2].value), int(t[4].value), int(t[6].value)  # type: ignore[call-overload]
                words = str(t[8].value).split("|")
                if a < 2 or a > 62 or c > 100_000:
                    break
                table = {_b62(i, a): (words[i] if i < len(words) and words[i] else _b62(i, a)) for i in range(c)}
                out.append(re.sub(r"\b\w+\b", lambda mm, tb=table: tb.get(mm.group(0), mm.group(0)), payload))
                break
    return out


# --------------------------------------------------------------------------- evaluator
_GLOBAL_WINDOW = frozenset({"window", "self", "top", "parent", "globalThis", "frames"})
_BUILTINS = frozenset(
    {"unescape", "escape", "decodeURIComponent", "decodeURI", "encodeURIComponent", "atob", "eval",
     "setTimeout", "setInterval", "Function", "parseInt", "String", "Array"}
)
_HTML_SINK_METHODS = frozenset({"html", "append", "prepend", "after", "before", "replaceWith", "appendTo"})
_STMT_BEFORE = frozenset({";", "{", "}", ")", "else", "do", ":", "&&", "||", "?", ",", "=>", "return"})


class _Stop(Exception):
    """The expression cannot be read further here."""


class _Eval:
    """Reads one token list; records side effects into ``self.out`` (deduplicated by position)."""

    def __init__(self, src: str, toks: list[Tok], out: ScriptAnalysis, depth: int, enc: frozenset[str], source: str):
        self.src = src
        self.t = toks
        self.out = out
        self.depth = depth
        self.base_enc = enc
        self.source = source
        self.env: dict[str, object] = {}
        self.done: set[tuple[str, int]] = set()

    # -- helpers
    def peek(self, i: int) -> Tok | None:
        return self.t[i] if 0 <= i < len(self.t) else None

    def is_p(self, i: int, *vals: str) -> bool:
        tok = self.peek(i)
        return tok is not None and tok.kind == "punct" and tok.value in vals

    def snippet(self, pos: int) -> str:
        return re.sub(r"\s+", " ", self.src[max(0, pos - 10) : pos + 110]).strip()

    def skip_balanced(self, i: int) -> int:
        """``i`` at an opening bracket: index after its match."""
        depth = 0
        while i < len(self.t):
            tok = self.t[i]
            if tok.kind == "punct":
                if tok.value in ("(", "[", "{"):
                    depth += 1
                elif tok.value in (")", "]", "}"):
                    depth -= 1
                    if depth == 0:
                        return i + 1
            i += 1
        return i

    # -- statements
    def run(self) -> None:
        t = self.t
        for i, tok in enumerate(t):
            if tok.kind == "name":
                if tok.value in ("referrer",):
                    self.out.uses_referrer = True
                elif tok.value in ("userAgent",):
                    self.out.uses_user_agent = True
            elif tok.kind == "str":
                low = tok.value.lower()  # type: ignore[union-attr]
                if any(w in low for w in _SPIDER_WORDS):
                    self.out.spider_words = True
            prev = t[i - 1] if i else None
            if tok.kind != "name" or (prev is not None and str(prev.value) not in _STMT_BEFORE):
                continue
            if tok.value in ("var", "let", "const"):
                self.declare(i + 1)
                continue
            try:
                self.statement(i)
            except (_Stop, RecursionError, IndexError, ValueError, TypeError, OverflowError):
                continue

    def declare(self, i: int) -> None:
        while True:
            name = self.peek(i)
            if name is None or name.kind != "name":
                return
            if not self.is_p(i + 1, "="):
                if self.is_p(i + 1, ","):
                    i += 2
                    continue
                return
            try:
                val, i = self.expr(i + 2)
            except (_Stop, RecursionError, IndexError, ValueError, TypeError, OverflowError):
                return
            self.env[str(name.value)] = val
            if not self.is_p(i, ","):
                return
            i += 1

    def statement(self, i: int) -> None:
        start = i
        val, ref, i = self.postfix(i, want_ref=True)
        op = self.peek(i)
        if op is None or op.kind != "punct" or op.value not in ("=", "+="):
            return
        rhs, _ = self.expr(i + 1)
        if ref is None:
            return
        obj, prop = ref
        if obj is None and prop == "location" and prop not in self.env:
            self.redirect(rhs, self.t[start].pos)
            return
        if obj is None:  # a plain variable
            if op.value == "+=":
                old = self.env.get(prop)
                a, b = _to_str(old) if old is not None else JStr(""), _to_str(rhs)
                self.env[prop] = JStr(a + b, _enc_of(a, b) | {"concat"}) if a is not None and b is not None else UNKNOWN
            else:
                self.env[prop] = rhs
            return
        self.assign(obj, prop, rhs, op.value == "+=", self.t[start].pos)

    def assign(self, obj: object, prop: str, rhs: object, append: bool, pos: int) -> None:
        s = _to_str(rhs)
        if isinstance(obj, _Obj):
            if prop in ("innerHTML", "outerHTML") and obj.kind == "element" and s is not None:
                self.write("innerHTML", s, str(obj.data or ""), pos)
            elif (prop == "location" and obj.kind in ("window", "document")) or (
                prop == "href" and obj.kind == "location"
            ):
                self.redirect(rhs, pos)
            elif obj.kind == "style" and s is not None:
                self.style(str(obj.data or ""), prop, str(s))
            elif obj.kind == "document" and prop == "title" and s is not None:
                self.out.titles.append(_utf8_fix(str(s)))
            elif obj.kind == "script_el" and prop == "src" and s is not None:
                self.out.script_srcs.append((str(s), tuple(sorted(s.enc | self.base_enc))))
        elif obj is None and prop == "location":
            self.redirect(rhs, pos)

    # -- side effects
    def write(self, sink: str, html: JStr, target: str, pos: int) -> None:
        if (sink, pos) in self.done or not html.strip():
            return
        self.done.add((sink, pos))
        enc = tuple(sorted(html.enc | self.base_enc))
        self.out.writes.append(ScriptWrite(sink, _utf8_fix(str(html)), enc, target, self.source, self.snippet(pos)))

    def redirect(self, v: object, pos: int) -> None:
        s = _to_str(v)
        if s is None or ("redirect", pos) in self.done:
            return
        self.done.add(("redirect", pos))
        self.out.redirects.append(ScriptRedirect(_utf8_fix(str(s)), tuple(sorted(s.enc | self.base_enc)), self.snippet(pos)))

    def style(self, selector: str, prop: str, value: str) -> None:
        if selector:
            css_prop = re.sub(r"[A-Z]", lambda m: "-" + m.group(0).lower(), prop)
            self.out.styles.append(ScriptStyle(selector, css_prop, value.strip().lower()))

    def run_code(self, code: JStr, pos: int, how: str) -> None:
        if (how, pos) in self.done or self.depth >= MAX_DEPTH:
            return
        self.done.add((how, pos))
        enc = self.base_enc | code.enc | {how}
        sub = analyze_script(_utf8_fix(str(code)), depth=self.depth + 1, enc=enc, source=self.source)
        self.out.merge(sub)

    def ref_selector(self, sel: str) -> None:
        for m in re.finditer(r"([#.])([\w-]+)", sel):
            (self.out.ref_ids if m.group(1) == "#" else self.out.ref_classes).add(m.group(2))

    # -- expressions
    def expr(self, i: int) -> tuple[object, int]:
        """Additive expression (+ - * / %) with an optional ternary (whose value is unknown)."""
        val, i = self.additive(i)
        while self.is_p(i, "||", "&&", "??", "==", "===", "!=", "!==", "<", ">", "<=", ">="):
            _, i = self.additive(i + 1)
            val = UNKNOWN
        if self.is_p(i, "?"):
            a, i = self.expr(i + 1)
            if not self.is_p(i, ":"):
                raise _Stop
            b, i = self.expr(i + 1)
            sa, sb = _to_str(a), _to_str(b)
            val = a if sa is not None and sb is not None and sa == sb else UNKNOWN
        return val, i

    def additive(self, i: int) -> tuple[object, int]:
        val, i = self.multiplicative(i)
        while self.is_p(i, "+", "-"):
            op = self.t[i].value
            rhs, i = self.multiplicative(i + 1)
            val = _binop(str(op), val, rhs)
        return val, i

    def multiplicative(self, i: int) -> tuple[object, int]:
        val, i = self.unary(i)
        while self.is_p(i, "*", "/", "%"):
            op = self.t[i].value
            rhs, i = self.unary(i + 1)
            val = _binop(str(op), val, rhs)
        return val, i

    def unary(self, i: int) -> tuple[object, int]:
        tok = self.peek(i)
        if tok is None:
            raise _Stop
        if tok.kind == "punct" and tok.value in ("-", "+", "!", "~"):
            v, i = self.unary(i + 1)
            if tok.value == "-" and isinstance(v, float):
                return -v, i
            if tok.value == "+" and isinstance(v, float):
                return v, i
            return UNKNOWN, i
        if tok.kind == "name" and tok.value in ("typeof", "void", "delete", "await"):
            _, i = self.unary(i + 1)
            return UNKNOWN, i
        if tok.kind == "name" and tok.value == "new":
            v, i = self.unary(i + 1)
            return v, i
        v, _, i = self.postfix(i)
        return v, i

    def postfix(self, i: int, want_ref: bool = False) -> tuple[object, tuple[object, str] | None, int]:
        val, ref, i = self.primary(i)
        while True:
            tok = self.peek(i)
            if tok is None or tok.kind != "punct":
                break
            if tok.value in (".", "?."):
                name = self.peek(i + 1)
                if name is None or name.kind != "name":
                    raise _Stop
                prop = str(name.value)
                ref = (val, prop)
                val = self.member(val, prop)
                i += 2
            elif tok.value == "[":
                key, j = self.expr(i + 1)
                if not self.is_p(j, "]"):
                    raise _Stop
                k = _to_str(key)
                if isinstance(val, list) and isinstance(key, float) and 0 <= key < len(val):
                    ref, val = None, val[int(key)]
                elif k is not None:
                    ref = (val, str(k))
                    val = self.member(val, str(k))
                else:
                    ref, val = None, UNKNOWN
                i = j + 1
            elif tok.value == "(":
                args, i = self.args(i)
                val = self.call(val, args, tok.pos)
                ref = None
            else:
                break
        return val, ref if want_ref else None, i

    def args(self, i: int) -> tuple[list[object], int]:
        """``i`` at "(": evaluated arguments and the index after ")"."""
        out: list[object] = []
        i += 1
        if self.is_p(i, ")"):
            return out, i + 1
        while True:
            tok = self.peek(i)
            if tok is not None and tok.kind == "name" and tok.value == "function":
                i = self.skip_function(i)
                v: object = UNKNOWN
            else:
                v, i = self.expr(i)
            out.append(v)
            if self.is_p(i, ","):
                i += 1
                continue
            if self.is_p(i, ")"):
                return out, i + 1
            raise _Stop

    def skip_function(self, i: int) -> int:
        while i < len(self.t) and not self.is_p(i, "{"):
            i += 1
        return self.skip_balanced(i) if i < len(self.t) else i

    def primary(self, i: int) -> tuple[object, tuple[object, str] | None, int]:
        tok = self.peek(i)
        if tok is None:
            raise _Stop
        if tok.kind == "str":
            return tok.value, None, i + 1
        if tok.kind == "num":
            return tok.value, None, i + 1
        if tok.kind == "regex":
            return _Obj("regex", tok.value), None, i + 1
        if tok.kind == "punct":
            if tok.value == "(":
                val, j = self.expr(i + 1)
                while self.is_p(j, ","):
                    val, j = self.expr(j + 1)
                if not self.is_p(j, ")"):
                    raise _Stop
                if self.is_p(j + 1, "=>"):
                    raise _Stop
                return val, None, j + 1
            if tok.value == "[":
                items: list[object] = []
                j = i + 1
                if self.is_p(j, "]"):
                    return items, None, j + 1
                while True:
                    v, j = self.expr(j)
                    items.append(v)
                    if self.is_p(j, ","):
                        j += 1
                        continue
                    if self.is_p(j, "]"):
                        return items, None, j + 1
                    raise _Stop
            if tok.value == "{":
                return UNKNOWN, None, self.skip_balanced(i)
            raise _Stop
        name = str(tok.value)
        if name == "function":
            return UNKNOWN, None, self.skip_function(i)
        if name in ("true", "false", "null", "undefined", "this", "NaN", "Infinity"):
            return UNKNOWN, None, i + 1
        return self.resolve(name), (None, name), i + 1

    def resolve(self, name: str) -> object:
        if name in self.env:
            return self.env[name]
        if name == "document":
            return _Obj("document")
        if name in _GLOBAL_WINDOW:
            return _Obj("window")
        if name == "location":
            return _Obj("location")
        if name in ("$", "jQuery"):
            return _Obj("builtin", "$")
        if name in _BUILTINS:
            return _Obj("builtin", name)
        return UNKNOWN

    def member(self, obj: object, prop: str) -> object:
        if isinstance(obj, _Obj):
            k = obj.kind
            if k == "window":
                return self.resolve(prop)
            if k == "document":
                if prop == "location":
                    return _Obj("location")
                if prop == "body":
                    return _Obj("element", "body")
                if prop == "documentElement":
                    return _Obj("element", "html")
                if prop in ("write", "writeln", "getElementById", "querySelector", "createElement",
                            "getElementsByClassName", "getElementsByTagName", "querySelectorAll"):
                    return _Obj("method", prop, obj)
                return UNKNOWN
            if k == "location":
                if prop in ("replace", "assign"):
                    return _Obj("method", prop, obj)
                return UNKNOWN
            if k in ("element", "script_el"):
                if prop == "style":
                    return _Obj("style", obj.data)
                if prop in ("insertAdjacentHTML", "appendChild", "setAttribute"):
                    return _Obj("method", prop, obj)
                return UNKNOWN
            if k == "builtin" and obj.data == "String" and prop == "fromCharCode":
                return _Obj("method", "fromCharCode", obj)
            if k == "jq":
                return _Obj("method", prop, obj)
            return UNKNOWN
        if isinstance(obj, (str, list)):
            if prop == "length":
                return float(len(obj))
            return _Obj("method", prop, obj)
        return UNKNOWN

    def call(self, fn: object, args: list[object], pos: int) -> object:
        if not isinstance(fn, _Obj):
            return UNKNOWN
        a0 = args[0] if args else UNKNOWN
        s0 = _to_str(a0)
        if fn.kind == "builtin":
            name = fn.data
            if name == "unescape" and s0 is not None:
                return JStr(js_unescape(s0), s0.enc | {"unescape"})
            if name in ("decodeURIComponent", "decodeURI") and s0 is not None:
                dec = unquote(s0, errors="replace")
                if re.search(r"%[0-9a-fA-F]{2}", s0) and not s0.startswith(("http", "/")):
                    return JStr(dec, s0.enc | {"unescape"})
                return JStr(dec, s0.enc)
            if name == "escape" and s0 is not None:
                return JStr(js_escape(s0), s0.enc)
            if name == "atob" and s0 is not None:
                dec = js_atob(s0)
                return JStr(dec, s0.enc | {"base64"}) if dec is not None else UNKNOWN
            if name in ("eval", "Function") and s0 is not None:
                self.run_code(s0, pos, "eval")
                return UNKNOWN
            if name in ("setTimeout", "setInterval") and s0 is not None:
                self.run_code(s0, pos, "eval")
                return UNKNOWN
            if name == "$" and s0 is not None:
                if "<" not in s0:
                    self.ref_selector(s0)
                return _Obj("jq", str(s0))
            if name == "$":
                return _Obj("jq", "")
            if name == "String":
                return s0 if s0 is not None else UNKNOWN
            return UNKNOWN
        if fn.kind != "method":
            return UNKNOWN
        name, owner = str(fn.data), fn.owner
        if isinstance(owner, _Obj):
            k = owner.kind
            if k == "document":
                if name in ("write", "writeln"):
                    parts = [_to_str(a) for a in args]
                    known = [p for p in parts if p is not None]
                    if known:
                        self.write("document.write", JStr("".join(known), _enc_of(*known)), "", pos)
                    return UNKNOWN
                if name == "getElementById" and s0 is not None:
                    self.out.ref_ids.add(str(s0))
                    return _Obj("element", "#" + str(s0))
                if name in ("querySelector", "querySelectorAll") and s0 is not None:
                    self.ref_selector(s0)
                    return _Obj("element", str(s0) if name == "querySelector" else "")
                if name == "getElementsByClassName" and s0 is not None:
                    self.out.ref_classes.update(str(s0).split())
                    return UNKNOWN
                if name == "createElement" and s0 is not None and s0.lower() == "script":
                    return _Obj("script_el", "")
                if name == "createElement":
                    return _Obj("element", "")
                return UNKNOWN
            if k == "location" and name in ("replace", "assign"):
                self.redirect(a0, pos)
                return UNKNOWN
            if k in ("element", "script_el"):
                if name == "insertAdjacentHTML" and len(args) >= 2:
                    s1 = _to_str(args[1])
                    if s1 is not None:
                        self.write("insertAdjacentHTML", s1, str(owner.data or ""), pos)
                elif name == "setAttribute" and k == "script_el" and s0 == "src" and len(args) >= 2:
                    s1 = _to_str(args[1])
                    if s1 is not None:
                        self.out.script_srcs.append((str(s1), tuple(sorted(s1.enc | self.base_enc))))
                return UNKNOWN
            if k == "builtin" and name == "fromCharCode":
                codes = [a for a in args if isinstance(a, float)]
                if len(codes) != len(args):
                    return UNKNOWN
                try:
                    return JStr("".join(chr(int(c) & 0xFFFF) for c in codes), {"charcode"})
                except (ValueError, OverflowError):
                    return UNKNOWN
            if k == "jq":
                sel = str(owner.data or "")
                if name in _HTML_SINK_METHODS and s0 is not None and "<" in s0:
                    target = sel if name not in ("after", "before", "appendTo") else ""
                    if name == "appendTo":
                        target = str(s0) if "<" not in s0 else ""
                    self.write("jquery", s0, target if target.startswith("#") else "", pos)
                elif name == "hide":
                    self.style(sel, "display", "none")
                elif name == "show":
                    self.style(sel, "display", "block")
                elif name == "css" and s0 is not None and len(args) >= 2:
                    s1 = _to_str(args[1])
                    if s1 is not None:
                        self.style(sel, str(s0), str(s1))
                elif name in ("find", "children", "parent", "eq", "siblings") and s0 is not None:
                    self.ref_selector(s0)
                return owner
            return UNKNOWN
        if isinstance(owner, (str, list)):
            return _string_method(owner, name, args)
        return UNKNOWN


def _binop(op: str, a: object, b: object) -> object:
    if op == "+":
        if isinstance(a, float) and isinstance(b, float):
            return a + b
        sa, sb = _to_str(a), _to_str(b)
        if sa is None or sb is None or isinstance(a, _Obj) or isinstance(b, _Obj):
            return UNKNOWN
        return JStr(sa + sb, _enc_of(sa, sb) | {"concat"})
    if isinstance(a, float) and isinstance(b, float):
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            return a / b if b else UNKNOWN
        if op == "%":
            return a % b if b else UNKNOWN
    return UNKNOWN


def _string_method(owner: str | list[object], name: str, args: list[object]) -> object:
    a0 = args[0] if args else UNKNOWN
    s0 = _to_str(a0)
    if isinstance(owner, list):
        if name == "join":
            parts = [_to_str(x) for x in owner]
            if any(p is None for p in parts):
                return UNKNOWN
            sep = s0 if s0 is not None else (JStr(",") if not args else None)
            if sep is None:
                return UNKNOWN
            return JStr(sep.join(parts), _enc_of(*owner) | {"concat"})  # type: ignore[arg-type]
        if name == "reverse":
            return [JStr(x, x.enc | {"reverse"}) if isinstance(x, JStr) else x for x in reversed(owner)]
        if name == "concat":
            return owner + [x for a in args for x in (a if isinstance(a, list) else [a])]
        return UNKNOWN
    s = owner if isinstance(owner, JStr) else JStr(owner)
    if name == "split" and s0 is not None:
        parts = list(s) if s0 == "" else s.split(s0)
        return [JStr(p, s.enc) for p in parts]
    if name == "concat":
        strs = [_to_str(a) for a in args]
        if any(x is None for x in strs):
            return UNKNOWN
        return JStr(s + "".join(strs), _enc_of(s, *strs) | {"concat"})  # type: ignore[arg-type]
    if name in ("toLowerCase", "toUpperCase", "trim"):
        return JStr(getattr(str(s), {"toLowerCase": "lower", "toUpperCase": "upper", "trim": "strip"}[name])(), s.enc)
    if name == "toString":
        return s
    if name == "replace" or name == "replaceAll":
        if len(args) < 2:
            return UNKNOWN
        rep = _to_str(args[1])
        if rep is None:
            return UNKNOWN
        pat = args[0]
        if isinstance(pat, _Obj) and pat.kind == "regex":
            src, flags = pat.data  # type: ignore[misc]
            try:
                rx = re.compile(src, re.I if "i" in flags else 0)
                out = rx.sub(rep.replace("\\", "\\\\").replace("$&", r"\g<0>"), s, count=0 if "g" in flags else 1)
            except re.error:
                return UNKNOWN
        elif s0 is not None:
            out = s.replace(s0, rep) if name == "replaceAll" else s.replace(s0, rep, 1)
        else:
            return UNKNOWN
        return JStr(out, s.enc | rep.enc | {"replace"})
    if name in ("substr", "substring", "slice") and args and all(isinstance(a, float) for a in args):
        a, b = int(args[0]), (int(args[1]) if len(args) > 1 else None)  # type: ignore[call-overload]
        if name == "substr":
            return JStr(s[a : (a + b) if b is not None else None], s.enc)
        return JStr(s[a:b], s.enc)
    if name == "charAt" and args and isinstance(args[0], float):
        k = int(args[0])
        return JStr(s[k] if 0 <= k < len(s) else "", s.enc)
    return UNKNOWN


def analyze_script(src: str, *, depth: int = 0, enc: frozenset[str] | set[str] = frozenset(), source: str = "") -> ScriptAnalysis:
    """Side effects of one script (inline text or a file), with what it ``eval``s, recursively."""
    out = ScriptAnalysis()
    if not src or not any(t in src for t in _TRIGGERS):
        return out
    base = frozenset(enc)
    if depth < MAX_DEPTH and "eval" in src:
        for payload in unpack_packer(src):
            out.merge(analyze_script(payload, depth=depth + 1, enc=base | {"packer"}, source=source))
    toks = tokenize(src)
    _Eval(src, toks, out, depth, base, source).run()
    for r in out.redirects:  # conditions belong to the script that holds the redirect
        if r.conditional is None:
            r.conditional = out.conditional
            r.spider_words = out.spider_words
    return out


_ANALYSIS_CACHE: dict[str, ScriptAnalysis] = {}
_CACHE_MAX = 512


def _cached_analysis(src: str, source: str) -> ScriptAnalysis:
    key = hashlib.sha1(f"{source}\0{src}".encode("utf-8", "surrogatepass")).hexdigest()
    hit = _ANALYSIS_CACHE.get(key)
    if hit is None:
        if len(_ANALYSIS_CACHE) >= _CACHE_MAX:
            _ANALYSIS_CACHE.clear()
        hit = _ANALYSIS_CACHE[key] = analyze_script(src, source=source)
    return hit


# --------------------------------------------------------------------------- rendering
_SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
_ATTR_RE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_BASE_RE = re.compile(r"<base\b[^>]*\bhref\s*=\s*[\"']?([^\"'\s>]+)", re.I)
_BODY_END = re.compile(r"</body\s*>", re.I)
_MARKABLE = re.compile(r"<(a|area|iframe|frame|script|img|link|meta|style|div|span|marquee|p|ul|li|font|td|table)\b", re.I)
_NON_JS_TYPES = ("text/template", "text/html", "text/x-template", "application/json", "application/ld+json",
                 "text/x-handlebars-template", "importmap", "text/plain")


@dataclass
class RenderedPage:
    """The page as the browser would build it from its scripts (see the module docstring)."""

    html: str
    writes: list[ScriptWrite] = field(default_factory=list)
    analysis: ScriptAnalysis = field(default_factory=ScriptAnalysis)
    redirects: list[Redirect] = field(default_factory=list)  # script redirects (absolute URLs)
    script_srcs: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (absolute URL, encodings) loaded by scripts
    static_script_srcs: list[str] = field(default_factory=list)  # <script src> in the HTML


def _attrs(text: str) -> dict[str, str]:
    return {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ATTR_RE.finditer(text)}


def _mark(html: str, index: int) -> str:
    return _MARKABLE.sub(lambda m: f'<{m.group(1)} {MARK_ATTR}="{index}"', html)


def _abs(base: str, ref: str) -> str | None:
    ref = ref.strip().replace("\\", "/")
    if not ref or ref.lower().startswith(("javascript:", "data:", "#", "about:")):
        return None
    try:
        url = urljoin(base, ref)
    except ValueError:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url.split("#", 1)[0]


def render_scripts(html: str, page_url: str, scripts: Mapping[str, str] | None = None) -> RenderedPage:
    """The page with script output inserted where the browser puts it, plus what the scripts did.

    ``scripts`` maps absolute script URLs to their text (the crawler's role "script" pages).
    """
    m = _BASE_RE.search(html[:20000])
    base = urljoin(page_url, m.group(1)) if m else page_url
    out = RenderedPage(html=html)
    pending: list[tuple[str, str]] = []  # (target "#id" or "", marked html) for innerHTML & co.

    def one_pass(text: str, depth: int) -> str:
        pieces: list[str] = []
        last = 0
        for sm in _SCRIPT_RE.finditer(text):
            attrs = _attrs(sm.group(1))
            stype = attrs.get("type", "").lower()
            if stype and any(t in stype for t in _NON_JS_TYPES):
                continue
            src_attr = attrs.get("src")
            if src_attr:
                url = _abs(base, src_attr)
                if url and depth == 0:
                    out.static_script_srcs.append(url)
                code = (scripts or {}).get(url or "", "") if url else ""
                analysis = _cached_analysis(code, url or "") if code else None
            else:
                analysis = _cached_analysis(sm.group(2), "")
            if analysis is None:
                continue
            out.analysis.merge(analysis)
            written: list[str] = []
            for w in analysis.writes:
                idx = len(out.writes)
                out.writes.append(w)
                marked = _mark(w.html, idx)
                if depth < MAX_DEPTH and "<script" in marked.lower():
                    marked = one_pass(marked, depth + 1)
                if w.sink == "document.write":
                    written.append(marked)
                else:
                    pending.append((w.target, marked))
            if written:
                pieces.append(text[last : sm.end()])
                pieces.append("".join(written))
                last = sm.end()
        pieces.append(text[last:])
        return "".join(pieces)

    rendered = one_pass(html, 0)
    for target, marked in pending:
        placed = False
        if target.startswith("#") and re.fullmatch(r"#[\w-]+", target):
            tid = re.escape(target[1:])
            tm = re.search(rf"<[a-zA-Z][^>]*\bid\s*=\s*[\"']?{tid}[\"'\s>][^>]*>", rendered)
            if tm is None:
                tm = re.search(rf"<[a-zA-Z][^>]*\bid\s*=\s*[\"']?{tid}[\"']?>", rendered)
            if tm is not None:
                rendered = rendered[: tm.end()] + marked + rendered[tm.end() :]
                placed = True
        if not placed:
            ends = list(_BODY_END.finditer(rendered))
            at = ends[-1].start() if ends else len(rendered)
            rendered = rendered[:at] + marked + rendered[at:]
    out.html = rendered
    a = out.analysis
    for r in a.redirects:
        url = _abs(base, r.text)
        if url:
            out.redirects.append(
                Redirect("script", url, None, r.conditional or "", r.spider_words, r.encodings, "", r.snippet)
            )
    for text, enc in a.script_srcs:
        url = _abs(base, text)
        if url:
            out.script_srcs.append((url, enc))
    return out


_REFRESH = re.compile(r"^\s*([\d.]+)?\s*[;,]?\s*(?:url\s*=\s*)?(.*)$", re.I | re.S)


def meta_refresh(html_or_tree: object, page_url: str) -> list[Redirect]:
    """``<meta http-equiv="refresh" content="0;url=...">`` targets (absolute)."""
    from xuncha.extract.html import base_url, parse

    tree = parse(html_or_tree) if isinstance(html_or_tree, str) else html_or_tree
    base = base_url(tree, page_url)  # type: ignore[arg-type]
    out: list[Redirect] = []
    for node in tree.css("meta[http-equiv]"):  # type: ignore[attr-defined]
        if (node.attributes.get("http-equiv") or "").strip().lower() != "refresh":
            continue
        content = node.attributes.get("content") or ""
        m = _REFRESH.match(content)
        if not m:
            continue
        target = m.group(2).strip().strip("'\"").strip()
        if not target:
            continue
        url = _abs(base, target)
        if url is None:
            continue
        try:
            delay = float(m.group(1)) if m.group(1) else 0.0
        except ValueError:
            delay = None
        out.append(Redirect("meta_refresh", url, delay, snippet=f'<meta http-equiv="refresh" content="{content[:100]}">'))
    return out
