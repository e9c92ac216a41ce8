"""extract.visibility: every hiding trick (positive) and the look-alikes that stay visible."""

from __future__ import annotations

import pytest

from xuncha.extract.visibility import norm_color, parse_css, parse_declarations, px, specificity

from ._helpers import link, view

X = '<a href="http://www.spam-example.com/">澳门新葡京</a>'

# (case id, <style> text, body, expected how)
HIDDEN = [
    ("inline_display", "", f'<div style="display:none">{X}</div>', "display_none"),
    ("inline_display_upper", "", f'<div style="DISPLAY: NONE">{X}</div>', "display_none"),
    ("id_rule", "#dl{display:none}", f'<div id="dl">{X}</div>', "display_none"),
    ("class_rule", ".hide{display:none}", f'<div class="box hide">{X}</div>', "display_none"),
    ("tag_rule", "aside{display:none}", f"<aside>{X}</aside>", "display_none"),
    ("descendant", ".foot .links{display:none}", f'<div class="foot"><p><span class="links">{X}</span></p></div>', "display_none"),
    ("child_compound", "div.a > p.b{display:none}", f'<div class="a"><p class="b">{X}</p></div>', "display_none"),
    ("important_beats_inline", ".x{display:none!important}", f'<div class="x" style="display:block">{X}</div>', "display_none"),
    ("inherited_ancestor", "#outer{display:none}", f'<div id="outer"><div><ul><li>{X}</li></ul></div></div>', "display_none"),
    ("hidden_attr", "", f"<div hidden>{X}</div>", "display_none"),
    ("media_screen", "@media screen { #m{display:none} }", f'<div id="m">{X}</div>', "display_none"),
    ("visibility", "", f'<div style="visibility:hidden">{X}</div>', "visibility"),
    ("opacity", ".o{opacity:0}", f'<div class="o">{X}</div>', "opacity"),
    ("ie_alpha", "", f'<div style="filter:alpha(opacity=0)">{X}</div>', "opacity"),
    ("absolute_left", "", f'<div style="position:absolute;left:-9999px">{X}</div>', "offscreen"),
    ("absolute_top_rule", "#p{position:absolute;top:-1000px}", f'<div id="p">{X}</div>', "offscreen"),
    ("fixed_right", "", f'<div style="position:fixed;right:5000px">{X}</div>', "offscreen"),
    ("margin", "", f'<div style="margin:0 0 0 -8000px">{X}</div>', "offscreen"),
    ("translate", "", f'<div style="transform:translateX(-9999px)">{X}</div>', "offscreen"),
    ("scale0", "", f'<div style="transform:scale(0)">{X}</div>', "transform"),
    ("zero_height", "", f'<div style="height:0;overflow:hidden">{X}</div>', "zero_size"),
    ("one_px_box", ".t{width:1px;height:1px;overflow:hidden}", f'<div class="t">{X}</div>', "zero_size"),
    ("clip_rect", "", f'<div style="position:absolute;clip:rect(0 0 0 0)">{X}</div>', "clip"),
    ("clip_path", "", f'<div style="clip-path:inset(50%)">{X}</div>', "clip"),
    ("font_zero", ".f{font-size:0}", f'<p class="f">{X}</p>', "font_size"),
    ("font_shorthand", "", f'<p style="font:0/0 a">{X}</p>', "font_size"),
    ("font_em_of_zero", ".f{font-size:0} .f span{font-size:1.5em}", f'<p class="f"><span>{X}</span></p>', "font_size"),
    ("text_indent", "", f'<div style="text-indent:-9999px">{X}</div>', "text_indent"),
    ("same_colour", ".w{color:#FFF;background-color:white}", f'<div class="w">{X}</div>', "same_color"),
    ("same_colour_font_tag", "", f'<table bgcolor="#ffffff"><tr><td><font color="#fff">{X}</font></td></tr></table>', "same_color"),
    ("marquee_tiny", "", f'<marquee height="1" width="1">{X}</marquee>', "marquee"),
    ("marquee_fast", "", f'<marquee scrollamount="5000">{X}</marquee>', "marquee"),
    ("noscript", "", f"<noscript>{X}</noscript>", "noscript"),
    ("script_style", "", f'<div id="k">{X}</div><script>document.getElementById("k").style.display="none";</script>', "display_none"),
    ("jquery_hide", "", f'<div id="q">{X}</div><script>$("#q").hide();</script>', "display_none"),
    ("written_wrapper", "", f'<script>document.write("<div style=\\"display:none\\">");</script>{X}<script>document.write("</div>");</script>', "display_none"),
    ("written_style", "", f'<script>document.write("<style>#w{{visibility:hidden}}</style>");</script><div id="w">{X}</div>', "visibility"),
]


