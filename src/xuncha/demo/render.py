"""Turn a :class:`~xuncha.demo.layout.SiteTree` into the static files of one CMS style.

Four families of government CMS output are imitated, each with its own URL scheme, navigation
markup, list markup, pagination, date format, footer and 找错 entry:

* ``trs``     Hanweb/TRS-like: ``/col/col1234/index.html`` columns paginated by
               ``createPageHTML(3, 0, "index", "html")``, articles ``/art/2025/3/10/art_1234_5678.html``.
* ``zwgk``    Beijing/Guangdong-like TRS WCM: pinyin folders ``/zwgk/tzgg/``, details
               ``./202503/t20250310_123456.html`` linked relatively, ``div#menu`` drop-downs.
* ``catalog`` information-disclosure catalogue: ``/xwzx/zwyw/`` with ``list_2.html`` pages,
               ``content/post_5678.html`` details, tables with 索引号/发文字号/发布日期.
* ``dede``    an old DedeCMS county site in GBK: table layout, ``/a/xwzx/zwyw/list_12_2.html``,
               ``2025年3月10日`` dates, ``/a/xwzx/zwyw/2025/0310/5678.html``.

The output is ``{site path: str | bytes}`` (``str`` = HTML/CSS/JS, encoded later in the site's
charset) plus server-side files (search index and result template, 404 page).
"""

from __future__ import annotations

import html
import posixpath
import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import quote

from xuncha.demo import assets, plants
from xuncha.demo.content import cn_date, resume
from xuncha.demo.layout import Article, Column, Guide, Message, Plant, Section, SiteTree
from xuncha.demo.sites import FRIEND_PORTALS, SITES

RESULTS_MARK = "<!--SEARCH_RESULTS-->"


def esc(s: str) -> str:
    return html.escape(s, quote=True)


@dataclass
class Footprint:
    """Identity marks of one site, decided once (also used by the conac stub)."""

    conac_id: str
    icp: str
    psb_code: str
    phone: str
    address: str


@dataclass
class Rendered:
    files: dict[str, str | bytes] = field(default_factory=dict)  # docroot path -> content
    search_index: list[dict[str, str]] = field(default_factory=list)
    search_template: str = ""
    not_found: str = ""
    search: dict[str, str] | None = None  # {"path", "param", "mode"}
    missing: list[str] = field(default_factory=list)  # paths linked on purpose but never written
    spider_home: str | None = None  # planted cloaking: the home page served to search-engine spiders


def footprint(tree: SiteTree) -> Footprint:
    rng = random.Random(f"footprint:{tree.site.id}")
    from xuncha.demo.content import pii_safe

    while True:
        conac = "".join(rng.choice("0123456789ABCDEF") for _ in range(32))
        if pii_safe(conac):
            break
    icp = f"青ICP备{rng.randint(10000000, 19999999)}号-{rng.randint(1, 3)}"
    psb = f"{tree.site.id[:6]}02{rng.randint(0, 999999):06d}"
    v = tree.site.voice
    assert v is not None
    return Footprint(conac, icp, psb, tree.gen.phone(), f"{v.region}人民路{rng.randint(1, 300)}号")


