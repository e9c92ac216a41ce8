"""``xuncha registry …``: the registry kept in the database (名录管理) — import, export, list,
lifecycle changes (开设/临时关停/恢复运行/关停/注销), edits, history, and the repost tasks.

Thin commands over ``xuncha.registry.manage``; mounted in cli.py as the sub-app ``registry``.
Every error a user can meet prints in Chinese (naming file, row and column) and exits 2.
"""

from __future__ import annotations

import functools
import getpass
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from xuncha.errors import XunchaError

console = Console()
err = Console(stderr=True)

registry_app = typer.Typer(help="名录管理：导入、导出、开设/变更/临时关停/恢复运行/关停/注销、变更记录、转载任务",
                           no_args_is_help=True)

DbOpt = Annotated[str | None, typer.Option("--db", help="数据库：SQLite 文件或 postgresql://… URL")]
ByOpt = Annotated[str | None, typer.Option("--by", help="操作人（记入变更记录；默认当前系统用户）")]
IdArg = Annotated[str, typer.Argument(help="网站标识码 / 账号ID")]
NoteOpt = Annotated[str, typer.Option("--note", help="说明（记入变更记录）")]

F = TypeVar("F", bound=Callable[..., Any])


def _friendly(fn: F) -> F:
    """Errors a user can meet: the Chinese message on stderr, exit status 2."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except XunchaError as exc:
            err.print(f"[red]错误：[/]{exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None

    return run  # type: ignore[return-value]


def _store(db: str | None) -> Any:
    from xuncha.cli_report import db_url
    from xuncha.store import Store

    return Store(db_url(db))


def _by(by: str | None) -> str:
    if by and by.strip():
        return by.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (containers)
        return "命令行"


def _day(value: str | None, what: str) -> date:
    from xuncha.registry.manage import parse_date, today

    return parse_date(value, what) if value else today()


def _statuses(values: list[str] | None) -> set[str] | None:
    from xuncha.registry.manage import parse_status

    return {parse_status(v) for v in values} if values else None


@registry_app.command("import")
@_friendly
def registry_import(
    path: Annotated[Path, typer.Argument(help="名录文件（.xlsx 或 .csv，表头可中可英）")],
    on: Annotated[str | None, typer.Option("--on", help="新增（开设）与状态变化的日期，默认今天；文件中的开设/关停/注销日期优先")] = None,
    skip_bad_rows: Annotated[bool, typer.Option("--skip-bad-rows", help="跳过有问题的行（并列出），导入其余各行")] = False,
    by: ByOpt = None,
    db: DbOpt = None,
) -> None:
    """导入名录文件：按标识码新增或更新，记录开设、变更、关停、注销；文件中没有的对象不会删除。"""
    from xuncha.registry.manage import import_registry

    with _store(db) as store:
        s = import_registry(store, path, by=_by(by), on=_day(on, "日期"), skip_bad_rows=skip_bad_rows)
    console.print(f"{path.name}：{s.text()}", highlight=False)
    for label, ids in (("新增", s.added), ("变更", s.changed)):
        if ids:
            console.print(f"  {label}：{'、'.join(ids[:30])}{' 等' if len(ids) > 30 else ''}", highlight=False)
    for issue in s.issues:
        console.print(f"  [yellow]跳过[/] {issue}", highlight=False)


@registry_app.command("export")
@_friendly
def registry_export(
    path: Annotated[Path, typer.Argument(help="输出文件（.xlsx 或 .csv），格式与导入相同")],
    status: Annotated[list[str] | None, typer.Option("--status", help="只导出这些状态（可多次给出）：运行、建设中、临时关停、关停、注销")] = None,
    db: DbOpt = None,
) -> None:
    """按导入格式导出名录（含开设、关停、注销日期及其他列），可再次导入。"""
    from xuncha.registry.manage import export_registry

    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise XunchaError(f"{path}：导出文件应为 .xlsx 或 .csv")
    with _store(db) as store:
        wanted = _statuses(status)
        out = export_registry(store, path, statuses=wanted)
        n = len(store.registry_entries(statuses=wanted))
    console.print(f"已导出 {n} 个对象到 {out}", highlight=False)


@registry_app.command("list")
@_friendly
def registry_list(
    status: Annotated[list[str] | None, typer.Option("--status", help="状态（可多次给出）：运行、建设中、临时关停、关停、注销")] = None,
    region: Annotated[str, typer.Option("--region", help="地区前缀，如 示例省/青山市")] = "",
    owner: Annotated[str, typer.Option("--owner", help="主管单位")] = "",
    db: DbOpt = None,
) -> None:
    """列出名录中的网站和账号。"""
    from xuncha.registry import KIND_LABELS, STATUS_LABELS
    from xuncha.registry.manage import in_region

    with _store(db) as store:
        rows = [e for e in store.registry_entries(statuses=_statuses(status))
                if (not region or in_region(e.target, region)) and (not owner or e.target.owner == owner)]
    if not rows:
        console.print("名录中没有符合条件的对象")
        return
    table = Table("标识码", "类型", "名称", "网址", "主管单位", "地区", "状态", "开设", "关停", "注销")
    for e in rows:
        t = e.target
        table.add_row(t.id, KIND_LABELS.get(t.kind, t.kind), t.name, t.url, t.owner, t.region,
                      STATUS_LABELS.get(t.status, t.status), str(e.opened_on or ""), str(e.closed_on or ""),
                      str(e.cancelled_on or ""))
    console.print(table)
    console.print(f"共 {len(rows)} 个", highlight=False)


@registry_app.command("change")
@_friendly
def registry_change(
    target_id: IdArg,
    action: Annotated[str, typer.Option("--action", help="开设、临时关停、恢复运行、关停 或 注销")],
    on: Annotated[str, typer.Option("--on", help="生效日期，如 2025-03-20")],
    note: NoteOpt = "",
    by: ByOpt = None,
    db: DbOpt = None,
) -> None:
    """登记开设、临时关停、恢复运行、关停或注销（含日期）。"""
    from xuncha.registry import STATUS_LABELS
    from xuncha.registry.manage import LIFECYCLE_ACTIONS, change_lifecycle, parse_action

    key = parse_action(action)
    day = _day(on, "生效日期")
    with _store(db) as store:
        e = change_lifecycle(store, target_id, key, by=_by(by), on=day, note=note)
    console.print(f"{e.target.name}（{e.target.id}）：已{LIFECYCLE_ACTIONS[key]}（{day}），"
                  f"当前状态「{STATUS_LABELS.get(e.target.status, e.target.status)}」", highlight=False)


@registry_app.command("edit")
@_friendly
def registry_edit(
    target_id: IdArg,
    changes: Annotated[list[str], typer.Option("--set", help="字段=新值，如 --set 名称=青山市人民政府 --set 网址=www.qs.gov.cn")],
    on: Annotated[str | None, typer.Option("--on", help="变更日期（默认今天）")] = None,
    note: NoteOpt = "",
    by: ByOpt = None,
    db: DbOpt = None,
) -> None:
    """变更名称、网址、主管单位、地区、类别等字段（记录变更前后的值）。"""
    from xuncha.registry.manage import describe, edit_target

    parsed: dict[str, str] = {}
    for item in changes:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise XunchaError(f"--set「{item}」应写成 字段=新值，如 --set 名称=青山市人民政府")
        parsed[key.strip()] = value
    with _store(db) as store:
        e = edit_target(store, target_id, parsed, by=_by(by), on=_day(on, "变更日期"), note=note)
        ev = store.registry_events(target_id, limit=1)[0]
    console.print(f"{e.target.name}（{target_id}）已变更：{describe(ev.before, ev.after)}", highlight=False)


@registry_app.command("history")
@_friendly
def registry_history(
    target_id: Annotated[str | None, typer.Argument(help="网站标识码 / 账号ID（省略则列出全部）")] = None,
    limit: Annotated[int, typer.Option("--limit", help="最多列出多少条")] = 100,
    db: DbOpt = None,
) -> None:
    """名录的变更记录（开设、变更、关停、注销……），最新在前。"""
    from xuncha.registry.manage import LIFECYCLE_ACTIONS, describe

    with _store(db) as store:
        if target_id is not None:
            store.registry_entry(target_id)  # unknown id: a clear error
        events = store.registry_events(target_id, limit=limit)
    if not events:
        console.print("没有变更记录")
        return
    table = Table("生效日期", "操作", "标识码", "内容", "说明", "操作人", "记录时间")
    for ev in events:
        table.add_row(str(ev.on), LIFECYCLE_ACTIONS.get(ev.action, ev.action), ev.target_id, describe(ev.before, ev.after),
                      ev.note, ev.by, f"{ev.at:%Y-%m-%d %H:%M}")
    console.print(table)


@registry_app.command("repost-tasks")
@_friendly
def registry_repost_tasks(
    path: Annotated[Path, typer.Argument(help="重要信息转载任务文件（.json/.xlsx/.csv：任务标题、来源链接、截止日期、转载对象）")],
    by: ByOpt = None,
    db: DbOpt = None,
) -> None:
    """导入重要信息转载任务（替换数据库中原有的任务列表）。"""
    from xuncha.registry.tasks import load_repost_tasks

    tasks = load_repost_tasks(path)
    with _store(db) as store:
        n = store.set_repost_tasks(tasks, by=_by(by))
        known = {t.id for t in store.registry_targets()}
    console.print(f"已导入转载任务 {n} 项（原有任务已替换）", highlight=False)
    for t in tasks:
        unknown = [i for i in t["targets"] if known and i not in known]  # type: ignore[union-attr]
        if unknown:
            console.print(f"  [yellow]注意[/]「{t['title']}」的转载对象不在名录中：{'、'.join(unknown)}", highlight=False)
