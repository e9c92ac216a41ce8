"""Publish dates as Chinese government CMSs print them (发布日期).

Formats seen on real sites: ``2025-03-10``, ``2025-3-10 09:30``, ``2025年3月10日``,
``2025/3/10``, ``2025.03.10``, ``二〇二五年三月十日``, year-less ``[03-10]`` / ``3月10日`` in
lists, full-width digits, and dates only in the URL (``t20250310_123.html``,
``/art/2025/3/10/art_1_2.html``, ``/2025-03/10/content_..``).

Rules that matter for judgement (indicators.md §0):

* A date later than the monitoring point is returned as it is: checks use it as evidence of
  伪造发稿日期 (W.VETO.FRAUD). Only year-less dates use the reference date, to infer the year.
* Impossible dates (month 13, 2月30日) and years before 1990 are rejected, never "repaired".
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MIN_YEAR = 1990
MAX_YEAR = 2099

# Full-width digits and punctuation -> ASCII, so one set of patterns serves both.
_FULLWIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "：": ":", "－": "-", "／": "/", "．": ".", "\u3000": " ", "\xa0": " ",
        "—": "-", "–": "-", "‐": "-", "﹣": "-",
    }
)

# 2025-03-10, 2025/3/10, 2025.03.10 (same separator twice), 2025年3月10日, 2025-03-10T10:00.
_FULL = (
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})(?![\d])"
    r"|(?<!\d)(?P<y2>(?:19|20)\d{2})\s*年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日?"
)
# Year-less list dates: 03-10, [03-10], 3月10日. "/" and "." are left out on purpose (1/5 页,
# 3.5 万元). A leading "-" or digit means we are inside something else (0830-1234567).
_SHORT = (
    r"(?<![\d\-/.:])(?P<m3>\d{1,2})-(?P<d3>\d{1,2})(?![\d\-/.:])"
    r"|(?<!\d)(?P<m4>\d{1,2})\s*月\s*(?P<d4>\d{1,2})\s*日"
)
# 二〇二五年三月十日 (成文日期 in official documents).
_CN_DIGIT = "〇零○Ｏ一二三四五六七八九"
_CN = rf"(?P<y5>[{_CN_DIGIT}]{{4}})年(?P<m5>[十{_CN_DIGIT}]{{1,2}})月(?P<d5>[十{_CN_DIGIT}]{{1,3}})日"

_ANY = re.compile(f"{_FULL}|{_CN}|{_SHORT}")
_FULL_ONLY = re.compile(f"{_FULL}|{_CN}")

# "2025-03 10" / "10 2025-03": the day printed apart from year-month (big-number date badges).
_SPLIT_DAY_FIRST = re.compile(r"(?<!\d)(?P<d>\d{1,2})\s+(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})(?!\d)")
_SPLIT_YM_FIRST = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*月?\s+(?P<d>\d{1,2})(?![\d\-/.:])")

_CN_VALUES = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


def normalize(text: str) -> str:
    """Full-width digits, colons and dashes to ASCII."""
    return text.translate(_FULLWIDTH)


def make_date(y: int, m: int, d: int) -> date | None:
    """A real calendar date in [1990, 2099], else None (no repair of 2月30日)."""
    if not (MIN_YEAR <= y <= MAX_YEAR):
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def infer_year(m: int, d: int, ref: date) -> date | None:
    """The latest year that puts month-day at or before ``ref`` + 1 day (lists run newest-first
    across New Year: ``12-31`` seen on 2025-01-05 is 2024-12-31). A 1-day margin absorbs
    time-zone skew between the site and us."""
    limit = ref + timedelta(days=1)
    for y in range(limit.year, limit.year - 5, -1):
        got = make_date(y, m, d)
        if got is not None and got <= limit:
            return got
    return None


def _cn_number(s: str) -> int | None:
    """二〇二五 -> 2025 (digit by digit), 十 / 十二 / 二十三 -> 10 / 12 / 23."""
    if "十" in s:
        head, _, tail = s.partition("十")
        tens = _CN_VALUES.get(head, -1) if head else 1
        ones = _CN_VALUES.get(tail, -1) if tail else 0
        if tens < 0 or ones < 0:
            return None
        return tens * 10 + ones
    value = 0
    for ch in s:
        if ch not in _CN_VALUES:
            return None
        value = value * 10 + _CN_VALUES[ch]
    return value


def _from_match(mt: re.Match[str], ref: date | None) -> date | None:
    g = mt.groupdict()
    if g["y"]:
        return make_date(int(g["y"]), int(g["m"]), int(g["d"]))
    if g["y2"]:
        return make_date(int(g["y2"]), int(g["m2"]), int(g["d2"]))
    if g["y5"]:
        y, m, d = _cn_number(g["y5"]), _cn_number(g["m5"]), _cn_number(g["d5"])
        if y is None or m is None or d is None:
            return None
        return make_date(y, m, d)
    if ref is None:
        return None
    if g.get("m3"):
        return infer_year(int(g["m3"]), int(g["d3"]), ref)
    if g.get("m4"):
        return infer_year(int(g["m4"]), int(g["d4"]), ref)
    return None


def iter_dates(text: str, ref: date | None) -> list[tuple[date, str]]:
    """(date, raw text) for every date in ``text`` in order; year-less ones only with ``ref``."""
    if not text:
        return []
    norm = normalize(text)
    pattern = _ANY if ref is not None else _FULL_ONLY
    out: list[tuple[date, str]] = []
    for mt in pattern.finditer(norm):
        got = _from_match(mt, ref)
        if got is not None:
            out.append((got, mt.group(0).strip()))
    return out


def parse_date(text: str, ref: date) -> date | None:
    """The first valid date in a text fragment (list line, label value), or None; see
    :func:`first_date` for the preference of dates with a year."""
    found = first_date(text, ref)
    return found[0] if found else None


def first_date(text: str, ref: date | None) -> tuple[date, str] | None:
    """Like :func:`parse_date` but also returns the raw matched text (for evidence).

    A date with its year wins over an earlier year-less one (``第1-2期 2025-03-10``: the
    ``1-2`` is a range, not 1月2日); year-less dates are read only when no full date is there."""
    if not text:
        return None
    norm = normalize(text)
    patterns = (_FULL_ONLY, _ANY) if ref is not None else (_FULL_ONLY,)
    for pattern in patterns:
        for mt in pattern.finditer(norm):
            got = _from_match(mt, ref)
            if got is not None:
                return got, mt.group(0).strip()
    return None


def find_dates(text: str, ref: date) -> list[date]:
    """Every valid date in ``text``, in order of appearance."""
    return [d for d, _ in iter_dates(text, ref)]


def split_date(text: str) -> tuple[date, str] | None:
    """A date whose day is printed apart from year-month: ``10 2025-03`` or ``2025-03 10``
    (date badges such as ``<span class="day">10</span><span>2025-03</span>``)."""
    norm = normalize(text)
    for pattern in (_SPLIT_DAY_FIRST, _SPLIT_YM_FIRST):
        mt = pattern.search(norm)
        if mt:
            got = make_date(int(mt["y"]), int(mt["m"]), int(mt["d"]))
            if got is not None:
                return got, mt.group(0).strip()
    return None


# --------------------------------------------------------------------------- labels
# Labels in priority order.
_LABELS: tuple[tuple[str, str], ...] = (
    ("发布", r"发布(?:时间|日期)"),
    ("发稿", r"发(?:稿|表|文)(?:时间|日期)"),
    ("公开", r"(?:公开|公布|上传|信息)(?:时间|日期)"),
    # generic labels only standing alone ("日期：", "| 时间："), never 访问时间, 当前时间, 截止日期
    ("日期", r"(?<![\u4e00-\u9fff])日\s*期"),
    ("时间", r"(?<![\u4e00-\u9fff])时\s*间"),
    ("更新", r"更新(?:时间|日期)"),
    ("成文", r"成文(?:时间|日期)"),
)
_LABEL_RES = tuple(
    re.compile(rf"(?:{pat})\s*[:：]?\s*[\[【(（]?\s*(?P<v>[^\n]{{0,40}})") for _, pat in _LABELS
)


def labeled_date(text: str, ref: date | None) -> tuple[date, str] | None:
    """A date printed after a label (发布时间：, 发布日期:, 日期：, 时间：, ...), labels tried in
    priority order so 发布日期 beats 成文日期 wherever each appears."""
    if not text:
        return None
    norm = normalize(text)
    for rx in _LABEL_RES:
        for mt in rx.finditer(norm):
            value = mt["v"]
            found = first_date(value[:30], ref)
            if found is not None and norm.find(found[1], mt.start("v")) - mt.start("v") <= 3:
                return found
    return None


# --------------------------------------------------------------------------- meta
_META_KEYS: tuple[str, ...] = (
    "pubdate", "publishdate", "firstpublishedtime", "publishtime", "pubtime", "publish_date",
    "publishedtime", "article:published_time", "dc.date.issued", "dcterms.issued",
)
_COMPACT = re.compile(r"^\s*((?:19|20)\d{2})(\d{2})(\d{2})(?:\d{4,6})?\s*$")


def date_from_meta(meta: dict[str, str]) -> date | None:
    """Publish date from ``<meta name="PubDate" ...>`` and its cousins (names case-insensitive).

    Only dates with a year count here: a meta value is machine-written, never year-less."""
    if not meta:
        return None
    lowered = {k.strip().lower(): v for k, v in meta.items()}
    for key in _META_KEYS:
        value = lowered.get(key)
        if not value:
            continue
        found = first_date(value, None)
        if found is not None:
            return found[0]
        mt = _COMPACT.match(normalize(value))
        if mt:
            got = make_date(int(mt[1]), int(mt[2]), int(mt[3]))
            if got is not None:
                return got
    return None


# --------------------------------------------------------------------------- URLs
_URL_PATTERNS: tuple[re.Pattern[str], ...] = (
    # TRS / 北京 / 广东: .../202503/t20250310_123.html
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_\d+"),
    # 大汉 JCMS: /art/2025/3/10/art_1_2.html ; also /2025/03/10/...
    re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),
    # 新华网 / gov.cn: /2025-03/10/content_..
    re.compile(r"/((?:19|20)\d{2})-(\d{2})/(\d{2})/"),
    # /2025-03-10/...
    re.compile(r"/((?:19|20)\d{2})-(\d{2})-(\d{2})(?=[/_.])"),
    # 博达 WebPlus: /2025/0310/c1234a5678/page.htm
    re.compile(r"/((?:19|20)\d{2})/(\d{2})(\d{2})/"),
    # /20250310/ as a whole path segment, or /20250310_123.html
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})(?=/|_\d+\.)"),
)


def date_from_url(url: str) -> date | None:
    """Publish date encoded in a detail-page URL (last resort: the CMS's creation date)."""
    if not url:
        return None
    path = url.split("?", 1)[0].split("#", 1)[0]
    scheme_end = path.find("://")
    if scheme_end >= 0:
        slash = path.find("/", scheme_end + 3)
        path = path[slash:] if slash >= 0 else "/"
    for rx in _URL_PATTERNS:
        mt = rx.search(path)
        if mt:
            got = make_date(int(mt[1]), int(mt[2]), int(mt[3]))
            if got is not None:
                return got
    return None
