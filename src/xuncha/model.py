"""Plain data shared by every room of the house.

Nothing here imports other xuncha modules. The flow is one-way:

    Target (registry) -> Page / LinkCheck / Probe / NetCheck (collect, the *snapshot*)
    -> SiteStructure with Column / Item / FooterMarks / ... (extract, recomputed from pages)
    -> Finding (checks) -> verdicts and reports.

A snapshot holds only what was fetched; everything structural is re-extracted from the stored
page bodies, so a run can be re-judged (other as-of date, other thresholds) without fetching.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Severity = Literal["veto", "deduct", "advisory", "inconclusive"]
SEVERITIES: tuple[str, ...] = ("veto", "deduct", "advisory", "inconclusive")

TargetKind = Literal[
    "website", "wechat", "weibo", "douyin", "toutiao", "app", "miniprogram", "other"
]
TARGET_KINDS: tuple[str, ...] = (
    "website", "wechat", "weibo", "douyin", "toutiao", "app", "miniprogram", "other",
)

# Normalised lifecycle status of a registry entry. Only "running" targets are inspected.
TargetStatus = Literal["running", "building", "suspended", "closed", "cancelled"]

# Where on a page a link sits (头部标识区 / 导航 / 中间内容区 / 底部功能区).
Position = Literal["header", "nav", "body", "footer"]

# Column classes of indicators.md §5.
COLUMN_CLASSES: tuple[str, ...] = (
    "NEWS", "NOTICE", "POLICY", "PERIODIC", "INTERPRET", "DATA", "OVERVIEW", "OPEN_CATALOG",
    "CONSULT", "SURVEY", "INTERVIEW", "EXCLUDE", "SERVICE", "SPECIAL", "OTHER",
)


# --------------------------------------------------------------------------- registry
@dataclass
class Target:
    """One registered website or new-media account (a row of the registry)."""

    id: str  # 网站标识码 / 账号ID
    kind: str  # one of TARGET_KINDS
    name: str
    url: str
    owner: str = ""  # 主管单位
    region: str = ""  # 地区, e.g. "四川省/成都市/武侯区"
    category: str = ""  # 类别: 政府门户网站 / 部门网站 / ...
    status: str = "running"  # normalised TargetStatus
    status_raw: str = ""  # as written in the registry (运行 / 关停 / ...)
    flags: frozenset[str] = frozenset()  # e.g. {"no_service_function"}
    extra: dict[str, str] = field(default_factory=dict)  # unknown columns, kept verbatim
    source: str = ""  # "file.xlsx:12" (row in the registry file)

    @property
    def is_portal(self) -> bool:
        return "门户" in self.category or "portal" in self.category.lower()

    @property
    def is_website(self) -> bool:
        return self.kind == "website"


# --------------------------------------------------------------------------- snapshot
@dataclass
class Page:
    """One fetched URL of a site (HTML or not), as the crawler saw it.

    ``html`` is the decoded text for HTML pages ("" otherwise). ``error`` is a short machine
    token when no usable response came back: timeout, dns, connect, tls, redirect_loop,
    too_many_redirects, too_large, robots, decode, bad_url, other. ``blocked`` is set when the
    server answered but refused us in a way that says nothing about the page (waf, rate_limited,
    forbidden): such pages are *inconclusive*, never broken.
    """

    url: str
    final_url: str = ""
    status: int | None = None
    content_type: str = ""
    encoding: str = ""
    html: str = ""
    body_hash: str = ""
    size: int = 0
    truncated: bool = False
    elapsed_ms: float = 0.0
    fetched_at: datetime | None = None
    error: str | None = None
    blocked: str | None = None
    redirects: list[str] = field(default_factory=list)
    depth: int = 0
    referrer: str = ""
    role: str = "other"  # home, column, pagination, detail, sitemap, search, other
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased subset kept

    @property
    def ok(self) -> bool:
        return self.error is None and self.blocked is None and self.status is not None and self.status < 400

    @property
    def is_html(self) -> bool:
        return bool(self.html)


@dataclass
class LinkCheck:
    """The result of checking one link target (internal non-crawled or external).

    ``broken`` is True only when we are sure: HTTP status >= 400 (other than 401/403/429 and
    WAF pages), DNS failure, refused connection, timeout after retries, redirect loop.
    ``inconclusive`` carries the reason when we cannot tell (403, 429, WAF challenge, robots).
    """

    url: str
    final_url: str = ""
    status: int | None = None
    error: str | None = None
    inconclusive: str | None = None
    content_type: str = ""
    size: int | None = None
    method: str = "HEAD"
    checked_at: datetime | None = None
    elapsed_ms: float = 0.0

    @property
    def broken(self) -> bool:
        if self.inconclusive:
            return False
        if self.error:
            return True
        return self.status is not None and self.status >= 400


@dataclass
class Probe:
    """One availability probe of a target's home URL (W.VETO.UNREACHABLE, W.AVAIL.HOME)."""

    target_id: str
    url: str
    at: datetime
    ok: bool
    status: int | None = None
    elapsed_ms: float = 0.0
    error: str | None = None


