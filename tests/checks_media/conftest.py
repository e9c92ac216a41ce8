"""Factories for the new-media account checks: AccountSnapshot objects built directly."""

from __future__ import annotations

from datetime import datetime, timedelta

import xuncha.checks.media  # noqa: F401 - registers the M.* checks
from xuncha.checks import CheckContext, run_checks
from xuncha.model import AccountSnapshot, AccountState, Finding, Post, Target
from xuncha.settings import TZ

AS_OF = datetime(2024, 5, 20, 12, 0, tzinfo=TZ)
ACCOUNT_URL = "https://weixin.example.gov.cn/account/cdfb"


def make_target(id: str = "WX0001", **kw: object) -> Target:
    base: dict[str, object] = {"kind": "wechat", "name": "成都发布", "url": ACCOUNT_URL,
                               "owner": "成都市人民政府新闻办公室", "status": "running"}
    base.update(kw)
    return Target(id=id, **base)  # type: ignore[arg-type]


def post(days_ago: float, title: str = "工作动态", text: str = "", **kw: object) -> Post:
    """A post published ``days_ago`` days before AS_OF (negative: after it)."""
    n = post.counter = getattr(post, "counter", 0) + 1  # type: ignore[attr-defined]
    url = str(kw.pop("url", f"https://mp.example.gov.cn/s/{n}"))
    return Post(url=url, title=title, text=text, published_at=AS_OF - timedelta(days=days_ago), **kw)  # type: ignore[arg-type]


def make_account(posts: list[Post] | None = None, *, target: Target | None = None, health: str = "ok",
                 health_detail: str = "", adapter: str = "rss", state: AccountState | None = None) -> AccountSnapshot:
    return AccountSnapshot(target=target or make_target(), source="https://feeds.example.gov.cn/cdfb.xml",
                           adapter=adapter, fetched_at=AS_OF, health=health, health_detail=health_detail,
                           state=state or AccountState(), posts=list(posts or []))


def run(code: str, account: AccountSnapshot | None = None, *, target: Target | None = None,
        peers: list[Target] | None = None, repost_tasks: list[dict[str, object]] | None = None) -> list[Finding]:
    t = target or (account.target if account is not None else make_target())
    ctx = CheckContext(t, None, None, AS_OF, account=account, peers=peers or [t],
                       repost_tasks=repost_tasks or [])
    return run_checks(ctx, [code])


def severities(found: list[Finding]) -> list[str]:
    return [f.severity for f in found]
