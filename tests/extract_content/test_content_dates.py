"""Publish-date parsing (extract/dates.py)."""

from __future__ import annotations

from datetime import date

import pytest

from xuncha.extract.dates import (
    date_from_meta,
    date_from_url,
    find_dates,
    infer_year,
    labeled_date,
    parse_date,
    split_date,
)

REF = date(2025, 3, 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-10", date(2025, 3, 10)),
        ("2025-3-10 09:30", date(2025, 3, 10)),
        ("2025年3月10日", date(2025, 3, 10)),
        ("2025年03月10日 10:00", date(2025, 3, 10)),
        ("2025 年 3 月 10 日", date(2025, 3, 10)),
        ("2025/3/10", date(2025, 3, 10)),
        ("2025.03.10", date(2025, 3, 10)),
        ("[03-10]", date(2025, 3, 10)),
        ("03-10", date(2025, 3, 10)),
        ("3月10日", date(2025, 3, 10)),
        ("发布时间：2025-03-10", date(2025, 3, 10)),
        ("发布日期:2025-03-10", date(2025, 3, 10)),
        ("日期：2025年3月10日", date(2025, 3, 10)),
        ("时间：2025-03-10 10:00:00", date(2025, 3, 10)),
        ("２０２５－０３－１０", date(2025, 3, 10)),
        ("发布时间：２０２５年３月１０日　１０：００", date(2025, 3, 10)),
        ("2025-03-10T10:00:00+08:00", date(2025, 3, 10)),
        ("二〇二五年三月十日", date(2025, 3, 10)),
        ("二〇二四年十二月二十一日", date(2024, 12, 21)),
        ("（2025-3-1）", date(2025, 3, 1)),
    ],
)
def test_parse_date_formats(text: str, expected: date) -> None:
    assert parse_date(text, REF) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2025-13-01",  # month 13
        "2025-02-30",  # Feb 30
        "2025年2月29日",  # not a leap year
        "1989-06-01",  # before 1990
        "13-45",
        "电话：0830-1234567",
        "共1/5页",
        "3.5万元",
        "10:30",
        "",
        "无日期的文字",
        "编号20250310",  # compact digits in text are not dates (only in URLs/meta)
    ],
)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text, REF) is None


def test_future_dates_are_kept_as_evidence() -> None:
    # A date after the monitoring point is returned unchanged: checks treat it as 伪造发稿日期.
    assert parse_date("2025-12-31", REF) == date(2025, 12, 31)
    assert parse_date("2026年1月2日", REF) == date(2026, 1, 2)


def test_year_inference_straddles_new_year() -> None:
    ref = date(2025, 1, 5)
    assert parse_date("[12-31]", ref) == date(2024, 12, 31)
    assert parse_date("01-03", ref) == date(2025, 1, 3)
    # one day of tolerance (time zones): tomorrow stays this year, later goes back a year
    assert parse_date("01-06", ref) == date(2025, 1, 6)
    assert parse_date("01-07", ref) == date(2024, 1, 7)
    assert find_dates("[01-03] 甲 [12-30] 乙 [12-28] 丙", ref) == [
        date(2025, 1, 3), date(2024, 12, 30), date(2024, 12, 28)]


def test_year_inference_leap_day() -> None:
    assert infer_year(2, 29, date(2025, 3, 1)) == date(2024, 2, 29)
    assert infer_year(2, 30, date(2025, 3, 1)) is None


def test_find_dates_in_order() -> None:
    text = "成文日期：2025-02-28 发布日期：2025年3月3日 有效期至2030/12/31"
    assert find_dates(text, REF) == [date(2025, 2, 28), date(2025, 3, 3), date(2030, 12, 31)]
    assert find_dates("没有日期", REF) == []


def test_split_date_badges() -> None:
    assert split_date("10 2025-03")[0] == date(2025, 3, 10)
    assert split_date("2025-03 10")[0] == date(2025, 3, 10)
    assert split_date("2025年03月 10")[0] == date(2025, 3, 10)
    assert split_date("31 2025-02") is None
    assert split_date("标题") is None


