"""``xuncha serve`` and ``xuncha user-add`` (thin; registered in ``cli.py``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from xuncha.demo.console import DemoConsole

DbOpt = Annotated[str | None, typer.Option("--db", help="数据库：SQLite 文件或 postgresql://… URL")]


def _db_url(db: str | None) -> str:
    from xuncha.cli_report import db_url

    return db_url(db)


def serve(
    host: Annotated[str, typer.Option("--host", help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="监听端口")] = 8000,
    db: DbOpt = None,
    data_dir: Annotated[Path | None, typer.Option(
        "--data-dir", help="数据目录：上传文件、检查输出和下载的通报（默认数据库旁的 xuncha-data；--demo 时为 xuncha-demo）")] = None,
    demo: Annotated[bool, typer.Option(
        "--demo", help="示例模式：在本机回环地址上提供示例网站群，导入其名录并创建示例账号 sup、unit、aud")] = False,
    demo_password: Annotated[str | None, typer.Option(
        "--demo-password", help="示例账号的密码（省略则随机生成并显示；已有的示例账号仅在给出时改密码）")] = None,
) -> None:
    """启动巡查控制台（网页与 JSON 接口）。"""
    import uvicorn

    from xuncha.web.app import create_app

    secret = os.environ.get("XUNCHA_WEB_SECRET") or None
    if not demo:
        if demo_password is not None:
            typer.echo("--demo-password 只能与 --demo 一起使用", err=True)
            raise typer.Exit(2)
        app = create_app(_db_url(db), secret=secret, data_dir=data_dir)
        typer.echo(f"巡查控制台：http://{host}:{port}/（按 Ctrl+C 停止）")
        # Behind a reverse proxy terminating TLS, X-Forwarded-Proto makes cookies Secure.
        uvicorn.run(app, host=host, port=port, proxy_headers=True, log_level="info")
        return

    from xuncha.demo.console import start_demo_console

    if demo_password is not None and len(demo_password) < 8:
        typer.echo("示例账号的密码至少 8 个字符", err=True)
        raise typer.Exit(2)
    folder = (data_dir or Path("xuncha-demo")).resolve()
    db_url = _db_url(db) if db else f"sqlite:///{folder / 'demo.db'}"
    typer.echo(f"正在生成示例网站群：{folder / 'world'} ……")
    dc = start_demo_console(folder, db_url, demo_password)
    try:
        app = create_app(db_url, secret=secret, collect_settings=dc.collect_settings, inspect_settings=dc.settings,
                         data_dir=folder)
        for line in demo_banner(dc):
            typer.echo(line)
        typer.echo(f"巡查控制台：http://{host}:{port}/（按 Ctrl+C 停止）")
        uvicorn.run(app, host=host, port=port, proxy_headers=True, log_level="info")
    finally:
        dc.close()


def demo_banner(dc: DemoConsole) -> list[str]:
    """What ``serve --demo`` tells the user: the world, the database and the accounts."""
    from xuncha.store.web_api import ROLE_LABELS

    srv = dc.server
    lines = [
        f"示例网站群已在本机回环地址提供服务（HTTP 端口 {srv.http_port}，HTTPS 端口 {srv.https_port}），"
        f"名录已导入 {dc.registry_count} 个对象、转载任务 {dc.repost_task_count} 项；数据库 {dc.db_url}",
        *srv.notes,
        "示例账号" + (f"（密码：{dc.password}）：" if dc.password else "（已存在，密码未改变）："),
    ]
    for u in dc.users.values():
        what = {"supervisor": u.region or "全部地区", "unit": u.owner}.get(u.role, "只读，查看全部")
        lines.append(f"  {u.username:<6}{ROLE_LABELS.get(u.role, u.role)}（{what}）{'' if u.created else ' 已存在'}")
    lines.append("检查：用 sup 登录，「检查任务」页启动检查；完成后可审核问题、下发整改，用 unit 登录提交整改情况。")
    return lines


def user_add(
    username: Annotated[str, typer.Argument(help="用户名")],
    role: Annotated[str, typer.Option("--role", help="角色：supervisor（监管）、unit（主管单位）、auditor（审计）")],
    password: Annotated[str | None, typer.Option("--password", help="密码（省略则交互输入）")] = None,
    region: Annotated[str, typer.Option("--region", help="监管人员可见的地区前缀，如 示例省/青山市（空=全部）")] = "",
    owner: Annotated[str, typer.Option("--owner", help="主管单位用户所属单位（须与登记表“主管单位”一致）")] = "",
    display_name: Annotated[str, typer.Option("--name", help="显示名称")] = "",
    db: DbOpt = None,
) -> None:
    """新建控制台账号。"""
    from xuncha.store import Store, StoreError
    from xuncha.web.auth import hash_password

    if password is None:
        password = typer.prompt("密码", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        typer.echo("密码至少 8 个字符", err=True)
        raise typer.Exit(2)
    try:
        with Store(_db_url(db)) as store:
            user = store.add_user(username, hash_password(password), role, region=region, owner=owner,
                                  display_name=display_name, created_by="cli")
    except StoreError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"已创建用户 {user.username}（{user.role}）")
