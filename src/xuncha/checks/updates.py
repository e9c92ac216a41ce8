"""Updates: 首页不更新, 栏目不更新 (three clauses) and the staleness deductions.

Every window is relative to the monitoring point ``T`` (``ctx.today``) and closed:
``[T − 14 days, T]``, ``[T − 6 months, T]``, ``[T − 1 year, T]`` with months by calendar,
clamped to month end (:func:`months_before`). Only an item with an attributable date inside the
window is an update; undated items never are, and a date later than ``T`` is not an update either
(it is named in the evidence, see W.VETO.FRAUD).

Which columns count (indicators.md §1, §2.2, §5):

* NEWS columns, at any level: 14 days.
* NOTICE / POLICY columns at the top of their branch (no NOTICE/POLICY ancestor); sub-columns
  count through that parent: 6 months.
* PERIODIC columns: 1 year. Columns whose page declares a cycle (月报/季报/年报): that cycle
  plus one month for publication.
* Columns under a 专题 (``in_special``) are SPECIAL, not NEWS/NOTICE/POLICY.
* Columns we never crawled (``pages_seen == 0`` and no items, or unreachable) are not judged:
  one inconclusive finding (under W.VETO.LONG_STALE) lists them.

One defect is deducted once (§2.1 rule 6): a column already covered by an emitted veto is not
deducted again under W.PUB.*.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from xuncha.checks.availability import needs_home
from xuncha.checks.base import CheckContext, check
from xuncha.model import Column, Finding, Item
from xuncha.settings import TZ

NEWS, NOTICE, POLICY, PERIODIC = "NEWS", "NOTICE", "POLICY", "PERIODIC"
NOTICE_POLICY = frozenset({NOTICE, POLICY})
# Months allowed for a column that declares its own cycle: one cycle + one month to publish [U].
DECLARED_CYCLE_MONTHS: dict[str, int] = {"month": 2, "quarter": 4, "half_year": 7, "year": 13}
MAX_LISTED = 10  # columns named in one evidence string (the detail keeps them all)


# --------------------------------------------------------------------------- dates
def months_before(d: date, n: int) -> date:
    """``d`` minus ``n`` calendar months, clamped to the end of the month (negative n adds).

    >>> months_before(date(2025, 8, 31), 6)
    datetime.date(2025, 2, 28)
    """
    index = d.year * 12 + (d.month - 1) - n
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last))


def months_after(d: date, n: int) -> date:
    return months_before(d, -n)


def as_date(value: date | datetime | None) -> date | None:
    """A plain date (aware datetimes are read in Asia/Shanghai)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return (value.astimezone(TZ) if value.tzinfo else value).date()
    return value


def span_text(days: int | None = None, months: int | None = None) -> str:
    """14天 / 6个月 / 1年 — how a window is named in evidence."""
    if days is not None:
        return f"{days}天"
    assert months is not None
    return f"{months // 12}年" if months % 12 == 0 else f"{months}个月"


@dataclass(frozen=True)
class Window:
    """A closed date window ``[start, end]`` ending at the monitoring point."""

    start: date
    end: date
    span: str  # "14天", "6个月", "1年"

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    @classmethod
    def days(cls, today: date, n: int) -> Window:
        return cls(today - timedelta(days=n), today, span_text(days=n))

    @classmethod
    def months(cls, today: date, n: int) -> Window:
        return cls(months_before(today, n), today, span_text(months=n))


def split_dates(items: Iterable[Item], today: date) -> tuple[list[date], list[date], int]:
    """(dates ≤ T, dates after T, undated count) of some items."""
    valid: list[date] = []
    future: list[date] = []
    undated = 0
    for it in items:
        d = as_date(it.date)
        if d is None:
            undated += 1
        elif d > today:
            future.append(d)
        else:
            valid.append(d)
    return valid, future, undated


def future_note(future: list[date]) -> str:
    if not future:
        return ""
    shown = "、".join(d.isoformat() for d in sorted(set(future))[:3])
    return f"另有 {len(future)} 条信息日期晚于巡查时点（{shown}），不计为更新"


