"""The engine: one target's findings + a rule set + inspectors' reviews → a ``Verdict``.

The algorithm of indicators.md §2.1:

1. Reviews first. A finding reviewed as 误报 (false positive) is dismissed, in this run and in
   every later run of the same target (the per-site allow-list: ``Finding.key``).
2. Vetoes. A veto-severity finding whose code is on the rule set's veto list fails the target;
   one that needs an inspector's confirmation (serious errors, security) is *pending* until
   reviewed 确认. A confirmed privacy leak marked 严重 vetoes when the rule set says so.
   A veto-severity finding whose code the rule set does not veto is scored as a deduction if
   the rule set prices it, else it is an advisory.
3. Deductions. Per code: instances × points per instance, capped per code; per group: capped at
   the group's maximum. Score = total − deductions. Sites flagged ``no_service_function`` skip
   the 办事服务 group and are scaled 4/3 (``scale_4_3``) or have its points spread evenly over the
   other groups (``redistribute``). Score < pass line ⇒ 不合格.
4. Bonus (portals only by default) is added when the deduction-part score is above the bonus
   line; W.BONUS.* findings carry ``detail["points"]``, capped per group and in total.
5. Inconclusive findings never fail a target: they are listed for manual confirmation. Early
   warnings (advisories with ``detail["warning"]``) are listed, never scored.
6. A 0–100 health index summarises the target for dashboards (rule set ``health`` weights).

New-media accounts use the ``media`` part: ``veto_only`` (national-2019) or ``deduction``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from xuncha.checks.base import title_of
from xuncha.model import Deduction, Finding, Review, TargetResult, Verdict
from xuncha.scoring.ruleset import Part, RuleSet

Reviews = Mapping[tuple[str, str], Review]


def instances(findings: Iterable[Finding]) -> int:
    """How many instances a code's findings stand for: one per finding (or ``detail["count"]``
    for a finding that stands for several), plus those a capped list summarised as omitted."""
    n = 0
    for f in findings:
        if f.severity == "advisory":
            omitted = f.detail.get("omitted")
            n += int(omitted) if isinstance(omitted, int) else 0
        else:
            count = f.detail.get("instances")
            n += int(count) if isinstance(count, int) and count > 0 else 1
    return n


def _sort_findings(
    result: TargetResult, part: Part, reviews: Reviews
) -> tuple[list[Finding], list[Finding], dict[str, list[Finding]], Verdict]:
    """Split findings into vetoes, pending, deductions-by-code; fill the listing fields."""
    t = result.target
    v = Verdict(target=t, ruleset="", verdict="合格", inspected=result.inspected, skipped_reason=result.skipped_reason)
    vetoes: list[Finding] = []
    pending: list[Finding] = []
    deduct: dict[str, list[Finding]] = {}
    scored_codes = {f.code for f in result.findings if f.severity in ("veto", "deduct")}
    for f in result.findings:
        review = reviews.get((f.target_id, f.key))
        state = review.state if review else "pending"
        if state == "false_positive":
            v.dismissed.append(f)
            continue
        if f.severity == "inconclusive":
            v.inconclusive.append(f)
        elif f.is_warning:
            v.warnings.append(f)
        elif f.severity == "advisory":
            if f.detail.get("omitted") and f.code in part.deductions and f.code in scored_codes:
                deduct.setdefault(f.code, []).append(f)  # counts the omitted instances
            elif f.code.startswith(("W.BONUS.", "M.BONUS.")):
                deduct.setdefault(f.code, []).append(f)
            else:
                v.advisories.append(f)
        elif f.severity == "veto" and f.code in part.veto:
            if f.needs_confirmation and state != "confirmed":
                pending.append(f)
            else:
                vetoes.append(f)
        elif f.code in part.deductions and f.severity in ("veto", "deduct"):
            if (f.code.endswith("PRIVACY.LEAK") and part.privacy_veto_when_serious and review is not None
                    and state == "confirmed" and review.serious):
                vetoes.append(f)
            else:
                deduct.setdefault(f.code, []).append(f)
        else:
            v.advisories.append(f)
    return vetoes, pending, deduct, v


def _deductions(part: Part, deduct: dict[str, list[Finding]], *, skip_groups: set[str]) -> list[Deduction]:
    out = []
    for code, fs in deduct.items():
        rule = part.deductions.get(code)
        if rule is None or rule.group in skip_groups:
            continue
        n = instances(fs)
        pts = n * rule.per
        if rule.max is not None:
            pts = min(pts, rule.max)
        if pts <= 0 and n == 0:
            continue
        out.append(Deduction(code, title_of(code), rule.group, round(pts, 2), n, rule.per, rule.unconfirmed,
                             [f for f in fs if f.severity != "advisory"]))
    order = list(part.groups)
    out.sort(key=lambda d: (order.index(d.group) if d.group in order else 99, -d.points, d.code))
    return out


def _deduction_score(part: Part, deductions: list[Deduction], no_service: bool) -> tuple[float, list[str]]:
    """Deduction-part score with group caps and the no-service strategy (indicators.md §2.1)."""
    notes: list[str] = []
    groups = dict(part.groups)
    service = [g for g in groups.values() if g.service]
    maxes = {name: g.max for name, g in groups.items()}
    if no_service and service:
        removed = sum(maxes.pop(g.name) for g in service)
        if part.no_service_function == "redistribute" and maxes:
            share = removed / len(maxes)
            maxes = {k: m + share for k, m in maxes.items()}
            notes.append(f"无对外服务功能：办事服务分值（{removed:g}分）平均分配到其他指标")
        else:
            notes.append("无对外服务功能：办事服务指标不检查，扣分部分满分按75分计并乘以4/3折算")
    lost: dict[str, float] = {}
    for d in deductions:
        if d.group in maxes:
            lost[d.group] = lost.get(d.group, 0.0) + d.points
    total_lost = sum(min(p, maxes[g]) for g, p in lost.items())
    full = sum(maxes.values())
    score = full - total_lost
    if no_service and service and part.no_service_function == "scale_4_3" and full > 0:
        score = score * (part.total / full)
    return round(max(score, 0.0), 2), notes


def _bonus(part: Part, deduct: dict[str, list[Finding]]) -> float:
    by_group: dict[str, float] = {}
    for code, rule in part.bonus.items():
        pts = 0.0
        for f in deduct.get(code, []):
            p = f.detail.get("points")
            if isinstance(p, int | float) and not isinstance(p, bool):
                pts += float(p)
        by_group[rule.group] = by_group.get(rule.group, 0.0) + min(pts, rule.max)
    return round(min(sum(by_group.values()), part.bonus_max), 2)


def _health(rs: RuleSet, v: Verdict) -> int:
    w = rs.health
    base = v.deduction_score if v.deduction_score is not None else (
        100.0 - w.get("deduct_unscored", 3) * len({f.code for f in v.problems if f.severity == "deduct"}))
    base -= w.get("veto", 40) * len(v.veto_codes)
    base -= w.get("pending", 15) * len(v.pending_codes)
    base -= w.get("warning", 5) * len({f.code for f in v.warnings})
    base -= w.get("inconclusive", 2) * len({f.code for f in v.inconclusive})
    return int(round(min(100.0, max(0.0, base))))


def score_target(result: TargetResult, rs: RuleSet, reviews: Reviews | None = None) -> Verdict:
    """Score one target's findings under a rule set (pure)."""
    t = result.target
    part = rs.part(t.kind)
    vetoes, pending, deduct, v = _sort_findings(result, part, reviews or {})
    v.ruleset = rs.id
    if not result.inspected:
        v.verdict = "未检查"
        v.problems = vetoes + [f for fs in deduct.values() for f in fs if f.severity != "advisory"]
        v.health_index = 0
        return v
    v.veto_codes = sorted({f.code for f in vetoes})
    v.pending_codes = sorted({f.code for f in pending} - set(v.veto_codes))
    v.pending = pending
    no_service = "no_service_function" in t.flags and t.kind == "website"
    skip = {g.name for g in part.groups.values() if g.service} if no_service else set()
    v.deductions = _deductions(part, deduct, skip_groups=skip)
    v.problems = vetoes + [f for d in v.deductions for f in d.findings]
    scored = t.kind == "website" or part.scoring == "deduction"
    for d in v.deductions:
        d.scored = scored
    if scored:
        v.deduction_score, v.notes = _deduction_score(part, v.deductions, no_service)
    if v.veto_codes:
        v.verdict, v.grade = "不合格", "不合格"
        v.score = None
        v.notes.insert(0, "单项否决")
    elif scored and v.deduction_score is not None and v.deduction_score < part.pass_score:
        v.verdict, v.grade = "不合格", "不合格"
        v.score = v.deduction_score
    else:
        if scored and v.deduction_score is not None:
            opens = v.deduction_score > part.bonus_threshold
            portal_ok = t.is_portal or not part.bonus_portal_only
            v.bonus = _bonus(part, deduct) if opens and portal_ok else 0.0
            v.score = round(v.deduction_score + v.bonus, 2)
            v.grade = "良好" if v.deduction_score > part.good_threshold else "合格"
        v.verdict = "待确认" if v.pending_codes else "合格"
    v.health_index = _health(rs, v)
    return v


def score_results(results: Iterable[TargetResult], rs: RuleSet, reviews: Reviews | None = None) -> list[Verdict]:
    return [score_target(r, rs, reviews) for r in results]
