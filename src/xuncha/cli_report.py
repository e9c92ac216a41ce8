"""``xuncha score``, ``xuncha review`` and ``xuncha report circular|self|notice`` (thin)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from xuncha.errors import ConfigError
from xuncha.settings import TZ, Settings

report_app = typer.Typer(help="生成通报、自查报告和整改通知（按评分规则集对已保存的检查结果评分，不重新抓取）",
                         no_args_is_help=True)
console = Console()

RunArg = Annotated[int | None, typer.Argument(help="运行编号（见 xuncha runs；省略则用 --latest）")]
LatestOpt = Annotated[bool, typer.Option("--latest", help="使用最近一次完成的运行")]
DbOpt = Annotated[str | None, typer.Option("--db", help="数据库：SQLite 文件或 postgresql://… URL")]
RulesetOpt = Annotated[str, typer.Option("--ruleset", help="评分规则集：national-2019、sichuan-2023 或 YAML 文件")]
BonusOpt = Annotated[Path | None, typer.Option("--bonus", help="人工录入的加分文件（YAML）")]


def db_url(db: str | None) -> str:
    if not db:
        return Settings().db_url
    return db if "://" in db else f"sqlite:///{db}"


def pick_run(store: object, run_id: int | None, latest: bool) -> int:
    if run_id is not None:
        store.get_run(run_id)  # type: ignore[attr-defined]  # raises StoreError naming the run
        return run_id
    rid = store.latest_run_id("done")  # type: ignore[attr-defined]
    if rid is None:
        raise ConfigError("数据库中还没有完成的检查运行：请先运行 xuncha inspect（或 xuncha demo）")
    if not latest:
        console.print(f"[dim]未指定运行编号，使用最近一次完成的运行 #{rid}[/]")
    return rid


def _load(db: str | None, run_id: int | None, latest: bool, ruleset: str, bonus: Path | None):
    from xuncha.report.data import load_bonus, load_run_report
    from xuncha.scoring import load_ruleset
    from xuncha.store import Store

    rs = load_ruleset(ruleset)
    store = Store(db_url(db))
    rid = pick_run(store, run_id, latest)
    report = load_run_report(store, rid, rs, bonus=load_bonus(bonus))
    return store, rid, rs, report


@report_app.command("circular")
def circular(
    run_id: RunArg = None,
    latest: LatestOpt = False,
    ruleset: RulesetOpt = "national-2019",
    template: Annotated[str, typer.Option("--template", help="通报模板：default 或 YAML 文件")] = "default",
    out: Annotated[Path, typer.Option("--out", "-o", help="通报文件（.docx）")] = Path("通报.docx"),
    charts: Annotated[bool, typer.Option("--charts/--no-charts", help="插入图表")] = True,
    ops: Annotated[bool, typer.Option("--ops/--no-ops",
                                      help="写入本季度运维工作情况（找错留言、模拟咨询、转载任务、问题整改）")] = True,
    bonus: BonusOpt = None,
    db: DbOpt = None,
) -> None:
    """生成季度检查情况通报（Word），以及同目录下的 附件.xlsx 和图表。"""
    from xuncha.report.annex import annex_tables, write_annex_xlsx
    from xuncha.report.circular import write_circular
    from xuncha.report.ops import add_ops_sheet, load_ops_summary

    store, rid, rs, report = _load(db, run_id, latest, ruleset, bonus)
    with store:
        summary = load_ops_summary(store, rid) if ops else None
    if summary is not None and summary.empty:
        summary = None
    out.parent.mkdir(parents=True, exist_ok=True)
    chart_dir = out.parent / "图表" if charts else None
    path = write_circular(report, out, template=template, charts=charts, chart_dir=chart_dir, ops=summary)
    annex = write_annex_xlsx(report, out.parent / "附件.xlsx")
    if summary is not None:
        add_ops_sheet(annex, summary, len(annex_tables(report)) + 1)
    w, m = report.websites, report.media
    console.print(
        f"运行 #{rid}（规则集 {rs.id}）：网站 {w.inspected} 个，不合格 {w.failed} 个，合格率 {w.rate_text}；"
        f"政务新媒体 {m.inspected} 个，不合格 {m.failed} 个，合格率 {m.rate_text}；待确认 {w.pending + m.pending} 个。"
    )
    if summary is not None:
        console.print("  运维工作情况：" + ops_line(summary))
    elif ops:
        console.print("  [dim]本季度无运维台账数据（找错留言、模拟咨询、转载任务、整改事项），通报中不写运维工作情况。[/]")
    console.print(f"  已写入 {path}")
    console.print(f"  已写入 {annex}")
    if chart_dir and chart_dir.exists():
        console.print(f"  图表见 {chart_dir}")


def ops_line(summary: object) -> str:
    """One line of the 运维工作情况 figures for the console."""
    from xuncha.report.ops import OpsSummary, period_cn, rate_text

    assert isinstance(summary, OpsSummary)
    parts = []
    if (z := summary.zhaocuo) is not None:
        parts.append(f"找错留言 {z.received} 条，按期办结率 {rate_text(z.rate)}")
    if (c := summary.consult) is not None:
        parts.append(f"模拟咨询 {c.total} 次，超过5个工作日答复或未答复 {c.slow_or_none} 次")
    if (r := summary.repost) is not None:
        parts.append(f"转载任务 {r.assigned} 项次，按期完成率 {rate_text(r.rate)}")
    if (k := summary.rectify) is not None:
        parts.append(f"整改问题 {k.due} 个，按期整改率 {rate_text(k.rate)}，逾期未整改 {len(k.overdue)} 个")
    return f"{period_cn(summary)}，" + "；".join(parts) + "。"


@report_app.command("self")
def self_report(
    target: Annotated[str, typer.Option("--target", help="本单位任一网站标识码或账号ID")],
    run_id: RunArg = None,
    latest: LatestOpt = False,
    ruleset: RulesetOpt = "national-2019",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="自查报告（.docx）")] = None,
    db: DbOpt = None,
) -> None:
    """生成单位自查报告：本季度发布、解读、留言答复、新媒体发布情况和发现的问题。"""
    from xuncha.report.self_report import gather, write_self_report

    store, rid, rs, report = _load(db, run_id, latest, ruleset, None)
    with store:
        mine = next((v for v in report.verdicts if v.target.id == target), None)
        if mine is None:
            raise ConfigError(f"运行 #{rid} 中没有标识为「{target}」的网站或账号")
        owner = mine.target.owner or mine.target.name
        data = gather(store, rid, report.verdicts, owner, report.as_of) if mine.target.owner else None
        if data is None:
            raise ConfigError(f"「{mine.target.name}」在名录中没有填写主管单位，无法确定自查范围")
    path = write_self_report(data, out or Path(f"自查报告-{owner}.docx"))
    console.print(f"{owner}：网站 {len(data.sites)} 个、新媒体账号 {len(data.accounts)} 个。已写入 {path}")


@report_app.command("notice")
def notice(
    owner: Annotated[str, typer.Option("--owner", help="主管单位名称（与名录一致）")],
    run_id: RunArg = None,
    latest: LatestOpt = False,
    ruleset: RulesetOpt = "national-2019",
    days: Annotated[int, typer.Option("--days", help="整改期限（工作日，按国家法定节假日和调休计算）")] = 15,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="整改通知（.docx）")] = None,
    db: DbOpt = None,
) -> None:
    """生成给主管单位的整改通知：逐个网站/账号列出问题、依据和整改期限。"""
    from xuncha.report.data import owner_verdicts
    from xuncha.report.notice import write_notice
    from xuncha.workflow.calendar import DEFAULT_CALENDAR

    store, rid, rs, report = _load(db, run_id, latest, ruleset, None)
    store.close()
    mine = owner_verdicts(report.verdicts, owner, rid)
    today = datetime.now(TZ).date()
    deadline = DEFAULT_CALENDAR.add_working_days(today, days)
    path = write_notice(owner, mine, out or Path(f"整改通知-{owner}.docx"), deadline=deadline, as_of=report.as_of)
    uncovered = DEFAULT_CALENDAR.uncovered_years(today, deadline)
    note = f"（{'、'.join(map(str, uncovered))}年节假日安排尚未收录，期限按周一至周五推算，待核实）" if uncovered else ""
    console.print(f"{owner}：{len(mine)} 个目标，整改期限 {deadline:%Y-%m-%d}（{days} 个工作日）{note}。已写入 {path}")


def score(
    run_id: RunArg = None,
    latest: LatestOpt = False,
    ruleset: RulesetOpt = "national-2019",
    bonus: BonusOpt = None,
    db: DbOpt = None,
) -> None:
    """按评分规则集对已保存的运行评分并列出每个目标的结论、得分和扣分（不重新抓取）。"""
    store, rid, rs, report = _load(db, run_id, latest, ruleset, bonus)
    store.close()
    table = Table("标识", "名称", "类型", "结论", "得分", "否决/待确认", "扣分", "健康度")
    from xuncha.registry import KIND_LABELS

    for v in report.verdicts:
        lost = "，".join(f"{d.code} −{d.points:g}" for d in v.deductions[:4]) + ("…" if len(v.deductions) > 4 else "")
        flags = " ".join(v.veto_codes + [f"{c}?" for c in v.pending_codes])
        score_text = "单项否决" if v.veto_codes else (f"{v.score:g}" if v.score is not None else "—")
        table.add_row(v.target.id, v.target.name, KIND_LABELS.get(v.target.kind, v.target.kind), v.verdict,
                      score_text, flags, lost, str(v.health_index) if v.inspected else "—")
    console.print(table)
    w, m = report.websites, report.media
    console.print(f"规则集 {rs.id}：网站合格率 {w.rate_text}（{w.inspected - w.failed}/{w.inspected}），"
                  f"政务新媒体合格率 {m.rate_text}（{m.inspected - m.failed}/{m.inspected}）。")
    if rs.unconfirmed:
        console.print(f"[dim]注：本规则集有 {len(rs.unconfirmed)} 项分值或阈值待核实，详见通报说明。[/]")


def review(
    target: Annotated[str, typer.Option("--target", help="网站标识码或账号ID")],
    state: Annotated[str, typer.Option("--state", help="confirmed（确认）、false_positive（误报）、doubtful（存疑）、pending")],
    code: Annotated[str | None, typer.Option("--code", help="只审核该代码的问题")] = None,
    key: Annotated[str | None, typer.Option("--key", help="只审核该问题（问题键，见 findings.jsonl 中 key）")] = None,
    serious: Annotated[bool, typer.Option("--serious", help="个人信息泄露等标记为严重（可导致否决）")] = False,
    reason: Annotated[str, typer.Option("--reason", help="理由（误报必填）")] = "",
    reviewer: Annotated[str, typer.Option("--reviewer", help="审核人")] = "",
    run_id: RunArg = None,
    latest: LatestOpt = False,
    db: DbOpt = None,
) -> None:
    """审核机器发现的问题：确认、误报（以后不再报告）或存疑。"""
    from xuncha.model import REVIEW_LABELS, REVIEW_STATES, Review
    from xuncha.store import Store

    if state not in REVIEW_STATES:
        raise ConfigError(f"审核状态「{state}」无效，应为 {'、'.join(REVIEW_STATES)}")
    if state == "false_positive" and not reason:
        raise ConfigError("标记误报时请用 --reason 说明理由")
    if not code and not key:
        raise ConfigError("请用 --code 或 --key 指定要审核的问题")
    with Store(db_url(db)) as store:
        rid = pick_run(store, run_id, latest)
        found = [f for f in store.findings(rid) if f.target_id == target and f.severity != "advisory"
                 and (code is None or f.code == code) and (key is None or f.key == key)]
        if not found:
            raise ConfigError(f"运行 #{rid} 中 {target} 没有符合条件的问题")
        for f in found:
            store.set_review(Review(target_id=target, finding_key=f.key, code=f.code, state=state, serious=serious,
                                    reason=reason, reviewer=reviewer, run_id=rid))
            console.print(f"  {REVIEW_LABELS[state]} {f.code} [{f.key}] {f.evidence[:60]}")
    console.print(f"已记录 {len(found)} 条审核结论。")
