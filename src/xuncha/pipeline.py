"""The main job: registry → collect → snapshot store → checks → findings → reports.

``inspect`` fetches and judges; ``rejudge`` judges stored snapshots again (another as-of,
other thresholds) without fetching; ``monitor`` probes every running site on a schedule so that
the 7-day unreachability rule can be judged from real history.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

import yaml

from xuncha.checks import CheckContext, early_warnings, run_checks
from xuncha.checks.security import key_page_fingerprint
from xuncha.collect.http import Fetcher
from xuncha.collect.probe import probe_home
from xuncha.collect.site import collect_site, probe_only
from xuncha.errors import ConfigError
from xuncha.extract.site import extract_site
from xuncha.model import AccountSnapshot, Finding, Probe, SiteSnapshot, Target, TargetResult
from xuncha.registry import STATUS_LABELS, load_registry
from xuncha.registry.tasks import load_repost_tasks
from xuncha.report import write_reports
from xuncha.scoring import RuleSet, load_ruleset
from xuncha.settings import TZ, Settings
from xuncha.store import Store

NOT_RUNNING_REASON = {
    "closed": "名录状态为关停，不纳入检查（仅核对是否仍可访问）",
    "cancelled": "名录状态为注销，不纳入检查（仅核对是否仍可访问）",
    "building": "名录状态为建设中，不纳入检查",
    "suspended": "名录状态为临时关停，不纳入检查",
}
MEDIA_NOT_RUNNING = "名录状态为{status}，不纳入检查"


class ProgressSink(Protocol):
    def run_started(self, total: int) -> None: ...
    def site_started(self, target: Target) -> None: ...
    def site_progress(self, target: Target, done: int, total: int) -> None: ...
    def site_done(self, target: Target, result: TargetResult) -> None: ...


class NullProgress:
    def run_started(self, total: int) -> None: ...
    def site_started(self, target: Target) -> None: ...
    def site_progress(self, target: Target, done: int, total: int) -> None: ...
    def site_done(self, target: Target, result: TargetResult) -> None: ...


@dataclass
class RunOutcome:
    run_id: int
    results: list[TargetResult]
    reports: dict[str, Path] = field(default_factory=dict)
    judgement_id: int | None = None


def load_overrides(path: str | Path | None) -> dict[str, dict[str, str]]:
    """Per-site column class overrides: YAML {site id: {column URL or name: CLASS}}."""
    if not path:
        return {}
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"栏目分类覆盖文件 {p} 无法读取：{exc}") from exc
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ConfigError(f"栏目分类覆盖文件 {p} 格式应为：网站标识码 → {{栏目网址或名称: 类别}}")
    return {str(k): {str(a): str(b).upper() for a, b in v.items()} for k, v in data.items()}


def judge(
    snapshot: SiteSnapshot,
    as_of: datetime,
    settings: Settings,
    *,
    probe_history: list[Probe] | None = None,
    overrides: dict[str, str] | None = None,
    codes: list[str] | None = None,
    baseline: dict[str, object] | None = None,
) -> list[Finding]:
    """Extract the structure of a stored snapshot and run the checks (pure, offline).

    The rule set of ``settings.ruleset`` adjusts the thresholds and adds its early warnings.
    """
    site = extract_site(snapshot, as_of.astimezone(TZ).date(), overrides)
    rs = load_ruleset(settings.ruleset)
    ctx = CheckContext(
        target=snapshot.target,
        snapshot=snapshot,
        site=site,
        as_of=as_of,
        thresholds=rs.apply_thresholds(settings.thresholds),
        probe_history=probe_history or [],
        baseline=baseline,
    )
    return _with_warnings(ctx, run_checks(ctx, codes), rs, codes)


def _with_warnings(ctx: CheckContext, findings: list[Finding], rs: RuleSet, codes: list[str] | None) -> list[Finding]:
    if codes is not None:
        return findings
    return findings + early_warnings(ctx, findings, ((w.name, w.code, w.thresholds) for w in rs.warnings))


def inconclusive_reasons(findings: list[Finding]) -> list[str]:
    """Distinct reasons why checks could not judge, one line per cause.

    When the home page could not be fetched every home-based check says so; a person needs
    the cause once, with the number of checks it blocked.
    """
    groups: dict[str, int] = {}
    for f in findings:
        if f.severity != "inconclusive":
            continue
        cause = f.evidence.split("，无法")[0] if "，无法" in f.evidence else f.evidence
        groups[cause] = groups.get(cause, 0) + 1
    return [cause if n == 1 else f"{cause}（{n} 项检查因此无法判断）" for cause, n in groups.items()][:10]


def judge_account(
    account: AccountSnapshot,
    as_of: datetime,
    settings: Settings,
    *,
    peers: list[Target] | None = None,
    repost_tasks: list[dict[str, object]] | None = None,
    codes: list[str] | None = None,
) -> list[Finding]:
    """Run the new-media checks on a collected (or stored) account snapshot (pure, offline)."""
    rs = load_ruleset(settings.ruleset)
    ctx = CheckContext(
        target=account.target, snapshot=None, site=None, as_of=as_of,
        thresholds=rs.apply_thresholds(settings.thresholds),
        account=account, peers=peers or [], repost_tasks=repost_tasks or [],
    )
    return _with_warnings(ctx, run_checks(ctx, codes), rs, codes)


def account_result(account: AccountSnapshot, findings: list[Finding]) -> TargetResult:
    from xuncha.collect.media.health import fresh_posts

    res = TargetResult(target=account.target, findings=findings, health=account.health,
                       health_detail=account.health_detail)
    res.pages_crawled = len(account.documents)
    dated = [p.published_at for p in fresh_posts(account.posts, account.fetched_at) if p.published_at]
    res.latest_post = max(dated) if dated else None
    res.inconclusive_reasons = inconclusive_reasons(findings)
    return res


def previous_fingerprint(store: Store, target_id: str, run_id: int) -> dict[str, object] | None:
    """Key-page fingerprint of the target's previous stored run (tampering baseline)."""
    prev = store.previous_snapshot_run(target_id, run_id)
    if prev is None:
        return None
    return key_page_fingerprint(store.load_snapshot(prev, target_id))


