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


def test_rectify_loop_in_browser(site_world, loop_site, tmp_path: Path) -> None:
    """Confirm a finding (a case opens) → 下发整改通知 → the unit submits its fix → 复查 against
    the loopback site, now fixed → 已整改（关闭）."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run ./dev test (it installs Debian's chromium)")
    from playwright.sync_api import Page, sync_playwright

    w = site_world
    shots = Path(os.environ.get("XUNCHA_TEST_ARTIFACTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)

    def login(page: Page, path: str, username: str) -> None:
        page.goto(w.base + path)
        assert "/login" in page.url
        page.fill("#username", username)
        page.fill("#password", w.password)
        page.click("#login-submit")
        page.wait_for_url("**" + path)

    def logout(page: Page) -> None:
        page.click("#logout")
        page.wait_for_url("**/login")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(locale="zh-CN")
            login(page, "/targets/9901000099", "sup")
            finding = page.locator("article.finding", has_text="W.ID.FOOTER").filter(has_text="网站标识码")
            finding.locator("select[name=state]").select_option("confirmed")
            finding.locator("button[type=submit]").click()
            page.wait_for_load_state()
            assert page.locator("#cases").is_visible()
            page.screenshot(path=str(shots / "web-case-target.png"), full_page=True)
            page.locator("#cases a").first.click()
            page.wait_for_url("**/cases/*")
            case_path = "/" + page.url.split("/", 3)[3]
            assert page.inner_text("#case-state") == "待通知"
            page.screenshot(path=str(shots / "web-case-opened.png"), full_page=True)
            page.fill("#form-notify input[name=note]", "请于 15 个工作日内在页脚补充网站标识码")
            page.click("#form-notify button")
            page.wait_for_load_state()
            assert page.inner_text("#case-state") == "已通知"
            assert page.locator("#form-submit").count() == 0
            logout(page)

            login(page, case_path, "unit_a")
            assert page.locator("#form-notify").count() == 0 and page.locator("#form-recheck").count() == 0
            page.fill("#form-submit textarea[name=note]", "已在网站页脚补充网站标识码")
            page.click("#form-submit button")
            page.wait_for_load_state()
            assert page.inner_text("#case-state") == "已提交整改"
            assert "已在网站页脚补充网站标识码" in page.inner_text("#trail")
            page.screenshot(path=str(shots / "web-case-submitted.png"), full_page=True)
            logout(page)

            loop_site.fixed = True
            login(page, case_path, "sup")
            page.click("#form-recheck button")
            page.wait_for_selector("#recheck-outcome", timeout=180_000)  # runs in the background; the page reloads
            assert page.inner_text("#case-state") == "已整改（关闭）"
            assert page.inner_text("#recheck-outcome") == "已整改，关闭"
            assert page.locator("#actions").count() == 0
            page.screenshot(path=str(shots / "web-case-closed.png"), full_page=True)
            page.click("#nav-cases")
            page.wait_for_url("**/cases")
            assert "已整改（关闭）" in page.inner_text("#case-list")
            page.screenshot(path=str(shots / "web-cases.png"), full_page=True)
        finally:
            browser.close()
    assert (shots / "web-case-closed.png").stat().st_size > 0
