"""W.LINK.BROKEN_HOME, W.LINK.BROKEN_OTHER and W.ATTACHMENT."""

from __future__ import annotations

from xuncha.checks.links import target_state
from xuncha.model import LinkCheck, LinkRef

from ._factory import HOME, home_page, make_ctx, make_site, make_snapshot, page, run, sev, u

BH, BO, ATT = "W.LINK.BROKEN_HOME", "W.LINK.BROKEN_OTHER", "W.ATTACHMENT"


def _ctx(links: list[LinkRef], pages=(), checks: dict[str, LinkCheck] | None = None):
    snap = make_snapshot(pages=[home_page(), *pages], link_checks=checks or {})
    return make_ctx(snapshot=snap, site=make_site(links=links))


def _lc(path: str, **kw: object) -> LinkCheck:
    return LinkCheck(url=u(path), **kw)  # type: ignore[arg-type]


def test_home_link_404_is_deducted_once_per_link() -> None:
    links = [
        LinkRef(HOME, u("lxwm.html"), "联系我们", "footer"),
        LinkRef(HOME, u("lxwm.html"), "", "body", tag="img"),
        LinkRef(HOME, u("ok.html"), "正常"),
    ]
    ctx = _ctx(links, pages=[page("lxwm.html", 404), page("ok.html")])
    found = run(BH, ctx)
    assert sev(found) == ["deduct"]
    f = found[0]
    assert f.url == u("lxwm.html") and f.detail["source_url"] == HOME and f.detail["status"] == 404
    assert "首页链接「联系我们」" in f.evidence and "HTTP 404" in f.evidence
    assert run(BO, ctx) == []


def test_home_link_ok_is_silent() -> None:
    ctx = _ctx([LinkRef(HOME, u("ok.html"), "正常")], pages=[page("ok.html")])
    assert run(BH, ctx) == [] and run(BO, ctx) == [] and run(ATT, ctx) == []


def test_link_check_errors_are_broken_and_described_in_chinese() -> None:
    ctx = _ctx(
        [LinkRef(HOME, "https://old.example.gov.cn/", "旧网站")],
        checks={"https://old.example.gov.cn/": LinkCheck(url="https://old.example.gov.cn/", error="dns")},
    )
    found = run(BH, ctx)
    assert sev(found) == ["deduct"] and "域名解析失败" in found[0].evidence


def test_broken_image_on_home() -> None:
    ctx = _ctx(
        [LinkRef(HOME, u("img/banner.jpg"), "横幅", tag="img")],
        checks={u("img/banner.jpg"): _lc("img/banner.jpg", status=404)},
    )
    found = run(BH, ctx)
    assert sev(found) == ["deduct"] and "首页图片「横幅」" in found[0].evidence


def test_match_by_final_url_and_redirect() -> None:
    moved = page("new.html", 500)
    moved.redirects = [u("old.html")]
    ctx = _ctx([LinkRef(HOME, u("old.html"), "旧")], pages=[moved])
    assert sev(run(BH, ctx)) == ["deduct"]


def test_blocked_targets_are_not_broken_but_one_inconclusive() -> None:
    links = [
        LinkRef(HOME, u("a.html"), "甲"),
        LinkRef(u("x.html"), u("b.html"), "乙"),
        LinkRef(u("x.html"), u("c.html"), "丙"),
        LinkRef(u("x.html"), u("d.html"), "丁"),
        LinkRef(u("x.html"), "https://ext.example.org/", "外"),
    ]
    ctx = _ctx(
        links,
        pages=[
            page("a.html", 403, blocked="forbidden"),
            page("b.html", None, error="robots"),
            page("c.html", 403),
            page("x.html"),
        ],
        checks={
            u("d.html"): _lc("d.html", status=429, inconclusive="rate_limited"),
            "https://ext.example.org/": LinkCheck(url="https://ext.example.org/", error="offline"),
        },
    )
    assert run(BH, ctx) == []
    found = run(BO, ctx)
    assert sev(found) == ["inconclusive"]
    assert found[0].detail["count"] == 5 and "无法判断" in found[0].evidence


def test_other_pages_one_finding_per_target_listing_three_pages() -> None:
    links = [LinkRef(u(f"p{i}.html"), u("gone.html"), "旧栏目", "footer") for i in range(4)]
    ctx = _ctx(links, checks={u("gone.html"): _lc("gone.html", status=404)})
    found = run(BO, ctx)
    assert sev(found) == ["deduct"]
    f = found[0]
    assert f.detail["source_count"] == 4 and len(f.detail["sources"]) == 3
    assert "等 4 个页面" in f.evidence and "HTTP 404" in f.evidence


