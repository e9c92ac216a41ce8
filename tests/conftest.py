"""Fixtures shared by every test folder: scratch PostgreSQL databases.

The PostgreSQL tests need the server at 127.0.0.1:5432 (user postgres, trust auth; CI starts
it). Each database made by ``pg_database`` is dropped at the end of the session. When the server
is down these tests FAIL; deselect them locally with ``-m "not postgres"``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

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
