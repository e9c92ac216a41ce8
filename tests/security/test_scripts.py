"""extract.scripts: links written by scripts in every encoding, rendering, redirects."""

from __future__ import annotations

import base64
import re
import time

import pytest

from xuncha.extract.scripts import (
    MARK_ATTR,
    analyze_script,
    meta_refresh,
    render_scripts,
    tokenize,
    unpack_packer,
)

LINK = '<a href="http://www.spam-example.com/">澳门新葡京</a>'


def _pct(s: str) -> str:
    return "".join(f"%{b:02X}" for b in s.encode("utf-8"))


def _pct_u(s: str) -> str:
    return "".join(f"%u{ord(c):04X}" if ord(c) > 127 else f"%{ord(c):02X}" for c in s)


def _hex(s: str) -> str:
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 128 else c for c in s)


def _uni(s: str) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in s)


def _b64(s: str) -> str:
    return base64.b64encode(s.encode("utf-8")).decode()


def _pack(code: str) -> str:
    """A Dean Edwards style p,a,c,k,e,d packing of ``code`` (base 62)."""
    from xuncha.extract.scripts import _b62

    words: list[str] = []
    for w in re.findall(r"\b\w+\b", code):
        if w not in words:
            words.append(w)
    index = {w: _b62(i, 62) for i, w in enumerate(words)}
    payload = re.sub(r"\b\w+\b", lambda m: index[m.group(0)], code).replace("\\", "\\\\").replace("'", "\\'")
    return (
        "eval(function(p,a,c,k,e,d){e=function(c){return(c<a?'':e(parseInt(c/a)))+((c=c%a)>35?"
        "String.fromCharCode(c+29):c.toString(36))};if(!''.replace(/^/,String)){while(c--)d[e(c)]=k[c]||e(c);"
        "k=[function(e){return d[e]}];e=function(){return'\\\\w+'};c=1};while(c--)if(k[c])p=p.replace("
        "new RegExp('\\\\b'+e(c)+'\\\\b','g'),k[c]);return p}"
        f"('{payload}',62,{len(words)},'{'|'.join(words)}'.split('|'),0,{{}}))"
    )


ENCODED = [
    ("plain", f"document.write('{LINK}');", ()),
    ("concat", "document.write('<a hr' + 'ef=\"http://www.spam-' + 'example.com/\">澳门' + '新葡京</a>');", ("concat",)),
    ("unescape_utf8", f"document.write(unescape('{_pct(LINK)}'));", ("unescape",)),
    ("unescape_u", f"document.write(unescape('{_pct_u(LINK)}'));", ("unescape",)),
    ("decodeURIComponent", f"document.writeln(decodeURIComponent('{_pct(LINK)}'));", ("unescape",)),
    ("hex_escapes", f"document.write('{_hex(LINK)}');", ("hex",)),
    ("unicode_escapes", f"document.write(\"{_uni(LINK)}\");", ("unicode",)),
    ("base64", f"document.write(decodeURIComponent(escape(window.atob('{_b64(LINK)}'))));", ("base64",)),
    ("fromCharCode", f"document.write(String.fromCharCode({','.join(str(ord(c)) for c in LINK)}));", ("charcode",)),
    ("variables", "var a = '<a href=\"http://www.spam-example.com/\">'; var b; b = '澳门新葡京'; a += b + '</a>'; document.write(a);", ("concat",)),
    ("array_join", "var p = ['<a href=\"http://www.spam-', 'example.com/\">澳门新葡京</a>']; document.write(p.join(''));", ("concat",)),
    ("reversed", f"document.write('{LINK[::-1]}'.split('').reverse().join(''));", ("reverse",)),
    ("replace", "document.write('<a h#ref=\"http://www.spam-exa#mple.com/\">澳门新葡京</a>'.replace(/#/g, ''));", ("replace",)),
    ("eval_base64", f"eval(atob('{_b64(chr(10).join(['document.write(' + repr(LINK) + ')']))}'));", ("base64", "eval")),
    ("packer", _pack(f"document.write('{LINK}');"), ("packer",)),
]


