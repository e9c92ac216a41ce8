"""Fixtures: a Store on SQLite (tmp_path) and, under the ``postgres`` mark, on the local server.

The PostgreSQL tests need the server at 127.0.0.1:5432 (user postgres, trust auth). A fresh
database ``xuncha_test_<random>`` is created for the test session and dropped at the end. When
the server is down these tests FAIL (CI starts PostgreSQL); deselect them locally with
``-m "not postgres"``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from xuncha.store import Store

# Overridable for unusual setups; the default is what CI starts.
PG_ADMIN_DSN = os.environ.get("XUNCHA_TEST_PG_DSN", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")


def _pg_url(name: str) -> str:
    info = conninfo_to_dict(PG_ADMIN_DSN)
    host, port, user = info.get("host", "127.0.0.1"), info.get("port", "5432"), info.get("user", "postgres")
    return f"postgresql://{user}@{host}:{port}/{name}"


@pytest.fixture(scope="session")
def pg_database() -> Iterator[Callable[[], str]]:
    """Factory of fresh PostgreSQL databases (URLs); all are dropped at session end."""
    try:
        admin = psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is not reachable with {PG_ADMIN_DSN!r}: "
            f"{str(exc).strip().splitlines()[0]}. The store's postgres tests need it: "
            "start the server (CI does), or deselect them with -m 'not postgres'.",
            pytrace=False,
        )
    created: list[str] = []

    def create() -> str:
        name = f"xuncha_test_{secrets.token_hex(6)}"
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        created.append(name)
        return _pg_url(name)

    try:
        yield create
    finally:
        for name in created:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


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
