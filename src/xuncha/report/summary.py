"""First reports of a run: findings.jsonl, summary.xlsx, summary.md (all Chinese for people).

Verdicts here are the single-veto view (any veto ⇒ 不合格); point scoring by rule sets is the
scoring room's job. Inconclusive findings never fail a target: they are listed for manual
confirmation.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from xuncha.model import Finding, TargetResult
from xuncha.registry import KIND_LABELS, STATUS_LABELS

SEVERITY_LABELS = {"veto": "单项否决", "deduct": "扣分", "advisory": "提示", "inconclusive": "待人工确认"}
HEALTH_LABELS = {
    "ok": "正常", "empty": "正常（无发布）", "manual": "人工取证", "stale_source": "数据源过期",
    "blocked": "被拦截", "parse_error": "无法解析", "unreachable": "无法访问", "no_source": "无采集来源",
}
FAMILY_LABELS = {
    "availability": "可用性",
    "updates": "信息更新",
    "links": "链接与附件",
    "identity": "标识与域名",
    "tech": "技术与检索",
    "interaction": "互动回应",
    "service": "办事服务",
    "registry": "名录一致性",
    "content": "内容正确性",
    "security": "安全（暗链、篡改）",
    "privacy": "个人信息保护",
    "media": "新媒体问题",
    "other": "其他",
}


def _code_info(code: str) -> tuple[str, str]:
    """(Chinese title, family) of a code."""
    from xuncha.checks.base import family_of, title_of

    return title_of(code), family_of(code)


@dataclass
class RunTotals:
    inspected: int
    vetoed: int
    skipped: int
    with_inconclusive: int
    pending: int = 0  # no confirmed veto, but veto candidates await confirmation

    @property
    def passed(self) -> int:
        return self.inspected - self.vetoed

    @property
    def pass_rate(self) -> float:
        return self.passed / self.inspected if self.inspected else 0.0


def totals(results: list[TargetResult]) -> RunTotals:
    inspected = [r for r in results if r.inspected]
    return RunTotals(
        inspected=len(inspected),
        vetoed=sum(1 for r in inspected if r.veto_codes),
        skipped=len(results) - len(inspected),
        with_inconclusive=sum(1 for r in inspected if any(f.severity == "inconclusive" for f in r.findings)),
        pending=sum(1 for r in inspected if r.pending_codes and not r.veto_codes),
    )


def write_findings_jsonl(findings: Iterable[Finding], path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for f in findings:
            fh.write(json.dumps(f.to_dict(), ensure_ascii=False, default=str) + "\n")
            n += 1
    return n


def _autosize(ws: object) -> None:
    for col in ws.columns:  # type: ignore[attr-defined]
        width = max((len(str(c.value)) if c.value is not None else 0) for c in col)
        ws.column_dimensions[col[0].column_letter].width = min(60, max(8, int(width * 1.6) + 2))  # type: ignore[attr-defined]


def write_summary_xlsx(results: list[TargetResult], path: Path, *, as_of: datetime, run_id: int | None) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "检查结果"
    head = [
        "标识码", "名称", "类型", "网址", "主管单位", "地区", "类别", "状态", "是否检查", "结论",
        "单项否决", "否决项数", "扣分项数", "提示项数", "待确认项数", "抓取页面数", "无法判断原因",
        "疑似否决（待人工确认）",
    ]
    ws.append(head)
    red = PatternFill("solid", fgColor="F8D7DA")
    for r in results:
        t = r.target
        counts = Counter(f.severity for f in r.findings)
        if not r.inspected:
            verdict = f"未检查（{r.skipped_reason}）"
        elif r.veto_codes:
            verdict = "不合格"
        elif r.pending_codes:
            verdict = "待确认"
        else:
            verdict = "合格"
        ws.append([
            t.id, t.name, KIND_LABELS.get(t.kind, t.kind), t.url, t.owner, t.region, t.category,
            STATUS_LABELS.get(t.status, t.status), "是" if r.inspected else "否", verdict,
            "；".join(f"{c} {_code_info(c)[0]}" for c in r.veto_codes), counts["veto"], counts["deduct"],
            counts["advisory"], counts["inconclusive"], r.pages_crawled, "；".join(r.inconclusive_reasons),
            "；".join(f"{c} {_code_info(c)[0]}" for c in r.pending_codes),
        ])
        if r.veto_codes:
            for c in ws[ws.max_row]:
                c.fill = red
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.freeze_panes = "A2"
    _autosize(ws)

    by_family: dict[str, list[tuple[TargetResult, Finding]]] = {}
    for r in results:
        for f in r.findings:
            by_family.setdefault(_code_info(f.code)[1], []).append((r, f))
    for family in FAMILY_LABELS:
        rows = by_family.get(family)
        if not rows:
            continue
        sh = wb.create_sheet(FAMILY_LABELS[family])
        sh.append(["标识码", "名称", "主管单位", "问题代码", "问题", "性质", "网址", "证据", "需人工确认"])
        for r, f in sorted(rows, key=lambda x: (x[1].code, x[0].target.id)):
            sh.append([
                r.target.id, r.target.name, r.target.owner, f.code, _code_info(f.code)[0],
                SEVERITY_LABELS.get(f.severity, f.severity), f.url, f.evidence, "是" if f.needs_confirmation else "",
            ])
        for c in sh[1]:
            c.font = Font(bold=True)
        sh.freeze_panes = "A2"
        _autosize(sh)
        for row in sh.iter_rows(min_row=2):
            row[7].alignment = Alignment(wrap_text=True, vertical="top")

    accounts = [r for r in results if r.target.kind != "website"]
    if accounts:
        sh = wb.create_sheet("政务新媒体账号")
        sh.append(["账号ID", "名称", "平台", "主管单位", "地区", "是否检查", "结论", "采集状态", "采集说明",
                   "最新发布时间", "单项否决", "疑似否决（待人工确认）", "扣分项数"])
        for r in accounts:
            t = r.target
            if not r.inspected:
                verdict = f"未检查（{r.skipped_reason}）"
            elif r.veto_codes:
                verdict = "不合格"
            elif r.pending_codes or r.health not in ("", "ok", "empty", "manual"):
                verdict = "待确认"
            else:
                verdict = "合格"
            sh.append([
                t.id, t.name, KIND_LABELS.get(t.kind, t.kind), t.owner, t.region, "是" if r.inspected else "否",
                verdict, HEALTH_LABELS.get(r.health, r.health), r.health_detail,
                f"{r.latest_post:%Y-%m-%d %H:%M}" if r.latest_post else "",
                "；".join(f"{c} {_code_info(c)[0]}" for c in r.veto_codes),
                "；".join(f"{c} {_code_info(c)[0]}" for c in r.pending_codes),
                sum(1 for f in r.findings if f.severity == "deduct"),
            ])
        for c in sh[1]:
            c.font = Font(bold=True)
        sh.freeze_panes = "A2"
        _autosize(sh)

    info = wb.create_sheet("说明")
    info.append(["监测时点", as_of.strftime("%Y-%m-%d %H:%M")])
    info.append(["运行编号", run_id if run_id is not None else ""])
    info.append(["结论口径", "任一单项否决指标不合格即为不合格；扣分与加分按规则集另行计算"])
    info.append(["待人工确认", "无法判断的项（如站点拒绝访问、栏目未抓取）不计为不合格，需人工核实"])
    info.append(["疑似否决", "严重表述错误、暗链篡改等为机器发现的候选问题，经人工确认后方计为单项否决；结论为「待确认」"])
    wb.save(path)


def summary_markdown(results: list[TargetResult], *, as_of: datetime, run_id: int | None) -> str:
    t = totals(results)
    accounts = [r for r in results if r.inspected and r.target.kind != "website"]
    sites = [r for r in results if r.inspected and r.target.kind == "website"]
    lines = [
        f"# 政府网站与政务新媒体巡查结果摘要（监测时点 {as_of:%Y-%m-%d %H:%M}）",
        "",
        f"- 运行编号：{run_id if run_id is not None else '—'}",
        f"- 检查网站 {len(sites)} 个、政务新媒体账号 {len(accounts)} 个，共 {t.inspected} 个；"
        f"存在单项否决问题 {t.vetoed} 个，合格率 {t.pass_rate:.1%}（按单项否决口径）。"
        if accounts else
        f"- 检查网站 {t.inspected} 个，存在单项否决问题 {t.vetoed} 个，合格率 {t.pass_rate:.1%}（按单项否决口径）。",
        f"- 另有 {t.pending} 个网站存在疑似否决问题（严重表述错误、暗链篡改等），经人工确认后方计为不合格。",
        f"- 未纳入检查 {t.skipped} 个（非运行状态或暂不支持的类型）；"
        f"{t.with_inconclusive} 个网站有需人工确认的事项。",
        "",
    ]
    if accounts:
        lines += ["## 分平台情况", "", "| 平台 | 检查数 | 不合格 | 待确认 | 合格率 |", "|---|---|---|---|---|"]
        by_kind: dict[str, list[TargetResult]] = {}
        for r in sites + accounts:
            by_kind.setdefault(r.target.kind, []).append(r)
        for kind, rs in by_kind.items():
            failed = sum(1 for r in rs if r.veto_codes)
            pending = sum(1 for r in rs if not r.veto_codes and r.pending_codes)
            lines.append(f"| {KIND_LABELS.get(kind, kind)} | {len(rs)} | {failed} | {pending} | {(len(rs) - failed) / len(rs):.1%} |")
        lines.append("")
    code_counts: Counter[str] = Counter()
    code_targets: dict[str, set[str]] = {}
    for r in results:
        for f in r.findings:
            if f.severity in ("veto", "deduct"):
                code_counts[f.code] += 1
                code_targets.setdefault(f.code, set()).add(r.target.name)
    if code_counts:
        lines += ["## 主要问题", "", "| 问题 | 代码 | 涉及网站数 | 问题数 |", "|---|---|---|---|"]
        for code, n in sorted(code_counts.items(), key=lambda kv: (-len(code_targets[kv[0]]), kv[0]))[:15]:
            lines.append(f"| {_code_info(code)[0]} | `{code}` | {len(code_targets[code])} | {n} |")
        lines.append("")
    vetoed = [r for r in results if r.inspected and r.veto_codes]
    if vetoed:
        lines += ["## 不合格网站", ""]
        for i, r in enumerate(vetoed, 1):
            names = "、".join(_code_info(c)[0] for c in r.veto_codes)
            lines.append(f"{i}. {r.target.name}（{r.target.owner or '—'}）：{names}")
        lines.append("")
    candidates = [r for r in results if r.inspected and r.pending_codes]
    if candidates:
        lines += ["## 疑似否决问题（待人工确认）", ""]
        for i, r in enumerate(candidates, 1):
            names = "、".join(_code_info(c)[0] for c in r.pending_codes)
            n = sum(1 for f in r.findings if f.needs_confirmation)
            lines.append(f"{i}. {r.target.name}（{r.target.owner or '—'}）：{names}，候选 {n} 条")
        lines.append("")
    pending = [r for r in results if r.inspected and r.inconclusive_reasons]
    if pending:
        lines += ["## 需人工确认", ""]
        for r in pending:
            lines.append(f"- {r.target.name}：{'；'.join(r.inconclusive_reasons[:3])}")
        lines.append("")
    skipped = [r for r in results if not r.inspected]
    if skipped:
        lines += ["## 未纳入检查", ""]
        for r in skipped:
            lines.append(f"- {r.target.name}（{r.target.id}）：{r.skipped_reason}")
        lines.append("")
    return "\n".join(lines)


def write_reports(results: list[TargetResult], out: Path, *, as_of: datetime, run_id: int | None) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "findings": out / "findings.jsonl",
        "xlsx": out / "summary.xlsx",
        "md": out / "summary.md",
    }
    write_findings_jsonl((f for r in results for f in r.findings), paths["findings"])
    write_summary_xlsx(results, paths["xlsx"], as_of=as_of, run_id=run_id)
    paths["md"].write_text(summary_markdown(results, as_of=as_of, run_id=run_id), encoding="utf-8")
    return paths