@pytest.mark.parametrize(("js", "enc"), [c[1:] for c in ENCODED], ids=[c[0] for c in ENCODED])
def test_document_write_in_every_encoding(js: str, enc: tuple[str, ...]) -> None:
    a = analyze_script(js)
    assert len(a.writes) == 1, a.writes
    w = a.writes[0]
    assert w.sink == "document.write"
    assert 'href="http://www.spam-example.com/"' in w.html and "澳门新葡京" in w.html
    for e in enc:
        assert e in w.encodings
    assert w.obfuscated == bool(set(enc) - {"concat"})


def test_innerhtml_insertadjacent_and_jquery_targets() -> None:
    js = """
      var box = document.getElementById('friend');
      box.innerHTML = unescape('%3Ca href="http://a-example.com/"%3EA%3C/a%3E');
      document.querySelector('#side').insertAdjacentHTML('beforeend', '<a href="http://b-example.com/">B</a>');
      $('#foot').append('<a href="http://c-example.com/">C</a>');
      document.body.innerHTML += '<a href="http://d-example.com/">D</a>';
    """
    got = {w.sink: (w.target, w.html) for w in analyze_script(js).writes}
    assert got["innerHTML"][0] in ("#friend", "body")
    assert got["insertAdjacentHTML"] == ("#side", '<a href="http://b-example.com/">B</a>')
    assert got["jquery"] == ("#foot", '<a href="http://c-example.com/">C</a>')
    targets = sorted(w.target for w in analyze_script(js).writes if w.sink == "innerHTML")
    assert targets == ["#friend", "body"]


def test_render_places_writes_and_marks_written_tags() -> None:
    html = (
        "<html><body><div id='x'></div>"
        "<script>document.write('<a href=\"http://w-example.com/\">W</a>');</script><p id='after'>after</p>"
        "<script>document.getElementById('x').innerHTML = '<a href=\"http://i-example.com/\">I</a>';</script>"
        "<script src='/js/common.js'></script>"
        "</body></html>"
    )
    scripts = {"https://www.example.gov.cn/js/common.js": "document.write(atob('" + _b64('<a href="http://e-example.com/">E</a>') + "'))"}
    r = render_scripts(html, "https://www.example.gov.cn/index.html", scripts)
    assert r.html.index("w-example") < r.html.index("id='after'")
    assert re.search(r"<div id='x'><a " + MARK_ATTR + r'="\d" href="http://i-example.com/"', r.html)
    assert r.html.index("e-example") > r.html.index("common.js")
    assert {w.source for w in r.writes} == {"", "https://www.example.gov.cn/js/common.js"}
    assert r.static_script_srcs == ["https://www.example.gov.cn/js/common.js"]
    assert r.html.count(MARK_ATTR) == 3


def test_written_script_src_and_dynamic_script() -> None:
    js = (
        "document.write(unescape('%3Cscript src=\"http://evil-example.com/a.js\"%3E%3C/script%3E'));"
        "var s = document.createElement('script'); s.src = atob('" + _b64("http://evil2-example.com/b.js") + "');"
    )
    r = render_scripts(f"<html><body><script>{js}</script></body></html>", "https://www.example.gov.cn/")
    assert '<script data-xuncha-w="0" src="http://evil-example.com/a.js">' in r.html
    assert r.script_srcs == [("http://evil2-example.com/b.js", ("base64",))]


REDIRECTS = [
    ("window.location.href = 'http://r-example.com/1';", "http://r-example.com/1"),
    ("location = 'http://r-example.com/2'", "http://r-example.com/2"),
    ("location.replace(\"http://r-example.com/3\")", "http://r-example.com/3"),
    ("top.location.assign('http://r-example.com/4')", "http://r-example.com/4"),
    ("document.location.href = '/local.html'", "https://www.example.gov.cn/local.html"),
    ("setTimeout(\"window.location='http://r-example.com/5'\", 3000)", "http://r-example.com/5"),
    ("self.location = String.fromCharCode(104,116,116,112,58,47,47,114,45,101,120,97,109,112,108,101,46,99,111,109,47,54)", "http://r-example.com/6"),
]


