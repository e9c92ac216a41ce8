"""The circular (通报) as an editable Word document, in the shape supervising offices publish.

Structure (seen in Sichuan, Panzhihua, Hunan, Heyuan circulars): 文号, title, 主送, opening;
一、总体情况 (totals, 合格率 overall / by region / by platform, regions at 100 %, comparison with
the previous run and repeat offenders, pending candidates stated honestly, and — given an
``report.ops.OpsSummary`` — the quarter's 运维工作情况: 找错留言, 模拟咨询, 转载任务, 问题整改); 二、存在问题 (one
paragraph per indicator naming the units); 三、工作要求 (editable text from a template file, with
the feedback deadline in working days); contact, 附件 list, 落款; then each 附件 on a new page
with its 采样时间 and a table. The fixed wording lives in ``templates/circular-*.yaml``.

The look follows GB/T 9704 roughly: A4, margins 37/35/28/26 mm, title 方正小标宋 22 pt, body
仿宋 16 pt with a two-character first-line indent and 28 pt exact line spacing, 一、 headings 黑体,
（一） leads 楷体. East-Asian font names are written to ``w:eastAsia`` so Word, WPS and
LibreOffice pick CJK fonts.
"""

from __future__ import annotations

import copy
import functools
import re
import string
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from xuncha.errors import ConfigError
from xuncha.model import Verdict
from xuncha.report.annex import (
    AnnexTable,
    annex_tables,
    cn_number,
    code_title,
    date_cn,
    pct,
    platform_label,
    region_table_rows,
    short_title,
    sorted_verdicts,
    unit_name,
    window_cn,
)
from xuncha.report.ops import OPS_TABLE_PT, OpsSummary, ops_table, period_cn, rate_text
from xuncha.scoring.aggregate import ProblemGroup, RunReport
from xuncha.workflow.calendar import add_working_days

TEMPLATE_DIR = Path(__file__).with_name("templates")

# --------------------------------------------------------------------------- templates
# key → (type, placeholders allowed, required)
_TEXT_PH = {"period", "scope", "issuer", "window", "as_of"}
_REQ_PH = {"deadline", "days", "issuer"}
# 运维工作情况 (report.ops): one paragraph per part, its first sentence set as a 楷体 lead;
# the *_late sentence is added when some unit is late. Texts missing from a custom template
# come from the built-in default.
_OPS_PH = {"period", "scope", "issuer", "as_of", "start", "end"}
_OPS_KEYS: dict[str, set[str]] = {
    "ops_zhaocuo": {"received", "due", "on_time", "closed_late", "overdue", "rate"},
    "ops_zhaocuo_late": {"units", "count"},
    "ops_consult": {"total", "targets", "fast", "normal", "slow", "none", "slow_or_none", "pending"},
    "ops_consult_late": {"units", "count"},
    "ops_repost": {"assigned", "done", "late", "missing", "unknown", "rate"},
    "ops_repost_late": {"units", "count"},
    "ops_rectify": {"due", "on_time", "closed_late", "open", "rate"},
    "ops_rectify_late": {"cases", "count"},
    "ops_annex": {"annex"},
}
CIRCULAR_SCHEMA: dict[str, tuple[type, frozenset[str], bool]] = {
    "title": (str, frozenset(_TEXT_PH), True),
    "period": (str, frozenset({"year", "quarter", "month"}), True),
    "scope": (str, frozenset(), True),
    "doc_number": (str, frozenset(), False),
    "recipients": (str, frozenset(), True),
    "issuer": (str, frozenset(), True),
    "opening": (str, frozenset(_TEXT_PH), True),
    "requirements_heading": (str, frozenset(), False),
    "requirements": (list, frozenset(_REQ_PH), True),
    "feedback_working_days": (int, frozenset(), True),
    "contact": (str, frozenset(_REQ_PH), False),
    "fonts": (dict, frozenset(), False),
    **{key: (str, frozenset(_OPS_PH | extra), False) for key, extra in _OPS_KEYS.items()},
}
FONT_ROLES = ("title", "body", "heading1", "heading2", "latin")
DEFAULT_FONTS = {"title": "方正小标宋简体", "body": "仿宋_GB2312", "heading1": "黑体", "heading2": "楷体_GB2312",
                 "latin": "Times New Roman"}
# Whitespace between two CJK characters (YAML line folding puts a space there): dropped.
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")
_KEEP_SPACES = {"doc_number"}  # 〔    〕  号: the blanks are the point


