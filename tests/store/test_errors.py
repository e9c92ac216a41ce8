"""Errors users can meet are StoreError, in Chinese, naming the URL or run but never a password."""

from __future__ import annotations

import re

import pytest

from xuncha.store import Store, StoreError, normalise_url
from xuncha.store.errors import mask_url

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    "url",
    ["not a url", "", "xuncha.db", "mysql://admin:topsecret@db.example/xuncha", "postgresql://u:topsecret@h"],
)
def test_bad_url(url: str) -> None:
    with pytest.raises(StoreError) as err:
        Store(url)
    msg = str(err.value)
    assert CJK.search(msg), msg
    assert "topsecret" not in msg


def test_unreachable_postgres_names_url_not_password() -> None:
    with pytest.raises(StoreError) as err:
        Store("postgresql://postgres:topsecret@127.0.0.1:1/xuncha")
    msg = str(err.value)
    assert msg.startswith("无法打开数据库") and "127.0.0.1:1/xuncha" in msg
    assert "topsecret" not in msg


def test_normalise_url(tmp_path, monkeypatch) -> None:
    assert normalise_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    monkeypatch.chdir(tmp_path)
    u = normalise_url("sqlite:///data/x.db")  # relative to the current directory, folder created
    assert u.database == str(tmp_path / "data" / "x.db") and (tmp_path / "data").is_dir()
    assert mask_url("postgresql://u:p@ss@h/db") == "postgresql://u:***@h/db"


def test_unknown_run(store: Store) -> None:
    for call in (
        lambda: store.get_run(987654),
        lambda: store.finish_run(987654),
        lambda: store.new_judgement(987654, store.get_run(store.create_run(*_args())).as_of),
        lambda: store.load_snapshot(987654, "x"),
        lambda: store.targets(987654),
        lambda: store.findings(987654),
    ):
        with pytest.raises(StoreError, match="987654") as err:
            call()
        assert CJK.search(str(err.value))
    run = store.create_run(*_args())
    with pytest.raises(StoreError, match="没有网站 nope 的采集快照"):
        store.load_snapshot(run, "nope")


def _args() -> tuple:
    from .factory import T0

    return (T0, "r.csv", {})


def test_in_memory_sqlite() -> None:
    with Store("sqlite://") as st:
        run = st.create_run(*_args())
        assert st.latest_run_id() == run


def test_not_a_database_file(tmp_path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not sqlite " * 100)
    with pytest.raises(StoreError, match="无法打开数据库") as err:
        Store(f"sqlite:///{path}")
    assert str(path) in str(err.value)


def test_store_error_is_a_xuncha_error() -> None:
    """The CLI prints any XunchaError's message and exits 2."""
    from xuncha.errors import XunchaError

    assert issubclass(StoreError, XunchaError) and issubclass(StoreError, Exception)
