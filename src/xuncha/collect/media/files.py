"""File import of posts (CSV / XLSX / JSON exported from a platform back end or collected by
hand) and manual evidence records ("last post on DATE", with a screenshot).

``collect`` reads the file from disk (no network) and stores its rows as one JSON document
(``Page.html`` = JSON rows, ``content_type`` application/json), so that ``parse`` stays pure and
a rejudge never needs the original file. Columns may be Chinese or English:

    账号ID/account_id  发布时间/published_at  标题/title  正文/text  链接/url
    类型/kind (原创/转发, original/repost)  置顶/pinned (是/否, true/false, 1/0)

Rows with an account id are kept only for the target's id; rows without one belong to it.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from xuncha.collect.media import health as H
from xuncha.collect.media.feeds import parse_feed_date
from xuncha.errors import XunchaError
from xuncha.extract.dates import parse_date
from xuncha.model import AccountSnapshot, Page, Post, Target
from xuncha.settings import TZ

if TYPE_CHECKING:
    from xuncha.collect.http import Fetcher

__all__ = [
    "ImportFileError", "ManualEvidence", "collect", "collect_manual", "evidence_document",
    "parse", "parse_manual", "read_rows", "to_datetime",
]

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000

_COLUMNS: dict[str, str] = {
    "账号id": "account_id", "账号": "account_id", "account_id": "account_id", "account": "account_id",
    "发布时间": "published_at", "发布日期": "published_at", "时间": "published_at",
    "published_at": "published_at", "date": "published_at",
    "标题": "title", "title": "title",
    "正文": "text", "内容": "text", "text": "text", "content": "text",
    "链接": "url", "url": "url", "link": "url",
    "类型": "kind", "kind": "kind",
    "置顶": "pinned", "pinned": "pinned",
    "评论数": "comment_count", "comment_count": "comment_count", "comments": "comment_count",
    # manual evidence
    "最后发布日期": "last_post_date", "last_post_date": "last_post_date",
    "巡查员": "inspector", "inspector": "inspector",
    "截图": "screenshot", "screenshot": "screenshot",
    "备注": "note", "note": "note",
}
_TRUE = frozenset({"是", "true", "1", "y", "yes", "置顶", "√", "✓"})
_REPOST = frozenset({"转发", "转载", "转帖", "repost", "retweet", "share"})


class ImportFileError(XunchaError):
    """The import file cannot be read (message in Chinese, names the file)."""


# --------------------------------------------------------------------------- reading
def _path(source: str) -> Path:
    if source.startswith("file://"):
        return Path(unquote(urlsplit(source).path))
    return Path(source)


def _cell(v: Any) -> Any:
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    if v is None:
        return ""
    if isinstance(v, (int, float, bool)):
        return v
    return str(v).strip()


def _norm_header(h: Any) -> str:
    key = str(h or "").strip().lower().replace(" ", "")
    return _COLUMNS.get(key, key)


def _rows_from_table(table: list[list[Any]]) -> list[dict[str, Any]]:
    if not table:
        return []
    heads = [_norm_header(h) for h in table[0]]
    rows: list[dict[str, Any]] = []
    for raw in table[1:MAX_ROWS + 1]:
        if not any(str(v).strip() for v in raw if v is not None):
            continue
        rows.append({h: _cell(v) for h, v in zip(heads, raw, strict=False) if h})
    return rows


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """Rows (normalised English keys, JSON-safe values) of a CSV / XLSX / JSON file."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_FILE_BYTES:
            raise ImportFileError(f"导入文件过大（超过 {MAX_FILE_BYTES // 1024 // 1024} MB）：{p}")
        ext = p.suffix.lower()
        if ext in (".xlsx", ".xlsm"):
            from openpyxl import load_workbook

            wb = load_workbook(p, read_only=True, data_only=True)
            try:
                ws = wb.worksheets[0]
                table = [list(r) for _, r in zip(range(MAX_ROWS + 1), ws.iter_rows(values_only=True), strict=False)]
            finally:
                wb.close()
            return _rows_from_table(table)
        data = p.read_bytes()
        if ext == ".json":
            obj = json.loads(data.decode("utf-8-sig"))
            if isinstance(obj, dict):
                obj = obj.get("posts") or obj.get("data") or obj.get("records") or [obj]
            if not isinstance(obj, list):
                raise ImportFileError(f"JSON 导入文件应为记录列表：{p}")
            return [{_norm_header(k): _cell(v) for k, v in r.items()}
                    for r in obj[:MAX_ROWS] if isinstance(r, dict)]
        if ext in (".csv", ".txt"):
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("gb18030", "replace")
            return _rows_from_table([list(r) for r in csv.reader(io.StringIO(text))])
    except ImportFileError:
        raise
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise ImportFileError(f"无法读取导入文件 {p}：{exc}") from exc
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on corrupt files
        raise ImportFileError(f"导入文件已损坏或格式不受支持 {p}：{exc}") from exc
    raise ImportFileError(f"不支持的导入文件类型「{p.suffix}」（支持 CSV、XLSX、JSON）：{p}")


