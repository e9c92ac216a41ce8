"""W.VETO.SERIOUS_ERROR, W.CONTENT.SENSITIVE, W.CONTENT.TYPO, W.PRIVACY.LEAK on real pages.

Pages go through the real extraction (page text without boilerplate) and the real engines.
"""

from __future__ import annotations

from datetime import datetime

from xuncha.checks import CheckContext, run_checks
from xuncha.extract.site import extract_site
from xuncha.model import Attachment, Page, SiteSnapshot, Target, TextSegment
from xuncha.settings import TZ, Thresholds

AS_OF = datetime(2025, 3, 20, 23, 59, 59, tzinfo=TZ)
HOME = "http://www.qingshan.gov.cn/"


def _id18(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


def _page(url: str, title: str, body: str, role: str = "detail") -> Page:
    html = (
        f"<html><head><title>{title}</title><meta name='PubDate' content='2025-03-10 09:00'></head><body>"
        f"<div class='header'><a href='/'>青山市人民政府</a></div>"
        f"<div class='nav'><a href='/zwgk/'>政务公开</a></div>"
        f"<div class='main'><h1>{title}</h1><div class='content'>{body}</div></div>"
        f"<div class='footer'>主办单位：青山市人民政府办公室 京ICP备05070218号 京公网安备 11010502030143号</div>"
        f"</body></html>"
    )
    return Page(url=url, final_url=url, status=200, html=html, role=role, content_type="text/html")


def _run(*pages: Page, attachments: list[Attachment] | None = None, code: str,
         thresholds: Thresholds | None = None) -> list:
    home = _page(HOME, "青山市人民政府", "<p>欢迎访问</p>", role="home")
    snap = SiteSnapshot(Target("9901000001", "website", "青山市人民政府", HOME), HOME, AS_OF,
                        pages=[home, *pages], attachments=attachments or [])
    site = extract_site(snap, AS_OF.date())
    return run_checks(CheckContext(snap.target, snap, site, AS_OF, thresholds=thresholds or Thresholds()), [code])


# --------------------------------------------------------------------------- serious errors
def test_leader_name_variant_is_a_candidate_with_correction() -> None:
    found = _run(_page(HOME + "a.html", "常务会议", "<p>国务院总理李墙主持召开国务院常务会议。</p>"),
                 code="W.VETO.SERIOUS_ERROR")
    assert len(found) == 1
    f = found[0]
    assert f.severity == "veto" and f.needs_confirmation
    assert f.detail["suggestion"] == "李强" and "李墙" in f.evidence and f.url.endswith("a.html")


def test_correct_leaders_and_anti_gambling_notice_are_clean() -> None:
    ok = _page(HOME + "b.html", "会议", "<p>中共中央总书记、国家主席、中央军委主席习近平出席会议。国务院总理李强讲话。</p>"
               "<p>市公安局严厉打击赌博违法犯罪活动，遇到大麻烦请拨打110，注意路口交通安全。</p>")
    assert _run(ok, code="W.VETO.SERIOUS_ERROR") == []
    assert _run(ok, code="W.CONTENT.SENSITIVE") == []


def test_injected_gambling_text_is_one_candidate_per_page_and_category() -> None:
    spam = _page(HOME + "c.html", "旧闻", "<p>工作动态。</p><div style='display:none'>澳门新葡京 百家乐 真人视讯 澳门新葡京</div>")
    found = _run(spam, code="W.VETO.SERIOUS_ERROR")
    assert len(found) == 1 and found[0].detail["category"] == "gambling"
    assert found[0].detail["found"] == ["澳门新葡京", "百家乐", "真人视讯"] and found[0].needs_confirmation


def test_fraud_ad_is_sensitive_not_veto() -> None:
    found = _run(_page(HOME + "d.html", "旧闻", "<p>代开发票 办证刻章 联系QQ：80061234</p>"), code="W.CONTENT.SENSITIVE")
    assert found and all(f.severity == "deduct" for f in found)
    assert any("代开发票" in f.evidence for f in found)
    assert _run(_page(HOME + "d.html", "旧闻", "<p>代开发票 办证刻章</p>"), code="W.VETO.SERIOUS_ERROR") == []


def test_boilerplate_is_not_read() -> None:
    # the footer carries 公网安备/ICP marks on every page: no finding may come from it
    for code in ("W.CONTENT.TYPO", "W.CONTENT.SENSITIVE", "W.PRIVACY.LEAK"):
        found = _run(_page(HOME + "e.html", "通知", "<p>请各单位认真落实。</p>"), code=code)
        assert [f for f in found if f.severity != "inconclusive"] == [], code


# --------------------------------------------------------------------------- typos
def test_typos_found_with_suggestions_and_correct_text_clean() -> None:
    bad = _page(HOME + "f.html", "推进会", "<p>会议要求，既使任务再重，也要确保安全。已为小区按装智能门禁。</p>")
    found = _run(bad, code="W.CONTENT.TYPO")
    pairs = {(f.detail["found"], f.detail["suggestion"]) for f in found}
    assert ("既使", "即使") in pairs and ("按装", "安装") in pairs
    assert all(f.severity == "deduct" for f in found)
    good = _page(HOME + "g.html", "推进会", "<p>会议要求，即使任务再重，也要确保安全。已为小区安装智能门禁。</p>")
    assert _run(good, code="W.CONTENT.TYPO") == []


def test_language_model_pass_only_when_the_inspection_asks_for_it() -> None:
    """``xuncha inspect --typo-lm`` (Thresholds.typo_lm_chars > 0): a homophone that the first
    pass misses (部置 → 布置, from the dev set of bench/csc.py) is found with its suggestion;
    without it the page stays clean, and a correct page stays clean either way."""
    bad = _page(HOME + "h.html", "家长会", "<p>老师部置的作业我们必须及时完成。</p>")
    assert _run(bad, code="W.CONTENT.TYPO") == []
    found = _run(bad, code="W.CONTENT.TYPO", thresholds=Thresholds(typo_lm_chars=2000))
    assert [(f.detail["found"], f.detail["suggestion"], f.detail["rule"]) for f in found] == [("部", "布", "lm")]
    assert found[0].severity == "deduct" and "布置" in found[0].evidence
    good = _page(HOME + "i.html", "家长会", "<p>老师布置的作业我们必须及时完成。</p>")
    assert _run(good, code="W.CONTENT.TYPO", thresholds=Thresholds(typo_lm_chars=2000)) == []


# --------------------------------------------------------------------------- privacy
def test_unmasked_id_and_phone_on_page_masked_in_evidence() -> None:
    pid = _id18("11010519800101123")
    found = _run(_page(HOME + "h.html", "公示", f"<p>张三，身份证号：{pid}，联系电话：13912345678</p>"),
                 code="W.PRIVACY.LEAK")
    assert len(found) == 1 and found[0].severity == "deduct"
    assert found[0].detail["counts"] == {"id18": 1, "mobile": 1}
    assert pid not in found[0].evidence and "13912345678" not in found[0].evidence
    assert "1101**********" in found[0].evidence and "139****5678" in found[0].evidence


def test_masked_values_and_order_numbers_are_not_leaks() -> None:
    page = _page(HOME + "i.html", "公示", "<p>李四，身份证号：1101**********1234，电话：139****5678。订单号：13812345678</p>")
    assert _run(page, code="W.PRIVACY.LEAK") == []


def test_attachment_leak_names_sheet_cell_and_unreadable_is_inconclusive() -> None:
    pid = _id18("51010119900307451")
    good = Attachment(url=HOME + "mingdan.xlsx", source_url=HOME + "h.html", link_text="公示名单.xlsx", kind="xlsx",
                      segments=[TextSegment("工作表「名单」C7", pid), TextSegment("工作表「名单」A7", "王五")])
    bomb = Attachment(url=HOME + "bomb.xlsx", link_text="统计表.xlsx", error="zip_bomb")
    found = _run(attachments=[good, bomb], code="W.PRIVACY.LEAK")
    by_url = {f.url: f for f in found}
    leak = by_url[HOME + "mingdan.xlsx"]
    assert leak.severity == "deduct" and "工作表「名单」C7" in leak.evidence and pid not in leak.evidence
    assert by_url[HOME + "bomb.xlsx"].severity == "inconclusive" and "压缩炸弹" in by_url[HOME + "bomb.xlsx"].evidence
