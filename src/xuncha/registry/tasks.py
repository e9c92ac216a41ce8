"""Important-information repost tasks (重要信息转载任务, indicators.md §7.4).

Supervisors assign a source article, a deadline and the accounts/sites that must repost it.
A task file is JSON (a list of objects) or XLSX/CSV with the columns
任务标题/标题, 来源链接/链接, 截止日期, 转载对象 (ids separated by commas) — or English
title, url, deadline, targets.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from pathlib import Path

from xuncha.errors import ConfigError

_ALIASES = {
    "title": ("title", "任务标题", "标题", "信息标题"),
    "url": ("url", "来源链接", "链接", "原文链接", "来源网址"),
    "deadline": ("deadline", "截止日期", "截止时间", "完成时限"),
    "targets": ("targets", "转载对象", "目标账号", "责任账号", "目标"),
}


def _date(value: object, where: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    m = re.match(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", text)
    if not m:
        raise ConfigError(f"{where}：截止日期「{text}」无法识别，应为 2025-03-20")
    return date(int(m[1]), int(m[2]), int(m[3]))


def _rows(path: Path) -> list[dict[str, object]]:
    suffix = path.suffix.lower()
    if suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, list):
            raise ConfigError(f"{path}：应为任务对象的列表")
        return [dict(x) for x in data]
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
    elif suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        rows = [list(r) for r in csv.reader(io.StringIO(text))]
    else:
        raise ConfigError(f"{path}：不支持的转载任务文件格式，请使用 .json、.xlsx 或 .csv")
    if not rows:
        return []
    header = [str(h or "").strip() for h in rows[0]]
    return [dict(zip(header, r, strict=False)) for r in rows[1:] if any(c not in (None, "") for c in r)]


def load_repost_tasks(path: str | Path | None) -> list[dict[str, object]]:
    """[{title, url, deadline: date, targets: [ids]}]; raises ConfigError naming the row."""
    if not path:
        return []
    p = Path(path)
    if not p.exists():
        raise ConfigError(f"转载任务文件不存在：{p}")
    try:
        rows = _rows(p)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"转载任务文件 {p} 无法读取：{exc}") from exc
    tasks: list[dict[str, object]] = []
    for i, row in enumerate(rows, start=2):
        norm = {k.strip().lower() if isinstance(k, str) else k: v for k, v in row.items()}

        def get(field: str, norm: dict = norm) -> object:
            for alias in _ALIASES[field]:
                if alias.lower() in norm and norm[alias.lower()] not in (None, ""):
                    return norm[alias.lower()]
            return None

        where = f"{p} 第{i}行" if p.suffix.lower() != ".json" else f"{p} 第{i - 1}项"
        title = str(get("title") or "").strip()
        if not title:
            raise ConfigError(f"{where}：任务标题为空")
        targets = get("targets")
        ids = targets if isinstance(targets, list) else re.split(r"[,，;；\s]+", str(targets or ""))
        tasks.append({
            "title": title,
            "url": str(get("url") or "").strip(),
            "deadline": _date(get("deadline"), where),
            "targets": [str(x).strip() for x in ids if str(x).strip()],
        })
    return tasks
