"""Working days on the official calendar, with 调休 make-up days and uncovered years."""

from __future__ import annotations

from datetime import date

from xuncha.workflow.calendar import DEFAULT_CALENDAR as CAL
from xuncha.workflow.calendar import calendar_with, covered


def test_national_day_week_and_make_up_saturday() -> None:
    # 2025: 10月1日–8日 放假; 9月28日(日) and 10月11日(六) are make-up working days
    assert not CAL.is_workday(date(2025, 10, 3))
    assert CAL.is_workday(date(2025, 9, 28)) and CAL.is_workday(date(2025, 10, 11))
    assert CAL.add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert CAL.working_days_between(date(2025, 9, 26), date(2025, 10, 10)) == 5  # 28, 29, 30 Sep; 9, 10 Oct
    assert CAL.add_working_days(date(2025, 3, 20), 0) == date(2025, 3, 20)


def test_uncovered_year_falls_back_to_weekdays_without_fixed_holidays() -> None:
    year = next(y for y in range(2026, 2100) if not covered(y))
    assert CAL.uncovered_years(date(year - 1, 12, 1), date(year, 1, 5)) == [year]
    assert not CAL.is_workday(date(year, 1, 1)) and not CAL.is_workday(date(year, 10, 2))
    jan4 = date(year, 1, 4)
    assert CAL.is_workday(jan4) == (jan4.weekday() < 5)


def test_office_overrides_win() -> None:
    cal = calendar_with(holidays=[date(2025, 3, 20)], workdays=[date(2025, 3, 22)])
    assert not cal.is_workday(date(2025, 3, 20)) and cal.is_workday(date(2025, 3, 22))
