"""The demo world's new-media accounts, collected over loopback by the real adapters."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from xuncha.collect.http import Fetcher
from xuncha.collect.media import collect_account, health
from xuncha.collect.media.weibo import parse_weibo_date
from xuncha.demo import DemoServer, World
from xuncha.demo.media import weibo_display_date
from xuncha.demo.world import write_registry_files
from xuncha.registry.reader import load_registry
from xuncha.settings import TZ

from ._helpers import AS_OF

T = datetime(AS_OF.year, AS_OF.month, AS_OF.day, 23, 59, tzinfo=TZ)


async def _collect(server: DemoServer, world: World) -> dict[str, object]:
    server.write_registry()
    try:
        targets = {t.id: t for t in load_registry(world.registry_xlsx).targets if t.kind != "website"}
    finally:
        write_registry_files(world)  # back to the canonical URLs for the other tests
    async with Fetcher(server.collect_settings()) as f:
        return {tid: await collect_account(f, t, T) for tid, t in targets.items()}


def _newest(snap: object) -> datetime | None:
    fresh = health.fresh_posts(snap.posts, T)  # type: ignore[attr-defined]
    return max((p.published_at for p in fresh if p.published_at), default=None)


async def test_accounts_collect_as_planted(server: DemoServer, world: World) -> None:
    snaps = await _collect(server, world)
    ok = {tid for tid, s in snaps.items() if s.health == health.OK}  # type: ignore[attr-defined]
    assert ok == {"gh_5c2e9a1f7b3d", "gh_3b7d1e9c2a58", "1990000001", "1990000002", "1990000003",
                  "dy_qingshanwenlv", "app_qingshantong", "gh_6d4c2b8a0e17"}
    assert snaps["gh_8e2f4a6c1d90"].health == health.BLOCKED  # type: ignore[attr-defined]
    assert snaps["gh_1f9e7d5b3c64"].health == health.NO_SOURCE  # type: ignore[attr-defined]
    age = {tid: (T - n).days for tid in ok if (n := _newest(snaps[tid])) is not None}
    for tid in ("gh_5c2e9a1f7b3d", "1990000001", "1990000002", "1990000003", "dy_qingshanwenlv", "app_qingshantong"):
        assert age[tid] < 4, tid
    assert age["gh_6d4c2b8a0e17"] == 100  # dormant
    # stale: newest ordinary post 20 days old; the feed's pinned item (1 day old) is marked 置顶
    stale = snaps["gh_3b7d1e9c2a58"]
    ordinary = [p for p in stale.posts if "置顶" not in p.title]  # type: ignore[attr-defined]
    assert (T - max(p.published_at for p in ordinary)).days == 20
    feed = (world.root / "media/rss.qingshan.gov.cn/feeds/wechat/gh_3b7d1e9c2a58.xml").read_text(encoding="utf-8")
    assert feed.count("<category>置顶</category>") == 1
    # Weibo: display name differs from the registry for 1990000002; reposts and a pinned old post
    assert snaps["1990000002"].state.display_name == "平安青山"  # type: ignore[attr-defined]
    assert snaps["1990000003"].state.display_name == "青山公安"  # type: ignore[attr-defined]
    wb = snaps["1990000001"]
    assert wb.state.display_name == "青山发布" and wb.state.verified  # type: ignore[attr-defined]
    assert sum(p.kind == "repost" for p in wb.posts) == 2  # type: ignore[attr-defined]
    pinned = [p for p in wb.posts if p.pinned]  # type: ignore[attr-defined]
    assert len(pinned) == 1 and (T - pinned[0].published_at).days >= 199
    assert all(p.comments_enabled for p in wb.posts)  # type: ignore[attr-defined]
    titles = [p.title for p in snaps["dy_qingshanwenlv"].posts]  # type: ignore[attr-defined]
    assert any("国务院总理李墙" in t for t in titles) and any("按装" in t for t in titles)
    # the repost task: done by the clean WeChat account before the deadline, not by the app
    task = json.loads(world.repost_tasks.read_text(encoding="utf-8"))[0]  # type: ignore[union-attr]
    assert task["targets"] == ["gh_5c2e9a1f7b3d", "app_qingshantong"]
    deadline = datetime.fromisoformat(task["deadline"]).date()
    done = [p for p in snaps["gh_5c2e9a1f7b3d"].posts if p.title == task["title"]]  # type: ignore[attr-defined]
    assert len(done) == 1 and done[0].published_at.date() <= deadline and task["url"] in done[0].links
    assert not [p for p in snaps["app_qingshantong"].posts if p.title == task["title"]]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("hours", "shown"), [(0.01, "刚刚"), (0.5, "30分钟前"), (3, "3小时前"), (30, "昨天 "),
                                              (24 * 5, "-"), (24 * 400, "-")])
def test_weibo_relative_dates_round_trip(hours: float, shown: str) -> None:
    now = datetime(2025, 3, 15, 14, 0, tzinfo=TZ)
    when = now - timedelta(hours=hours)
    text = weibo_display_date(when, now)
    assert shown in text
    back = parse_weibo_date(text, now)
    assert back is not None and abs(back - when) <= timedelta(days=1)
    if hours == 30:
        assert back == when.replace(second=0, microsecond=0)
