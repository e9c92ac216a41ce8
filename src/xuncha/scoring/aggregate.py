"""Verdicts → the figures a supervising office publishes.

Pass rates overall, by region (the administrative tree 省 → 市 → 县, from the registry's
``region`` path "四川省/成都市/武侯区"), by category (门户/部门/专业系统 …) and by platform;
problems grouped by indicator with the units named; and the comparison with the previous run
(targets newly failing, fixed, and repeat offenders failing in consecutive runs, as Hunan's
circulars name them). ``RunReport`` is the one object every report renderer reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from xuncha.checks.base import family_of, title_of
from xuncha.model import Finding, Target, Verdict
from xuncha.scoring.ruleset import RuleSet


@dataclass
class Rate:
    """Targets checked / passed / failed / pending for one slice (region, category, platform)."""

    key: str = ""  # region path "四川省/成都市", category text, or target kind
    label: str = ""  # what a reader sees: "成都市", "政府门户网站", "微信"
    level: int = 0  # depth in the region tree (0 = top); 0 for other slices
    inspected: int = 0
    passed: int = 0  # passed + pending: a candidate is not a failure until confirmed
    failed: int = 0
    pending: int = 0  # no confirmed veto, candidates await review (counted as passed)

    @property
    def rate(self) -> float:
        """合格率: passed (pending included) over inspected."""
        return (self.inspected - self.failed) / self.inspected if self.inspected else 0.0

    @property
    def rate_text(self) -> str:
        return f"{self.rate * 100:.1f}%" if self.inspected else "—"


@dataclass
class ProblemGroup:
    """One indicator's problems across the run, naming the targets (二、存在问题)."""

    code: str
    title: str  # 首页不更新
    kind: str  # veto | deduct | pending
    family: str
    verdicts: list[Verdict] = field(default_factory=list)  # the targets with the problem
    findings: list[Finding] = field(default_factory=list)
    instances: int = 0
    codes: list[str] = field(default_factory=list)  # every code grouped here (W. and M. of one indicator)

    @property
    def names(self) -> list[str]:
        return [v.target.name for v in self.verdicts]


@dataclass
class Repeat:
    """A target that failed in this run and in the ``runs`` consecutive runs before it."""

    target: Target
    runs: int  # consecutive failing runs, this one included (≥ 2)
    codes: list[str] = field(default_factory=list)


@dataclass
class Comparison:
    previous_run_id: int
    previous_as_of: datetime
    newly_failed: list[Verdict] = field(default_factory=list)
    fixed: list[Target] = field(default_factory=list)  # failed last time, pass now
    repeat_offenders: list[Repeat] = field(default_factory=list)
    previous_rate_websites: float | None = None
    previous_rate_media: float | None = None


@dataclass
class Totals(Rate):
    """A whole part of the run (websites or new media), with the targets not inspected."""

    skipped: int = 0
    good: int = 0  # 良好 (scored websites above good_threshold)


@dataclass
class RunReport:
    """Everything a circular, its annexes, the charts and the dashboard need."""

    run_id: int
    as_of: datetime
    window: tuple[date, date]  # 采样时间 (start, end), Asia/Shanghai dates
    ruleset_id: str
    ruleset_title: str
    unconfirmed_values: list[str]  # rule-set values marked 待核实, for the 说明
    verdicts: list[Verdict]
    websites: Totals
    media: Totals
    by_region: list[Rate]  # tree order, websites and media together
    by_region_websites: list[Rate]
    by_region_media: list[Rate]
    by_category: list[Rate]  # websites by category
    by_platform: list[Rate]  # media by platform (kind)
    regions_full: list[str]  # regions (leaf labels) with every target passing
    problems: list[ProblemGroup]  # veto groups first, then deductions, then pending
    comparison: Comparison | None = None

    @property
    def website_verdicts(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.target.kind == "website" and v.inspected]

    @property
    def media_verdicts(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.target.kind != "website" and v.inspected]

    @property
    def failed(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.failed]

    @property
    def pending(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.pending_codes and not v.failed]

    @property
    def inconclusive(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.inconclusive]

    @property
    def warnings(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.warnings]


