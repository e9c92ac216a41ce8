"""Security: dark links, hidden iframes, script-injected links, foreign redirects, cloaking,
injected titles, tampering against a baseline and classified-document marks (W.VETO.SECURITY).

Every detector yields a *candidate* (severity ``veto``, ``needs_confirmation=True``): the rule is
a single veto (安全、泄密事故等严重问题), and only an inspector who has looked at the page can
confirm it (indicators.md §1). Evidence names the page, the link text and host, and how the
link is hidden, so the inspector can find it in the page source.

Who counts as *foreign*: a host that is not the site itself (same registrable domain as the
home page or the registry URL), not under ``gov.cn`` and not in :data:`ALLOWED_DOMAINS`
(analytics, the 党政机关 badge, official media, platforms where government accounts live,
public CDNs). Hidden links to the site itself — skip links, CSS drop-down menus, tab panels —
are never findings; neither is a visible 友情链接 list.

The tampering baseline: :func:`key_page_fingerprint` summarises the home page and key pages
(title, outbound hosts, script hosts); the pipeline stores it per run and hands the previous
one to the check as ``ctx.baseline``. New foreign hosts / script hosts and changed titles are
candidates.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from xuncha.checks.base import CheckContext, check
from xuncha.extract.html import compact, parse
from xuncha.extract.scripts import ENCODING_ZH, OBFUSCATIONS, Redirect
from xuncha.extract.visibility import LinkView, PageView, page_view, url_host
from xuncha.model import Finding, Page, SiteSnapshot

CODE = "W.VETO.SECURITY"
SPAM_CATEGORIES = frozenset({"gambling", "porn", "drugs"})
CATEGORY_ZH = {
    "gambling": "赌博", "porn": "色情", "drugs": "毒品", "fraud": "诈骗", "violence": "暴力",
    "reactionary": "反动",
}
KEY_PAGES = 10  # home + navigation columns in the fingerprint
MAX_LINKS_SHOWN = 3  # links named in one evidence line
MAX_PAGES_NAMED = 10  # pages kept in detail for a repeated finding
LINK_TAGS = frozenset({"a", "area"})
FRAME_TAGS = frozenset({"iframe", "frame"})

# Registrable domains that are never "foreign" (suffix match). Extend per deployment.
ALLOWED_DOMAINS: frozenset[str] = frozenset(
    {
        # identity marks, filing, reporting centres
        "conac.cn", "12377.cn", "12321.cn", "cyberpolice.cn", "gov.cn", "govwza.cn",
        # visitor statistics and site platforms used by government CMSs
        "baidu.com", "bdstatic.com", "cnzz.com", "umeng.com", "51.la", "trs.cn", "trs.com.cn",
        "hanweb.com", "ucap.com.cn", "kaipuyun.cn",
        # official media
        "people.com.cn", "xinhuanet.com", "news.cn", "cctv.com", "cctv.cn", "cntv.cn", "china.com.cn",
        "gmw.cn", "chinadaily.com.cn", "youth.cn", "qstheory.cn", "wenming.cn", "ce.cn", "cnr.cn",
        "chinanews.com", "chinanews.com.cn", "81.cn", "cyol.com", "workercn.cn", "legaldaily.com.cn",
        # platforms that host government new-media accounts and public services
        "weibo.com", "weibo.cn", "sina.com.cn", "qq.com", "toutiao.com", "douyin.com", "kuaishou.com",
        "ixigua.com", "bilibili.com", "alipay.com", "amap.com",
        # public script CDNs
        "jquery.com", "bootcdn.net", "bootcss.com", "staticfile.org", "jsdelivr.net", "baomitu.com",
    }
)
ALLOWED_LABEL_PREFIXES = ("12345",)  # 12345 hotline platforms
GOV_SUFFIXES = (".gov.cn", ".xn--zfr164b")  # *.gov.cn and *.政务
_SECOND_LEVEL = frozenset(
    {f"{s}.cn" for s in ("gov", "com", "net", "org", "edu", "ac", "mil")}
    | {f"{p}.cn" for p in (
        "bj", "sh", "tj", "cq", "he", "sx", "nm", "ln", "jl", "hl", "js", "zj", "ah", "fj", "jx", "sd", "ha",
        "hb", "hn", "gd", "gx", "hi", "sc", "gz", "yn", "xz", "sn", "gs", "qh", "nx", "xj", "tw", "hk", "mo")}
    | {"com.hk", "org.hk", "gov.hk", "com.tw", "com.mo", "co.uk", "com.au", "co.jp"}
)
# Host words of gambling / porn sites (pinyin and English). Long ones match inside a label,
# short ones only as a whole run of letters ("bet" in bet365, not in alphabet).
SPAM_HOST_WORDS: dict[str, str] = {
    "casino": "gambling", "baccarat": "gambling", "bocai": "gambling", "duchang": "gambling",
    "xinpujing": "gambling", "pujing": "gambling", "weinisiren": "gambling", "taiyangcheng": "gambling",
    "liuhecai": "gambling", "betting": "gambling", "sbobet": "gambling",
    "pornhub": "porn", "xvideos": "porn", "porn": "porn",
}
SPAM_HOST_TOKENS: dict[str, str] = {
    "bet": "gambling", "xpj": "gambling", "amjs": "gambling", "vnsr": "gambling", "dubo": "gambling",
    "poker": "gambling", "yabo": "gambling", "sex": "porn", "xxx": "porn", "av": "porn",
}
_SECRET_MARK = re.compile(r"(绝密|机密|秘密)\s*★\s*(?:\d+\s*(?:年|个月|月|日|天))?")
_SPIDER_ZH = "以搜索引擎身份（Baiduspider，来源为百度搜索结果页）"


# --------------------------------------------------------------------------- lexicon
@dataclass(frozen=True)
class SpamHit:
    term: str
    category: str
    where: str = "text"  # text, host


def _load_lexicon() -> Callable[[str], list[SpamHit]]:
    """Gambling / porn / drug terms of veto severity from the shared lexicon (text.lexicon)."""
    from xuncha.text.lexicon import default_lexicon

    lexicon = default_lexicon()

    def find(text: str) -> list[SpamHit]:
        out: list[SpamHit] = []
        for m in lexicon.find(text):
            term = m.term
            if term.category in SPAM_CATEGORIES and term.severity == "veto":
                out.append(SpamHit(m.text or term.word, term.category))
        return out

    return find


# --------------------------------------------------------------------------- hosts
def registrable(host: str) -> str:
    """example.gov.cn for www.example.gov.cn, example.com for a.b.example.com; IPs as they are."""
    host = host.lower().rstrip(".")
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def is_gov(host: str) -> bool:
    h = host.lower().rstrip(".")
    return h == "gov.cn" or h.endswith(GOV_SUFFIXES)


def is_allowed(host: str) -> bool:
    h = host.lower().rstrip(".")
    if any(h == d or h.endswith("." + d) for d in ALLOWED_DOMAINS):
        return True
    return any(label.startswith(ALLOWED_LABEL_PREFIXES) for label in h.split("."))


def spam_host(host: str) -> list[SpamHit]:
    h = host.lower()
    out = [SpamHit(w, c, "host") for w, c in SPAM_HOST_WORDS.items() if w in h]
    tokens = set(re.findall(r"[a-z]+", h))
    out += [SpamHit(t, c, "host") for t, c in SPAM_HOST_TOKENS.items() if t in tokens]
    return out


class HostJudge:
    """Same site / government / allowed / foreign, for the hosts of one site."""

    def __init__(self, snapshot: SiteSnapshot) -> None:
        declared = {urlsplit(u).hostname or "" for u in (snapshot.home_url, snapshot.target.url)}
        home = snapshot.home
        if home is not None:
            declared.add(urlsplit(home.url).hostname or "")
        declared.discard("")
        self.declared = {registrable(h.lower()) for h in declared}  # from the registry / request
        hosts = set(declared)
        if home is not None and home.final_url:
            hosts.add(urlsplit(home.final_url).hostname or "")  # where the home page really lives
        hosts.discard("")
        self.hosts = {h.lower() for h in hosts}
        self.domains = {registrable(h) for h in self.hosts}
        self._site: dict[str, bool] = {}
        self._foreign: dict[str, bool] = {}

    def foreign_to_registry(self, host: str) -> bool:
        """Outside the registered site (its redirect target does not count as the site here)."""
        h = host.lower()
        return bool(h) and registrable(h) not in self.declared and not is_gov(h) and not is_allowed(h)

    def is_site(self, host: str) -> bool:
        got = self._site.get(host)
        if got is None:
            h = host.lower()
            got = self._site[host] = h in self.hosts or registrable(h) in self.domains
        return got

    def foreign(self, host: str) -> bool:
        got = self._foreign.get(host)
        if got is None:
            got = self._foreign[host] = bool(host) and not self.is_site(host) and not is_gov(host) and not is_allowed(host)
        return got


# --------------------------------------------------------------------------- scanning
@dataclass
class PageScan:
    page: Page
    view: PageView


@dataclass
class SiteScan:
    """Every HTML page of the snapshot rendered once, shared by the detectors."""

    judge: HostJudge
    spam: Callable[[str], list[SpamHit]]
    scripts: dict[str, str]
    pages: list[PageScan] = field(default_factory=list)
    _text_hits: dict[str, list[SpamHit]] = field(default_factory=dict)
    _host_hits: dict[str, list[SpamHit]] = field(default_factory=dict)

    def text_spam(self, text: str) -> list[SpamHit]:
        hit = self._text_hits.get(text)
        if hit is None:
            hit = self._text_hits[text] = self.spam(text) if text else []
        return hit

    def host_spam(self, host: str) -> list[SpamHit]:
        """Spam words in a host outside the site and outside gov.cn."""
        hit = self._host_hits.get(host)
        if hit is None:
            outside = host and not self.judge.is_site(host) and not is_gov(host) and not is_allowed(host)
            hit = self._host_hits[host] = spam_host(host) if outside else []
        return hit

    def link_spam(self, lv: LinkView) -> list[SpamHit]:
        return self.text_spam(lv.text) + self.host_spam(lv.host)

    def interesting(self, url: str, text: str) -> bool:
        host = url_host(url)
        return self.judge.foreign(host) or bool(self.text_spam(text)) or bool(self.host_spam(host))

    def view(self, page: Page, interesting: bool = True) -> PageView:
        return page_view(
            page.html, page.final_url or page.url, self.scripts,
            interesting=self.interesting if interesting else (lambda _u, _t: False),
        )


def _scripts_of(snapshot: SiteSnapshot) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in snapshot.pages:
        if p.role == "script" and p.html:
            for u in (p.url, p.final_url):
                if u:
                    out[u] = p.html
    return out


def _html_pages(snapshot: SiteSnapshot) -> list[Page]:
    return [p for p in snapshot.pages if p.role != "script" and p.html and p.error is None and "<" in p.html]


def scan_site(snapshot: SiteSnapshot, spam: Callable[[str], list[SpamHit]] | None = None) -> SiteScan:
    scan = SiteScan(HostJudge(snapshot), spam or _load_lexicon(), _scripts_of(snapshot))
    for p in _html_pages(snapshot):
        scan.pages.append(PageScan(p, scan.view(p)))
    return scan


# --------------------------------------------------------------------------- evidence helpers
class _Labels:
    def __init__(self, ctx: CheckContext) -> None:
        snap = ctx.snapshot
        self.home = {snap.home_url}
        if snap.home is not None:
            self.home |= {snap.home.url, snap.home.final_url}
        self.home.discard("")
        site = getattr(ctx, "site", None)
        self.columns = {c.url: c.name for c in (site.columns if site is not None else [])}

    def __call__(self, url: str) -> str:
        if url in self.home:
            return "首页"
        name = self.columns.get(url)
        return f"栏目「{name}」页面（{url}）" if name else f"页面 {url}"


def _link_zh(lv: LinkView) -> str:
    text = lv.text.strip()[:40]
    return f"「{text}」→ {lv.host}" if text else f"{lv.url}"


def _hits_zh(hits: list[SpamHit]) -> str:
    seen: dict[str, SpamHit] = {}
    for h in hits:
        seen.setdefault(h.term, h)
    parts = [
        f"{CATEGORY_ZH.get(h.category, h.category)}{'域名' if h.where == 'host' else ''}词「{h.term}」"
        for h in list(seen.values())[:3]
    ]
    return "命中" + "、".join(parts) if parts else ""


def _enc_zh(encodings: tuple[str, ...] | list[str]) -> str:
    names = [ENCODING_ZH[e] for e in encodings if e in ENCODING_ZH and e != "concat"]
    return "、".join(names)


def _written_zh(lv: LinkView) -> str:
    if lv.write is None:
        return ""
    enc = _enc_zh(lv.write.encodings)
    return f"由脚本（{lv.write.sink}）写入" + (f"，经{enc}" if enc else "")


def _hits_detail(hits: list[SpamHit]) -> list[dict[str, str]]:
    return [{"term": h.term, "category": h.category, "where": h.where} for h in hits[:5]]


def _link_detail(lv: LinkView, hits: list[SpamHit] | None = None) -> dict[str, object]:
    d: dict[str, object] = {"url": lv.url, "host": lv.host, "text": lv.text, "tag": lv.tag}
    if lv.hiding is not None:
        d["hidden"] = lv.hiding.how
    if lv.write is not None:
        d["script"] = lv.write.sink
        d["encodings"] = list(lv.write.encodings)
    if hits:
        d["matches"] = _hits_detail(hits)
    return d


@dataclass
class _Candidate:
    """A finding waiting for deduplication across pages (templates repeat injected blocks)."""

    key: tuple[object, ...]
    url: str
    evidence: str
    detail: dict[str, object]
    pages: list[str] = field(default_factory=list)


class _Collector:
    def __init__(self) -> None:
        self.items: dict[tuple[object, ...], _Candidate] = {}

    def add(self, key: tuple[object, ...], url: str, evidence: str, **detail: object) -> None:
        got = self.items.get(key)
        if got is None:
            self.items[key] = _Candidate(key, url, evidence, dict(detail), [url])
        elif url not in got.pages:
            got.pages.append(url)

    def findings(self, ctx: CheckContext) -> Iterator[Finding]:
        for c in self.items.values():
            evidence = c.evidence
            if len(c.pages) > 1:
                evidence += f"；另有 {len(c.pages) - 1} 个页面存在相同问题"
            yield ctx.finding(
                CODE, "veto", c.url, evidence, needs_confirmation=True,
                **c.detail, pages=c.pages[:MAX_PAGES_NAMED], page_count=len(c.pages),
            )


# --------------------------------------------------------------------------- detectors
def _links(scan: SiteScan, label: _Labels, out: _Collector) -> None:
    """Dark links, spam links, hidden iframes and obfuscated script-written links/scripts."""
    for ps in scan.pages:
        view, where = ps.view, label(ps.page.url)
        blocks: dict[int, list[tuple[LinkView, list[SpamHit]]]] = {}
        for lv in view.links:
            hits = scan.link_spam(lv)
            foreign = scan.judge.foreign(lv.host)
            if lv.tag in LINK_TAGS:
                if lv.hidden and (foreign or hits):
                    blocks.setdefault(lv.hiding.block if lv.hiding else 0, []).append((lv, hits))
                elif hits:
                    how = f"（{lv.hiding.describe}，{lv.hiding.revealable}）" if lv.hiding else ""
                    written = _written_zh(lv)
                    out.add(
                        ("spam_link", lv.url), ps.page.url,
                        f"{where}链接{_link_zh(lv)}{how}，{_hits_zh(hits)}" + (f"，{written}" if written else ""),
                        kind="spam_link", page=ps.page.url, links=[_link_detail(lv, hits)],
                    )
                elif foreign and lv.write is not None and lv.write.obfuscated:
                    out.add(
                        ("script_link", lv.url), ps.page.url,
                        f"{where}{_written_zh(lv)}的外链{_link_zh(lv)}",
                        kind="script_link", page=ps.page.url, links=[_link_detail(lv)],
                    )
            elif lv.tag in FRAME_TAGS:
                if (lv.hidden and foreign) or hits:
                    how = f"（{lv.hiding.describe}）" if lv.hiding else ""
                    kind = "hidden_iframe" if lv.hidden else "spam_iframe"
                    written = _written_zh(lv)
                    out.add(
                        (kind, lv.url), ps.page.url,
                        f"{where}{'隐藏的 ' if lv.hidden else ''}{lv.tag}{how}加载外部网址 {lv.url}"
                        + (f"，{_hits_zh(hits)}" if hits else "") + (f"，{written}" if written else ""),
                        kind=kind, page=ps.page.url, links=[_link_detail(lv, hits)],
                    )
                elif foreign and lv.write is not None and lv.write.obfuscated:
                    out.add(
                        ("script_link", lv.url), ps.page.url,
                        f"{where}{_written_zh(lv)}的外部 {lv.tag}：{lv.url}",
                        kind="script_link", page=ps.page.url, links=[_link_detail(lv)],
                    )
            elif lv.tag == "script" and lv.write is not None and ((foreign and lv.write.obfuscated) or hits):
                out.add(
                    ("script_src", lv.host), ps.page.url,
                    f"{where}{_written_zh(lv)}的外部脚本 {lv.url}" + (f"，{_hits_zh(hits)}" if hits else ""),
                    kind="script_src", page=ps.page.url, links=[_link_detail(lv, hits)],
                )
        if view.rendered is not None:
            for url, enc in view.rendered.script_srcs:
                host = (urlsplit(url).hostname or "").lower()
                hits = scan.host_spam(host)
                if (scan.judge.foreign(host) and set(enc) & OBFUSCATIONS) or hits:
                    enc_zh = _enc_zh(enc)
                    out.add(
                        ("script_src", host), ps.page.url,
                        f"{where}脚本动态加载外部脚本 {url}" + (f"（地址经{enc_zh}）" if enc_zh else "")
                        + (f"，{_hits_zh(hits)}" if hits else ""),
                        kind="script_src", page=ps.page.url, links=[{"url": url, "host": host, "encodings": list(enc)}],
                    )
        for block, items in blocks.items():
            first = items[0][0]
            hiding = first.hiding
            if hiding is None:
                continue
            shown = "、".join(_link_zh(lv) for lv, _ in items[:MAX_LINKS_SHOWN])
            more = f" 等 {len(items)} 个" if len(items) > MAX_LINKS_SHOWN else ""
            hits = [h for _, hs in items for h in hs]
            written = _written_zh(first)
            what = "外链" if all(scan.judge.foreign(lv.host) for lv, _ in items) else "链接"
            ev = (
                f"{where}第{block}个隐藏区块（{hiding.describe}）内含{what}{shown}{more}"
                + (f"，{_hits_zh(hits)}" if hits else "")
                + (f"，{written}" if written else "")
            )
            out.add(
                ("dark_link", tuple(sorted(lv.url for lv, _ in items))), ps.page.url, ev,
                kind="dark_link", page=ps.page.url, how=hiding.how, hiding=hiding.detail,
                element=hiding.element, block=block, link_count=len(items),
                links=[_link_detail(lv, hs) for lv, hs in items[:20]],
            )


_REDIRECT_ZH = {"meta_refresh": "<meta refresh> 自动跳转", "script": "脚本跳转", "onload": "页面加载脚本跳转"}


def _redirect_zh(r: Redirect) -> str:
    parts = [f"{_REDIRECT_ZH.get(r.kind, r.kind)}至外部网站 {r.url}"]
    if r.conditional:
        what = {"referrer": "来访来源（Referer）", "user_agent": "浏览器标识（User-Agent）"}
        conds = "和".join(what.get(c, c) for c in r.conditional.split("+"))
        parts.append(f"脚本先判断{conds}再跳转，疑似只对搜索引擎或搜索来访者生效的跳转劫持")
    elif r.spider_words:
        parts.append("脚本中出现搜索引擎特征词")
    enc = _enc_zh(r.encodings)
    if enc:
        parts.append(f"跳转地址经{enc}")
    if r.delay_s:
        parts.append(f"延时 {r.delay_s:g} 秒")
    return "，".join(parts)


def _redirects(scan: SiteScan, snapshot: SiteSnapshot, label: _Labels, out: _Collector) -> None:
    for ps in scan.pages:
        for r in ps.view.redirects:
            hits = scan.host_spam(r.host)
            if not scan.judge.foreign(r.host) and not hits:
                continue
            out.add(
                ("redirect", r.host), ps.page.url,
                f"{label(ps.page.url)}含{_redirect_zh(r)}" + (f"，{_hits_zh(hits)}" if hits else ""),
                kind="redirect", page=ps.page.url, redirect=r.kind, target=r.url, host=r.host,
                conditional=r.conditional, encodings=list(r.encodings), snippet=r.snippet[:200],
            )
    home = snapshot.home
    if home is not None and home.redirects and home.final_url:
        host = (urlsplit(home.final_url).hostname or "").lower()
        if scan.judge.foreign_to_registry(host):
            out.add(
                ("redirect", host), home.url,
                f"首页访问被服务器重定向至外部网站 {home.final_url}（经 {len(home.redirects)} 次跳转）",
                kind="redirect", page=home.url, redirect="http", target=home.final_url, host=host,
                chain=list(home.redirects),
            )


def _meta_fields(view: PageView) -> list[tuple[str, str]]:
    meta = {k.lower(): v for k, v in view.meta.items()}
    out = [("标题", view.title)]
    out += [("关键词（keywords）", meta.get("keywords", "")), ("描述（description）", meta.get("description", ""))]
    out += [("脚本设置的标题", t) for t in view.script_titles]
    return [(name, text) for name, text in out if text]


def _injected_meta(scan: SiteScan, label: _Labels, out: _Collector) -> None:
    for ps in scan.pages:
        view = ps.view
        for name, text in _meta_fields(view):
            hits = scan.text_spam(text)
            if not hits:
                continue
            note = ""
            if name == "标题" and view.script_titles and compact(view.script_titles[-1]) != compact(text):
                note = f"（页面脚本随后把标题改为「{view.script_titles[-1][:40]}」，访客看不到被篡改的标题）"
            out.add(
                ("meta", name, text), ps.page.url,
                f"{label(ps.page.url)}的{name}{_hits_zh(hits)}：「{text[:80]}」{note}",
                kind="injected_meta", page=ps.page.url, field=name, text=text[:300], matches=_hits_detail(hits),
            )


def _outbound(view: PageView, judge: HostJudge) -> dict[str, LinkView]:
    hosts: dict[str, LinkView] = {}
    for lv in view.links:
        if lv.tag in LINK_TAGS | FRAME_TAGS and lv.host and not judge.is_site(lv.host):
            hosts.setdefault(lv.host, lv)
    return hosts


def _cloaking(scan: SiteScan, snapshot: SiteSnapshot, label: _Labels, out: _Collector) -> None:
    by_url = {ps.page.url: ps for ps in scan.pages}
    for ps in scan.pages:
        if ps.page.final_url:
            by_url.setdefault(ps.page.final_url, ps)
    for cp in snapshot.cloaked:
        orig = by_url.get(cp.referrer) or by_url.get(cp.url)
        if orig is None or not cp.ok or not cp.html:
            continue
        where = label(orig.page.url)
        diffs: list[str] = []
        detail: dict[str, object] = {"kind": "cloaking", "page": orig.page.url, "cloaked_url": cp.final_url or cp.url}
        o_host = (urlsplit(orig.page.final_url or orig.page.url).hostname or "").lower()
        c_host = (urlsplit(cp.final_url or cp.url).hostname or "").lower()
        if c_host and c_host != o_host and (scan.judge.foreign(c_host) or scan.host_spam(c_host)):
            diffs.append(f"被重定向至外部网站 {cp.final_url}")
            detail["redirect"] = cp.final_url
        cview = scan.view(cp)
        o_title, c_title = orig.view.title, cview.title
        if compact(o_title) != compact(c_title) and c_title:
            hits = scan.text_spam(c_title)
            diffs.append(f"标题为「{c_title[:60]}」（正常访问为「{o_title[:60]}」）" + (f"，{_hits_zh(hits)}" if hits else ""))
            detail.update(title=c_title, normal_title=o_title)
        o_links = _outbound(orig.view, scan.judge)
        c_links = _outbound(cview, scan.judge)
        extra = [lv for h, lv in c_links.items() if h not in o_links and (scan.judge.foreign(h) or scan.link_spam(lv))]
        if extra:
            hits = [h for lv in extra for h in scan.link_spam(lv)]
            shown = "、".join(_link_zh(lv) for lv in extra[:MAX_LINKS_SHOWN])
            more = f" 等 {len(extra)} 个" if len(extra) > MAX_LINKS_SHOWN else ""
            diffs.append(f"多出外链{shown}{more}" + (f"，{_hits_zh(hits)}" if hits else ""))
            detail["links"] = [_link_detail(lv, scan.link_spam(lv)) for lv in extra[:20]]
        o_red = {r.host for r in orig.view.redirects}
        for r in cview.redirects:
            if r.host not in o_red and scan.judge.foreign(r.host):
                diffs.append(f"含{_redirect_zh(r)}")
                detail.setdefault("redirects", []).append(r.url)  # type: ignore[union-attr]
        if diffs:
            out.add(
                ("cloaking", orig.page.url), orig.page.url,
                f"{_SPIDER_ZH}访问{where}时内容与正常访问不同：" + "；".join(diffs),
                **detail,
            )


def _secret_marks(scan: SiteScan, snapshot: SiteSnapshot, label: _Labels, out: _Collector) -> None:
    """Documents with 密级 marks (秘密★/机密★/绝密★) published on pages or in attachments."""
    for ps in scan.pages:
        if "★" not in ps.page.html:
            continue
        body = parse(ps.page.html).body
        text = body.text(separator=" ") if body is not None else ""
        m = _SECRET_MARK.search(text)
        if m:
            out.add(
                ("secret", ps.page.url), ps.page.url,
                f"{label(ps.page.url)}出现密级标志「{m.group(0).strip()}」，疑似公开了涉密文件",
                kind="secret_mark", page=ps.page.url, mark=m.group(0).strip(),
            )
    for att in snapshot.attachments:
        for seg in att.segments:
            m = _SECRET_MARK.search(seg.text)
            if m:
                name = att.link_text or att.url.rsplit("/", 1)[-1]
                out.add(
                    ("secret", att.url), att.url,
                    f"附件「{name}」（{att.url}）{seg.location}出现密级标志「{m.group(0).strip()}」，疑似公开了涉密文件；"
                    f"所在页面：{label(att.source_url) if att.source_url else '未知'}",
                    kind="secret_mark", page=att.source_url, attachment=att.url, mark=m.group(0).strip(),
                    location=seg.location,
                )
                break


# --------------------------------------------------------------------------- baseline
def _key_pages(snapshot: SiteSnapshot, limit: int = KEY_PAGES) -> list[Page]:
    pages = _html_pages(snapshot)
    home = snapshot.home
    out = [p for p in pages if p is home][:1]
    out += [p for p in pages if p.role == "column" and p is not home][: max(0, limit - len(out))]
    return out


def _fingerprint(snapshot: SiteSnapshot, views: dict[str, PageView], judge: HostJudge) -> dict[str, object]:
    pages: dict[str, dict[str, object]] = {}
    for p in _key_pages(snapshot):
        view = views.get(p.url)
        if view is None:
            continue
        hosts = sorted(_outbound(view, judge))
        scripts = {lv.host for lv in view.links if lv.tag == "script" and lv.host and not judge.is_site(lv.host)}
        if view.rendered is not None:
            scripts |= {(urlsplit(u).hostname or "").lower() for u, _ in view.rendered.script_srcs}
        scripts = {h for h in scripts if h and not judge.is_site(h)}
        pages[p.url] = {"title": view.title, "hosts": hosts, "script_hosts": sorted(scripts)}
    home = snapshot.home
    return {
        "version": 1,
        "home_url": snapshot.home_url,
        "taken_at": snapshot.started_at.isoformat() if snapshot.started_at else "",
        "title": pages.get(home.url, {}).get("title", "") if home is not None else "",
        "outbound_hosts": sorted({h for v in pages.values() for h in v["hosts"]}),  # type: ignore[attr-defined]
        "script_hosts": sorted({h for v in pages.values() for h in v["script_hosts"]}),  # type: ignore[attr-defined]
        "pages": pages,
    }


def key_page_fingerprint(snapshot: SiteSnapshot) -> dict[str, object]:
    """JSON-ready summary of the home page and key pages for the tampering baseline.

    ``{"version": 1, "home_url", "taken_at", "title", "outbound_hosts", "script_hosts",
    "pages": {url: {"title", "hosts", "script_hosts"}}}`` — hosts are those outside the site
    (government and allowed hosts included, so a later change of the allow list still diffs
    correctly); script output is rendered, so script-written links count.
    """
    judge = HostJudge(snapshot)
    scan = SiteScan(judge, lambda _t: [], _scripts_of(snapshot))
    views = {p.url: scan.view(p, interesting=False) for p in _key_pages(snapshot)}
    return _fingerprint(snapshot, views, judge)


def _tampering(scan: SiteScan, snapshot: SiteSnapshot, baseline: object, label: _Labels, out: _Collector) -> None:
    if not isinstance(baseline, dict) or baseline.get("version") != 1:
        return
    old_pages = baseline.get("pages")
    if not isinstance(old_pages, dict):
        return
    views = {ps.page.url: ps.view for ps in scan.pages}
    cur = _fingerprint(snapshot, views, scan.judge)
    when = str(baseline.get("taken_at") or "")[:10]
    since = f"与上次巡查（{when}）相比，" if when else "与上次巡查相比，"
    old_hosts = set(baseline.get("outbound_hosts") or [])
    old_scripts = set(baseline.get("script_hosts") or [])
    new_hosts: dict[str, tuple[str, LinkView | None]] = {}
    new_scripts: dict[str, str] = {}
    for url, page in cur["pages"].items():  # type: ignore[attr-defined]
        old = old_pages.get(url)
        if not isinstance(old, dict):
            continue
        old_title, title = str(old.get("title") or ""), str(page["title"])
        if compact(old_title) != compact(title):
            hits = scan.text_spam(title)
            out.add(
                ("title_change", url), url,
                f"{since}{label(url)}标题由「{old_title[:60]}」变为「{title[:60]}」，疑似被篡改"
                + (f"，{_hits_zh(hits)}" if hits else ""),
                kind="title_change", page=url, title=title, old_title=old_title, baseline_at=when,
            )
        for h in page["hosts"]:
            if h not in old_hosts and h not in set(old.get("hosts") or []) and (scan.judge.foreign(h) or scan.host_spam(h)):
                new_hosts.setdefault(h, (url, _outbound(views[url], scan.judge).get(h)))
        for h in page["script_hosts"]:
            if h not in old_scripts and h not in set(old.get("script_hosts") or []) and scan.judge.foreign(h):
                new_scripts.setdefault(h, url)
    if new_hosts:
        first_url = next(iter(new_hosts.values()))[0]
        shown = "、".join(
            (f"{h}（「{lv.text[:30]}」，{label(u)}）" if lv is not None and lv.text else f"{h}（{label(u)}）")
            for h, (u, lv) in list(new_hosts.items())[:5]
        )
        more = f" 等 {len(new_hosts)} 个" if len(new_hosts) > 5 else ""
        out.add(
            ("new_hosts",), first_url,
            f"{since}首页及重点页面新增外部域名 {shown}{more}，疑似被篡改植入链接",
            kind="new_hosts", page=first_url, hosts=sorted(new_hosts), baseline_at=when,
        )
    if new_scripts:
        first_url = next(iter(new_scripts.values()))
        shown = "、".join(f"{h}（{label(u)}）" for h, u in list(new_scripts.items())[:5])
        out.add(
            ("new_script_hosts",), first_url,
            f"{since}页面新增外部脚本来源 {shown}，疑似被植入恶意脚本（挂马）",
            kind="new_script_hosts", page=first_url, hosts=sorted(new_scripts), baseline_at=when,
        )


# --------------------------------------------------------------------------- the check
@check(
    CODE,
    title="安全、泄密事故（暗链、篡改、挂马）",
    family="security",
    indicator="国办秘函〔2019〕19号 单项否决：安全、泄密事故等严重问题（泄露国家秘密；挂马、篡改、暗链等安全攻击未及时处置）",
)
def security_incidents(ctx: CheckContext) -> Iterator[Finding]:
    """W.VETO.SECURITY — 暗链、挂马、篡改、跳转劫持、涉密标志（候选，需人工确认）.

    What: on every crawled page (script output rendered: document.write / innerHTML strings,
    including unescape, \\xXX/\\uXXXX, base64 and String.fromCharCode encodings and eval packers):
    (1) dark links — links hidden from visitors (display:none, visibility, opacity, off-screen,
    zero size, clip, zero font, text-indent, same colour, marquee, noscript, script-hidden,
    including wrappers written by scripts) that point to a foreign host or carry
    gambling/porn/drug words; drop-down menus, tab panels and hover-revealed blocks are visitor
    UI and count only when the link itself is spam; hidden links to the site itself never count;
    (2) visible links whose text or host is gambling/porn/drugs; (3) hidden iframes loading a
    foreign page; (4) foreign links/iframes/scripts written by *obfuscated* scripts; (5)
    meta-refresh, script, onload and HTTP redirects to foreign hosts (noting referrer/UA
    conditions); (6) cloaking: key pages fetched as Baiduspider from a Baidu result page show
    another title, extra foreign links or a foreign redirect; (7) spam words in <title>,
    keywords, description; (8) tampering against the previous run's fingerprint
    (``ctx.baseline``): changed titles, new foreign outbound or script hosts on key pages;
    (9) 密级 marks (秘密★/机密★/绝密★) on pages or in attachments. Foreign = not the site, not
    gov.cn, not in ALLOWED_DOMAINS. Findings repeated by a template are reported once, with the
    number of pages. All are candidates: they veto only after an inspector confirms them.
    Why: 国办秘函〔2019〕19号 单项否决「安全、泄密事故等严重问题」: 泄露国家秘密 and 遭受安全攻击
    （挂马、篡改）未及时有效处置 (indicators.md §1 W.VETO.SECURITY; linking to pornographic
    content is item 3, reported here when the link itself is the carrier).
    Example: ``<div style="display:none"><a href="http://www.xpj.com/">澳门新葡京</a></div>`` on the
    home page ⇒ candidate "首页第1个隐藏区块（style="display:none"）内含外链「澳门新葡京」→ www.xpj.com，
    命中赌博词「澳门新葡京」、赌博域名词「xpj」".
    """
    snapshot = ctx.snapshot
    if snapshot.home is None or not snapshot.home.html:
        return
    scan = scan_site(snapshot)
    label = _Labels(ctx)
    out = _Collector()
    _links(scan, label, out)
    _redirects(scan, snapshot, label, out)
    _injected_meta(scan, label, out)
    _cloaking(scan, snapshot, label, out)
    _tampering(scan, snapshot, getattr(ctx, "baseline", None), label, out)
    _secret_marks(scan, snapshot, label, out)
    yield from out.findings(ctx)
    cut = [ps.page.url for ps in scan.pages if ps.view.truncated]
    if cut:
        yield ctx.finding(
            CODE, "inconclusive", cut[0],
            f"{len(cut)} 个页面的样式规则或元素过多，隐藏链接只检查了一部分，无法完全判断是否有暗链；"
            f"示例：{'、'.join(label(u) for u in cut[:3])}",
            reason="visibility_truncated", pages=cut[:MAX_PAGES_NAMED], page_count=len(cut),
        )
