"""Personal data that should have been de-identified (个人信息未脱敏): W.PRIVACY.LEAK.

What counts as a hit (indicators.md §8):

* ``id18`` — 18-digit resident ID: a plausible region (province code from ``data/id_regions.tsv``,
  prefecture 01–70 or 90), a real birth date between 1900-01-01 and today, and the ISO 7064
  MOD 11-2 check character (0–9 or X);
* ``id15`` — 15-digit legacy ID (6-digit region + YYMMDD + 3 digits, 19YY): region and birth date
  valid, not labelled as an order or document number;
* ``mobile`` — ``1[3-9]`` + 9 digits (also ``138-1234-5678``, ``138 1234 5678`` and ``+86``), with
  a prefix mainland carriers use, not glued to a code or a URL, and not labelled as an order /
  document number (订单号, 编号, 文号, 流水号 … — the label nearest to the number wins, so
  "订单号：…，联系电话：138…" is still a phone);
* ``bank_card`` — 16–19 digits (or groups of four) passing the Luhn check with a bank word
  (银行, 卡号, 账号, 开户行, 账户 …) within ``BANK_WINDOW`` characters, unless the account is a unit's
  (对公, 单位账户, 财政, 户名 ending in 局/公司/中心 …: public accounts are published on purpose).

Every candidate is a maximal digit run: a number inside a longer run, or next to a mask character
(``5101**********1234``, ``138****1234``, ``×``), is not a hit. Full-width digits are read as
digits. Reports show values masked (:func:`mask`): ID ``5101**********1234``, mobile
``138****1234``, card ``6222***********1234``; :attr:`PiiHit.context` masks every other long
number around the hit as well, so evidence never carries a full value.

Speed: most text has no run of 11 digits. :func:`might_contain_pii` answers that with one
hyperscan scan of the UTF-8 bytes (or, without hyperscan, bytes ``translate`` and ``in``), and
only then do the regular expression and the validators run.
"""

from __future__ import annotations

import bisect
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Literal

from xuncha.settings import TZ

PiiKind = Literal["id18", "id15", "mobile", "bank_card"]
KINDS: tuple[str, ...] = ("id18", "id15", "mobile", "bank_card")