# --------------------------------------------------------------------------- building
REGION_SEP = re.compile(r"\s*[/／>＞|]\s*")


def region_path(target: Target) -> tuple[str, ...]:
    """"四川省/成都市/武侯区" → ("四川省", "成都市", "武侯区"); "" → ("未填写地区",)."""
    parts = tuple(p for p in REGION_SEP.split(target.region.strip()) if p)
    return parts or ("未填写地区",)


def _count(rate: Rate, v: Verdict) -> None:
    rate.inspected += 1
    if v.failed:
        rate.failed += 1
    elif v.pending_codes:
        rate.pending += 1
        rate.passed += 1
    else:
        rate.passed += 1


def rates_by_region(verdicts: Iterable[Verdict]) -> list[Rate]:
    """One Rate per node of the region tree, in tree order (parents before their children,
    siblings in registry order). Targets of a region that also has sub-regions (a city's own
    departments beside its counties) are counted under "<region>本级", as circulars do."""
    nodes: dict[tuple[str, ...], Rate] = {}
    children: dict[tuple[str, ...], list[tuple[str, ...]]] = {(): []}
    inspected = [v for v in verdicts if v.inspected]
    paths = {region_path(v.target) for v in inspected}
    inner = {p[:d] for p in paths for d in range(1, len(p))}  # regions with sub-regions
    for v in inspected:
        path = region_path(v.target)
        if path in inner:  # a target of the city itself, beside its counties: 本级
            path = (*path, f"{path[-1]}本级")
        for depth in range(1, len(path) + 1):
            key = path[:depth]
            if key not in nodes:
                nodes[key] = Rate(key="/".join(key), label=key[-1], level=depth - 1)
                children.setdefault(key[:-1], []).append(key)
                children.setdefault(key, [])
            _count(nodes[key], v)
    out: list[Rate] = []

    def walk(key: tuple[str, ...]) -> None:
        for child in children.get(key, []):
            out.append(nodes[child])
            walk(child)

    walk(())
    return out


def rates_by(verdicts: Iterable[Verdict], key: Callable[[Verdict], str], label: Callable[[str], str]) -> list[Rate]:
    rates: dict[str, Rate] = {}
    for v in verdicts:
        if not v.inspected:
            continue
        k = key(v)
        if k not in rates:
            rates[k] = Rate(key=k, label=label(k))
        _count(rates[k], v)
    return sorted(rates.values(), key=lambda r: (-r.inspected, r.key))


def full_regions(by_region: list[Rate]) -> list[str]:
    """Regions whose every inspected target passed, at the first level of the tree that has
    more than one region (the cities of a province, the counties of a city)."""
    levels = sorted({r.level for r in by_region})
    level = next((lv for lv in levels if sum(1 for r in by_region if r.level == lv) > 1), levels[-1] if levels else 0)
    return [r.label for r in by_region if r.level == level and r.inspected and r.failed == 0]


def problem_groups(verdicts: Iterable[Verdict]) -> list[ProblemGroup]:
    """Problems grouped by indicator (the website and new-media codes of one indicator share a
    group): vetoes, then deductions, then candidates pending review; within a kind, the
    indicator hitting most targets first."""
    groups: dict[tuple[str, str], ProblemGroup] = {}

    def add(kind: str, code: str, v: Verdict, fs: list[Finding], n: int) -> None:
        title, family = title_of(code), family_of(code)
        g = groups.get((kind, title))  # the website and the new-media code of one indicator share it
        if g is None:
            g = groups[(kind, title)] = ProblemGroup(code=code, title=title, kind=kind, family=family)
        if code not in g.codes:
            g.codes.append(code)
        if v not in g.verdicts:
            g.verdicts.append(v)
        g.findings.extend(fs)
        g.instances += n

    for v in sorted((v for v in verdicts if v.inspected), key=lambda v: (region_path(v.target), v.target.name)):
        for code in v.veto_codes:
            fs = [f for f in v.problems if f.code == code]
            add("veto", code, v, fs, len(fs))
        for d in v.deductions:
            add("deduct", d.code, v, d.findings, d.instances)
        for code in v.pending_codes:
            fs = [f for f in v.pending if f.code == code]
            add("pending", code, v, fs, len(fs))
    order = {"veto": 0, "deduct": 1, "pending": 2}
    return sorted(groups.values(), key=lambda g: (order[g.kind], -len(g.verdicts), g.code))


