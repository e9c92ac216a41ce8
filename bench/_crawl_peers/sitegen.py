"""Deterministic generator of a government-website-like static site for the crawl benchmark.

The site imitates a city portal built with a TRS-style CMS (示例市人民政府): a home page, nine
top columns (政务公开, 新闻动态, 通知公告 ...) with 2-5 sub-columns each, paginated list pages
(``index.html``, ``index_1.html`` ...), dated article pages (``202401/t20240115_100123.html``)
with Chinese text, a few attachments, shared "about" pages linked from every footer, one style
sheet and one logo. Navigation links are root-absolute, body links relative (as TRS writes
them), a few friend links point to reserved ``.invalid`` hosts (never fetched, never resolvable).

Broken internal links are planted at known places (deleted articles, missing attachments, list
pages past the last one, stale paths); the generator returns their absolute paths so that every
crawler's findings can be compared with the truth. Before the site is written, its own link graph
is walked to prove that every page is reachable and that the only dangling links are the planted
ones.

Why a generator and not a saved crawl of a real site: the project never points anything at a
real website, and a seed makes the benchmark reproducible.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import posixpath
import random
import re
import shutil
from collections import deque
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

GEN_VERSION = 1
PER_LIST_PAGE = 15  # items on one list page
SITE_NAME = "示例市人民政府"

# (code, name, [(sub code, sub name, weight)]): the weight says how many articles a sub-column gets.
COLUMNS: tuple[tuple[str, str, tuple[tuple[str, str, float], ...]], ...] = (
    (
        "zwgk",
        "政务公开",
        (
            ("ldxx", "领导信息", 0.2),
            ("jgzn", "机构职能", 0.2),
            ("ghjh", "规划计划", 0.5),
            ("rsxx", "人事信息", 0.6),
            ("czzj", "财政资金", 0.5),
        ),
    ),
    (
        "xwdt",
        "新闻动态",
        (
            ("gzdt", "工作动态", 3.0),
            ("bmdt", "部门动态", 2.0),
            ("jcdt", "基层动态", 2.0),
            ("mtjj", "媒体聚焦", 1.0),
        ),
    ),
    ("tzgg", "通知公告", (("tz", "通知", 1.2), ("gg", "公告", 1.0), ("gs", "公示", 0.8))),
    (
        "zcwj",
        "政策文件",
        (
            ("szfwj", "市政府文件", 0.8),
            ("szfbwj", "市政府办公室文件", 0.8),
            ("bmwj", "部门文件", 0.6),
            ("gfxwj", "规范性文件", 0.4),
        ),
    ),
    ("zcjd", "政策解读", (("wzjd", "文字解读", 0.6), ("tjjd", "图解政策", 0.3), ("mtjd", "媒体解读", 0.3))),
    ("zwfw", "政务服务", (("bszn", "办事指南", 0.8), ("bmfw", "便民服务", 0.4))),
    ("hdjl", "互动交流", (("zxft", "在线访谈", 0.2), ("zjdc", "征集调查", 0.2), ("lyhf", "留言回复", 0.6))),
    ("sjfb", "数据发布", (("tjsj", "统计数据", 0.5), ("tjfx", "统计分析", 0.3))),
    ("zjbs", "走进示例", (("bsgk", "示例概况", 0.1), ("lsyg", "历史沿革", 0.1), ("lyfw", "旅游风物", 0.2))),
)
ABOUT_PAGES: tuple[tuple[str, str], ...] = (
    ("gywm", "关于我们"),
    ("wzdt", "网站地图"),
    ("lxwm", "联系我们"),
    ("ysxm", "隐私声明"),
)
# Friend links on reserved hosts (RFC 2606 .invalid): realistic markup, never reachable.
EXTERNAL_LINKS: tuple[tuple[str, str], ...] = (
    ("http://www.gov.cn.invalid/", "中国政府网"),
    ("http://www.sc.gov.cn.invalid/", "四川省人民政府"),
    ("https://zwfw.sc.gov.cn.invalid/", "四川政务服务网"),
)

ORGS = (
    "市政府",
    "市发展改革委",
    "市教育局",
    "市科技局",
    "市经济和信息化局",
    "市公安局",
    "市民政局",
    "市司法局",
    "市财政局",
    "市人力资源社会保障局",
    "市自然资源和规划局",
    "市生态环境局",
    "市住房城乡建设局",
    "市交通运输局",
    "市水务局",
    "市农业农村局",
    "市商务局",
    "市文化广电旅游局",
    "市卫生健康委",
    "市应急管理局",
    "市审计局",
    "市市场监管局",
    "市统计局",
    "市医保局",
    "市政务服务管理局",
    "各区（市）县政府",
)
VERBS = (
    "深入推进",
    "全面落实",
    "扎实开展",
    "持续加强",
    "认真贯彻",
    "加快推进",
    "统筹推进",
    "着力提升",
    "不断完善",
    "切实做好",
    "研究部署",
    "积极推动",
)
OBJECTS = (
    "优化营商环境工作",
    "高质量发展各项任务",
    "安全生产专项整治",
    "乡村振兴重点工作",
    "生态环境保护督察整改",
    "民生实事项目",
    "政务公开标准化规范化建设",
    "“放管服”改革",
    "城市更新行动",
    "稳就业保就业工作",
    "基层治理能力建设",
    "数字政府建设",
    "防汛减灾准备工作",
    "重大项目建设",
    "食品药品安全监管",
    "公共文化服务体系建设",
    "医疗卫生服务能力提升",
    "义务教育优质均衡发展",
    "老旧小区改造",
    "政务服务“一网通办”",
)
CLAUSES = (
    "确保各项工作落地见效",
    "切实增强人民群众的获得感、幸福感、安全感",
    "进一步压实工作责任",
    "形成工作合力",
    "推动工作取得新成效",
    "为全市经济社会发展提供有力保障",
    "坚持问题导向和目标导向",
    "加强统筹协调和督促检查",
    "建立健全长效工作机制",
    "及时回应群众关切",
    "做到守土有责、守土尽责",
    "以实际行动践行为民服务宗旨",
    "认真抓好问题整改",
    "严格落实属地管理责任",
    "把好事办好、实事办实",
)
TOPICS = (
    "优化营商环境",
    "安全生产",
    "乡村振兴",
    "生态环境保护",
    "民生实事",
    "政务公开",
    "城市更新",
    "稳就业",
    "基层治理",
    "数字政府",
    "防汛减灾",
    "重大项目",
    "食品安全",
    "公共文化服务",
    "医疗卫生",
    "义务教育",
    "老旧小区改造",
    "“一网通办”",
    "消费品以旧换新",
    "森林防灭火",
)
ATTACH_EXTS = (".pdf", ".doc", ".xls", ".pdf", ".docx")

FIRST_DAY = date(2019, 1, 1)
LAST_DAY = date(2025, 6, 30)

_CSS = "body{font:14px/1.8 'Microsoft YaHei',sans-serif;margin:0}.w1200{width:1200px;margin:0 auto}\n"
# A valid 1x1 transparent PNG.
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)
_HREF = re.compile(r'(?:href|src)="([^"]*)"')


@dataclass
class Sub:
    col_code: str
    col_name: str
    code: str
    name: str
    weight: float
    articles: list[Article] = field(default_factory=list)
    siblings: list[Sub] = field(default_factory=list)

    def dir(self, prefix: str) -> str:
        return f"{prefix}{self.col_code}/{self.code}/"

    def list_path(self, prefix: str, i: int) -> str:
        return self.dir(prefix) + ("index.html" if i == 0 else f"index_{i}.html")

    @property
    def n_list_pages(self) -> int:
        return max(1, math.ceil(len(self.articles) / PER_LIST_PAGE))


@dataclass
class Article:
    sub: Sub
    id: int
    day: date
    title: str
    path: str
    org: str
    attachment: str = ""  # absolute path of an existing attachment, if any


@dataclass
class SitePlan:
    """What the generator made: files to write and the truth to compare crawlers with."""

    prefix: str
    pages: dict[str, str]  # absolute path -> HTML
    files: dict[str, bytes]  # absolute path -> bytes (assets, attachments)
    broken: list[str]  # planted broken link targets, absolute paths, sorted
    max_depth: int = 0
    expected_urls: int = 0  # distinct internal URLs a crawler requests (existing + broken)

    def summary(self) -> dict[str, object]:
        return {
            "prefix": self.prefix,
            "start": self.prefix,
            "pages": len(self.pages),
            "files": len(self.files),
            "broken": self.broken,
            "max_depth": self.max_depth,
            "expected_urls": self.expected_urls,
        }


# --------------------------------------------------------------------------- helpers
def rel(from_path: str, to_path: str) -> str:
    """Relative href from one page to another, TRS style (``./x``, ``../x``, ``../../``)."""
    return _rel_from_dir(posixpath.dirname(from_path), to_path)


@functools.lru_cache(maxsize=200_000)
def _rel_from_dir(start: str, to_path: str) -> str:
    if to_path.endswith("/"):
        r = posixpath.relpath(to_path, start)
        r = "./" if r == "." else r + "/"
        return r
    r = posixpath.relpath(to_path, start)
    return r if r.startswith("../") else "./" + r


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


class _Text:
    """Government-style Chinese text from a seeded RNG."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def sentence(self) -> str:
        r = self.rng
        kind = r.random()
        if kind < 0.55:
            return f"{r.choice(ORGS)}{r.choice(VERBS)}{r.choice(OBJECTS)}，{r.choice(CLAUSES)}。"
        if kind < 0.8:
            return (
                f"截至{r.randint(1, 12)}月底，全市累计完成{r.choice(TOPICS)}相关项目{r.randint(12, 980)}个，"
                f"完成投资{r.randint(3, 480)}.{r.randint(0, 9)}亿元，同比增长{r.randint(1, 30)}.{r.randint(0, 9)}%。"
            )
        return f"会议强调，要{r.choice(VERBS)}{r.choice(OBJECTS)}，{r.choice(CLAUSES)}，{r.choice(CLAUSES)}。"

    def paragraphs(self, min_chars: int, max_chars: int) -> list[str]:
        target = self.rng.randint(min_chars, max_chars)
        out: list[str] = []
        n = 0
        while n < target:
            para = "".join(self.sentence() for _ in range(self.rng.randint(2, 5)))
            out.append(para)
            n += len(para)
        return out

    def title(self, sub: Sub) -> tuple[str, str]:
        r = self.rng
        org = r.choice(ORGS)
        topic = r.choice(TOPICS)
        col = sub.col_code
        if col == "tzgg":
            t = r.choice(
                (f"关于做好{topic}工作的通知", f"关于{topic}有关事项的公告", f"{topic}项目拟入选名单公示")
            )
        elif col == "zcwj":
            t = f"{org}关于印发《示例市{topic}实施方案》的通知"
        elif col == "zcjd":
            t = r.choice((f"《示例市{topic}实施方案》政策解读", f"一图读懂《示例市{topic}若干措施》"))
        elif col == "zwfw":
            t = r.choice((f"{topic}相关事项办事指南", f"{org}{topic}便民服务事项清单"))
        elif col == "sjfb":
            t = f"{r.randint(2019, 2025)}年{r.randint(1, 12)}月全市{topic}主要数据"
        else:
            t = r.choice(
                (
                    f"{org}召开{topic}工作推进会",
                    f"{org}{r.choice(VERBS)}{r.choice(OBJECTS)}",
                    f"市领导调研{topic}工作",
                    f"{org}部署{topic}重点任务",
                )
            )
        return t, org


