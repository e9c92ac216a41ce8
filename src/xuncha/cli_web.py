"""``xuncha serve`` and ``xuncha user-add`` (thin; registered in ``cli.py``)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

DbOpt = Annotated[str | None, typer.Option("--db", help="数据库：SQLite 文件或 postgresql://… URL")]


def _db_url(db: str | None) -> str:
    from xuncha.cli_report import db_url

    return db_url(db)


def serve(
    host: Annotated[str, typer.Option("--host", help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="监听端口")] = 8000,
    db: DbOpt = None,
) -> None:
    """启动巡查控制台（网页与 JSON 接口）。"""
    import uvicorn

    from xuncha.web.app import create_app

    app = create_app(_db_url(db), secret=os.environ.get("XUNCHA_WEB_SECRET") or None)
    typer.echo(f"巡查控制台：http://{host}:{port}/（按 Ctrl+C 停止）")
    # Behind a reverse proxy terminating TLS, X-Forwarded-Proto makes cookies Secure.
    uvicorn.run(app, host=host, port=port, proxy_headers=True, log_level="info")


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
