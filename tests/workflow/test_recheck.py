"""Automatic re-check against a tiny site served on loopback (never a real host): the unit
fixes the footer (the test swaps the served HTML) → the case closes; not fixed → it reopens
with a new deadline; site down → inconclusive, the case goes back where it was."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date, datetime

import pytest
from aiohttp import web

from xuncha.collect.http import Fetcher
from xuncha.collect.site import collect_site
from xuncha.model import Finding, Target
from xuncha.pipeline import judge
from xuncha.settings import TZ, CollectSettings, Settings
from xuncha.workflow import rectify as rc
from xuncha.workflow.types import WorkflowError

HOST = "www.jcs.gov.cn"
AS_OF = datetime(2025, 9, 26, 10, 0, tzinfo=TZ)
FOOTER_OK = ("主办单位：检查市人民政府办公室 网站标识码：9901000099 "
             '<a href="https://beian.miit.gov.cn/">京ICP备12345678号</a> 京公网安备 11010502030143号 '
             "联系电话：010-12345678")
FOOTER_BAD = ("主办单位：检查市人民政府办公室 "
              '<a href="https://beian.miit.gov.cn/">京ICP备12345678号</a> 京公网安备 11010502030143号 '
              "联系电话：010-12345678")


def page(footer: str) -> str:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>检查市人民政府</title></head><body>"
            f"<div class='header'><h1>检查市人民政府</h1></div>"
            f"<ul><li><a href='/xw/1.html'>检查市召开全市政府网站工作会议</a> <span>2025-09-25</span></li></ul>"
            f"<div class='footer'>{footer}</div></body></html>")


class Site:
    def __init__(self) -> None:
        self.html = page(FOOTER_BAD)
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def handle(self, request: web.Request) -> web.Response:
        if request.path in ("/", "/index.html"):
            return web.Response(text=self.html, content_type="text/html", charset="utf-8")
        if request.path == "/xw/1.html":
            return web.Response(text=page(FOOTER_OK).replace("<ul>", "<p>正文</p><ul>"), content_type="text/html",
                                charset="utf-8")
        return web.Response(status=404, text="not found")

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        assert self.runner is not None
        await self.runner.cleanup()

    @property
    def target(self) -> Target:
        return Target(id="9901000099", kind="website", name="检查市人民政府", url=f"http://{HOST}:{self.port}/",
                      owner="检查市政府办公室", category="政府门户网站")

    def settings(self, db_url: str = "sqlite:///unused.db") -> Settings:
        collect = CollectSettings(resolve=((HOST, ("127.0.0.1",)),), loopback_only=True, probes_per_run=1,
                                  probe_interval_s=0.0, retries=0, max_pages=5, max_depth=1, timeout_s=5.0,
                                  connect_timeout_s=2.0, check_external_links=False, respect_robots=False)
        return replace(Settings(), collect=collect, db_url=db_url)


async def first_finding(site: Site):
    settings = site.settings()
    async with Fetcher(settings.collect) as f:
        snap = await collect_site(f, site.target, settings.collect, AS_OF)
    found = judge(snap, AS_OF, settings, codes=["W.ID.FOOTER"])
    missing = [x for x in found if x.detail.get("mark") == "site_code"]
    assert len(missing) == 1, found
    return missing[0]


def _open_notified(store, site: Site, finding) -> int:
    cid = rc.open_case(store, target=site.target, finding=finding, run_id=None, opened_by="巡查员甲",
                       working_days=5, today=date(2025, 9, 26))
    rc.notify(store, cid, by="科长乙")
    rc.submit(store, cid, by="检查市政府办公室", note="已在页脚补充网站标识码")
    return cid


@pytest.mark.parametrize("fixed", [True, False])
def test_recheck_closes_when_fixed_and_reopens_when_not(store, fixed: bool) -> None:
    async def go() -> rc.RecheckResult:
        site = Site()
        await site.start()
        try:
            cid = _open_notified(store, site, await first_finding(site))
            if fixed:
                site.html = page(FOOTER_OK)
            return await rc.recheck_async(store, cid, settings=site.settings(), by="巡查员甲",
                                          as_of=datetime(2025, 9, 30, 15, 0, tzinfo=TZ))
        finally:
            await site.stop()

    res = asyncio.run(go())
    case = store.get_case(res.case_id)
    trail = store.case_events(res.case_id)
    assert [e.to_state for e in trail][-2:] == ["rechecking", res.state]
    assert trail[-1].data["outcome"] == res.outcome and trail[-1].by == "巡查员甲"
    if fixed:
        assert (res.outcome, case.state, res.still_present) == ("closed", "closed", [])
        assert case.closed_on_time is True and "问题已不存在" in trail[-1].note
    else:
        assert (res.outcome, case.state, case.reopen_count) == ("reopened", "reopened", 1)
        assert res.still_present[0].key == case.finding_key
        assert case.deadline == date(2025, 10, 14) and "底部功能区缺少网站标识码" in trail[-1].note
        assert any(f["detail"].get("mark") == "site_code" for f in trail[-1].data["findings"])
        assert res.pages >= 1


def test_recheck_unreachable_is_inconclusive(sqlite_store) -> None:
    store = sqlite_store

    async def go() -> tuple[int, rc.RecheckResult]:
        site = Site()
        await site.start()
        cid = _open_notified(store, site, await first_finding(site))
        await site.stop()  # the site is down at the re-check
        return cid, await rc.recheck_async(store, cid, settings=site.settings(), by="巡查员甲", as_of=AS_OF)

    cid, res = asyncio.run(go())
    assert res.outcome == "inconclusive" and res.state == "submitted"
    assert store.get_case(cid).state == "submitted"
    assert "无法判断" in store.case_events(cid)[-1].note


def test_recheck_refused_before_notice(sqlite_store) -> None:
    site = Site()
    site.port = 9  # never contacted: the transition is refused first
    cid = rc.open_case(sqlite_store, target=site.target,
                       finding=Finding(
                           target_id=site.target.id, code="W.ID.FOOTER", severity="deduct", url=site.target.url,
                           evidence="底部功能区缺少网站标识码", detected_at=AS_OF, detail={"mark": "site_code"}),
                       run_id=None, opened_by="甲")
    with pytest.raises(WorkflowError, match="待通知.*不能复查"):
        rc.recheck(sqlite_store, cid, settings=site.settings(), by="甲")
