"""Correct text gives no hits: a full news article, and page boilerplate."""

from __future__ import annotations

import pytest

from xuncha.text.typos import TypoChecker

from .conftest import HERE, pairs


def test_clean_article_has_no_hits(checker: TypoChecker, clean_article: str) -> None:
    assert len(clean_article) >= 3000
    assert checker.check(clean_article) == []
    assert checker.correct(clean_article) == clean_article


def test_clean_notices_have_no_hits(checker: TypoChecker) -> None:
    """Appointments full of names, a statistical bulletin, a tender and a recruitment notice."""
    text = (HERE / "notices_clean.txt").read_text(encoding="utf-8")
    assert pairs(checker, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "京ICP备12345678号-1 京公网安备 11010502030143号",
        "沪公网安备31010102002333号",
        "网站标识码：1100000001 ICP备案号：粤ICP备05070829号",
        "主办单位：示例市人民政府办公室 承办单位：示例市大数据中心 网站标识码3301000001",
        "版权所有：示例市人民政府 地址：示例市人民路1号 邮编：310000 联系电话：0571-12345678",
    ],
)
def test_boilerplate_not_flagged(checker: TypoChecker, text: str) -> None:
    assert pairs(checker, text) == []
