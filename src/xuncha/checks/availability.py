"""Availability: 站点无法访问 (W.VETO.UNREACHABLE) and 首页可用性 (W.AVAIL.HOME).

Both codes are judged from the same probe tally (indicators.md §1):

* **history** — the stored probes of the long-running monitor (``ctx.probe_history``) when they
  cover the 7 days ending at the monitoring point with at least ``probe_min_per_day`` probes in
  every one of the seven 24-hour slices; the 5 % rule applies.
* **run** — otherwise the few probes of this inspection (``ctx.snapshot.probes``, at least 3):
  all failed ⇒ veto (flagged as judged from in-run probes only), some failed ⇒ deduction.

A probe refused by the site (403/429, WAF, rate limit) says nothing about availability: it is
left out of the ratio and reported as inconclusive, never as a failure.

The module also holds the small Chinese wording helpers for errors and page failures that the
other check families reuse (``describe_failure``, ``home_problem``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from xuncha.checks.base import CheckContext, CheckFunc, check, guarded
from xuncha.model import Finding, Page, Probe
from xuncha.settings import TZ

WINDOW_DAYS = 7
MIN_RUN_PROBES = 3  # in-run judgement needs at least this many informative probes

# Machine error tokens (model.Page / LinkCheck / Probe / NetCheck) in Chinese, for evidence.
ERROR_ZH: dict[str, str] = {
    "timeout": "超时未加载完成",
    "dns": "域名解析失败",
    "connect": "连接失败",
    "tls": "TLS/证书错误",
    "redirect_loop": "重定向循环",
    "too_many_redirects": "重定向次数过多",
    "too_large": "页面过大",
    "robots": "robots.txt 禁止抓取",
    "decode": "页面解码失败",
    "bad_url": "网址格式错误",
    "offline": "离线模式未实际访问",
    "other": "其他错误",
    "forbidden": "被拒绝访问（403）",
    "waf": "被网站防火墙（WAF）拦截",
    "rate_limited": "访问频率受限（429）",
    "blocked": "被网站拦截",
    "no_aaaa": "无AAAA记录",
}

# Tokens/statuses that mean "the site refused *us*", not "the site is down".
BLOCK_ERRORS = frozenset({"forbidden", "waf", "rate_limited", "blocked", "robots", "offline"})
BLOCK_STATUSES = frozenset({403, 429})

_STATUS_TOKEN = re.compile(r"^status_(\d{3})$")


def error_zh(error: str | None) -> str:
    """One machine error token in Chinese (unknown tokens are kept as written)."""
    if not error:
        return ""
    m = _STATUS_TOKEN.match(error)
    if m:
        return f"HTTP {m.group(1)}"
    return ERROR_ZH.get(error, error)


def describe_failure(error: str | None, status: int | None, elapsed_ms: float | None = None) -> str:
    """Short Chinese description of one failed fetch: error, status and timing."""
    parts: list[str] = []
    if error:
        parts.append(error_zh(error))
    if status is not None and not (error and _STATUS_TOKEN.match(error)):
        parts.append(f"HTTP {status}")
    if elapsed_ms:
        parts.append(f"耗时{elapsed_ms / 1000:.1f}秒")
    return "，".join(parts) or "未知错误"


def page_problem(page: Page | None) -> str | None:
    """None when the page is usable, else why not (Chinese)."""
    if page is None:
        return "页面未抓取"
    if page.ok:
        return None
    if page.blocked:
        return f"被网站拦截（{error_zh(page.blocked)}）"
    return describe_failure(page.error, page.status, page.elapsed_ms)


def home_problem(ctx: CheckContext) -> str | None:
    """None when the home page was fetched fine, else the Chinese reason (for inconclusive)."""
    problem = page_problem(ctx.snapshot.home)
    if problem is None:
        return None
    return f"首页未能正常获取（{problem}）"


def home_inconclusive(ctx: CheckContext, code: str, subject: str) -> Finding | None:
    """An inconclusive finding for checks that read the home page, or None if the page is fine."""
    problem = home_problem(ctx)
    if problem is None:
        return None
    return ctx.finding(
        code,
        "inconclusive",
        ctx.snapshot.home_url,
        f"{problem}，无法检查{subject}",
        reason="home_unavailable",
    )


def needs_home(subject: str) -> Callable[[CheckFunc], CheckFunc]:
    """For checks that read the home page: inconclusive (naming ``subject``) when it failed."""
    return guarded(lambda ctx, code: home_inconclusive(ctx, code, subject))


def to_local(dt: datetime) -> datetime:
    """Aware datetime in Asia/Shanghai (naive values are taken as Shanghai time)."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=TZ)
    return dt.astimezone(TZ)