@pytest.mark.parametrize(("style", "body", "how"), [c[1:] for c in HIDDEN], ids=[c[0] for c in HIDDEN])
def test_hiding_tricks(style: str, body: str, how: str) -> None:
    v = view(body + '<a href="http://www.ok-example.com/">可见</a>', f"<style>{style}</style>" if style else "")
    lv = link(v, "spam-example")
    assert lv.hiding is not None, body
    assert lv.hiding.how == how
    assert lv.hidden, lv.hiding.revealable
    assert lv.hiding.block == 1 and lv.hiding.detail
    assert link(v, "ok-example").hiding is None


VISIBLE = [
    ("plain", "", X),
    ("later_rule_shows", ".x{display:none} .x{display:block}", f'<div class="x">{X}</div>'),
    ("specific_rule_shows", "#y{display:block} .x{display:none}", f'<div class="x" id="y">{X}</div>'),
    ("inline_shows", ".x{display:none}", f'<div class="x" style="display:block">{X}</div>'),
    ("hidden_attr_overridden", "", f'<div hidden style="display:block">{X}</div>'),
    ("visibility_restored", "", f'<div style="visibility:hidden"><span style="visibility:visible">{X}</span></div>'),
    ("font_restored", "ul{font-size:0} li{font-size:14px}", f"<ul><li>{X}</li></ul>"),
    ("media_print", "@media print { #m{display:none} }", f'<div id="m">{X}</div>'),
    ("print_sheet", '<style media="print">#m{display:none}</style>', f'<div id="m">{X}</div>'),
    ("image_replacement", ".logo{text-indent:-9999px;background:url(logo.png)}", '<a class="logo" href="http://www.spam-example.com/">logo</a>'),
    ("image_link_font_zero", ".f{font-size:0}", '<p class="f"><a href="http://www.spam-example.com/"><img src="b.png" alt="banner"></a></p>'),
    ("height0_no_overflow", "", f'<div style="height:0">{X}</div>'),
    ("small_offset", "", f'<div style="position:relative;left:-20px">{X}</div>'),
    ("different_colours", ".w{color:#333;background:#fff}", f'<div class="w">{X}</div>'),
    ("colour_on_image", ".w{color:#fff;background:url(bg.png) #fff}", f'<div class="w">{X}</div>'),
    ("unknown_selector", "div:has-weird(((x{display:none}", f"<div>{X}</div>"),
    ("pseudo_element_rule", ".x::before{display:none}", f'<div class="x">{X}</div>'),
]


@pytest.mark.parametrize(("style", "body"), [c[1:] for c in VISIBLE], ids=[c[0] for c in VISIBLE])
def test_visible_look_alikes(style: str, body: str) -> None:
    head = style if style.startswith("<style") else (f"<style>{style}</style>" if style else "")
    v = view(body, head)
    assert link(v, "spam-example").hiding is None


def test_reveal_heuristics_menus_tabs_hover_and_handlers() -> None:
    style = """<style>
      .nav li ul{display:none} .nav li:hover ul{display:block}
      .tab{display:none} .tab.on{display:block}
      #more{display:none}
      .drop{display:none}
    </style>"""
    body = """
      <ul class="nav"><li><a href="/a">机构</a><ul><li><a href="http://www.hover-example.com/">悬停</a></li></ul></li></ul>
      <div class="tab on"><a href="/t1">一</a></div><div class="tab"><a href="http://www.tab-example.com/">二</a></div>
      <div id="more"><a href="http://www.more-example.com/">更多</a></div>
      <a href="javascript:;" onclick="document.getElementById('more').style.display='block'">展开</a>
      <div class="menu" onmouseover="show(this)"><div class="drop"><a href="http://www.drop-example.com/">下拉</a></div></div>
    """
    v = view(body, style)
    for host, why in (("hover-example", "悬停"), ("tab-example", "面板"), ("more-example", "#more"), ("drop-example", "事件")):
        lv = link(v, host)
        assert lv.hiding is not None and lv.hiding.revealable, host
        assert why in lv.hiding.revealable
        assert not lv.hidden


