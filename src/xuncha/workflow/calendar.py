"""Working days on the official Chinese holiday calendar (国务院办公厅 节假日安排), including
调休 make-up working days on weekends, from the ``chinese_calendar`` package.

Years the package does not cover yet (the State Council publishes next year's schedule in
November) fall back to Monday–Friday less the fixed-date statutory holidays; ``covered(year)`` tells, and callers print 待核实 for
deadlines that depend on an uncovered year. Extra dates can be supplied (``holidays`` /
``workdays``) from a file an office maintains, which wins over both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

# Statutory holidays on fixed solar dates (全国年节及纪念日放假办法): 元旦, 劳动节, 国庆节. Used
# for years the package does not cover; lunar holidays and 调休 need the published schedule.
FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})


@lru_cache(maxsize=64)
def covered(year: int) -> bool:
    """True when the official schedule of ``year`` is known to the calendar package."""
    import chinese_calendar

    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[date] = field(default_factory=frozenset)  # extra days off
    workdays: frozenset[date] = field(default_factory=frozenset)  # extra make-up working days

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if covered(day.year):
            import chinese_calendar

            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (start itself not counted); n = 0 → start."""
        if n < 0:
            raise ValueError("n must be >= 0")
        day = start
        while n:
            day += timedelta(days=1)
            if self.is_workday(day):
                n -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        n, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_workday(day):
                n += 1
        return n

    def uncovered_years(self, start: date, end: date) -> list[int]:
        return [y for y in range(start.year, end.year + 1) if not covered(y)]


DEFAULT_CALENDAR = WorkCalendar()


def add_working_days(start: date, n: int, extra: WorkCalendar | None = None) -> date:
    return (extra or DEFAULT_CALENDAR).add_working_days(start, n)


def calendar_with(holidays: Iterable[date] = (), workdays: Iterable[date] = ()) -> WorkCalendar:
    return WorkCalendar(frozenset(holidays), frozenset(workdays))


def quarter_of(day: date) -> tuple[date, date]:
    """The first and last day of the calendar quarter of ``day`` (统计期 by default)."""
    first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    nxt = date(first.year + (first.month == 10), (first.month + 2) % 12 + 1, 1)
    return first, nxt - timedelta(days=1)
