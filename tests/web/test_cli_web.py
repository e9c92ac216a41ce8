"""``user_add``: creates an argon2id account, audits it, refuses duplicates and bad roles."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from xuncha.cli_web import user_add
from xuncha.store import Store


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command()(user_add)
    return app


def test_user_add(tmp_path) -> None:
    db = tmp_path / "u.db"
    run = CliRunner().invoke(_app(), ["zhang", "--role", "unit", "--owner", "甲县人民政府办公室",
                                      "--password", "s3cret-pass", "--db", str(db)])
    assert run.exit_code == 0, run.output
    assert "已创建用户 zhang" in run.output and "s3cret-pass" not in run.output
    with Store(f"sqlite:///{db}") as st:
        user, hashed = st.user_credentials("zhang")
        assert user.owner == "甲县人民政府办公室" and hashed.startswith("$argon2id$")
        entry = st.audit_log()[0]
        assert entry.action == "user_created" and entry.object_id == "zhang" and "s3cret" not in str(entry)
    again = CliRunner().invoke(_app(), ["zhang", "--role", "auditor", "--password", "s3cret-pass", "--db", str(db)])
    assert again.exit_code == 1 and "已存在" in again.output
    bad = CliRunner().invoke(_app(), ["li", "--role", "boss", "--password", "s3cret-pass", "--db", str(db)])
    assert bad.exit_code == 1 and "角色" in bad.output
    nounit = CliRunner().invoke(_app(), ["wang", "--role", "unit", "--password", "s3cret-pass", "--db", str(db)])
    assert nounit.exit_code == 1 and "所属单位" in nounit.output
    prompted = CliRunner().invoke(_app(), ["zhao", "--role", "auditor", "--db", str(db)],
                                  input="long-enough\nlong-enough\n")
    assert prompted.exit_code == 0, prompted.output
