"""Plumbing shared by the console's route modules: the error types the app turns into a Chinese
page or ``{"error": ..., "status": N}``, content negotiation, and the per-app helpers bundle."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from xuncha.store import Store
from xuncha.store.web_api import WebSession


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