@dataclass
class NetCheck:
    """Network-level facts: IPv6 (W.TECH.IPV6) and HTTPS (W.TECH.HTTPS)."""

    host: str
    aaaa: list[str] = field(default_factory=list)
    ipv6_error: str | None = None  # "no_aaaa", "connect", "timeout", "status_503", ...
    ipv6_status: int | None = None
    ipv6_title_same: bool | None = None  # IPv4 and IPv6 home pages carry the same <title>
    https_ok: bool | None = None  # home reachable over https
    https_error: str | None = None
    cert_not_after: datetime | None = None
    http_redirects_to_https: bool | None = None


@dataclass
class SearchAttempt:
    """W.SEARCH: the collector submitted a known title to the site search."""

    query: str = ""
    url: str = ""  # the result-page URL requested
    status: int | None = None
    found: bool | None = None  # query text (or its item link) present on the result page
    error: str | None = None


@dataclass
class TextSegment:
    """A piece of text with where it came from, so evidence can point at it.

    ``location`` is human-readable Chinese: "正文", "标题", "工作表「名单」B7", "第3页", "第12段".
    """

    location: str
    text: str


@dataclass
class Attachment:
    """A downloaded attachment (pdf, doc(x), xls(x), csv, wps/et ...) and its extracted text.

    Only the text segments are kept (with their locations), not the file: enough to re-judge
    privacy and content checks without fetching. ``error`` says why the text could not be read
    (too_large, zip_bomb, encrypted, unsupported, corrupt, timeout, http_404 ...): such an
    attachment is *inconclusive* for the content checks.
    """

    url: str
    source_url: str = ""  # the page that links it
    link_text: str = ""
    status: int | None = None
    content_type: str = ""
    kind: str = ""  # pdf, docx, doc, xlsx, xls, csv, wps, et, txt, image, other
    size: int = 0
    body_hash: str = ""
    segments: list[TextSegment] = field(default_factory=list)
    error: str | None = None
    truncated: bool = False  # only part of the text was extracted (limits)
    fetched_at: datetime | None = None


@dataclass
class SiteSnapshot:
    """Everything fetched for one website in one run. Checks read only this (via extraction)."""

    target: Target
    home_url: str
    started_at: datetime
    finished_at: datetime | None = None
    pages: list[Page] = field(default_factory=list)  # crawl order; pages[0] is the home page
    link_checks: dict[str, LinkCheck] = field(default_factory=dict)
    probes: list[Probe] = field(default_factory=list)
    net: NetCheck | None = None
    search: SearchAttempt | None = None
    robots_txt: str | None = None
    robots_ignored: bool = False
    budget_exhausted: bool = False
    notes: list[str] = field(default_factory=list)  # trap guards fired, limits hit (Chinese)
    attachments: list[Attachment] = field(default_factory=list)
    # Key pages fetched a second time as a search-engine spider with a search-engine Referer
    # (W.VETO.SECURITY cloaking); Page.referrer holds the URL of the normal fetch they mirror.
    cloaked: list[Page] = field(default_factory=list)

    def page(self, url: str) -> Page | None:
        for p in self.pages:
            if p.url == url or p.final_url == url:
                return p
        return None

    @property
    def home(self) -> Page | None:
        return self.pages[0] if self.pages else None