# --------------------------------------------------------------------------- columns
def column_key(col: Column) -> str:
    return col.url or col.name


def crawled(col: Column) -> bool:
    """We read the column page (or at least its items) and can judge it."""
    return col.reachable and (col.pages_seen > 0 or bool(col.items) or col.blank or col.no_info_note)


def is_blank(col: Column) -> bool:
    """Reachable, never carried an item, no explanatory note (§1 空白栏目)."""
    return col.blank and not col.no_info_note and col.reachable and not col.items


def update_class(col: Column) -> str:
    """The class used by the update rules: NEWS/NOTICE/POLICY under a 专题 are SPECIAL."""
    if col.in_special and col.cls in (NEWS, NOTICE, POLICY):
        return "SPECIAL"
    return col.cls


def _ancestors(col: Column, by_url: dict[str, Column]) -> list[Column]:
    out: list[Column] = []
    seen = {col.url}
    cur = col
    while cur.parent_url and cur.parent_url in by_url and cur.parent_url not in seen:
        cur = by_url[cur.parent_url]
        seen.add(cur.url)
        out.append(cur)
    return out


def branch_top(col: Column, by_url: dict[str, Column]) -> bool:
    """A NOTICE/POLICY column is judged itself when no ancestor is NOTICE/POLICY (一级栏目,
    i.e. the top of its branch); its sub-columns count through it."""
    if col.level <= 1:
        return True
    return not any(update_class(a) in NOTICE_POLICY for a in _ancestors(col, by_url))


def descendants(col: Column, columns: list[Column], by_url: dict[str, Column]) -> list[Column]:
    return [c for c in columns if c is not col and any(a is col for a in _ancestors(c, by_url))]


@dataclass
class ColumnStatus:
    """How one column stands against its update rule."""

    column: Column
    rule: str  # news, notice_policy, periodic, cycle
    window: Window
    newest: date | None  # newest attributable date ≤ T (sub-columns included for notice_policy)
    future: list[date]
    undated: int
    item_count: int
    stale: bool

    def describe(self) -> str:
        c = self.column
        if self.newest is not None:
            text = f"「{c.name}」最新信息日期 {self.newest.isoformat()}，超过{self.window.span}未更新"
        elif is_blank(c) or self.item_count == 0:
            text = f"「{c.name}」为空白栏目（无任何信息），超过{self.window.span}未更新"
        elif self.undated == self.item_count:
            text = f"「{c.name}」的 {self.undated} 条信息均无可识别的发布日期，视为未更新"
        else:
            text = f"「{c.name}」无巡查时点前的带日期信息，视为未更新"
        note = future_note(self.future)
        return f"{text}（{note}）" if note else text

    def as_detail(self) -> dict[str, object]:
        return {
            "name": self.column.name,
            "column_url": self.column.url,
            "cls": update_class(self.column),
            "rule": self.rule,
            "newest": self.newest.isoformat() if self.newest else None,
            "window_start": self.window.start.isoformat(),
            "future_dates": [d.isoformat() for d in self.future],
            "undated": self.undated,
        }


def _status(col: Column, rule: str, window: Window, items: list[Item], today: date) -> ColumnStatus:
    valid, future, undated = split_dates(items, today)
    newest = max(valid) if valid else None
    stale = not any(window.contains(d) for d in valid)
    return ColumnStatus(col, rule, window, newest, future, undated, len(items), stale)