class Renderer:
    """Shared page furniture; subclasses set the URL scheme and the markup family."""

    style = "base"
    main_color = "#b5121b"
    accent = "#c8161e"
    html5 = True
    relative_links = False

    def __init__(self, tree: SiteTree, fp: Footprint, links: list[tuple[str, str]]) -> None:
        self.t = tree
        self.s = tree.site
        self.k = tree.site.knobs
        self.v = tree.site.voice
        self.fp = fp
        self.links = links  # (name, canonical URL) of related sites (部门网站)
        self.out = Rendered()
        self.rng = random.Random(f"render:{tree.site.id}")
        self.display_name = self.k.header_name or self.s.name

    # ================================================================== URL scheme (overridden)
    def home_path(self) -> str:
        return "/index.html"

    def section_path(self, sec: Section) -> str:
        raise NotImplementedError

    def column_path(self, col: Column, page: int = 0) -> str:
        raise NotImplementedError

    def detail_path(self, col: Column, when: date, aid: int) -> str:
        raise NotImplementedError

    def attachment_path(self, when: date, aid: int, n: int, ext: str) -> str:
        return f"/attach/{when.year}/{when.month:02d}/{aid}_{n}{ext}"

    def sitemap_path(self) -> str:
        return "/sitemap/index.html"

    def contact_path(self) -> str:
        return "/about/lxwm.html"

    def search_conf(self) -> dict[str, str]:
        return {"path": "/search", "param": "q"}

    # ================================================================== helpers
    def href(self, target: str, frm: str) -> str:
        """How this CMS writes a link to a site path from page ``frm``."""
        if target.startswith(("http://", "https://", "javascript:", "#")):
            return target
        if self.relative_links:
            rel = posixpath.relpath(target, posixpath.dirname(frm) or "/")
            return rel if rel.startswith("../") else "./" + rel
        return target

    def linked_path(self, target: str, frm: str) -> str:
        """The site path a link to ``target`` written on page ``frm`` resolves to."""
        href = self.href(target, frm)
        if href.startswith("/"):
            return href
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(frm), href))
        return joined + ("/" if href.endswith("/") else "")

    def dir_href(self, path: str) -> str:
        """Column links written as folders (``/zwgk/tzgg/``) where the CMS does so."""
        return path

    def fmt_list_date(self, d: date, col: Column | None = None, home: bool = False) -> str:
        return d.isoformat()

    def fmt_detail_time(self, dt: datetime) -> str:
        return dt.strftime("%Y-%m-%d %H:%M")

    def url(self, path: str) -> str:
        return f"{self.s.scheme}://{self.s.host}{path}"

    def write(self, path: str, content: str | bytes) -> None:
        self.out.files[path] = content

    # ================================================================== assign paths
    def assign_paths(self) -> None:
        for sec in self.t.sections:
            sec.path = self.section_path(sec)
        for col in self.t.columns:
            col.path = col.href if col.kind == "link" else self.column_path(col)
            for a in col.articles:
                a.path = self.detail_path(col, a.day, a.aid)
                for n, att in enumerate(a.attachments, start=1):
                    att.path = self.attachment_path(a.day, a.aid, n, att.ext)
            for m in col.messages:
                m.path = self.detail_path(col, m.ask.date(), m.mid)
            for g in col.guides:
                g.path = self.detail_path(col, g.updated, g.gid)
            for n, (att, d) in enumerate(col.forms, start=1):
                if not att.path:
                    att.path = self.attachment_path(d, col.cid, n, att.ext)

    # ================================================================== page chrome
    def head(self, title: str, page: str, col_name: str | None = None, art: tuple[str, datetime, str] | None = None, extra: str = "") -> str:
        metas = []
        if self.html5:
            metas.append('<meta charset="utf-8">' if self.s.encoding == "utf-8" else '<meta charset="gb2312">')
            metas.append('<meta http-equiv="X-UA-Compatible" content="IE=edge">')
            metas.append('<meta name="viewport" content="width=device-width, initial-scale=1.0">')
        else:
            cs = "utf-8" if self.s.encoding == "utf-8" else "gb2312"
            if self.k.meta_charset == "short":
                metas.append(f'<meta charset="{cs}">')
            else:
                metas.append(f'<meta http-equiv="Content-Type" content="text/html; charset={cs}" />')
        if self.k.meta:
            metas += [
                f'<meta name="SiteName" content="{esc(self.display_name)}">',
                f'<meta name="SiteDomain" content="{self.s.host}">',
                f'<meta name="SiteIDCode" content="{self.s.id}">',
            ]
            if col_name:
                metas += [f'<meta name="ColumnName" content="{esc(col_name)}">', f'<meta name="ColumnType" content="{esc(col_name)}">']
                metas.append(f'<meta name="ColumnDescription" content="{esc(self.display_name)}{esc(col_name)}栏目">')
                metas.append(f'<meta name="ColumnKeywords" content="{esc(col_name)}">')
            if art is not None:
                a_title, a_when, a_source = art
                metas += [
                    f'<meta name="ArticleTitle" content="{esc(a_title)}">',
                    f'<meta name="PubDate" content="{a_when:%Y-%m-%d %H:%M}">',
                    f'<meta name="ContentSource" content="{esc(a_source)}">',
                ]
        metas.append(f'<meta name="keywords" content="{esc(self.display_name)},{esc(self.v.region)},政务公开,政务服务">')
        metas.append(f'<meta name="description" content="{esc(self.display_name)}官方网站">')
        doctype = "<!DOCTYPE html>" if self.html5 else '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
        html_open = '<html lang="zh-CN">' if self.html5 else '<html xmlns="http://www.w3.org/1999/xhtml">'
        nl = "\n"
        return (
            f"{doctype}\n{html_open}\n<head>\n{nl.join(metas)}\n<title>{esc(title)}</title>\n"
            f'<link rel="stylesheet" type="text/css" href="{self.href("/css/style.css", page)}">\n'
            f'<script type="text/javascript" src="{self.href("/js/common.js", page)}"></script>\n{extra}</head>\n'
        )

    def search_form(self, page: str) -> str:
        if self.k.search == "none":
            return ""
        c = self.search_conf()
        hidden = "".join(f'<input type="hidden" name="{esc(n)}" value="{esc(v)}">' for n, v in self.search_hidden().items())
        return (
            f'<div class="search"><form name="searchform" action="{c["path"]}" method="get" target="_blank">{hidden}'
            f'<input type="text" name="{c["param"]}" class="text" placeholder="请输入关键字" value="">'
            '<input type="submit" class="btn" value="搜索"></form></div>'
        )

    def search_hidden(self) -> dict[str, str]:
        return {}

    def header(self, page: str) -> str:
        name = esc(self.display_name)
        tools = '<a href="javascript:void(0);" onclick="addFavorite()">加入收藏</a>'
        if self.s.clean:
            tools += ' | <a href="javascript:void(0);" id="wza">无障碍浏览</a> | <a href="javascript:void(0);" id="zzb">长者模式</a>'
        return (
            f'<div class="header"><div class="w1200"><div class="logo">'
            f'<a href="{self.href(self.home_path(), page)}"><img src="{self.href("/images/logo.png", page)}" alt="{name}" width="80" height="80"></a>'
            f"<h1>{name}</h1></div>"
            f'<div class="toptools"><span id="nowDate"></span> {tools}</div>{self.search_form(page)}</div></div>\n'
            "<script>showDate('nowDate');</script>\n"
        )

    def nav_items(self) -> list[tuple[str, str, list[tuple[str, str]]]]:
        items: list[tuple[str, str, list[tuple[str, str]]]] = [("首页", self.home_path(), [])]
        for sec in self.t.sections:
            items.append((sec.name, sec.path, [(c.name, c.path) for c in sec.columns]))
        items += [(name, url, []) for name, url in self.t.nav_links]
        return items

    def nav(self, page: str) -> str:
        items = self.nav_items()
        kind = self.k.nav
        if kind == "table":
            cells = "".join(
                f'<td><a href="{self.href(p, page)}">{esc(n)}</a></td><td class="sep">|</td>' for n, p, _ in items
            )
            return f'<table class="nav" width="100%" border="0" cellspacing="0" cellpadding="0"><tr>{cells}</tr></table>\n'
        if kind == "menu":
            lis = []
            for n, p, subs in items:
                dl = "".join(f'<dd><a href="{self.href(sp, page)}">{esc(sn)}</a></dd>' for sn, sp in subs)
                lis.append(f'<li><a href="{self.href(p, page)}">{esc(n)}</a>{"<dl>" + dl + "</dl>" if dl else ""}</li>')
            return f'<div id="menu"><div class="w1200"><ul>{"".join(lis)}</ul></div></div>\n'
        if kind == "nav":
            lis = "".join(f'<li><a href="{self.dir_href(p)}">{esc(n)}</a></li>' for n, p, _ in items)
            return f'<nav class="mainnav"><div class="w1200"><ul>{lis}</ul></div></nav>\n'
        if kind == "daohang":
            lis = "".join(f'<li><a href="{self.dir_href(p)}">{esc(n)}</a></li>' for n, p, _ in items)
            return f'<div class="daohang"><ul class="clearfix">{lis}</ul></div>\n'
        lis = "".join(f'<li><a href="{self.href(p, page)}">{esc(n)}</a></li>' for n, p, _ in items)
        return f'<div class="nav-wrap"><ul class="nav">{lis}</ul></div>\n'

    def crumbs(self, page: str, trail: list[tuple[str, str]]) -> str:
        parts = [f'<a href="{self.href(self.home_path(), page)}">首页</a>']
        for n, p in trail:
            parts.append(f'<a href="{self.href(p, page)}">{esc(n)}</a>' if p else esc(n))
        return f'<div class="position">当前位置：{" &gt; ".join(parts)}</div>\n'

    # ------------------------------------------------------------------ footer and 找错
    def zhaocuo(self, page: str) -> str:
        code = self.k.zhaocuo_code or self.s.id
        kind = self.k.zhaocuo
        if kind == "a":
            target = quote(self.url("/" if page == self.home_path() else page), safe="")
            return (
                f'<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={code}&amp;url={target}" target="_blank">'
                f'<img src="{self.href("/images/jiucuo.png", page)}" alt="政府网站找错" width="110" height="55"></a>'
            )
        if kind == "js":
            return (
                f'<script type="text/javascript" src="{self.href("/js/jiucuo.js", page)}"></script>'
                f'<img src="{self.href("/images/jiucuo.png", page)}" onclick="Link(\'{code}\')" style="cursor:pointer" alt="找错">'
            )
        if kind == "embed":
            return f"<script id=\"_jiucuo_\" sitecode='{code}' src='https://zfwzgl.www.gov.cn/exposure/jiucuo.js'></script>"
        return ""

    def footer_lines(self, page: str) -> list[str]:
        k, fp = self.k, self.fp
        miss = k.footer_missing
        host_unit = self.v.office if self.s.is_portal else self.v.unit
        if self.s.clean:
            host_unit = self.s.owner
        lines = []
        top = []
        if k.sitemap and "sitemap" not in miss:
            top.append(f'<a href="{self.href(self.sitemap_path(), page)}">网站地图</a>')
        top.append(f'<a href="{self.href(self.contact_path(), page)}">联系我们</a>')
        lines.append(" | ".join(top))
        if "host" not in miss:
            org = "" if not self.s.is_portal else f"　承办：{self.v.region}大数据中心"
            lines.append(f"主办单位：{esc(host_unit)}{org}")
        marks = []
        if "code" not in miss:
            marks.append(f"网站标识码：{k.footer_code or self.s.id}")
        if "icp" not in miss:
            marks.append(f'<a href="https://beian.miit.gov.cn/" target="_blank">{fp.icp}</a>')
        if "psb" not in miss:
            marks.append(
                f'<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={fp.psb_code}" target="_blank">'
                f'<img src="{self.href("/images/gongan.png", page)}" alt="">青公网安备 {fp.psb_code}号</a>'
            )
        if marks:
            lines.append("　".join(marks))
        if "contact" not in miss:
            lines.append(f"联系电话：{fp.phone}　地址：{esc(fp.address)}")
        lines.append("建议使用1366×768分辨率及以上浏览器浏览本网站")
        return lines

    def badges(self, page: str) -> str:
        out = ""
        if "conac" not in self.k.footer_missing:
            img = "https://dcs.conac.cn/image/red.png" if self.style in ("trs", "catalog") else self.href("/images/red.png", page)
            out += (
                f'<a href="https://bszs.conac.cn/sitename?method=show&amp;id={self.fp.conac_id}" target="_blank">'
                f'<img id="imgConac" src="{img}" alt="党政机关" width="55" height="68"></a>'
            )
        return out + self.zhaocuo(page)

    def footer(self, page: str) -> str:
        lines = "".join(f"<p>{ln}</p>" for ln in self.footer_lines(page))
        return f'<div class="footer"><div class="w1200"><div class="badges">{self.badges(page)}</div>{lines}</div></div>\n'

    def page(self, path: str, title: str, body: str, col: Column | None = None, art: Article | None = None, head_extra: str = "",
             meta: tuple[str, datetime, str] | None = None, col_name: str | None = None) -> None:
        html_text = (
            self.head_for(title, path, col, art, head_extra, meta, col_name)
            + '<body>\n'
            + self.header(path)
            + self.nav(path)
            + f'<div class="w1200 main">\n{body}\n</div>\n'
            + self.footer(path)
            + "</body>\n</html>\n"
        )
        self.write(path, html_text)

    def head_for(self, title: str, path: str, col: Column | None, art: Article | None, extra: str,
                 meta: tuple[str, datetime, str] | None, col_name: str | None) -> str:
        if art is not None and meta is None:
            meta = (art.title, art.when, art.source)
        return self.head(title, path, col_name or (col.name if col else None), meta, extra)

    def page_title(self, *parts: str) -> str:
        return "_".join([*parts, self.display_name])

    # ================================================================== lists
    def item_li(self, a: Article, page: str, col: Column | None = None, home: bool = False) -> str:
        d = self.fmt_list_date(a.day, col or a.column, home)
        return f'<li><a href="{self.href(a.path, page)}" target="_blank" title="{esc(a.title)}">{esc(a.title)}</a><span class="date">{d}</span></li>'

    def list_block(self, col: Column, arts: list[Article], page: str) -> str:
        if col.listing == "table":
            rows = []
            for i, a in enumerate(arts, start=1):
                idx = f"{self.s.id[:6]}{col.cid % 1000:03d}/{a.day.year}-{a.aid % 100000:05d}"
                rows.append(
                    f"<tr><td>{i}</td><td>{idx}</td><td class=\"tit\"><a href=\"{self.href(a.path, page)}\" target=\"_blank\">{esc(a.title)}</a></td>"
                    f"<td>{esc(a.docno or '—')}</td><td>{a.day.isoformat()}</td></tr>"
                )
            return (
                '<table class="xxgk" cellspacing="0"><thead><tr><th>序号</th><th>索引号</th><th>标题</th><th>发文字号</th><th>发布日期</th></tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table>"
            )
        if col.listing == "datastore":
            recs = "".join(f"<record><![CDATA[\n{self.item_li(a, page, col)}\n]]></record>" for a in arts)
            return (
                f'<div id="{col.cid}"><script type="text/xml"><datastore><nextgroup><![CDATA[]]></nextgroup>'
                f"<recordset>{recs}</recordset></datastore></script></div>"
                '<script type="text/javascript">/* 列表由 jcms 组件渲染 */</script>'
            )
        return f'<ul class="list">{"".join(self.item_li(a, page, col) for a in arts)}</ul>'

    def pagination(self, col: Column, page_no: int, pages: int, path: str) -> str:
        if pages <= 1:
            return ""
        links = []
        if page_no > 0:
            links.append(f'<a href="{self.href(self.column_path(col, 0), path)}">首页</a>')
            links.append(f'<a href="{self.href(self.column_path(col, page_no - 1), path)}">上一页</a>')
        if page_no < pages - 1:
            links.append(f'<a href="{self.href(self.column_path(col, page_no + 1), path)}">下一页</a>')
            links.append(f'<a href="{self.href(self.column_path(col, pages - 1), path)}">尾页</a>')
        links.append(f"<span>第{page_no + 1}页/共{pages}页</span>")
        return f'<div class="pagination">{" ".join(links)}</div>'

    # ================================================================== rendering
    def render(self) -> Rendered:
        self.assign_paths()
        self.static_files()
        self.render_home()
        for sec in self.t.sections:
            self.render_section(sec)
        for col in self.t.columns:
            self.render_column(col)
        if self.k.sitemap:
            self.render_sitemap()
        self.render_contact()
        self.render_server_pages()
        self.plant_broken_links()
        self.plant_home_html()
        return self.out

    def static_files(self) -> None:
        self.write("/css/style.css", assets.stylesheet(self.main_color, self.accent))
        self.write("/js/common.js", assets.COMMON_JS)
        self.write("/js/page.js", assets.PAGE_JS)
        if self.k.zhaocuo == "js":
            self.write("/js/jiucuo.js", assets.JIUCUO_LOCAL_JS)
        if self.k.zhaocuo in ("a", "js"):
            self.write("/images/jiucuo.png", assets.png_flat(110, 55, (200, 20, 30), (255, 255, 255)))
        self.write("/images/logo.png", assets.png_flat(80, 80, (190, 20, 30), (250, 210, 60)))
        self.write("/images/gongan.png", assets.png_flat(18, 20, (60, 90, 160)))
        self.write("/images/red.png", assets.png_flat(55, 68, (210, 20, 20), (255, 230, 0)))
        for path, data in self.t.files.items():
            self.write(path, data)

    # ------------------------------------------------------------------ home
    def home_blocks(self, page: str) -> list[str]:
        """Blocks of the home page in reading order (styles rearrange or wrap them)."""
        t = self.t
        blocks = []
        pics = t.column("tpxw")
        if pics and pics.articles:
            slides = "".join(
                f'<li><a href="{self.href(a.path, page)}" target="_blank"><img src="{self.href(a.image, page)}" alt="{esc(a.title)}" width="320" height="200"></a>'
                f'<p><a href="{self.href(a.path, page)}" target="_blank">{esc(a.title)}</a></p></li>'
                for a in pics.articles[:4]
            )
            blocks.append(f'<div class="focus slide"><ul>{slides}</ul></div>')
        news_keys = ("zwyw", "gzdt", "bmdt", "xzdt", "ldhd", "lyzx")
        news_cols = [c for k in news_keys if (c := t.column(k)) is not None and c.articles]
        if news_cols:
            blocks.append(self.tab_block("news", news_cols[:3], page, 7))
        open_cols = [c for k in ("tzgg", "zcwj", "zcjd", "rsxx") if (c := t.column(k)) is not None and c.articles]
        if open_cols:
            blocks.append(self.tab_block("gk", open_cols, page, 6))
        svc = t.column("bszn")
        if svc and svc.guides:
            lis = "".join(f'<li><a href="{self.href(g.path, page)}" target="_blank">{esc(g.title)}</a></li>' for g in svc.guides[:6])
            blocks.append(f'<div class="box bsfw"><div class="box-hd"><h3>办事服务</h3><a href="{self.href(svc.path, page)}" class="more">更多</a></div>'
                          f'<ul class="guide-list">{lis}</ul><p><a href="https://zwfw.shili.gov.cn/" target="_blank">示例省政务服务网</a></p></div>')
        elif t.nav_links:
            links = "".join(f'<p><a href="{u}" target="_blank">{esc(n)}：示例省政务服务网</a></p>' for n, u in t.nav_links)
            blocks.append(f'<div class="box bsfw"><div class="box-hd"><h3>办事服务</h3></div>{links}</div>')
        board = next((c for c in t.columns if c.kind == "board"), None)
        if board and board.messages:
            rows = "".join(
                f'<li><a href="{self.href(m.path, page)}" target="_blank">{esc(m.title)}</a><span>{"已回复" if m.replied else "办理中"}</span></li>'
                for m in board.messages[:5]
            )
            blocks.append(f'<div class="box hdjl"><div class="box-hd"><h3>{esc(board.name)}</h3><a href="{self.href(board.path, page)}" class="more">更多</a></div><ul>{rows}</ul></div>')
        if t.specials:
            banners = "".join(
                f'<a href="{self.href(c.path, page)}" target="_blank" title="{esc(c.name)}">{esc(c.name)}专题</a>' for c in t.specials
            )
            blocks.append(f'<div class="box ztzl"><div class="box-hd"><h3>专题专栏</h3></div><div class="zt-list">{banners}</div></div>')
        if t.annual_report is not None and not self.k.legacy_days:
            a = t.annual_report
            blocks.append(f'<div class="box ndbb"><a href="{self.href(a.path, page)}" target="_blank">{esc(a.title)}</a></div>')
        blocks.append(self.related_links(page))
        return blocks

    def related_links(self, page: str) -> str:
        opts = [("中国政府网", "https://www.gov.cn/"), ("示例省人民政府", "https://www.shili.gov.cn/")]
        lis = "".join(f'<a href="{u}" target="_blank">{esc(n)}</a>' for n, u in opts)
        dept = "".join(f'<option value="{u}">{esc(n)}</option>' for n, u in self.links)
        sel = f'<select onchange="if(this.value){{window.open(this.value);}}"><option value="">部门网站</option>{dept}</select>' if dept else ""
        return f'<div class="box links"><div class="box-hd"><h3>相关链接</h3></div>{lis} {sel}</div>'

    def tab_block(self, group: str, cols: list[Column], page: str, n: int) -> str:
        heads = "".join(
            f'<li data-tab-group="{group}" class="{"on" if i == 0 else ""}" onmouseover="tabSwitch(\'{group}\',{i})"><a href="{self.href(c.path, page)}">{esc(c.name)}</a></li>'
            for i, c in enumerate(cols)
        )
        bodies = "".join(
            f'<div id="{group}_{i}" class="tab-con" style="display:{"block" if i == 0 else "none"}"><ul class="news-list">'
            + "".join(self.item_li(a, page, c, home=True) for a in c.articles[:n])
            + f'</ul><a class="more" href="{self.href(c.path, page)}">更多&gt;&gt;</a></div>'
            for i, c in enumerate(cols)
        )
        return f'<div class="box tab-box"><ul class="tab-hd">{heads}</ul>{bodies}</div>'

    def render_home(self) -> None:
        p = self.home_path()
        body = "\n".join(self.home_blocks(p))
        self.page(p, f"{self.display_name}", body, head_extra="")
        if p != "/index.html":
            self.write("/index.html", self.out.files[p])

    # ------------------------------------------------------------------ sections and columns
    def render_section(self, sec: Section) -> None:
        p = sec.path
        boxes = []
        for c in sec.columns:
            if c.kind == "link":
                boxes.append(f'<div class="box"><div class="box-hd"><h3><a href="{c.href}" target="_blank">{esc(c.name)}</a></h3></div></div>')
                continue
            inner = ""
            if c.articles:
                inner = "<ul class=\"list\">" + "".join(self.item_li(a, p, c) for a in c.articles[:5]) + "</ul>"
            elif c.guides:
                inner = "<ul class=\"list\">" + "".join(f'<li><a href="{self.href(g.path, p)}">{esc(g.title)}</a></li>' for g in c.guides[:5]) + "</ul>"
            elif c.messages:
                inner = "<ul class=\"list\">" + "".join(f'<li><a href="{self.href(m.path, p)}">{esc(m.title)}</a><span class="date">{self.fmt_list_date(m.ask.date(), c)}</span></li>' for m in c.messages[:5]) + "</ul>"
            boxes.append(f'<div class="box"><div class="box-hd"><h3><a href="{self.href(c.path, p)}">{esc(c.name)}</a></h3><a class="more" href="{self.href(c.path, p)}">更多</a></div>{inner}</div>')
        left = "".join(f'<li><a href="{self.href(c.path, p)}">{esc(c.name)}</a></li>' for c in sec.columns)
        body = (
            self.crumbs(p, [(sec.name, "")])
            + f'<div class="left"><h2>{esc(sec.name)}</h2><ul class="subnav">{left}</ul></div>'
            + f'<div class="right">{"".join(boxes)}</div>'
        )
        self.page(p, self.page_title(sec.name), body, col_name=sec.name)

    def column_frame(self, col: Column, page: str, inner: str) -> str:
        sec = col.section
        trail = [(sec.name, sec.path)] if sec else []
        trail.append((col.name, ""))
        side = ""
        if sec is not None:
            on = ' class="on"'
            side = "".join(
                f'<li{on if c is col else ""}><a href="{self.href(c.path, page)}">{esc(c.name)}</a></li>' for c in sec.columns
            )
            side = f'<div class="left"><h2>{esc(sec.name)}</h2><ul class="subnav">{side}</ul></div>'
        cycle = f'<p class="cycle">{esc(col.cycle)}</p>' if col.cycle else ""
        return self.crumbs(page, trail) + side + f'<div class="right"><div class="col-title"><h3>{esc(col.name)}</h3></div>{cycle}{inner}</div>'

    def render_column(self, col: Column) -> None:
        if col.kind == "link":
            return
        if col.kind == "single":
            self.render_single(col)
            return
        if col.kind == "board":
            self.render_board(col)
            return
        if col.kind == "guides":
            self.render_guides(col)
            return
        if col.kind == "forms":
            self.render_forms(col)
            return
        if col.blank:
            self.render_blank(col)
            return
        if col.note and not col.articles:
            inner = f'<div class="no-info"><p>{esc(col.note)}</p></div>'
            self.page(col.path, self.page_title(col.name), self.column_frame(col, col.path, inner), col=col)
            return
        arts = col.articles
        size = col.page_size
        pages = max(1, (len(arts) + size - 1) // size)
        for n in range(pages):
            path = self.column_path(col, n)
            chunk = arts[n * size:(n + 1) * size]
            inner = self.list_block(col, chunk, path) + self.pagination(col, n, pages, path)
            self.page(path, self.page_title(col.name), self.column_frame(col, path, inner), col=col,
                      head_extra=self.list_head_extra())
        for a in arts:
            self.render_article(a)

    def list_head_extra(self) -> str:
        return ""

    def render_blank(self, col: Column) -> None:
        variants = ('<ul class="list"><li class="empty">暂无信息</li></ul>', '<div class="nodata">暂无数据</div>', '<ul class="list"></ul><p>暂无信息</p>')
        inner = variants[col.cid % len(variants)]
        self.page(col.path, self.page_title(col.name), self.column_frame(col, col.path, inner), col=col)

    def render_single(self, col: Column) -> None:
        paras = "".join(f"<p>{esc(p)}</p>" for p in col.single)
        if col.key == "ldxx_info":
            rows = "".join(
                f'<div class="leader"><img src="{self.href("/images/logo.png", col.path)}" alt="{esc(n)}" width="80" height="80"><h4>{esc(n)}</h4>'
                f"<p>职务：{esc(self.leader_title(t))}</p><p>简历：{esc(resume(n, self.leader_title(t), self.rng))}</p><p>分工：{esc(d)}</p></div>"
                for n, t, d in self.t.leaders
            )
            paras = rows or paras
        if col.key == "jgsz":
            duties = {"统计局": "统计调查和统计数据发布", "民政局": "社会救助、养老服务和社会组织管理", "财政局": "财政预算编制、执行和财政监督",
                      "自然资源和规划局": "国土空间规划和自然资源管理", "卫生健康委员会": "卫生健康事业发展和公共卫生管理"}
            items = "".join(f'<li><a href="{u}" target="_blank">{esc(n)}</a>：负责本行业管理和公共服务工作。</li>' for n, u in self.links)
            plain = "".join(f"<li>{esc(self.v.region)}{d}：负责{duty}工作。</li>" for d, duty in duties.items())
            paras = (f'<p>{esc(self.v.region)}人民政府设置工作部门{len(self.links) + len(duties)}个，'
                     f'各部门按照“三定”规定履行职责，具体如下：</p><ul class="dept">{items}{plain}</ul>')
        updated = f'<p class="update">更新时间：{col.updated.isoformat()}</p>' if col.updated else ""
        att = ""
        for a, _d in col.forms:
            att += f'<p class="attach">附件：<a href="{self.href(a.path, col.path)}">{esc(a.name)}</a></p>'
            if a.data is not None:
                self.write(a.path, a.data)
        inner = f'<div class="article-con">{paras}{att}</div>{updated}'
        self.page(col.path, self.page_title(col.name), self.column_frame(col, col.path, inner), col=col)

    def leader_title(self, t: str) -> str:
        return f"{self.v.unit}{t}"

    # ------------------------------------------------------------------ details
    def article_meta_line(self, a: Article) -> str:
        return (
            f'<div class="info"><span>发布时间：{self.fmt_detail_time(a.when)}</span>'
            f'<span>来源：{esc(a.source)}</span><span>浏览次数：<span id="hits"></span></span>'
            '<span>字号：[ <a href="javascript:void(0)">大</a> <a href="javascript:void(0)">中</a> <a href="javascript:void(0)">小</a> ]</span></div>'
        )

    def render_article(self, a: Article) -> None:
        p = a.path
        col = a.column
        parts = []
        if a.docno:
            parts.append(
                '<table class="xxgk-info"><tr><td>发文机关：</td><td>' + esc(a.source) + "</td><td>发文字号：</td><td>" + esc(a.docno)
                + "</td></tr><tr><td>成文日期：</td><td>" + cn_date(a.day) + "</td><td>发布日期：</td><td>" + a.day.isoformat() + "</td></tr></table>"
            )
        if a.image:
            parts.append(f'<p style="text-align:center"><img src="{self.href(a.image, p)}" alt="{esc(a.title)}" width="320" height="200"></p>')
        parts += [f"<p>{esc(x)}</p>" for x in a.body]
        if "end" in a.extra:
            status = "已结束" if date.fromisoformat(a.extra["end"]) < self.t.as_of else "进行中"
            parts.append(f'<p class="state">征集状态：{status}</p>')
            if "result" in a.extra:
                parts.append(f'<div class="feedback"><h4>征集结果反馈</h4><p>{esc(a.extra["result"])}</p></div>')
        for att in a.attachments:
            parts.append(f'<p class="attach">附件：<a href="{self.href(att.path, p)}" target="_blank">{esc(att.name)}</a></p>')
            if att.data is not None:
                self.write(att.path, att.data)
        for r in a.related_articles:
            label = "相关解读" if r.column.key == "zcjd" else "相关文件"
            parts.append(f'<p class="related">{label}：<a href="{self.href(r.path, p)}">{esc(r.title)}</a></p>')
        for text, target in a.related:
            parts.append(f'<p class="related">相关阅读：<a href="{self.href(target, p)}">{esc(text)}</a></p>')
        sec = col.section
        trail = ([(sec.name, sec.path)] if sec else []) + [(col.name, col.path), ("正文", "")]
        body = (
            self.crumbs(p, trail)
            + f'<div class="article"><h1>{esc(a.title)}</h1>{self.article_meta_line(a)}<div class="article-con" id="zoom">{"".join(parts)}</div>'
            + '<div class="print"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div></div>'
        )
        self.page(p, self.page_title(a.title), body, col=col, art=a)

    # ------------------------------------------------------------------ boards, guides, forms
    def board_labels(self) -> tuple[str, str, str]:
        return ("留言时间", "回复时间", "状态")

    def render_board(self, col: Column) -> None:
        ask_l, rep_l, st_l = self.board_labels()
        msgs = col.messages
        size = col.page_size
        pages = max(1, (len(msgs) + size - 1) // size)
        for n in range(pages):
            path = self.column_path(col, n)
            rows = "".join(
                f'<tr><td>{i}</td><td class="tit"><a href="{self.href(m.path, path)}" target="_blank">{esc(m.title)}</a></td>'
                f"<td>{m.ask:%Y-%m-%d}</td><td>{m.reply.strftime('%Y-%m-%d') if m.reply else ''}</td>"
                f'<td>{"已回复" if m.replied else "办理中"}</td></tr>'
                for i, m in enumerate(msgs[n * size:(n + 1) * size], start=n * size + 1)
            )
            table = (
                f'<p class="intro">欢迎您通过{esc(col.name)}反映问题、提出建议。我们将在15个工作日内答复。'
                f'<a href="javascript:void(0)" onclick="alert(\'请登录后写信\')">我要写信</a></p>'
                f'<table class="letters"><thead><tr><th>序号</th><th>信件标题</th><th>{ask_l}</th><th>{rep_l}</th><th>{st_l}</th></tr></thead><tbody>{rows}</tbody></table>'
            )
            self.page(path, self.page_title(col.name), self.column_frame(col, path, table + self.pagination(col, n, pages, path)), col=col)
        for m in msgs:
            self.render_message(col, m)

    def render_message(self, col: Column, m: Message) -> None:
        p = m.path
        ask_l, rep_l, _ = self.board_labels()
        reply = (
            f'<tr><th>回复单位</th><td>{esc(m.unit)}</td></tr><tr><th>{rep_l}</th><td>{m.reply:%Y-%m-%d %H:%M}</td></tr>'
            f"<tr><th>回复内容</th><td>{esc(m.answer)}</td></tr>"
            if m.reply
            else '<tr><th>办理状态</th><td>办理中</td></tr>'
        )
        body = (
            self.crumbs(p, [(col.section.name if col.section else "", col.section.path if col.section else ""), (col.name, col.path), ("信件详情", "")])
            + f'<div class="letter"><h1>{esc(m.title)}</h1><table class="letter-detail">'
            f"<tr><th>来信人</th><td>{esc(m.asker)}</td></tr><tr><th>{ask_l}</th><td>{m.ask:%Y-%m-%d %H:%M}</td></tr>"
            f"<tr><th>来信内容</th><td>{esc(m.question)}</td></tr>{reply}</table></div>"
        )
        self.page(p, self.page_title(m.title, col.name), body, col=col, meta=(m.title, m.ask, m.unit))

    def render_guides(self, col: Column) -> None:
        path = col.path
        rows = "".join(
            f'<li><a href="{self.href(g.path, path)}" target="_blank">{esc(g.title)}</a><span class="date">{g.updated.isoformat()}</span></li>'
            for g in col.guides
        )
        self.page(path, self.page_title(col.name), self.column_frame(col, path, f'<ul class="list guide-list">{rows}</ul>'), col=col)
        for g in col.guides:
            self.render_guide(col, g)

    def guide_fields_html(self, g: Guide) -> str:
        rows = "".join(f"<tr><th>{esc(label)}</th><td>{esc(value)}</td></tr>" for label, value in g.fields)
        return f'<table class="bszn" cellspacing="0">{rows}</table>'

    def render_guide(self, col: Column, g: Guide) -> None:
        p = g.path
        forms = "".join(
            f'<p class="attach">表格下载：<a href="{self.href(a.path, p)}">{esc(a.name)}</a></p>' for a in g.forms
        )
        online = '<p><a href="https://zwfw.shili.gov.cn/" target="_blank" class="btn">在线办理</a></p>'
        body = (
            self.crumbs(p, [(col.section.name, col.section.path) if col.section else ("", ""), (col.name, col.path), (g.title, "")])
            + f'<div class="guide"><h1>{esc(g.title)}</h1><p class="update">更新时间：{g.updated.isoformat()}</p>'
            + self.guide_fields_html(g) + forms + online + "</div>"
        )
        self.page(p, self.page_title(g.title), body, col=col, meta=(g.title, datetime.combine(g.updated, time(9, 0)), self.v.unit))

    def render_forms(self, col: Column) -> None:
        path = col.path
        rows = []
        for att, d in col.forms:
            rows.append(f'<li><a href="{self.href(att.path, path)}" target="_blank">{esc(att.name)}</a><span class="date">{d.isoformat()}</span></li>')
            if att.data is not None:
                self.write(att.path, att.data)
            else:
                self.out.missing.append(att.path)
        self.page(path, self.page_title(col.name), self.column_frame(col, path, f'<ul class="list down-list">{"".join(rows)}</ul>'), col=col)

    # ------------------------------------------------------------------ misc pages
    def render_sitemap(self) -> None:
        p = self.sitemap_path()
        secs = []
        for sec in self.t.sections:
            cols = "".join(f'<li><a href="{self.href(c.path, p)}">{esc(c.name)}</a></li>' for c in sec.columns)
            secs.append(f'<div class="map-sec"><h3><a href="{self.href(sec.path, p)}">{esc(sec.name)}</a></h3><ul>{cols}</ul></div>')
        if self.t.specials:
            cols = "".join(f'<li><a href="{self.href(c.path, p)}">{esc(c.name)}</a></li>' for c in self.t.specials)
            secs.append(f"<div class=\"map-sec\"><h3>专题专栏</h3><ul>{cols}</ul></div>")
        self.page(p, self.page_title("网站地图"), self.crumbs(p, [("网站地图", "")]) + f'<div class="sitemap">{"".join(secs)}</div>')

    def render_contact(self) -> None:
        p = self.contact_path()
        body = self.crumbs(p, [("联系我们", "")]) + (
            f'<div class="article-con"><p>单位名称：{esc(self.v.office if self.s.is_portal else self.v.unit)}</p>'
            f"<p>通讯地址：{esc(self.fp.address)}</p><p>邮政编码：999100</p><p>联系电话：{self.fp.phone}</p>"
            "<p>受理时间：工作日上午9:00—12:00，下午13:30—17:30</p></div>"
        )
        self.page(p, self.page_title("联系我们"), body)

    def render_server_pages(self) -> None:
        if self.k.search != "none":
            conf = dict(self.search_conf())
            conf["mode"] = "empty" if self.k.search == "empty" else "ok"
            self.out.search = conf
            p = conf["path"]
            body = self.crumbs(p, [("站内搜索", "")]) + f'<div class="search-result">{RESULTS_MARK}</div>'
            self.out.search_template = self._page_text(p, self.page_title("搜索结果"), body)
            for a in self.t.articles():
                self.out.search_index.append({"title": a.title, "path": a.path, "date": a.day.isoformat(), "text": (a.body[0] if a.body else "")[:120]})
            for col in self.t.columns:
                for g in col.guides:
                    self.out.search_index.append({"title": g.title, "path": g.path, "date": g.updated.isoformat(), "text": g.fields[0][1]})
        body = (
            '<div class="error404"><h2>抱歉，您访问的页面不存在或已被删除！</h2>'
            f'<p><a href="{self.home_path()}">返回首页</a></p></div>'
        )
        self.out.not_found = self._page_text("/404.html", self.page_title("404"), body)

    def _page_text(self, path: str, title: str, body: str) -> str:
        """A page served by the server at any path (404, search): links must be absolute."""
        relative, self.relative_links = self.relative_links, False
        try:
            self.page(path, title, body)
        finally:
            self.relative_links = relative
        return str(self.out.files.pop(path))

    def plant_broken_links(self) -> None:
        """W.LINK.BROKEN_HOME / W.LINK.BROKEN_OTHER: links to pages that were deleted."""
        k = self.k
        if k.broken_home_links:
            home = self.home_path()
            dead = "/zt/2023cjwm/index.html"
            img = "/images/banner_2023cjwm.jpg"
            snippet = (
                f'<div class="box zt-old"><a href="{self.href(dead, home)}" target="_blank">'
                f'<img src="{self.href(img, home)}" alt="2023年创建全国文明城市专题" width="380" height="80"></a></div>'
            )
            text = str(self.out.files[home]).replace('<div class="box links">', snippet + '<div class="box links">', 1)
            self.out.files[home] = text
            if home != "/index.html":
                self.out.files["/index.html"] = text
            self.out.missing += [self.linked_path(dead, home), self.linked_path(img, home)]
        if k.broken_inner_links:
            news = [a for c in self.t.columns if c.fresh == "news" for a in c.articles]
            for a in news[: k.broken_inner_links]:
                dead_aid = a.aid - 7
                target = self.detail_path(a.column, a.day - timedelta(days=30), dead_aid)
                text = str(self.out.files[a.path])
                link = f'<p class="related">相关阅读：<a href="{self.href(target, a.path)}">{esc(self.v.region)}相关工作情况通报（第{dead_aid % 97}期）</a></p>'
                self.out.files[a.path] = text.replace('<div class="print">', link + '<div class="print">', 1)
                self.out.missing.append(self.linked_path(target, a.path))

    def plant_home_html(self) -> None:
        """Render-level plants (xuncha.demo.plants): dark links, cloaking, legitimate hidden content."""
        wanted = self.k.plants & plants.RENDER_PLANTS
        if not wanted:
            return
        home = self.home_path()
        text = str(self.out.files[home])
        if "dark_links" in wanted:
            dark = plants.dark_link_html()
            text = text.replace("</head>", dark["style"] + "</head>", 1)
            text = text.replace("<body>\n", "<body>\n" + dark["offscreen"], 1)
            text = text.replace("</body>", dark["css_hidden"] + dark["script"] + "</body>", 1)
            for what, how in (("屏幕外定位（left:-9999px）的区块中有6个指向博彩网站的链接", "offscreen"),
                              ("<style> 中 display:none 的样式类 .hz-links 隐藏了3个指向博彩网站的链接", "css_hidden"),
                              ("document.write(unescape(\"%3Ca...\")) 写出指向博彩网站的转义链接", "script")):
                self.t.plants.append(Plant("W.VETO.SECURITY", what, path=home,
                                           detail={"how": how, "host": plants.GAMBLING_HOST}
                                           | ({"url": dark["written_url"]} if how == "script" else {})))
        if "hidden_ok" in wanted:
            cols = [(c.name, self.href(c.path, home)) for s in self.t.sections[:2] for c in s.columns if c.kind != "link"][:8]
            svc = self.t.column("bszn")
            panel = [(g.title, self.href(g.path, home)) for g in svc.guides[:4]] if svc else cols[:3]
            friends = [(s.name, s.canonical_url) for s in SITES if s.clean and s.is_portal and s.id != self.s.id]
            friends += [(name, f"https://{host}/") for host, name in FRIEND_PORTALS.items()]
            ok = plants.hidden_ok_html(cols, panel, friends)
            text = text.replace("</head>", ok["style"] + "</head>", 1)
            text = text.replace("<body>\n", "<body>\n" + ok["skip"], 1)
            text = text.replace('<div class="w1200 main">', '<div class="w1200 main" id="main">', 1)
            text = text.replace('<div class="box links">', ok["blocks"] + '<div class="box links">', 1)
            for what in ("display:none 的下拉菜单，链接均指向本站栏目", "CSS 隐藏的选项卡面板，链接均指向本站办事指南",
                         "屏幕外定位的「跳转到主要内容」链接（#main）", "可见的友情链接区块，链接到其他政府门户网站"):
                self.t.plants.append(Plant("W.VETO.SECURITY", what, path=home, lookalike=True))
        self.out.files[home] = text
        if home != "/index.html":
            self.out.files["/index.html"] = text
        if "cloak" in wanted:
            title = f"<title>{esc(self.display_name)}_{plants.SPIDER_TITLE_WORDS}</title>"
            spider = re.sub(r"<title>.*?</title>", lambda _m: title, text, count=1)
            self.out.spider_home = spider.replace("<body>\n", "<body>\n" + plants.spider_block(), 1)
            self.t.plants.append(Plant(
                "W.VETO.SECURITY", "首页对搜索引擎蜘蛛（User-Agent 含 Baiduspider 等）返回不同版本：标题含博彩词，并多出博彩链接",
                path=home, detail={"spider_title": f"{self.display_name}_{plants.SPIDER_TITLE_WORDS}", "host": plants.GAMBLING_HOST},
            ))


# ====================================================================== styles
class TrsRenderer(Renderer):
    """Hanweb/TRS-like: /col/colNNNN/index.html, createPageHTML pagination, /art/Y/M/D/art_C_A.html."""

    style = "trs"
    main_color = "#b5121b"
    accent = "#a50f17"

    def section_path(self, sec: Section) -> str:
        return f"/col/col{sec.cid}/index.html"

    def column_path(self, col: Column, page: int = 0) -> str:
        return f"/col/col{col.cid}/index{'' if page == 0 else f'_{page}'}.html"

    def detail_path(self, col: Column, when: date, aid: int) -> str:
        return f"/art/{when.year}/{when.month}/{when.day}/art_{col.cid}_{aid}.html"

    def sitemap_path(self) -> str:
        return "/wzdt/index.html"

    def search_conf(self) -> dict[str, str]:
        return {"path": "/jrobot/search.do", "param": "q"}

    def search_hidden(self) -> dict[str, str]:
        return {"webid": str(self.s.id[-2:].lstrip("0") or "1"), "pg": "12"}

    def list_head_extra(self) -> str:
        return '<script type="text/javascript" src="/js/page.js"></script>\n'

    def pagination(self, col: Column, page_no: int, pages: int, path: str) -> str:
        if pages <= 1:
            return ""
        return f'<div class="page"><script type="text/javascript">createPageHTML({pages}, {page_no}, "index", "html");</script></div>'

    def render_column(self, col: Column) -> None:
        if self.k.datastore and col.kind == "list" and col.fresh == "news" and not col.blank:
            col.listing = "datastore"
        super().render_column(col)

    def render_home(self) -> None:
        p = self.home_path()
        blocks = self.home_blocks(p)
        body = '<div class="row row1">' + "".join(blocks[:2]) + '</div><div class="row row2">' + "".join(blocks[2:]) + "</div>"
        self.page(p, self.display_name, body)


class ZwgkRenderer(Renderer):
    """Beijing/Guangdong-like TRS WCM: /zwgk/tzgg/ folders, ./202503/t20250310_123456.html details."""

    style = "zwgk"
    main_color = "#1d5aa8"
    accent = "#154a8c"
    relative_links = True

    def section_path(self, sec: Section) -> str:
        return f"/{sec.key}/index.html"

    def column_path(self, col: Column, page: int = 0) -> str:
        sec = col.section.key if col.section else "zt"
        return f"/{sec}/{col.key}/index{'' if page == 0 else f'_{page}'}.html"

    def detail_path(self, col: Column, when: date, aid: int) -> str:
        base = posixpath.dirname(self.column_path(col))
        return f"{base}/{when:%Y%m}/t{when:%Y%m%d}_{aid}.html"

    def attachment_path(self, when: date, aid: int, n: int, ext: str) -> str:
        return f"/attachment/{when:%Y%m}/W0{when:%Y%m%d}{aid % 100000:05d}{n}{ext}"

    def sitemap_path(self) -> str:
        return "/wzdt/index.html"

    def contact_path(self) -> str:
        return "/lxwm/index.html"

    def search_conf(self) -> dict[str, str]:
        return {"path": "/was5/web/search", "param": "searchword"}

    def search_hidden(self) -> dict[str, str]:
        return {"channelid": str(200000 + int(self.s.id[-3:]))}

    def board_labels(self) -> tuple[str, str, str]:
        return ("来信日期", "回复日期", "办理状态")

    def header(self, page: str) -> str:
        name = esc(self.display_name)
        return (
            f'<div id="header"><div class="w1200"><div class="logo"><a href="{self.href(self.home_path(), page)}">'
            f'<img src="{self.href("/images/logo.png", page)}" alt="{name}"></a><h1 class="site-name">{name}</h1></div>'
            f'{self.search_form(page)}</div></div>\n'
        )

    def pagination(self, col: Column, page_no: int, pages: int, path: str) -> str:
        if pages <= 1:
            return ""
        if self.s.clean:  # TRS variables read by the page script
            return (
                '<div class="page"><script type="text/javascript">var countPage = ' + str(pages) + "; var currentPage = " + str(page_no)
                + '; createPageHTML(countPage, currentPage, "index", "html");</script></div>'
            )
        return super().pagination(col, page_no, pages, path)

    def list_head_extra(self) -> str:
        return '<script type="text/javascript" src="/js/page.js"></script>\n'

    def footer(self, page: str) -> str:
        lines = "".join(f"<p>{ln}</p>" for ln in self.footer_lines(page))
        return f'<div id="footer"><div class="w1200"><div class="fl">{self.badges(page)}</div><div class="fr">{lines}</div></div></div>\n'


class CatalogRenderer(Renderer):
    """Information-disclosure catalogue style: /xwzx/zwyw/ folders, list_2.html, content/post_N.html."""

    style = "catalog"
    main_color = "#0b6e4f"
    accent = "#095c42"

    def section_path(self, sec: Section) -> str:
        return f"/{sec.key}/index.html"

    def column_path(self, col: Column, page: int = 0) -> str:
        sec = col.section.key if col.section else "ztzl"
        return f"/{sec}/{col.key}/" + ("index.html" if page == 0 else f"list_{page + 1}.html")

    def dir_href(self, path: str) -> str:
        return path[: -len("index.html")] if path.endswith("/index.html") and path != "/index.html" else ("/" if path == "/index.html" else path)

    def detail_path(self, col: Column, when: date, aid: int) -> str:
        base = posixpath.dirname(self.column_path(col))
        return f"{base}/content/post_{aid}.html"

    def attachment_path(self, when: date, aid: int, n: int, ext: str) -> str:
        return f"/attachment/{when.year}/{when:%m%d}/{aid}_{n}{ext}"

    def href(self, target: str, frm: str) -> str:
        if target.endswith("/index.html") and target != "/index.html" and "/content/" not in target:
            return self.dir_href(target)
        return super().href(target, frm)

    def search_conf(self) -> dict[str, str]:
        return {"path": "/search", "param": "keyword" if self.k.short_dates else "q"}

    def fmt_list_date(self, d: date, col: Column | None = None, home: bool = False) -> str:
        if self.k.short_dates and (home or (col is not None and col.fresh in ("news", "special"))):
            return f"[{d:%m-%d}]"
        return d.isoformat()

    def board_labels(self) -> tuple[str, str, str]:
        return ("留言时间", "回复时间", "状态")

    def render_board(self, col: Column) -> None:
        if self.s.clean:  # a <ul> board instead of a table
            path = col.path
            lis = "".join(
                f'<li><a href="{self.href(m.path, path)}" target="_blank">{esc(m.title)}</a>'
                f'<span class="meta">留言时间：{m.ask:%Y-%m-%d}　回复时间：{m.reply.strftime("%Y-%m-%d") if m.reply else "—"}　[{"已回复" if m.replied else "办理中"}]</span></li>'
                for m in col.messages
            )
            self.page(path, self.page_title(col.name), self.column_frame(col, path, f'<ul class="letter-list">{lis}</ul>'), col=col)
            for m in col.messages:
                self.render_message(col, m)
            return
        super().render_board(col)

    def guide_fields_html(self, g: Guide) -> str:
        if self.s.clean:
            nums = "一二三四五六七八九十"
            return "".join(f'<div class="guide-item"><h3>{nums[i]}、{esc(label)}</h3><p>{esc(value)}</p></div>' for i, (label, value) in enumerate(g.fields))
        return "".join(f"<dl><dt>{esc(label)}：</dt><dd>{esc(value)}</dd></dl>" for label, value in g.fields)

    def header(self, page: str) -> str:
        name = esc(self.display_name)
        return (
            f'<header class="head"><div class="w1200"><div class="logo"><a href="/"><img src="/images/logo.png" alt="{name}"></a>'
            f'<h1>{name}</h1></div><div class="tools"><span id="nowDate"></span> <a href="javascript:void(0);" id="wza">无障碍</a></div>'
            f"{self.search_form(page)}</div></header>\n<script>showDate('nowDate');</script>\n"
        )

    def footer(self, page: str) -> str:
        lines = "".join(f"<p>{ln}</p>" for ln in self.footer_lines(page))
        return f'<footer class="foot"><div class="w1200"><div class="foot-logo">{self.badges(page)}</div>{lines}</div></footer>\n'


class DedeRenderer(Renderer):
    """An old DedeCMS county site: GBK, table layout, list_12_2.html, 2025年3月10日 dates."""

    style = "dede"
    main_color = "#8c1515"
    accent = "#6f0f0f"
    html5 = False

    def section_path(self, sec: Section) -> str:
        return f"/a/{sec.key}/index.html"

    def column_path(self, col: Column, page: int = 0) -> str:
        sec = col.section.key if col.section else "zt"
        base = f"/a/{sec}/{col.key}/"
        return base + ("index.html" if page == 0 else f"list_{col.cid}_{page + 1}.html")

    def detail_path(self, col: Column, when: date, aid: int) -> str:
        base = posixpath.dirname(self.column_path(col))
        return f"{base}/{when.year}/{when:%m%d}/{aid}.html"

    def attachment_path(self, when: date, aid: int, n: int, ext: str) -> str:
        return f"/uploads/soft/{when:%y%m%d}/{n}-{aid}{ext}"

    def href(self, target: str, frm: str) -> str:
        if target.endswith("/index.html") and target.startswith("/a/"):
            return target[: -len("index.html")]
        return target

    def search_conf(self) -> dict[str, str]:
        return {"path": "/plus/search.php", "param": "q"}

    def search_hidden(self) -> dict[str, str]:
        return {"kwtype": "0", "searchtype": "titlekeyword"}

    def fmt_list_date(self, d: date, col: Column | None = None, home: bool = False) -> str:
        return cn_date(d) if self.k.cn_dates else d.isoformat()

    def fmt_detail_time(self, dt: datetime) -> str:
        return f"{cn_date(dt.date())} {dt:%H:%M}" if self.k.cn_dates else dt.strftime("%Y-%m-%d %H:%M:%S")

    def header(self, page: str) -> str:
        name = esc(self.display_name)
        return (
            '<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="top"><tr>'
            f'<td width="100"><img src="/images/logo.png" width="80" height="80" alt="{name}" /></td>'
            f'<td class="sitename"><font size="6" color="#ffffff"><b>{name}</b></font></td>'
            f'<td align="right"><span id="nowDate"></span>{self.search_form(page)}</td></tr></table>\n'
            "<script type=\"text/javascript\">showDate('nowDate');</script>\n"
        )

    def page(self, path: str, title: str, body: str, col: Column | None = None, art: Article | None = None, head_extra: str = "",
             meta: tuple[str, datetime, str] | None = None, col_name: str | None = None) -> None:
        html_text = (
            self.head_for(title, path, col, art, head_extra, meta, col_name)
            + "<body>\n" + self.header(path) + self.nav(path)
            + f'<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="main"><tr><td valign="top">\n{body}\n</td></tr></table>\n'
            + self.footer(path) + "</body>\n</html>\n"
        )
        self.write(path, html_text)

    def item_li(self, a: Article, page: str, col: Column | None = None, home: bool = False) -> str:
        d = self.fmt_list_date(a.day, col or a.column, home)
        return f'<li><span class="date">{d}</span><a href="{a.path}" title="{esc(a.title)}">{esc(a.title)}</a></li>'

    def footer(self, page: str) -> str:
        lines = "<br />".join(self.footer_lines(page))
        return (
            '<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="bottom"><tr>'
            f'<td width="120" align="center">{self.badges(page)}</td><td align="center">{lines}</td></tr></table>\n'
        )

    def render_home(self) -> None:
        p = self.home_path()
        blocks = self.home_blocks(p)
        cells = "".join(f'<td valign="top" width="50%">{b}</td>' + ("</tr><tr>" if i % 2 == 1 else "") for i, b in enumerate(blocks))
        self.page(p, self.display_name, f'<table width="100%" border="0" cellspacing="6"><tr>{cells}</tr></table>')


RENDERERS: dict[str, type[Renderer]] = {
    "trs": TrsRenderer, "zwgk": ZwgkRenderer, "catalog": CatalogRenderer, "dede": DedeRenderer,
}


def render_site(tree: SiteTree, fp: Footprint, links: list[tuple[str, str]]) -> Rendered:
    return RENDERERS[tree.site.style](tree, fp, links).render()


__all__ = ["RESULTS_MARK", "Footprint", "Rendered", "footprint", "render_site"]
