"""Parsing in a worker process: same results as in-process, a wall-clock limit that really
stops a long parse, and recovery from a dead worker."""

from __future__ import annotations

import os
import signal
import threading
import time

from xuncha.extract.attachment_text import ExtractPool, extract_attachment, extract_isolated

from . import files as F


def test_worker_gives_the_same_result(pool: ExtractPool) -> None:
    for data, hint in [(F.make_xlsx(), "xlsx"), (F.people_pdf(), "pdf"), (F.make_docx(), "docx"),
                       (F.make_csv_gbk(), "csv"), (F.make_doc(["张三 " + F.ID1]), "doc"),
                       (F.zip_bomb(), "xlsx")]:
        assert extract_isolated(data, hint, pool=pool) == extract_attachment(data, hint)


def test_limits_are_passed_to_the_worker(pool: ExtractPool) -> None:
    res = pool.run(F.make_xlsx(), "xlsx", max_chars=60)
    assert res.truncated
    res = pool.run(F.zip_bomb(20 * 1024 * 1024, level=9), "xlsx", max_ratio=5000, max_unzipped=10 * 1024 * 1024)
    assert res.error == "zip_bomb"


def test_timeout_kills_the_worker_and_the_next_file_is_read(pool: ExtractPool) -> None:
    slow = F.make_pdf([[("latin", F.ID1 + " page")]] * 5000)  # ~0.7 s of parsing here
    pool.run(F.people_pdf(), "pdf")  # make sure a worker is up
    started = pool.started
    t = time.perf_counter()
    res = pool.run(slow, "pdf", timeout_s=0.15)
    elapsed = time.perf_counter() - t
    assert (res.kind, res.error, res.segments) == ("pdf", "timeout", [])
    assert elapsed < 0.15 + 0.5
    res = pool.run(F.make_xlsx(), "xlsx")  # a fresh worker takes over
    assert res.error is None and res.segments
    assert pool.started == started + 1


def test_a_worker_that_dies_gives_crashed_and_is_replaced() -> None:
    with ExtractPool(1) as p:
        assert p.run(F.people_pdf(), "pdf").error is None
        (worker,) = p._all
        slow = F.make_pdf([[("latin", "x")]] * 20000)
        killer = threading.Timer(0.3, lambda: os.kill(worker.proc.pid, signal.SIGKILL))
        killer.start()
        try:
            res = p.run(slow, "pdf", timeout_s=30)
        finally:
            killer.cancel()
        assert res.error == "crashed"
        assert p.run(F.people_pdf(), "pdf").error is None
        # a worker killed while idle is noticed and replaced before it is used
        (worker,) = p._all
        os.kill(worker.proc.pid, signal.SIGKILL)
        worker.proc.wait(5)
        assert p.run(F.people_pdf(), "pdf").error is None
        assert p.started == 3


def test_pool_runs_files_side_by_side() -> None:
    with ExtractPool(2) as p:
        results: list[object] = []
        threads = [threading.Thread(target=lambda: results.append(p.run(F.make_xlsx(), "xlsx"))) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert len(results) == 4 and all(r.error is None for r in results)  # type: ignore[attr-defined]
        assert p.started <= 2


def test_a_file_that_aborts_the_native_reader_only_costs_its_worker(pool: ExtractPool) -> None:
    """calamine_abort.xls (a few bytes of 名单.xls changed, found by fuzzing) makes calamine
    abort the whole process (a Rust allocation of ~100 GB): in-process it would kill the
    inspection; in the worker it is one "crashed" file."""
    res = pool.run(F.fixture("calamine_abort.xls"), "xls")
    assert (res.kind, res.error) == ("xls", "crashed")
    assert pool.run(F.fixture("名单.xls"), "xls").error is None


def test_default_pool() -> None:
    res = extract_isolated(F.make_csv_gbk(), "text/csv")  # a content type as the hint
    assert (res.kind, res.error) == ("csv", None) and res.segments