def test_target_broken_on_home_is_not_repeated_for_other_pages() -> None:
    links = [LinkRef(HOME, u("gone.html"), "旧"), LinkRef(u("p.html"), u("gone.html"), "旧")]
    ctx = _ctx(links, checks={u("gone.html"): _lc("gone.html", status=410)})
    assert len(run(BH, ctx)) == 1 and run(BO, ctx) == []


def test_scripts_and_stylesheets_are_not_links() -> None:
    links = [LinkRef(HOME, u("js/a.js"), tag="script"), LinkRef(u("p.html"), u("css/a.css"), tag="link")]
    ctx = _ctx(
        links, checks={u("js/a.js"): _lc("js/a.js", status=404), u("css/a.css"): _lc("css/a.css", status=404)}
    )
    assert run(BH, ctx) == [] and run(BO, ctx) == []


def test_unchecked_targets_are_silent() -> None:
    ctx = _ctx([LinkRef(HOME, u("never.html"), "未检查")])
    assert target_state(ctx.snapshot, u("never.html")).state == "unknown"
    assert run(BH, ctx) == [] and run(BO, ctx) == []


def test_too_large_page_is_not_broken() -> None:
    ctx = _ctx([LinkRef(HOME, u("big.html"), "大")], pages=[page("big.html", 200, error="too_large")])
    assert run(BH, ctx) == []


# --------------------------------------------------------------------------- attachments
def test_broken_attachment_is_attachment_not_link() -> None:
    links = [
        LinkRef(u("bs.html"), u("f/sqb.doc"), "申请表.doc", is_attachment=True),
        LinkRef(HOME, u("f/sqb.doc"), "申请表", is_attachment=True),
    ]
    ctx = _ctx(links, checks={u("f/sqb.doc"): _lc("f/sqb.doc", status=404)})
    found = run(ATT, ctx)
    assert sev(found) == ["deduct"] and found[0].detail["source_count"] == 2
    assert "附件「申请表.doc」" in found[0].evidence and "无法下载：HTTP 404" in found[0].evidence
    assert run(BH, ctx) == [] and run(BO, ctx) == []


def test_empty_attachment() -> None:
    ctx = _ctx(
        [LinkRef(u("bs.html"), u("f/a.pdf"), "附件1", is_attachment=True)],
        checks={u("f/a.pdf"): _lc("f/a.pdf", status=200, size=0, content_type="application/pdf")},
    )
    found = run(ATT, ctx)
    assert sev(found) == ["deduct"] and "文件为空" in found[0].evidence


def test_attachment_served_as_html_error_page() -> None:
    ctx = _ctx(
        [LinkRef(u("bs.html"), u("f/a.xls"), "样表", is_attachment=True)],
        pages=[page("f/a.xls", 200, content_type="text/html; charset=utf-8", size=900)],
    )
    found = run(ATT, ctx)
    assert sev(found) == ["deduct"] and "返回的是网页（text/html）" in found[0].evidence


def test_download_text_without_attachment_flag_is_attachment() -> None:
    ctx = _ctx(
        [LinkRef(u("bs.html"), u("down?id=3&f=1.ofd2"), "表格下载")],
        checks={u("down?id=3&f=1.ofd2"): _lc("down?id=3&f=1.ofd2", status=404)},
    )
    # no file extension in the path: an ordinary (broken) link, not an attachment
    assert run(ATT, ctx) == [] and sev(run(BO, ctx)) == ["deduct"]
    ctx = _ctx(
        [LinkRef(u("bs.html"), u("files/form.et2"), "表格下载")],
        checks={u("files/form.et2"): _lc("files/form.et2", status=404)},
    )
    assert sev(run(ATT, ctx)) == ["deduct"] and run(BO, ctx) == []


def test_good_attachment_is_silent() -> None:
    ctx = _ctx(
        [LinkRef(u("bs.html"), u("f/a.docx"), "附件", is_attachment=True)],
        checks={
            u("f/a.docx"): _lc(
                "f/a.docx",
                status=200,
                size=12000,
                content_type="application/vnd.openxmlformats-officedocument",
            )
        },
    )
    assert run(ATT, ctx) == []


def test_blocked_attachment_is_not_deducted() -> None:
    ctx = _ctx(
        [LinkRef(u("bs.html"), u("f/a.pdf"), "附件", is_attachment=True)],
        checks={u("f/a.pdf"): _lc("f/a.pdf", status=403, inconclusive="forbidden")},
    )
    assert run(ATT, ctx) == [] and sev(run(BO, ctx)) == ["inconclusive"]
