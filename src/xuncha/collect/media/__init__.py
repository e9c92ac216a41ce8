"""New-media collection: one adapter per source kind, all producing ``model.AccountSnapshot``.

Every adapter offers::

    async def collect(fetcher, target, source, as_of) -> AccountSnapshot  # fetch + parse
    def parse(target, source, documents, as_of) -> AccountSnapshot         # pure re-parse

``ADAPTERS`` maps adapter names to them; :func:`pick_adapter` chooses one for a target from its
source (``target.extra["采集地址"]`` / ``["source"]``, else ``target.url``);
:func:`collect_account` does both and turns "no adapter fits" into a ``no_source`` snapshot.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from xuncha.collect.media import feeds, files, health, html_list, weibo
from xuncha.errors import XunchaError
from xuncha.model import AccountSnapshot, Page, Target

if TYPE_CHECKING:
    from xuncha.collect.http import Fetcher

__all__ = [
    "ADAPTERS", "Adapter", "AdapterChoice", "NoAdapterError", "collect_account", "pick_adapter",
    "reparse", "source_of",
]


@dataclass(frozen=True)
class Adapter:
    """The two entry points of one source kind."""

    name: str
    collect: Callable[[Fetcher, Target, str, datetime], Awaitable[AccountSnapshot]]
    parse: Callable[[Target, str, list[Page], datetime], AccountSnapshot]


ADAPTERS: dict[str, Adapter] = {
    "rss": Adapter("rss", feeds.collect, feeds.parse),
    "atom": Adapter("atom", feeds.collect, feeds.parse),  # feeds.parse reads both formats
    "weibo_json": Adapter("weibo_json", weibo.collect, weibo.parse),
    "html_list": Adapter("html_list", html_list.collect, html_list.parse),
    "file": Adapter("file", files.collect, files.parse),  # type: ignore[arg-type]
    "manual": Adapter("manual", files.collect_manual, files.parse_manual),  # type: ignore[arg-type]
}


class NoAdapterError(XunchaError):
    """No adapter fits a target's source (the message says why, in Chinese)."""


@dataclass(frozen=True)
class AdapterChoice:
    name: str
    adapter: Adapter
    source: str


_FILE_EXTS = (".csv", ".xlsx", ".xlsm", ".json", ".txt")
_FEED_HINTS = ("rss", "feed", "atom", ".xml")
_MANUAL_KEYS = ("最后发布日期", "last_post_date")
_UNREADABLE_HOSTS = {
    "mp.weixin.qq.com": "微信公众号页面无法直接采集，请提供 RSS 订阅地址（如 WeChat-to-RSS 服务）或导入文件",
    "weibo.com": "微博网页版无法直接采集，请提供 m.weibo.cn 接口地址、RSS 订阅地址或导入文件",
    "www.weibo.com": "微博网页版无法直接采集，请提供 m.weibo.cn 接口地址、RSS 订阅地址或导入文件",
    "www.douyin.com": "抖音网页无法直接采集，请提供 RSS 订阅地址或导入文件",
}


def source_of(target: Target) -> str:
    """The collection source of a target: 采集地址 / source column, else its URL."""
    for key in ("采集地址", "source"):
        v = (target.extra.get(key) or "").strip()
        if v:
            return v
    return (target.url or "").strip()


def pick_adapter(target: Target, source: str | None = None) -> AdapterChoice:
    """Choose the adapter for a target by scheme, URL shape and file extension.

    Raises :class:`NoAdapterError` (Chinese message) when nothing fits.
    """
    src = (source if source is not None else source_of(target)).strip()
    if not src:
        if any((target.extra.get(k) or "").strip() for k in _MANUAL_KEYS):
            return AdapterChoice("manual", ADAPTERS["manual"], "manual:")
        raise NoAdapterError(f"账号「{target.name or target.id}」未提供采集地址（采集地址/网址列为空）")
    low = src.lower()
    if low.startswith("manual:"):
        return AdapterChoice("manual", ADAPTERS["manual"], src)
    parts = urlsplit(src)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        host = (parts.hostname or "").lower()
        path = parts.path.lower()
        if host in _UNREADABLE_HOSTS:
            raise NoAdapterError(f"账号「{target.name or target.id}」：{_UNREADABLE_HOSTS[host]}（{src}）")
        if "weibo" in host or "/api/container/getindex" in path:
            return AdapterChoice("weibo_json", ADAPTERS["weibo_json"], src)
        if "atom" in path or "format=atom" in parts.query.lower():
            return AdapterChoice("atom", ADAPTERS["atom"], src)
        if any(h in path for h in _FEED_HINTS) or "format=rss" in parts.query.lower():
            return AdapterChoice("rss", ADAPTERS["rss"], src)
        if path.endswith(".json"):
            return AdapterChoice("weibo_json", ADAPTERS["weibo_json"], src)
        if target.kind == "website":
            raise NoAdapterError(f"「{target.name or target.id}」是网站，不属于新媒体账号采集范围")
        return AdapterChoice("html_list", ADAPTERS["html_list"], src)
    if scheme == "file" or low.endswith(_FILE_EXTS):
        if low.endswith(_FILE_EXTS):
            return AdapterChoice("file", ADAPTERS["file"], src)
        raise NoAdapterError(f"不支持的导入文件类型（支持 CSV、XLSX、JSON）：{src}")
    raise NoAdapterError(
        f"账号「{target.name or target.id}」的采集地址无法识别：{src}"
        "（支持 RSS/Atom 订阅地址、微博接口地址、网页列表地址、CSV/XLSX/JSON 导入文件、manual: 人工记录）"
    )


async def collect_account(fetcher: Fetcher, target: Target, as_of: datetime) -> AccountSnapshot:
    """Pick the adapter and collect; no fitting adapter → a ``no_source`` snapshot (never raises
    for a bad source)."""
    try:
        choice = pick_adapter(target)
    except NoAdapterError as exc:
        return AccountSnapshot(target=target, source=source_of(target), adapter="",
                               fetched_at=as_of, health=health.NO_SOURCE, health_detail=str(exc))
    return await choice.adapter.collect(fetcher, target, choice.source, as_of)


def reparse(snapshot: AccountSnapshot, as_of: datetime) -> AccountSnapshot:
    """Re-parse a stored snapshot's documents (rejudge at another as-of, after a parser fix)."""
    adapter = ADAPTERS.get(snapshot.adapter)
    if adapter is None:
        return snapshot
    return adapter.parse(snapshot.target, snapshot.source, snapshot.documents, as_of)