# --------------------------------------------------------------------------- structure
@dataclass
class LinkRef:
    """A link found on a page: <a href>, <img src>, <script src>, <link href>, <iframe src>."""

    source_url: str
    url: str  # absolute, fragment removed
    text: str = ""
    position: str = "body"  # Position
    tag: str = "a"
    is_attachment: bool = False  # .pdf .doc(x) .xls(x) .zip .wps .et .rar ...


@dataclass
class Item:
    """A dated (or undated) content item on a list page or the home page."""

    title: str
    url: str
    date: date | None = None
    date_source: str = ""  # list, detail, meta, url
    raw_date: str = ""


@dataclass
class Column:
    """A column (栏目) discovered from navigation / site map, classified per indicators.md §5."""

    name: str
    url: str
    cls: str = "OTHER"
    cls_rule: str = ""  # e.g. "name:要闻", "override", "url:tzgg"
    confidence: float = 0.0
    level: int = 1  # 1 = first-level (一级栏目)
    parent_url: str | None = None
    reachable: bool = True
    status: int | None = None
    items: list[Item] = field(default_factory=list)
    pages_seen: int = 0  # list pages read (pagination)
    blank: bool = False  # reachable, no item ever, no explanatory note
    no_info_note: bool = False  # explicit "本栏目无相关信息/无" note: NOT blank
    declared_cycle: str | None = None  # "month", "quarter", "year" when the page declares one
    in_special: bool = False  # under a 专题 / 专栏

    @property
    def newest(self) -> date | None:
        dates = [i.date for i in self.items if i.date]
        return max(dates) if dates else None


@dataclass
class ConacBadge:
    url: str
    site_id: str = ""  # the 32-hex id


@dataclass
class FooterMarks:
    """Identity marks in the footer (indicators.md §4.2). Empty string / None = not found."""

    conac: ConacBadge | None = None
    site_code: str = ""  # 网站标识码 value as printed
    icp_text: str = ""
    icp_link: str = ""  # href of the ICP text's link (beian.miit.gov.cn expected)
    psb_text: str = ""  # 公安机关备案号 as printed
    psb_code: str = ""  # its 14 digits
    psb_link: str = ""
    psb_nonstandard: bool = False  # legacy local form (郑公备：...)
    host_unit: str = ""  # 主办单位
    organizer_unit: str = ""  # 承办单位
    contact: str = ""  # phone / e-mail / address text
    sitemap_url: str = ""
    footer_text: str = ""  # whole footer text (for evidence)


@dataclass
class ZhaocuoEntry:
    """我为政府网站找错 entry (indicators.md §4.3)."""

    url: str = ""
    site_code: str = ""
    via_script: bool = False  # built in JavaScript on click
    legacy_host: bool = False  # http://121.43.68.40/exposure/...


@dataclass
class Message:
    """One row of a message board (留言)."""

    title: str
    url: str = ""
    ask_date: date | None = None
    reply_date: date | None = None
    replied: bool = False
    ask_date_guessed: bool = False  # no explicit ask date, earliest date shown used
    reply_known: bool = True  # False: neither the row nor a crawled detail shows reply status/date


@dataclass
class MessageBoard:
    name: str
    url: str
    cls: str = "CONSULT"  # CONSULT, SURVEY, INTERVIEW, EXCLUDE
    messages: list[Message] = field(default_factory=list)
    reachable: bool = True


@dataclass
class ServiceGuide:
    """One 办事指南 and which of the 10 key element categories (§6) it carries."""

    title: str
    url: str
    present: frozenset[str] = frozenset()  # category names from GUIDE_CATEGORIES
    link_out: bool = False
    reachable: bool = True

    @property
    def missing(self) -> list[str]:
        return [c for c in GUIDE_CATEGORIES if c not in self.present]


GUIDE_CATEGORIES: tuple[str, ...] = (
    "事项名称", "设定依据", "申请条件", "办理材料", "办理地点",
    "办理机构", "收费标准", "办理时间", "联系电话", "办理流程",
)


@dataclass
class SearchForm:
    action: str  # absolute URL
    method: str = "get"
    param: str = "q"  # name of the text input
    hidden: dict[str, str] = field(default_factory=dict)


@dataclass
class PageText:
    """The readable text of one page or attachment, for content, privacy and wording checks."""

    url: str
    source: str = "page"  # page | attachment
    segments: list[TextSegment] = field(default_factory=list)
    date: date | None = None  # the page's own publish date, when known (dated rules use it)
    title: str = ""
    source_url: str = ""  # for attachments: the page linking it
    error: str | None = None  # attachment text could not be read (inconclusive)


