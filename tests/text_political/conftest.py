"""Shared fixture for the political-expression checker: one checker per session."""

from __future__ import annotations

import pytest

from xuncha.text.political import PoliticalChecker, default_checker


@pytest.fixture(scope="session")
def checker() -> PoliticalChecker:
    return default_checker()