@dataclass
class UpdateAssessment:
    """All column update facts of one site at one monitoring point."""

    today: date
    news: list[ColumnStatus] = field(default_factory=list)
    notice_policy: list[ColumnStatus] = field(default_factory=list)
    periodic: list[ColumnStatus] = field(default_factory=list)
    cycle: list[ColumnStatus] = field(default_factory=list)
    blank: list[Column] = field(default_factory=list)
    uncrawled: list[Column] = field(default_factory=list)
    veto_a: int = 5
    veto_b: int = 10
    veto_blank: int = 5

    @property
    def stale_a(self) -> list[ColumnStatus]:
        """Count A of 栏目不更新 clause 1: stale NEWS + stale top-of-branch NOTICE/POLICY."""
        return [s for s in self.news + self.notice_policy if s.stale]

    @property
    def stale_b(self) -> dict[str, str]:
        """Count B of clause 2 (应更新而未更新): column key → description, each column once."""
        out: dict[str, str] = {}
        for col in self.blank:
            out.setdefault(column_key(col), f"「{col.name}」为空白栏目")
        for s in self.news + self.notice_policy + self.periodic + self.cycle:
            if s.stale:
                out.setdefault(column_key(s.column), s.describe())
        return out

    @property
    def a_vetoed(self) -> bool:
        return len(self.stale_a) >= self.veto_a

    @property
    def b_vetoed(self) -> bool:
        return len(self.stale_b) >= self.veto_b

    @property
    def blank_vetoed(self) -> bool:
        return len(self.blank) >= self.veto_blank

    @property
    def vetoed_keys(self) -> set[str]:
        """Columns already counted under an emitted veto: not deducted again (§2.1 rule 6)."""
        keys: set[str] = set()
        if self.a_vetoed:
            keys |= {column_key(s.column) for s in self.stale_a}
        if self.b_vetoed:
            keys |= set(self.stale_b)
        if self.blank_vetoed:
            keys |= {column_key(c) for c in self.blank}
        return keys


def assess_updates(ctx: CheckContext) -> UpdateAssessment:
    """Classify every column against its update rule at ``ctx.today``."""
    th = ctx.thresholds
    today = ctx.today
    a = UpdateAssessment(
        today, veto_a=th.columns_stale_veto, veto_b=th.long_stale_veto, veto_blank=th.blank_columns_veto
    )
    columns = ctx.site.columns
    by_url = {c.url: c for c in columns if c.url}
    news_w = Window.days(today, th.news_stale_days)
    np_w = Window.months(today, th.notice_policy_stale_months)
    per_w = Window.months(today, th.periodic_stale_months)
    seen: set[str] = set()
    for col in columns:
        key = column_key(col)
        if key in seen:
            continue
        seen.add(key)
        cls = update_class(col)
        relevant = cls in (NEWS, NOTICE, POLICY, PERIODIC) or bool(col.declared_cycle)
        if not crawled(col):
            if relevant:
                a.uncrawled.append(col)
            continue
        if is_blank(col):
            a.blank.append(col)
        if cls == NEWS:
            a.news.append(_status(col, "news", news_w, col.items, today))
        elif cls in NOTICE_POLICY:
            if branch_top(col, by_url):
                items = list(col.items)
                for sub in descendants(col, columns, by_url):
                    items.extend(sub.items)
                a.notice_policy.append(_status(col, "notice_policy", np_w, items, today))
        elif cls == PERIODIC:
            a.periodic.append(_status(col, "periodic", per_w, col.items, today))
        if col.declared_cycle and cls not in (NEWS, NOTICE, POLICY, PERIODIC):
            months = DECLARED_CYCLE_MONTHS.get(col.declared_cycle)
            if months:
                a.cycle.append(_status(col, "cycle", Window.months(today, months), col.items, today))
    return a


def _listing(texts: list[str]) -> str:
    shown = "；".join(texts[:MAX_LISTED])
    more = f"；等共 {len(texts)} 个" if len(texts) > MAX_LISTED else ""
    return shown + more