# --------------------------------------------------------------------------- plan
def _plan_counts(subs: list[Sub], n_pages: int, rng: random.Random) -> int:
    """Article counts per sub-column so that the site has exactly ``n_pages`` HTML pages.

    Returns the number of extra "about" pages needed to fill a gap of one page (rare).
    """
    fixed = 1 + len(ABOUT_PAGES) + len(COLUMNS)
    if n_pages < fixed + 2 * len(subs):
        raise ValueError(f"--pages must be at least {fixed + 2 * len(subs)}")
    total_w = sum(s.weight for s in subs)
    est = (n_pages - fixed) * PER_LIST_PAGE / (PER_LIST_PAGE + 1) - len(subs)
    counts = {s.code + s.col_code: max(1, int(est * s.weight / total_w)) for s in subs}

    def pages_of(a: int) -> int:
        return a + max(1, math.ceil(a / PER_LIST_PAGE))

    total = fixed + sum(pages_of(counts[s.code + s.col_code]) for s in subs)
    extras = 0
    while total < n_pages:
        rem = n_pages - total
        best: Sub | None = None
        best_deficit = -1e18
        for s in subs:
            a = counts[s.code + s.col_code]
            cost = pages_of(a + 1) - pages_of(a)
            if cost > rem:
                continue
            deficit = est * s.weight / total_w - a
            if deficit > best_deficit:
                best, best_deficit = s, deficit
        if best is None:
            extras += 1
            total += 1
            continue
        k = best.code + best.col_code
        total += pages_of(counts[k] + 1) - pages_of(counts[k])
        counts[k] += 1
    if total != n_pages:
        raise AssertionError(f"page plan off: {total} != {n_pages}")
    for s in subs:
        s.articles = [None] * counts[s.code + s.col_code]  # type: ignore[list-item]
    return extras


