"""The ``xuncha`` command (typer + rich). Thin: every verb calls into pipeline/report/demo."""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from xuncha.errors import XunchaError
from xuncha.model import Target, TargetResult
from xuncha.settings import TZ, Settings

app = typer.Typer(
    help="xuncha 巡查：政府网站与政务新媒体检查工具",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)


def parse_as_of(value: str | None) -> datetime:
    """--as-of: 'YYYY-MM-DD' (end of that day, 23:59:59) or 'YYYY-MM-DD HH:MM', Asia/Shanghai."""
    if not value:
        return datetime.now(TZ).replace(microsecond=0)
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"):
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=TZ)
        except ValueError:
            pass
    try:
        d = datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        raise typer.BadParameter(f"无法识别的监测时点「{value}」，应为 2025-03-20 或 2025-03-20 10:00") from None
    return d.replace(hour=23, minute=59, second=59, tzinfo=TZ)


def _db_url(db: str | None) -> str:
    if not db:
        return Settings().db_url
    if "://" in db:
        return db
    return f"sqlite:///{db}"


class RichProgress:
    """Progress bar per site and overall."""

    def __init__(self, progress: Progress) -> None:
        self.p = progress
        self.overall: TaskID | None = None
        self.tasks: dict[str, TaskID] = {}

    def run_started(self, total: int) -> None:
        self.overall = self.p.add_task("[bold]全部目标", total=total)

    def site_started(self, target: Target) -> None:
        self.tasks[target.id] = self.p.add_task(f"  {target.name[:18]}", total=None)

    def site_progress(self, target: Target, done: int, total: int) -> None:
        tid = self.tasks.get(target.id)
        if tid is not None:
            self.p.update(tid, completed=done, total=max(total, done))

    def site_done(self, target: Target, result: TargetResult) -> None:
        tid = self.tasks.pop(target.id, None)
        if tid is not None:
            self.p.remove_task(tid)
        if self.overall is not None:
            self.p.advance(self.overall)
        if result.inspected:
            if result.veto_codes:
                mark = "[red]不合格[/]"
            elif result.pending_codes:
                mark = "[yellow]待确认[/]"
            else:
                mark = "[green]通过否决项[/]"
            if target.kind == "website":
                got = f"抓取 {result.pages_crawled} 页"
            else:
                got = f"采集状态 {result.health or '—'}"
            self.p.console.print(f"  {mark} {target.name}：{got}，问题 {len(result.findings)} 项")
        else:
            self.p.console.print(f"  [dim]跳过 {target.name}：{result.skipped_reason}[/]")


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=False,
    )


def _print_outcome(outcome: object) -> None:
    from xuncha.report import totals

    res = outcome.results  # type: ignore[attr-defined]
    t = totals(res)
    sites = sum(1 for r in res if r.inspected and r.target.kind == "website")
    console.print(
        f"[bold]运行 {outcome.run_id}[/]：检查 {t.inspected} 个（网站 {sites} 个，政务新媒体 {t.inspected - sites} 个），"  # type: ignore[attr-defined]
        f"单项否决不合格 {t.vetoed} 个，待人工确认疑似否决 {t.pending} 个，合格率 {t.pass_rate:.1%}；未纳入检查 {t.skipped} 个。"
    )
    for path in outcome.reports.values():  # type: ignore[attr-defined]
        console.print(f"  已写入 {path}")


def _run(coro: object) -> object:
    try:
        return asyncio.run(coro)  # type: ignore[arg-type]
    except KeyboardInterrupt:
        err.print("[yellow]已中断：已完成的目标结果已保存在数据库中。[/]")
        raise typer.Exit(130) from None