def totals(verdicts: Iterable[Verdict]) -> Totals:
    t = Totals()
    for v in verdicts:
        if not v.inspected:
            t.skipped += 1
            continue
        _count(t, v)
        t.good += v.grade == "良好" and not v.failed
    return t


@dataclass
class PastRun:
    """A previous run, scored under the same rule set and reviews, for the comparison."""

    run_id: int
    as_of: datetime
    verdicts: list[Verdict]


def compare(current: list[Verdict], previous: list[PastRun]) -> Comparison | None:
    """Against the runs before (most recent first): newly failing, fixed, repeat offenders."""
    if not previous:
        return None
    last = {v.target.id: v for v in previous[0].verdicts if v.inspected}
    cmp = Comparison(previous_run_id=previous[0].run_id, previous_as_of=previous[0].as_of)
    before = [{v.target.id: v for v in p.verdicts if v.inspected} for p in previous]
    for v in current:
        if not v.inspected:
            continue
        prev = last.get(v.target.id)
        if v.failed and prev is not None and not prev.failed:
            cmp.newly_failed.append(v)
        if not v.failed and prev is not None and prev.failed:
            cmp.fixed.append(v.target)
        if v.failed:
            streak = 1
            for runs in before:
                p = runs.get(v.target.id)
                if p is None or not p.failed:
                    break
                streak += 1
            if streak >= 2:
                codes = sorted(set(v.veto_codes) | ({"扣分低于合格线"} if not v.veto_codes else set()))
                cmp.repeat_offenders.append(Repeat(v.target, streak, codes))
    prev_w = [v for v in previous[0].verdicts if v.inspected and v.target.kind == "website"]
    prev_m = [v for v in previous[0].verdicts if v.inspected and v.target.kind != "website"]
    cmp.previous_rate_websites = totals(prev_w).rate if prev_w else None
    cmp.previous_rate_media = totals(prev_m).rate if prev_m else None
    cmp.repeat_offenders.sort(key=lambda r: (-r.runs, region_path(r.target), r.target.name))
    return cmp


def build_report(
    run_id: int,
    as_of: datetime,
    verdicts: list[Verdict],
    rs: RuleSet,
    previous: list[PastRun] | None = None,
    *,
    window_days: int = 7,
) -> RunReport:
    """Aggregate scored verdicts into the figures of a circular (pure)."""
    from xuncha.registry import KIND_LABELS
    from xuncha.settings import TZ

    end = as_of.astimezone(TZ).date()
    websites = [v for v in verdicts if v.target.kind == "website"]
    media = [v for v in verdicts if v.target.kind != "website"]
    by_region = rates_by_region(verdicts)
    return RunReport(
        run_id=run_id,
        as_of=as_of,
        window=(end - timedelta(days=window_days - 1), end),
        ruleset_id=rs.id,
        ruleset_title=rs.title,
        unconfirmed_values=rs.unconfirmed_for({d.code for v in verdicts for d in v.deductions if d.scored}),
        verdicts=verdicts,
        websites=totals(websites),
        media=totals(media),
        by_region=by_region,
        by_region_websites=rates_by_region(websites),
        by_region_media=rates_by_region(media),
        by_category=rates_by(websites, lambda v: v.target.category or "未分类", lambda k: k),
        by_platform=rates_by(media, lambda v: v.target.kind, lambda k: KIND_LABELS.get(k, k)),
        regions_full=full_regions(by_region),
        problems=problem_groups(verdicts),
        comparison=compare(verdicts, previous or []),
    )
