"""Tests of xuncha.store (SQLite always, PostgreSQL under the `postgres` mark)."""
