"""Reading the registry of websites and accounts (CSV or XLSX, Chinese or English headers).

Columns (architecture.md "Registry"): id, kind, name, url, owner, region, category, status —
or 网站标识码/账号ID, 类型, 名称, 网址, 主管单位, 地区, 类别, 状态. Unknown columns are kept in
``Target.extra``. A flag column 无办事服务功能 (是/否) marks sites without service functions
(indicators.md §2.1 rule 5).

Every problem names the file, row and column. Without ``skip_bad_rows`` any bad row stops the
load with all problems listed; with it the valid rows are returned beside the problems.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from xuncha.errors import RegistryError, RegistryIssue
from xuncha.model import TARGET_KINDS, Target

# canonical field -> accepted header spellings (compared after lower-casing and removing spaces)
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "网站标识码", "账号id", "标识码", "编号", "账号标识", "网站标识", "siteid", "sitecode"),
    "kind": ("kind", "类型", "平台", "平台类型", "媒体类型", "type"),
    "name": ("name", "名称", "网站名称", "账号名称", "站点名称"),
    "url": ("url", "网址", "首页网址", "首页地址", "地址", "链接", "域名", "采集地址", "主页"),
    "owner": ("owner", "主管单位", "主办单位", "开办主体", "单位"),
    "region": ("region", "地区", "所属地区", "行政区划", "区域"),
    "category": ("category", "类别", "网站类别", "网站类型", "分类"),
    "status": ("status", "状态", "运行状态"),
    "no_service_function": ("no_service_function", "无办事服务功能", "无对外服务职能"),
    "flags": ("flags", "标记"),
}
REQUIRED = ("id", "name", "url")
_ALIAS_TO_FIELD = {a: f for f, aliases in HEADER_ALIASES.items() for a in aliases}  # aliases are normalised

KIND_ALIASES: dict[str, str] = {
    "website": "website", "网站": "website", "政府网站": "website", "web": "website",
    "wechat": "wechat", "微信": "wechat", "微信公众号": "wechat", "公众号": "wechat",
    "weibo": "weibo", "微博": "weibo", "新浪微博": "weibo",
    "douyin": "douyin", "抖音": "douyin",
    "toutiao": "toutiao", "头条": "toutiao", "今日头条": "toutiao", "头条号": "toutiao",
    "app": "app", "移动客户端": "app", "客户端": "app",
    "miniprogram": "miniprogram", "小程序": "miniprogram", "微信小程序": "miniprogram",
    "other": "other", "其他": "other",
}

STATUS_ALIASES: dict[str, str] = {
    "running": "running", "运行": "running", "正常": "running", "正常运行": "running",
    "在线": "running", "开通": "running", "启用": "running",
    "building": "building", "建设中": "building", "在建": "building",
    "suspended": "suspended", "临时关停": "suspended", "暂停": "suspended", "暂停运行": "suspended",
    "closed": "closed", "关停": "closed", "关闭": "closed", "已关停": "closed", "下线": "closed",
    "cancelled": "cancelled", "注销": "cancelled", "已注销": "cancelled",
}
STATUS_LABELS = {
    "running": "运行", "building": "建设中", "suspended": "临时关停", "closed": "关停", "cancelled": "注销",
}
KIND_LABELS = {
    "website": "网站", "wechat": "微信", "weibo": "微博", "douyin": "抖音", "toutiao": "今日头条",
    "app": "移动客户端", "miniprogram": "小程序", "other": "其他",
}
YES = {"是", "yes", "y", "true", "1", "√", "有"}
_SPACE = re.compile(r"[\s\u3000]+")


@dataclass
class Registry:
    path: str
    targets: list[Target] = field(default_factory=list)
    issues: list[RegistryIssue] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)  # the fields the file has a column for
    extra_headers: list[str] = field(default_factory=list)  # its other columns' headers


def field_of_header(h: object) -> str | None:
    """The field a registry header names (网址 → url), or None for another column."""
    return _ALIAS_TO_FIELD.get(norm_header(h))


def norm_header(h: object) -> str:
    return _SPACE.sub("", str(h or "")).lower().strip("*：:")


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)  # 网站标识码 typed as a number in Excel
    return _SPACE.sub(" ", str(v)).strip()


def _read_rows(path: Path) -> list[list[str]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
            raise RegistryError(f"{path}：无法读取 Excel 文件（{type(exc).__name__}: {exc}）") from exc
        try:
            ws = wb.worksheets[0]
            return [[_cell(c) for c in row] for row in ws.iter_rows(values_only=True)]
        finally:
            wb.close()
    if suffix in (".csv", ".txt", ".tsv"):
        raw = path.read_bytes()
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes almost anything
            raise RegistryError(f"{path}：无法识别文件编码（请使用 UTF-8 或 GBK）")
        dialect = "excel-tab" if suffix == ".tsv" else "excel"
        return [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text), dialect=dialect)]
    raise RegistryError(f"{path}：不支持的名录文件格式「{path.suffix}」，请使用 .xlsx 或 .csv")


def _map_header(header: list[str], path: str) -> tuple[dict[str, int], dict[int, str]]:
    mapping: dict[str, int] = {}
    extra: dict[int, str] = {}
    for i, h in enumerate(header):
        if not norm_header(h):
            continue
        fld = field_of_header(h)
        if fld and fld not in mapping:
            mapping[fld] = i
        else:
            extra[i] = h
    missing = [f for f in REQUIRED if f not in mapping]
    if missing:
        names = "、".join(f"{f}（{HEADER_ALIASES[f][1]}）" for f in missing)
        raise RegistryError(
            f"{path} 第1行（表头）：缺少必需的列 {names}；可用中文或英文表头，"
            f"例如 id,kind,name,url,owner,region,category,status"
        )
    return mapping, extra


def normalize_url(raw: str) -> str | None:
    url = raw.strip()
    if not url:
        return None
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
        return None
    if not parts.path:
        url += "/"
    return url


def load_registry(path: str | Path, *, skip_bad_rows: bool = False) -> Registry:
    """Read a registry file into Targets. Raises RegistryError naming row and column."""
    p = Path(path)
    if not p.exists():
        raise RegistryError(f"名录文件不存在：{p}")
    rows = _read_rows(p)
    while rows and not any(rows[0]):
        rows.pop(0)
    if not rows:
        raise RegistryError(f"{p}：文件为空，没有表头和数据行")
    mapping, extra_cols = _map_header(rows[0], str(p))
    reg = Registry(path=str(p), columns=set(mapping), extra_headers=[str(h) for h in extra_cols.values()])
    seen: dict[str, int] = {}
    for rowno, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue

        def get(fld: str, row: list[str] = row) -> str:
            i = mapping.get(fld)
            return row[i] if i is not None and i < len(row) else ""

        problems: list[RegistryIssue] = []

        def bad(fld: str, msg: str, rowno: int = rowno, problems: list[RegistryIssue] = problems) -> None:
            col = rows[0][mapping[fld]] if fld in mapping else fld
            problems.append(RegistryIssue(str(p), rowno, col, msg))

        tid = get("id")
        if not tid:
            bad("id", "标识码为空")
        elif tid in seen:
            bad("id", f"标识码「{tid}」与第{seen[tid]}行重复")
        name = get("name")
        if not name:
            bad("name", "名称为空")
        kind_raw = get("kind") or "website"
        kind = KIND_ALIASES.get(kind_raw.lower(), KIND_ALIASES.get(kind_raw))
        if kind is None:
            bad("kind", f"无法识别的类型「{kind_raw}」，应为 {'/'.join(TARGET_KINDS)} 或 网站/微信/微博/抖音/今日头条/移动客户端/小程序")
            kind = "other"
        url_raw = get("url")
        url = normalize_url(url_raw)
        if url is None and (kind == "website" or url_raw):
            bad("url", f"网址无效「{url_raw}」" if url_raw else "网址为空")
        status_raw = get("status")
        status = STATUS_ALIASES.get(status_raw.lower(), STATUS_ALIASES.get(status_raw)) if status_raw else "running"
        if status is None:
            bad("status", f"无法识别的状态「{status_raw}」，应为 运行/关停/注销/建设中/临时关停")
            status = "running"
        flags: set[str] = set()
        if get("no_service_function").lower() in YES:
            flags.add("no_service_function")
        for f in re.split(r"[,，;；\s]+", get("flags")):
            if f:
                flags.add(f)
        if problems:
            reg.issues.extend(problems)
            continue
        seen[tid] = rowno
        reg.targets.append(
            Target(
                id=tid,
                kind=kind,
                name=name,
                url=url or "",
                owner=get("owner"),
                region=get("region"),
                category=get("category"),
                status=status,
                status_raw=status_raw or "运行",
                flags=frozenset(flags),
                extra={str(rows[0][i]): row[i] for i in extra_cols if i < len(row) and row[i]},
                source=f"{p.name}:{rowno}",
            )
        )
    if reg.issues and not skip_bad_rows:
        shown = "\n".join(f"  - {i}" for i in reg.issues[:20])
        more = f"\n  ……另有 {len(reg.issues) - 20} 处问题" if len(reg.issues) > 20 else ""
        raise RegistryError(
            f"名录文件有 {len(reg.issues)} 处问题：\n{shown}{more}\n"
            f"可加 --skip-bad-rows 跳过有问题的行，只检查其余 {len(reg.targets)} 行。",
            reg.issues,
        )
    return reg


def write_registry(targets: list[Target], path: str | Path, *, chinese_headers: bool = True) -> Path:
    """Write targets in the import format (round-trips with load_registry)."""
    p = Path(path)
    header_en = ["id", "kind", "name", "url", "owner", "region", "category", "status", "no_service_function"]
    header_cn = ["网站标识码", "类型", "名称", "网址", "主管单位", "地区", "类别", "状态", "无办事服务功能"]
    header = header_cn if chinese_headers else header_en
    rows = [
        [
            t.id, KIND_LABELS.get(t.kind, t.kind) if chinese_headers else t.kind, t.name, t.url, t.owner,
            t.region, t.category, STATUS_LABELS.get(t.status, t.status) if chinese_headers else t.status,
            "是" if "no_service_function" in t.flags else "否",
        ]
        for t in targets
    ]
    if p.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "名录"
        ws.append(header)
        for r in rows:
            ws.append(r)
        wb.save(p)
    else:
        with p.open("w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(rows)
    return p
