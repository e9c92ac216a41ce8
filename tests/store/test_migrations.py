"""The schema comes only from Alembic; it matches the models; reopening is a no-op."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from xuncha.store import Store, migrations
from xuncha.store.models import Base

from .factory import T0, make_snapshot

TABLES = {
    "runs", "judgements", "run_targets", "snapshots", "pages", "bodies", "link_checks",
    "net_checks", "search_attempts", "probes", "findings", "attachments", "alembic_version",
    "account_snapshots", "account_documents", "reviews",
    "users", "web_sessions", "login_failures", "audit_log",
    "rectify_cases", "rectify_events", "zhaocuo_messages", "consultations",
    "registry_entries", "registry_events", "repost_tasks",
}


def _check_fresh_and_reopen(url: str) -> None:
    with Store(url) as st:
        insp = sa.inspect(st.engine)
        assert set(insp.get_table_names()) == TABLES
        with st.engine.connect() as c:
            assert migrations.current_revision(c) == migrations.head_revision() >= "0003"
            mc = MigrationContext.configure(c, opts={"compare_type": True})
            assert compare_metadata(mc, Base.metadata) == []  # models == migrations
        run = st.create_run(T0, "r.csv", {})
        st.save_snapshot(run, make_snapshot("t1"))
    with Store(url) as st:  # reopen: nothing to migrate, data intact
        assert migrations.upgrade(st.engine) is False
        assert st.load_snapshot(run, "t1") == make_snapshot("t1")


def test_sqlite_fresh_database(tmp_path) -> None:
    _check_fresh_and_reopen(f"sqlite:///{tmp_path / 'new' / 'x.db'}")


@pytest.mark.postgres
def test_postgres_fresh_database(pg_database: Callable[[], str]) -> None:
    _check_fresh_and_reopen(pg_database())


def test_sqlite_pragmas(tmp_path) -> None:
    with Store(f"sqlite:///{tmp_path / 'x.db'}") as st, st.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_downgrade_and_upgrade_again(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with Store(url) as st:
        with st.engine.begin() as c:
            command.downgrade(migrations.alembic_config(connection=c), "base")
        assert set(sa.inspect(st.engine).get_table_names()) == {"alembic_version"}
        assert migrations.upgrade(st.engine) is True
        assert set(sa.inspect(st.engine).get_table_names()) == TABLES


def test_product_code_never_calls_create_all() -> None:
    from pathlib import Path

    import xuncha.store as pkg

    for path in Path(pkg.__file__).parent.rglob("*.py"):
        assert "create_all" not in path.read_text(encoding="utf-8"), path


def test_concurrent_first_open_sqlite(tmp_path) -> None:
    """Several processes opening one fresh SQLite file at once: one migrates, all succeed."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'race.db'}"
    code = f"from xuncha.store import Store; s = Store({url!r}); s.create_run(__import__('datetime').datetime.now(), 'r', {{}})"
    procs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE) for _ in range(4)]
    errors = [p.communicate(timeout=60)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    with Store(url) as st:
        assert len(st.runs()) == 4
