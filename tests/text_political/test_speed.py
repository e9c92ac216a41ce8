"""Throughput on 5 MB of ordinary text (CPU time, generous bound; target ≥ 20 MB/s)."""

from __future__ import annotations

import time

from xuncha.text.political import PoliticalChecker

from ._corpus import AS_OF, ordinary_corpus


def test_five_megabytes_of_ordinary_text(checker: PoliticalChecker) -> None:
    text = ordinary_corpus(5_000_000)
    size = len(text.encode("utf-8"))
    assert size >= 5_000_000
    t0 = time.process_time()
    cands = checker.check(text, AS_OF)
    cpu = time.process_time() - t0
    rate = size / max(cpu, 1e-9) / 1e6
    print(f"\npolitical check: {size / 1e6:.1f} MB in {cpu:.3f} s CPU = {rate:.1f} MB/s")
    assert cands == []  # correct official sentences embedded in word soup: nothing fires
    assert rate >= 5.0, f"{rate:.1f} MB/s"
