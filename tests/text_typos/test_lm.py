"""The language-model pass (xuncha.text.lm): Debian's libime word-trigram model re-reads the
sentences the first pass leaves alone. ``./dev test`` installs kenlm and the model."""

from __future__ import annotations

import logging

import pytest

from xuncha.text import lm
from xuncha.text.typos import TypoChecker

# From the DEV sets of bench/csc.py (pycorrector 0.3.1 eval_corpus.json, SIGHAN-2015 training
# pairs), not from the SIGHAN-2015 test file.
HOMOPHONES = [
    ("老师部置的作业我们必须及时完成。", "部", "布", "布置"),
    ("在这忙绿的社会里，一个家庭应该达到工作与生活的平衡。", "绿", "碌", "忙碌"),
]


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch, tmp_path):
    """The model path points at a missing file; the cached model is forgotten before and after."""
    monkeypatch.setenv(lm.ENV_VAR, str(tmp_path / "missing.lm"))
    lm.reset()
    yield
    monkeypatch.undo()
    lm.reset()


def test_model_is_installed() -> None:
    model = lm.get_lm()
    assert model is not None, "zh_CN.lm (libime-data-language-model) or kenlm missing: run ./dev test"
    assert len(model.vocab) > 100_000 and "布置" in model.vocab


@pytest.mark.parametrize(("text", "found", "suggestion", "word"), HOMOPHONES)
def test_lm_finds_homophone_the_first_pass_misses(
    checker: TypoChecker, text: str, found: str, suggestion: str, word: str
) -> None:
    assert TypoChecker(lm=False).check(text) == []
    assert TypoChecker(lm=False).correct(text) == text
    hits = checker.check(text)
    assert [(h.found, h.suggestion, h.rule) for h in hits] == [(found, suggestion, "lm")]
    hit = hits[0]
    assert text[hit.start:hit.end] == found
    assert word in hit.explanation and "语言模型" in hit.explanation
    assert 0.7 <= hit.confidence <= 0.9  # reported as a typo (deduct), applied by correct()
    assert checker.correct(text) == text[:hit.start] + suggestion + text[hit.end:]


@pytest.mark.parametrize("text", [t[:t.index(f)] + s + t[t.index(f) + 1:] for t, f, s, _ in HOMOPHONES])
def test_correct_sentence_unchanged(checker: TypoChecker, text: str) -> None:
    assert checker.check(text) == []
    assert checker.correct(text) == text


def test_given_names_are_left_alone(checker: TypoChecker) -> None:
    text = "免去赵丽娟的市卫生健康委员会副主任职务。"
    assert checker.check(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "城西街道多措并举抓好粮食安全。",  # official term missing from the LM's vocabulary
        "根据青政办发〔2026〕57号文件要求，现将有关事项通知如下。",  # document number
    ],
)
def test_official_writing_not_flagged(checker: TypoChecker, text: str) -> None:
    assert checker.check(text) == []
    assert checker.correct(text) == text


def test_page_budget_bounds_the_pass(clean_article: str) -> None:
    """Only the first ``page_budget`` characters of a call are re-read by the LM pass."""
    text = "老师部置的作业我们必须及时完成。" * 3
    small = TypoChecker(lm_thresholds=lm.LMThresholds(page_budget=20))
    assert [h.start for h in small.check(text)] == [2]
    assert len(TypoChecker().check(text)) == 3


def test_pass_off_when_model_missing(no_model, caplog: pytest.LogCaptureFixture) -> None:
    text = HOMOPHONES[0][0]
    with caplog.at_level(logging.INFO, logger="xuncha.text.lm"):
        assert lm.get_lm() is None
        assert lm.get_lm() is None
    assert len([r for r in caplog.records if r.name == "xuncha.text.lm"]) == 1  # logged once
    checker = TypoChecker()
    assert checker.lm_pass is None
    assert checker.check(text) == TypoChecker(lm=False).check(text) == []
    assert checker.correct(text) == text
    dict_hit = "请于本周内完成设备按装调试。"
    assert [(h.found, h.rule) for h in checker.check(dict_hit)] == [("按装", "dict")]
