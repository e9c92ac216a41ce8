"""Public API, build time and throughput of the checker."""

from __future__ import annotations

import subprocess
import sys
import time

from xuncha.text import typos
from xuncha.text.typos import TypoChecker, TypoHit, correct, default_checker


def test_default_checker_is_cached() -> None:
    assert default_checker() is default_checker()


def test_hit_fields(checker: TypoChecker) -> None:
    text = "请于本周内完成设备按装调试。"
    [hit] = checker.check(text)
    assert isinstance(hit, TypoHit)
    assert (hit.start, hit.end, hit.found, hit.suggestion, hit.rule) == (9, 11, "按装", "安装", "dict")
    assert hit.explanation.startswith("常见误用")


def test_module_level_correct() -> None:
    assert correct("请于本周内完成设备按装调试。") == "请于本周内完成设备安装调试。"
    assert correct("") == ""
    assert correct("没有错误的句子。") == "没有错误的句子。"


def test_empty_and_non_chinese(checker: TypoChecker) -> None:
    assert checker.check("") == []
    assert checker.check("Hello, world! 12345") == []


def test_model_builds_offline_and_fast() -> None:
    """Built from jieba's dict.txt and pypinyin's table in a fresh process (goal < 2 s)."""
    code = (
        "import time; t = time.perf_counter(); from xuncha.text.typos import TypoChecker; "
        "TypoChecker().model; print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds = float(out.stdout.strip())
    print(f"model build: {seconds:.2f} s")
    assert seconds < 6.0  # generous: the shared test machine is often loaded


def test_throughput(checker: TypoChecker, clean_article: str) -> None:
    """Goal >= 1 MB/s of CPU on ordinary text; asserted with a generous bound."""
    text = "\n".join([clean_article] * 20)
    checker.check(text)
    t0 = time.process_time()
    checker.check(text)
    seconds = time.process_time() - t0
    rate = len(text.encode("utf-8")) / seconds / 1e6
    print(f"typo check: {rate:.2f} MB/s")
    assert rate >= 0.3


def test_thresholds_are_documented() -> None:
    th = typos.ConfusableThresholds()
    assert th.min_gain > 0 and th.abstain_gain <= th.min_gain
