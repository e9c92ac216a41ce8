"""Alembic migrations of the store, run programmatically (no alembic.ini).

``upgrade(engine)`` brings a database to the newest schema; a Store calls it on every open, and
it returns at once when the database is already at head. To write a new migration after
changing ``store/models.py``::

    from alembic import command
    from xuncha.store.migrations import alembic_config
    command.revision(alembic_config("sqlite:///dev.db"), message="add x", autogenerate=True,
                     rev_id="0002")

(the database given must be at head; the new file lands in ``migrations/versions``).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).resolve().parent

# Key of the PostgreSQL advisory lock held while migrating, so that two processes opening the
# same fresh database do not both create the tables ("xuncha" in ASCII).
_PG_LOCK_KEY = 0x78756E636861


def alembic_config(url: str | None = None, connection: sa.Connection | None = None) -> Config:
    """An Alembic Config pointing at this folder; give a URL or an open connection."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["url"] = url
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str | None:
    """The newest revision shipped with this package."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: sa.Connection) -> str | None:
    """The revision recorded in the database (None for an empty database)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: sa.Engine) -> bool:
    """Migrate the database behind ``engine`` to head. Returns True when anything ran."""
    head = head_revision()
    with engine.begin() as conn:
        # Serialise concurrent openers (``xuncha monitor`` and ``xuncha inspect`` started
        # together on a fresh database): the second waits, then finds the schema at head.
        if conn.dialect.name == "postgresql":
            # Transaction-scoped: released by the commit at the end of this block.
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        elif conn.dialect.name == "sqlite":
            # Take the write lock now (the driver would only begin at the first DML); SQLite
            # DDL is transactional, so the whole upgrade commits or rolls back as one.
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        if current_revision(conn) == head:
            return False
        command.upgrade(alembic_config(connection=conn), "head")
        return True
