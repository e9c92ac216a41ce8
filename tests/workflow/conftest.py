"""Fixtures of the workflow tests: a Store on SQLite (tmp_path) and, under the ``postgres``
mark, on the local server (127.0.0.1:5432, trust auth; same pattern as tests/store), plus
small builders of targets and findings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest

from xuncha.model import Finding, Target
from xuncha.settings import TZ
from xuncha.store import Store


@pytest.fixture(scope="session")
def wf_pg_url(pg_database: Callable[[], str]) -> str:
    """One scratch PostgreSQL database for these tests (tests/conftest.py drops it at the end)."""
    return pg_database()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[Store]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'wf.db'}"
    else:
        url = request.getfixturevalue("wf_pg_url")
    with Store(url) as st:
        if request.param == "postgres":  # shared database: start each test empty
            with st.engine.begin() as c:
                c.exec_driver_sql("TRUNCATE rectify_events, rectify_cases, zhaocuo_messages, consultations "
                                  "RESTART IDENTITY CASCADE")
        yield st


@pytest.fixture
def sqlite_store(tmp_path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'wf.db'}") as st:
        yield st


def make_target(tid: str = "9901000099", owner: str = "测试市政府办公室", url: str = "http://www.test.gov.cn/",
                kind: str = "website", name: str = "测试市人民政府") -> Target:
    return Target(id=tid, kind=kind, name=name, url=url, owner=owner, category="政府门户网站",
                  flags=frozenset({"x"}), extra={"备注": "测试"})


def make_finding(target_id: str = "9901000099", code: str = "W.ID.FOOTER", url: str = "http://www.test.gov.cn/",
                 evidence: str = "底部功能区缺少网站标识码", **detail: object) -> Finding:
    return Finding(target_id=target_id, code=code, severity="deduct", url=url, evidence=evidence,
                   detected_at=datetime(2025, 9, 20, 10, 0, tzinfo=TZ), detail=dict(detail or {"mark": "site_code"}))


@pytest.fixture
def target_factory() -> Callable[..., Target]:
    return make_target


@pytest.fixture
def finding_factory() -> Callable[..., Finding]:
    return make_finding
