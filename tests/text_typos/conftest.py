"""Shared fixtures for the typo checker tests (xuncha.text.typos)."""

from __future__ import annotations

from pathlib import Path

import pytest

from xuncha.text.typos import TypoChecker, default_checker

HERE = Path(__file__).parent


@pytest.fixture(scope="session")
def checker() -> TypoChecker:
    """The process-wide checker (model built once for the whole session)."""
    return default_checker()


@pytest.fixture(scope="session")
def clean_article() -> str:
    """A ~3,000-character government news article without a single typo."""
    return (HERE / "article_clean.txt").read_text(encoding="utf-8")


def pairs(checker: TypoChecker, text: str) -> list[tuple[str, str]]:
    """(found, suggestion) of every hit, checking that offsets point at ``found``."""
    out = []
    for h in checker.check(text):
        assert text[h.start:h.end] == h.found
        out.append((h.found, h.suggestion))
    return out