@dataclass(frozen=True)
class CircularTemplate:
    """The editable wording of a circular (see ``templates/circular-default.yaml``)."""

    path: Path
    title: str
    period: str
    scope: str
    recipients: str
    issuer: str
    opening: str
    requirements: tuple[str, ...]
    feedback_working_days: int
    doc_number: str = "〔    〕  号"
    requirements_heading: str = "三、工作要求"
    contact: str = ""
    fonts: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_FONTS))
    ops_zhaocuo: str = ""
    ops_zhaocuo_late: str = ""
    ops_consult: str = ""
    ops_consult_late: str = ""
    ops_repost: str = ""
    ops_repost_late: str = ""
    ops_rectify: str = ""
    ops_rectify_late: str = ""
    ops_annex: str = ""

    def ops_text(self, key: str) -> str:
        """An 运维工作情况 text: this template's, else the built-in default's."""
        return getattr(self, key) or _default_ops()[key]


def resolve_template(name_or_path: str | Path, prefix: str) -> Path:
    """A template file: an existing path, or ``templates/{prefix}-{name}.yaml``."""
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or p.is_file():
        if not p.is_file():
            raise ConfigError(f"模板文件不存在：{p}")
        return p
    builtin = TEMPLATE_DIR / f"{prefix}-{name_or_path}.yaml"
    if not builtin.is_file():
        names = sorted(f.stem.removeprefix(f"{prefix}-") for f in TEMPLATE_DIR.glob(f"{prefix}-*.yaml"))
        raise ConfigError(f"未找到模板「{name_or_path}」：{builtin} 不存在（内置模板：{'、'.join(names)}）")
    return builtin