def plan_site(n_pages: int, n_broken: int, seed: int, prefix: str = "/") -> SitePlan:
    """Build the whole site in memory: HTML per path, other files, planted broken links."""
    rng = random.Random(seed)
    text = _Text(rng)
    subs: list[Sub] = []
    for col_code, col_name, children in COLUMNS:
        group = [Sub(col_code, col_name, c, n, w) for c, n, w in children]
        for s in group:
            s.siblings = group
        subs.extend(group)
    extras = _plan_counts(subs, n_pages, rng)

    next_id = 100000
    span = (LAST_DAY - FIRST_DAY).days
    files: dict[str, bytes] = {f"{prefix}css/style.css": _CSS.encode(), f"{prefix}images/logo.png": _PNG}
    for s in subs:
        days = sorted((FIRST_DAY + timedelta(days=rng.randint(0, span)) for _ in s.articles), reverse=True)
        arts: list[Article] = []
        for d in days:
            title, org = text.title(s)
            path = f"{s.dir(prefix)}{d:%Y%m}/t{d:%Y%m%d}_{next_id}.html"
            a = Article(s, next_id, d, title, path, org)
            if rng.random() < 0.05:
                ext = rng.choice(ATTACH_EXTS)
                a.attachment = f"{s.dir(prefix)}{d:%Y%m}/P0{d:%Y%m%d}{next_id}{ext}"
                files[a.attachment] = b"%PDF-1.4\n% xuncha bench placeholder attachment\n" + rng.randbytes(
                    900
                )
            next_id += 1
            arts.append(a)
        s.articles = arts

    # ---- planted broken links: (host page path, href, absolute target)
    list_hosts = [(s, i) for s in subs for i in range(s.n_list_pages)]
    all_articles = [a for s in subs for a in s.articles]
    n_list_hosts = min(len(list_hosts), max(1, n_broken // 8))
    n_art_hosts = n_broken - n_list_hosts
    if n_art_hosts > len(all_articles):
        raise ValueError("too many broken links for this site size")
    art_hosts = rng.sample(all_articles, n_art_hosts)
    lst_hosts = rng.sample(list_hosts, n_list_hosts)
    planted: dict[str, list[tuple[str, str]]] = {}  # host path -> [(href, text)]
    broken: set[str] = set()
    missing_id = 9_000_000

    def plant(host: str, href: str, label: str) -> None:
        target = urlsplit(urljoin("http://h" + host, href)).path
        planted.setdefault(host, []).append((href, label))
        broken.add(target)

    for k, a in enumerate(art_hosts):
        missing_id += 1
        kind = k % 5
        d = a.day - timedelta(days=rng.randint(30, 400))
        if kind == 0:  # a deleted article of the same column
            plant(a.path, f"../{d:%Y%m}/t{d:%Y%m%d}_{missing_id}.html", "相关报道")
        elif kind == 1:  # an attachment that was never uploaded
            plant(a.path, f"./P0{a.day:%Y%m%d}{missing_id}.pdf", "附件下载")
        elif kind == 2:  # a column path from the old site
            plant(a.path, f"{prefix}{a.sub.col_code}/old_{a.sub.code}/{missing_id}.html", "原栏目")
        elif kind == 3:  # a typo in a root-absolute link
            plant(
                a.path, f"{prefix}{a.sub.col_code}/{a.sub.code}/{d:%Y%m}/t{d:%Y%m%d}_{missing_id}.htm", "详情"
            )
        else:  # another column's deleted page
            other = rng.choice(subs)
            plant(
                a.path, rel(a.path, f"{other.dir(prefix)}{d:%Y%m}/t{d:%Y%m%d}_{missing_id}.html"), "延伸阅读"
            )
    for k, (s, i) in enumerate(lst_hosts):
        plant(s.list_path(prefix, i), f"index_{s.n_list_pages + 3 + k}.html", "更多")
    if len(broken) != n_broken:
        raise AssertionError(f"planted broken links collide: {len(broken)} != {n_broken}")
    # A few dead targets linked from a second page as well (a real site repeats its mistakes).
    for target, host_art in zip(
        sorted(broken)[:5], rng.sample(all_articles, min(5, len(all_articles))), strict=False
    ):
        if host_art.path not in planted:
            planted[host_art.path] = [(rel(host_art.path, target), "相关链接")]

    # ---- render
    r = _Renderer(prefix, subs, extras, planted, rng, text)
    pages = r.render_all()
    plan = SitePlan(prefix=prefix, pages=pages, files=files, broken=sorted(broken))
    _verify(plan)
    return plan


# --------------------------------------------------------------------------- render
class _Renderer:
    def __init__(
        self,
        prefix: str,
        subs: list[Sub],
        extras: int,
        planted: dict[str, list[tuple[str, str]]],
        rng: random.Random,
        text: _Text,
    ) -> None:
        self.p = prefix
        self.subs = subs
        self.extras = extras
        self.planted = planted
        self.rng = rng
        self.text = text
        nav = [f'<li><a href="{prefix}">首页</a></li>']
        nav += [f'<li><a href="{prefix}{c}/index.html">{n}</a></li>' for c, n, _ in COLUMNS]
        self.nav = '<div class="nav"><ul class="w1200">' + "".join(nav) + "</ul></div>\n"
        about = " | ".join(f'<a href="{prefix}about/{c}.html">{n}</a>' for c, n in ABOUT_PAGES)
        friends = " ".join(f'<a href="{u}" target="_blank">{n}</a>' for u, n in EXTERNAL_LINKS[:2])
        self.footer = (
            '<div class="footer"><div class="w1200">'
            f"<p>{about}</p>"
            f"<p>友情链接：{friends}</p>"
            "<p>主办单位：示例市人民政府办公室　承办单位：示例市大数据中心　网站标识码：5101000001</p>"
            '<p><a href="https://beian.miit.gov.cn.invalid/" target="_blank">蜀ICP备12345678号-1</a>　'
            "川公网安备 51010402000001号　联系电话：028-12345678　地址：示例市人民南路一段1号</p>"
            "</div></div>\n</body>\n</html>\n"
        )

    def head(self, title: str, column: str, path: str) -> str:
        p = self.p
        return (
            '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            '<meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n"
            f'<meta name="SiteName" content="{SITE_NAME}">\n<meta name="SiteDomain" content="www.shili.gov.cn">\n'
            f'<meta name="SiteIDCode" content="5101000001">\n<meta name="ColumnName" content="{column}">\n'
            f'<link rel="stylesheet" href="{p}css/style.css">\n</head>\n<body>\n'
            f'<div class="header"><div class="w1200"><div class="logo"><a href="{p}">'
            f'<img src="{p}images/logo.png" alt="{SITE_NAME}"></a></div>'
            f'<div class="toplinks"><span>2025年7月1日 星期二</span> <a href="{p}about/wzdt.html">网站地图</a>'
            "</div></div></div>\n" + self.nav
        )

    def extra_links(self, path: str) -> str:
        items = self.planted.get(path)
        if not items:
            return ""
        return "".join(f'<p>详见：<a href="{href}">{label}</a>。</p>' for href, label in items)

    def render_all(self) -> dict[str, str]:
        out: dict[str, str] = {}
        p = self.p
        out[p] = self.home()
        for code, name in ABOUT_PAGES:
            out[f"{p}about/{code}.html"] = self.about(code, name)
        for i in range(self.extras):
            out[f"{p}about/extra_{i}.html"] = self.about(f"extra_{i}", f"专题页面{i + 1}")
        for col_code, col_name, _ in COLUMNS:
            group = [s for s in self.subs if s.col_code == col_code]
            out[f"{p}{col_code}/index.html"] = self.column(col_code, col_name, group)
        for s in self.subs:
            for i in range(s.n_list_pages):
                out[s.list_path(p, i)] = self.list_page(s, i)
            arts = s.articles
            for j, a in enumerate(arts):
                prev = arts[j - 1] if j > 0 else None
                nxt = arts[j + 1] if j + 1 < len(arts) else None
                out[a.path] = self.article(a, prev, nxt)
        return out

    def _list_items(self, path: str, arts: list[Article]) -> str:
        return "".join(
            f'<li><a href="{rel(path, a.path)}" title="{a.title}" target="_blank">{a.title}</a>'
            f"<span>{a.day:%Y-%m-%d}</span></li>"
            for a in arts
        )

    def home(self) -> str:
        p = self.p
        path = p
        by_code = {s.col_code + "/" + s.code: s for s in self.subs}
        blocks = []
        for key, label in (
            ("xwdt/gzdt", "要闻动态"),
            ("tzgg/tz", "通知公告"),
            ("zcwj/szfwj", "政策文件"),
            ("zcjd/wzjd", "政策解读"),
            ("xwdt/bmdt", "部门动态"),
        ):
            s = by_code[key]
            blocks.append(
                f'<div class="box"><h3><a href="{rel(path, s.list_path(p, 0))}">{label}</a></h3><ul>'
                + self._list_items(path, s.articles[:6])
                + "</ul></div>"
            )
        services = "".join(
            f'<li><a href="{rel(path, s.list_path(p, 0))}">{s.name}</a></li>'
            for s in self.subs
            if s.col_code in ("zwfw", "hdjl")
        )
        friends = " ".join(f'<a href="{u}" target="_blank">{n}</a>' for u, n in EXTERNAL_LINKS)
        body = (
            '<div class="main w1200">'
            + "".join(blocks)
            + f'<div class="box"><h3>办事服务</h3><ul>{services}</ul></div>'
            + f'<div class="links">政府网站：{friends}</div></div>\n'
        )
        return self.head(SITE_NAME, "首页", path) + body + self.footer

    def about(self, code: str, name: str) -> str:
        p = self.p
        path = f"{p}about/{code}.html"
        if code == "wzdt":
            rows = []
            for col_code, col_name, _ in COLUMNS:
                subs = "".join(
                    f'<a href="{rel(path, s.list_path(p, 0))}">{s.name}</a> '
                    for s in self.subs
                    if s.col_code == col_code
                )
                rows.append(
                    f'<dl><dt><a href="{p}{col_code}/index.html">{col_name}</a></dt><dd>{subs}</dd></dl>'
                )
            rows += [f'<p><a href="./extra_{i}.html">专题页面{i + 1}</a></p>' for i in range(self.extras)]
            content = "".join(rows)
        else:
            content = "".join(f"<p>{t}</p>" for t in self.text.paragraphs(200, 600))
        body = (
            f'<div class="main w1200"><div class="crumb">当前位置：<a href="{p}">首页</a> &gt; {name}</div>'
            f"<h1>{name}</h1>{content}</div>\n"
        )
        return self.head(f"{name}_{SITE_NAME}", name, path) + body + self.footer

    def _sidebar(self, path: str, s: Sub) -> str:
        items = "".join(
            f'<li><a href="{rel(path, x.list_path(self.p, 0))}">{x.name}</a></li>' for x in s.siblings
        )
        return f'<div class="left"><h3>{s.col_name}</h3><ul>{items}</ul></div>'

    def _crumb(self, path: str, s: Sub | None, col_code: str, col_name: str) -> str:
        p = self.p
        out = (
            f'<div class="crumb">当前位置：<a href="{rel(path, p)}">首页</a> &gt; '
            f'<a href="{rel(path, f"{p}{col_code}/index.html")}">{col_name}</a>'
        )
        if s is not None:
            out += f' &gt; <a href="{rel(path, s.list_path(p, 0))}">{s.name}</a>'
        return out + "</div>"

    def column(self, col_code: str, col_name: str, group: list[Sub]) -> str:
        path = f"{self.p}{col_code}/index.html"
        blocks = []
        for s in group:
            more = rel(path, s.list_path(self.p, 0))
            blocks.append(
                f'<div class="box"><h3><a href="{more}">{s.name}</a><a class="more" href="{more}">更多</a>'
                "</h3><ul>" + self._list_items(path, s.articles[:5]) + "</ul></div>"
            )
        body = (
            '<div class="main w1200">'
            + self._crumb(path, None, col_code, col_name)
            + "".join(blocks)
            + "</div>\n"
        )
        return self.head(f"{col_name}_{SITE_NAME}", col_name, path) + body + self.footer

    def list_page(self, s: Sub, i: int) -> str:
        p = self.p
        path = s.list_path(p, i)
        arts = s.articles[i * PER_LIST_PAGE : (i + 1) * PER_LIST_PAGE]
        n = s.n_list_pages
        pager = ['<a href="index.html">首页</a>']
        if i > 0:
            pager.append(f'<a href="{posixpath.basename(s.list_path(p, i - 1))}">上一页</a>')
        for k in range(max(0, i - 2), min(n, i + 3)):
            pager.append(
                f"<span>{k + 1}</span>"
                if k == i
                else f'<a href="{posixpath.basename(s.list_path(p, k))}">{k + 1}</a>'
            )
        if i + 1 < n:
            pager.append(f'<a href="{posixpath.basename(s.list_path(p, i + 1))}">下一页</a>')
        pager.append(f'<a href="{posixpath.basename(s.list_path(p, n - 1))}">尾页</a>')
        planted = "".join(
            f'<li><a href="{href}">{label}</a></li>' for href, label in self.planted.get(path, [])
        )
        body = (
            '<div class="main w1200">'
            + self._crumb(path, s, s.col_code, s.col_name)
            + self._sidebar(path, s)
            + f'<div class="right"><h2>{s.name}</h2><ul class="list">'
            + self._list_items(path, arts)
            + planted
            + f'</ul><div class="page">共{len(s.articles)}条 {" ".join(pager)}</div></div></div>\n'
        )
        title = f"{s.name}_{SITE_NAME}" if i == 0 else f"{s.name}（第{i + 1}页）_{SITE_NAME}"
        return self.head(title, s.name, path) + body + self.footer

    def article(self, a: Article, prev: Article | None, nxt: Article | None) -> str:
        s = a.sub
        path = a.path
        lead = f"{cn_date(a.day)}，{a.org}{self.rng.choice(VERBS)}{self.rng.choice(OBJECTS)}。"
        paras = self.text.paragraphs(120, 1100)
        content = f"<p>{lead}</p>" + "".join(f"<p>{t}</p>" for t in paras) + self.extra_links(path)
        attach = ""
        if a.attachment:
            ext = posixpath.splitext(a.attachment)[1]
            attach = f'<div class="attach">附件：<a href="{rel(path, a.attachment)}">{a.title}{ext}</a></div>'
        pn = ""
        pn += (
            f'<p>上一篇：<a href="{rel(path, prev.path)}">{prev.title}</a></p>'
            if prev
            else "<p>上一篇：没有了</p>"
        )
        pn += (
            f'<p>下一篇：<a href="{rel(path, nxt.path)}">{nxt.title}</a></p>'
            if nxt
            else "<p>下一篇：没有了</p>"
        )
        related = self.rng.sample(s.articles, min(4, len(s.articles)))
        rel_items = "".join(
            f'<li><a href="{rel(path, r.path)}">{r.title}</a></li>' for r in related if r is not a
        )
        body = (
            '<div class="main w1200">'
            + self._crumb(path, s, s.col_code, s.col_name)
            + self._sidebar(path, s)
            + f'<div class="right article"><h1>{a.title}</h1>'
            + f'<div class="info">发布时间：{a.day:%Y-%m-%d}　来源：{a.org}　字号：[大 中 小]</div>'
            + f'<div class="content" id="zoom">{content}</div>{attach}<div class="prevnext">{pn}</div>'
            + f'<div class="related"><h4>相关文章</h4><ul>{rel_items}</ul></div></div></div>\n'
        )
        return self.head(f"{a.title}_{s.name}_{SITE_NAME}", s.name, path) + body + self.footer


# --------------------------------------------------------------------------- verify
def _verify(plan: SitePlan) -> None:
    """Walk the site's own link graph: every page reachable, dangling links = planted set."""
    prefix = plan.prefix
    seen: dict[str, int] = {prefix: 0}
    queue: deque[str] = deque([prefix])
    dangling: set[str] = set()
    cache: dict[tuple[str, str], str | None] = {}
    while queue:
        path = queue.popleft()
        html = plan.pages.get(path)
        if html is None:
            continue
        here = posixpath.dirname(path) if not path.endswith("/") else path.rstrip("/") or "/"
        for href in _HREF.findall(html):
            key = (here, href)
            target = cache.get(key, "")
            if target == "":
                target = cache[key] = _resolve(here, href)
            if target is None or target in seen:
                continue
            if not target.startswith(prefix):
                raise AssertionError(f"{path} links outside its site: {target}")
            seen[target] = seen[path] + 1
            if target in plan.pages:
                queue.append(target)
            elif target not in plan.files:
                dangling.add(target)
    unreached = set(plan.pages) - set(seen)
    if unreached:
        raise AssertionError(f"{len(unreached)} pages unreachable, e.g. {sorted(unreached)[:3]}")
    unlinked_files = set(plan.files) - set(seen)
    if unlinked_files:
        raise AssertionError(f"{len(unlinked_files)} files never linked, e.g. {sorted(unlinked_files)[:3]}")
    if dangling != set(plan.broken):
        raise AssertionError(
            f"dangling links differ from the planted set: {sorted(dangling ^ set(plan.broken))[:5]}"
        )
    plan.max_depth = max(seen.values())
    plan.expected_urls = len(seen)


def _resolve(here: str, href: str) -> str | None:
    """Absolute path of an href on a page in directory ``here``; None for other hosts.

    The generator writes only scheme-less internal links, so a plain path join is exact here.
    """
    if "://" in href:
        return None
    if href.startswith("/"):
        return href
    joined = posixpath.normpath(posixpath.join(here, href))
    if href.endswith("/") and joined != "/":
        joined += "/"
    return joined


# --------------------------------------------------------------------------- disk
def site_key(pages: int, broken: int, seed: int, slice_pages: int, slice_broken: int) -> str:
    raw = json.dumps([GEN_VERSION, pages, broken, seed, slice_pages, slice_broken])
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


def ensure_site(
    work: Path, pages: int, broken: int, seed: int, slice_pages: int, slice_broken: int, log=print
) -> tuple[Path, dict[str, object]]:
    """The document root for these parameters (generated once, then re-used) and its manifest.

    The main site lives at ``/``; a separate, self-contained slice (its own pages and planted
    links, never linked from the main site) lives at ``/slice/`` for the slow peer.
    """
    key = site_key(pages, broken, seed, slice_pages, slice_broken)
    root = work / f"site-{key}"
    manifest_path = root / "manifest.json"
    if manifest_path.exists():
        return root / "htdocs", json.loads(manifest_path.read_text())
    log(f"生成测试站点：{pages} 页 + 切片 {slice_pages} 页（seed={seed}）→ {root}")
    main = plan_site(pages, broken, seed, "/")
    part = plan_site(slice_pages, slice_broken, seed + 1, "/slice/")
    tmp = work / f"site-{key}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    htdocs = tmp / "htdocs"
    made: set[str] = set()
    total_bytes = 0
    for plan in (main, part):
        items: list[tuple[str, bytes]] = [(k, v.encode()) for k, v in plan.pages.items()]
        items += list(plan.files.items())
        for path, data in items:
            rel_path = path.lstrip("/")
            if rel_path == "" or rel_path.endswith("/"):
                rel_path += "index.html"
            f = htdocs / rel_path
            d = str(f.parent)
            if d not in made:
                os.makedirs(d, exist_ok=True)
                made.add(d)
            f.write_bytes(data)
            total_bytes += len(data)
    manifest = {
        "key": key,
        "params": {
            "pages": pages,
            "broken": broken,
            "seed": seed,
            "slice_pages": slice_pages,
            "slice_broken": slice_broken,
            "version": GEN_VERSION,
        },
        "bytes": total_bytes,
        "avg_page_bytes": round(sum(len(v.encode()) for v in main.pages.values()) / len(main.pages)),
        "main": main.summary(),
        "slice": part.summary(),
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    try:
        os.rename(tmp, root)
    except OSError:  # another run made it meanwhile
        shutil.rmtree(tmp, ignore_errors=True)
    return root / "htdocs", json.loads(manifest_path.read_text())


def main() -> None:
    """``python -m _crawl_peers.sitegen WORK PAGES BROKEN SEED SLICE_PAGES SLICE_BROKEN``.

    bench/crawl.py generates in a child process: building 20,000 pages in memory takes a few
    hundred MB, and a parent that large would leak into its crawlers' ``ru_maxrss`` (a child
    started by vfork/exec inherits the parent's RSS high-water mark).
    """
    import sys

    work, pages, broken, seed, slice_pages, slice_broken = sys.argv[1:7]
    root, _ = ensure_site(Path(work), int(pages), int(broken), int(seed), int(slice_pages), int(slice_broken))
    print(root)


if __name__ == "__main__":
    main()