# --------------------------------------------------------------------------- checks
@check(
    "W.VETO.HOME_STALE",
    title="首页不更新",
    family="updates",
    indicator="国办秘函〔2019〕19号 单项否决：首页不更新",
)
@needs_home("首页更新情况")
def home_not_updated(ctx: CheckContext) -> Iterator[Finding]:
    """W.VETO.HOME_STALE — 首页不更新（单项否决）.

    What: no item shown on the home page carries a date in the 14 days before the monitoring
    point (undated and future-dated items do not count). When the home page is a navigation
    entry only, the first- and second-level column pages reached from it are judged instead and
    the veto applies when none of them has an in-window item.
    Why: 国办秘函〔2019〕19号 单项否决指标「首页不更新」: 监测时间点前2周内首页无更新
    (indicators.md §1).
    Example: as of 2025-03-01 the newest home item is dated 2025-02-10 ⇒ veto
    "首页近14天（2025-02-15 至 2025-03-01）无更新：最新信息日期 2025-02-10".
    """
    code = "W.VETO.HOME_STALE"
    today = ctx.today
    window = Window.days(today, ctx.thresholds.home_stale_days)
    home_url = ctx.snapshot.home_url
    period = f"近{window.span}（{window.start.isoformat()} 至 {window.end.isoformat()}）"
    site = ctx.site
    if site.home_is_navigation_only:
        cols = [c for c in site.columns if c.level <= 2 and crawled(c)]
        if not cols:
            yield ctx.finding(
                code,
                "inconclusive",
                home_url,
                "首页为导航入口页，但其下栏目页均未抓取，无法判断更新情况",
                navigation_only=True,
            )
            return
        statuses = [_status(c, "home", window, c.items, today) for c in cols]
        if any(not s.stale for s in statuses):
            return
        yield ctx.finding(
            code,
            "veto",
            home_url,
            f"首页为导航入口页，已检查其下 {len(statuses)} 个栏目页，{period}均无更新："
            + _listing([s.describe() for s in statuses]),
            navigation_only=True,
            window_start=window.start.isoformat(),
            columns=[s.as_detail() for s in statuses],
        )
        return
    valid, future, undated = split_dates(site.home_items, today)
    if any(window.contains(d) for d in valid):
        return
    if valid:
        text = f"首页{period}无更新：最新信息日期 {max(valid).isoformat()}"
    elif site.home_items:
        text = f"首页{period}无更新：首页 {len(site.home_items)} 条信息均无巡查时点前的可识别发布日期"
    else:
        text = f"首页{period}无更新：首页未发现任何带发布日期的信息"
    note = future_note(future)
    yield ctx.finding(
        code,
        "veto",
        home_url,
        f"{text}；{note}" if note else text,
        navigation_only=False,
        window_start=window.start.isoformat(),
        newest=max(valid).isoformat() if valid else None,
        items=len(site.home_items),
        undated=undated,
        future_dates=[d.isoformat() for d in future],
    )


@check(
    "W.VETO.COLUMNS_STALE",
    title="栏目不更新（动态、通知公告、政策文件类）",
    family="updates",
    indicator="国办秘函〔2019〕19号 单项否决：栏目不更新（第1项）",
)
def columns_not_updated(ctx: CheckContext) -> Iterator[Finding]:
    """W.VETO.COLUMNS_STALE — 栏目不更新 clause 1（单项否决）.

    What: A = NEWS columns (动态、要闻类) without an in-window item in the 14 days before the
    monitoring point + first-level NOTICE/POLICY columns (通知公告、政策文件类, sub-columns counted
    through their parent) without an item in the 6 months before it. Veto when A ≥ 5.
    Why: 国办秘函〔2019〕19号 单项否决指标「栏目不更新」: 动态、要闻类栏目2周内未更新、通知公告、
    政策文件类栏目6个月未更新的栏目数量累计超过（含）5个 (indicators.md §1).
    Example: 工作动态 2025-02-01, 部门动态 2025-01-05, 乡镇动态 blank, 通知公告 2024-07-01,
    政策文件 2024-05-01 as of 2025-03-01 ⇒ A = 5 ⇒ veto listing the five columns.
    """
    a = assess_updates(ctx)
    stale = a.stale_a
    if not a.a_vetoed:
        return
    yield ctx.finding(
        "W.VETO.COLUMNS_STALE",
        "veto",
        ctx.snapshot.home_url,
        f"{len(stale)} 个栏目未按期更新（≥{a.veto_a} 个即单项否决）："
        + _listing([s.describe() for s in stale]),
        count=len(stale),
        columns=[s.as_detail() for s in stale],
    )