def _placeholders(text: str, path: Path, key: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as e:
        raise ConfigError(f"模板文件 {path} 的「{key}」花括号不成对（字面花括号请写成 {{{{ 和 }}}}）：{e}") from e


def _check_text(text: Any, allowed: frozenset[str], path: Path, key: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ConfigError(f"模板文件 {path} 的「{key}」应为非空文字")
    unknown = sorted(_placeholders(text, path, key) - allowed)
    if unknown:
        can = "、".join("{" + a + "}" for a in sorted(allowed)) or "无"
        raise ConfigError(f"模板文件 {path} 的「{key}」含未知占位符 {{{unknown[0]}}}（可用：{can}）")
    return text.strip() if key in _KEEP_SPACES else _CJK_GAP.sub("", text.strip())


def _check_value(value: Any, kind: type, allowed: frozenset[str], path: Path, key: str) -> Any:
    if kind is str:
        return _check_text(value, allowed, path, key)
    if kind is list:
        if not isinstance(value, list) or not value:
            raise ConfigError(f"模板文件 {path} 的「{key}」应为非空列表（每项一段文字）")
        return tuple(_check_text(v, allowed, path, f"{key}[{i}]") for i, v in enumerate(value, 1))
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 366:
            raise ConfigError(f"模板文件 {path} 的「{key}」应为 1 到 366 之间的整数（工作日）")
        return value
    if not isinstance(value, dict):
        raise ConfigError(f"模板文件 {path} 的「{key}」应为映射（{'、'.join(FONT_ROLES)}）")
    unknown = sorted(set(value) - set(FONT_ROLES))
    if unknown:
        raise ConfigError(f"模板文件 {path} 的「{key}.{unknown[0]}」不是可用的字体项（可用：{'、'.join(FONT_ROLES)}）")
    fonts = dict(DEFAULT_FONTS)
    for role, name in value.items():
        fonts[role] = _check_text(name, frozenset(), path, f"{key}.{role}")
    return fonts


def read_template(path: Path, schema: dict[str, tuple[type, frozenset[str], bool]]) -> dict[str, Any]:
    """Read and validate a YAML template against ``schema``; ConfigError names file and key."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"无法读取模板文件 {path}：{e}") from e
    except yaml.YAMLError as e:
        raise ConfigError(f"模板文件 {path} 不是有效的 YAML：{e}") from e
    if not isinstance(data, dict):
        raise ConfigError(f"模板文件 {path} 应为“键: 值”形式的映射")
    unknown = sorted(set(data) - set(schema))
    if unknown:
        raise ConfigError(f"模板文件 {path} 含未知的键「{unknown[0]}」（可用：{'、'.join(schema)}）")
    out: dict[str, Any] = {}
    for key, (kind, allowed, required) in schema.items():
        if data.get(key) is None:
            if required:
                raise ConfigError(f"模板文件 {path} 缺少「{key}」")
            continue
        out[key] = _check_value(data[key], kind, allowed, path, key)
    return out


def load_template(name_or_path: str | Path = "default") -> CircularTemplate:
    """A circular template by built-in name ("default") or file path, validated."""
    path = resolve_template(name_or_path, "circular")
    return CircularTemplate(path=path, **read_template(path, CIRCULAR_SCHEMA))


@functools.lru_cache(maxsize=1)
def _default_ops() -> dict[str, str]:
    """The 运维工作情况 texts of the built-in default template (templates older than them lack them)."""
    path = TEMPLATE_DIR / "circular-default.yaml"
    data = read_template(path, CIRCULAR_SCHEMA)
    missing = [k for k in _OPS_KEYS if k not in data]
    if missing:
        raise ConfigError(f"模板文件 {path} 缺少「{missing[0]}」")
    return {k: data[k] for k in _OPS_KEYS}


def _cell_text(value: object) -> str:
    """Text of a table cell: "" for None, else str (numbers already formatted by the caller)."""
    return "" if value is None else str(value)


class OfficialDoc:
    """A python-docx document with 公文 page setup and paragraph kinds."""

    BODY_PT = 16
    LINE_PT = 28

    def __init__(self, fonts: dict[str, str] | None = None) -> None:
        self.fonts = {**DEFAULT_FONTS, **(fonts or {})}
        self.doc = Document()
        self._page_setup()
        self._styles()

    # -- setup
    def _page_setup(self) -> None:
        s = self.doc.sections[0]
        s.page_width, s.page_height = Cm(21), Cm(29.7)
        s.top_margin, s.bottom_margin = Cm(3.7), Cm(3.5)
        s.left_margin, s.right_margin = Cm(2.8), Cm(2.6)
        s.footer_distance = Cm(2.5)
        self._page_number(s.footer.paragraphs[0])

    def _page_number(self, p) -> None:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(p, "— ", "body", 14)
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), "PAGE")
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "1"
        r.append(t)
        fld.append(r)
        p._p.append(fld)
        self._run(p, " —", "body", 14)

    def _styles(self) -> None:
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(self.BODY_PT)
        rpr = normal.element.get_or_add_rPr()
        self.set_fonts(rpr, "body")
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
        rpr.append(lang)
        heading = self.doc.styles["Heading 1"]
        heading.font.color.rgb = RGBColor(0, 0, 0)
        heading.font.bold = False
        heading.font.italic = False
        heading.font.size = Pt(self.BODY_PT)
        self.set_fonts(heading.element.get_or_add_rPr(), "heading1")

    def set_fonts(self, rpr, role: str) -> None:
        """Write ascii/hAnsi (Latin) and eastAsia (CJK) font names into an rPr element."""
        rfonts = rpr.get_or_add_rFonts()
        latin = self.fonts["latin"]
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            rfonts.set(qn(attr), latin)
        rfonts.set(qn("w:eastAsia"), self.fonts[role])
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(theme), None)

    def _run(self, p, text: str, role: str, size: float, bold: bool = False):
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.font.bold = bold
        self.set_fonts(run._element.get_or_add_rPr(), role)
        return run

    def _format(self, p, *, indent: bool = True, align=None, line: float | None = None, before: float = 0,
                after: float = 0, left: float = 0) -> None:
        f = p.paragraph_format
        f.first_line_indent = Pt(self.BODY_PT * 2) if indent else Pt(0)
        f.left_indent = Pt(left)
        f.space_before, f.space_after = Pt(before), Pt(after)
        f.line_spacing = Pt(line or self.LINE_PT)
        f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        if align is not None:
            p.alignment = align

    # -- paragraph kinds
    def title(self, text: str, size: float = 22) -> None:
        p = self.doc.add_paragraph()
        self._format(p, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, line=size * 1.6, after=self.LINE_PT / 2)
        self._run(p, text, "title", size, bold=True)

    def centered(self, text: str, size: float = 16, role: str = "body") -> None:
        p = self.doc.add_paragraph()
        self._format(p, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        self._run(p, text, role, size)

    def heading(self, text: str) -> None:
        """A first-level heading (一、…): 黑体, Word's Heading 1 style (navigation pane)."""
        p = self.doc.add_paragraph(style="Heading 1")
        self._format(p)
        p.paragraph_format.keep_with_next = True
        self._run(p, text, "heading1", self.BODY_PT)

    def para(self, text: str, *, lead: str = "", indent: bool = True, left: float = 0) -> None:
        """A body paragraph; ``lead`` (（一）…。) is set in 楷体 before the text."""
        p = self.doc.add_paragraph()
        self._format(p, indent=indent, left=left)
        if lead:
            self._run(p, lead, "heading2", self.BODY_PT)
        if text:
            self._run(p, text, "body", self.BODY_PT)

    def label(self, text: str) -> None:
        """附件N at the top left of an annex page (黑体, no indent)."""
        p = self.doc.add_paragraph()
        self._format(p, indent=False)
        self._run(p, text, "heading1", self.BODY_PT)

    def right(self, text: str, right_chars: float = 4) -> None:
        p = self.doc.add_paragraph()
        self._format(p, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(self.BODY_PT * right_chars)
        self._run(p, text, "body", self.BODY_PT)

    def blank(self) -> None:
        self.para("", indent=False)

    def picture(self, path: Path, caption: str, width_cm: float = 15.0) -> None:
        self.doc.add_picture(str(path), width=Cm(width_cm))
        p = self.doc.paragraphs[-1]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True  # the caption stays under its figure
        self.centered(caption, size=12)

    def page_break(self) -> None:
        p = self.doc.add_paragraph()
        p.add_run().add_break(WD_BREAK.PAGE)

    def table(self, headers: list[str], rows: list[list[str]], widths_cm: list[float], size: float = 10.5):
        """A bordered table, header row repeated on every page, centred. Data rows after the first
        are copies of it with the texts replaced (python-docx styling per cell is slow)."""
        t = self.doc.add_table(rows=1, cols=len(headers))
        t.style = self.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        self._fill_row(t.rows[0], headers, widths_cm, size, header=True)
        self._repeat_header(t.rows[0])
        if rows:
            proto = t.add_row()
            self._fill_row(proto, [_cell_text(v) for v in rows[0]], widths_cm, size)
            for row in rows[1:]:
                tr = copy.deepcopy(proto._tr)
                for tc, value in zip(tr.tc_lst, row, strict=True):
                    tc.xpath(".//w:t")[0].text = _cell_text(value)
                t._tbl.append(tr)
        for i, w in enumerate(widths_cm):
            t.columns[i].width = Cm(w)
        return t

    @staticmethod
    def _repeat_header(row) -> None:
        trpr = row._tr.get_or_add_trPr()
        el = OxmlElement("w:tblHeader")
        el.set(qn("w:val"), "true")
        trpr.append(el)

    def _fill_row(self, row, values: list[str], widths_cm: list[float], size: float, header: bool = False) -> None:
        """Style one row; narrow columns (序号, 类型, 扣分 …) are centred."""
        cells = [_Cell(tc, row.table) for tc in row._tr.tc_lst]  # row.cells is O(table size)
        for cell, value, w in zip(cells, values, widths_cm, strict=True):
            cell.width = Cm(w)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            p.paragraph_format.first_line_indent = Pt(0)
            p.paragraph_format.line_spacing = 1.0
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if header or w <= 2.0 else WD_ALIGN_PARAGRAPH.LEFT
            run = self._run(p, value or " ", "heading1" if header else "body", size)
            run._r.xpath("./w:t")[0].set(qn("xml:space"), "preserve")

    def save(self, out: Path) -> Path:
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        self.doc.save(str(out))
        return out


# --------------------------------------------------------------------------- wording
VETO_PHRASES = {
    "W.VETO.UNREACHABLE": "首页在监测期内无法访问的比例超过规定",
    "W.VETO.HOME_STALE": "首页长期未更新",
    "W.VETO.COLUMNS_STALE": "动态、通知公告、政策文件类栏目长期未更新",
    "W.VETO.LONG_STALE": "多个应更新栏目长期未更新",
    "W.VETO.BLANK_COLUMNS": "空白栏目数量超过规定",
    "W.VETO.INTERACTION": "互动回应差，未提供有效互动渠道或留言长期未回复",
    "W.VETO.SERVICE": "办事服务不实用，办事指南要素缺失严重",
    "W.VETO.SERIOUS_ERROR": "存在严重表述错误",
    "W.VETO.SECURITY": "存在暗链、篡改等安全问题",
    "W.VETO.FRAUD": "存在弄虚作假行为",
    "M.VETO.STALE": "长期未更新内容",
    "M.VETO.INTERACTION": "未提供有效互动功能",
    "M.VETO.SERIOUS_ERROR": "存在严重表述错误",
    "M.VETO.SECURITY": "存在账号被盗用、泄露国家秘密等安全问题",
}
ANNEX_FAILED_WEBSITES, ANNEX_FAILED_MEDIA, ANNEX_OTHER, ANNEX_PENDING = 1, 2, 3, 4


def names_text(names: list[str]) -> str:
    return "、".join(names)


def period_text(as_of: datetime, pattern: str) -> str:
    """期次 from the monitoring point: "{year}年第{quarter}季度" → 2025年第一季度."""
    quarter = cn_number((as_of.month - 1) // 3 + 1)
    return pattern.format(year=as_of.year, quarter=quarter, month=as_of.month)


def overall_rate(report: RunReport) -> tuple[int, int, float]:
    """(inspected, failed, 合格率) over websites and new media together."""
    inspected = report.websites.inspected + report.media.inspected
    failed = report.websites.failed + report.media.failed
    return inspected, failed, ((inspected - failed) / inspected if inspected else 0.0)


def totals_sentence(report: RunReport) -> str:
    """本次共检查政府网站N个、政务新媒体M个，其中不合格网站x个、不合格新媒体y个，总体合格率z%。"""
    w, m = report.websites, report.media
    checked, bad = [], []
    if w.inspected:
        checked.append(f"政府网站{w.inspected}个")
        bad.append(f"不合格网站{w.failed}个")
    if m.inspected:
        checked.append(f"政务新媒体{m.inspected}个")
        bad.append(f"不合格新媒体{m.failed}个")
    if not checked:
        return "本次未检查政府网站和政务新媒体。"
    _, _, rate = overall_rate(report)
    return f"本次共检查{'、'.join(checked)}，其中{'、'.join(bad)}，总体合格率{pct(rate)}。"


def breakdown_sentence(report: RunReport) -> str:
    """网站合格率 / 新媒体合格率, sites by category, accounts by platform."""
    parts = []
    w, m = report.websites, report.media
    if w.inspected:
        cats = "、".join(f"{r.label}{r.inspected}个" for r in report.by_category if r.inspected)
        good = f"，其中良好{w.good}个" if w.good else ""
        parts.append(f"政府网站合格率{w.rate_text}" + (f"（{cats}{good}）" if cats else good))
    if m.inspected:
        plats = "、".join(f"{platform_label(r.key)}{r.inspected}个（合格率{r.rate_text}）"
                          for r in report.by_platform if r.inspected)
        parts.append(f"政务新媒体合格率{m.rate_text}" + (f"，其中{plats}" if plats else ""))
    return "；".join(parts) + "。" if parts else ""


def who_text(verdicts: list[Verdict]) -> str:
    """"2个网站、1个政务新媒体" for a list of targets."""
    sites = sum(1 for v in verdicts if v.target.kind == "website")
    accounts = len(verdicts) - sites
    return "、".join(x for x in (f"{sites}个网站" if sites else "", f"{accounts}个政务新媒体" if accounts else "") if x)


def pending_sentence(report: RunReport) -> str:
    """Veto candidates awaiting confirmation: counted as not failed, said so plainly."""
    pending = report.pending
    if not pending:
        return ""
    codes = sorted({c for v in pending for c in v.pending_codes})
    what = "、".join(dict.fromkeys(short_title(code_title(c)) for c in codes))
    return (f"另有{who_text(pending)}存在疑似{what}等问题，待人工核实确认后认定（见附件{ANNEX_PENDING}），"
            "本次暂未计入不合格。")


def inconclusive_sentence(report: RunReport) -> str:
    vs = [v for v in report.inconclusive if v.inspected]
    if not vs:
        return ""
    return (f"{who_text(vs)}的部分检查项因访问受限、数据源不可用等原因未能自动判定，"
            f"已列入附件{ANNEX_PENDING}，需人工核实。")


def skipped_sentence(report: RunReport) -> str:
    vs = [v for v in report.verdicts if not v.inspected]
    return f"{who_text(vs)}因处于关停、建设等非运行状态，未纳入本次检查。" if vs else ""


def overview_paragraphs(report: RunReport) -> list[str]:
    """The opening paragraphs of 一、总体情况 (totals, breakdown, pending, inconclusive)."""
    first = totals_sentence(report) + breakdown_sentence(report)
    tail = pending_sentence(report) + inconclusive_sentence(report) + skipped_sentence(report)
    return [p for p in (first, tail) if p]


def region_paragraph(report: RunReport) -> str:
    """分地区看，A合格率x%、B合格率y%…。C、D检查的政府网站和政务新媒体全部合格。"""
    from xuncha.report.charts import region_rows

    rows = region_rows(report)
    if not rows:
        return ""
    text = "分地区看，" + "，".join(f"{r.label}合格率{r.rate_text}" for r in rows) + "。"
    if report.regions_full:
        text += f"{names_text(list(report.regions_full))}检查的政府网站和政务新媒体全部合格。"
    return text


def _change(label: str, before: float | None, now: float, has_now: bool) -> str:
    if before is None or not has_now:
        return ""
    delta = (now - before) * 100
    if abs(delta) < 0.05:
        return f"{label}与上次持平（{pct(now)}）"
    way = "上升" if delta > 0 else "下降"
    return f"{label}由{pct(before)}{way}至{pct(now)}（{way}{abs(delta):.1f}个百分点）"


def comparison_paragraphs(report: RunReport) -> list[str]:
    """Change of 合格率 since the previous run, newly failing, fixed and repeat offenders."""
    c = report.comparison
    if c is None:
        return []
    changes = [x for x in (
        _change("网站合格率", c.previous_rate_websites, report.websites.rate, bool(report.websites.inspected)),
        _change("政务新媒体合格率", c.previous_rate_media, report.media.rate, bool(report.media.inspected)),
    ) if x]
    text = f"与上次检查（监测时点{date_cn(c.previous_as_of)}）相比，"
    text += ("，".join(changes) + "。") if changes else "合格率无可比数据。"
    if c.newly_failed:
        names = [unit_name(v.target) for v in sorted_verdicts(list(c.newly_failed))]
        text += f"本次新增不合格{len(names)}个：{names_text(names)}。"
    if c.fixed:
        names = [unit_name(t) for t in sorted(c.fixed, key=lambda t: (t.region, t.name, t.id))]
        text += f"上次不合格、本次已整改合格{len(names)}个：{names_text(names)}。"
    out = [text]
    if c.repeat_offenders:
        reps = sorted(c.repeat_offenders, key=lambda r: (-r.runs, r.target.region, r.target.name))
        named = "、".join(f"{unit_name(r.target)}（连续{r.runs}次）" for r in reps)
        out.append(f"{named}连续多次检查不合格，问题整改不到位，予以点名通报。")
    return out


def _unit_counts(g: ProblemGroup) -> list[str]:
    """Units of a group, ordered by region then name, with instance counts where > 1."""
    counts = Counter(f.target_id for f in g.findings)
    several = g.kind == "deduct" and len(g.verdicts) > 1
    out = []
    for v in sorted_verdicts(list(g.verdicts)):
        n = counts.get(v.target.id, 0)
        out.append(unit_name(v.target) + (f"（{n}处）" if several and n > 1 else ""))
    return out


def problem_paragraphs(report: RunReport) -> list[tuple[str, str]]:
    """(lead, text) per indicator for 二、存在问题: "（一）首页不更新。" + the units named."""
    out = []
    groups = [g for g in report.problems if g.verdicts]
    for i, g in enumerate(groups, 1):
        units = names_text(_unit_counts(g))
        if g.kind == "veto":
            lead = f"（{cn_number(i)}）{g.title}。"
            phrase = VETO_PHRASES.get(g.code, f"存在{short_title(g.title)}问题")
            text = f"{units}{phrase}，按单项否决认定为不合格。"
        elif g.kind == "pending":
            lead = f"（{cn_number(i)}）{g.title}（待确认）。"
            text = (f"{units}存在疑似{short_title(g.title)}问题，已列入附件{ANNEX_PENDING}，"
                    "待人工核实确认后认定。")
        else:
            lead = f"（{cn_number(i)}）{g.title}。"
            total = g.instances or len(g.findings)
            text = f"{units}存在{short_title(g.title)}问题" + (f"，共{total}处" if total else "") + "。"
        out.append((lead, text))
    return out


def region_table(report: RunReport) -> tuple[list[str], list[list[str]], list[float]]:
    from xuncha.report.charts import region_rows

    headers = ["地区", "检查数量", "不合格", "待确认", "网站合格率", "新媒体合格率", "总体合格率"]
    return headers, region_table_rows(report, region_rows(report)), [2.4, 2.0, 1.6, 1.6, 2.5, 2.9, 2.6]


def unconfirmed_note(report: RunReport) -> str:
    if not report.unconfirmed_values:
        return ""
    values = "；".join(report.unconfirmed_values)
    return (f"说明：本次评分依据“{report.ruleset_title}”，其中以下分值或阈值尚待核实，"
            f"相关扣分和得分仅供参考：{values}。")


def _counts(unit: str, *parts: tuple[int, str]) -> str:
    """"逾期办结1条、逾期未办结2条" (zero counts left out)."""
    return "、".join(f"{label}{n}{unit}" for n, label in parts if n)


def ops_paragraphs(ops: OpsSummary, tpl: CircularTemplate, *, period: str = "", annex: int | None = None
                   ) -> list[tuple[str, str]]:
    """(lead, text) per non-empty part of the 运维工作情况 (template texts filled in), then the
    annex reference; [] when the summary is empty."""
    common = {"period": period, "scope": tpl.scope, "issuer": tpl.issuer, "as_of": date_cn(ops.as_of),
              "start": date_cn(ops.start), "end": date_cn(ops.end)}

    def text(key: str, **values: object) -> str:
        return tpl.ops_text(key).format(**common, **values)

    out: list[tuple[str, str]] = []

    def add(main: str, late: str = "", *, keep_main: bool = True) -> None:
        m = re.match(r"^([^。]*。)(.*)$", main, re.S)
        lead, rest = (m.group(1), m.group(2)) if m else ("", main)
        out.append((lead, (rest if keep_main else "") + late))

    if (z := ops.zhaocuo) is not None:
        late = [f"{u.unit}（{_counts('条', (u.closed_late, '逾期办结'), (u.overdue, '逾期未办结'))}）"
                for u in z.units if u.closed_late or u.overdue]
        add(text("ops_zhaocuo", received=z.received, due=z.due, on_time=z.on_time, closed_late=z.closed_late,
                 overdue=z.overdue, rate=rate_text(z.rate)),
            text("ops_zhaocuo_late", units=names_text(late), count=len(late)) if late else "")
    if (c := ops.consult) is not None:
        late = [f"{t.target_name}（{_counts('次', (t.counts['slow'], '超过5个工作日答复'), (t.counts['none'], '未答复'))}）"
                for t in c.targets if t.problem]
        add(text("ops_consult", total=c.total, targets=len(c.targets), fast=c.fast, normal=c.normal, slow=c.slow,
                 none=c.none, slow_or_none=c.slow_or_none, pending=c.pending),
            text("ops_consult_late", units=names_text(late), count=len(late)) if late else "")
    if (r := ops.repost) is not None:
        late = [f"{u.unit}（{_counts('项次', (u.late, '逾期转载'), (u.missing, '未转载'))}）"
                for u in r.units if u.late or u.missing]
        add(text("ops_repost", assigned=r.assigned, done=r.done, late=r.late, missing=r.missing, unknown=r.unknown,
                 rate=rate_text(r.rate)),
            text("ops_repost_late", units=names_text(late), count=len(late)) if late else "")
    if (k := ops.rectify) is not None:
        names = k.overdue_names
        add(text("ops_rectify", due=k.due, on_time=k.on_time, closed_late=k.closed_late, open=k.open,
                 rate=rate_text(k.rate)),
            text("ops_rectify_late", cases=names_text(names), count=len(names)) if names else "",
            keep_main=bool(k.due))
    if out and annex is not None:
        out.append(("", text("ops_annex", annex=annex)))
    return out


# --------------------------------------------------------------------------- circular
@dataclass
class _Context:
    report: RunReport
    tpl: CircularTemplate
    issued: date
    deadline: date
    period: str
    charts: dict[str, Path]
    ops: OpsSummary | None = None
    ops_annex: int | None = None

    def fill(self, text: str) -> str:
        return text.format(
            period=self.period, scope=self.tpl.scope, issuer=self.tpl.issuer,
            window=window_cn(self.report.window), as_of=date_cn(self.report.as_of),
            deadline=date_cn(self.deadline), days=self.tpl.feedback_working_days,
        )


def _head(doc: OfficialDoc, ctx: _Context) -> None:
    if ctx.tpl.doc_number:
        doc.centered(ctx.tpl.doc_number)
        doc.blank()
    doc.title(ctx.fill(ctx.tpl.title))
    doc.para(ctx.tpl.recipients, indent=False)
    doc.para(ctx.fill(ctx.tpl.opening))


def _overview(doc: OfficialDoc, ctx: _Context) -> None:
    doc.heading("一、总体情况")
    for text in overview_paragraphs(ctx.report):
        doc.para(text)
    region = region_paragraph(ctx.report)
    if region:
        doc.para(region)
        headers, rows, widths = region_table(ctx.report)
        doc.centered("表1  分地区检查情况", size=14, role="heading1")
        doc.table(headers, rows, widths)
    for text in comparison_paragraphs(ctx.report):
        doc.para(text)
    n = 1
    for key, caption in (("region", "各地区合格率"), ("platform", "分类型合格率")):
        if key in ctx.charts:
            doc.picture(ctx.charts[key], f"图{n}  {caption}")
            n += 1
    if ctx.ops is not None:
        for lead, text in ops_paragraphs(ctx.ops, ctx.tpl, period=ctx.period, annex=ctx.ops_annex):
            doc.para(text, lead=lead)


def _problems(doc: OfficialDoc, ctx: _Context) -> None:
    doc.heading("二、存在问题")
    paragraphs = problem_paragraphs(ctx.report)
    if not paragraphs:
        doc.para("本次检查未发现需要通报的问题。")
    for lead, text in paragraphs:
        doc.para(text, lead=lead)
    if "problems" in ctx.charts:
        n = 1 + sum(k in ctx.charts for k in ("region", "platform"))
        doc.picture(ctx.charts["problems"], f"图{n}  主要问题分布")
    doc.para(f"不合格政府网站和政务新媒体名单见附件{ANNEX_FAILED_WEBSITES}、附件{ANNEX_FAILED_MEDIA}，"
             f"其他问题清单见附件{ANNEX_OTHER}。")


def _requirements(doc: OfficialDoc, ctx: _Context) -> None:
    doc.heading(ctx.tpl.requirements_heading)
    for text in ctx.tpl.requirements:
        m = re.match(r"^(（[一二三四五六七八九十]+）[^。]*。)(.*)$", ctx.fill(text))
        if m:
            doc.para(m.group(2), lead=m.group(1))
        else:
            doc.para(ctx.fill(text))
    if ctx.tpl.contact:
        doc.para(ctx.fill(ctx.tpl.contact))


def _signature(doc: OfficialDoc, ctx: _Context, tables: list[AnnexTable]) -> None:
    doc.blank()
    for i, t in enumerate(tables, 1):
        text = f"{i}．{t.title}"
        if i == 1:
            doc.para(f"附件：{text}")
        else:
            doc.para(text, indent=False, left=OfficialDoc.BODY_PT * 5)
    doc.blank()
    doc.blank()
    doc.right(ctx.tpl.issuer)
    doc.right(date_cn(ctx.issued))
    note = unconfirmed_note(ctx.report)
    if note:
        doc.blank()
        doc.para(note)


def _annexes(doc: OfficialDoc, ctx: _Context, tables: list[AnnexTable]) -> None:
    window = window_cn(ctx.report.window)
    for i, t in enumerate(tables, 1):
        doc.page_break()
        doc.label(f"附件{i}")
        doc.title(t.title, size=20)
        if t.key == "ops" and ctx.ops is not None:
            doc.centered(f"统计时段：{period_cn(ctx.ops)}", size=14)
        else:
            doc.centered(f"采样时间：{window}", size=14)
        if t.rows:
            if t.key == "ops":
                doc.table(t.headers, t.rows, t.widths, size=OPS_TABLE_PT)
            else:
                doc.table(t.headers, t.rows, t.widths)
        else:
            doc.para(t.empty_text)


def write_circular(report: RunReport, out: Path, *, template: str | Path | CircularTemplate = "default",
                   charts: bool = True, issued: date | None = None, period: str | None = None,
                   chart_dir: Path | None = None, ops: OpsSummary | None = None) -> Path:
    """Write the circular .docx for ``report`` to ``out`` and return the path.

    ``issued`` (default: today, Asia/Shanghai) is the 落款 date and the start of the feedback
    deadline; ``period`` overrides the 期次 text derived from the monitoring point; charts are
    drawn into ``chart_dir`` (kept) or a temporary folder (embedded, then removed). ``ops``
    (``report.ops.load_ops_summary``), when not empty, adds the 运维工作情况 paragraphs at the
    end of 一、总体情况 and the annex 运维工作情况统计表 after the others."""
    tpl = template if isinstance(template, CircularTemplate) else load_template(template)
    if issued is None:
        from xuncha.settings import TZ

        issued = datetime.now(TZ).date()
    doc = OfficialDoc(tpl.fonts)
    tables = annex_tables(report)
    if ops is not None and ops.empty:
        ops = None
    if ops is not None:
        tables.append(ops_table(ops))
    with tempfile.TemporaryDirectory(prefix="xuncha-charts-") as tmp:
        made: dict[str, Path] = {}
        if charts:
            from xuncha.report.charts import write_charts

            made = write_charts(report, Path(chart_dir) if chart_dir else Path(tmp))
        ctx = _Context(report, tpl, issued, add_working_days(issued, tpl.feedback_working_days),
                       period or period_text(report.as_of, tpl.period), made, ops,
                       len(tables) if ops is not None else None)
        _head(doc, ctx)
        _overview(doc, ctx)
        _problems(doc, ctx)
        _requirements(doc, ctx)
        _signature(doc, ctx, tables)
        _annexes(doc, ctx, tables)
        return doc.save(Path(out))