def test_script_that_only_hides_does_not_make_a_block_revealable() -> None:
    body = '<div id="dl"><a href="http://www.spam-example.com/">x</a></div><script>document.getElementById("dl").style.display="none"</script>'
    lv = link(view(body), "spam-example")
    assert lv.hidden


def test_hidden_blocks_are_numbered_in_document_order() -> None:
    body = (
        '<ul class="nav"><li><ul style="display:none"><li><a href="/m">菜单</a></li></ul></li></ul>'
        f'<div style="display:none">{X}<a href="http://www.b-example.com/">b</a></div>'
        '<div style="position:absolute;left:-5000px"><a href="http://www.c-example.com/">c</a></div>'
    )
    v = view(body)
    assert link(v, "/m").hiding.block == 1  # type: ignore[union-attr]
    assert link(v, "spam-example").hiding.block == link(v, "b-example").hiding.block == 2  # type: ignore[union-attr]
    assert link(v, "c-example").hiding.block == 3  # type: ignore[union-attr]


def test_hidden_iframe_by_attributes() -> None:
    v = view('<iframe src="http://www.evil-example.com/x" width="0" height="0"></iframe><iframe src="/ok.html" width="600" height="400"></iframe>')
    assert link(v, "evil-example").hiding.how == "zero_size"  # type: ignore[union-attr]
    assert link(v, "ok.html").hiding is None


def test_outermost_hider_is_reported() -> None:
    v = view(f'<div id="o" style="display:none"><div style="opacity:0">{X}</div></div>')
    h = link(v, "spam-example").hiding
    assert h is not None and h.element == "div#o" and h.how == "display_none"


def test_interesting_predicate_skips_pages_without_candidates() -> None:
    from xuncha.extract.visibility import page_view

    html = '<html><body><div style="display:none"><a href="/x">x</a></div></body></html>'
    v = page_view(html, "https://www.example.gov.cn/", interesting=lambda u, t: "example.gov.cn" not in u)
    assert not v.visibility_checked and v.links[0].hiding is None
    v = page_view(html, "https://www.example.gov.cn/")
    assert v.visibility_checked and v.links[0].hiding is not None


def test_css_helpers() -> None:
    rules = parse_css("/* c */ a{color:red} @media print{b{display:none}} @font-face{src:url(x)} .a,.b{display:none !important}")
    assert [s for s, _ in rules] == ["a", ".a,.b"]
    assert rules[1][1][0].important
    assert [(d.prop, d.value) for d in parse_declarations("margin:1px 2px 3px -9000px; overflow:hidden; background:url(a;b.png) #FFF")] == [
        ("margin-top", "1px"), ("margin-left", "-9000px"), ("overflow-x", "hidden"), ("overflow-y", "hidden"),
        ("background-image", "url"), ("background-color", "#fff"),
    ]
    assert specificity("#a .b c") == (1, 1, 1) and specificity("ul li a:hover") == (0, 1, 3)
    assert px("-10em") == -160 and px("0") == 0 and px("auto") is None
    assert norm_color("#FFF") == norm_color("rgb(255, 255, 255)") == norm_color("white") == "#ffffff"
    assert norm_color("rgba(0,0,0,0)") == "transparent"


def test_rule_cap_keeps_hiding_rules() -> None:
    from xuncha.extract import visibility

    css = "".join(f".r{i}{{color:#123;width:{100 + i % 7}px}}" for i in range(visibility.MAX_RULES + 10))
    v = view(f'<div class="late">{X}</div>', f"<style>{css} .late{{display:none}}</style>")
    assert v.truncated
    assert link(v, "spam-example").hidden


def test_query_budget_bounds_hostile_pages(monkeypatch) -> None:
    import time

    from xuncha.extract import visibility

    monkeypatch.setattr(visibility, "QUERY_BUDGET", 2000)
    css = "".join(f".c{i} a{{display:{'none' if i % 2 else 'block'}}}" for i in range(400))
    body = "".join(f'<div class="c{i}"><a href="http://h{i}.example.com/">l{i}</a></div>' for i in range(400))
    t0 = time.perf_counter()
    v = view(body, f"<style>{css}</style>")
    assert time.perf_counter() - t0 < 2.0
    assert v.truncated
