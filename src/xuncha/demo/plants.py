"""Planted content, security and privacy cases of the demo world, and their clean look-alikes.

Problem sites get the cases the content/security/privacy checks must find; clean sites get
look-alikes built from the same words, which those checks must NOT report (precision):

==================  ==========================  ==============================================
knob                code                        what
==================  ==========================  ==============================================
leader_typo         W.VETO.SERIOUS_ERROR        国务院总理李墙 (李强 with a same-sound character)
formulation         W.VETO.SERIOUS_ERROR        习近平新时代中国特色社会主义理论 (…思想)
outdated_title      W.VETO.SERIOUS_ERROR        国务院总理李克强 on a page dated after 2023-03-11
typos               W.CONTENT.TYPO              既使 按装 再接再励 震憾
gambling_spam       W.VETO.SERIOUS_ERROR        gambling ad injected into an old article
fraud_ad            W.CONTENT.SENSITIVE         代开发票 / 办证刻章 ad injected into an older article
dark_links          W.VETO.SECURITY             hidden links to a gambling host (render.py)
cloak               W.VETO.SECURITY             other home page for Baiduspider (render/server)
pii                 W.PRIVACY.LEAK              unmasked ID and mobile numbers, page + attachments
zip_bomb            (inconclusive)              an .xlsx declaring 3 GB uncompressed
political_ok        (none)                      correct titles and names, 时任 in a dated history
hidden_ok           (none)                      drop-down, hidden tab panel, skip link, 友情链接
typos_ok            (none)                      即使 安装 再接再厉 震撼
gambling_ok         (none)                      公安 notice 严厉打击赌博, 大麻烦, 路口交通
pii_ok              (none)                      masked 公示 (page, xlsx, docx), 订单号 like a mobile
==================  ==========================  ==============================================

Every date is relative to as-of and every value is fixed, so the world stays a pure function
of (seed, as-of). The ID numbers are synthetic: 11010519491231002X is the example printed in
GB 11643-1999 itself; the others are built from the same region code with a computed check
digit (ISO 7064 MOD 11-2). Names are drawn from the site's generator (fictional people).
"""

from __future__ import annotations

import io
import struct
import zipfile
from datetime import date, timedelta
from typing import TYPE_CHECKING

from xuncha.demo import assets
from xuncha.demo.content import cn_date
from xuncha.demo.layout import Article, Attachment, Column, Plant
from xuncha.demo.sites import GAMBLING_HOST
from xuncha.extract.scripts import js_escape  # the inverse of what the detector decodes

if TYPE_CHECKING:
    from xuncha.demo.layout import TreeBuilder

LI_KEQIANG_LEFT_OFFICE = date(2023, 3, 11)  # 李强 became 国务院总理 on this day
SIXIANG = "习近平新时代中国特色社会主义思想"
SIXIANG_WRONG = "习近平新时代中国特色社会主义理论"
XI_TITLES = "中共中央总书记、国家主席、中央军委主席习近平"

