"""xuncha.store: snapshots, runs, judgements, findings and probes in SQLite or PostgreSQL.

    with Store("sqlite:///xuncha.db") as store:
        run_id = store.create_run(as_of, "registry.xlsx", settings_dict)
        store.save_snapshot(run_id, snapshot)
        ...
"""

from xuncha.store.errors import StoreError
from xuncha.store.store import DEFAULT_URL, JudgementInfo, RunInfo, Store, normalise_url

__all__ = ["DEFAULT_URL", "JudgementInfo", "RunInfo", "Store", "StoreError", "normalise_url"]