def _result(target: Target, snapshot: SiteSnapshot | None, findings: list[Finding]) -> TargetResult:
    res = TargetResult(target=target, findings=findings)
    if snapshot is not None:
        res.pages_crawled = sum(1 for p in snapshot.pages if p.role != "script")
        res.inconclusive_reasons = inconclusive_reasons(findings)
    return res


async def inspect_async(
    registry_path: str | Path | None = None,
    *,
    as_of: datetime,
    out: Path,
    settings: Settings,
    skip_bad_rows: bool = False,
    overrides_path: str | Path | None = None,
    only: list[str] | None = None,
    progress: ProgressSink | None = None,
    repost_tasks_path: str | Path | None = None,
    targets: list[Target] | None = None,
    repost_tasks: list[dict[str, object]] | None = None,
    on_run: Callable[[int], None] | None = None,
    run_meta: dict[str, object] | None = None,
) -> RunOutcome:
    """Inspect the registry's targets (all, or those in ``only``) and store everything.

    The registry is the file ``registry_path``, or ``targets`` already loaded (the console's
    stored registry); every one of them is a peer for the new-media duplicate check, also when
    ``only`` picks some. Repost tasks likewise come from ``repost_tasks_path`` or ``repost_tasks``.
    ``on_run`` is called with the new run's id as soon as the run exists; ``run_meta`` is kept
    in the run's settings under ``meta`` (who started it, from where). Cancelling the task ends
    the run ``cancelled``, keeping what was collected.
    """
    progress = progress or NullProgress()
    if targets is None:
        if registry_path is None:
            raise ValueError("inspect_async needs registry_path or targets")
        peers = load_registry(registry_path, skip_bad_rows=skip_bad_rows).targets
    else:
        peers = list(targets)
    overrides = load_overrides(overrides_path)
    tasks = list(repost_tasks) if repost_tasks is not None else load_repost_tasks(repost_tasks_path)
    targets = [t for t in peers if not only or t.id in only]
    store = Store(settings.db_url)
    run_settings: dict[str, object] = {"collect": settings.collect.__dict__ | {"resolve": None}}
    if run_meta:
        run_settings["meta"] = dict(run_meta)
    run_id = store.create_run(as_of, str(registry_path) if registry_path is not None else "名录库", run_settings)
    if on_run is not None:
        on_run(run_id)
    ruleset = load_ruleset(settings.ruleset)  # fail early on a bad rule set
    judgement_id = store.new_judgement(run_id, as_of, "inspect", ruleset=ruleset.id)
    results: dict[str, TargetResult] = {}
    week_start = as_of - timedelta(days=7)
    progress.run_started(len(targets))
    sem = asyncio.Semaphore(max(1, settings.collect.sites_concurrency))

    async def one(target: Target, fetcher: Fetcher) -> None:
        if target.kind != "website":
            res = await account(target, fetcher)
        elif target.status != "running":
            res = TargetResult(target=target, inspected=False, skipped_reason=NOT_RUNNING_REASON[target.status])
            if target.status in ("closed", "cancelled") and target.url:
                async with sem:
                    snap = await probe_only(fetcher, target)
                await asyncio.to_thread(store.save_snapshot, run_id, snap)
                res.findings = await asyncio.to_thread(
                    judge, snap, as_of, settings, codes=["W.REGISTRY.MISMATCH"]
                )
        else:
            async with sem:
                progress.site_started(target)
                snap = await collect_site(
                    fetcher, target, settings.collect, as_of, thresholds=settings.thresholds,
                    progress=lambda d, t: progress.site_progress(target, d, t),
                )
            await asyncio.to_thread(store.save_snapshot, run_id, snap)
            history = await asyncio.to_thread(store.probes, target.id, week_start, as_of)
            baseline = await asyncio.to_thread(previous_fingerprint, store, target.id, run_id)
            findings = await asyncio.to_thread(
                judge, snap, as_of, settings, probe_history=history, overrides=overrides.get(target.id),
                baseline=baseline,
            )
            res = _result(target, snap, findings)
        await asyncio.to_thread(store.save_target_result, run_id, res)
        await asyncio.to_thread(store.save_findings, run_id, judgement_id, res.findings)
        results[target.id] = res
        progress.site_done(target, res)

    async def account(target: Target, fetcher: Fetcher) -> TargetResult:
        from xuncha.collect.media import collect_account

        running = target.status == "running"
        if not running and target.status not in ("closed", "cancelled"):
            label = STATUS_LABELS.get(target.status, target.status)
            return TargetResult(target=target, inspected=False, skipped_reason=MEDIA_NOT_RUNNING.format(status=label))
        async with sem:
            progress.site_started(target)
            snap = await collect_account(fetcher, target, as_of)
        await asyncio.to_thread(store.save_account_snapshot, run_id, snap)
        findings = await asyncio.to_thread(
            judge_account, snap, as_of, settings, peers=peers, repost_tasks=tasks,
            codes=None if running else ["M.REGISTRY.MISMATCH"],
        )
        res = account_result(snap, findings)
        if not running:
            res.inspected = False
            res.skipped_reason = NOT_RUNNING_REASON[target.status]
        return res

    status = "failed"
    try:
        async with Fetcher(settings.collect) as fetcher:
            await asyncio.gather(*(one(t, fetcher) for t in targets))
        status = "done"
    except asyncio.CancelledError:
        status = "cancelled"
        raise
    finally:
        ordered = [results[t.id] for t in targets if t.id in results]
        store.finish_run(run_id, status, _counts(ordered))
        store.close()
    reports = write_reports(ordered, out, as_of=as_of, run_id=run_id)
    return RunOutcome(run_id, ordered, reports, judgement_id)


