"""What the pages show, computed from the store: scoped reports, target details, and their
JSON forms. All verdicts and rates come from the scoring engine (``report.data``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from xuncha.model import REVIEW_LABELS, Finding, Review, Target, TargetResult, Verdict
from xuncha.registry import KIND_LABELS
from xuncha.report.data import previous_runs, run_as_of, score_run, target_results
from xuncha.scoring.aggregate import PastRun, ProblemGroup, Rate, RunReport, Totals, build_report
from xuncha.scoring.engine import score_target
from xuncha.scoring.ruleset import RuleSet
from xuncha.store import RunInfo, Store

SEVERITY_LABELS = {"veto": "单项否决", "deduct": "扣分", "advisory": "提示", "inconclusive": "无法判定"}
KIND_OF_PROBLEM = {"veto": "单项否决", "deduct": "扣分", "pending": "待确认"}
REVIEWABLE = ("veto", "deduct")

Pred = Callable[[Target], bool]


def scoped_report(store: Store, run_id: int, rs: RuleSet, allow: Pred) -> RunReport:
    """``load_run_report`` restricted to the targets ``allow`` lets through (the same figures
    as the full report when it lets everything through)."""
    as_of = run_as_of(store, run_id)
    verdicts = [v for v in score_run(store, run_id, rs) if allow(v.target)]
    past = [
        PastRun(pid, run_as_of(store, pid), [v for v in score_run(store, pid, rs) if allow(v.target)])
        for pid in previous_runs(store, run_id, as_of)
    ]
    return build_report(run_id, as_of, verdicts, rs, past)


@dataclass
class TargetView:
    result: TargetResult
    verdict: Verdict
    reviews: dict[str, Review]
    history: list[tuple[RunInfo, Verdict]] = field(default_factory=list)

    @property
    def target(self) -> Target:
        return self.result.target


def target_view(store: Store, run_id: int, target_id: str, rs: RuleSet, history: int = 12) -> TargetView | None:
    result = next((r for r in target_results(store, run_id) if r.target.id == target_id), None)
    if result is None:
        return None
    reviews = store.reviews([target_id])
    view = TargetView(result, score_target(result, rs, reviews),
                      {k: r for (_t, k), r in reviews.items()})
    for run in store.runs(limit=history):
        if run.id == run_id:
            view.history.append((run, view.verdict))
            continue
        past = next((r for r in target_results(store, run.id) if r.target.id == target_id), None)
        if past is not None:
            view.history.append((run, score_target(past, rs, reviews)))
    return view


# --------------------------------------------------------------------------- JSON
def target_json(t: Target) -> dict[str, Any]:
    return {"id": t.id, "kind": t.kind, "kind_label": KIND_LABELS.get(t.kind, t.kind), "name": t.name,
            "url": t.url, "owner": t.owner, "region": t.region, "category": t.category, "status": t.status}


def rate_json(r: Rate) -> dict[str, Any]:
    d = {"key": r.key, "label": r.label, "level": r.level, "inspected": r.inspected, "passed": r.passed,
         "failed": r.failed, "pending": r.pending, "rate": round(r.rate, 4), "rate_text": r.rate_text}
    if isinstance(r, Totals):
        d |= {"skipped": r.skipped, "good": r.good}
    return d


def review_json(r: Review | None) -> dict[str, Any]:
    if r is None:
        return {"state": "pending", "label": REVIEW_LABELS["pending"], "serious": False, "reason": "",
                "reviewer": "", "at": None}
    return {"state": r.state, "label": REVIEW_LABELS.get(r.state, r.state), "serious": r.serious,
            "reason": r.reason, "reviewer": r.reviewer, "at": r.at.isoformat() if r.at else None}


def finding_json(f: Finding, review: Review | None = None) -> dict[str, Any]:
    d = f.to_dict()
    d["severity_label"] = SEVERITY_LABELS.get(f.severity, f.severity)
    d["suggestion"] = f.detail.get("suggestion") or ""
    d["reviewable"] = f.severity in REVIEWABLE
    d["review"] = review_json(review)
    return d


def verdict_json(v: Verdict, *, findings: bool = False) -> dict[str, Any]:
    d = {"target": target_json(v.target), "ruleset": v.ruleset, "verdict": v.verdict, "inspected": v.inspected,
         "skipped_reason": v.skipped_reason, "grade": v.grade, "score": v.score,
         "deduction_score": v.deduction_score, "bonus": v.bonus, "health_index": v.health_index,
         "veto_codes": v.veto_codes, "pending_codes": v.pending_codes, "notes": v.notes,
         "warnings": [f.evidence for f in v.warnings]}
    if findings:
        d["deductions"] = [{"code": x.code, "title": x.title, "group": x.group, "points": x.points,
                            "instances": x.instances} for x in v.deductions]
    return d


def problem_json(g: ProblemGroup) -> dict[str, Any]:
    return {"code": g.code, "codes": g.codes, "title": g.title, "kind": g.kind,
            "kind_label": KIND_OF_PROBLEM.get(g.kind, g.kind), "targets": len(g.verdicts),
            "instances": g.instances, "names": g.names}


def run_json(r: RunInfo) -> dict[str, Any]:
    return {"id": r.id, "status": r.status, "as_of": r.as_of.isoformat(), "started_at": r.started_at.isoformat(),
            "finished_at": r.finished_at.isoformat() if r.finished_at else None}