def to_datetime(value: Any, ref: date | None = None) -> datetime | None:
    """A cell value (ISO text, RFC 822, 2025/3/18 10:00, 2025年3月18日, Excel serial) → aware
    Asia/Shanghai datetime; date-only values mean 00:00 that day; None when unreadable."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if 20_000 <= value <= 80_000:  # Excel serial day number (1954..2119)
            return (datetime(1899, 12, 30) + timedelta(days=float(value))).replace(tzinfo=TZ)
        return None
    s = str(value).strip()
    got = parse_feed_date(s)
    if got is not None:
        return got
    d = parse_date(s, ref or datetime.now(TZ).date())
    if d is not None:
        return datetime.combine(d, time(0, 0), tzinfo=TZ)
    return None


# --------------------------------------------------------------------------- posts
def _rows_document(source: str, rows: list[dict[str, Any]], role: str) -> Page:
    text = json.dumps(rows, ensure_ascii=False)
    return Page(url=source, final_url=source, status=200, content_type="application/json",
                encoding="utf-8", html=text, size=len(text.encode()), fetched_at=datetime.now(TZ),
                role=role)


def _post(row: dict[str, Any], ref: date) -> Post:
    kind = str(row.get("kind", "")).strip().lower()
    count = row.get("comment_count")
    return Post(
        url=str(row.get("url") or ""),
        title=str(row.get("title") or ""),
        text=str(row.get("text") or ""),
        published_at=to_datetime(row.get("published_at"), ref),
        kind="repost" if kind in _REPOST else "original",
        pinned=str(row.get("pinned", "")).strip().lower() in _TRUE,
        comment_count=int(count) if isinstance(count, (int, float)) and not isinstance(count, bool) else None,
    )


def _mine(rows: list[dict[str, Any]], target: Target) -> list[dict[str, Any]]:
    return [r for r in rows if not str(r.get("account_id", "")).strip()
            or str(r.get("account_id")).strip() == target.id]


def _load(doc: Page) -> list[dict[str, Any]] | None:
    try:
        rows = json.loads(doc.html)
    except ValueError:
        return None
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else None


def parse(target: Target, source: str, documents: list[Page], as_of: datetime) -> AccountSnapshot:
    """Posts of the stored import rows (pure) for ``target``, judged."""
    snap = H.new_snapshot(target, source, "file", documents, as_of)
    ref = as_of.astimezone(TZ).date()
    all_rows: list[dict[str, Any]] = []
    for doc in documents:
        if doc.error:
            return H.judge(snap, as_of, (H.NO_SOURCE, f"导入文件无法读取：{doc.error}"))
        rows = _load(doc)
        if rows is None:
            return H.judge(snap, as_of, (H.PARSE_ERROR, f"导入数据格式错误：{doc.url}"))
        all_rows.extend(rows)
    if not documents:
        return H.judge(snap, as_of, (H.NO_SOURCE, "没有导入文件"))
    mine = _mine(all_rows, target)
    if all_rows and not mine:
        return H.judge(snap, as_of, (H.NO_SOURCE, f"导入文件中没有账号「{target.id}」的记录"))
    snap.posts = [_post(r, ref) for r in mine]
    return H.judge(snap, as_of)


async def collect(fetcher: Fetcher | None, target: Target, source: str,
                  as_of: datetime) -> AccountSnapshot:
    """Read the import file at ``source`` (path or file:// URL); ``fetcher`` is unused."""
    try:
        doc = _rows_document(source, read_rows(_path(source)), "import")
    except ImportFileError as exc:
        doc = Page(url=source, error=str(exc), fetched_at=datetime.now(TZ), role="import")
    return parse(target, source, [doc], as_of)


# --------------------------------------------------------------------------- manual evidence
@dataclass
class ManualEvidence:
    """An inspector's record: "the account's last post is dated DATE", with a screenshot."""

    account_id: str
    last_post_date: str = ""  # ISO date/datetime as recorded ("" = no post found at all)
    inspector: str = ""
    screenshot: str = ""  # path or URL of the screenshot
    note: str = ""
    recorded_at: str = ""  # ISO datetime


def evidence_document(ev: ManualEvidence, source: str = "manual") -> Page:
    """The stored document of one manual record (JSON in ``Page.html``)."""
    if not ev.recorded_at:
        ev.recorded_at = datetime.now(TZ).isoformat(timespec="seconds")
    return _rows_document(source, [asdict(ev)], "manual")


def parse_manual(target: Target, source: str, documents: list[Page],
                 as_of: datetime) -> AccountSnapshot:
    """Manual evidence (pure) → a snapshot with health "manual" and the recorded last post."""
    snap = H.new_snapshot(target, source, "manual", documents, as_of)
    rows = [r for d in documents if not d.error for r in (_load(d) or [])]
    mine = _mine(rows, target)
    if not mine:
        errors = [d.error for d in documents if d.error]
        detail = f"人工核查记录无法读取：{errors[0]}" if errors else f"没有账号「{target.id}」的人工核查记录"
        return H.judge(snap, as_of, (H.NO_SOURCE, detail))
    rec = mine[-1]  # the latest record wins
    last = to_datetime(rec.get("last_post_date"), as_of.astimezone(TZ).date())
    shot = str(rec.get("screenshot") or "")
    who = str(rec.get("inspector") or "巡查员")
    if rec.get("last_post_date") and last is None:
        return H.judge(snap, as_of, (H.PARSE_ERROR,
                                     f"人工核查记录的最后发布日期无法识别：{rec.get('last_post_date')}"))
    if last is not None:
        snap.posts = [Post(url=shot or source, title="人工核查记录的最后一条发布", published_at=last)]
        what = f"最后发布于{last.strftime('%Y-%m-%d')}"
    else:
        what = "未发现任何发布内容"
    snap.health = H.MANUAL
    parts = [f"人工核查：{who}记录{what}"]
    if shot:
        parts.append(f"截图：{shot}")
    if rec.get("note"):
        parts.append(f"备注：{rec.get('note')}")
    snap.health_detail = "；".join(parts)
    return snap


async def collect_manual(fetcher: Fetcher | None, target: Target, source: str,
                         as_of: datetime) -> AccountSnapshot:
    """Manual records from ``source``: a CSV/XLSX/JSON file of records, or ``manual:`` to read
    them from the target's registry columns (最后发布日期 / 巡查员 / 截图 / 备注)."""
    if source.startswith("manual:") and not source[len("manual:"):].strip():
        ex = {_norm_header(k): v for k, v in target.extra.items()}
        ev = ManualEvidence(account_id=target.id, last_post_date=str(ex.get("last_post_date", "")),
                            inspector=str(ex.get("inspector", "")),
                            screenshot=str(ex.get("screenshot", "")), note=str(ex.get("note", "")))
        return parse_manual(target, source, [evidence_document(ev, source)], as_of)
    path = source[len("manual:"):].strip() if source.startswith("manual:") else source
    try:
        doc = _rows_document(source, read_rows(_path(path)), "manual")
    except ImportFileError as exc:
        doc = Page(url=source, error=str(exc), fetched_at=datetime.now(TZ), role="manual")
    return parse_manual(target, source, [doc], as_of)
