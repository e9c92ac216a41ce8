"""Plumbing shared by the console's route modules: the error types the app turns into a Chinese
page or ``{"error": ..., "status": N}``, content negotiation, and the per-app helpers bundle."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from xuncha.errors import ConfigError
from xuncha.scoring.ruleset import RuleSet, available_rulesets, load_ruleset
from xuncha.settings import Settings
from xuncha.store import Store
from xuncha.store.web_api import WebSession

Handler = Callable[..., Response]


class WebError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class NotLoggedIn(Exception):
    pass


def wants_json(request: Request) -> bool:
    if request.query_params.get("format") == "json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


@dataclass(frozen=True)
class Console:
    """What ``create_app`` hands to route modules: the store and its request helpers."""

    store: Store
    page: Callable[..., Response]  # (request, template, ctx, data, status=200) -> HTML or JSON
    session_of: Callable[[Request], WebSession]  # raises NotLoggedIn
    body: Callable[[Request], Awaitable[dict[str, Any]]]  # form or JSON body
    check_csrf: Callable[[Request, WebSession, dict[str, Any]], None]  # raises WebError(403)
    # Settings for inspections started from the console (db_url, collection, rule set).
    settings: Settings = field(default_factory=Settings)
    # Where the console keeps uploads and the output folders of inspections it started.
    data_dir: Path = Path("xuncha-data")

    def post(self, app: FastAPI, path: str) -> Callable[[Handler], Handler]:
        """Register ``handler(request, *path_values, data)`` as the POST route ``path``: the body
        (form or JSON) is read in the event loop, then the plain function runs in the thread pool
        (the store is synchronous)."""

        def register(handler: Handler) -> Handler:
            async def endpoint(request: Request) -> Response:
                data = await self.body(request)
                return await run_in_threadpool(handler, request, *request.path_params.values(), data)

            endpoint.__name__ = handler.__name__.lstrip("_")
            app.add_api_route(path, endpoint, methods=["POST"])
            return handler

        return register


def ruleset_named(name: str) -> RuleSet:
    """The rule set ``name``, or a WebError: 400 for an unknown name, 500 for a broken file."""
    if name not in available_rulesets():
        raise WebError(400, f"评分规则集「{name}」不存在（可用：{'、'.join(available_rulesets())}）")
    try:
        return load_ruleset(name)
    except ConfigError as exc:
        raise WebError(500, str(exc)) from exc


def is_web_url(value: object) -> bool:
    """Whether ``value`` is an http(s) URL with a host: the only kind the pages render as a link
    (a stored ``javascript:`` or ``data:`` URL stays text)."""
    if not isinstance(value, str) or len(value) > 4096:
        return False
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def parse_id(raw: object, max_digits: int = 12) -> int | None:
    """A row id from a path, query or body value: ASCII digits only (``"²".isdigit()`` is true),
    at most ``max_digits`` of them (larger numbers overflow the database); None otherwise."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        raw = str(raw)
    if not isinstance(raw, str):
        return None
    raw = raw.strip()
    if not raw or not raw.isascii() or not raw.isdecimal() or len(raw) > max_digits:
        return None
    return int(raw)


def text(data: dict[str, Any], name: str) -> str:
    """A text field of a form or JSON body, stripped ("" when absent or null). A JSON number is
    taken as its digits; a list, object or boolean is a 400 naming the field, never a silent ""."""
    v = data.get(name)
    if v is None:
        return ""
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, int | float) and not isinstance(v, bool):
        return str(v)
    raise WebError(400, f"字段「{name}」应为文本")