# --------------------------------------------------------------------------- tally
def probe_blocked(p: Probe) -> bool:
    """The site refused the prober (WAF, 403, 429, robots, offline): not a failure."""
    if p.ok:
        return False
    if p.error in BLOCK_ERRORS:
        return True
    return p.error is None and p.status in BLOCK_STATUSES


@dataclass
class ProbeTally:
    """Counts of one set of probes (blocked ones kept apart)."""

    probes: list[Probe]
    failed: list[Probe] = field(default_factory=list)
    blocked: list[Probe] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.failed = [p for p in self.probes if not p.ok and not probe_blocked(p)]
        self.blocked = [p for p in self.probes if probe_blocked(p)]

    @property
    def total(self) -> int:
        return len(self.probes)

    @property
    def judged(self) -> int:
        return self.total - len(self.blocked)

    @property
    def ratio(self) -> float:
        return len(self.failed) / self.judged if self.judged else 0.0

    def sample(self) -> str:
        """The first failed probe as evidence: time, error/status and timing."""
        if not self.failed:
            return ""
        p = self.failed[0]
        return f"{to_local(p.at):%Y-%m-%d %H:%M} {describe_failure(p.error, p.status, p.elapsed_ms)}"

    def blocked_text(self) -> str:
        if not self.blocked:
            return ""
        p = self.blocked[0]
        why = error_zh(p.error) if p.error else f"HTTP {p.status}"
        return f"{len(self.blocked)} 次探测被网站拦截（如 {why}），不计入失败"


@dataclass
class AvailabilityJudgement:
    """Which probes the availability codes are judged from, and why."""

    basis: str | None  # "history", "run", or None when nothing can be judged
    tally: ProbeTally
    window_start: datetime
    window_end: datetime
    day_counts: list[tuple[str, int]]  # (slice label, probes) of the history window
    insufficient_days: list[str]  # "2025-02-23（12次）" — 监测不足
    history: ProbeTally | None  # the (partial) history tally when it was not used
    reason: str = ""  # why nothing could be judged

    @property
    def window_text(self) -> str:
        return f"{self.window_start:%Y-%m-%d %H:%M} 至 {self.window_end:%Y-%m-%d %H:%M}"

    def gaps_text(self) -> str:
        if not self.insufficient_days:
            return ""
        shown = "、".join(self.insufficient_days[:7])
        return f"7天监测记录不足（监测不足：{shown}）"


def _slices(as_of: datetime) -> list[tuple[datetime, datetime, str]]:
    """The seven 24-hour slices (start, end] ending at the monitoring point, oldest first."""
    end = to_local(as_of)
    midnight = end.hour == end.minute == end.second == end.microsecond == 0
    out: list[tuple[datetime, datetime, str]] = []
    for i in range(WINDOW_DAYS, 0, -1):
        s_end = end - timedelta(days=i - 1)
        s_start = s_end - timedelta(days=1)
        if midnight:  # the slice is exactly one calendar day
            label = s_start.date().isoformat()
        else:
            label = f"{s_start:%m-%d %H:%M}—{s_end:%m-%d %H:%M}"
        out.append((s_start, s_end, label))
    return out