def _counts(results: list[TargetResult]) -> dict[str, int]:
    return {
        "targets": len(results),
        "inspected": sum(1 for r in results if r.inspected),
        "vetoed": sum(1 for r in results if r.inspected and r.veto_codes),
        "findings": sum(len(r.findings) for r in results),
    }


def rejudge(
    run_id: int,
    *,
    as_of: datetime,
    out: Path,
    settings: Settings,
    overrides_path: str | Path | None = None,
    on_target: Callable[[Target], None] | None = None,
    repost_tasks_path: str | Path | None = None,
) -> RunOutcome:
    """Judge the stored snapshots of a run again, at another as-of date; nothing is fetched."""
    overrides = load_overrides(overrides_path)
    with Store(settings.db_url) as store:
        store.get_run(run_id)  # raises StoreError naming the run when unknown
        judgement_id = store.new_judgement(run_id, as_of, "rejudge", ruleset=load_ruleset(settings.ruleset).id)
        previous = {r.target.id: r for r in store.target_results(run_id)}
        results: dict[str, TargetResult] = {}
        for snap in store.iter_snapshots(run_id):
            target = snap.target
            if on_target:
                on_target(target)
            if target.status != "running":
                findings = judge(snap, as_of, settings, codes=["W.REGISTRY.MISMATCH"])
                prev = previous.get(target.id)
                res = TargetResult(target=target, inspected=False,
                                   skipped_reason=prev.skipped_reason if prev else "", findings=findings)
            else:
                history = store.probes(target.id, as_of - timedelta(days=7), as_of)
                findings = judge(snap, as_of, settings, probe_history=history, overrides=overrides.get(target.id),
                                 baseline=previous_fingerprint(store, target.id, run_id))
                res = _result(target, snap, findings)
            store.save_findings(run_id, judgement_id, findings)
            results[target.id] = res
        peers = [r.target for r in previous.values()]
        tasks = load_repost_tasks(repost_tasks_path)
        for acct in store.iter_account_snapshots(run_id):
            running = acct.target.status == "running"
            findings = judge_account(acct, as_of, settings, peers=peers, repost_tasks=tasks,
                                     codes=None if running else ["M.REGISTRY.MISMATCH"])
            store.save_findings(run_id, judgement_id, findings)
            res = account_result(acct, findings)
            if not running:
                prev = previous.get(acct.target.id)
                res.inspected, res.skipped_reason = False, prev.skipped_reason if prev else ""
            results[acct.target.id] = res
        ordered = [results.get(tid) or TargetResult(target=r.target, inspected=False, skipped_reason=r.skipped_reason)
                   for tid, r in previous.items()]
    reports = write_reports(ordered, out, as_of=as_of, run_id=run_id)
    return RunOutcome(run_id, ordered, reports, judgement_id)


async def monitor_async(
    registry_path: str | Path,
    *,
    settings: Settings,
    interval_s: float = 3600.0,
    jitter_s: float = 300.0,
    rounds: int | None = None,
    on_round: Callable[[int, list[Probe]], None] | None = None,
) -> int:
    """Probe every running website each ``interval_s`` (± jitter) and store every probe.

    Default 60 min ± 5 min gives 24 probes a day (indicators.md §1: ≥ 20 a day). Returns the
    number of probes stored. ``rounds`` bounds the loop (None = until interrupted).
    """
    registry = load_registry(registry_path, skip_bad_rows=True)
    targets = [t for t in registry.targets if t.kind == "website" and t.status == "running"]
    stored = 0
    n = 0
    with Store(settings.db_url) as store:
        async with Fetcher(settings.collect) as fetcher:
            while rounds is None or n < rounds:
                probes = list(await asyncio.gather(*(probe_home(fetcher, t) for t in targets)))
                store.add_probes(probes)
                stored += len(probes)
                n += 1
                if on_round:
                    on_round(n, probes)
                if rounds is not None and n >= rounds:
                    break
                await asyncio.sleep(max(0.0, interval_s + random.uniform(-jitter_s, jitter_s)))
    return stored