def test_labeled_date_priority() -> None:
    # 发布日期 beats 成文日期 even when printed after it
    got = labeled_date("成文日期：2025-02-28 发布日期：2025-03-03", REF)
    assert got is not None and got[0] == date(2025, 3, 3)
    got = labeled_date("来源：市政府 时间：2025-03-01 10:00", REF)
    assert got is not None and got[0] == date(2025, 3, 1)
    # a label without a date next to it is skipped
    got = labeled_date("办理时间：工作日 日期：[03-02]", REF)
    assert got is not None and got[0] == date(2025, 3, 2)
    assert labeled_date("成文日期：2025-02-28", REF) is not None  # last resort
    assert labeled_date("发布时间：未知", REF) is None
    assert labeled_date("", REF) is None


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"PubDate": "2025-03-10 10:00"}, date(2025, 3, 10)),
        ({"pubdate": "2025-03-10"}, date(2025, 3, 10)),
        ({"publishdate": "2025/3/10"}, date(2025, 3, 10)),
        ({"firstpublishedtime": "2025-03-10-10:00:00"}, date(2025, 3, 10)),
        ({"PublishDate": "20250310"}, date(2025, 3, 10)),
        ({"PubDate": "20250310103000"}, date(2025, 3, 10)),
        ({"SiteName": "x", "PubDate": "2025年3月10日"}, date(2025, 3, 10)),
    ],
)
def test_date_from_meta(meta: dict[str, str], expected: date) -> None:
    assert date_from_meta(meta) == expected


@pytest.mark.parametrize(
    "meta",
    [{}, {"SiteName": "2025-03-10"}, {"PubDate": ""}, {"PubDate": "03-10"}, {"PubDate": "2025-02-30"},
     {"lastmodifiedtime": "2025-03-10"}],
)
def test_date_from_meta_rejects(meta: dict[str, str]) -> None:
    assert date_from_meta(meta) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.bj.gov.cn/zwgk/tzgg/202503/t20250310_123.html", date(2025, 3, 10)),
        ("https://www.gd.gov.cn/gkmlpt/content/4/4567/post_4567.html#1", None),
        ("http://www.zj.gov.cn/art/2025/3/10/art_1_2.html", date(2025, 3, 10)),
        ("http://www.gov.cn/xinwen/2025-03/10/content_5678.htm", date(2025, 3, 10)),
        ("http://www.x.gov.cn/news/20250310/1.html", date(2025, 3, 10)),
        ("http://www.x.gov.cn/news/2025-03-10/abc.html", date(2025, 3, 10)),
        ("http://www.x.gov.cn/2025/0310/c1234a5678/page.htm", date(2025, 3, 10)),
        ("http://www.x.gov.cn/a/t20251310_1.html", None),  # month 13
        ("http://www.x.gov.cn/col/col123/index.html", None),
        ("http://www.x.gov.cn/show.asp?id=20250310", None),  # query ids are not dates
        ("http://20250310.x.gov.cn/index.html", None),  # nor host names
        ("", None),
    ],
)
def test_date_from_url(url: str, expected: date | None) -> None:
    assert date_from_url(url) == expected


def test_generic_labels_stand_alone() -> None:
    assert labeled_date("访问时间：2025-03-15 当前时间：2025-03-15", REF) is None
    assert labeled_date("截止日期：2025-04-01", REF) is None
    got = labeled_date("访问时间：2025-03-15 | 时间：2025-03-02", REF)
    assert got is not None and got[0] == date(2025, 3, 2)


def test_full_dates_win_over_yearless_ranges() -> None:
    assert parse_date("第1-2期 2025-03-10", REF) == date(2025, 3, 10)
    assert parse_date("第1-2期", REF) == date(2025, 1, 2)  # alone, it is all there is
