"""A per-unit rectification notice (整改通知) as a Word document.

Addressed to one owner unit (主管单位): each of its targets with the verdict, each problem with
indicator, URL, evidence and — when the finding carries ``detail["suggestion"]`` — a suggested
fix; veto candidates awaiting confirmation and checks needing manual confirmation are listed
apart. The deadline is computed by the caller (working days) and printed as 2026年12月10日.
Wording comes from ``templates/notice-*.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from xuncha.model import Finding, Verdict
from xuncha.report.annex import cn_number, code_title, date_cn, points_text, sorted_verdicts, unit_name
from xuncha.report.circular import DEFAULT_FONTS, OfficialDoc, read_template, resolve_template

_PH = frozenset({"owner", "as_of", "deadline", "issuer", "count", "failed", "problems"})
NOTICE_SCHEMA: dict[str, tuple[type, frozenset[str], bool]] = {
    "title": (str, _PH, True),
    "issuer": (str, frozenset(), True),
    "opening": (str, _PH, True),
    "requirements": (list, _PH, True),
    "contact": (str, _PH, False),
    "fonts": (dict, frozenset(), False),
}
SEVERITY_TEXT = {"veto": "单项否决", "deduct": "扣分", "advisory": "提示", "inconclusive": "需人工核实"}

__all__ = ["NoticeTemplate", "load_notice_template", "write_notice"]


@dataclass(frozen=True)
class NoticeTemplate:
    path: Path
    title: str
    issuer: str
    opening: str
    requirements: tuple[str, ...]
    contact: str = ""
    fonts: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_FONTS))


def load_notice_template(name_or_path: str | Path = "default") -> NoticeTemplate:
    """A notice template by built-in name ("default") or file path, validated."""
    path = resolve_template(name_or_path, "notice")
    return NoticeTemplate(path=path, **read_template(path, NOTICE_SCHEMA))


def verdict_text(v: Verdict) -> str:
    """检查结论 of one target: 不合格（单项否决：首页不更新）, 合格（得分92分）, 待确认 …"""
    if v.failed:
        if v.veto_codes:
            return f"不合格（单项否决：{'、'.join(code_title(c) for c in v.veto_codes)}）"
        return f"不合格（得分{points_text(v.score)}分）" if v.score is not None else "不合格"
    if v.verdict == "待确认":
        return f"待确认（疑似：{'、'.join(code_title(c) for c in v.pending_codes)}，待人工核实后认定）"
    extra = [v.grade] if v.grade and v.grade != v.verdict else []
    if v.score is not None:
        extra.append(f"得分{points_text(v.score)}分")
    return v.verdict + (f"（{'，'.join(extra)}）" if extra else "")


def _problem_lines(findings: list[Finding], label: str) -> list[str]:
    lines = []
    for f in findings:
        text = f"{code_title(f.code)}（{label or SEVERITY_TEXT.get(f.severity, f.severity)}）。"
        if f.url:
            text += f"问题地址：{f.url}。"
        if f.evidence:
            text += f"问题描述：{f.evidence.rstrip('。')}。"
        suggestion = f.detail.get("suggestion") if isinstance(f.detail, dict) else None
        if suggestion:
            text += f"整改建议：{str(suggestion).rstrip('。')}。"
        lines.append(text)
    return lines


def target_lines(v: Verdict) -> list[str]:
    """Every problem of one target as a numbered line (problems, pending, manual checks)."""
    lines = _problem_lines(list(v.problems), "")
    lines += _problem_lines(list(v.pending), "疑似否决项，待确认")
    lines += _problem_lines(list(v.inconclusive), "需人工核实")
    return [f"{i}．{line}" for i, line in enumerate(lines, 1)]


def write_notice(owner: str, verdicts: list[Verdict], out: Path, *, deadline: date, as_of: datetime,
                 template: str | Path | NoticeTemplate = "default") -> Path:
    """Write the 整改通知 for ``owner`` covering ``verdicts`` (its targets) and return the path."""
    tpl = template if isinstance(template, NoticeTemplate) else load_notice_template(template)
    mine = sorted_verdicts([v for v in verdicts if v.inspected])
    problems = sum(len(v.problems) + len(v.pending) + len(v.inconclusive) for v in mine)
    values = {"owner": owner, "as_of": date_cn(as_of), "deadline": date_cn(deadline), "issuer": tpl.issuer,
              "count": len(mine), "failed": sum(1 for v in mine if v.failed), "problems": problems}
    doc = OfficialDoc(tpl.fonts)
    doc.title(tpl.title.format(**values))
    doc.para(f"{owner}：", indent=False)
    doc.para(tpl.opening.format(**values))
    for i, v in enumerate(mine, 1):
        doc.heading(f"{cn_number(i)}、{unit_name(v.target)}")
        doc.para(f"网址：{v.target.url}", lead="（一）基本情况。")
        doc.para(f"检查结论：{verdict_text(v)}")
        lines = target_lines(v)
        doc.para("" if lines else "未发现问题。", lead="（二）存在问题。")
        for line in lines:
            doc.para(line)
    doc.heading(f"{cn_number(len(mine) + 1)}、整改要求")
    for text in tpl.requirements:
        doc.para(text.format(**values))
    if tpl.contact:
        doc.para(tpl.contact.format(**values))
    doc.blank()
    doc.right(tpl.issuer)
    from xuncha.settings import TZ

    doc.right(date_cn(datetime.now(TZ)))
    return doc.save(Path(out))
