"""Leaders: near-miss names, wrong and outdated offices, wrong order."""

from __future__ import annotations

from datetime import date

import pytest

from xuncha.text.political import Candidate, PoliticalChecker

from ._corpus import AS_OF


def only(cands: list[Candidate]) -> Candidate:
    assert len(cands) == 1, cands
    return cands[0]


@pytest.mark.parametrize(("text", "found", "name", "tier_word"), [
    ("习近乎总书记在会上强调。", "习近乎", "习近平", "形近字"),
    ("习进平总书记强调，要坚持人民至上。", "习进平", "习近平", "同音字"),
    ("席近平同志指出。", "席近平", "习近平", "同音字"),
    ("国务院总理李墙主持会议。", "李墙", "李强", "同音字"),
    ("王护宁主席出席会议。", "王护宁", "王沪宁", "同音字"),
    ("赵乐纪委员长主持闭幕会。", "赵乐纪", "赵乐际", "同音字"),
    ("丁学祥副总理出席论坛。", "丁学祥", "丁薛祥", "音近字"),
    ("国务院副总理何立锋出席。", "何立锋", "何立峰", "同音字"),
    ("蔡齐同志陪同考察。", "蔡齐", "蔡奇", "同音字"),
    ("习近平、李墙、赵乐际等出席。", "李墙", "李强", "同音字"),
])
def test_near_miss_names_next_to_a_title_fire(checker: PoliticalChecker, text, found, name, tier_word) -> None:
    c = only(checker.check(text, AS_OF))
    assert c.kind == "name_variant"
    assert (c.found, c.suggestion) == (found, name)
    assert text[c.start:c.end] == found
    assert tier_word in c.explanation and c.verified


def test_near_miss_without_any_title_or_name_nearby_does_not_fire(checker: PoliticalChecker) -> None:
    assert checker.check("他说李墙的颜色很好看，王护宁静的夜晚。", AS_OF) == []


def test_wrong_office_committee_chairman(checker: PoliticalChecker) -> None:
    assert checker.check("全国人大常委会委员长赵乐际主持会议。委员长赵乐际讲话。", AS_OF) == []
    c = only(checker.check("委员长王沪宁出席会议。", AS_OF))
    assert (c.kind, c.found, c.suggestion) == ("wrong_office", "委员长王沪宁", "全国政协主席王沪宁")
    assert "未担任过全国人大常委会委员长" in c.explanation


def test_wrong_office_after_the_name_suggests_the_short_title(checker: PoliticalChecker) -> None:
    c = only(checker.check("王沪宁委员长出席会议。", AS_OF))
    assert (c.kind, c.found, c.suggestion) == ("wrong_office", "王沪宁委员长", "王沪宁主席")


def test_wrong_office_suggests_all_current_primary_offices(checker: PoliticalChecker) -> None:
    c = only(checker.check("全国人大常委会委员长习近平", AS_OF))
    assert c.suggestion == "中共中央总书记、国家主席、中央军委主席习近平"


def test_outdated_premier(checker: PoliticalChecker) -> None:
    c = only(checker.check("国务院总理李克强主持召开国务院常务会议。", AS_OF))
    assert (c.kind, c.found, c.suggestion) == ("outdated_title", "国务院总理李克强", "时任国务院总理李克强")
    assert "2023年3月11日卸任国务院总理" in c.explanation and "李强" in c.explanation


def test_outdated_title_of_a_person_now_in_another_office(checker: PoliticalChecker) -> None:
    c = only(checker.check("中共中央政治局常委、国务院副总理韩正出席。", AS_OF))
    assert c.kind == "outdated_title"
    assert c.found == "中共中央政治局常委、国务院副总理韩正"
    assert c.suggestion == "国家副主席韩正"


def test_outdated_after_name(checker: PoliticalChecker) -> None:
    c = only(checker.check("李克强总理强调，要稳就业。", AS_OF))
    assert (c.kind, c.found) == ("outdated_title", "李克强总理")


