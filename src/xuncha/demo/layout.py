"""The abstract site tree of one demo site: sections, columns, articles, boards, guides.

Built from a :class:`~xuncha.demo.sites.DemoSite` with a seeded RNG and the as-of date; every
date is computed relative to as-of. Renderers (``xuncha.demo.render``) turn the tree into the
files of one CMS style. Planted problems that concern content (stale columns, blank columns,
overdue letters, incomplete guides, bad attachments) are applied here; presentation problems
(footer marks, 找错, search box, broken links) are applied by the renderer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from xuncha.demo import assets, content
from xuncha.demo.content import TextGen, cn_date, spread_dates
from xuncha.demo.sites import DemoSite

# Freshness profiles: (newest age range in days, gap range between items in days).
FRESH: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "news": ((1, 4), (1, 5)),
    "notice": ((3, 20), (5, 25)),
    "policy": ((6, 40), (15, 45)),
    "periodic": ((20, 150), (40, 120)),
    "data": ((8, 25), (30, 31)),
    "svcstats": ((5, 25), (30, 31)),
    "survey": ((10, 45), (40, 90)),
    "interview": ((20, 110), (60, 140)),
    "special": ((2, 12), (4, 15)),
    "forms": ((30, 200), (20, 90)),
    "static": ((60, 300), (60, 200)),
}
STALE: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "news": ((35, 110), (3, 12)),
    "notice": ((200, 260), (20, 60)),
    "policy": ((220, 330), (30, 80)),
    "periodic": ((400, 720), (60, 200)),
    "data": ((380, 420), (30, 31)),
    "special": ((300, 500), (10, 40)),
}


@dataclass
class Attachment:
    name: str  # file name as shown
    path: str = ""  # site path, assigned by the renderer
    data: bytes | None = b""  # None: the file is missing (link gives 404)
    ext: str = ".pdf"


@dataclass
class Article:
    aid: int
    title: str
    when: datetime
    body: list[str]
    column: Column
    source: str = ""
    docno: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    related: list[tuple[str, str]] = field(default_factory=list)  # (text, site path or URL)
    related_articles: list[Article] = field(default_factory=list)  # policy <-> interpretation
    image: str = ""  # site path of a picture (图片新闻)
    path: str = ""
    extra: dict[str, str] = field(default_factory=dict)  # survey period, interview guests ...

    @property
    def day(self) -> date:
        return self.when.date()


@dataclass
class Message:
    mid: int
    title: str
    asker: str
    ask: datetime
    question: str
    reply: datetime | None = None
    answer: str = ""
    unit: str = ""
    path: str = ""

    @property
    def replied(self) -> bool:
        return self.reply is not None


@dataclass
class Guide:
    gid: int
    title: str
    fields: list[tuple[str, str]]  # (label, value) in page order
    updated: date
    forms: list[Attachment] = field(default_factory=list)
    path: str = ""


@dataclass
class Column:
    key: str  # pinyin abbreviation, used in paths
    name: str
    fresh: str  # freshness profile key, "" for no update rule
    kind: str = "list"  # list | single | board | guides | forms | link
    section: Section | None = None
    articles: list[Article] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    guides: list[Guide] = field(default_factory=list)
    forms: list[tuple[Attachment, date]] = field(default_factory=list)
    page_size: int = 15
    blank: bool = False  # planted: only 暂无信息
    note: str = ""  # explanatory no-information note (not blank)
    cycle: str = ""  # declared cycle text shown on the page (本栏目按月更新)
    single: list[str] = field(default_factory=list)  # paragraphs of a single-page column
    single_html: str = ""  # rich single-page content (leaders, tables)
    href: str = ""  # kind == link: where it points
    cid: int = 0  # numeric column id (TRS col1234, dede typeid)
    path: str = ""  # index page path, assigned by the renderer
    listing: str = "list"  # list | table | datastore
    special: bool = False
    updated: date | None = None  # date shown on a single-page column

    @property
    def newest(self) -> date | None:
        dates = [a.day for a in self.articles]
        return max(dates) if dates else None


@dataclass
class Section:
    key: str
    name: str
    columns: list[Column] = field(default_factory=list)
    path: str = ""
    cid: int = 0


@dataclass
class Plant:
    """One planted case (or its clean look-alike), for manifest.json facts.

    ``code`` is the finding code the case must produce on a problem site, or must NOT produce
    (``lookalike``) on a clean one. The page is ``article.path``, ``attachment.path`` or ``path``.
    """

    code: str
    what: str  # 中文说明
    article: Article | None = None
    attachment: Attachment | None = None
    path: str = ""  # render-level plants (home page, spider page)
    lookalike: bool = False
    detail: dict[str, str] = field(default_factory=dict)  # the planted values (found / suggestion ...)

    def where(self) -> str:
        if self.attachment is not None:
            return self.attachment.path
        if self.article is not None:
            return self.article.path
        return self.path

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"code": self.code, "what": self.what, "path": self.where()}
        if self.article is not None and self.attachment is not None:
            out["page"] = self.article.path
        if self.detail:
            out["detail"] = dict(self.detail)
        return out


@dataclass
class SiteTree:
    site: DemoSite
    as_of: date
    gen: TextGen
    rng: random.Random
    sections: list[Section] = field(default_factory=list)
    specials: list[Column] = field(default_factory=list)
    leaders: list[tuple[str, str, str]] = field(default_factory=list)  # (name, title, duties)
    annual_report: Article | None = None  # 政府网站工作年度报表 linked from the home page
    nav_links: list[tuple[str, str]] = field(default_factory=list)  # nav items leading off-site
    files: dict[str, bytes] = field(default_factory=dict)  # extra binary files (images, attachments)
    plants: list[Plant] = field(default_factory=list)  # content/security/privacy cases (plants.py)

    @property
    def columns(self) -> list[Column]:
        return [c for s in self.sections for c in s.columns] + self.specials

    def column(self, key: str) -> Column | None:
        for c in self.columns:
            if c.key == key:
                return c
        return None

    def articles(self) -> list[Article]:
        return [a for c in self.columns for a in c.articles]


GUIDE_LABELS: dict[str, tuple[str, ...]] = {
    "std": ("事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理机构", "收费标准", "办理时间", "联系电话", "办理流程"),
    "alt": ("事项名称", "法定依据", "受理条件", "申请材料", "受理地点", "实施主体", "是否收费", "受理时间", "咨询电话", "办理流程"),
    "alt2": ("事项名称", "实施依据", "办理条件", "所需材料", "办公地址", "办理部门", "收费情况", "办公时间", "咨询方式", "办事流程"),
}

PORTAL_GUIDES = (
    "城乡居民最低生活保障申请", "临时救助申请", "残疾人两项补贴申请", "个体工商户设立登记",
    "公共场所卫生许可", "食品经营许可", "户外广告设施设置审批", "城乡居民基本养老保险参保登记",
)
DEPT_GUIDES = {
    "zjj": ("建筑工程施工许可证核发", "商品房预售许可", "建筑业企业资质核准", "房屋建筑工程竣工验收备案",
            "城镇燃气经营许可", "物业服务企业备案"),
    "edu": ("教师资格认定", "民办学校设立审批", "适龄儿童入学登记", "学历证明书办理", "教师资格证书补发换发",
            "校外培训机构设立审批"),
    "lyj": ("旅行社设立许可", "导游证核发"),
}


def _at(d: date, rng: random.Random) -> datetime:
    return datetime.combine(d, time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59)))


class TreeBuilder:
    """Builds the :class:`SiteTree` of one site (all content decisions live here)."""

    def __init__(self, site: DemoSite, as_of: date, seed: int) -> None:
        assert site.voice is not None
        self.site = site
        self.k = site.knobs
        self.as_of = as_of
        self.rng = random.Random(f"{seed}:{site.host}")
        self.gen = TextGen(self.rng, site.voice)
        self.v = site.voice
        self._aid = 1000 + self.rng.randint(100, 900) * 10
        self._cid = 100 + self.rng.randint(10, 80) * 10
        self.tree = SiteTree(site, as_of, self.gen, self.rng)

    # ------------------------------------------------------------------ ids and dates
    def next_aid(self) -> int:
        self._aid += self.rng.randint(1, 37)
        return self._aid

    def next_cid(self) -> int:
        self._cid += self.rng.randint(1, 9)
        return self._cid

    def dates(self, fresh: str, count: int) -> list[date]:
        """Item dates of a column under its freshness profile (stale when planted)."""
        k = self.k
        if k.legacy_days:
            (lo, hi), gap = FRESH.get(fresh, FRESH["static"])
            newest = self.as_of - timedelta(days=k.legacy_days + self.rng.randint(lo, hi))
            return spread_dates(self.rng, newest, count, (max(gap[0], 5), max(gap[1], 20)))
        prof = STALE[fresh] if (fresh in k.stale or "all" in k.stale) and fresh in STALE else FRESH[fresh]
        (lo, hi), gap = prof
        newest = self.as_of - timedelta(days=self.rng.randint(lo, hi))
        return spread_dates(self.rng, newest, count, gap)

    def at(self, d: date) -> datetime:
        return _at(d, self.rng)

    def last_report_year(self) -> int:
        """Year of the newest annual report (due by 31 January of the next year)."""
        last = self.as_of.year - 1 if self.as_of >= date(self.as_of.year, 1, 21) else self.as_of.year - 2
        if self.k.legacy_days:
            last = (self.as_of - timedelta(days=self.k.legacy_days)).year - 1
        elif self.k.stale:
            last -= 1  # an abandoned site skipped last year's reports
        return last

    # ------------------------------------------------------------------ columns
    def column(self, key: str, name: str, fresh: str, kind: str = "list", **kw: object) -> Column:
        col = Column(key=key, name=name, fresh=fresh, kind=kind, cid=self.next_cid(), **kw)  # type: ignore[arg-type]
        return col

    def add_articles(self, col: Column, count: int, make: str) -> None:
        for d in self.dates(col.fresh, count):
            self._article(col, d, make)
        col.articles.sort(key=lambda a: a.when, reverse=True)

    def _article(self, col: Column, d: date, make: str) -> Article:
        g, v = self.gen, self.v
        when = self.at(d)
        if make == "news":
            title = g.news_title(d)
            art = Article(self.next_aid(), title, when, g.news_body(title, d), col, source=v.unit if self.rng.random() < 0.6 else v.office)
        elif make == "notice":
            title = g.notice_title(d)
            art = Article(self.next_aid(), title, when, g.notice_body(title, d), col, source=v.office)
        elif make == "policy":
            title, docno, doc = g.policy_title(d)
            art = Article(self.next_aid(), title, when, g.policy_body(doc, d), col, source=v.office, docno=docno)
            art.extra["doc"] = doc
            if self.rng.random() < 0.6:
                art.attachments.append(Attachment(name=f"{doc}.pdf", data=assets.pdf_document(doc, [cn_date(d), v.office]), ext=".pdf"))
        elif make == "personnel":
            title = g.personnel_title(d)
            art = Article(self.next_aid(), title, when, g.generic_body(title.removesuffix("的通知")), col, source=v.unit)
        elif make == "plan":
            title = g.plan_title(d)
            art = Article(self.next_aid(), title, when, g.generic_body(title), col, source=v.office)
        elif make == "budget":
            final = d.month >= 7
            year = d.year - 1 if final else d.year
            title = g.budget_title(year, final)
            art = Article(self.next_aid(), title, when, g.generic_body(title), col, source=v.unit)
            art.attachments.append(Attachment(name=f"{title}.xlsx", data=assets.xlsx_table(title, [("项目", "金额（万元）"), ("一般公共预算财政拨款收入", "1260.5"), ("其他收入", "32.0")]), ext=".xlsx"))
        elif make == "data":
            prev = (d.replace(day=1) - timedelta(days=1))
            title = g.stats_title(prev.year, prev.month)
            art = Article(self.next_aid(), title, when, g.generic_body(title), col, source=f"{v.region}统计局")
        elif make == "svcstats":
            prev = (d.replace(day=1) - timedelta(days=1))
            title = g._unique(lambda: f"{prev.year}年{prev.month}月{v.unit}政务服务事项办件情况统计")
            body = [f"{prev.year}年{prev.month}月共受理办件{self.rng.randint(300, 3000)}件，办结{self.rng.randint(280, 2900)}件，按时办结率100%。"]
            art = Article(self.next_aid(), title, when, body, col, source=v.office)
        elif make == "special":
            title = g.special_title(col.name)
            art = Article(self.next_aid(), title, when, g.news_body(title, d), col, source=v.unit)
        else:  # generic
            title = g._unique(lambda: f"{v.unit}{col.name}（{cn_date(d)}）")
            art = Article(self.next_aid(), title, when, g.generic_body(title), col, source=v.unit)
        col.articles.append(art)
        return art

    # ------------------------------------------------------------------ build
    def build(self) -> SiteTree:
        if self.site.is_portal:
            self._portal()
        else:
            self._department()
        self._annual()
        self._leaders()
        if self.site.encoding == "gbk" and not self.k.legacy_days:
            self._gbk_only_name()
        if self.k.plants:
            from xuncha.demo.plants import plant_content

            plant_content(self)
        return self.tree

    def _gbk_only_name(self) -> None:
        """A deputy whose name uses 喆, a GBK character outside GB2312, in pages declaring gb2312.

        Browsers decode a "gb2312" label as GBK (WHATWG Encoding); a strict GB2312 decoder fails.
        """
        name, title, duty = self.tree.leaders[1]
        name = name[0] + "喆"
        self.tree.leaders[1] = (name, title, duty)
        col = self.tree.column("zwyw")
        if col and col.articles:
            col.articles[0].body.insert(1, f"{self.v.region}副{self.v.leader_title}{name}出席会议并讲话。")

    def _section(self, key: str, name: str, cols: list[Column]) -> Section:
        sec = Section(key, name, cols, cid=self.next_cid())
        for c in cols:
            c.section = sec
        self.tree.sections.append(sec)
        return sec

    def _portal(self) -> None:
        v, k = self.v, self.k
        news_name = "新闻中心" if self.site.style in ("trs", "dede") else "政务动态"
        town = "街道动态" if v.region.endswith("区") else "乡镇动态"
        n = 0.6 if k.small else 1.0
        news = [
            self.column("zwyw", "政务要闻", "news", page_size=5),
            self.column("bmdt", "部门动态", "news", page_size=10),
            self.column("xzdt", town, "news", page_size=10),
            self.column("tpxw", "图片新闻", "news", page_size=12),
            self.column("ldhd", "领导活动", "news", page_size=12),
        ]
        for col, cnt in zip(news, (12, 6, 6, 4, 4), strict=True):
            self.add_articles(col, int(cnt * n), "news")
        for a in news[3].articles:
            a.image = f"/images/news/{a.aid}.png"
            self.tree.files[a.image] = assets.png_picture(a.aid, 320, 200)
        self._section("xwzx", news_name, news)

        gk = self._open_columns(portal=True)
        self._section("zwgk", "政务公开" if self.site.style != "dede" else "信息公开", gk)

        svc = self._service_columns(PORTAL_GUIDES)
        if svc:
            self._section("bsfw", "办事服务", svc)
        self._section("hdjl", "互动交流", self._interaction_columns())
        self._section("zj", f"走进{v.short}", self._overview_columns(portal=True))
        self._specials()

    def _department(self) -> None:
        k = self.k
        n = 0.5 if k.small else 1.0
        self._section("jggk", "机构概况", self._overview_columns(portal=False))
        gzdt = self.column("gzdt", "工作动态", "news", page_size=10)
        self.add_articles(gzdt, int(14 * n), "news")
        tzgg = self.column("tzgg", "通知公告", "notice", page_size=10)
        self.add_articles(tzgg, int(8 * n), "notice")
        cols = [gzdt, tzgg]
        if self.site.host.startswith("lyj."):
            lyzx = self.column("lyzx", "旅游资讯", "news", page_size=10)
            self.add_articles(lyzx, 6, "news")
            cols.append(lyzx)
        self._section("xwzx", "新闻中心", cols)
        self._section("xxgk", "信息公开", self._open_columns(portal=False))
        host = self.site.host
        guides = DEPT_GUIDES["zjj"] if host.startswith("zjj.") else DEPT_GUIDES["edu"] if "edu" in host else DEPT_GUIDES["lyj"] if host.startswith("lyj.") else ()
        svc = self._service_columns(guides)
        if svc:
            self._section("bsfw", "办事服务", svc)
        self._section("hdjl", "互动交流", self._interaction_columns())
        if not k.small:
            self._specials(count=1)

    def _open_columns(self, portal: bool) -> list[Column]:
        k = self.k
        small = k.small
        cols: list[Column] = []
        if portal:
            tzgg = self.column("tzgg", "通知公告", "notice", page_size=10)
            self.add_articles(tzgg, 8, "notice")
            cols.append(tzgg)
        zcwj = self.column("zcwj", "政策文件", "policy", page_size=10, listing="table" if self.site.style == "catalog" else "list")
        self.add_articles(zcwj, 3 if small else 5, "policy")
        cols.append(zcwj)
        if not small:
            zcjd = self.column("zcjd", "政策解读", "policy")
            for pol in zcwj.articles:
                d = min(pol.day + timedelta(days=self.rng.randint(0, 2)), self.as_of - timedelta(days=1))
                if self.k.legacy_days:
                    d = pol.day
                doc = pol.extra["doc"]
                title = self.gen.interpret_title(doc)
                art = Article(self.next_aid(), title, self.at(d), self.gen.interpret_body(doc), zcjd, source=self.v.office)
                art.related_articles.append(pol)
                pol.related_articles.append(art)
                zcjd.articles.append(art)
            zcjd.articles.sort(key=lambda a: a.when, reverse=True)
            cols.append(zcjd)
            hygq = self.column("hygq", "回应关切", "notice")
            for d in self.dates("notice", 2):
                t = self.gen.topic()
                place = self.gen.place()
                title = self.gen._unique(lambda t=t, place=place: f"关于{place}{t}有关问题的回应")
                body = [f"近期，有群众关注{place}{t}有关问题。", f"经核实，{self.v.unit}已组织相关部门进行调查处理，有关情况回应如下。", "下一步，将持续跟踪问题整改情况，及时回应社会关切。"]
                hygq.articles.append(Article(self.next_aid(), title, self.at(d), body, hygq, source=self.v.office))
            hygq.articles.sort(key=lambda a: a.when, reverse=True)
            cols.append(hygq)
        rsxx = self.column("rsxx", "人事信息", "periodic")
        self.add_articles(rsxx, 2 if small else 4, "personnel")
        cols.append(rsxx)
        if not small:
            ghjh = self.column("ghjh", "规划计划", "periodic")
            self.add_articles(ghjh, 3, "plan")
            czyjs = self.column("czyjs", "财政预决算", "periodic", listing="table" if self.site.style == "catalog" else "list")
            self.add_articles(czyjs, 4, "budget")
            cols += [ghjh, czyjs]
            tjsj = self.column("tjsj", "统计数据" if portal else "数据发布", "data", cycle="本栏目按月更新，每月15日前发布上月主要数据。")
            self.add_articles(tjsj, 6 if portal else 4, "data")
            cols.append(tjsj)
            if portal and "periodic" in k.stale:  # an abandoned portal keeps more yearly columns
                gzzj = self.column("gzzj", "工作总结", "periodic")
                self.add_articles(gzzj, 2, "plan")
                zfgzbg = self.column("zfgzbg", "政府工作报告", "periodic")
                self.add_articles(zfgzbg, 2, "plan")
                cols += [gzzj, zfgzbg]
        # 信息公开指南 / 制度 / 年报 / 依申请公开
        v = self.v
        zn = self.column("xxgkzn", "政府信息公开指南", "", kind="single")
        zn.single = [
            "为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。",
            f"一、主动公开。{v.unit}主动公开的政府信息，通过本网站、政务新媒体等途径公开。",
            "二、依申请公开。公民、法人或者其他组织可以通过当面提交、邮寄、网络等方式提出申请。",
            f"三、受理机构。{v.office}，办公时间：工作日上午9:00—12:00，下午13:30—17:30；联系电话：{self.gen.phone()}。",
            "四、监督和救济。申请人认为行政机关侵犯其合法权益的，可以依法申请行政复议或者提起行政诉讼。",
        ]
        zn.updated = self.as_of - timedelta(days=self.rng.randint(60, 300))
        cols.append(zn)
        if not small:
            zd = self.column("xxgkzd", "政府信息公开制度", "")
            for d in self.dates("static", 2):
                art = Article(self.next_aid(), self.gen._unique(lambda d=d: self.rng.choice((f"{v.unit}政府信息公开保密审查制度", f"{v.unit}政府信息主动公开制度", f"{v.unit}依申请公开工作规程"))), self.at(d), self.gen.generic_body("本制度"), zd, source=v.office)
                zd.articles.append(art)
            cols.append(zd)
        nb = self.column("xxgknb", "政府信息公开年报", "")
        last = self.last_report_year()
        for y in range(last, last - (2 if small else 3), -1):
            d = date(y + 1, 1, self.rng.randint(10, 20))
            title = f"{v.unit}{y}年政府信息公开工作年度报告"
            body = ["本报告根据《中华人民共和国政府信息公开条例》要求编制。", f"一、总体情况。{y}年，{v.unit}主动公开政府信息{self.rng.randint(200, 2000)}条。", "二、主动公开政府信息情况（见附表）。", "三、收到和处理政府信息公开申请情况。", "四、存在的主要问题及改进情况。"]
            art = Article(self.next_aid(), title, self.at(d), body, nb, source=v.office)
            nb.articles.append(art)
        cols.append(nb)
        ysq = self.column("ysqgk", "依申请公开", "", kind="single")
        ysq.single = content.open_request_text(v, self.gen.phone())
        form = Attachment(name=f"{v.unit}政府信息公开申请表.docx", data=assets.docx_document(f"{v.unit}政府信息公开申请表", ["申请人姓名：", "联系方式：", "所需信息的内容描述："]), ext=".docx")
        ysq.forms.append((form, self.as_of - timedelta(days=400)))
        cols.append(ysq)
        # planted blank columns (法定主动公开内容 with nothing in them) and one explained column
        blanks = (("xzxk", "行政许可"), ("xzcf", "行政处罚"), ("czzj", "财政资金"), ("zdxm", "重大建设项目"),
                  ("ggzy", "公共资源配置"), ("shgy", "社会公益事业"), ("ztzl", "专题活动"))
        for key, name in blanks[: k.blank_columns]:
            cols.append(self.column(key, name, "", blank=True))
        if k.explanatory_note:
            cols.append(self.column("xzqz", "行政强制", "", note="说明：本单位不承担行政强制职能，本栏目无相关信息。"))
        return cols

    def _service_columns(self, guide_names: tuple[str, ...]) -> list[Column]:
        k, rng = self.k, self.rng
        zxbl = self.column("zxbl", "网上办事", "", kind="link", href="https://zwfw.shili.gov.cn/")
        if k.guides == "none":
            # no own service pages: the nav item leads straight to the provincial 政务服务网
            if not k.small:
                self.tree.nav_links.append(("政务服务", "https://zwfw.shili.gov.cn/"))
            return []
        labels = GUIDE_LABELS[k.guide_labels]
        bszn = self.column("bszn", "办事指南", "", kind="guides")
        bgxz = self.column("bgxz", "表格下载", "forms", kind="forms")
        names = guide_names[: (2 if k.small else 6)]
        for i, name in enumerate(names):
            updated = self.as_of - timedelta(days=rng.randint(20, 260))
            values = self._guide_values(name, updated)
            fields = list(zip(labels, values, strict=True))
            if k.guides == "veto":
                keep = {0, 3, 4, 8}  # 事项名称, 办理材料, 办理地点, 联系电话 only
                fields = [f for j, f in enumerate(fields) if j in keep]
            elif k.guides == "partial" and i == 2:
                fields = [f for j, f in enumerate(fields) if j not in (1, 7)]  # no 设定依据, 办理时间
            g = Guide(self.next_aid(), f"{name}办事指南" if rng.random() < 0.5 else name, fields, updated)
            ext = ".docx" if i % 2 == 0 else ".xlsx"
            form_name = f"{name}申请表{ext}"
            data = assets.docx_document(form_name[:-5], ["申请人：", "申请事项：", "申请日期："]) if ext == ".docx" else assets.xlsx_table(form_name[:-5], [("序号", "申请人", "申请事项"), ("1", "", "")])
            att = Attachment(name=form_name, data=data, ext=ext)
            g.forms.append(att)
            bszn.guides.append(g)
            bgxz.forms.append((att, updated))
        if k.bad_attachments:
            missing = Attachment(name=f"{names[0]}申请表（旧版）.doc", data=None, ext=".doc")
            empty = Attachment(name=f"{names[1]}材料清单.xls", data=b"", ext=".xls")
            bgxz.forms.append((missing, self.as_of - timedelta(days=500)))
            bgxz.forms.append((empty, self.as_of - timedelta(days=420)))
        bgxz.forms.sort(key=lambda f: f[1], reverse=True)
        cols = [bszn, bgxz]
        if not k.small:
            bstj = self.column("bstj", "办事统计", "svcstats")
            self.add_articles(bstj, 4, "svcstats")
            cols.append(bstj)
        cols.append(zxbl)
        return cols

    def _guide_values(self, name: str, updated: date) -> list[str]:
        v, g = self.v, self.gen
        return [
            name,
            f"《{self.rng.choice(('中华人民共和国行政许可法', '社会救助暂行办法', '示例省社会救助实施办法', '中华人民共和国建筑法', '中华人民共和国教师法'))}》有关条款",
            "申请人符合法定条件，申请材料齐全、符合法定形式。",
            "1.申请表（原件1份）；2.申请人身份证明（复印件1份）；3.其他相关证明材料。",
            f"{v.region}政务服务中心{self.rng.randint(1, 3)}楼{self.rng.randint(1, 30)}号窗口",
            v.unit,
            "不收费",
            "工作日上午9:00—12:00，下午13:30—17:30（法定节假日除外）",
            g.phone(),
            "申请—受理—审查—决定—送达",
        ]

    def _interaction_columns(self) -> list[Column]:
        k, v, rng = self.k, self.v, self.rng
        cols: list[Column] = []
        box = {"市长": "市长信箱", "区长": "区长信箱", "县长": "县长信箱", "局长": "局长信箱", "主任": "主任信箱"}[v.leader_title]
        if k.consult != "none":
            board = self.column("ldxx" if self.site.is_portal else "jzxx", box, "", kind="board", page_size=10)
            n = 4 if k.small else 10
            asks: list[date] = []
            if k.legacy_days:
                asks = [self.as_of - timedelta(days=k.legacy_days + rng.randint(30, 400)) for _ in range(n)]
            else:
                newest = self.as_of - timedelta(days=rng.randint(2, 6))
                asks = spread_dates(rng, newest, n, (10, 32))
            for i, d in enumerate(sorted(asks, reverse=True)):
                ask = self.at(d)
                title, question, answer = self.gen.letter()
                msg = Message(self.next_aid(), title, self.gen.masked_person(), ask, question, unit=v.unit)
                wait = rng.randint(1, 12)
                if i == 0 and not k.legacy_days:
                    msg.reply = None  # asked a few days ago: still being handled
                else:
                    msg.reply = self.at(min(d + timedelta(days=wait), self.as_of - timedelta(days=1)))
                    msg.answer = answer
                board.messages.append(msg)
            if k.consult == "overdue":
                old = self.at(self.as_of - timedelta(days=125))
                t1, q1, _ = self.gen.letter()
                board.messages.append(Message(self.next_aid(), t1, self.gen.masked_person(), old, q1, unit=v.unit))
                ask2 = self.at(self.as_of - timedelta(days=212))
                t2, q2, _ = self.gen.letter()
                late = Message(self.next_aid(), t2, self.gen.masked_person(), ask2, q2, unit=v.unit,
                               reply=self.at(ask2.date() + timedelta(days=106)))
                late.answer = "您好！您反映的问题已转交相关部门办理，感谢您的关注。"
                board.messages.append(late)
            board.messages.sort(key=lambda m: m.ask, reverse=True)
            cols.append(board)
            if not k.small:
                yjzj = self.column("yjzj", "意见征集", "survey")
                for d in self.dates("survey", 4):
                    t = self.gen.topic()
                    doc = f"{v.region}{t}管理办法（征求意见稿）"
                    title = self.gen._unique(lambda doc=doc: f"关于公开征求《{doc}》意见的公告")
                    end = d + timedelta(days=30)
                    art = Article(self.next_aid(), title, self.at(d), [f"为提高决策的科学性和透明度，现将《{doc}》全文公布，公开征求社会各界意见。", f"征集时间：{cn_date(d)}至{cn_date(end)}。", f"联系电话：{self.gen.phone()}。"], yjzj, source=v.office)
                    art.extra["start"], art.extra["end"] = d.isoformat(), end.isoformat()
                    if end < self.as_of:
                        art.extra["result"] = f"征集期间共收到意见建议{rng.randint(3, 40)}条，采纳{rng.randint(1, 3)}条，未采纳意见主要涉及职责范围外事项。"
                    yjzj.articles.append(art)
                cols.append(yjzj)
                zxft = self.column("zxft", "在线访谈", "interview")
                for d in self.dates("interview", 3):
                    t = self.gen.topic()
                    guest = f"{v.unit}有关负责同志"
                    title = self.gen._unique(lambda t=t: f"“{t}”在线访谈")
                    art = Article(self.next_aid(), title, self.at(d), [f"访谈嘉宾：{guest}", f"主持人：网友们好，今天我们邀请到{guest}，就{t}工作与大家在线交流。", f"嘉宾：{v.region}{t}工作总体进展顺利，下一步将重点做好三方面工作。", "主持人：感谢嘉宾的解答，本期访谈到此结束。"], zxft, source=v.office)
                    zxft.articles.append(art)
                cols.append(zxft)
                stats = self.column("xjtj", "信件办理情况统计", "", kind="single")
                total = len(board.messages)
                done = sum(1 for m in board.messages if m.replied)
                stats.single = content.letters_stats_text(box, total, done, self.as_of - timedelta(days=1))
                cols.append(stats)
        else:
            # only 信访 / 举报 channels: no effective consultation channel
            xf = self.column("wsxf", "网上信访", "", kind="single")
            xf.single = content.petition_text(v, self.gen.phone(), rng)
            jb = self.column("jjjb", "纪检举报", "", kind="single")
            jb.single = content.report_text(v, rng)
            cols += [xf, jb]
        return cols

    def _overview_columns(self, portal: bool) -> list[Column]:
        v = self.v
        if portal:
            gk = self.column("gk", f"{v.short}概况", "", kind="single")
            gk.single = content.overview_text(v, self.rng)
            ldxx = self.column("ldxx_info", "领导信息", "", kind="single")
            jg = self.column("jgsz", "机构设置", "", kind="single")
            return [gk, ldxx, jg]
        zn = self.column("jgzn", "机构职能", "", kind="single")
        zn.single = content.functions_text(v)
        ldxx = self.column("ldxx_info", "领导信息", "", kind="single")
        ns = self.column("nsjg", "内设机构", "", kind="single")
        ns.single = content.departments_text(v)
        return [zn, ldxx, ns]

    def _specials(self, count: int = 2) -> None:
        topics = ("优化营商环境", "安全生产月", "乡村振兴", "全国文明城市创建")
        for i, t in enumerate(self.rng.sample(topics, count)):
            col = self.column(f"zt{i + 1}", t, "special", special=True)
            self.add_articles(col, 3 if not self.k.small else 2, "special")
            self.tree.specials.append(col)

    def _leaders(self) -> None:
        v, g = self.v, self.gen
        titles = {"市长": ("市长", "副市长", "副市长"), "区长": ("区长", "副区长", "副区长"), "县长": ("县长", "副县长", "副县长"),
                  "局长": ("局长", "副局长", "副局长"), "主任": ("主任", "副主任", "副主任")}[v.leader_title]
        if self.site.is_portal:
            duties = ("主持全面工作。", "负责发展改革、财政、审计等方面工作。", "负责城乡建设、交通运输、生态环境等方面工作。")
        else:
            duties = ("主持全面工作。", "分管办公室、政策法规、财务等方面工作。", "分管业务科室和安全生产等方面工作。")
        names = [g.leader, g.person(), g.person()]
        self.tree.leaders = list(zip(names, titles, duties, strict=True))

    def _annual(self) -> None:
        """政府网站工作年度报表 of last year, linked from the home page (by 31 Jan)."""
        v = self.v
        last = self.last_report_year()
        col = None
        for c in self.tree.columns:
            if c.key == "xxgknb":
                col = c
        if col is None:
            return
        d = date(last + 1, 1, self.rng.randint(12, 20))
        title = f"{self.site.name}{last}年政府网站工作年度报表"
        body = [
            f"网站名称：{self.site.name}", f"网站标识码：{self.site.id}", f"主办单位：{v.office if self.site.is_portal else v.unit}",
            f"独立用户访问总量：{self.rng.randint(100000, 900000)}个", f"网页总访问量：{self.rng.randint(1000000, 9000000)}次",
            f"信息发布总数：{self.rng.randint(800, 5000)}条",
        ]
        art = Article(self.next_aid(), title, self.at(d), body, col, source=v.office)
        col.articles.append(art)
        col.articles.sort(key=lambda a: a.when, reverse=True)
        self.tree.annual_report = art


def build_tree(site: DemoSite, as_of: date, seed: int) -> SiteTree:
    return TreeBuilder(site, as_of, seed).build()