@check(
    "W.VETO.LONG_STALE",
    title="栏目不更新（应更新但长期未更新）",
    family="updates",
    indicator="国办秘函〔2019〕19号 单项否决：栏目不更新（第2项）；国办发〔2015〕15号 应更新栏目说明",
)
def columns_long_stale(ctx: CheckContext) -> Iterator[Finding]:
    """W.VETO.LONG_STALE — 栏目不更新 clause 2: 应更新但长期未更新（单项否决）.

    What: B = blank columns + NEWS columns stale > 14 days + first-level NOTICE/POLICY columns
    stale > 6 months + PERIODIC columns (人事、规划计划、预决算 …) stale > 1 year + columns that
    declare a cycle (月报/季报) and missed it; each column counted once. Veto when B ≥ 10.
    Columns that were never crawled are not judged: they are listed in one inconclusive finding.
    Why: 国办秘函〔2019〕19号 单项否决指标「栏目不更新」: 应更新但长期未更新的栏目数量超过（含）
    10个; the set follows the 国办发〔2015〕15号 census explanation (indicators.md §1).
    Example: 4 blank columns, 3 stale NEWS, 3 PERIODIC columns last updated 2023 ⇒ B = 10 ⇒ veto.
    """
    a = assess_updates(ctx)
    b = a.stale_b
    url = ctx.snapshot.home_url
    if a.b_vetoed:
        yield ctx.finding(
            "W.VETO.LONG_STALE",
            "veto",
            url,
            f"{len(b)} 个应更新栏目长期未更新或为空白（≥{a.veto_b} 个即单项否决）："
            + _listing(list(b.values())),
            count=len(b),
            columns=list(b),
        )
    if a.uncrawled:
        names = "、".join(f"「{c.name}」" for c in a.uncrawled[:MAX_LISTED])
        more = f"等共 {len(a.uncrawled)} 个" if len(a.uncrawled) > MAX_LISTED else ""
        yield ctx.finding(
            "W.VETO.LONG_STALE",
            "inconclusive",
            url,
            f"以下应更新栏目未能抓取或无法访问，未判断其更新情况：{names}{more}",
            reason="columns_not_crawled",
            columns=[
                {"name": c.name, "url": c.url, "cls": update_class(c), "reachable": c.reachable}
                for c in a.uncrawled
            ],
        )


@check(
    "W.VETO.BLANK_COLUMNS",
    title="空白栏目",
    family="updates",
    indicator="国办秘函〔2019〕19号 单项否决：栏目不更新（第3项，空白栏目）",
)
def blank_columns(ctx: CheckContext) -> Iterator[Finding]:
    """W.VETO.BLANK_COLUMNS — 空白栏目（单项否决）.

    What: counts reachable column pages that never carried an item (empty list, 暂无信息,
    placeholder). A column with an explicit "no information produced" note is not blank; dead
    column links are W.LINK.*. Veto when 5 or more.
    Why: 国办秘函〔2019〕19号 单项否决指标「栏目不更新」: 空白栏目数量超过（含）5个
    (indicators.md §1).
    Example: 人事任免, 规划计划, 统计数据, 专题A, 专题B all empty ⇒ veto naming the five.
    """
    a = assess_updates(ctx)
    if not a.blank_vetoed:
        return
    names = "、".join(f"「{c.name}」" for c in a.blank[:MAX_LISTED])
    more = f"等共 {len(a.blank)} 个" if len(a.blank) > MAX_LISTED else ""
    yield ctx.finding(
        "W.VETO.BLANK_COLUMNS",
        "veto",
        ctx.snapshot.home_url,
        f"{len(a.blank)} 个空白栏目（≥{a.veto_blank} 个即单项否决）：{names}{more}",
        count=len(a.blank),
        columns=[{"name": c.name, "url": c.url} for c in a.blank],
    )


