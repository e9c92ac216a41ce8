"""Fixtures: a Store on SQLite (tmp_path) and, under the ``postgres`` mark, on the local server.

The PostgreSQL tests need the server at 127.0.0.1:5432 (user postgres, trust auth). A fresh
database ``xuncha_test_<random>`` is created for the test session and dropped at the end. When
the server is down these tests FAIL (CI starts PostgreSQL); deselect them locally with
``-m "not postgres"``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from xuncha.store import Store


@pytest.fixture(scope="session")
def pg_url(pg_database: Callable[[], str]) -> str:
    """The test session's PostgreSQL database (shared: tests must not assume it is empty)."""
    return pg_database()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'xuncha.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store(store_url) as st:
        yield st
