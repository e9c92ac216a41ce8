"""New-media account checks (indicators.md §3, §7.4–7.6): 国办秘函〔2019〕19号 vetoes and the
国办发〔2018〕123号 / provincial deduction items, on AccountSnapshot objects built directly."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from xuncha.checks import REGISTRY, CheckContext, run_checks
from xuncha.checks.media import MEDIA_KINDS
from xuncha.model import AccountState
from xuncha.text.pii import id18_check_char

from .conftest import AS_OF, make_account, make_target, post, run, severities

M_CODES = {
    "M.VETO.STALE", "M.UPDATE.SLOW", "M.VETO.INTERACTION", "M.VETO.SERIOUS_ERROR", "M.CONTENT.TYPO",
    "M.CONTENT.SENSITIVE", "M.PRIVACY.LEAK", "M.MENU.BROKEN", "M.REGISTRY.MISMATCH",
    "M.REGISTRY.DUPLICATE", "M.REPOST.MISSING", "M.DORMANT",
}
DOCUMENT = re.compile(r"^(.+?〔\d{4}〕\d+号)")
UNTRUSTED = ("stale_source", "blocked", "parse_error", "unreachable", "no_source")


# --------------------------------------------------------------------------- registry
@pytest.mark.parametrize("code", sorted(M_CODES))
def test_registered_documented_and_chinese(code: str) -> None:
    spec = REGISTRY[code]
    assert spec.kinds == MEDIA_KINDS and spec.family == "media"
    assert spec.doc.startswith(code)
    for part in ("What:", "Why:", "Example:"):
        assert part in spec.doc, part
    m = DOCUMENT.match(spec.indicator)
    assert m and m.group(1) in spec.doc
    assert re.search(r"[\u4e00-\u9fff]", spec.title)


def test_website_targets_are_not_judged_by_account_checks() -> None:
    site = make_target(kind="website")
    ctx = CheckContext(site, None, None, AS_OF, peers=[site])
    assert [f for f in run_checks(ctx, sorted(M_CODES))] == []


@pytest.mark.parametrize("health", UNTRUSTED)
def test_untrustworthy_health_never_vetoes_or_deducts(health: str) -> None:
    # nothing posted for months, comments closed: would veto on trusted data
    acc = make_account([post(60, comments_enabled=False)], health=health, health_detail="采集地址返回 HTTP 503",
                       state=AccountState(interaction={"comments": False, "messages": False}))
    ctx = CheckContext(acc.target, None, None, AS_OF, account=acc, peers=[acc.target])
    found = run_checks(ctx, sorted(M_CODES))
    assert found and all(f.severity == "inconclusive" for f in found)
    assert all("检查程序出错" not in f.evidence for f in found)
    stale = [f for f in found if f.code == "M.VETO.STALE"]
    assert len(stale) == 1 and "HTTP 503" in stale[0].evidence


def test_veto_codes_emit_only_veto_or_inconclusive_and_nothing_crashes() -> None:
    acc = make_account([post(40, "国务院总理李墙出席会议", "代开发票，已为小区按装门禁", comments_enabled=False)],
                       state=AccountState(display_name="成都发布厅", menu=[("办事", "javascript:void(0)")]))
    ctx = CheckContext(acc.target, None, None, AS_OF, account=acc, peers=[acc.target])
    found = run_checks(ctx, sorted(M_CODES))
    assert all("检查程序出错" not in f.evidence for f in found)
    for f in found:
        if f.code.startswith("M.VETO."):
            assert f.severity in ("veto", "inconclusive"), f
        else:
            assert f.severity != "veto", f


# --------------------------------------------------------------------------- M.VETO.STALE
def test_recent_post_is_not_stale() -> None:
    assert run("M.VETO.STALE", make_account([post(3)])) == []


def test_exactly_14_days_is_inside_the_window_15_is_not() -> None:
    assert run("M.VETO.STALE", make_account([post(14)])) == []
    found = run("M.VETO.STALE", make_account([post(15, "旧闻")]))
    assert severities(found) == ["veto"]
    assert "2024-05-06至2024-05-20" in found[0].evidence and "旧闻" in found[0].evidence
    assert found[0].detail["newest"] == "2024-05-05"


def test_reposts_count_pinned_deleted_future_do_not() -> None:
    assert run("M.VETO.STALE", make_account([post(2, kind="repost"), post(40)])) == []
    for bad in (post(1, pinned=True), post(1, deleted=True), post(-5)):
        found = run("M.VETO.STALE", make_account([bad, post(40)]))
        assert severities(found) == ["veto"], bad
        assert "不计入" in found[0].evidence


def test_empty_trustworthy_source_vetoes() -> None:
    found = run("M.VETO.STALE", make_account([], health="empty", health_detail="没有任何发布内容"))
    assert severities(found) == ["veto"] and "没有可计入的发布内容" in found[0].evidence


def test_manual_evidence_counts_on_its_date() -> None:
    assert run("M.VETO.STALE", make_account([post(10)], adapter="manual", health="manual")) == []
    assert severities(run("M.VETO.STALE", make_account([post(20)], adapter="manual", health="manual"))) == ["veto"]


def test_missing_account_data_is_inconclusive() -> None:
    assert severities(run("M.VETO.STALE", None, target=make_target())) == ["inconclusive"]


# --------------------------------------------------------------------------- M.UPDATE.SLOW
def test_newest_post_older_than_7_days_deducts() -> None:
    found = run("M.UPDATE.SLOW", make_account([post(10), post(30)]))
    assert severities(found) == ["deduct"] and found[0].detail["age_days"] == 10


def test_slow_boundary_and_veto_territory() -> None:
    assert run("M.UPDATE.SLOW", make_account([post(7)])) == []  # exactly the window
    assert run("M.UPDATE.SLOW", make_account([post(2)])) == []
    assert run("M.UPDATE.SLOW", make_account([post(20)])) == []  # M.VETO.STALE's business


def test_deadline_pattern_is_advisory() -> None:
    found = run("M.UPDATE.SLOW", make_account([post(1), post(14), post(27), post(40)]))
    assert severities(found) == ["advisory"] and found[0].detail["gaps"] == 3
    assert "临近最后期限" in found[0].evidence
    assert run("M.UPDATE.SLOW", make_account([post(d) for d in range(1, 60, 5)])) == []
    assert run("M.UPDATE.SLOW", make_account([post(1), post(14), post(27)])) == []  # only 2 gaps


# --------------------------------------------------------------------------- M.VETO.INTERACTION
def test_all_known_paths_closed_vetoes() -> None:
    st = AccountState(interaction={"comments": False, "messages": False, "menu": None})
    found = run("M.VETO.INTERACTION", make_account([post(1)], state=st))
    assert severities(found) == ["veto"] and "评论" in found[0].evidence and "未知" in found[0].evidence


def test_one_open_path_passes() -> None:
    st = AccountState(interaction={"comments": False, "messages": True})
    assert run("M.VETO.INTERACTION", make_account([post(1)], state=st)) == []
    # comments open on one post beats a closed summary
    st2 = AccountState(interaction={"comments": False})
    assert run("M.VETO.INTERACTION", make_account([post(1, comments_enabled=True)], state=st2)) == []


def test_posts_all_comment_closed_vetoes_unknown_is_inconclusive() -> None:
    found = run("M.VETO.INTERACTION", make_account([post(1, comments_enabled=False), post(2, comments_enabled=False)]))
    assert severities(found) == ["veto"]
    mixed = [post(1, comments_enabled=False), post(2, comments_enabled=True)]
    assert run("M.VETO.INTERACTION", make_account(mixed)) == []
    unknown = run("M.VETO.INTERACTION", make_account([post(1)], state=AccountState(interaction={"comments": None})))
    assert severities(unknown) == ["inconclusive"]


# --------------------------------------------------------------------------- content engines
def test_leader_name_error_is_a_candidate_naming_the_post() -> None:
    p = post(3, "常务会议", "国务院总理李墙主持召开国务院常务会议。")
    found = run("M.VETO.SERIOUS_ERROR", make_account([p]))
    assert len(found) == 1
    f = found[0]
    assert f.severity == "veto" and f.needs_confirmation and f.url == p.url
    assert f.detail["suggestion"] == "李强" and "「常务会议」（2024-05-17）" in f.evidence


def test_correct_text_has_no_serious_error_gambling_has() -> None:
    ok = post(3, "会议", "国务院总理李强讲话。市公安局严厉打击赌博违法犯罪活动。")
    assert run("M.VETO.SERIOUS_ERROR", make_account([ok])) == []
    spam = post(3, "旧闻", "工作动态。澳门新葡京 百家乐 真人视讯")
    found = run("M.VETO.SERIOUS_ERROR", make_account([spam]))
    assert len(found) == 1 and found[0].detail["category"] == "gambling" and found[0].needs_confirmation


def test_typos_deduct_with_suggestion_clean_text_passes() -> None:
    found = run("M.CONTENT.TYPO", make_account([post(2, "推进会", "已为小区按装智能门禁。")]))
    assert ("按装", "安装") in {(f.detail["found"], f.detail["suggestion"]) for f in found}
    assert all(f.severity == "deduct" for f in found) and "推进会" in found[0].evidence
    assert run("M.CONTENT.TYPO", make_account([post(2, "推进会", "已为小区安装智能门禁。")])) == []


def test_findings_are_capped_at_30_with_a_summary() -> None:
    posts = [post(i % 10, f"通知{i}", "已为小区按装智能门禁。") for i in range(35)]
    found = run("M.CONTENT.TYPO", make_account(posts))
    assert len(found) == 31 and found[-1].severity == "advisory" and found[-1].detail["omitted"] == 5


def test_sensitive_terms_deduct() -> None:
    found = run("M.CONTENT.SENSITIVE", make_account([post(2, "旧闻", "代开发票 办证刻章 联系QQ：80061234")]))
    assert found and all(f.severity == "deduct" for f in found) and any("代开发票" in f.evidence for f in found)
    assert run("M.CONTENT.SENSITIVE", make_account([post(2, "通知", "请各单位认真落实。")])) == []


def _id18(first17: str) -> str:
    return first17 + id18_check_char(first17)


def test_privacy_leak_is_masked_in_evidence() -> None:
    pid = _id18("11010519800101123")
    p = post(2, "公示", f"张三，身份证号：{pid}，联系电话：13912345678")
    found = run("M.PRIVACY.LEAK", make_account([p]))
    assert len(found) == 1 and found[0].severity == "deduct" and found[0].url == p.url
    assert found[0].detail["counts"] == {"id18": 1, "mobile": 1}
    assert pid not in found[0].evidence and "13912345678" not in found[0].evidence
    assert "139****5678" in found[0].evidence


def test_masked_values_are_not_leaks() -> None:
    p = post(2, "公示", "李四，身份证号：1101**********1234，电话：139****5678。")
    assert run("M.PRIVACY.LEAK", make_account([p])) == []


def test_snippets_mask_pii_next_to_a_typo() -> None:
    p = post(2, "通知", "已按装完毕13912345678")
    found = run("M.CONTENT.TYPO", make_account([p]))
    assert found and all("13912345678" not in f.evidence for f in found)


# --------------------------------------------------------------------------- M.MENU.BROKEN
def test_placeholder_and_malformed_links_deduct() -> None:
    st = AccountState(menu=[("办事服务", "javascript:void(0)"), ("留言", ""), ("首页", "https://www.gov.cn/"),
                            ("小程序", "weixin://dl/business/?t=abc")])
    p = post(2, "通知", links=["http://localhost:8080/a", "https://www.gov.cn/zhengce/", "http:///nohost"])
    found = run("M.MENU.BROKEN", make_account([p], state=st))
    assert severities(found) == ["deduct"] * 4
    ev = " ".join(f.evidence for f in found)
    assert "办事服务" in ev and "留言" in ev and "localhost" in ev and "格式错误" in ev
    assert "首页" not in ev and "小程序" not in ev


def test_working_menu_is_clean() -> None:
    st = AccountState(menu=[("首页", "https://www.gov.cn/"), ("服务", "https://zwfw.sc.gov.cn/")])
    assert run("M.MENU.BROKEN", make_account([post(2, links=["https://www.gov.cn/a.html"])], state=st)) == []


# --------------------------------------------------------------------------- M.REGISTRY.MISMATCH
def test_name_subject_and_status_mismatch() -> None:
    st = AccountState(display_name="成都发布厅", verified_subject="成都市人民政府办公厅", status="not_found")
    found = run("M.REGISTRY.MISMATCH", make_account([post(2)], state=st))
    assert sorted(f.detail["field"] for f in found) == ["name", "owner", "status"]
    assert all(f.severity == "deduct" for f in found)


def test_same_name_after_folding_is_not_a_mismatch() -> None:
    st = AccountState(display_name=" 成都发布 ", verified_subject="成都市人民政府新闻办公室", status="active")
    assert run("M.REGISTRY.MISMATCH", make_account([post(2)], state=st)) == []
    assert run("M.REGISTRY.MISMATCH", make_account([post(2)], state=AccountState())) == []  # unknowns


def test_verified_subject_with_platform_suffix_is_the_same_unit() -> None:
    st = AccountState(display_name="成都发布", verified_subject="成都市人民政府新闻办公室官方微博", status="active")
    assert run("M.REGISTRY.MISMATCH", make_account([post(2)], state=st)) == []
    other = AccountState(display_name="成都发布", verified_subject="成都市教育局官方微博", status="active")
    assert severities(run("M.REGISTRY.MISMATCH", make_account([post(2)], state=other))) == ["deduct"]


def test_registry_closed_but_still_posting() -> None:
    t = make_target(status="closed", status_raw="关停")
    found = run("M.REGISTRY.MISMATCH", make_account([post(3)], target=t))
    assert severities(found) == ["deduct"] and "关停" in found[0].evidence
    assert run("M.REGISTRY.MISMATCH", make_account([post(30)], target=t)) == []


# --------------------------------------------------------------------------- M.REGISTRY.DUPLICATE
def test_duplicate_reported_once_on_the_later_id() -> None:
    a, b = make_target("WX0001"), make_target("WX0002", name="成都发布服务号")
    other_kind = make_target("WB0001", kind="weibo")
    closed = make_target("WX0003", status="closed")
    peers = [a, b, other_kind, closed]
    assert run("M.REGISTRY.DUPLICATE", make_account(target=a), peers=peers) == []
    found = run("M.REGISTRY.DUPLICATE", make_account(target=b), peers=peers)
    assert severities(found) == ["deduct"] and found[0].detail["other_id"] == "WX0001"
    assert run("M.REGISTRY.DUPLICATE", make_account(target=other_kind), peers=peers) == []
    assert run("M.REGISTRY.DUPLICATE", make_account(target=closed), peers=peers) == []


def test_different_owners_are_not_duplicates() -> None:
    a, b = make_target("WX0001"), make_target("WX0002", owner="成都市教育局")
    assert run("M.REGISTRY.DUPLICATE", make_account(target=b), peers=[a, b]) == []


# --------------------------------------------------------------------------- M.REPOST.MISSING
TASK = {"title": "关于做好2024年防汛工作的通知", "url": "https://www.sc.gov.cn/zwgk/fx2024.shtml",
        "deadline": date(2024, 5, 15), "targets": ["WX0001"]}


def test_repost_done_by_title_or_url_before_deadline() -> None:
    by_title = post(6, "关于做好 2024 年防汛工作的通知！")  # 2024-05-14
    assert run("M.REPOST.MISSING", make_account([by_title]), repost_tasks=[TASK]) == []
    by_url = post(5, "防汛", links=["https://www.sc.gov.cn/zwgk/fx2024.shtml"])  # on the deadline day
    assert run("M.REPOST.MISSING", make_account([by_url]), repost_tasks=[TASK]) == []


def test_repost_late_and_missing() -> None:
    late = run("M.REPOST.MISSING", make_account([post(2, "关于做好2024年防汛工作的通知")]), repost_tasks=[TASK])
    assert severities(late) == ["deduct"] and late[0].detail["late"] is True and "逾期" in late[0].evidence
    missing = run("M.REPOST.MISSING", make_account([post(6, "关于开展植树活动的通知")]), repost_tasks=[TASK])
    assert severities(missing) == ["deduct"] and missing[0].detail["late"] is False and "未完成" in missing[0].evidence


def test_repost_tasks_not_due_or_not_assigned_are_ignored() -> None:
    future = dict(TASK, deadline=(AS_OF + timedelta(days=3)).date())
    other = dict(TASK, targets=["WX9999"])
    assert run("M.REPOST.MISSING", make_account([]), repost_tasks=[future, other]) == []


# --------------------------------------------------------------------------- M.DORMANT
def test_dormant_no_posts_few_posts_reposts_only() -> None:
    assert run("M.DORMANT", make_account([post(100)]))[0].detail["reason"] == "no_posts"
    assert run("M.DORMANT", make_account([post(5), post(50)]))[0].detail["reason"] == "few_posts"
    reposts = [post(d, kind="repost") for d in (1, 10, 20)]
    found = run("M.DORMANT", make_account(reposts))
    assert severities(found) == ["advisory"] and found[0].detail["reason"] == "reposts_only"


def test_active_account_is_not_dormant_and_90_days_is_inside() -> None:
    assert run("M.DORMANT", make_account([post(1), post(30, kind="repost"), post(90)])) == []
    assert run("M.DORMANT", make_account([post(1), post(30), post(91)]))[0].detail["reason"] == "few_posts"


def test_snippet_window_never_shows_the_start_of_a_cut_number() -> None:
    # the snippet window (15 characters) cuts the phone number: its first digits must not leak
    p = post(2, "会议", "国务院总理李墙主持会议。已按装完毕13912345678")
    for code in ("M.VETO.SERIOUS_ERROR", "M.CONTENT.TYPO"):
        found = run(code, make_account([p]))
        assert found, code
        assert all("13912" not in f.evidence for f in found), [f.evidence for f in found]