@pytest.mark.parametrize(("js", "url"), REDIRECTS)
def test_script_redirect_targets(js: str, url: str) -> None:
    r = render_scripts(f"<html><body><script>{js}</script></body></html>", "https://www.example.gov.cn/")
    assert [x.url for x in r.redirects] == [url]
    assert r.redirects[0].conditional == ""


def test_unknown_values_never_become_urls() -> None:
    js = "var host = window.location.host; location.href = 'http://' + host + '/m/'; if (top != self) top.location = self.location;"
    r = render_scripts(f"<html><body><script>{js}</script></body></html>", "https://www.example.gov.cn/")
    assert r.redirects == []


def test_referrer_conditional_redirect() -> None:
    js = "var r = document.referrer; if (r.indexOf('baidu') >= 0) { location.href = 'http://jump-example.com/'; }"
    r = render_scripts(f"<script>{js}</script>", "https://www.example.gov.cn/")
    assert r.redirects[0].conditional == "referrer" and r.redirects[0].spider_words
    js = "if (/Baiduspider|Googlebot/i.test(navigator.userAgent)) { location.href = 'http://jump-example.com/'; }"
    assert render_scripts(f"<script>{js}</script>", "https://www.example.gov.cn/").redirects[0].conditional == "user_agent"


def test_meta_refresh_forms() -> None:
    base = "https://www.example.gov.cn/a/"
    cases = {
        '<meta http-equiv="refresh" content="0;url=http://x-example.com/">': ("http://x-example.com/", 0.0),
        "<meta http-equiv='Refresh' content=\"3; URL='/b.html'\">": ("https://www.example.gov.cn/b.html", 3.0),
        '<meta http-equiv="refresh" content="5">': None,
    }
    for tag, want in cases.items():
        got = meta_refresh(f"<html><head>{tag}</head></html>", base)
        assert ([(r.url, r.delay_s) for r in got][0] if got else None) == want


def test_styles_titles_and_references() -> None:
    a = analyze_script(
        "document.getElementById('dl').style.display = 'none'; $('.ad').css('visibility','hidden');"
        "document.title = '\\u793a\\u4f8b'; $('#tab2').show(); var n = document.getElementsByClassName('menu');"
    )
    assert [(s.selector, s.prop, s.value) for s in a.styles] == [
        ("#dl", "display", "none"), (".ad", "visibility", "hidden"), ("#tab2", "display", "block"),
    ]
    assert a.titles == ["示例"] and {"dl", "tab2"} <= a.ref_ids and {"ad", "menu"} <= a.ref_classes


def test_tokenizer_survives_regex_comments_and_garbage() -> None:
    toks = tokenize("var re = /<a[^>]*>/g; // document.write('no')\n/* document.write('no') */ x = a / b / c;")
    assert any(t.kind == "regex" for t in toks)
    assert analyze_script("// document.write('<a href=\"http://no.com\">')\n").writes == []
    for junk in ("document.write(", "document.write('<a", "((((((((((", "eval(function(p,a,c,k,e,d){}('x',99,1,'a'.split('|')))",
                 "location.href = ", "}{)(][" * 1000):
        analyze_script(junk)  # never raises


def test_large_library_script_is_fast() -> None:
    lib = (
        "(function(w){ var jq = function(s){ return new jq.fn.init(s) }; jq.fn = jq.prototype = {"
        " html: function(v){ this[0].innerHTML = v; return this }, init: function(s){ this.s = s } };"
        " w.jQuery = w.$ = jq; })(window);\n"
    ) * 600  # ~150 KB
    t0 = time.perf_counter()
    a = analyze_script(lib)
    assert time.perf_counter() - t0 < 3.0
    assert a.writes == []


def test_packer_unpacks() -> None:
    code = "document.write('<a href=\"http://p-example.com/\">P</a>');"
    assert unpack_packer(_pack(code)) == [code]


def test_redirect_condition_belongs_to_its_own_script() -> None:
    html = (
        "<script>var img = new Image(); img.src = '/count?ref=' + escape(document.referrer);</script>"
        "<script>location.href = 'http://r-example.com/';</script>"
    )
    r = render_scripts(html, "https://www.example.gov.cn/")
    assert [(x.url, x.conditional) for x in r.redirects] == [("http://r-example.com/", "")]
