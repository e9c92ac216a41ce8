"""Operational registers reported in circulars (indicators.md §7.1, §7.2, §7.4).

* 我为政府网站找错 messages: imported from the national platform's export (CSV/XLSX/XLS with
  Chinese headers) or entered by hand; acceptance and reply deadlines in working days from the
  hand-over (转办); per unit: messages received and 按期办结率.
* Simulated user consultations: question, channel, sent/reply times; classified as replied
  within 1 working day / within 5 / after more than 5 / never.
* Repost tasks: completion per unit from a run's stored ``*.REPOST.MISSING`` findings.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from xuncha.errors import ConfigError
from xuncha.model import Target
from xuncha.settings import TZ
from xuncha.workflow.calendar import DEFAULT_CALENDAR, WorkCalendar
from xuncha.workflow.types import Consultation, OnTimeRate, WorkflowError, ZhaocuoMessage

if TYPE_CHECKING:
    from xuncha.store import Store

ACCEPT_WORKING_DAYS = 1  # zhaocuo.accept_working_days [U]
REPLY_WORKING_DAYS = 3  # zhaocuo.reply_working_days [U]
CONSULT_FAST_DAYS = 1  # replied within 1 working day [U]
CONSULT_SLOW_DAYS = 5  # replied after more than 5 working days or never [U]

# --------------------------------------------------------------------------- file reading
ZHAOCUO_HEADERS: dict[str, tuple[str, ...]] = {
    "msg_no": ("留言编号", "编号", "工单编号", "留言序号", "问题编号", "msg_no", "id"),
    "site_name": ("网站名称", "被留言网站", "网站", "site_name"),
    "site_code": ("网站标识码", "标识码", "网站代码", "site_code"),
    "unit": ("主管单位", "办理单位", "责任单位", "承办单位", "unit"),
    "received_at": ("留言时间", "提交时间", "留言日期", "创建时间", "received_at"),
    "handed_over_at": ("转办时间", "转交时间", "交办时间", "分办时间", "handed_over_at"),
    "accepted_at": ("受理时间", "签收时间", "接收时间", "accepted_at"),
    "replied_at": ("办结时间", "答复时间", "回复时间", "处理时间", "完成时间", "replied_at"),
    "content": ("留言内容", "问题描述", "内容", "留言标题", "content"),
    "status": ("办理状态", "处理状态", "状态", "status"),
}
_REQUIRED = ("msg_no",)
_CN_DATE = re.compile(
    r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?\s*秒?)?\s*$"
)


def _norm(h: object) -> str:
    return re.sub(r"[\s\u3000*＊:：()（）]", "", str(h or "")).lower()


def read_table(path: Path) -> list[list[Any]]:
    """Rows of the first sheet (XLSX/XLS) or of a CSV (UTF-8 or GB18030)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        finally:
            wb.close()
    if suffix == ".xls":
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_path(str(path))
        return [list(r) for r in wb.get_sheet_by_index(0).to_python()]
    if suffix in (".csv", ".txt"):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        return [list(r) for r in csv.reader(io.StringIO(text))]
    raise ConfigError(f"{path}：不支持的文件格式「{suffix or '无扩展名'}」，请使用 .xlsx、.xls 或 .csv")


# Times before this are typing errors (and would make working-day counts crawl); after now +1 day too.
EARLIEST = datetime(2000, 1, 1, tzinfo=TZ)