def judge_availability(ctx: CheckContext) -> AvailabilityJudgement:
    """Pick the basis (monitor history or in-run probes) and tally it."""
    th = ctx.thresholds
    slices = _slices(ctx.as_of)
    w_start, w_end = slices[0][0], slices[-1][1]
    history = [
        p
        for p in ctx.probe_history
        if (not p.target_id or p.target_id == ctx.target.id) and w_start < to_local(p.at) <= w_end
    ]
    history.sort(key=lambda p: to_local(p.at))
    counts: list[tuple[str, int]] = []
    insufficient: list[str] = []
    for s_start, s_end, label in slices:
        n = sum(1 for p in history if s_start < to_local(p.at) <= s_end)
        counts.append((label, n))
        if n < th.probe_min_per_day:
            insufficient.append(f"{label}（{n}次）")
    if history and not insufficient:
        return AvailabilityJudgement("history", ProbeTally(history), w_start, w_end, counts, [], None)

    run = sorted(ctx.snapshot.probes, key=lambda p: to_local(p.at))
    tally = ProbeTally(run)
    partial = ProbeTally(history) if history else None
    gaps = insufficient if history else []
    if tally.judged < MIN_RUN_PROBES:
        if tally.total and not tally.judged:
            reason = f"本次巡查的 {tally.total} 次探测均被网站拦截，无法判断可访问性"
        else:
            reason = (
                f"本次巡查有效探测 {tally.judged} 次（至少需要 {MIN_RUN_PROBES} 次），"
                f"且无覆盖7天的监测记录，无法判断可访问性"
            )
        return AvailabilityJudgement(None, tally, w_start, w_end, counts, gaps, partial, reason)
    return AvailabilityJudgement("run", tally, w_start, w_end, counts, gaps, partial)


def _detail(j: AvailabilityJudgement) -> dict[str, object]:
    t = j.tally
    return {
        "basis": j.basis or "none",
        "probes": t.total,
        "judged": t.judged,
        "failed": len(t.failed),
        "blocked": len(t.blocked),
        "ratio": round(t.ratio, 4),
        "window": [j.window_start.isoformat(), j.window_end.isoformat()],
        "insufficient_days": j.insufficient_days,
        "sample": t.sample(),
    }


def _join(*parts: str) -> str:
    return "；".join(p for p in parts if p)