@dataclass
class SiteStructure:
    """What extraction made of a snapshot. Recomputed on every (re)judgement."""

    home_url: str
    home_items: list[Item] = field(default_factory=list)
    home_is_navigation_only: bool = False
    columns: list[Column] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)  # every link of every crawled HTML page
    footer: FooterMarks = field(default_factory=FooterMarks)
    zhaocuo: list[ZhaocuoEntry] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # home page <meta name=...> (SiteName, ...)
    title: str = ""  # home <title>
    header_text: str = ""  # text of the header identification area
    boards: list[MessageBoard] = field(default_factory=list)
    guides: list[ServiceGuide] = field(default_factory=list)
    service_entry_urls: list[str] = field(default_factory=list)  # 办事服务 / 政务服务网 entries
    search_form: SearchForm | None = None
    sitemap_url: str = ""
    texts: list[PageText] = field(default_factory=list)  # every crawled page and attachment


# --------------------------------------------------------------------------- new media
@dataclass
class Post:
    """One post of a new-media account (WeChat article, Weibo post, Douyin video, app news item)."""

    url: str
    title: str = ""
    text: str = ""
    published_at: datetime | None = None  # aware (Asia/Shanghai); None when the source gives none
    kind: str = "original"  # original | repost
    pinned: bool = False  # pinned old posts do not count as updates (indicators.md §3.1)
    deleted: bool = False
    comments_enabled: bool | None = None  # None = unknown
    comment_count: int | None = None
    links: list[str] = field(default_factory=list)  # links in the post (menus, mini programs)


@dataclass
class AccountState:
    """What the source says about the account itself."""

    display_name: str = ""
    verified: bool | None = None
    verified_subject: str = ""  # 认证主体
    avatar_url: str = ""
    status: str = ""  # active, closed, banned, not_found ("" = unknown)
    followers: int | None = None
    # interaction paths seen: comments, messages, menu, auto_reply, feedback -> True/False/None
    interaction: dict[str, bool | None] = field(default_factory=dict)
    menu: list[tuple[str, str]] = field(default_factory=list)  # (text, url) of menu entries


@dataclass
class AccountSnapshot:
    """Everything collected for one account. ``documents`` keeps the raw fetched feed/JSON/HTML
    (or the imported file's rows) so that a run can be re-parsed and re-judged offline.

    ``health`` says whether the data can be trusted: ok, empty, stale_source, blocked,
    parse_error, unreachable, no_source, manual. Anything but ok/manual/empty makes the
    account checks *inconclusive*, never a veto (no data → no false veto).
    """

    target: Target
    source: str  # the adapter's source URL or file
    adapter: str  # rss, atom, weibo_json, html_list, file, manual
    fetched_at: datetime
    health: str = "ok"
    health_detail: str = ""  # Chinese, for reports
    state: AccountState = field(default_factory=AccountState)
    posts: list[Post] = field(default_factory=list)
    documents: list[Page] = field(default_factory=list)


# --------------------------------------------------------------------------- judgement
@dataclass
class Finding:
    """One problem (or inconclusive observation) about one target, under one code.

    ``evidence`` is short human-readable Chinese. ``detail`` carries machine-readable facts
    (counts, sub-reasons such as {"mark": "icp"}) for scoring and reports.
    """

    target_id: str
    code: str
    severity: str  # Severity
    url: str
    evidence: str
    detected_at: datetime
    detail: dict[str, object] = field(default_factory=dict)
    needs_confirmation: bool = False

    @property
    def key(self) -> str:
        """Stable identity of the problem across runs and judgements (reviews and the
        false-positive allow-list hang on it): target, code, URL and what was found."""
        what = self.detail.get("found") or self.detail.get("masked") or self.detail.get("column") or self.evidence
        raw = "\x1f".join((self.target_id, self.code, self.url, str(what)))
        return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]

    @property
    def is_warning(self) -> bool:
        """An early warning below a veto line (advisory, detail["warning"])."""
        return self.severity == "advisory" and bool(self.detail.get("warning"))

    def to_dict(self) -> dict[str, object]:
        return {
            "target_id": self.target_id,
            "code": self.code,
            "severity": self.severity,
            "url": self.url,
            "evidence": self.evidence,
            "detected_at": self.detected_at.isoformat(),
            "detail": self.detail,
            "needs_confirmation": self.needs_confirmation,
            "key": self.key,
        }