def test_title_before_the_page_date_is_premature(checker: PoliticalChecker) -> None:
    c = only(checker.check("国务院总理李强出席。", date(2022, 6, 1)))
    assert c.kind == "wrong_office"
    assert c.suggestion == "国务院总理李克强"  # the premier of that day
    assert "尚未任职" in c.explanation


def test_historical_marker_does_not_excuse_a_never_held_office(checker: PoliticalChecker) -> None:
    # 时任 + a year: judged in that year, not on the page date
    c = only(checker.check("2019年，时任国务院总理李强出席。", AS_OF))
    assert (c.kind, c.found, c.suggestion) == ("wrong_office", "国务院总理李强", "国务院总理李克强")
    assert "2019年时李强未任国务院总理" in c.explanation
    assert checker.check("2019年，时任国务院总理李克强出席。", AS_OF) == []
    c = only(checker.check("时任委员长王沪宁", AS_OF))
    assert c.kind == "wrong_office"


def test_uncertain_days_mark_only_findings_near_the_boundary(checker: PoliticalChecker) -> None:
    # 丁薛祥 left 中央办公厅主任 about 2022-10 (exact day 待核实, ±60 days)
    c = only(checker.check("中央办公厅主任丁薛祥出席。", AS_OF))
    assert c.kind == "outdated_title" and c.suggestion == "国务院副总理丁薛祥"
    assert c.verified is True
    c = only(checker.check("中央办公厅主任丁薛祥出席。", date(2022, 11, 20)))
    assert c.kind == "outdated_title" and c.verified is False


def test_page_after_known_through_is_unverified(checker: PoliticalChecker) -> None:
    c = only(checker.check("委员长王沪宁出席。", date(2027, 1, 1)))
    assert c.kind == "wrong_office" and c.verified is False


def test_local_namesakes_with_local_titles_do_not_fire(checker: PoliticalChecker) -> None:
    text = "县委书记李强、副县长马凯、村党支部书记汪洋、全国人大常委会副委员长王东明出席。"
    assert checker.check(text, AS_OF) == []


def test_wrong_order_of_the_standing_committee(checker: PoliticalChecker) -> None:
    text = "习近平、赵乐际、李强、王沪宁、蔡奇、丁薛祥、李希出席。"
    c = only(checker.check(text, AS_OF))
    assert c.kind == "wrong_order"
    assert c.found == "习近平、赵乐际、李强、王沪宁、蔡奇、丁薛祥、李希"
    assert c.suggestion == "习近平、李强、赵乐际、王沪宁、蔡奇、丁薛祥、李希"


def test_wrong_order_with_spaces_and_tongzhi(checker: PoliticalChecker) -> None:
    c = only(checker.check("习近平同志 王沪宁同志 赵乐际同志出席。", AS_OF))
    assert c.kind == "wrong_order" and c.suggestion == "习近平、赵乐际、王沪宁"


def test_wrong_order_of_vice_premiers(checker: PoliticalChecker) -> None:
    c = only(checker.check("何立峰、丁薛祥、张国清、刘国中出席。", AS_OF))
    assert c.suggestion == "丁薛祥、何立峰、张国清、刘国中"


def test_two_names_are_not_a_list(checker: PoliticalChecker) -> None:
    assert checker.check("赵乐际、李强出席。", AS_OF) == []


def test_title_right_after_a_name_is_that_name_s_not_the_next(checker: PoliticalChecker) -> None:
    assert checker.check("习近平总书记李强总理出席。", AS_OF) == []


def test_historical_words_excuse_outdated_titles(checker: PoliticalChecker) -> None:
    assert checker.check("栗战书委员长曾经到我县考察。", AS_OF) == []
    assert [c.kind for c in checker.check("栗战书委员长到我县考察。", AS_OF)] == ["outdated_title"]


def test_datetime_as_of_and_empty_text(checker: PoliticalChecker) -> None:
    from datetime import datetime

    assert checker.check("", AS_OF) == []
    [c] = checker.check("国务院总理李克强", datetime(2024, 6, 1, 9, 30))
    assert c.kind == "outdated_title"
