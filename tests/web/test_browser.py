"""A real browser (Debian's chromium driven by Playwright, fixture ``browser``): log in, open a
target, confirm a finding, see the verdict change; the rectification loop. Screenshots go to
$XUNCHA_TEST_ARTIFACTS or tmp_path."""

from __future__ import annotations


def test_confirm_in_browser(world, browser) -> None:
    page = browser.page
    browser.login(world.base, "/targets/A1", "sup", world.password)
    assert page.inner_text("#verdict") == "待确认"
    browser.shot("web-target-before")
    finding = page.locator("article.finding", has_text="W.VETO.SERIOUS_ERROR")
    finding.locator("select[name=state]").select_option("confirmed")
    finding.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.inner_text("#verdict") == "不合格"
    assert "确认" in page.locator("article.finding", has_text="W.VETO.SERIOUS_ERROR").inner_text()
    after = browser.shot("web-target-after")
    # 误报 without a reason: the browser itself refuses (required field), nothing is sent
    typo = page.locator("article.finding", has_text="W.PUB.OVERVIEW")
    typo.locator("select[name=state]").select_option("false_positive")
    assert typo.locator("input[name=reason]").evaluate("e => e.required") is True
    page.goto(world.base + "/")
    assert page.locator("#pending-findings").inner_text() == "0"
    browser.shot("web-dashboard")
    browser.logout()
    assert after.stat().st_size > 0


def test_rectify_loop_in_browser(site_world, loop_site, browser) -> None:
    """Confirm a finding (a case opens) → 下发整改通知 → the unit submits its fix → 复查 against
    the loopback site, now fixed → 已整改（关闭）."""
    w = site_world
    page = browser.page
    browser.login(w.base, "/targets/9901000099", "sup", w.password)
    finding = page.locator("article.finding", has_text="W.ID.FOOTER").filter(has_text="网站标识码")
    finding.locator("select[name=state]").select_option("confirmed")
    finding.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#cases").is_visible()
    browser.shot("web-case-target")
    page.locator("#cases a").first.click()
    page.wait_for_url("**/cases/*")
    case_path = "/" + page.url.split("/", 3)[3]
    assert page.inner_text("#case-state") == "待通知"
    browser.shot("web-case-opened")
    page.fill("#form-notify input[name=note]", "请于 15 个工作日内在页脚补充网站标识码")
    page.click("#form-notify button")
    page.wait_for_load_state()
    assert page.inner_text("#case-state") == "已通知"
    assert page.locator("#form-submit").count() == 0
    browser.logout()

    browser.login(w.base, case_path, "unit_a", w.password)
    assert page.locator("#form-notify").count() == 0 and page.locator("#form-recheck").count() == 0
    page.fill("#form-submit textarea[name=note]", "已在网站页脚补充网站标识码")
    page.click("#form-submit button")
    page.wait_for_load_state()
    assert page.inner_text("#case-state") == "已提交整改"
    assert "已在网站页脚补充网站标识码" in page.inner_text("#trail")
    browser.shot("web-case-submitted")
    browser.logout()

    loop_site.fixed = True
    browser.login(w.base, case_path, "sup", w.password)
    page.click("#form-recheck button")
    page.wait_for_selector("#recheck-outcome", timeout=180_000)  # runs in the background; the page reloads
    assert page.inner_text("#case-state") == "已整改（关闭）"
    assert page.inner_text("#recheck-outcome") == "已整改，关闭"
    assert page.locator("#actions").count() == 0
    closed = browser.shot("web-case-closed")
    page.click("#nav-cases")
    page.wait_for_url("**/cases")
    assert "已整改（关闭）" in page.inner_text("#case-list")
    browser.shot("web-cases")
    assert closed.stat().st_size > 0
