"""The demo world's cast: which sites exist, how each is built, and what must be found on it.

Each :class:`DemoSite` is one registry row. ``knobs`` say how its pages are generated (CMS
style, dates, planted problems); ``expect`` lists the finding codes an inspection MUST report
for it; ``clean`` sites must get no finding of severity veto or deduct. All regions and units
are fictional (示例省 / 青山市 …, division code prefix 99); hosts exist only on loopback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xuncha.demo.content import Voice


@dataclass(frozen=True)
class Knobs:
    """How a site is generated, and which problems are planted in it."""

    nav: str = "ulnav"  # ulnav | menu | nav | table | daohang
    stale: frozenset[str] = frozenset()  # freshness classes made stale: news notice policy periodic data all
    legacy_days: int = 0  # everything at least this old (a site abandoned years ago)
    blank_columns: int = 0  # columns showing only 暂无信息 (W.VETO.BLANK_COLUMNS)
    explanatory_note: bool = False  # one column with a 无相关信息 note and its reason (not blank)
    broken_home_links: bool = False  # a dead link and a dead image on the home page
    broken_inner_links: int = 0  # dead links on inner pages
    bad_attachments: bool = False  # 表格下载: a missing .doc and a 0-byte .xls
    header_name: str = ""  # name shown in the header (when it differs from the real one)
    footer_missing: frozenset[str] = frozenset()  # icp psb conac code host contact sitemap
    footer_code: str = ""  # 网站标识码 as printed in the footer, when it differs
    zhaocuo: str = "a"  # a (plain link) | js (local script + onclick) | embed (official script) | none
    zhaocuo_code: str = ""  # site_code inside the 找错 entry, when it differs
    search: str = "ok"  # ok | none (no search box) | empty (search finds nothing)
    sitemap: bool = True
    consult: str = "ok"  # ok | overdue (unanswered > 3 months) | none (no consultation channel)
    guides: str = "ok"  # ok | veto (>= 5 guides lacking >= 4 elements) | partial (one lacks 2) | none
    guide_labels: str = "std"  # std | alt | alt2 (synonyms of indicators.md §6)
    meta: bool = True  # SiteName / SiteIDCode / ColumnName / ArticleTitle / PubDate meta tags
    short_dates: bool = False  # lists show [03-10]
    cn_dates: bool = False  # lists show 2025年3月10日
    small: bool = False  # a small site (about 40 pages)
    datastore: bool = False  # some lists inside <script type="text/xml"><datastore> (Hanweb jcms)
    # Content-Type charset parameter the server sends for HTML: "auto" (the file's charset),
    # "none" (text/html only, the page's <meta> decides) or "gbk-lists" (charset=GBK on home
    # and list pages, nothing on article pages, which carry only <meta charset=gb2312>)
    charset_header: str = "auto"
    # How an old (non-HTML5) page declares its charset: http-equiv (<meta http-equiv=
    # "Content-Type" content="text/html; charset=gb2312" />) or short (<meta charset="gb2312">)
    meta_charset: str = "http-equiv"
    # Content, security and privacy cases (xuncha.demo.plants). Problems: leader_typo, formulation,
    # outdated_title, typos, gambling_spam, fraud_ad, dark_links, cloak, pii, zip_bomb. Clean
    # look-alikes: political_ok, hidden_ok, typos_ok, gambling_ok, pii_ok.
    plants: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DemoSite:
    """One registry row of the demo world, with what it serves and what must be found."""

    id: str  # 网站标识码 (registry id)
    name: str  # the unit's site name as the site itself shows it
    host: str
    category: str  # 政府门户网站 / 部门网站 / 政务新媒体
    owner: str  # 主管单位 in the registry
    region: str  # 示例省/青山市/河西区
    voice: Voice | None = None
    registry_name: str = ""  # name in the registry when it differs from ``name``
    kind: str = "website"  # website / wechat / weibo / douyin / app
    status: str = "运行"  # 运行 / 关停 / 注销
    scheme: str = "http"  # http | https (https sites redirect http to https)
    ipv6: bool = True  # the resolve map lists ::1 for it
    style: str = "trs"  # trs | zwgk | catalog | dede | "" (nothing served)
    encoding: str = "utf-8"  # utf-8 | gbk
    serve: str = "site"  # site | 503 (always answers 503) | dead (port where nothing listens) | none
    no_service_function: bool = False  # registry column 无办事服务功能 = 是
    url: str = ""  # registry URL for targets that are not served here (new-media accounts)
    source: str = ""  # 采集地址 of a new-media account (feed / JSON / list page), "" = none
    inconclusive: bool = False  # collection must fail: checks inconclusive, never a veto
    note: str = ""  # what is special about a target that expects no finding code
    knobs: Knobs = field(default_factory=Knobs)
    clean: bool = False
    expect: tuple[str, ...] = ()
    may: tuple[str, ...] = ()  # likely as a consequence of the planted problems; informational
    planted: tuple[tuple[str, str], ...] = ()  # (code, 中文说明)
    skip_reason: str = ""  # why a pipeline must not inspect it

    @property
    def reg_name(self) -> str:
        return self.registry_name or self.name

    @property
    def is_portal(self) -> bool:
        return "门户" in self.category

    @property
    def is_account(self) -> bool:
        return self.kind != "website"

    @property
    def served(self) -> bool:
        return self.serve == "site" and bool(self.style)

    @property
    def canonical_url(self) -> str:
        """The URL as a registry would hold it on ports 80/443 (ports added at serve time)."""
        return self.url or f"{self.scheme}://{self.host}/"


GAMBLING_HOST = "www.xpj-casino-demo.com"  # fictional gambling site that dark links point to
# Neighbouring portals (fictional) that a clean portal's 友情链接 block links to.
FRIEND_PORTALS: dict[str, str] = {"www.yunling.gov.cn": "云岭市人民政府", "www.baihe.gov.cn": "白河县人民政府"}

STUB_HOSTS: tuple[str, ...] = (
    "bszs.conac.cn",  # 党政机关网站标识 certificate pages
    "dcs.conac.cn",  # badge image and script
    "beian.miit.gov.cn",  # ICP 备案
    "www.beian.gov.cn",  # 公安机关备案
    "zfwzgl.www.gov.cn",  # 我为政府网站找错
    "www.gov.cn",  # 中国政府网 (相关链接)
    "www.shili.gov.cn",  # 示例省人民政府 (相关链接)
    "zwfw.shili.gov.cn",  # 示例省政务服务网 (网上办事)
    *FRIEND_PORTALS,  # 友情链接 of the clean portal
    GAMBLING_HOST,  # serves a gambling page (target of planted dark links)
)

# Loopback hosts of the new-media sources (xuncha.demo.media): a WeChat-to-RSS / RSSHub-style
# feed service and a Weibo-like mobile JSON API (m.weibo.cn shapes). Served on HTTPS.
RSS_HOST = "rss.qingshan.gov.cn"
WEIBO_HOST = "m.weibo.demo"
MEDIA_HOSTS: tuple[str, ...] = (RSS_HOST, WEIBO_HOST)
_FEED = f"https://{RSS_HOST}/feeds"
_WB = f"https://{WEIBO_HOST}/api/container/getIndex?type=uid&value="
_MEDIA = "政务新媒体"
# Codes an account check may add as a side effect of how a source is collected (no menu or
# interaction data in a feed, no verification data): informational only.
_MEDIA_MAY = ("M.VETO.INTERACTION", "M.ID.UNVERIFIED", "M.UPDATE.SLOW")

# The new-media accounts (registry rows of kind wechat/weibo/douyin/app). What each serves is
# generated by xuncha.demo.media from its id; dates are relative to the as-of date.
ACCOUNTS: tuple[DemoSite, ...] = (
    DemoSite(
        id="gh_5c2e9a1f7b3d", name="青山发布", host=RSS_HOST, category=_MEDIA, owner="青山市人民政府新闻办公室",
        region="示例省/青山市", kind="wechat", style="", serve="none",
        url="https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=MzkwMDAwMDAwMQ==",
        source=f"{_FEED}/wechat/gh_5c2e9a1f7b3d.xml", clean=True, may=_MEDIA_MAY,
    ),
    DemoSite(
        id="gh_3b7d1e9c2a58", name="青山住建", host=RSS_HOST, category=_MEDIA, owner="青山市住房和城乡建设局",
        region="示例省/青山市", kind="wechat", style="", serve="none",
        url="https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=MzkwMDAwMDAwMg==",
        source=f"{_FEED}/wechat/gh_3b7d1e9c2a58.xml",
        expect=("M.VETO.STALE",), may=_MEDIA_MAY,
        planted=(("M.VETO.STALE", "最新一篇普通文章发布于监测时点前20天；1天前的一篇是置顶文章（<category>置顶</category>），不算更新"),),
    ),
    DemoSite(
        id="1990000001", name="青山发布", host=WEIBO_HOST, category=_MEDIA, owner="青山市人民政府新闻办公室",
        region="示例省/青山市", kind="weibo", style="", serve="none", url="https://weibo.com/u/1990000001",
        source=f"{_WB}1990000001", clean=True, may=_MEDIA_MAY,
    ),
    DemoSite(
        id="1990000002", name="平安青山", registry_name="青山市公安局", host=WEIBO_HOST, category=_MEDIA,
        owner="青山市公安局", region="示例省/青山市", kind="weibo", style="", serve="none",
        url="https://weibo.com/u/1990000002", source=f"{_WB}1990000002",
        expect=("M.REGISTRY.MISMATCH",), may=("M.REGISTRY.DUPLICATE", *_MEDIA_MAY),
        planted=(("M.REGISTRY.MISMATCH", "名录名称为「青山市公安局」，微博显示名称为「平安青山」（改名未报备）"),),
    ),
    DemoSite(
        id="1990000003", name="青山公安", host=WEIBO_HOST, category=_MEDIA, owner="青山市公安局",
        region="示例省/青山市", kind="weibo", style="", serve="none", url="https://weibo.com/u/1990000003",
        source=f"{_WB}1990000003",
        expect=("M.REGISTRY.DUPLICATE",), may=("M.REGISTRY.MISMATCH", *_MEDIA_MAY),
        planted=(("M.REGISTRY.DUPLICATE", "青山市公安局在微博平台开设了两个账号（「青山市公安局」和「青山公安」）"),),
    ),
    DemoSite(
        id="dy_qingshanwenlv", name="青山文旅", host=RSS_HOST, category=_MEDIA, owner="青山市文化广电旅游局",
        region="示例省/青山市", kind="douyin", style="", serve="none",
        url="https://www.douyin.com/user/MS4wLjABAAAAqingshanwenlv",
        source=f"{_FEED}/douyin/dy_qingshanwenlv.xml",
        expect=("M.VETO.SERIOUS_ERROR", "M.CONTENT.TYPO"), may=("M.CONTENT.SENSITIVE", *_MEDIA_MAY),
        planted=(
            ("M.VETO.SERIOUS_ERROR", "一条视频标题把「国务院总理李强」写成「国务院总理李墙」"),
            ("M.CONTENT.TYPO", "一条视频标题含错别字「按装」（应为「安装」）"),
        ),
    ),
    DemoSite(
        id="app_qingshantong", name="青山通", host="www.qingshan.gov.cn", category=_MEDIA, owner="青山市人民政府办公室",
        region="示例省/青山市", kind="app", style="", serve="none", url="https://www.qingshan.gov.cn/app/qst/",
        source="https://www.qingshan.gov.cn/app/qst/news/",
        expect=("M.REPOST.MISSING",), may=("M.TECH.IPV6", *_MEDIA_MAY),
        planted=(("M.REPOST.MISSING", "转载任务（repost_tasks.json）要求截止日期前转载国务院办公厅通知，客户端新闻列表中没有该信息"),),
    ),
    DemoSite(
        id="gh_8e2f4a6c1d90", name="河西发布", host=RSS_HOST, category=_MEDIA, owner="河西区人民政府办公室",
        region="示例省/青山市/河西区", kind="wechat", style="", serve="none",
        url="https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=MzkwMDAwMDAwMw==",
        source=f"{_FEED}/wechat/gh_8e2f4a6c1d90.xml", inconclusive=True, may=_MEDIA_MAY,
        note="采集地址返回登录页面（HTML）而不是订阅源：应判为无法判定（blocked），不能判否决",
    ),
    DemoSite(
        id="gh_6d4c2b8a0e17", name="东岭农业农村", host=RSS_HOST, category=_MEDIA, owner="东岭县农业农村局",
        region="示例省/青山市/东岭县", kind="wechat", style="", serve="none",
        url="https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=MzkwMDAwMDAwNA==",
        source=f"{_FEED}/wechat/gh_6d4c2b8a0e17.xml",
        expect=("M.VETO.STALE", "M.DORMANT"), may=_MEDIA_MAY,
        planted=(
            ("M.VETO.STALE", "最新一篇文章发布于监测时点前100天"),
            ("M.DORMANT", "超过90天没有发布任何内容（僵尸号）"),
        ),
    ),
    DemoSite(
        id="gh_1f9e7d5b3c64", name="鹿鸣发布", host="mp.weixin.qq.com", category=_MEDIA, owner="鹿鸣县人民政府办公室",
        region="示例省/青山市/鹿鸣县", kind="wechat", style="", serve="none",
        url="https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=MzkwMDAwMDAwNQ==",
        inconclusive=True, may=_MEDIA_MAY,
        note="名录没有采集地址（网址是无法直接采集的公众号主页）：应判为无法判定，不能判否决",
    ),
)


_QS = Voice(
    region="青山市", unit="青山市人民政府", short="青山", office="青山市人民政府办公室", doc_abbr="青政办发",
    leader_title="市长", places=("城东街道", "城西街道", "南岭街道", "北湖街道", "石桥镇", "枫林镇", "云台乡", "双溪镇"),
)

SITES: tuple[DemoSite, ...] = (
    DemoSite(
        id="9901000001", name="青山市人民政府", host="www.qingshan.gov.cn", category="政府门户网站",
        owner="青山市人民政府办公室", region="示例省/青山市", voice=_QS, scheme="https", style="trs",
        knobs=Knobs(nav="ulnav", zhaocuo="a", plants=frozenset({"political_ok", "hidden_ok"})), clean=True,
    ),
    DemoSite(
        id="9901000002", name="青山市发展和改革委员会", host="fgw.qingshan.gov.cn", category="部门网站",
        owner="青山市发展和改革委员会", region="示例省/青山市",
        voice=Voice(
            region="青山市", unit="青山市发展和改革委员会", short="市发展改革委", office="青山市发展和改革委员会",
            doc_abbr="青发改发", leader_title="主任",
            places=("城东街道", "石桥镇", "枫林镇", "市经济开发区", "高新区", "双溪镇"),
        ),
        scheme="https", style="zwgk", no_service_function=True,
        knobs=Knobs(nav="menu", zhaocuo="js", guides="none", plants=frozenset({"typos_ok"})), clean=True,
    ),
    DemoSite(
        id="9901020001", name="河西区人民政府", host="www.hexi.gov.cn", category="政府门户网站",
        owner="河西区人民政府办公室", region="示例省/青山市/河西区",
        voice=Voice(
            region="河西区", unit="河西区人民政府", short="河西", office="河西区人民政府办公室", doc_abbr="河政办发",
            leader_title="区长", places=("河西街道", "滨江街道", "望江街道", "柳园街道", "沙洲街道", "新港镇"),
        ),
        scheme="https", style="catalog",
        knobs=Knobs(nav="nav", zhaocuo="embed", guide_labels="alt", plants=frozenset({"gambling_ok", "pii_ok"})), clean=True,
    ),
    DemoSite(
        id="9901210001", name="东岭县人民政府", host="www.dongling.gov.cn", category="政府门户网站",
        owner="东岭县人民政府办公室", region="示例省/青山市/东岭县",
        voice=Voice(
            region="东岭县", unit="东岭县人民政府", short="东岭", office="东岭县人民政府办公室", doc_abbr="东政办发",
            leader_title="县长", places=("城关镇", "石门镇", "白沙乡", "龙潭镇", "青石乡", "桃岭乡", "马坪镇"),
        ),
        style="dede", encoding="gbk", ipv6=False,
        knobs=Knobs(
            nav="table", stale=frozenset({"news", "notice", "policy", "periodic", "data", "special"}),
            footer_missing=frozenset({"icp", "psb"}), zhaocuo="none", search="none", sitemap=False,
            consult="none", guides="none", meta=False, cn_dates=True, blank_columns=2, charset_header="gbk-lists",
            plants=frozenset({"zip_bomb"}),
        ),
        expect=(
            "W.VETO.HOME_STALE", "W.VETO.COLUMNS_STALE", "W.VETO.LONG_STALE", "W.VETO.INTERACTION",
            "W.ID.FOOTER", "W.ID.ZHAOCUO", "W.TECH.HTTPS", "W.TECH.IPV6", "W.SEARCH", "W.SITEMAP",
        ),
        may=("W.TECH.META", "W.PUB.NEWS_STALE", "W.PUB.POLICY_STALE", "W.PUB.PERIODIC_STALE", "W.PUB.OPEN_CATALOG",
             "W.INT.REPLY_STALE", "W.INT.STATS", "W.INT.SURVEY", "W.INT.INTERVIEW", "W.SVC.STATS", "W.PUB.SPECIAL",
             "W.VETO.SERVICE", "W.OPS.ANNUAL_REPORT", "W.PUB.DATA",
             # an attachment that cannot be read safely (zip bomb): inconclusive content/privacy findings
             "W.PRIVACY.LEAK", "W.VETO.SERIOUS_ERROR", "W.CONTENT.SENSITIVE", "W.CONTENT.TYPO", "W.ATTACHMENT"),
        planted=(
            ("W.VETO.HOME_STALE", "首页所有带日期的信息均早于监测时点前14天"),
            ("W.VETO.COLUMNS_STALE", "政务要闻、部门动态、乡镇动态、图片新闻、领导活动等动态类栏目超过14天未更新；通知公告、政策文件超过6个月未更新"),
            ("W.VETO.LONG_STALE", "动态类、通知公告、政策文件、人事信息、规划计划、财政预决算等10个以上应更新栏目长期未更新"),
            ("W.VETO.INTERACTION", "互动交流只有网上信访和纪检举报，没有政务咨询渠道"),
            ("W.ID.FOOTER", "页脚缺少ICP备案编号和公安机关备案号"),
            ("W.ID.ZHAOCUO", "县级政府门户网站首页没有「我为政府网站找错」入口"),
            ("W.TECH.HTTPS", "只提供 http 访问"),
            ("W.TECH.IPV6", "解析表中只有 IPv4 地址"),
            ("W.SEARCH", "首页没有站内搜索"),
            ("W.SITEMAP", "没有网站地图"),
        ),
    ),
    DemoSite(
        id="9901000003", name="青山市住房和城乡建设局", registry_name="青山市住房和城乡建设委员会",
        host="zjj.qingshan.gov.cn", category="部门网站", owner="青山市住房和城乡建设委员会", region="示例省/青山市",
        voice=Voice(
            region="青山市", unit="青山市住房和城乡建设局", short="市住房城乡建设局", office="青山市住房和城乡建设局",
            doc_abbr="青建发", leader_title="局长", places=("城东街道", "城西街道", "南岭街道", "北湖街道", "高新区"),
        ),
        style="zwgk",
        knobs=Knobs(nav="menu", zhaocuo="a", blank_columns=6, explanatory_note=True, bad_attachments=True, guides="veto",
                    plants=frozenset({"outdated_title", "pii"})),
        expect=("W.VETO.BLANK_COLUMNS", "W.ATTACHMENT", "W.VETO.SERVICE", "W.REGISTRY.MISMATCH", "W.TECH.HTTPS",
                "W.VETO.SERIOUS_ERROR", "W.PRIVACY.LEAK"),
        may=("W.ID.SITE_NAME", "W.ID.FOOTER", "W.LINK.BROKEN_OTHER", "W.VETO.LONG_STALE", "W.PUB.OPEN_CATALOG"),
        planted=(
            ("W.VETO.BLANK_COLUMNS", "行政许可、行政处罚、财政资金、重大建设项目、公共资源配置、社会公益事业6个栏目只有「暂无信息」；行政强制栏目有无信息说明，不应计为空白"),
            ("W.ATTACHMENT", "表格下载中一个 .doc 文件不存在（404），一个 .xls 文件为0字节"),
            ("W.VETO.SERVICE", "6个办事指南各缺少6类要素"),
            ("W.REGISTRY.MISMATCH", "名录名称为机构改革前的「青山市住房和城乡建设委员会」，网站已改名为「青山市住房和城乡建设局」"),
            ("W.TECH.HTTPS", "只提供 http 访问"),
            ("W.VETO.SERIOUS_ERROR", "监测时点前约30天的工作动态仍称「国务院总理李克强」（2023年3月11日后已不任该职）"),
            ("W.PRIVACY.LEAK", "公租房保障资格审核结果公示：正文、附件名单（xlsx）、审核表（docx）和公示名单（pdf）含未脱敏的身份证号和手机号"),
        ),
    ),
    DemoSite(
        id="9901220001", name="鹿鸣县人民政府", host="www.luming.gov.cn", category="政府门户网站",
        owner="鹿鸣县人民政府办公室", region="示例省/青山市/鹿鸣县",
        voice=Voice(
            region="鹿鸣县", unit="鹿鸣县人民政府", short="鹿鸣", office="鹿鸣县人民政府办公室", doc_abbr="鹿政办发",
            leader_title="县长", places=("鹿城镇", "鸣凤镇", "松林乡", "溪口镇", "黄坪乡", "上河镇"),
        ),
        style="catalog",
        knobs=Knobs(
            nav="daohang", header_name="鹿鸣在线", zhaocuo="a", zhaocuo_code="9901220002", broken_home_links=True,
            broken_inner_links=4, consult="overdue", guides="partial", short_dates=True, guide_labels="std",
            plants=frozenset({"leader_typo", "formulation", "typos", "cloak"}),
        ),
        expect=(
            "W.LINK.BROKEN_HOME", "W.LINK.BROKEN_OTHER", "W.ID.SITE_NAME", "W.ID.SITE_CODE",
            "W.VETO.INTERACTION", "W.SVC.GUIDE", "W.TECH.HTTPS",
            "W.VETO.SERIOUS_ERROR", "W.CONTENT.TYPO", "W.VETO.SECURITY",
        ),
        may=("W.REGISTRY.MISMATCH", "W.INT.REPLY_QUALITY"),
        planted=(
            ("W.LINK.BROKEN_HOME", "首页专题专栏链接指向已删除的页面（404），首页一张图片不存在"),
            ("W.LINK.BROKEN_OTHER", "内页「相关阅读」链接指向已删除的文章（404）"),
            ("W.ID.SITE_NAME", "头部标识区显示「鹿鸣在线」，不是规范名称「鹿鸣县人民政府」"),
            ("W.ID.SITE_CODE", "页脚网站标识码 9901220001 与找错入口 site_code=9901220002 不一致"),
            ("W.VETO.INTERACTION", "县长信箱一条留言超过3个月未回复，另一条回复用时超过3个月"),
            ("W.SVC.GUIDE", "一个办事指南缺少设定依据和办理时间"),
            ("W.TECH.HTTPS", "只提供 http 访问"),
            ("W.VETO.SERIOUS_ERROR", "政务要闻把「国务院总理李强」写成「国务院总理李墙」；另一篇把「习近平新时代中国特色社会主义思想」写成「…理论」"),
            ("W.CONTENT.TYPO", "乡镇动态一篇文章含「既使」「按装」「再接再励」「震憾」"),
            ("W.VETO.SECURITY", "首页对百度蜘蛛（Baiduspider）返回另一个版本：标题换成博彩词，并多出指向博彩网站的链接"),
        ),
    ),
    DemoSite(
        id="9901000004", name="青山市教育局", host="www.qingshan-edu.com.cn", category="部门网站",
        owner="青山市教育局", region="示例省/青山市",
        voice=Voice(
            region="青山市", unit="青山市教育局", short="市教育局", office="青山市教育局", doc_abbr="青教发",
            leader_title="局长", places=("市第一中学", "市实验小学", "城东小学", "南岭中学", "枫林镇中心校", "市职业技术学校"),
        ),
        style="trs",
        knobs=Knobs(nav="ulnav", zhaocuo="none", footer_code="990100000401", search="empty", guide_labels="alt2", datastore=True,
                    charset_header="none", plants=frozenset({"dark_links", "gambling_spam", "fraud_ad"})),
        expect=("W.ID.DOMAIN", "W.ID.SITE_CODE", "W.SEARCH", "W.TECH.HTTPS",
                "W.VETO.SECURITY", "W.VETO.SERIOUS_ERROR", "W.CONTENT.SENSITIVE"),
        may=("W.REGISTRY.MISMATCH",),
        planted=(
            ("W.ID.DOMAIN", "部门网站使用非 .gov.cn 域名 www.qingshan-edu.com.cn"),
            ("W.ID.SITE_CODE", "页脚网站标识码为12位「990100000401」，格式错误"),
            ("W.SEARCH", "站内搜索对任何关键词都返回0条结果"),
            ("W.TECH.HTTPS", "只提供 http 访问"),
            ("W.VETO.SECURITY", "首页被挂暗链：屏幕外定位的区块和 display:none 的样式类中有指向博彩网站的链接，另有 document.write(unescape(...)) 写出的转义链接"),
            ("W.VETO.SERIOUS_ERROR", "一篇旧的工作动态末尾被注入博彩广告（澳门新葡京、百家乐、真人视讯、注册送彩金）"),
            ("W.CONTENT.SENSITIVE", "另一篇旧的工作动态末尾被注入「代开发票」「办证刻章」广告"),
        ),
    ),
    DemoSite(
        id="9901000007", name="青山市旅游局", host="lyj.qingshan.gov.cn", category="部门网站",
        owner="青山市旅游局", region="示例省/青山市", status="关停",
        voice=Voice(
            region="青山市", unit="青山市旅游局", short="市旅游局", office="青山市旅游局", doc_abbr="青旅发",
            leader_title="局长", places=("云台山景区", "双溪古镇", "枫林湖景区", "北湖湿地公园", "石桥老街"),
        ),
        style="dede", encoding="gbk", ipv6=False,
        knobs=Knobs(
            nav="table", legacy_days=1900, footer_missing=frozenset({"psb", "conac"}), zhaocuo="none",
            search="ok", consult="ok", guides="ok", meta=False, small=True, charset_header="none",
            meta_charset="short",
        ),
        expect=("W.REGISTRY.MISMATCH",),
        planted=(("W.REGISTRY.MISMATCH", "名录状态为「关停」，网站仍可访问（机构改革后旧站未下线）"),),
        skip_reason="",
    ),
    DemoSite(
        id="9901000005", name="青山市统计局", host="tjj.qingshan.gov.cn", category="部门网站",
        owner="青山市统计局", region="示例省/青山市", serve="503", style="",
        expect=("W.VETO.UNREACHABLE",), may=("W.REGISTRY.MISMATCH",),
        planted=(("W.VETO.UNREACHABLE", "首页始终返回 503 Service Unavailable"),),
    ),
    DemoSite(
        id="9901000006", name="青山市人民防空办公室", host="rfb.qingshan.gov.cn", category="部门网站",
        owner="青山市人民防空办公室", region="示例省/青山市", serve="dead", style="",
        expect=("W.VETO.UNREACHABLE",), may=("W.REGISTRY.MISMATCH",),
        planted=(("W.VETO.UNREACHABLE", "名录网址的端口上没有服务在监听（连接被拒绝）"),),
    ),
    DemoSite(
        id="9901000008", name="青山市粮食局", host="lsj.qingshan.gov.cn", category="部门网站",
        owner="青山市粮食局", region="示例省/青山市", status="注销", serve="none", style="",
        skip_reason="名录状态为注销，不纳入检查",
    ),
    *ACCOUNTS,
)


def site_by_id(sid: str) -> DemoSite:
    for s in SITES:
        if s.id == sid:
            return s
    raise KeyError(sid)