@app.command()
def inspect(
    registry: Annotated[Path, typer.Option("--registry", "-r", help="名录文件（.xlsx 或 .csv）")],
    out: Annotated[Path, typer.Option("--out", "-o", help="输出目录")] = Path("out"),
    as_of: Annotated[str | None, typer.Option("--as-of", help="监测时点，如 2025-03-20（默认现在）")] = None,
    db: Annotated[str | None, typer.Option("--db", help="数据库：SQLite 文件或 postgresql://… URL")] = None,
    skip_bad_rows: Annotated[bool, typer.Option("--skip-bad-rows", help="跳过名录中有问题的行")] = False,
    ignore_robots: Annotated[bool, typer.Option("--ignore-robots", help="不遵守 robots.txt（仅限本单位自查）")] = False,
    max_pages: Annotated[int, typer.Option("--max-pages", help="每个网站最多抓取页面数")] = 400,
    per_host: Annotated[int, typer.Option("--per-host", help="每个主机并发连接数")] = 4,
    sites: Annotated[int, typer.Option("--sites", help="同时检查的网站数")] = 8,
    columns_override: Annotated[Path | None, typer.Option("--columns-override", help="栏目分类覆盖文件（YAML）")] = None,
    only: Annotated[list[str] | None, typer.Option("--only", help="只检查这些标识码")] = None,
    repost_tasks: Annotated[Path | None, typer.Option("--repost-tasks", help="重要信息转载任务文件（.json/.xlsx/.csv）")] = None,
    ruleset: Annotated[str, typer.Option("--ruleset", help="评分规则集（阈值与预警线）：national-2019、sichuan-2023 或 YAML 文件")] = "national-2019",
    typo_lm: Annotated[bool, typer.Option("--typo-lm", help="错别字检查加用语言模型复核（召回约翻倍，每页多用约 0.5 秒；需安装 libime-data-language-model 与 kenlm）")] = False,
) -> None:
    """检查名录中的全部网站和政务新媒体账号，写出 findings.jsonl、summary.xlsx、summary.md。"""
    from dataclasses import replace

    from xuncha.pipeline import inspect_async

    settings = Settings(db_url=_db_url(db), ruleset=ruleset).with_collect(
        respect_robots=not ignore_robots, max_pages=max_pages, per_host_concurrency=per_host,
        sites_concurrency=sites,
    )
    if typo_lm:
        from xuncha.text.lm import LMThresholds, get_lm

        if get_lm() is None:
            err.print("[yellow]未找到中文语言模型（Debian 软件包 libime-data-language-model 与 Python 包 kenlm），"
                      "错别字检查不使用语言模型复核。[/]")
        settings = replace(settings, thresholds=replace(settings.thresholds,
                                                        typo_lm_chars=LMThresholds().page_budget))
    when = parse_as_of(as_of)
    console.print(f"监测时点 {when:%Y-%m-%d %H:%M}（北京时间），数据库 {settings.db_url.split('@')[-1]}")
    with _progress() as p:
        outcome = _run(inspect_async(
            registry, as_of=when, out=out, settings=settings, skip_bad_rows=skip_bad_rows,
            overrides_path=columns_override, only=only, progress=RichProgress(p), repost_tasks_path=repost_tasks,
        ))
    _print_outcome(outcome)


@app.command()
def rejudge(
    run_id: Annotated[int, typer.Argument(help="运行编号（见 xuncha runs）")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="新的监测时点")] = None,
    out: Annotated[Path, typer.Option("--out", "-o")] = Path("out"),
    db: Annotated[str | None, typer.Option("--db")] = None,
    columns_override: Annotated[Path | None, typer.Option("--columns-override")] = None,
    repost_tasks: Annotated[Path | None, typer.Option("--repost-tasks")] = None,
    ruleset: Annotated[str, typer.Option("--ruleset", help="评分规则集（阈值与预警线）")] = "national-2019",
) -> None:
    """不重新抓取，按新的监测时点（或新的规则集阈值）重新判定已保存的运行。"""
    from xuncha.pipeline import rejudge as do_rejudge

    settings = Settings(db_url=_db_url(db), ruleset=ruleset)
    outcome = do_rejudge(run_id, as_of=parse_as_of(as_of), out=out, settings=settings,
                         overrides_path=columns_override, repost_tasks_path=repost_tasks)
    _print_outcome(outcome)


