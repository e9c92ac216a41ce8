"""Annex tables of a circular (附件) — built once, rendered into the .docx and the .xlsx.

附件 不合格政府网站名单, 不合格政务新媒体名单, 其他问题清单 (problems of targets that did not
fail), 待确认及需人工核实事项 (veto candidates awaiting an inspector, inconclusive checks).
``write_annex_xlsx`` writes them as sheets, with 分地区合格率 and 问题统计 sheets besides.
Also the small text helpers every renderer shares (dates, percentages, unit names, ordering).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from xuncha.model import Deduction, Finding, Target, Verdict
from xuncha.scoring.aggregate import Rate, RunReport

# How a platform is named after an account's name in circulars: “XX发布”微信公众号.
ACCOUNT_SUFFIX = {
    "wechat": "微信公众号", "weibo": "微博", "douyin": "抖音号", "toutiao": "今日头条号",
    "app": "移动客户端", "miniprogram": "小程序", "other": "政务新媒体",
}
KIND_TEXT = {"veto": "单项否决", "deduct": "扣分", "pending": "待确认"}
_CN_DIGITS = "零一二三四五六七八九"
_PAREN = re.compile(r"（[^）]*）|\([^)]*\)")


# --------------------------------------------------------------------------- text helpers
def date_cn(d: date | datetime) -> str:
    """2025年3月20日 (no zero padding)."""
    return f"{d.year}年{d.month}月{d.day}日"


def window_cn(window: tuple[date, date]) -> str:
    """2025年3月6日至2025年3月20日."""
    start, end = window
    return date_cn(start) if start == end else f"{date_cn(start)}至{date_cn(end)}"


def pct(value: float) -> str:
    """A ratio 0..1 as a percentage with one decimal: 0.952 → 95.2%."""
    return f"{value * 100:.1f}%"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (1..99)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return f"{head}十{_CN_DIGITS[ones] if ones else ''}"


def short_title(title: str) -> str:
    """An indicator title without its parenthesised qualifier, for running text."""
    return _PAREN.sub("", title).strip() or title


def platform_label(kind: str) -> str:
    from xuncha.registry import KIND_LABELS

    return KIND_LABELS.get(kind, kind)


def unit_name(target: Target) -> str:
    """How a circular names a target: website name, or 单位“账号名”平台 for an account."""
    if target.kind == "website":
        return target.name
    suffix = ACCOUNT_SUFFIX.get(target.kind, "政务新媒体")
    name = target.name.strip("“”\"")
    owner = target.owner if target.owner and target.owner not in name else ""
    return f"{owner}“{name}”{suffix}"


def region_leaf(target: Target) -> str:
    return target.region.rsplit("/", 1)[-1] if target.region else ""


def target_order(target: Target) -> tuple[str, str, str]:
    """Order of units in every list: region, then name."""
    return (target.region, target.name, target.id)


def sorted_verdicts(verdicts: list[Verdict]) -> list[Verdict]:
    return sorted(verdicts, key=lambda v: target_order(v.target))


def code_title(code: str) -> str:
    from xuncha.checks.base import title_of

    return title_of(code)


def _evidence(findings: list[Finding], limit: int = 2) -> str:
    """The first findings' evidence texts, and how many more there are."""
    texts: list[str] = []
    for f in findings:
        if f.evidence and f.evidence not in texts:
            texts.append(f.evidence)
    if not texts:
        return ""
    shown = "；".join(texts[:limit])
    return shown + (f"等{len(findings)}处" if len(findings) > limit else "")


