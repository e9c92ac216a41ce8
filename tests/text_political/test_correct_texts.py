"""Correct official texts, historical quotations and ordinary words must not fire."""

from __future__ import annotations

from datetime import date

import pytest

from xuncha.text.political import PoliticalChecker

from ._corpus import AS_OF, CORRECT_2024, ORDINARY


@pytest.mark.parametrize("text", CORRECT_2024)
def test_official_sentences_2024_do_not_fire(checker: PoliticalChecker, text: str) -> None:
    assert checker.check(text, AS_OF) == []


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_words_that_sound_like_names_do_not_fire(checker: PoliticalChecker, text: str) -> None:
    assert checker.check(text, AS_OF) == []


@pytest.mark.parametrize("text", [
    "国务院总理李克强主持召开国务院常务会议。",
    "中共中央政治局常委、国务院副总理韩正出席。",
    "全国人大常委会委员长栗战书、全国政协主席汪洋出席开幕会。",
    "国家副主席王岐山会见外宾。",
    "习近平、李克强、栗战书、汪洋、王沪宁、赵乐际、韩正出席大会。",
    "国务院副总理韩正、孙春兰、胡春华、刘鹤出席。",
    "李克强总理强调，要做好“六稳”工作。",
])
def test_page_dated_2020_with_then_current_titles(checker: PoliticalChecker, text: str) -> None:
    assert checker.check(text, date(2020, 6, 1)) == []


@pytest.mark.parametrize("text", [
    "2019年，时任国务院总理李克强在政府工作报告中指出，要大力减税降费。",
    "时任中共中央政治局常委、国务院副总理韩正到我市调研。",
    "原国务院总理李克强同志逝世。",
    "李克强总理生前曾多次到我省考察。",
    "2015年3月5日，国务院总理李克强作政府工作报告。",
    "回顾十年前，全国人大常委会委员长张德江来我省视察。",
])
def test_historical_quotations_on_a_2024_page(checker: PoliticalChecker, text: str) -> None:
    assert checker.check(text, AS_OF) == []


def test_the_day_a_successor_takes_office(checker: PoliticalChecker) -> None:
    # 2023-03-11: 李强 elected premier; 李克强's tenure ends that day.
    assert checker.check("国务院总理李强", date(2023, 3, 11)) == []
    assert checker.check("国务院总理李克强", date(2023, 3, 10)) == []
    assert [c.kind for c in checker.check("国务院总理李克强", date(2023, 3, 11))] == ["outdated_title"]


def test_a_list_of_the_seven_in_order_with_vice_president_after(checker: PoliticalChecker) -> None:
    text = "习近平、李强、赵乐际、王沪宁、蔡奇、丁薛祥、李希、韩正等出席。"
    assert checker.check(text, AS_OF) == []


def test_four_comprehensives_before_2020_change(checker: PoliticalChecker) -> None:
    text = "协调推进“四个全面”战略布局，即全面建成小康社会、全面深化改革、全面依法治国、全面从严治党。"
    assert checker.check(text, date(2019, 5, 1)) == []


def test_plenum_mentioned_shortly_before_it_opens(checker: PoliticalChecker) -> None:
    # announced about a month before (2024-07-15 opening)
    assert checker.check("党的二十届三中全会将于7月在北京召开。", date(2024, 6, 28)) == []