@dataclass
class TargetResult:
    """Per-target outcome of a run: what was inspected and what was found."""

    target: Target
    inspected: bool = True
    skipped_reason: str = ""  # 非运行状态 / 非网站 / ...
    pages_crawled: int = 0
    findings: list[Finding] = field(default_factory=list)
    inconclusive_reasons: list[str] = field(default_factory=list)
    # new-media accounts: collection health and the newest post seen
    health: str = ""
    health_detail: str = ""
    latest_post: datetime | None = None

    @property
    def veto_codes(self) -> list[str]:
        """Codes that veto the target now. Candidates that need an inspector's confirmation
        (serious errors, security) are *pending* until confirmed, not vetoes."""
        return sorted({f.code for f in self.findings if f.severity == "veto" and not f.needs_confirmation})

    @property
    def pending_codes(self) -> list[str]:
        """Veto candidates awaiting an inspector's confirmation (indicators.md §1)."""
        return sorted({f.code for f in self.findings if f.severity == "veto" and f.needs_confirmation})


# --------------------------------------------------------------------------- review, scoring
ReviewState = Literal["pending", "confirmed", "false_positive", "doubtful"]
REVIEW_STATES: tuple[str, ...] = ("pending", "confirmed", "false_positive", "doubtful")
REVIEW_LABELS = {"pending": "待审核", "confirmed": "确认", "false_positive": "误报", "doubtful": "存疑"}


@dataclass
class Review:
    """An inspector's decision on one finding (by ``Finding.key``). ``false_positive`` also
    keeps the finding away in later runs of the same target (per-site allow-list);
    ``serious`` marks a confirmed privacy leak as 严重 (veto under rule sets that say so)."""

    target_id: str
    finding_key: str
    code: str
    state: str = "pending"  # ReviewState
    serious: bool = False
    reason: str = ""
    reviewer: str = ""
    at: datetime | None = None
    run_id: int | None = None


@dataclass
class Deduction:
    """Points lost under one code: ``instances`` findings at ``per_instance`` each, capped."""

    code: str
    title: str
    group: str  # 发布解读 / 办事服务 / 互动交流 / 功能设计 (or a provincial group)
    points: float  # after the per-code cap, before group caps
    instances: int
    per_instance: float
    unconfirmed: bool  # the value is [U] in the spec: printed as 待核实
    findings: list[Finding] = field(default_factory=list)
    scored: bool = True  # False: recorded, but the part is judged by vetoes only (new media, national-2019)


VerdictLabel = Literal["合格", "不合格", "待确认", "未检查"]


@dataclass
class Verdict:
    """One target scored under a rule set (scoring/engine.py)."""

    target: Target
    ruleset: str
    verdict: str  # VerdictLabel
    inspected: bool = True
    skipped_reason: str = ""
    grade: str = ""  # 良好 / 合格 / 不合格 / "" (veto-only and unscored)
    score: float | None = None  # final score (deduction part + bonus); None: vetoed or veto-only
    deduction_score: float | None = None  # deduction part, after 4/3 scaling
    bonus: float = 0.0
    veto_codes: list[str] = field(default_factory=list)  # confirmed / automatic vetoes
    pending_codes: list[str] = field(default_factory=list)  # veto candidates awaiting review
    deductions: list[Deduction] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)  # counted veto + deduct findings
    pending: list[Finding] = field(default_factory=list)  # candidates awaiting confirmation
    warnings: list[Finding] = field(default_factory=list)  # early warnings
    inconclusive: list[Finding] = field(default_factory=list)  # need manual confirmation
    advisories: list[Finding] = field(default_factory=list)
    dismissed: list[Finding] = field(default_factory=list)  # reviewed as 误报
    health_index: int = 100  # 0-100
    notes: list[str] = field(default_factory=list)  # e.g. 无办事服务功能，扣分部分按 4/3 折算

    @property
    def failed(self) -> bool:
        return self.verdict == "不合格"

    @property
    def passed(self) -> bool:
        return self.verdict == "合格"