REGIONS_FILE = Path(__file__).with_name("data") / "id_regions.tsv"
BANK_WINDOW = 30  # characters either side of a card number searched for a bank word
LABEL_WINDOW = 14  # characters before a number searched for its label (电话 / 订单号 ...)
CONTEXT_WIDTH = 10  # characters either side of a hit shown in PiiHit.context

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Mainland mobile number segments issued for voice (carriers, 中国广电 192, virtual operators
# 162/165/167/170/171, satellite 174); data-only and IoT segments (140-144, 146, 148, 172) and
# unissued ones (154, 179, 194) are left out.
_MOBILE_PREFIXES = frozenset(
    [f"13{d}" for d in range(10)] + ["145", "147", "149"]
    + [f"15{d}" for d in (0, 1, 2, 3, 5, 6, 7, 8, 9)] + ["162", "165", "166", "167"]
    + [f"17{d}" for d in (0, 1, 3, 4, 5, 6, 7, 8)] + [f"18{d}" for d in range(10)]
    + [f"19{d}" for d in (0, 1, 2, 3, 5, 6, 7, 8, 9)]
)
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
_MASK_CHARS = frozenset("*＊×xXＸｘ●○")
_GLUE_BEFORE = frozenset("-_=.&%#")  # a code, file name or URL parameter, not a phone
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

_PHONE_LABEL = re.compile(r"电话|手机|联系|热线|致电|拨打|微信|短信|tel|mobile|phone",
                          re.IGNORECASE)
_ID_LABEL = re.compile(r"身份证|身份号码|证件号|公民身份|身份证件|证号")
_ORDER_LABEL = re.compile(
    r"订单|编号|文号|流水号|单号|批次|证书编号|ICP|备案|受理号|案号|序列号|条码|发票|快递|运单|合同号|工单|"
    r"申请号|专利|登记号|代码|许可证|注册号|税号|编码|批号|型号|账单|交易号|凭证号",
    re.IGNORECASE)
_BANK_WORD = re.compile(
    r"银行|卡号|账号|帐号|开户|账户|帐户|储蓄卡|借记卡|信用卡|社保卡|工资卡|一卡通|存折|折号|收款|汇款|转账")
_UNIT_ACCOUNT = re.compile(
    r"对公|单位账户|单位帐户|基本户|基本存款账户|基本账户|基本帐户|零余额|非税|国库|专户|专用账户|收款单位|缴款单位|"
    r"(?:户\s*名\s*称?|收款人|开户单位|单位名称)\s*[:：]?\s*[^\s，。；,;：:、]{0,30}?"
    r"(?:局|委员会|政府|中心|学校|医院|公司|办公室|管理处|协会|基金会|委|院|所|站|队)")
_LONG_NUMBER = re.compile(r"[0-9０-９]{5,}")

# Candidate numbers: a maximal digit run of 11+ (optional check letter), or a mobile / card
# written in groups. Full-width digits count. The pattern opens with a character class so that
# ``re`` skips quickly to the next digit; the look-behind after it makes the run maximal.
_D = "[0-9０-９]"
_CANDIDATE = re.compile(
    rf"{_D}(?<!{_D}{_D})(?:"
    rf"(?P<run>{_D}{{10,}})(?P<x>[XxＸｘ])?"
    r"|(?P<mob>(?<=1)[3-9][0-9][- ][0-9]{4}[- ][0-9]{4})"
    r"|(?P<card>(?<=[0-9])[0-9]{3}(?:[- ][0-9]{4}){3}(?:[- ]?[0-9]{1,3})?)"
    rf")(?!{_D})"
)


_PRE_PATTERNS = (rb"[0-9]{11}", rb"[0-9]{3}[- ][0-9]{4}[- ][0-9]{4}", rb"\xef\xbc[\x90-\x99]")


def _precheck_database(flags: int | None):  # noqa: ANN202 - (scan, scratch, ScratchInUseError) or None
    """A hyperscan database of what any candidate contains: a run of 11 ASCII digits, a grouped
    number, or a full-width digit (then the regular expression decides). ``flags=None``:
    HS_FLAG_SINGLEMATCH (does a text hold one at all); 0: every end offset (where)."""
    try:
        import hyperscan

        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(expressions=list(_PRE_PATTERNS), ids=[0, 1, 2], elements=3,
                   flags=hyperscan.HS_FLAG_SINGLEMATCH if flags is None else flags)
        return db.scan, hyperscan.Scratch(db), hyperscan.ScratchInUseError
    except Exception:  # not installed, no wheel for this CPU, no SSSE3 ...
        return None


_HS = _precheck_database(None)
_HS_SCAN, _HS_SCRATCH, _HS_BUSY = _HS if _HS else (None, None, RuntimeError)
_HS_LOCAL = threading.local()
_HS_WHERE = _precheck_database(0)


def _on_pre_match(_id: int, _from: int, _to: int, _flags: int, hits: list[int]) -> None:
    hits.append(_id)


def _on_where_match(_id: int, _from: int, to: int, _flags: int, ends: list[int]) -> None:
    ends.append(to)


def _pre_scan_threaded(data: bytes) -> list[int]:
    """The shared scratch is busy (the scan releases the GIL): one clone per thread."""
    own = getattr(_HS_LOCAL, "scratch", None)
    if own is None:
        own = _HS_LOCAL.scratch = _HS_SCRATCH.clone()
    hits: list[int] = []
    _HS_SCAN(data, _on_pre_match, 0, hits, own)
    return hits


def _candidate_ends(data: bytes) -> list[int]:
    """Byte offsets where something a candidate contains ends (``_HS_WHERE`` must exist)."""
    scan, scratch, busy = _HS_WHERE
    ends: list[int] = []
    try:
        scan(data, _on_where_match, 0, ends, scratch)
    except busy:
        own = getattr(_HS_LOCAL, "where", None)
        if own is None:
            own = _HS_LOCAL.where = scratch.clone()
        ends.clear()
        scan(data, _on_where_match, 0, ends, own)
    return ends


# Fallback pre-check over UTF-8 bytes: digits -> d, '-' and ' ' -> s, the bytes of a full-width
# digit (EF BC 90..99) -> e b f, everything else '.'. Every candidate leaves one of the needles.
_PRE_TABLE = bytearray(b"." * 256)
for _b in b"0123456789":
    _PRE_TABLE[_b] = ord("d")
for _b in range(0x90, 0x9A):
    _PRE_TABLE[_b] = ord("f")
_PRE_TABLE[0xEF] = ord("e")
_PRE_TABLE[0xBC] = ord("b")
_PRE_TABLE[ord("-")] = _PRE_TABLE[ord(" ")] = ord("s")
_PRE = bytes(_PRE_TABLE)
del _b, _PRE_TABLE


def _maybe_bytes(text: str) -> bool:
    mapped = text.encode("utf-8", "replace").translate(_PRE)
    return b"ddddddddddd" in mapped or b"dddsddddsdddd" in mapped or b"ebf" in mapped


def _maybe_hyperscan(text: str) -> bool:
    try:
        data = text.encode()
    except UnicodeEncodeError:  # lone surrogates: one '?' each keeps offsets
        data = text.encode("utf-8", "replace")
    hits: list[int] = []
    try:
        _HS_SCAN(data, _on_pre_match, 0, hits, _HS_SCRATCH)
    except _HS_BUSY:
        hits = _pre_scan_threaded(data)
    return bool(hits)


_maybe = _maybe_hyperscan if _HS else _maybe_bytes


@dataclass(frozen=True)
class PiiHit:
    """One unmasked personal value: ``text[start:end]`` is the value as written. ``masked`` and
    ``context`` are safe to show; the value itself must never be put in a report."""

    kind: str  # PiiKind
    start: int
    end: int
    masked: str
    context: str


# --------------------------------------------------------------------------- validators
@lru_cache(maxsize=1)
def province_codes() -> frozenset[str]:
    """Two-digit province codes (GB/T 2260) from data/id_regions.tsv."""
    out = set()
    for line in REGIONS_FILE.read_text(encoding="utf-8").splitlines():
        code = line.split("\t", 1)[0].strip()
        if len(code) == 2 and code.isdigit():
            out.add(code)
    return frozenset(out)


def region_plausible(region: str) -> bool:
    """A 6-digit administrative division code of plausible shape: known province, prefecture
    01–70 or 90 (省直辖), any county; 71/81/82/83 (台港澳) also as x00000."""
    if len(region) != 6 or not region.isdigit() or region[:2] not in province_codes():
        return False
    if region[:2] in ("71", "81", "82", "83") and region[2:] == "0000":
        return True
    city = int(region[2:4])
    return 1 <= city <= 70 or city == 90


_TODAY: list = ["", 0.0]  # [YYYYMMDD of today in Asia/Shanghai, monotonic time it expires]


def _today() -> str:
    """Today's date as YYYYMMDD (Asia/Shanghai), looked up at most once a minute."""
    now = time.monotonic()
    if now >= _TODAY[1]:
        _TODAY[0] = datetime.now(TZ).strftime("%Y%m%d")
        _TODAY[1] = now + 60.0
    return _TODAY[0]


def birth_date_valid(yyyymmdd: str) -> bool:
    """A real calendar date between 1900-01-01 and today (Asia/Shanghai)."""
    if len(yyyymmdd) != 8 or not ("19000101" <= yyyymmdd <= _today()):
        return False
    try:
        date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return True


def id18_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id18_valid(value: str) -> bool:
    value = value.translate(_FULLWIDTH).upper()
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return False
    return (region_plausible(value[:6]) and birth_date_valid(value[6:14])
            and id18_check_char(value[:17]) == value[17])


def id15_valid(value: str) -> bool:
    value = value.translate(_FULLWIDTH)
    return (len(value) == 15 and value.isdigit() and region_plausible(value[:6])
            and birth_date_valid("19" + value[6:12]))


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = ord(c) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def mobile_valid(digits: str) -> bool:
    return len(digits) == 11 and digits[:3] in _MOBILE_PREFIXES


# --------------------------------------------------------------------------- masking
def mask(value: str, kind: str) -> str:
    """The form a report may show: ID / card keep the first and last 4 characters
    (``5101**********1234``), a mobile its first 3 and last 4 (``138****1234``)."""
    v = "".join(ch for ch in value.translate(_FULLWIDTH) if ch.isalnum())
    if kind == "mobile":
        v = v[-11:]
        return v[:3] + "*" * (len(v) - 7) + v[-4:] if len(v) > 7 else "*" * len(v)
    return v[:4] + "*" * (len(v) - 8) + v[-4:] if len(v) > 8 else "*" * len(v)


def _mask_numbers(s: str) -> str:
    return _LONG_NUMBER.sub(lambda m: "*" * len(m.group()), s)


def _line_left(text: str, start: int, width: int) -> str:
    left = text[max(0, start - width):start]
    k = left.rfind("\n")
    return left[k + 1:] if k >= 0 else left


def _line_right(text: str, end: int, width: int) -> str:
    right = text[end:end + width]
    k = right.find("\n")
    return right[:k] if k >= 0 else right


def _context(text: str, start: int, end: int, masked: str) -> str:
    return (_mask_numbers(_line_left(text, start, CONTEXT_WIDTH)) + masked
            + _mask_numbers(_line_right(text, end, CONTEXT_WIDTH)))


# --------------------------------------------------------------------------- detection
def might_contain_pii(text: str) -> bool:
    """False when ``text`` certainly holds no candidate (no run of 11 digits, no grouped
    number, no full-width digit): the common case, decided without leaving C."""
    return _maybe(text)


def _last_label(regex: re.Pattern[str], before: str) -> int:
    """End position of the last label of ``regex`` in ``before`` (-1 if none)."""
    last = -1
    for m in regex.finditer(before):
        last = m.end()
    return last


def _labelled_order(text: str, start: int, rival: re.Pattern[str]) -> bool:
    """The nearest label before the number calls it an order / document number."""
    before = _line_left(text, start, LABEL_WINDOW)
    order = _last_label(_ORDER_LABEL, before)
    return order >= 0 and order > _last_label(rival, before)


def _mobile_ok(text: str, start: int, end: int) -> bool:
    prev = text[start - 1] if start else ""
    nxt = text[end] if end < len(text) else ""
    glued = (prev in _GLUE_BEFORE or prev in _ASCII_LETTERS or nxt in _ASCII_LETTERS or nxt == "_"
             or (nxt == "." and end + 1 < len(text) and text[end + 1] in _ASCII_LETTERS))
    if glued and not _PHONE_LABEL.search(_line_left(text, start, LABEL_WINDOW)):
        return False
    return not _labelled_order(text, start, _PHONE_LABEL)


def _bank_card_ok(text: str, start: int, end: int) -> bool:
    around = _line_left(text, start, BANK_WINDOW) + " " + _line_right(text, end, BANK_WINDOW)
    if not _BANK_WORD.search(around):
        return False
    wide = _line_left(text, start, BANK_WINDOW + 10) + " " + _line_right(text, end, BANK_WINDOW + 10)
    return not _UNIT_ACCOUNT.search(wide)


def _classify(text: str, m: re.Match[str]) -> tuple[str, int, int, str] | None:
    """(kind, start, end, digits) for a candidate that is a real unmasked value, else None."""
    start, end = m.span()
    if (start and text[start - 1] in _MASK_CHARS) or (end < len(text) and text[end] in _MASK_CHARS):
        return None  # part of a masked value (5101****...1234) or glued to letters
    if m.group("run") is not None:
        digits = text[start:end - 1 if m.group("x") else end].translate(_FULLWIDTH)
        n = len(digits)
        if m.group("x"):
            value = digits + "X"
            return ("id18", start, end, value) if n == 17 and id18_valid(value) else None
        if n == 18 and id18_valid(digits):
            return "id18", start, end, digits
        if n == 15:
            if id15_valid(digits) and not _labelled_order(text, start, _ID_LABEL):
                return "id15", start, end, digits
            return None
        if n == 11:
            return ("mobile", start, end, digits) if mobile_valid(digits) and _mobile_ok(text, start, end) else None
        if n == 13 and digits.startswith("86") and mobile_valid(digits[2:]):
            prev = text[start - 1] if start else ""
            if prev == "+" or _PHONE_LABEL.search(_line_left(text, start, LABEL_WINDOW)):
                return ("mobile", start, end, digits[2:]) if _mobile_ok(text, start, end) else None
        if 16 <= n <= 19 and digits[0] != "0" and luhn_valid(digits) and _bank_card_ok(text, start, end):
            return "bank_card", start, end, digits
        return None
    digits = m.group().replace("-", "").replace(" ", "")
    if m.group("mob") is not None:
        return ("mobile", start, end, digits) if mobile_valid(digits) and _mobile_ok(text, start, end) else None
    if 16 <= len(digits) <= 19 and digits[0] != "0" and luhn_valid(digits) and _bank_card_ok(text, start, end):
        return "bank_card", start, end, digits
    return None


def find_pii(text: str, *, precheck: bool = True) -> list[PiiHit]:
    """Unmasked ID numbers, mobile numbers and bank cards in ``text``, in order.

    ``precheck=False`` runs the regular expression on every text (bench/text.py's baseline)."""
    if len(text) < 11:  # shorter than any candidate (spreadsheet cells, titles, names)
        return []
    if precheck:  # the pre-check is inlined: on short segments a call costs as much as a scan
        if _HS_SCAN is not None:
            try:
                data = text.encode()
            except UnicodeEncodeError:  # lone surrogates: one '?' each keeps offsets
                data = text.encode("utf-8", "replace")
            hits: list[int] = []
            try:
                _HS_SCAN(data, _on_pre_match, 0, hits, _HS_SCRATCH)
            except _HS_BUSY:
                hits = _pre_scan_threaded(data)
            if not hits:
                return []
        elif not _maybe_bytes(text):
            return []
    out = []
    for m in _CANDIDATE.finditer(text):
        hit = _classify(text, m)
        if hit is not None:
            kind, start, end, digits = hit
            masked = mask(digits, kind)
            out.append(PiiHit(kind, start, end, masked, _context(text, start, end, masked)))
    return out


def find_pii_many(texts: Sequence[str]) -> list[list[PiiHit]]:
    """``[find_pii(t) for t in texts]`` with one scan of all of them (a page's segments): most
    pages hold no candidate, and on the others only the segments that do are read."""
    if len(texts) <= 1:
        return [find_pii(t) for t in texts]
    joined = "\n".join(texts)
    out: list[list[PiiHit]] = [[] for _ in texts]
    if _HS_WHERE is None:
        return [find_pii(t) for t in texts] if _maybe_bytes(joined) else out
    try:
        data = joined.encode()
    except UnicodeEncodeError:  # lone surrogates: one '?' each keeps offsets
        data = joined.encode("utf-8", "replace")
    ends = _candidate_ends(data)
    if not ends:
        return out
    starts = list(accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
    holding = set()
    prev_b = prev_c = 0
    for e in sorted(set(ends)):  # patterns end on character boundaries: decode the gaps once
        prev_c += len(data[prev_b:e].decode("utf-8"))
        prev_b = e
        holding.add(bisect.bisect_right(starts, prev_c - 1) - 1)
    for k in holding:
        out[k] = find_pii(texts[k], precheck=False)
    return out


def redact(text: str) -> str:
    """``text`` with every hit replaced by its masked form (for evidence snippets)."""
    hits = find_pii(text)
    if not hits:
        return text
    parts = []
    pos = 0
    for h in hits:
        parts.append(text[pos:h.start])
        parts.append(h.masked)
        pos = h.end
    parts.append(text[pos:])
    return "".join(parts)
