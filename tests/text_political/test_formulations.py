"""Key formulations: wrong variants, near misses, list members, ordinals, plenum dates."""

from __future__ import annotations

from datetime import date

import pytest

from xuncha.text.political import PoliticalChecker

from ._corpus import AS_OF


@pytest.mark.parametrize(("text", "found", "suggestion"), [
    ("深入学习习近平新时代中国特色社会主义理论。", "习近平新时代中国特色社会主义理论", "习近平新时代中国特色社会主义思想"),
    ("学习习近平中国特色社会主义思想。", "习近平中国特色社会主义思想", "习近平新时代中国特色社会主义思想"),
    ("学习习近平法制思想。", "习近平法制思想", "习近平法治思想"),
    ("推动构建人类命运联合体。", "人类命运联合体", "人类命运共同体"),
    ("发展全程人民民主。", "全程人民民主", "全过程人民民主"),
    ("坚持中国特色社会主意。", "中国特色社会主意", "中国特色社会主义"),
    ("高质量共建一代一路。", "一代一路", "一带一路"),
    ("增强四个意识，做到两个维户。", "两个维户", "两个维护"),
    ("实现中华民旅伟大复兴。", "中华民旅伟大复兴", "中华民族伟大复兴"),
    ("习近乎新时代中国特色社会主义思想", "习近乎新时代中国特色社会主义思想", "习近平新时代中国特色社会主义思想"),
])
def test_wrong_formulations(checker: PoliticalChecker, text: str, found: str, suggestion: str) -> None:
    cands = checker.check(text, AS_OF)
    assert [(c.kind, c.found, c.suggestion) for c in cands] == [("formulation", found, suggestion)]
    assert text[cands[0].start:cands[0].end] == found


def test_wrong_member_of_four_confidences(checker: PoliticalChecker) -> None:
    text = "坚定“四个自信”（道路自信、理论自信、政治自信、文化自信）。"
    [c] = checker.check(text, AS_OF)
    assert (c.kind, c.found, c.suggestion) == ("formulation", "政治自信", "制度自信")
    assert text[c.start:c.end] == "政治自信"
    assert "道路自信、理论自信、制度自信、文化自信" in c.explanation


def test_wrong_member_of_four_consciousness_and_five_in_one(checker: PoliticalChecker) -> None:
    [c] = checker.check("树立“四个意识”，即政治意识、大局意识、核心意识、服务意识。", AS_OF)
    assert (c.found, c.suggestion) == ("服务意识", "看齐意识")
    [c] = checker.check("“五位一体”总体布局：经济建设、政治建设、文化建设、社会建设、生态建设。", AS_OF)
    assert (c.found, c.suggestion) == ("生态建设", "生态文明建设")


def test_list_without_the_formulation_is_not_judged(checker: PoliticalChecker) -> None:
    assert checker.check("坚定道路自信、理论自信、政治自信。", AS_OF) == []


def test_four_comprehensives_outdated_member(checker: PoliticalChecker) -> None:
    text = "协调推进“四个全面”战略布局，即全面建成小康社会、全面深化改革、全面依法治国、全面从严治党。"
    [c] = checker.check(text, AS_OF)
    assert (c.found, c.suggestion) == ("全面建成小康社会", "全面建设社会主义现代化国家")


@pytest.mark.parametrize(("text", "found", "suggestion"), [
    ("学习贯彻党的二十大三中全会精神。", "二十大三中全会", "二十届三中全会"),
    ("中国共产党第二十届全国代表大会开幕。", "中国共产党第二十届全国代表大会", "中国共产党第二十次全国代表大会"),
    ("学习党的第二十大报告。", "党的第二十大", "党的二十大"),
])
def test_ordinals(checker: PoliticalChecker, text: str, found: str, suggestion: str) -> None:
    [c] = checker.check(text, AS_OF)
    assert (c.kind, c.found, c.suggestion) == ("formulation", found, suggestion)


def test_plenum_mentioned_long_before_it_was_held(checker: PoliticalChecker) -> None:
    [c] = checker.check("学习贯彻二十届三中全会精神。", date(2024, 1, 1))
    assert c.found == "二十届三中全会" and "尚未召开" in c.explanation
    assert c.suggestion == "二十届二中全会"
    assert checker.check("学习贯彻二十届三中全会精神。", date(2024, 8, 1)) == []


def test_unverified_wrong_variant_is_labelled(checker: PoliticalChecker) -> None:
    [c] = checker.check("树立四种意识。", AS_OF)
    assert c.suggestion == "四个意识" and c.verified is False