def parse_time(value: object) -> datetime | None:
    """A cell as an aware datetime (Asia/Shanghai); "" / None → None; ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=TZ)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), TZ)
    text = str(value).strip()
    if not text or text in ("-", "—", "无"):
        return None
    m = _CN_DATE.match(text)
    if not m:
        raise ValueError(text)
    y, mo, d, hh, mm, ss = (int(x) if x else 0 for x in m.groups())
    return datetime(y, mo, d, hh, mm, ss, tzinfo=TZ)


@dataclass
class ImportResult:
    messages: list[ZhaocuoMessage] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)  # "file 第N行：…" for bad rows skipped


def _find_header(rows: list[list[Any]], path: Path) -> tuple[int, dict[str, int]]:
    """The header row (one of the first 10, export files often start with a title line)."""
    for i, row in enumerate(rows[:10]):
        normed = [_norm(c) for c in row]
        cols: dict[str, int] = {}
        for fld, names in ZHAOCUO_HEADERS.items():
            for n in names:
                if _norm(n) in normed:
                    cols[fld] = normed.index(_norm(n))
                    break
        if all(r in cols for r in _REQUIRED) and ("received_at" in cols or "handed_over_at" in cols):
            return i, cols
    raise ConfigError(
        f"{path}：找不到表头（需要「留言编号」以及「留言时间」或「转办时间」列；"
        f"可识别的列：{'、'.join(n[0] for n in ZHAOCUO_HEADERS.values())}）"
    )


def load_zhaocuo_export(path: str | Path, *, skip_bad_rows: bool = False) -> ImportResult:
    """Read a 找错 export. Bad rows raise ConfigError naming file and rows (all of them), or
    are skipped and listed in ``issues`` with ``skip_bad_rows``."""
    p = Path(path)
    if not p.exists():
        raise ConfigError(f"找错留言导出文件不存在：{p}")
    try:
        rows = read_table(p)
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"找错留言导出文件 {p} 无法读取：{exc}") from exc
    header_at, cols = _find_header(rows, p)
    header = rows[header_at]
    res = ImportResult()
    seen: dict[str, int] = {}
    for i, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        if not any(c not in (None, "") for c in row):
            continue

        def cell(fld: str, row: list[Any] = row) -> Any:
            j = cols.get(fld)
            return row[j] if j is not None and j < len(row) else None

        where = f"{p.name} 第{i}行"
        problems: list[str] = []
        msg_no = str(cell("msg_no") or "").strip()
        if isinstance(cell("msg_no"), float) and float(cell("msg_no")).is_integer():
            msg_no = str(int(cell("msg_no")))
        if not msg_no:
            problems.append("留言编号为空")
        elif msg_no in seen:
            problems.append(f"留言编号 {msg_no} 与第{seen[msg_no]}行重复")
        times: dict[str, datetime | None] = {}
        latest = datetime.now(TZ) + timedelta(days=1)
        for fld in ("received_at", "handed_over_at", "accepted_at", "replied_at"):
            try:
                times[fld] = parse_time(cell(fld))
            except ValueError:
                col = header[cols[fld]]
                problems.append(f"「{col}」的值「{cell(fld)}」不是日期时间（应如 2025-03-20 09:30）")
                continue
            t = times[fld]
            if t is not None and not EARLIEST <= t <= latest:
                times[fld] = None
                problems.append(f"「{header[cols[fld]]}」的值「{cell(fld)}」不在 {EARLIEST.year} 年至今的范围内")
        if not problems and not (times["received_at"] or times["handed_over_at"]):
            problems.append("留言时间和转办时间都为空，无法计算办理时限")
        start = times.get("handed_over_at") or times.get("received_at")
        for fld, label in (("accepted_at", "受理时间"), ("replied_at", "办结/答复时间")):
            t = times.get(fld)
            if t and start and t < start:
                problems.append(f"{label} {t:%Y-%m-%d %H:%M} 早于转办/留言时间 {start:%Y-%m-%d %H:%M}")
        if problems:
            res.issues.append(f"{where}：{'；'.join(problems)}")
            continue
        seen[msg_no] = i
        res.messages.append(ZhaocuoMessage(
            msg_no=msg_no,
            site_name=str(cell("site_name") or "").strip(),
            site_code=str(cell("site_code") or "").strip(),
            unit=str(cell("unit") or "").strip(),
            content=str(cell("content") or "").strip(),
            status=str(cell("status") or "").strip(),
            source=f"{p.name}:{i}",
            **times,
        ))
    if res.issues and not skip_bad_rows:
        more = f"（另有 {len(res.issues) - 10} 行）" if len(res.issues) > 10 else ""
        raise ConfigError(f"找错留言导出文件 {p} 有 {len(res.issues)} 行无法导入：\n"
                          + "\n".join(res.issues[:10]) + more
                          + "\n（可修正后重新导入，或使用 --skip-bad-rows 跳过这些行）")
    return res


def import_zhaocuo(store: Store, path: str | Path, *, skip_bad_rows: bool = False) -> tuple[int, int, list[str]]:
    """Import an export file into the store (by 留言编号: re-importing updates). Returns
    (added, updated, issues)."""
    res = load_zhaocuo_export(path, skip_bad_rows=skip_bad_rows)
    added, updated = store.upsert_zhaocuo(res.messages)
    return added, updated, res.issues


def add_zhaocuo(store: Store, msg: ZhaocuoMessage) -> None:
    """Manual entry of one message (same 留言编号 → replaced)."""
    if not msg.msg_no.strip():
        raise WorkflowError("留言编号不能为空")
    if msg.start is None:
        raise WorkflowError(f"留言 {msg.msg_no}：请填写留言时间或转办时间")
    msg.source = msg.source or "手工录入"
    store.upsert_zhaocuo([msg])


# --------------------------------------------------------------------------- 找错 deadlines
@dataclass
class ZhaocuoStatus:
    msg: ZhaocuoMessage
    accept_due: date
    reply_due: date
    accepted_late: bool  # accepted after the deadline, or not accepted and past it
    closed: bool
    closed_on_time: bool
    overdue: bool  # not closed and past the reply deadline


def zhaocuo_status(msg: ZhaocuoMessage, today: date, *, accept_days: int = ACCEPT_WORKING_DAYS,
                   reply_days: int = REPLY_WORKING_DAYS, calendar: WorkCalendar | None = None) -> ZhaocuoStatus:
    cal = calendar or DEFAULT_CALENDAR
    start = msg.start
    assert start is not None
    day = start.astimezone(TZ).date()
    accept_due = cal.add_working_days(day, accept_days)
    reply_due = cal.add_working_days(day, reply_days)
    acc = msg.accepted_at.astimezone(TZ).date() if msg.accepted_at else None
    rep = msg.replied_at.astimezone(TZ).date() if msg.replied_at else None
    return ZhaocuoStatus(
        msg=msg, accept_due=accept_due, reply_due=reply_due,
        accepted_late=(acc > accept_due) if acc else today > accept_due and rep is None,
        closed=rep is not None,
        closed_on_time=rep is not None and rep <= reply_due,
        overdue=rep is None and today > reply_due,
    )


@dataclass
class UnitZhaocuo(OnTimeRate):
    """Per unit: messages received in the period; those due in it; 按期办结率."""

    unit: str
    received: int = 0
    due: int = 0
    closed_on_time: int = 0
    closed_late: int = 0
    overdue: int = 0  # due, still not closed
    accepted_late: int = 0


def zhaocuo_stats(store: Store, start: date, end: date, *, today: date | None = None,
                  accept_days: int = ACCEPT_WORKING_DAYS, reply_days: int = REPLY_WORKING_DAYS,
                  calendar: WorkCalendar | None = None) -> list[UnitZhaocuo]:
    """Per unit for [start, end]: received = 留言/转办 in the period; due = reply deadline in
    the period and not after ``today``; 按期办结率 = closed on time / due."""
    today = today or datetime.now(TZ).date()
    out: dict[str, UnitZhaocuo] = {}
    for m in store.zhaocuo_messages():
        st = zhaocuo_status(m, today, accept_days=accept_days, reply_days=reply_days, calendar=calendar)
        u = out.setdefault(m.unit_name, UnitZhaocuo(m.unit_name))
        day = m.start.astimezone(TZ).date() if m.start else None
        if day is not None and start <= day <= end:
            u.received += 1
        if start <= st.reply_due <= end and (st.reply_due < today or st.closed):
            u.due += 1
            if st.closed_on_time:
                u.closed_on_time += 1
            elif st.closed:
                u.closed_late += 1
            else:
                u.overdue += 1
            u.accepted_late += st.accepted_late
    return sorted((u for u in out.values() if u.received or u.due), key=lambda u: u.unit)


# --------------------------------------------------------------------------- consultations
CONSULT_CLASSES = {
    "fast": "1个工作日内答复",
    "normal": "5个工作日内答复",
    "slow": "超过5个工作日答复",
    "none": "超过5个工作日未答复",
    "pending": "等待答复",
}


def classify_consultation(c: Consultation, today: date, *, calendar: WorkCalendar | None = None,
                          fast_days: int = CONSULT_FAST_DAYS, slow_days: int = CONSULT_SLOW_DAYS) -> str:
    """fast / normal / slow / none / pending (see CONSULT_CLASSES). Working days are counted
    from the day after sending to the reply day."""
    cal = calendar or DEFAULT_CALENDAR
    sent = c.sent_at.astimezone(TZ).date()
    if c.reply_at is not None:
        n = cal.working_days_between(sent, c.reply_at.astimezone(TZ).date())
        return "fast" if n <= fast_days else "normal" if n <= slow_days else "slow"
    return "none" if cal.working_days_between(sent, today) > slow_days else "pending"


def add_consultation(store: Store, c: Consultation) -> int:
    if not c.question.strip():
        raise WorkflowError("咨询问题不能为空")
    if not c.target_id.strip():
        raise WorkflowError("请填写被咨询的网站或账号（标识码/账号ID）")
    if c.reply_at is not None and c.reply_at < c.sent_at:
        raise WorkflowError(f"答复时间 {c.reply_at:%Y-%m-%d %H:%M} 早于提交时间 {c.sent_at:%Y-%m-%d %H:%M}")
    return store.add_consultation(c)


def record_reply(store: Store, consult_id: int, *, reply_at: datetime, reply_text: str,
                 evidence: Iterable[str] = ()) -> Consultation:
    c = next((x for x in store.consultations() if x.id == consult_id), None)
    if c is None:
        raise WorkflowError(f"模拟咨询 #{consult_id} 不存在")
    if reply_at < c.sent_at:
        raise WorkflowError(f"答复时间 {reply_at:%Y-%m-%d %H:%M} 早于提交时间 {c.sent_at:%Y-%m-%d %H:%M}")
    return store.update_consultation(consult_id, reply_at=reply_at, reply_text=reply_text,
                                     evidence=[*c.evidence, *evidence])


@dataclass
class TargetConsult:
    target_id: str
    target_name: str = ""
    owner: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CONSULT_CLASSES, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def problem(self) -> bool:
        """W.INT.SIM_CONSULT: some consultation got its reply after > 5 working days or none."""
        return bool(self.counts["slow"] or self.counts["none"])


def consult_stats(store: Store, start: date, end: date, *, today: date | None = None,
                  calendar: WorkCalendar | None = None) -> list[TargetConsult]:
    """Per target: consultations sent in [start, end] by class."""
    today = today or datetime.now(TZ).date()
    out: dict[str, TargetConsult] = {}
    for c in store.consultations():
        if not start <= c.sent_at.astimezone(TZ).date() <= end:
            continue
        t = out.setdefault(c.target_id, TargetConsult(c.target_id, c.target_name, c.owner))
        t.counts[classify_consultation(c, today, calendar=calendar)] += 1
    return sorted(out.values(), key=lambda t: t.target_id)


# --------------------------------------------------------------------------- repost tasks
REPOST_CODES = ("M.REPOST.MISSING", "W.REPOST.MISSING")


@dataclass
class UnitRepost:
    unit: str
    assigned: int = 0  # task × target pairs due by the run's monitoring point
    done: int = 0  # on time
    late: int = 0
    missing: int = 0
    unknown: int = 0  # inconclusive (no data / no date)
    late_targets: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.done / self.assigned if self.assigned else None


def repost_completion(store: Store, run_id: int, tasks: list[dict[str, object]]) -> list[UnitRepost]:
    """Per unit (target owner): repost tasks assigned to the run's targets with a deadline by
    the run's monitoring point, and how many were done on time / late / missing / unknown,
    read from the latest judgement's ``*.REPOST.MISSING`` findings."""
    from xuncha.report.data import run_as_of

    today = run_as_of(store, run_id).astimezone(TZ).date()
    targets = {t.id: t for t in store.targets(run_id)}
    results = {r.target.id: r for r in store.target_results(run_id)}
    bad: dict[tuple[str, str], str] = {}
    for f in store.findings(run_id):
        if f.code in REPOST_CODES:
            kind = "unknown" if f.severity == "inconclusive" else "late" if f.detail.get("late") else "missing"
            bad[(f.target_id, str(f.detail.get("task") or "*"))] = kind  # "*": whole account untrusted
    out: dict[str, UnitRepost] = {}
    for task in tasks:
        deadline = task.get("deadline")
        if not isinstance(deadline, date) or deadline > today:
            continue
        name = str(task.get("title") or "") or str(task.get("url") or "")
        for tid in task.get("targets") or []:  # type: ignore[attr-defined]
            t = targets.get(str(tid))
            if t is None or (str(tid) in results and not results[str(tid)].inspected):
                continue
            u = out.setdefault(t.owner or t.name, UnitRepost(t.owner or t.name))
            u.assigned += 1
            kind = bad.get((t.id, name)) or bad.get((t.id, "*")) or "done"
            setattr(u, kind, getattr(u, kind) + 1)
            if kind in ("late", "missing"):
                u.late_targets.append(f"{t.name}：{name}")
    return sorted(out.values(), key=lambda u: u.unit)