# --------------------------------------------------------------------------- checks
@check(
    "W.VETO.UNREACHABLE",
    title="站点无法访问",
    family="availability",
    indicator="国办秘函〔2019〕19号 单项否决：站点无法访问",
)
def site_unreachable(ctx: CheckContext) -> Iterator[Finding]:
    """W.VETO.UNREACHABLE — 站点无法访问（单项否决）.

    What: counts failed home-page probes over the 7 days ending at the monitoring point and
    vetoes when the failure ratio is 5 % or more. With a complete monitor history (≥ 20 probes
    on each of the 7 days) the ratio is exact; otherwise the in-run probes (≥ 3) are used and
    only "all failed" vetoes, flagged ``basis="run"``. Probes refused by a WAF/403/429 are
    inconclusive and never count as failures.
    Why: 国办秘函〔2019〕19号 单项否决指标「站点无法访问」: 监测1周，首页打不开的次数占全部监测
    次数的比例累计达到（含）5%即单项否决 (indicators.md §1).
    Example: 168 probes in the week, 9 timed out (5.4 %) ⇒ veto with evidence
    "近7天首页探测 168 次，失败 9 次，失败率 5.4%（≥5% 单项否决）；样例：… 超时未加载完成".
    """
    j = judge_availability(ctx)
    url = ctx.snapshot.home_url
    t = j.tally
    if j.basis is None:
        yield ctx.finding(
            "W.VETO.UNREACHABLE", "inconclusive", url, _join(j.reason, j.gaps_text()), **_detail(j)
        )
        return
    threshold = ctx.thresholds.unreachable_ratio
    if j.basis == "history":
        if t.judged == 0:
            yield ctx.finding(
                "W.VETO.UNREACHABLE",
                "inconclusive",
                url,
                f"近7天 {t.total} 次探测均被网站拦截，无法判断可访问性",
                **_detail(j),
            )
        elif t.ratio >= threshold - 1e-12:
            yield ctx.finding(
                "W.VETO.UNREACHABLE",
                "veto",
                url,
                _join(
                    f"近7天（{j.window_text}）首页探测 {t.judged} 次，失败 {len(t.failed)} 次，"
                    f"失败率 {t.ratio:.1%}（≥{threshold:.0%} 单项否决）",
                    f"样例：{t.sample()}",
                    t.blocked_text(),
                ),
                **_detail(j),
            )
        elif t.blocked:
            yield ctx.finding(
                "W.VETO.UNREACHABLE",
                "inconclusive",
                url,
                _join(f"近7天首页探测 {t.total} 次", t.blocked_text(), "被拦截的探测无法说明站点是否可访问"),
                **_detail(j),
            )
        return
    # basis == "run": only the handful of probes of this inspection.
    if len(t.failed) == t.judged:
        yield ctx.finding(
            "W.VETO.UNREACHABLE",
            "veto",
            url,
            _join(
                f"仅依据本次巡查中的 {t.judged} 次首页探测（未覆盖7天监测）：全部失败",
                f"样例：{t.sample()}",
                t.blocked_text(),
                j.gaps_text(),
            ),
            **_detail(j),
        )
        return
    notes: list[str] = []
    if t.blocked:
        notes.append(t.blocked_text())
    if j.history is not None and j.history.failed:
        h = j.history
        notes.append(f"已有监测记录中失败 {len(h.failed)}/{h.judged} 次，但监测不足，未按7天比例判定")
    if notes:
        yield ctx.finding(
            "W.VETO.UNREACHABLE", "inconclusive", url, _join(*notes, j.gaps_text()), **_detail(j)
        )


@check(
    "W.AVAIL.HOME",
    title="首页可用性不足",
    family="availability",
    indicator="国办秘函〔2019〕19号 扣分指标·功能设计：首页可用性",
)
def home_availability(ctx: CheckContext) -> Iterator[Finding]:
    """W.AVAIL.HOME — 首页可用性不足（扣分）.

    What: some, but fewer than 5 %, of the week's home-page probes failed (monitor history),
    or some but not all of this inspection's probes failed (in-run basis).
    Why: 国办秘函〔2019〕19号 功能设计 deduction for home-page availability below full, the level
    under the 站点无法访问 veto (indicators.md §2.2, W.AVAIL.HOME).
    Example: 168 probes, 3 failed (1.8 %) ⇒ deduct "近7天首页探测 168 次，失败 3 次，失败率 1.8%".
    """
    j = judge_availability(ctx)
    t = j.tally
    url = ctx.snapshot.home_url
    if j.basis == "history":
        if t.judged and 0 < t.ratio < ctx.thresholds.unreachable_ratio - 1e-12:
            yield ctx.finding(
                "W.AVAIL.HOME",
                "deduct",
                url,
                _join(
                    f"近7天（{j.window_text}）首页探测 {t.judged} 次，失败 {len(t.failed)} 次，"
                    f"失败率 {t.ratio:.1%}",
                    f"样例：{t.sample()}",
                ),
                **_detail(j),
            )
    elif j.basis == "run" and 0 < len(t.failed) < t.judged:
        yield ctx.finding(
            "W.AVAIL.HOME",
            "deduct",
            url,
            _join(
                f"本次巡查 {t.judged} 次首页探测中失败 {len(t.failed)} 次（未覆盖7天监测）",
                f"样例：{t.sample()}",
                j.gaps_text(),
            ),
            **_detail(j),
        )
