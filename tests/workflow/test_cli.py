"""The command functions, mounted on a local Typer app the way cli.py mounts them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer
from openpyxl import Workbook
from typer.testing import CliRunner

from xuncha.cli_workflow import CASE_COMMANDS, REGISTER_COMMANDS
from xuncha.model import Finding, Target, TargetResult
from xuncha.settings import TZ
from xuncha.store import Store
from xuncha.workflow.types import WorkflowError


def _app() -> typer.Typer:
    app = typer.Typer()
    case, reg = typer.Typer(), typer.Typer()
    for name, fn in CASE_COMMANDS.items():
        case.command(name)(fn)
    for name, fn in REGISTER_COMMANDS.items():
        reg.command(name)(fn)
    app.add_typer(case, name="case")
    app.add_typer(reg, name="register")
    return app


def test_case_commands(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # rich tables unwrapped
    db = str(tmp_path / "x.db")
    as_of = datetime(2025, 9, 20, 10, tzinfo=TZ)
    with Store(f"sqlite:///{db}") as st:
        run = st.create_run(as_of, "r.xlsx", {})
        t = Target(id="9901000099", kind="website", name="检查市人民政府", url="http://www.jcs.gov.cn/", owner="检查市政府办公室")
        st.save_target_result(run, TargetResult(target=t))
        j = st.new_judgement(run, as_of)
        st.save_findings(run, j, [Finding(target_id=t.id, code="W.ID.FOOTER", severity="deduct", url=t.url,
                                          evidence="底部功能区缺少网站标识码", detected_at=as_of, detail={"mark": "site_code"})])
        st.finish_run(run)
    app, r = _app(), CliRunner()
    out = r.invoke(app, ["case", "open", "--db", db, "--days", "5"])
    assert out.exit_code == 0, out.output
    assert "新立案 1 件" in out.output
    assert "已有未关闭事项 1 件" in r.invoke(app, ["case", "open", "--db", db]).output
    assert r.invoke(app, ["case", "notify", "1", "--db", db, "--on", "2025-09-22"]).exit_code == 0
    bad = r.invoke(app, ["case", "notify", "1", "--db", db])
    assert isinstance(bad.exception, WorkflowError) and "不能下发整改通知" in str(bad.exception)
    assert "已提交整改" in r.invoke(app, ["case", "submit", "1", "--db", db, "--note", "已补充"]).output
    out = r.invoke(app, ["case", "decide", "1", "--db", db, "--fail", "--note", "仍未显示"])
    assert "复查未通过" in out.output and "新的截止日期" in out.output
    out = r.invoke(app, ["case", "list", "--db", db, "--state", "复查未通过"])
    assert "检查市人民政府" in out.output
    out = r.invoke(app, ["case", "show", "1", "--db", db])
    assert "仍未显示" in out.output and "已提交整改" in out.output
    out = r.invoke(app, ["case", "rates", "--db", db, "--start", "2000-01-01", "--end", "2099-12-31"])
    assert "检查市政府办公室" in out.output and "0.0%" in out.output


def test_register_commands(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    db = str(tmp_path / "x.db")
    wb = Workbook()
    wb.active.append(["留言编号", "网站名称", "转办时间", "办结时间"])
    wb.active.append(["Z1", "检查市人民政府", "2025-03-03 09:00", "2025-03-05 10:00"])
    wb.active.append(["Z2", "检查市人民政府", "2025-03-03 09:00", "不详"])
    wb.save(tmp_path / "e.xlsx")
    app, r = _app(), CliRunner()
    out = r.invoke(app, ["register", "zhaocuo-import", str(tmp_path / "e.xlsx"), "--db", db])
    assert "第3行" in str(out.exception)
    out = r.invoke(app, ["register", "zhaocuo-import", str(tmp_path / "e.xlsx"), "--db", db, "--skip-bad-rows"])
    assert "新增 1 条" in out.output and "跳过 1 行" in out.output
    out = r.invoke(app, ["register", "zhaocuo-stats", "--db", db, "--start", "2025-03-01", "--end", "2025-03-31",
                         "--today", "2025-04-01"])
    assert "100.0%" in out.output
    out = r.invoke(app, ["register", "consult-add", "9901000099", "-q", "如何办理居住证？", "--sent", "2025-03-03 09:00",
                         "--db", db])
    assert "#1" in out.output
    assert r.invoke(app, ["register", "consult-reply", "1", "--reply-at", "2025-03-04 09:00", "--db", db]).exit_code == 0
    out = r.invoke(app, ["register", "consult-stats", "--db", db, "--start", "2025-03-01", "--end", "2025-03-31"])
    assert "9901000099" in out.output and "1个工作日内答复" in out.output