@app.command()
def monitor(
    registry: Annotated[Path, typer.Option("--registry", "-r")],
    db: Annotated[str | None, typer.Option("--db")] = None,
    interval: Annotated[float, typer.Option("--interval", help="探测间隔（秒），默认 3600")] = 3600.0,
    jitter: Annotated[float, typer.Option("--jitter", help="间隔随机偏移（秒）")] = 300.0,
    rounds: Annotated[int | None, typer.Option("--rounds", help="探测轮数（默认一直运行）")] = None,
) -> None:
    """持续探测名录中运行状态网站的首页可用性（每天不少于 20 次），供 7 天不可访问率判定。"""
    from xuncha.pipeline import monitor_async

    settings = Settings(db_url=_db_url(db))

    def on_round(n: int, probes: list) -> None:
        failed = sum(1 for p in probes if not p.ok)
        console.print(f"{datetime.now(TZ):%Y-%m-%d %H:%M:%S} 第 {n} 轮：探测 {len(probes)} 个网站，失败 {failed} 个")

    total = _run(monitor_async(registry, settings=settings, interval_s=interval, jitter_s=jitter,
                               rounds=rounds, on_round=on_round))
    console.print(f"共保存探测记录 {total} 条。")


@app.command("checks")
def list_checks() -> None:
    """列出全部已实现的检查项（代码、指标、依据）。"""
    from xuncha.checks import REGISTRY

    table = Table("代码", "指标", "类别", "依据", show_lines=False)
    for code in sorted(REGISTRY):
        spec = REGISTRY[code]
        table.add_row(code, spec.title, spec.family, spec.indicator)
    console.print(table)
    console.print(f"共 {len(REGISTRY)} 项。")


@app.command()
def runs(db: Annotated[str | None, typer.Option("--db")] = None) -> None:
    """列出数据库中的检查运行。"""
    from xuncha.store import Store

    with Store(_db_url(db)) as store:
        table = Table("编号", "开始时间", "监测时点", "状态", "名录", "统计")
        for r in store.runs():
            table.add_row(str(r.id), f"{r.started_at:%Y-%m-%d %H:%M}", f"{r.as_of:%Y-%m-%d %H:%M}", r.status,
                          Path(r.registry).name, " ".join(f"{k}={v}" for k, v in (r.counts or {}).items()))
        console.print(table)


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="输出目录")] = Path("out"),
    as_of: Annotated[str | None, typer.Option("--as-of", help="监测时点（默认现在）")] = None,
    db: Annotated[str | None, typer.Option("--db", help="数据库（默认 输出目录/demo.db）")] = None,
) -> None:
    """生成示例政府网站群，在本机回环地址上提供服务，检查并写出结果。"""
    from xuncha.demo.run import run_demo

    when = parse_as_of(as_of)
    out.mkdir(parents=True, exist_ok=True)
    db_url = _db_url(db) if db else f"sqlite:///{(out / 'demo.db').resolve()}"
    with _progress() as p:
        outcome, report = _run(run_demo(out, when, db_url, RichProgress(p)))  # type: ignore[misc]
    _print_outcome(outcome)
    console.print(report)


def _register_report_commands() -> None:
    from xuncha.cli_report import report_app, review, score

    app.add_typer(report_app, name="report")
    app.command("score")(score)
    app.command("review")(review)

    from xuncha.cli_workflow import CASE_COMMANDS, REGISTER_COMMANDS

    case_app = typer.Typer(help="整改事项：立案、下发通知、提交整改、自动复查、按期整改率", no_args_is_help=True)
    for name, fn in CASE_COMMANDS.items():
        case_app.command(name)(fn)
    register_app = typer.Typer(help="运维台账：我为政府网站找错留言、模拟咨询、重要信息转载", no_args_is_help=True)
    for name, fn in REGISTER_COMMANDS.items():
        register_app.command(name)(fn)
    app.add_typer(case_app, name="case")
    app.add_typer(register_app, name="register")

    from xuncha.cli_registry import registry_app

    app.add_typer(registry_app, name="registry")

    from xuncha.cli_web import serve, user_add

    app.command("serve")(serve)
    app.command("user-add")(user_add)


_register_report_commands()


def main() -> None:
    try:
        app()
    except XunchaError as exc:
        err.print(f"[red]错误：[/]{exc}")
        sys.exit(2)


if __name__ == "__main__":
    main()