@check(
    "W.PUB.NEWS_STALE",
    title="政务动态更新不及时",
    family="updates",
    indicator="国办秘函〔2019〕19号 扣分指标·发布解读：政务动态",
)
def news_stale(ctx: CheckContext) -> Iterator[Finding]:
    """W.PUB.NEWS_STALE — 政务动态更新不及时（扣分）.

    What: one deduction per NEWS column without an item in the 14 days before the monitoring
    point and per first-level NOTICE column without an item in the 6 months before it — only
    for columns not already counted under a 栏目不更新 veto (one defect, one count).
    Why: 国办秘函〔2019〕19号 扣分指标·发布解读「政务动态」(indicators.md §2.2), below the
    栏目不更新 veto level.
    Example: 工作动态 newest 2025-02-01 as of 2025-03-01 ⇒ deduct
    "「工作动态」最新信息日期 2025-02-01，超过14天未更新".
    """
    a = assess_updates(ctx)
    skip = a.vetoed_keys
    for s in a.news + a.notice_policy:
        if not s.stale or column_key(s.column) in skip or update_class(s.column) == POLICY:
            continue
        yield ctx.finding(
            "W.PUB.NEWS_STALE", "deduct", s.column.url or ctx.snapshot.home_url, s.describe(), **s.as_detail()
        )


@check(
    "W.PUB.POLICY_STALE",
    title="政策文件更新不及时",
    family="updates",
    indicator="国办秘函〔2019〕19号 扣分指标·发布解读：政策文件",
)
def policy_stale(ctx: CheckContext) -> Iterator[Finding]:
    """W.PUB.POLICY_STALE — 政策文件更新不及时（扣分）.

    What: a first-level POLICY column (政策文件、规范性文件 …, sub-columns counted through it)
    without an item in the 6 months before the monitoring point; not emitted for a column
    already counted under a 栏目不更新 veto.
    Why: 国办秘函〔2019〕19号 扣分指标·发布解读「政策文件」: 6个月未更新扣5分 (indicators.md §2.2).
    Example: 政策文件 newest 2024-08-15 as of 2025-03-01 ⇒ deduct
    "「政策文件」最新信息日期 2024-08-15，超过6个月未更新".
    """
    a = assess_updates(ctx)
    skip = a.vetoed_keys
    for s in a.notice_policy:
        if s.stale and update_class(s.column) == POLICY and column_key(s.column) not in skip:
            yield ctx.finding(
                "W.PUB.POLICY_STALE",
                "deduct",
                s.column.url or ctx.snapshot.home_url,
                s.describe(),
                **s.as_detail(),
            )


@check(
    "W.PUB.PERIODIC_STALE",
    title="应更新栏目未更新",
    family="updates",
    indicator="国办秘函〔2019〕19号 扣分指标·发布解读：应更新栏目（人事、规划计划等）",
)
def periodic_stale(ctx: CheckContext) -> Iterator[Finding]:
    """W.PUB.PERIODIC_STALE — 人事、规划计划等应更新栏目未更新（扣分）.

    What: a PERIODIC column (人事任免、规划计划、财政预决算 …) without an item in the year before
    the monitoring point; not emitted for a column already counted under a veto.
    Why: 国办秘函〔2019〕19号 扣分指标·发布解读; the 1-year window for 人事、规划计划 comes from
    国办发〔2015〕15号 (indicators.md §2.2, §5).
    Example: 人事任免 newest 2023-12-20 as of 2025-03-01 ⇒ deduct
    "「人事任免」最新信息日期 2023-12-20，超过1年未更新".
    """
    a = assess_updates(ctx)
    skip = a.vetoed_keys
    for s in a.periodic:
        if s.stale and column_key(s.column) not in skip:
            yield ctx.finding(
                "W.PUB.PERIODIC_STALE",
                "deduct",
                s.column.url or ctx.snapshot.home_url,
                s.describe(),
                **s.as_detail(),
            )
