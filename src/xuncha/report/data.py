"""From the store to a ``RunReport``: load a run's latest judgement, the inspectors' reviews and
bonus entries, score every target under a rule set, and compare with the runs before it.

Nothing is fetched: switching the rule set re-scores the stored findings.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import yaml

from xuncha.errors import ConfigError
from xuncha.model import Finding, TargetResult, Verdict
from xuncha.scoring.aggregate import PastRun, RunReport, build_report
from xuncha.scoring.engine import score_results
from xuncha.scoring.ruleset import RuleSet
from xuncha.settings import TZ
from xuncha.store import Store

PREVIOUS_RUNS = 4  # how far back repeat offenders are traced
MIN_GAP = timedelta(days=7)  # a "previous" run is a previous round, not a re-run the same week
CACHED_RUNS = 16  # finished runs whose results a Store keeps in memory (LRU)


class _ResultCache:
    """The per-target results of finished runs, kept per ``Store`` object (the web console
    re-scores on every request; loading a province's findings is the expensive part).

    The key is (run, latest judgement): a finished run's results only change by a rejudge,
    which adds a judgement. Runs still running are never cached. Reviews are not cached:
    they are read on every scoring. Callers must treat the lists as read-only."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: OrderedDict[tuple[int, int], list[TargetResult]] = OrderedDict()

    def get(self, store: Store, run_id: int) -> list[TargetResult]:
        run = store.get_run(run_id)
        js = store.judgements(run_id)
        if run.status == "running" or not js:
            return store.target_results(run_id)
        key = (run_id, js[-1].id)
        with self.lock:
            hit = self.entries.get(key)
            if hit is not None:
                self.entries.move_to_end(key)
                return hit
        results = store.target_results(run_id)
        with self.lock:
            self.entries[key] = results
            for old in [k for k in self.entries if k[0] == run_id and k != key]:
                del self.entries[old]
            while len(self.entries) > CACHED_RUNS:
                self.entries.popitem(last=False)
        return results


_caches_lock = threading.Lock()


def target_results(store: Store, run_id: int) -> list[TargetResult]:
    """``store.target_results(run_id)``, from the store's in-memory cache for finished runs."""
    cache = getattr(store, "_xuncha_result_cache", None)
    if cache is None:
        with _caches_lock:
            cache = getattr(store, "_xuncha_result_cache", None)
            if cache is None:
                cache = _ResultCache()
                store._xuncha_result_cache = cache  # type: ignore[attr-defined]
    return cache.get(store, run_id)


def load_bonus(path: str | Path | None, as_of: datetime | None = None) -> list[Finding]:
    """Bonus points entered by inspectors (indicators.md §2.3), YAML:

        网站标识码:
          W.BONUS.PUB: {points: 3, evidence: 图解、视频解读丰富, url: https://…}
    """
    if not path:
        return []
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"加分文件 {p} 无法读取：{exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"加分文件 {p} 格式应为：网站标识码 → {{W.BONUS.PUB: {{points: 分值, evidence: 依据}}}}")
    out = []
    for tid, entries in data.items():
        if not isinstance(entries, dict):
            raise ConfigError(f"加分文件 {p} 中 {tid} 的内容应为映射")
        for code, e in entries.items():
            e = e if isinstance(e, dict) else {"points": e}
            pts = e.get("points")
            if not str(code).startswith("W.BONUS.") or not isinstance(pts, int | float) or pts < 0:
                raise ConfigError(f"加分文件 {p} 中 {tid}.{code}：代码应为 W.BONUS.*，points 应为非负数")
            out.append(Finding(
                target_id=str(tid), code=str(code), severity="advisory", url=str(e.get("url", "")),
                evidence=str(e.get("evidence", "人工录入加分")), detected_at=as_of or datetime.now(TZ),
                detail={"points": float(pts)},
            ))
    return out


def _with_extra(results: list[TargetResult], extra: list[Finding]) -> list[TargetResult]:
    if not extra:
        return results
    by_target: dict[str, list[Finding]] = {}
    for f in extra:
        by_target.setdefault(f.target_id, []).append(f)
    return [replace(r, findings=[*r.findings, *by_target[r.target.id]]) if r.target.id in by_target else r
            for r in results]


def owner_verdicts(verdicts: list[Verdict], owner: str, run_id: int) -> list[Verdict]:
    """The verdicts of the targets a unit owns; a clear error listing the owners otherwise."""
    mine = [v for v in verdicts if v.target.owner == owner]
    if not mine:
        owners = sorted({v.target.owner for v in verdicts if v.target.owner})
        raise ConfigError(f"运行 #{run_id} 中没有主管单位为「{owner}」的网站或账号（可选：{'、'.join(owners)}）")
    return mine


def run_as_of(store: Store, run_id: int) -> datetime:
    """The monitoring point of the run's latest judgement (a rejudge may have moved it)."""
    js = store.judgements(run_id)
    return js[-1].as_of if js else store.get_run(run_id).as_of


def score_run(store: Store, run_id: int, rs: RuleSet, *, bonus: list[Finding] | None = None) -> list[Verdict]:
    results = target_results(store, run_id)
    reviews = store.reviews([r.target.id for r in results])
    return score_results(_with_extra(results, bonus or []), rs, reviews)


def previous_runs(store: Store, run_id: int, as_of: datetime, limit: int = PREVIOUS_RUNS) -> list[int]:
    """Finished runs of earlier rounds (monitoring point at least a week before), most recent first."""
    older = [r for r in store.runs(limit=200) if r.id != run_id and r.status == "done" and r.as_of <= as_of - MIN_GAP]
    older.sort(key=lambda r: (r.as_of, r.id), reverse=True)
    return [r.id for r in older[:limit]]


def load_run_report(
    store: Store, run_id: int, rs: RuleSet, *, bonus: list[Finding] | None = None, compare: bool = True
) -> RunReport:
    as_of = run_as_of(store, run_id)
    verdicts = score_run(store, run_id, rs, bonus=bonus)
    past = []
    if compare:
        for pid in previous_runs(store, run_id, as_of):
            past.append(PastRun(pid, run_as_of(store, pid), score_run(store, pid, rs)))
    return build_report(run_id, as_of, verdicts, rs, past)
