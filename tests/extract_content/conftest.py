"""Shared fixtures for the content-structure extractors: fixture pages and snapshot builders."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from xuncha.model import Page, SiteSnapshot, Target

FIXTURES = Path(__file__).parent / "fixtures"


def _load(name: str) -> str:
    """A fixture page as decoded text (gbk_* fixtures are stored as GBK bytes, as on the wire)."""
    raw = (FIXTURES / name).read_bytes()
    return raw.decode("gbk") if name.startswith("gbk_") else raw.decode("utf-8")


def _snapshot(home_url: str, pages: list[Page]) -> SiteSnapshot:
    return SiteSnapshot(
        target=Target(id="T1", kind="website", name="测试站点", url=home_url),
        home_url=home_url,
        started_at=datetime(2025, 3, 15, 9, 0),
        pages=pages,
    )


@pytest.fixture
def load() -> Callable[[str], str]:
    return _load


@pytest.fixture
def make_snapshot() -> Callable[[str, list[Page]], SiteSnapshot]:
    return _snapshot
