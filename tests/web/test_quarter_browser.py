"""The quarter's loop in a real browser (Debian's chromium driven by Playwright) on the demo
world, as issue 7's "done means" says: the supervisor starts the inspection from the console and
watches it finish, reviews a finding (a case opens), notifies the unit; the unit user submits
its fix note; the site is fixed; the supervisor's re-check closes the case; the circular and
its annex download. Screenshots go to $XUNCHA_TEST_ARTIFACTS or tmp_path."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from xuncha.demo.console import DEMO_UNIT_OWNER, DemoConsole, start_demo_console

PASSWORD = "quarter-pass-123"
DONGLING = "9901210001"  # 东岭县人民政府, owned by the demo unit user; W.ID.FOOTER planted


@dataclass
class Console:
    dc: DemoConsole
    base: str


@pytest.fixture
def console(tmp_path: Path, serve: Callable[..., str]) -> Iterator[Console]:
    """The demo console (world on loopback, registry imported, accounts) served by uvicorn."""
    dc = start_demo_console(tmp_path / "data", password=PASSWORD)
    try:
        yield Console(dc, serve(dc.db_url, collect_settings=dc.collect_settings, inspect_settings=dc.settings,
                                data_dir=dc.data_dir))
    finally:
        dc.close()


def test_quarter_loop_in_browser(console: Console, browser: Any, tmp_path: Path) -> None:
    base = console.base
    page = browser.page
    assert console.dc.users["unit"].owner == DEMO_UNIT_OWNER

    # 1. inspect: the supervisor starts the round and watches its progress
    browser.login(base, "/inspections", "sup", PASSWORD)
    page.click("#start-button")
    page.wait_for_url("**/inspections/*")
    run_path = "/" + page.url.split("/", 3)[3].split("?")[0]
    assert page.locator("#progress").is_visible()
    browser.shot("quarter-1-progress")
    page.wait_for_selector("#results", timeout=240_000)  # the page reloads itself when done
    assert page.inner_text("#insp-state") == "已完成"
    browser.shot("quarter-2-done")

    # 2. review: confirm a finding of the unit's site, a case opens
    page.goto(base + f"/targets/{DONGLING}")
    finding = page.locator("article.finding", has_text="W.ID.FOOTER").first
    finding.locator("select[name=state]").select_option("confirmed")
    finding.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#cases").is_visible()
    browser.shot("quarter-3-reviewed")

    # 3. notify the unit
    page.locator("#cases a").first.click()
    page.wait_for_url("**/cases/*")
    case_path = "/" + page.url.split("/", 3)[3].split("#")[0]
    assert page.inner_text("#case-state") == "待通知"
    page.fill("#form-notify input[name=note]", "请于 15 个工作日内补全网站页脚备案信息")
    page.click("#form-notify button")
    page.wait_for_load_state()
    assert page.inner_text("#case-state") == "已通知"
    browser.logout()

    # 4. the unit fixes its site and submits its note
    console.dc.fix(DONGLING, "W.ID.FOOTER")
    browser.login(base, case_path, "unit", PASSWORD)
    page.fill("#form-submit textarea[name=note]", "已在页脚补充ICP备案编号和公安机关备案号")
    page.click("#form-submit button")
    page.wait_for_load_state()
    assert page.inner_text("#case-state") == "已提交整改"
    browser.shot("quarter-4-submitted")
    browser.logout()

    # 5. re-check: the supervisor's automatic re-check closes the case
    browser.login(base, case_path, "sup", PASSWORD)
    page.click("#form-recheck button")
    page.wait_for_selector("#recheck-outcome", timeout=180_000)  # runs in the background; the page reloads
    assert page.inner_text("#case-state") == "已整改（关闭）"
    assert page.inner_text("#recheck-outcome") == "已整改，关闭"
    closed = browser.shot("quarter-5-closed")

    # 6. report: the circular and its annex download from the run's page
    page.goto(base + run_path)
    with page.expect_download() as dl:
        page.click("#dl-circular")
    circular = tmp_path / "通报.docx"
    dl.value.save_as(circular)
    assert dl.value.suggested_filename.endswith(".docx") and "通报" in dl.value.suggested_filename
    with page.expect_download() as dl2:
        page.click("#dl-annex")
    annex = tmp_path / "附件.xlsx"
    dl2.value.save_as(annex)
    browser.shot("quarter-6-report")

    doc = Document(io.BytesIO(circular.read_bytes()))
    text = "\n".join([p.text for p in doc.paragraphs]
                     + [c.text for t in doc.tables for row in t.rows for c in row.cells])
    assert "东岭县人民政府" in text and "合格率" in text
    wb = load_workbook(annex, read_only=True)
    cells = [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
    assert any("东岭县人民政府" in c for c in cells)
    assert closed.stat().st_size > 0
