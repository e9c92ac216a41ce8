"""``xuncha case …`` (rectification cases) and ``xuncha register …`` (找错 messages, simulated
consultations, repost tasks): thin command functions over ``xuncha.workflow``.

Registered in cli.py, e.g.::

    case_app = typer.Typer(help="整改事项：立案、通知、提交整改、复查", no_args_is_help=True)
    for name, fn in CASE_COMMANDS.items():
        case_app.command(name)(fn)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from xuncha.cli_report import db_url, pick_run
from xuncha.errors import ConfigError
from xuncha.settings import TZ, Settings

console = Console()

DbOpt = Annotated[str | None, typer.Option("--db", help="数据库：SQLite 文件或 postgresql://… URL")]
ByOpt = Annotated[str, typer.Option("--by", help="操作人（记入整改事项的操作记录）")]
CaseArg = Annotated[int, typer.Argument(help="整改事项编号（见 xuncha case list）")]
StartOpt = Annotated[str, typer.Option("--start", help="统计起始日期，如 2025-07-01")]
EndOpt = Annotated[str, typer.Option("--end", help="统计截止日期，如 2025-09-30")]
TodayOpt = Annotated[str | None, typer.Option("--today", help="按此日期判断是否逾期（默认今天）")]


def _store(db: str | None) -> Any:
    from xuncha.store import Store

    return Store(db_url(db))


def _date(value: str | None, what: str) -> date:
    if not value:
        return datetime.now(TZ).date()
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(f"{what}「{value}」无法识别，应为 2025-03-20 这样的日期") from None


def _time(value: str | None, what: str) -> datetime | None:
    from xuncha.workflow.registers import parse_time

    if not value:
        return None
    try:
        return parse_time(value)
    except ValueError:
        raise ConfigError(f"{what}「{value}」无法识别，应为 2025-03-20 09:30 这样的日期时间") from None


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


# --------------------------------------------------------------------------- xuncha case …
def case_open(
    run_id: Annotated[int | None, typer.Argument(help="运行编号（省略则用最近一次完成的运行）")] = None,
    target: Annotated[list[str] | None, typer.Option("--target", "-t", help="只为这些标识码/账号ID立案")] = None,
    days: Annotated[int, typer.Option("--days", help="整改时限（工作日，按国务院节假日安排计算）")] = 15,
    include_advisory: Annotated[bool, typer.Option("--advisory", help="提示性问题也立案")] = False,
    by: ByOpt = "巡查员",
    db: DbOpt = None,
) -> None:
    """为一次运行中发现的问题（否决项、扣分项）立案整改；同一问题未关闭时不重复立案。"""
    from xuncha.workflow.rectify import open_cases_for_run

    with _store(db) as store:
        rid = pick_run(store, run_id, latest=True)
        sev = ("veto", "deduct", "advisory") if include_advisory else ("veto", "deduct")
        before = {c.id for c in store.list_cases()}
        ids = open_cases_for_run(store, rid, opened_by=by, severities=sev, working_days=days, target_ids=target)
        new = [i for i in ids if i not in before]
    console.print(f"运行 #{rid}：新立案 {len(new)} 件，已有未关闭事项 {len(ids) - len(new)} 件（整改时限 {days} 个工作日）")


def case_list(
    owner: Annotated[str | None, typer.Option("--owner", help="主管单位")] = None,
    state: Annotated[str | None, typer.Option("--state", help="状态：待通知、已通知、已提交整改、复查中、已整改、复查未通过")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="只列逾期未整改的事项")] = False,
    today: TodayOpt = None,
    db: DbOpt = None,
) -> None:
    """列出整改事项（可按单位、状态、逾期筛选）。"""
    from xuncha.workflow.types import parse_state

    day = _date(today, "日期")
    with _store(db) as store:
        rows = store.list_cases(owner=owner, state=parse_state(state) if state else None)
    if overdue:
        rows = [c for c in rows if c.overdue(day)]
    table = Table("编号", "对象", "主管单位", "问题", "状态", "截止日期", "逾期")
    for c in rows:
        table.add_row(str(c.id), c.target_name or c.target_id, c.owner, f"{c.code} {c.evidence}"[:60],
                      c.state_label, str(c.deadline), "是" if c.overdue(day) else "")
    console.print(table if rows else "没有符合条件的整改事项")


def case_show(case_id: CaseArg, db: DbOpt = None) -> None:
    """显示一件整改事项及其全部操作记录。"""
    with _store(db) as store:
        c = store.get_case(case_id)
        trail = store.case_events(case_id)
    console.print(f"#{c.id} {c.target_name}（{c.target_id}，{c.owner}）\n问题：{c.code} {c.evidence}\n网址：{c.url}\n"
                  f"状态：{c.state_label}　首次截止：{c.due_on}　当前截止：{c.deadline}　重新打开 {c.reopen_count} 次")
    table = Table("时间", "操作人", "状态变化", "说明")
    for e in trail:
        table.add_row(f"{e.at:%Y-%m-%d %H:%M}", e.by, e.label, e.note)
    console.print(table)


def case_notify(
    case_id: CaseArg,
    on: Annotated[str | None, typer.Option("--on", help="通知日期（默认今天）")] = None,
    note: Annotated[str, typer.Option("--note", help="说明")] = "",
    by: ByOpt = "巡查员",
    db: DbOpt = None,
) -> None:
    """登记已下发整改通知（待通知 → 已通知）。"""
    from xuncha.workflow.rectify import notify

    with _store(db) as store:
        c = notify(store, case_id, by=by, on=_date(on, "通知日期"), note=note)
    console.print(f"整改事项 #{c.id}：{c.state_label}（{c.notified_on}），整改截止 {c.deadline}")


def case_submit(
    case_id: CaseArg,
    note: Annotated[str, typer.Option("--note", help="整改情况说明（必填）")],
    by: ByOpt = "责任单位",
    db: DbOpt = None,
) -> None:
    """登记责任单位提交的整改情况（已通知/复查未通过 → 已提交整改）。"""
    from xuncha.workflow.rectify import submit

    with _store(db) as store:
        c = submit(store, case_id, by=by, note=note)
    console.print(f"整改事项 #{c.id}：{c.state_label}")


def case_recheck(
    case_id: CaseArg,
    as_of: Annotated[str | None, typer.Option("--as-of", help="复查时点（默认现在）")] = None,
    max_pages: Annotated[int, typer.Option("--max-pages", help="复查最多抓取页面数")] = 60,
    ignore_robots: Annotated[bool, typer.Option("--ignore-robots", help="不遵守 robots.txt（仅限本单位自查）")] = False,
    repost_tasks: Annotated[Path | None, typer.Option("--repost-tasks", help="转载任务文件（复查 M.REPOST.MISSING 时需要）")] = None,
    by: ByOpt = "巡查员",
    db: DbOpt = None,
) -> None:
    """自动复查：重新采集该网站/账号并检查，问题已消除则关闭，仍存在则重新打开并给出新的截止日期。"""
    from xuncha.registry.tasks import load_repost_tasks
    from xuncha.workflow.rectify import recheck

    settings = Settings(db_url=db_url(db)).with_collect(max_pages=max_pages, respect_robots=not ignore_robots)
    when = _time(as_of, "复查时点")
    with _store(db) as store:
        res = recheck(store, case_id, settings=settings, by=by, as_of=when,
                      repost_tasks=load_repost_tasks(repost_tasks))
    console.print(f"整改事项 #{case_id}：{res.outcome_label}")
    if res.note:
        console.print(res.note)


def case_decide(
    case_id: CaseArg,
    passed: Annotated[bool, typer.Option("--pass/--fail", help="人工复查结论：已整改 / 未整改")],
    note: Annotated[str, typer.Option("--note", help="复查说明")] = "",
    by: ByOpt = "巡查员",
    db: DbOpt = None,
) -> None:
    """登记人工复查结论（无法自动复查的问题）：通过则关闭，不通过则重新打开。"""
    from xuncha.workflow.rectify import finish_recheck, start_recheck
    from xuncha.workflow.types import RECHECKING

    with _store(db) as store:
        if store.get_case(case_id).state != RECHECKING:
            start_recheck(store, case_id, by=by, note="人工复查")
        c = finish_recheck(store, case_id, passed=passed, by=by, note=note)
    console.print(f"整改事项 #{c.id}：{c.state_label}" + ("" if passed else f"，新的截止日期 {c.deadline}"))


def case_rates(start: StartOpt, end: EndOpt, db: DbOpt = None) -> None:
    """各单位按期整改率：首次截止日期在统计期内的事项中，按期整改关闭的比例。"""
    from xuncha.workflow.rectify import on_time_rates

    with _store(db) as store:
        rows = on_time_rates(store, _date(start, "起始日期"), _date(end, "截止日期"))
    table = Table("主管单位", "应整改", "按期整改", "逾期整改", "未整改", "按期整改率")
    for r in rows:
        table.add_row(r.owner or "（未填）", str(r.due), str(r.closed_on_time), str(r.closed_late), str(r.open), r.rate_text)
    console.print(table if rows else "统计期内没有到期的整改事项")


# --------------------------------------------------------------------------- xuncha register …
def zhaocuo_import(
    path: Annotated[Path, typer.Argument(help="全国政府网站找错监督平台导出的留言文件（.xlsx/.xls/.csv）")],
    skip_bad_rows: Annotated[bool, typer.Option("--skip-bad-rows", help="跳过有问题的行（并列出）")] = False,
    db: DbOpt = None,
) -> None:
    """导入「我为政府网站找错」留言（按留言编号去重，重复导入会更新）。"""
    from xuncha.workflow.registers import import_zhaocuo

    with _store(db) as store:
        added, updated, issues = import_zhaocuo(store, path, skip_bad_rows=skip_bad_rows)
    console.print(f"{path.name}：新增 {added} 条，更新 {updated} 条" + (f"，跳过 {len(issues)} 行：" if issues else ""))
    for line in issues:
        console.print(f"  {line}")


def zhaocuo_stats(
    start: StartOpt,
    end: EndOpt,
    accept_days: Annotated[int, typer.Option("--accept-days", help="受理时限（工作日）")] = 1,
    reply_days: Annotated[int, typer.Option("--reply-days", help="办结时限（工作日，自转办起算）")] = 3,
    today: TodayOpt = None,
    db: DbOpt = None,
) -> None:
    """各单位「我为政府网站找错」留言数量与按期办结率。"""
    from xuncha.workflow.registers import zhaocuo_stats as stats

    with _store(db) as store:
        rows = stats(store, _date(start, "起始日期"), _date(end, "截止日期"), today=_date(today, "日期"),
                     accept_days=accept_days, reply_days=reply_days)
    table = Table("单位/网站", "收到留言", "到期", "按期办结", "逾期办结", "逾期未办结", "超时受理", "按期办结率")
    for u in rows:
        table.add_row(u.unit, str(u.received), str(u.due), str(u.closed_on_time), str(u.closed_late), str(u.overdue),
                      str(u.accepted_late), u.rate_text)
    console.print(table if rows else "统计期内没有找错留言")
    console.print(f"[dim]时限：受理 {accept_days} 个、办结 {reply_days} 个工作日（自转办时间起算，待核实）[/]")


def consult_add(
    target_id: Annotated[str, typer.Argument(help="被咨询网站的标识码或账号ID")],
    question: Annotated[str, typer.Option("--question", "-q", help="咨询问题")],
    sent: Annotated[str, typer.Option("--sent", help="提交时间，如 2025-03-20 09:30")],
    url: Annotated[str, typer.Option("--url", help="咨询渠道网址")] = "",
    name: Annotated[str, typer.Option("--name", help="网站/账号名称")] = "",
    owner: Annotated[str, typer.Option("--owner", help="主管单位")] = "",
    reply_at: Annotated[str | None, typer.Option("--reply-at", help="答复时间（已答复时）")] = None,
    reply_text: Annotated[str, typer.Option("--reply-text", help="答复内容")] = "",
    evidence: Annotated[list[str] | None, typer.Option("--evidence", help="截图文件或网址（可多次）")] = None,
    by: ByOpt = "巡查员",
    db: DbOpt = None,
) -> None:
    """登记一次模拟用户咨询。"""
    from xuncha.workflow.registers import add_consultation
    from xuncha.workflow.types import Consultation

    sent_at = _time(sent, "提交时间")
    assert sent_at is not None
    c = Consultation(target_id=target_id, question=question, sent_at=sent_at, channel_url=url, target_name=name,
                     owner=owner, reply_at=_time(reply_at, "答复时间"), reply_text=reply_text,
                     evidence=list(evidence or []), by=by)
    with _store(db) as store:
        cid = add_consultation(store, c)
    console.print(f"已登记模拟咨询 #{cid}")


def consult_reply(
    consult_id: Annotated[int, typer.Argument(help="模拟咨询编号")],
    reply_at: Annotated[str, typer.Option("--reply-at", help="答复时间")],
    reply_text: Annotated[str, typer.Option("--reply-text", help="答复内容")] = "",
    evidence: Annotated[list[str] | None, typer.Option("--evidence", help="截图文件或网址（可多次）")] = None,
    db: DbOpt = None,
) -> None:
    """登记模拟咨询收到的答复。"""
    from xuncha.workflow.registers import record_reply

    when = _time(reply_at, "答复时间")
    assert when is not None
    with _store(db) as store:
        record_reply(store, consult_id, reply_at=when, reply_text=reply_text, evidence=evidence or [])
    console.print(f"模拟咨询 #{consult_id}：已登记答复（{when:%Y-%m-%d %H:%M}）")


def consult_stats(start: StartOpt, end: EndOpt, today: TodayOpt = None, db: DbOpt = None) -> None:
    """各网站/账号模拟咨询答复情况：1个工作日内、5个工作日内、超过5个工作日或未答复。"""
    from xuncha.workflow.registers import CONSULT_CLASSES
    from xuncha.workflow.registers import consult_stats as stats

    with _store(db) as store:
        rows = stats(store, _date(start, "起始日期"), _date(end, "截止日期"), today=_date(today, "日期"))
    table = Table("对象", "主管单位", "咨询数", *CONSULT_CLASSES.values())
    for t in rows:
        table.add_row(t.target_name or t.target_id, t.owner, str(t.total), *(str(t.counts[k]) for k in CONSULT_CLASSES))
    console.print(table if rows else "统计期内没有模拟咨询")


def repost_stats(
    tasks: Annotated[Path, typer.Option("--tasks", help="重要信息转载任务文件（.json/.xlsx/.csv）")],
    run_id: Annotated[int | None, typer.Argument(help="运行编号（省略则用最近一次完成的运行）")] = None,
    db: DbOpt = None,
) -> None:
    """各单位重要信息转载任务完成情况（按运行中保存的检查结果统计）。"""
    from xuncha.registry.tasks import load_repost_tasks
    from xuncha.workflow.registers import repost_completion

    with _store(db) as store:
        rid = pick_run(store, run_id, latest=True)
        rows = repost_completion(store, rid, load_repost_tasks(tasks))
    table = Table("单位", "应转载", "按时完成", "逾期完成", "未完成", "无法判断", "按时完成率")
    for u in rows:
        table.add_row(u.unit, str(u.assigned), str(u.done), str(u.late), str(u.missing), str(u.unknown), _pct(u.rate))
    console.print(table if rows else f"运行 #{rid} 中没有到期的转载任务")


CASE_COMMANDS: dict[str, Callable[..., None]] = {
    "open": case_open, "list": case_list, "show": case_show, "notify": case_notify, "submit": case_submit,
    "recheck": case_recheck, "decide": case_decide, "rates": case_rates,
}
REGISTER_COMMANDS: dict[str, Callable[..., None]] = {
    "zhaocuo-import": zhaocuo_import, "zhaocuo-stats": zhaocuo_stats, "consult-add": consult_add,
    "consult-reply": consult_reply, "consult-stats": consult_stats, "repost-stats": repost_stats,
}