def _by_code(findings: list[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        out[f.code].append(f)
    return dict(out)


def points_text(points: float) -> str:
    return f"{points:g}"


# --------------------------------------------------------------------------- tables
@dataclass
class AnnexTable:
    """One annex: a titled table. ``widths`` in centimetres (docx); xlsx scales them."""

    key: str  # failed_websites, failed_media, other_problems, pending
    title: str
    sheet: str  # xlsx sheet name
    headers: list[str]
    widths: list[float]
    rows: list[list[str]] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)  # one per row (xlsx 网址 column)
    empty_text: str = "无。"


def failed_problems_text(v: Verdict) -> str:
    """存在问题 of a failed target: each veto indicator with its evidence, numbered."""
    vetoes = [f for f in v.problems if f.severity == "veto"] or list(v.problems)
    parts = []
    for code, findings in _by_code(vetoes).items():
        ev = _evidence(findings)
        parts.append(f"{code_title(code)}（{KIND_TEXT['veto']}）" + (f"：{ev}" if ev else ""))
    if not parts and v.score is not None:
        parts.append(f"得分{points_text(v.score)}分，低于合格线")
    elif not parts and v.veto_codes:
        parts = [code_title(c) for c in v.veto_codes]
    if len(parts) == 1:
        return parts[0]
    return "；".join(f"{i}．{p}" for i, p in enumerate(parts, 1))


def _first_url(v: Verdict, findings: list[Finding]) -> str:
    return next((f.url for f in findings if f.url), v.target.url)


def failed_websites_table(report: RunReport) -> AnnexTable:
    t = AnnexTable("failed_websites", "不合格政府网站名单", "不合格政府网站",
                   ["序号", "网站名称", "主管单位", "存在问题"], [1.2, 4.4, 3.6, 6.4],
                   empty_text="本次检查未发现不合格政府网站。")
    for v in sorted_verdicts([v for v in report.failed if v.target.kind == "website"]):
        t.rows.append([str(len(t.rows) + 1), v.target.name, v.target.owner, failed_problems_text(v)])
        t.urls.append(v.target.url)
    return t


def failed_media_table(report: RunReport) -> AnnexTable:
    t = AnnexTable("failed_media", "不合格政务新媒体名单", "不合格政务新媒体",
                   ["序号", "新媒体名称", "第三方平台", "主管单位", "存在问题"], [1.2, 3.4, 1.8, 3.4, 5.8],
                   empty_text="本次检查未发现不合格政务新媒体。")
    for v in sorted_verdicts([v for v in report.failed if v.target.kind != "website"]):
        t.rows.append([str(len(t.rows) + 1), v.target.name, platform_label(v.target.kind), v.target.owner,
                       failed_problems_text(v)])
        t.urls.append(v.target.url)
    return t


def _deduction_rows(v: Verdict) -> list[tuple[str, str, str, str]]:
    """(indicator, description, points, url) per problem code of a target that did not fail."""
    rows = []
    seen: set[str] = set()
    for d in v.deductions:
        seen.add(d.code)
        rows.append((d.title or code_title(d.code), _evidence(d.findings) or f"共{d.instances}处",
                     _points_cell(d), _first_url(v, d.findings)))
    rest = [f for f in v.problems if f.code not in seen and f.severity != "veto"]
    for code, findings in _by_code(rest).items():
        rows.append((code_title(code), _evidence(findings), "—", _first_url(v, findings)))
    return rows


def _points_cell(d: Deduction) -> str:
    if not d.scored:
        return "不计分"
    text = points_text(d.points)
    return f"{text}（待核实）" if d.unconfirmed else text


def other_problems_table(report: RunReport) -> AnnexTable:
    t = AnnexTable("other_problems", "其他问题清单", "其他问题清单",
                   ["序号", "名称", "类型", "主管单位", "问题", "问题说明", "扣分"],
                   [1.0, 3.0, 1.3, 2.4, 2.4, 3.7, 1.8], empty_text="无其他问题。")
    for v in sorted_verdicts([v for v in report.verdicts if v.inspected and not v.failed]):
        for title, desc, points, url in _deduction_rows(v):
            t.rows.append([str(len(t.rows) + 1), unit_name(v.target), platform_label(v.target.kind),
                           v.target.owner, title, desc, points])
            t.urls.append(url)
    return t


def pending_table(report: RunReport) -> AnnexTable:
    t = AnnexTable("pending", "待确认及需人工核实事项", "待确认事项",
                   ["序号", "名称", "主管单位", "类别", "问题", "说明"], [1.0, 3.4, 2.8, 2.2, 2.6, 3.6],
                   empty_text="无待确认或需人工核实的事项。")
    for v in sorted_verdicts([v for v in report.verdicts if v.inspected and not v.failed]):
        for code, findings in _by_code(v.pending).items():
            t.rows.append([str(len(t.rows) + 1), unit_name(v.target), v.target.owner, "疑似否决项，待确认",
                           code_title(code), _evidence(findings)])
            t.urls.append(_first_url(v, findings))
    for v in sorted_verdicts([v for v in report.verdicts if v.inspected]):
        for code, findings in _by_code(v.inconclusive).items():
            t.rows.append([str(len(t.rows) + 1), unit_name(v.target), v.target.owner, "需人工核实",
                           code_title(code), _evidence(findings)])
            t.urls.append(_first_url(v, findings))
    return t


def annex_tables(report: RunReport) -> list[AnnexTable]:
    """The four annex tables in circular order (empty ones included)."""
    return [failed_websites_table(report), failed_media_table(report), other_problems_table(report),
            pending_table(report)]


# --------------------------------------------------------------------------- statistics
def region_table_rows(report: RunReport, rows: list[Rate]) -> list[list[str]]:
    """地区, 检查数量, 不合格, 待确认, 网站合格率, 新媒体合格率, 总体合格率 per region slice."""
    websites = {r.key: r for r in report.by_region_websites}
    media = {r.key: r for r in report.by_region_media}
    out = []
    for r in rows:
        w, m = websites.get(r.key), media.get(r.key)
        out.append([r.label, str(r.inspected), str(r.failed), str(r.pending),
                    w.rate_text if w and w.inspected else "—", m.rate_text if m and m.inspected else "—",
                    r.rate_text])
    return out


def problem_stats_rows(report: RunReport) -> list[list[str]]:
    """指标代码, 指标, 类别, 涉及数量, 问题数量, 涉及单位 per problem group."""
    out = []
    for g in report.problems:
        names = "、".join(unit_name(v.target) for v in sorted_verdicts(list(g.verdicts)))
        out.append([g.code, g.title, KIND_TEXT.get(g.kind, g.kind), str(len(g.verdicts)),
                    str(g.instances or len(g.findings) or len(g.verdicts)), names])
    return out


# --------------------------------------------------------------------------- xlsx
_XLSX_CM = 4.2  # openpyxl column width units per centimetre of the docx table (roughly)


def _sheet(wb, title: str, caption: str, window: str, headers: list[str], rows: list[list[str]],
           widths: list[float]):
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    n = len(headers)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append([caption])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([f"采样时间：{window}"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n)
    ws.append(headers)
    for c in range(1, n + 1):
        cell = ws.cell(row=3, column=c)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        ws.column_dimensions[get_column_letter(c)].width = max(6.0, widths[c - 1] * _XLSX_CM)
    for row in rows:
        ws.append([int(x) if isinstance(x, str) and x.isdigit() and i == 0 else x for i, x in enumerate(row)])
        for c in range(1, n + 1):
            cell = ws.cell(row=ws.max_row, column=c)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = border
    ws.freeze_panes = "A4"
    return ws


def write_annex_xlsx(report: RunReport, path: Path) -> Path:
    """The annex tables as an .xlsx workbook (one sheet each) plus 分地区合格率 and 问题统计."""
    from openpyxl import Workbook

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    window = window_cn(report.window)
    for i, t in enumerate(annex_tables(report), 1):
        rows = [[*r, u] for r, u in zip(t.rows, t.urls, strict=True)]
        _sheet(wb, t.sheet, f"附件{i}  {t.title}", window, [*t.headers, "网址"], rows, [*t.widths, 6.0])
    from xuncha.report.charts import region_rows

    _sheet(wb, "分地区合格率", "分地区合格率", window,
           ["地区", "检查数量", "不合格", "待确认", "网站合格率", "新媒体合格率", "总体合格率"],
           region_table_rows(report, region_rows(report) or report.by_region),
           [3.6, 2.0, 2.0, 2.0, 2.6, 2.6, 2.6])
    _sheet(wb, "问题统计", "问题统计", window, ["指标代码", "指标", "类别", "涉及数量", "问题数量", "涉及单位"],
           problem_stats_rows(report), [4.0, 5.0, 2.0, 2.0, 2.0, 14.0])
    wb.save(path)
    return path