# --------------------------------------------------------------------------- rows and their targets
KNOWN_RUNS = 20  # register rows are matched to targets of this many newest runs (after the registry)


def known_targets(store: Store, run_id: int | None = None) -> dict[str, Target]:
    """Targets by id, to match register rows to: the registry (名录) first, then ``run_id``'s own
    targets, then those of the newest stored runs for ids not seen yet."""
    out: dict[str, Target] = {t.id: t for t in store.registry_targets()}
    ids = [run_id] if run_id is not None else []
    ids += [r.id for r in store.runs(limit=KNOWN_RUNS) if r.id != run_id]
    for rid in ids:
        for t in store.targets(rid):
            out.setdefault(t.id, t)
    return out


def zhaocuo_target(m: ZhaocuoMessage, known: dict[str, Target]) -> Target:
    """The message's site (by 网站标识码), or a stand-in from the message's own fields (no
    region: only users without a region limit see it)."""
    t = known.get(m.site_code) if m.site_code else None
    return t or Target(m.site_code or m.msg_no, "website", m.site_name, "", owner=m.unit)


def consult_target(c: Consultation, known: dict[str, Target]) -> Target:
    return known.get(c.target_id) or Target(c.target_id, "website", c.target_name, c.channel_url, owner=c.owner)


@dataclass
class ScopedRows:
    """The store as ``zhaocuo_stats`` / ``consult_stats`` read it, cut to the rows of a scope."""

    messages: list[ZhaocuoMessage]
    consults: list[Consultation]

    def zhaocuo_messages(self, **_kw: object) -> list[ZhaocuoMessage]:
        return self.messages

    def consultations(self, **_kw: object) -> list[Consultation]:
        return self.consults

    @property
    def store(self) -> Store:
        return cast("Store", self)

    @classmethod
    def of(cls, store: Store, known: dict[str, Target], allow: Callable[[Target], bool] | None) -> ScopedRows:
        msgs, consults = store.zhaocuo_messages(), store.consultations()
        if allow is None:
            return cls(msgs, consults)
        return cls([m for m in msgs if allow(zhaocuo_target(m, known))],
                   [c for c in consults if allow(consult_target(c, known))])