# --------------------------------------------------------------------------- personal data
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """The 18th character of a resident ID number (GB 11643, ISO 7064 MOD 11-2)."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def resident_id(first17: str) -> str:
    return first17 + id_check_digit(first17)


# Region 110105 as in the GB 11643 example; birth dates and sequence numbers are made up.
LEAK_IDS: tuple[str, ...] = (
    "11010519491231002X",  # the standard's own example
    resident_id("11010519850612031"),
    resident_id("11010519780325442"),
    resident_id("11010519901108773"),
    resident_id("11010519661230045"),
    resident_id("11010519880101996"),
)
LEAK_MOBILES: tuple[str, ...] = ("13912345678", "15887654321", "18611112222", "13700001111", "15012345678", "18977776666")
MASKED_IDS: tuple[str, ...] = ("5101**********1234", "5101**********2317", "5101**********056X", "5101**********4421")
MASKED_MOBILES: tuple[str, ...] = ("138****1234", "139****5678", "158****2046", "186****7310")


def mask_id(value: str) -> str:
    return value[:4] + "*" * 10 + value[-4:]


def mask_mobile(value: str) -> str:
    return value[:3] + "****" + value[-4:]


# --------------------------------------------------------------------------- hostile files
def zip_bomb_xlsx(declared: int = 3_000_000_000, actual_rows: int = 40_000) -> bytes:
    """A small .xlsx whose worksheet declares ``declared`` bytes uncompressed (a zip bomb's shape).

    The worksheet really holds ``actual_rows`` identical rows (a few MB inflating from ~10 KB),
    and both the local header and the central directory claim ``declared`` bytes. A safe
    reader refuses it from the central directory alone (declared size and ratio); a reader that
    trusts the stream finds it shorter than declared (a lying size). Byte-stable.
    """
    row = '<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>统计</t></is></c><c r="B{n}"><v>0</v></c></row>'
    body = "".join(row.format(n=1) for _ in range(actual_rows))  # same text: compresses ~1000:1
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + body + "</sheetData></worksheet>"
    ).encode("utf-8")
    base = assets.xlsx_table("统计表", [("项目", "数值")])
    entries = []
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        for info in z.infolist():
            data = sheet if info.filename == "xl/worksheets/sheet1.xml" else z.read(info.filename)
            entries.append((info.filename, data))
    packed = bytearray(assets._zip(entries))  # noqa: SLF001 - the demo's own byte-stable zip writer
    return bytes(_declare_size(packed, "xl/worksheets/sheet1.xml", declared))


def _declare_size(buf: bytearray, name: str, size: int) -> bytearray:
    """Overwrite the uncompressed size of member ``name`` in its local header and central entry."""
    eocd = buf.rfind(b"PK\x05\x06")
    cd_offset = struct.unpack_from("<I", buf, eocd + 16)[0]
    entries = struct.unpack_from("<H", buf, eocd + 10)[0]
    pos = cd_offset
    for _ in range(entries):
        assert buf[pos:pos + 4] == b"PK\x01\x02"
        n_len, x_len, c_len = struct.unpack_from("<HHH", buf, pos + 28)
        local = struct.unpack_from("<I", buf, pos + 42)[0]
        if buf[pos + 46:pos + 46 + n_len].decode("utf-8") == name:
            struct.pack_into("<I", buf, pos + 24, size)
            assert buf[local:local + 4] == b"PK\x03\x04"
            struct.pack_into("<I", buf, local + 22, size)
        pos += 46 + n_len + x_len + c_len
    return buf


# --------------------------------------------------------------------------- HTML snippets
GAMBLING_WORDS: tuple[tuple[str, str], ...] = (
    ("澳门新葡京", "/"), ("百家乐", "/baijiale/"), ("真人视讯", "/zhenren/"), ("注册送彩金", "/zc.html"),
    ("网上赌场", "/casino/"), ("体育投注", "/sports/"),
)


def gambling_links(host: str = GAMBLING_HOST, words: tuple[tuple[str, str], ...] = GAMBLING_WORDS) -> str:
    return "".join(f'<a href="http://{host}{path}" target="_blank">{text}</a> ' for text, path in words)


def dark_link_html() -> dict[str, str]:
    """The pieces a hacked template injects: off-screen block, CSS-hidden block, script-written link."""
    written = f'<a href="http://{GAMBLING_HOST}/vip/" target="_blank">澳门新葡京娱乐城官网</a>'
    return {
        "style": "<style type=\"text/css\">.hz-links{display:none}</style>\n",
        "offscreen": f'<div style="position:absolute;left:-9999px;top:-9999px;">{gambling_links()}</div>\n',
        "css_hidden": f'<div class="hz-links">{gambling_links(words=GAMBLING_WORDS[:3])}</div>\n',
        "script": f'<script type="text/javascript">document.write(unescape("{js_escape(written)}"));</script>\n',
        "written_url": f"http://{GAMBLING_HOST}/vip/",
    }


def spider_block() -> str:
    """What the cloaked home page adds for a search-engine spider."""
    return (
        '<div class="hot-links"><h3>热门推荐</h3>'
        + gambling_links(words=(*GAMBLING_WORDS, ("在线投注平台", "/touzhu/"), ("棋牌游戏", "/qipai/")))
        + "</div>\n"
    )


SPIDER_TITLE_WORDS = "澳门新葡京_百家乐_真人视讯_注册送彩金"


def hidden_ok_html(columns: list[tuple[str, str]], panel: list[tuple[str, str]], friends: list[tuple[str, str]]) -> dict[str, str]:
    """Legitimate hidden content of a clean portal: drop-down, hidden tab panel, skip link, 友情链接.

    ``columns`` and ``panel`` are (name, same-site href); ``friends`` are (name, URL of another
    government portal, shown in plain sight).
    """
    drop = "".join(f'<li><a href="{h}">{n}</a></li>' for n, h in columns)
    tabs = "".join(f'<li><a href="{h}" target="_blank">{n}</a></li>' for n, h in panel)
    yqlj = "".join(f'<li><a href="{u}" target="_blank">{n}</a></li>' for n, u in friends)
    return {
        "style": (
            '<style type="text/css">.skip-link{position:absolute;left:-9999px;top:auto;width:1px;height:1px;overflow:hidden}'
            ".skip-link:focus{left:10px;top:10px;width:auto;height:auto}"
            ".quick-nav .sub{display:none}.quick-nav li:hover .sub{display:block}"
            ".svc-tabs .panel{display:none}.svc-tabs .panel.on{display:block}</style>\n"
        ),
        "skip": '<a class="skip-link" href="#main">跳转到主要内容</a>\n',
        "blocks": (
            f'<div class="box quick-nav"><ul><li><a href="javascript:void(0)">快速导航</a><ul class="sub">{drop}</ul></li></ul></div>'
            '<div class="box svc-tabs"><ul class="tab-hd"><li class="on">个人服务</li><li>法人服务</li></ul>'
            '<div class="panel on"><p>个人办事请前往示例省政务服务网。</p></div>'
            f'<div class="panel"><ul>{tabs}</ul></div></div>'
            f'<div class="box yqlj"><div class="box-hd"><h3>友情链接</h3></div><ul class="friend-links">{yqlj}</ul></div>'
        ),
    }


# --------------------------------------------------------------------------- tree plants
class _Planter:
    """Adds planted articles and attachments to a built tree (called from TreeBuilder.build)."""

    def __init__(self, b: TreeBuilder) -> None:
        self.b = b
        self.t = b.tree
        self.v = b.v
        self.as_of = b.as_of

    # helpers
    def col(self, *keys: str) -> Column:
        for k in keys:
            c = self.t.column(k)
            if c is not None and c.kind == "list":
                return c
        raise KeyError(keys)

    def day(self, days_before: int) -> date:
        return self.as_of - timedelta(days=days_before)

    def add(self, col: Column, title: str, d: date, body: list[str], source: str = "") -> Article:
        self.b.gen._titles.add(title)  # noqa: SLF001 - keep titles unique within the site
        art = Article(self.b.next_aid(), title, self.b.at(d), body, col, source=source or self.v.unit)
        col.articles.append(art)
        col.articles.sort(key=lambda a: a.when, reverse=True)
        return art

    def plant(self, code: str, what: str, art: Article | None = None, att: Attachment | None = None,
              lookalike: bool = False, **detail: str) -> None:
        self.t.plants.append(Plant(code, what, art, att, lookalike=lookalike, detail=detail))

    def persons(self, n: int) -> list[str]:
        out: list[str] = []
        while len(out) < n:
            p = self.b.gen.person()
            if p not in out:
                out.append(p)
        return out

    # ------------------------------------------------------------------ problems
    def leader_typo(self) -> None:
        d = self.day(3)
        body = [
            f"{cn_date(d)}，{self.v.leader_title}{self.b.gen.leader}主持召开{self.v.region}人民政府常务会议。",
            "会议传达学习了国务院总理李墙主持召开国务院常务会议时的讲话精神，研究部署贯彻落实工作。",
            f"会议还研究了{self.b.gen.topic()}、{self.b.gen.topic()}等事项。",
            "会议要求，各乡镇、各部门要抓好会议精神的贯彻落实，确保各项工作取得实效。",
        ]
        art = self.add(self.col("zwyw", "gzdt"), f"{self.v.region}召开{self.v.region}人民政府常务会议", d, body)
        self.plant("W.VETO.SERIOUS_ERROR", "领导人姓名错误：国务院总理李墙（应为李强）", art, found="李墙", suggestion="李强")

    def formulation(self) -> None:
        d = self.day(6)
        body = [
            f"{cn_date(d)}，{self.v.unit}党组理论学习中心组举行专题学习会。",
            f"会议强调，要坚持以{SIXIANG_WRONG}为指导，深刻领会其核心要义和实践要求，切实把学习成果转化为推动工作的实际成效。",
            "与会同志结合分管工作作了交流发言。",
        ]
        art = self.add(self.col("zwyw", "gzdt"), f"{self.v.unit}党组理论学习中心组举行专题学习会", d, body)
        self.plant("W.VETO.SERIOUS_ERROR", "重要表述错误：思想名称写成「…理论」", art, found=SIXIANG_WRONG, suggestion=SIXIANG)

    def outdated_title(self) -> None:
        d = self.day(30)
        body = [
            f"{cn_date(d)}，{self.v.unit}召开党组会议，传达学习近期重要会议精神。",
            "会议传达学习了国务院总理李克强在国务院常务会议上关于保障性住房建设的讲话精神。",
            "会议要求，要加快推进保障性住房建设和城市更新，切实解决群众住房困难。",
        ]
        art = self.add(self.col("gzdt", "zwyw"), f"{self.v.short}召开党组会议传达学习近期重要会议精神", d, body)
        self.plant("W.VETO.SERIOUS_ERROR", f"过时职务：{d.isoformat()} 的页面仍称「国务院总理李克强」", art,
                   found="国务院总理李克强", suggestion="国务院总理李强")

    def typos(self) -> None:
        d = self.day(12)
        place = self.b.gen.place()
        body = [
            f"{cn_date(d)}，{place}召开老旧小区改造工作推进会。",
            "会议要求，既使任务再重、时间再紧，也要确保施工安全和工程质量。",
            f"目前，{place}已为辖区12个老旧小区按装智能门禁和视频监控设备。",
            "希望各村（社区）再接再励，推动各项工作再上新台阶。",
            "改造后的小区焕然一新，居民们纷纷表示变化令人震憾。",
        ]
        art = self.add(self.col("xzdt", "jzdt", "zwyw", "gzdt"), f"{place}召开老旧小区改造工作推进会", d, body)
        self.plant("W.CONTENT.TYPO", "错别字：既使、按装、再接再励、震憾", art,
                   found="既使 按装 再接再励 震憾", suggestion="即使 安装 再接再厉 震撼")

    def gambling_spam(self) -> None:
        col = self.col("gzdt", "zwyw")
        # an older article still listed on the column's first page (a default crawl reads the
        # newest few detail pages of every column)
        art = col.articles[min(3, len(col.articles) - 1)]
        art.body.append(f"澳门新葡京 百家乐 真人视讯 注册送彩金 官方网址：{GAMBLING_HOST}")
        self.plant("W.VETO.SERIOUS_ERROR", "旧文章末尾被注入博彩广告", art, found="澳门新葡京 百家乐 真人视讯 注册送彩金")

    def fraud_ad(self) -> None:
        col = self.col("gzdt", "zwyw")
        art = col.articles[min(4, len(col.articles) - 1)]
        art.body.append("代开发票 办证刻章 正规可查 联系QQ：80061234")
        self.plant("W.CONTENT.SENSITIVE", "旧文章末尾被注入「代开发票」「办证刻章」广告", art, found="代开发票 办证刻章")

    def pii(self) -> None:
        d = self.day(6)
        col = self.col("tzgg")
        names = self.persons(len(LEAK_IDS))
        year = d.year
        title = f"{year}年第一批公共租赁住房保障资格审核结果公示"
        lines = [f"{i}. {n}，身份证号：{idn}，联系电话：{tel}，家庭人口：{2 + i % 3}人"
                 for i, (n, idn, tel) in enumerate(zip(names[:3], LEAK_IDS[:3], LEAK_MOBILES[:3], strict=True), start=1)]
        body = [
            "根据《示例省公共租赁住房管理办法》，经申请人申请、街道初审、部门联审，现将审核结果公示如下：",
            *lines,
            f"公示期：{cn_date(d)}至{cn_date(d + timedelta(days=7))}。",
            f"公示期间如有异议，请向{self.v.unit}住房保障科反映，电话：{self.b.gen.phone()}。",
        ]
        art = self.add(col, title, d, body)
        self.plant("W.PRIVACY.LEAK", "公示正文含未脱敏的身份证号和手机号", art,
                   found="、".join(LEAK_IDS[:3] + LEAK_MOBILES[:3]))
        rows = [("序号", "姓名", "身份证号码", "联系电话", "家庭人口", "申请类型")]
        rows += [(str(i), n, idn, tel, str(2 + i % 3), "公共租赁住房")
                 for i, (n, idn, tel) in enumerate(zip(names, LEAK_IDS, LEAK_MOBILES, strict=True), start=1)]
        xlsx = Attachment(name=f"{title}名单.xlsx", data=assets.xlsx_table(f"{title}名单", rows), ext=".xlsx")
        docx = Attachment(name="公共租赁住房保障资格审核表.docx", ext=".docx", data=assets.docx_document(
            "公共租赁住房保障资格审核表",
            [f"申请人：{names[3]}", f"身份证号码：{LEAK_IDS[3]}", f"联系电话：{LEAK_MOBILES[3]}",
             "家庭住址：青山市城东街道", "街道审核意见：符合条件", "部门联审意见：同意"],
        ))
        pdf = Attachment(name=f"{title}（盖章版）.pdf", ext=".pdf", data=assets.pdf_document(
            title, [f"{names[4]}  身份证号：{LEAK_IDS[4]}  电话：{LEAK_MOBILES[4]}",
                    f"{names[5]}  身份证号：{LEAK_IDS[5]}  电话：{LEAK_MOBILES[5]}", cn_date(d), self.v.unit],
        ))
        art.attachments += [xlsx, docx, pdf]
        self.plant("W.PRIVACY.LEAK", "附件名单（xlsx）单元格中有未脱敏的身份证号和手机号", art, xlsx,
                   found=f"{len(LEAK_IDS)} 个身份证号、{len(LEAK_MOBILES)} 个手机号")
        self.plant("W.PRIVACY.LEAK", "附件审核表（docx）含未脱敏的身份证号和手机号", art, docx, found=f"{LEAK_IDS[3]}、{LEAK_MOBILES[3]}")
        self.plant("W.PRIVACY.LEAK", "附件公示名单（pdf）含未脱敏的身份证号和手机号", art, pdf, found=f"{LEAK_IDS[4]}、{LEAK_IDS[5]}")

    def zip_bomb(self) -> None:
        col = self.col("tzgg", "gzdt", "zwyw")
        art = col.articles[0]
        att = Attachment(name=f"{art.day.year}年度统计报表.xlsx", data=zip_bomb_xlsx(), ext=".xlsx")
        art.attachments.append(att)
        self.plant("W.PRIVACY.LEAK", "附件 xlsx 声明解压后约 3 GB（压缩炸弹形态）：无法安全读取，内容和隐私检查应为「无法判断」",
                   art, att, severity="inconclusive")

    # ------------------------------------------------------------------ clean look-alikes
    def political_ok(self) -> None:
        d = self.day(2)
        body = [
            f"{cn_date(d)}，{self.v.unit}党组召开（扩大）会议。",
            f"会议传达学习了{XI_TITLES}近期重要讲话精神。",
            f"会议强调，要坚持以{SIXIANG}为指导，全面贯彻落实党的二十大精神。",
            "会议传达学习了国务院总理李强主持召开国务院常务会议时的讲话精神，研究部署贯彻落实工作。",
        ]
        art = self.add(self.col("zwyw", "gzdt"), f"{self.v.unit}党组召开（扩大）会议", d, body)
        self.plant("W.VETO.SERIOUS_ERROR", "正确的领导人职务、姓名和思想名称", art, lookalike=True)
        d2 = self.day(9)
        body2 = [
            f"{self.v.region}优化营商环境改革已走过多年历程。",
            "2019年，时任国务院总理李克强在《政府工作报告》中提出深化“放管服”改革、优化营商环境，"
            f"{self.v.region}随即启动“一窗受理、集成服务”改革。",
            f"2023年以来，{self.v.region}持续推进政务服务标准化、规范化、便利化，企业开办时间压缩至1个工作日以内。",
            f"下一步，{self.v.region}将对标先进地区，持续打造市场化、法治化、国际化一流营商环境。",
        ]
        art2 = self.add(self.col("zwyw", "gzdt"), f"{self.v.region}优化营商环境改革回顾", d2, body2)
        self.plant("W.VETO.SERIOUS_ERROR", "历史回顾中的「2019年，时任国务院总理李克强」（页面日期晚于2023年3月11日）", art2, lookalike=True)

    def typos_ok(self) -> None:
        d = self.day(4)
        body = [
            f"{cn_date(d)}，{self.v.unit}召开重点项目建设推进会。",
            "会议要求，即使任务再重、时间再紧，也要确保项目建设安全和工程质量。",
            "目前，已为12个重点项目工地安装扬尘在线监测设备。",
            "希望全体干部职工再接再厉，推动重点项目建设再上新台阶。",
            "项目建成后的滨江夜景灯光秀给市民带来了强烈的视觉震撼。",
        ]
        art = self.add(self.col("gzdt", "zwyw"), f"{self.v.short}召开重点项目建设推进会", d, body)
        self.plant("W.CONTENT.TYPO", "正确写法：即使、安装、再接再厉、震撼", art, lookalike=True)

    def gambling_ok(self) -> None:
        col = self.col("tzgg")
        d = self.day(8)
        police = f"青山市公安局{self.v.region}分局"
        body = [
            f"为维护社会治安秩序，保护人民群众财产安全，{police}决定在全区范围内开展严厉打击赌博违法犯罪活动专项行动。现将有关事项通告如下：",
            "一、严禁任何单位和个人开设赌场、聚众赌博，严禁组织、招揽中国公民参与境外赌博和网络赌博。",
            "二、对参与赌博的，依照《中华人民共和国治安管理处罚法》予以处罚；构成犯罪的，依法追究刑事责任。",
            "三、欢迎广大群众积极举报涉赌违法犯罪线索，举报电话：110。",
            "切莫因一时侥幸参与赌博，给自己和家人惹上大麻烦。",
            police, cn_date(d),
        ]
        art = self.add(col, f"{police}关于严厉打击赌博违法犯罪活动的通告", d, body, source=police)
        self.plant("W.VETO.SERIOUS_ERROR", "公安机关打击赌博的通告（赌博、网络赌博、大麻烦）", art, lookalike=True)
        d2 = self.day(11)
        body2 = [
            f"因滨江路改造施工需要，自{cn_date(d2 + timedelta(days=3))}起，对滨江路与望江路等3个路口交通组织进行调整。",
            "请过往车辆和行人注意路口交通标志，服从现场交通警察指挥，合理选择出行路线。",
            "给您带来的不便，敬请谅解。",
            police, cn_date(d2),
        ]
        art2 = self.add(col, "关于滨江路部分路口交通组织调整的通告", d2, body2, source=police)
        self.plant("W.CONTENT.SENSITIVE", "「路口交通」等正常词语", art2, lookalike=True)

    def pii_ok(self) -> None:
        col = self.col("tzgg")
        d = self.day(6)
        names = [p[0] + "**" for p in self.persons(4)]
        title = f"{self.v.region}{d.year}年第一批公共租赁住房保障资格审核结果公示"
        lines = [f"{i}. {n}，身份证号：{idn}，联系电话：{tel}，家庭人口：{2 + i % 3}人"
                 for i, (n, idn, tel) in enumerate(zip(names, MASKED_IDS, MASKED_MOBILES, strict=True), start=1)]
        body = [
            "根据《示例省公共租赁住房管理办法》，经申请人申请、街道初审、部门联审，现将审核结果公示如下（个人信息已作去标识化处理）：",
            *lines,
            f"公示期：{cn_date(d)}至{cn_date(d + timedelta(days=7))}。",
            f"公示期间如有异议，请向{self.v.region}住房保障中心反映，电话：{self.b.gen.phone()}。",
        ]
        art = self.add(col, title, d, body)
        rows = [("序号", "姓名", "身份证号码", "联系电话", "家庭人口")]
        rows += [(str(i), n, idn, tel, str(2 + i % 3))
                 for i, (n, idn, tel) in enumerate(zip(names, MASKED_IDS, MASKED_MOBILES, strict=True), start=1)]
        xlsx = Attachment(name=f"{title}名单.xlsx", data=assets.xlsx_table(f"{title}名单", rows), ext=".xlsx")
        docx = Attachment(name="公共租赁住房保障资格审核表（样表）.docx", ext=".docx", data=assets.docx_document(
            "公共租赁住房保障资格审核表（样表）",
            [f"申请人：{names[0]}", f"身份证号码：{MASKED_IDS[0]}", f"联系电话：{MASKED_MOBILES[0]}", "街道审核意见：符合条件"],
        ))
        art.attachments += [xlsx, docx]
        self.plant("W.PRIVACY.LEAK", "已脱敏的公示（5101**********1234、138****1234）", art, lookalike=True)
        self.plant("W.PRIVACY.LEAK", "已脱敏的附件名单（xlsx）", art, xlsx, lookalike=True)
        self.plant("W.PRIVACY.LEAK", "已脱敏的附件审核表（docx）", art, docx, lookalike=True)
        d2 = self.day(13)
        order = f"158{d2:%Y%m%d}"  # 11 digits starting 158: shaped like a mobile number
        body2 = [
            f"采购单位：{self.v.region}机关事务服务中心",
            f"订单号：{order}",
            "采购内容：办公桌椅一批",
            "成交供应商：青山市云台办公设备有限公司",
            "成交金额：3.86万元",
            f"公告期限：自本公告发布之日起1个工作日。联系电话：{self.b.gen.phone()}。",
        ]
        art2 = self.add(col, f"{self.v.region}政府采购电子卖场成交结果公告（{cn_date(d2)}）", d2, body2)
        art2.extra["lookalike"] = "order_number"
        self.plant("W.PRIVACY.LEAK", "形似手机号的订单号（订单号：158YYYYMMDD）", art2, lookalike=True, found=order)


PLANT_ORDER = (
    "leader_typo", "formulation", "outdated_title", "typos", "gambling_spam", "fraud_ad", "pii", "zip_bomb",
    "political_ok", "typos_ok", "gambling_ok", "pii_ok",
)
RENDER_PLANTS = frozenset({"dark_links", "cloak", "hidden_ok"})  # applied by render.py


def plant_content(b: TreeBuilder) -> None:
    """Apply the site's tree-level plants (``Knobs.plants``) in a fixed order."""
    unknown = b.k.plants - set(PLANT_ORDER) - RENDER_PLANTS
    if unknown:
        raise ValueError(f"unknown plants: {sorted(unknown)}")
    p = _Planter(b)
    for name in PLANT_ORDER:
        if name in b.k.plants:
            getattr(p, name)()
