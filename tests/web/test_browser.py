"""A real browser (Debian's chromium driven by Playwright): log in, open a target, confirm a
finding, see the verdict change. Screenshots go to $XUNCHA_TEST_ARTIFACTS or tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def test_confirm_in_browser(world, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run ./dev test (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    shots = Path(os.environ.get("XUNCHA_TEST_ARTIFACTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(locale="zh-CN")
            page.goto(world.base + "/targets/A1")
            assert "/login" in page.url
            page.fill("#username", "sup")
            page.fill("#password", world.password)
            page.click("#login-submit")
            page.wait_for_url("**/targets/A1")
            assert page.inner_text("#verdict") == "待确认"
            page.screenshot(path=str(shots / "web-target-before.png"), full_page=True)
            finding = page.locator("article.finding", has_text="W.VETO.SERIOUS_ERROR")
            finding.locator("select[name=state]").select_option("confirmed")
            finding.locator("button[type=submit]").click()
            page.wait_for_load_state()
            assert page.inner_text("#verdict") == "不合格"
            assert "确认" in page.locator("article.finding", has_text="W.VETO.SERIOUS_ERROR").inner_text()
            page.screenshot(path=str(shots / "web-target-after.png"), full_page=True)
            # 误报 without a reason: the browser itself refuses (required field), nothing is sent
            typo = page.locator("article.finding", has_text="W.PUB.OVERVIEW")
            typo.locator("select[name=state]").select_option("false_positive")
            assert typo.locator("input[name=reason]").evaluate("e => e.required") is True
            page.goto(world.base + "/")
            assert page.locator("#pending-findings").inner_text() == "0"
            page.screenshot(path=str(shots / "web-dashboard.png"), full_page=True)
            page.click("#logout")
            page.wait_for_url("**/login")
        finally:
            browser.close()
    assert (shots / "web-target-after.png").stat().st_size > 0
