"""The statistical confusable-character detector: clear-cut slips are found, with evidence."""

from __future__ import annotations

import pytest

from xuncha.text.typos import TypoChecker

from .conftest import pairs


@pytest.mark.parametrize(
    ("text", "found", "suggestion", "word"),
    [
        ("努力开创新局面，取得新成绩，创造新辉黄。", "黄", "煌", "辉煌"),
        ("请符合条件的人员按时报名并参加考式。", "式", "试", "考试"),
        ("改善群众出行条件，让农民群众共享发展成果，提高生活质亮。", "亮", "量", "质量"),
        ("推动共同富裕取得实质性进展，为全面建设社会主义现代化国家贡献力亮。", "亮", "量", "力量"),
        ("领导干部要做到聚精汇神抓落实。", "汇", "会", "聚精会神"),
    ],
)
def test_clear_cut_confusable(checker: TypoChecker, text: str, found: str, suggestion: str, word: str) -> None:
    hits = [h for h in checker.check(text) if h.rule == "confusable"]
    if not hits:  # 聚精汇神 is also a dictionary entry; the detector must still agree
        hits = TypoChecker(rules=[]).check(text)
    assert [(h.found, h.suggestion) for h in hits] == [(found, suggestion)]
    hit = hits[0]
    assert text[hit.start:hit.end] == found and hit.end - hit.start == 1
    assert word in hit.explanation
    assert 0.5 <= hit.confidence <= 0.95
    assert checker.correct(text) == text[:hit.start] + suggestion + text[hit.end:]


@pytest.mark.parametrize(
    "text",
    [
        "他的字写得很漂亮，跑得很快，高兴地说。",  # 的/地/得 used right
        "他写的很漂亮，跑的很快，高兴的说。",  # 的/地/得 misused: out of scope
        "我们要认认真真学习，看看、想想、聊一聊。",  # reduplication
        "顺著社会的进步，网路科学不断发展。",  # Taiwan-style 著 / 网路
        "张爱文、王天华和林小安参加了座谈。",  # names
        "ABC公司于2024年3月在XY路12号开业。",  # Latin letters and digits
    ],
)
def test_not_flagged(checker: TypoChecker, text: str) -> None:
    assert [h for h in checker.check(text) if h.rule == "confusable"] == []


def test_de_di_de_never_flagged(checker: TypoChecker) -> None:
    text = "他认真的学习，开心得笑了，写地很好，跑的飞快。"
    assert all(not set("的地得") & set(h.found + h.suggestion) for h in checker.check(text))


def test_correct_abstains_when_the_sentence_stays_suspicious() -> None:
    """Two slips, one below the reporting threshold: a partial correction is not made."""
    checker = TypoChecker()
    text = "群众满意度明显提声，努力开创新局面，创造新辉黄。"
    assert ("黄", "煌") in pairs(checker, text)
    assert checker.correct(text) == text
