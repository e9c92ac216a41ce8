"""Builders for the security tests: pages, snapshots, contexts (no network)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import xuncha.checks.security  # noqa: F401  (registers W.VETO.SECURITY)
from xuncha.checks import REGISTRY, CheckContext
from xuncha.extract.visibility import LinkView, PageView, page_view
from xuncha.model import Attachment, Column, Finding, Page, SiteSnapshot, SiteStructure, Target
from xuncha.settings import TZ

CODE = "W.VETO.SECURITY"
HOME = "https://www.example.gov.cn/"
NAME = "示例市人民政府门户网站"
AS_OF = datetime(2025, 3, 1, 12, 0, tzinfo=TZ)
FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def u(path: str) -> str:
    return HOME + path.lstrip("/")


def doc(body: str, head: str = "", title: str = NAME) -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{head}</head><body>{body}</body></html>"


def page(path: str, html: str, role: str = "other", **kw: object) -> Page:
    base: dict[str, object] = dict(
        url=u(path), final_url=u(path), status=200, content_type="text/html", html=html, role=role,
        size=len(html),
    )
    base.update(kw)
    return Page(**base)  # type: ignore[arg-type]


def home(html: str, **kw: object) -> Page:
    return page("", html, role="home", **kw)


def target() -> Target:
    return Target(id="4100000001", kind="website", name=NAME, url=HOME, category="政府门户网站")


def snapshot(
    pages: list[Page], cloaked: list[Page] | None = None, attachments: list[Attachment] | None = None
) -> SiteSnapshot:
    return SiteSnapshot(
        target=target(), home_url=HOME, started_at=AS_OF - timedelta(minutes=10), pages=pages,
        cloaked=cloaked or [], attachments=attachments or [],
    )


def ctx(snap: SiteSnapshot, *, baseline: dict | None = None, columns: list[Column] | None = None) -> CheckContext:
    c = CheckContext(
        target=snap.target, snapshot=snap, site=SiteStructure(home_url=HOME, columns=columns or []), as_of=AS_OF
    )
    if baseline is not None:
        c.baseline = baseline  # type: ignore[attr-defined]
    return c


def run(c: CheckContext) -> list[Finding]:
    return list(REGISTRY[CODE].func(c))


def run_home(body: str, head: str = "", **kw: object) -> list[Finding]:
    return run(ctx(snapshot([home(doc(body, head, **kw))])))  # type: ignore[arg-type]


def kinds(found: list[Finding]) -> list[str]:
    return [str(f.detail.get("kind")) for f in found]


def view(body: str, head: str = "", scripts: dict[str, str] | None = None) -> PageView:
    return page_view(doc(body, head), HOME, scripts)


def link(v: PageView, needle: str) -> LinkView:
    for lv in v.links:
        if needle in lv.url:
            return lv
    raise AssertionError(f"no link {needle} in {[lv.url for lv in v.links]}")
