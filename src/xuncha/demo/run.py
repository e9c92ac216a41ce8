"""``xuncha demo``: build the demo world, serve it on loopback, inspect it, check the manifest.

The inspection is the ordinary pipeline (``inspect_async``) run on the world's registry with
collection settings that reach only the loopback server (``DemoServer.collect_settings``).
Afterwards every target's findings are compared with ``manifest.json``: codes that must appear,
sites that must stay clean (no veto/deduct finding), targets that must be skipped. An
expected code whose check is not registered yet (not in ``xuncha.checks.REGISTRY``) and was
not reported is listed as 未接入 (pending), not as missing, so checks can be wired in one by
one. A new-media account that the pipeline skipped (account inspection not wired in
yet) has all its expected codes listed as 未接入 too. Accounts marked ``inconclusive`` (source
missing or blocked) must get an inconclusive result and never a veto. The comparison is written to
``OUT/manifest_check.json`` and returned as Chinese text.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from xuncha.demo.server import serve_world
from xuncha.demo.world import build_world
from xuncha.model import TargetResult
from xuncha.settings import TZ, Settings


@dataclass
class ManifestCheck:
    """How an inspection's results compare with the demo world's manifest."""

    missing: dict[str, list[str]] = field(default_factory=dict)  # id -> expected codes not found
    found: dict[str, list[str]] = field(default_factory=dict)  # id -> expected codes found
    pending: dict[str, list[str]] = field(default_factory=dict)  # id -> expected codes whose check is not registered
    unclean: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # clean id -> bad findings
    wrongly_inspected: list[str] = field(default_factory=list)  # targets that should have been skipped
    unsupported: list[str] = field(default_factory=list)  # accounts skipped: account inspection not wired in
    not_inconclusive: list[str] = field(default_factory=list)  # accounts that should be inconclusive, were judged
    names: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.unclean and not self.wrongly_inspected and not self.not_inconclusive

    def to_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "missing": self.missing, "found": self.found, "pending": self.pending,
                "unclean": self.unclean, "wrongly_inspected": self.wrongly_inspected,
                "unsupported": self.unsupported, "not_inconclusive": self.not_inconclusive}

    def to_text(self) -> str:
        total = sum(len(v) for v in self.found.values()) + sum(len(v) for v in self.missing.values())
        got = sum(len(v) for v in self.found.values())
        lines = [f"示例网站群核对：预置问题 {got}/{total} 项已发现；"
                 f"{'干净目标均无扣分或否决问题' if not self.unclean else f'{len(self.unclean)} 个目标出现了不应有的问题'}。"]
        for sid, codes in self.missing.items():
            lines.append(f"  未发现 {self.names.get(sid, sid)}（{sid}）的预置问题：{'、'.join(codes)}")
        if self.pending:
            n = sum(len(v) for v in self.pending.values())
            codes = sorted({c for v in self.pending.values() for c in v})
            lines.append(f"  另有 {n} 项预置问题的检查尚未接入（未接入，不计入上面的数字）：{'、'.join(codes)}")
        for sid, bad in self.unclean.items():
            shown = "；".join(f"{b['code']}（{b['severity']}）{b['evidence'][:60]}" for b in bad[:5])
            lines.append(f"  {self.names.get(sid, sid)}（{sid}）出现不应有的问题：{shown}")
        if self.unsupported:
            lines.append(f"  {len(self.unsupported)} 个政务新媒体账号的巡查尚未接入（未接入），其预置问题计入上面的未接入项")
        for sid in self.not_inconclusive:
            lines.append(f"  {self.names.get(sid, sid)}（{sid}）采集应失败并判为无法判定，却没有无法判定的结果")
        for sid in self.wrongly_inspected:
            lines.append(f"  {self.names.get(sid, sid)}（{sid}）应跳过检查，却被检查了")
        return "\n".join(lines)


def compare_with_manifest(manifest: dict[str, dict], results: list[TargetResult],
                          registered: Collection[str] | None = None) -> ManifestCheck:
    """Compare per-target findings with what the manifest says must (not) be found.

    ``registered``: the finding codes that have a check (default: ``xuncha.checks.REGISTRY``).
    An expected code outside it that was not reported is *pending*, not missing.
    """
    if registered is None:
        from xuncha.checks import REGISTRY

        registered = set(REGISTRY)
    out = ManifestCheck()
    for res in results:
        entry = manifest.get(res.target.id)
        if entry is None:
            continue
        sid = res.target.id
        out.names[sid] = entry["name"]
        codes = {f.code for f in res.findings if f.severity != "inconclusive"}
        expect = list(entry["expect"])
        if entry["kind"] != "website" and entry["inspected"] and not res.inspected:
            out.unsupported.append(sid)  # account inspection not wired in yet: everything pending
            if expect:
                out.found[sid] = []
                out.pending[sid] = expect
            continue
        if expect:
            out.found[sid] = [c for c in expect if c in codes]
            miss = [c for c in expect if c not in codes and c in registered]
            if miss:
                out.missing[sid] = miss
            pending = [c for c in expect if c not in codes and c not in registered]
            if pending:
                out.pending[sid] = pending
        if entry.get("inconclusive") and res.inspected and not _inconclusive(res):
            out.not_inconclusive.append(sid)
        if entry["forbid_severities"]:
            bad = [
                {"code": f.code, "severity": f.severity, "evidence": f.evidence, "url": f.url}
                for f in res.findings if f.severity in entry["forbid_severities"]
            ]
            if bad:
                out.unclean[sid] = bad
        if not entry["inspected"] and res.inspected:
            out.wrongly_inspected.append(sid)
    return out


def _inconclusive(res: TargetResult) -> bool:
    """Whether a result says its data could not be judged (collection failed)."""
    return (any(f.severity == "inconclusive" for f in res.findings) or bool(res.inconclusive_reasons)
            or res.health not in ("", "ok", "empty", "manual"))


async def run_demo(out: Path, when: datetime, db_url: str, progress: object = None) -> tuple[object, str]:
    """Build, serve and inspect the demo world under ``out``; return (RunOutcome, check text)."""
    from xuncha.pipeline import inspect_async

    out = Path(out)
    as_of = when.astimezone(TZ)
    world = build_world(out / "world", as_of.date())
    async with await serve_world(world) as srv:
        settings = replace(Settings(), collect=srv.collect_settings(), db_url=db_url)
        outcome = await inspect_async(world.registry_xlsx, as_of=as_of, out=out, settings=settings,
                                      progress=progress, repost_tasks_path=world.repost_tasks)  # type: ignore[arg-type]
        notes = list(srv.notes)
    check = compare_with_manifest(world.manifest, outcome.results)
    from xuncha.registry.tasks import load_repost_tasks
    from xuncha.store import Store

    with Store(db_url) as store:  # the quarter's repost tasks, as an inspector keeps them (运维台账)
        store.set_repost_tasks(load_repost_tasks(world.repost_tasks), by="demo")
    (out / "manifest_check.json").write_text(json.dumps(check.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    outcome.reports.update(write_demo_circular(out, db_url, outcome.run_id))
    return outcome, "\n".join([*notes, check.to_text()])


def write_demo_circular(out: Path, db_url: str, run_id: int) -> dict[str, Path]:
    """The quarter's circular of the demo run under national-2019, with the quarter's registers
    (运维工作情况): 通报.docx, 附件.xlsx, 图表/."""
    from xuncha.report.annex import annex_tables, write_annex_xlsx
    from xuncha.report.circular import write_circular
    from xuncha.report.data import load_run_report
    from xuncha.report.ops import add_ops_sheet, load_ops_summary
    from xuncha.scoring import load_ruleset
    from xuncha.store import Store

    with Store(db_url) as store:
        report = load_run_report(store, run_id, load_ruleset())
        ops = load_ops_summary(store, run_id)  # the quarter's registers (the demo has repost tasks)
    annex = write_annex_xlsx(report, out / "附件.xlsx")
    if not ops.empty:
        add_ops_sheet(annex, ops, len(annex_tables(report)) + 1)
    return {
        "circular": write_circular(report, out / "通报.docx", chart_dir=out / "图表", ops=ops),
        "annex": annex,
    }
