"""Hostile and broken sites through the whole pipeline: never a crash, never a false veto.

A site that answers 403 to everything (a WAF) is *inconclusive*; a redirect loop and a refused
port are unreachable; a huge page is cut and the rest of the run goes on.
"""

from __future__ import annotations

import asyncio
import socket
from datetime import datetime
from pathlib import Path

from aiohttp import web

from xuncha.model import Target
from xuncha.pipeline import inspect_async
from xuncha.registry import write_registry
from xuncha.settings import TZ, Settings
from xuncha.store import Store

AS_OF = datetime(2025, 3, 20, 23, 59, 59, tzinfo=TZ)
HOSTS = ("www.waf.gov.cn", "www.loop.gov.cn", "www.huge.gov.cn", "www.refused.gov.cn")


def _app() -> web.Application:
    async def handle(request: web.Request) -> web.StreamResponse:
        host = (request.host or "").split(":")[0]
        if host == "www.waf.gov.cn":
            return web.Response(status=403, text="<html><body>访问被拒绝：安全验证</body></html>",
                                content_type="text/html")
        if host == "www.loop.gov.cn":
            nxt = "/b" if request.path != "/b" else "/"
            raise web.HTTPFound(nxt)
        if host == "www.huge.gov.cn":
            resp = web.StreamResponse(headers={"Content-Type": "text/html; charset=utf-8"})
            await resp.prepare(request)
            await resp.write(b"<html><head><title>huge</title></head><body>")
            chunk = ("<p>" + "大" * 2000 + "</p>").encode() * 16
            for _ in range(400):  # ~38 MB, cut by the fetcher at max_page_bytes
                try:
                    await resp.write(chunk)
                except (ConnectionError, RuntimeError):
                    break
            return resp
        raise web.HTTPNotFound()

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_hostile_sites_end_as_findings_not_crashes(tmp_path: Path) -> None:
    async def go():  # type: ignore[no-untyped-def]
        runner = web.AppRunner(_app())
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        dead = _free_port()
        targets = [
            Target(f"99000000{i:02d}", "website", f"测试站{i}", f"http://{h}:{dead if 'refused' in h else port}/",
                   owner="测试单位", category="部门网站")
            for i, h in enumerate(HOSTS, 1)
        ]
        reg = write_registry(targets, tmp_path / "r.xlsx")
        settings = Settings(db_url=f"sqlite:///{tmp_path / 'h.db'}").with_collect(
            resolve=tuple((h, ("127.0.0.1",)) for h in HOSTS), loopback_only=True,
            max_page_bytes=1024 * 1024, probes_per_run=3, probe_interval_s=0.1, retries=0,
        )
        try:
            return await asyncio.wait_for(
                inspect_async(reg, as_of=AS_OF, out=tmp_path / "out", settings=settings), timeout=120)
        finally:
            await runner.cleanup()

    outcome = asyncio.run(go())
    by_name = {r.target.name: r for r in outcome.results}
    waf, loop, huge, refused = (by_name[f"测试站{i}"] for i in range(1, 5))

    # 403 everywhere: nothing can be judged, nothing fails
    assert waf.veto_codes == [] and not any(f.severity == "deduct" for f in waf.findings)
    assert any(f.severity == "inconclusive" for f in waf.findings) and waf.inconclusive_reasons
    # a redirect loop and a refused port are unreachable
    assert "W.VETO.UNREACHABLE" in loop.veto_codes
    assert "W.VETO.UNREACHABLE" in refused.veto_codes
    # the huge page was read (truncated), the site judged, and the run finished
    assert "W.VETO.UNREACHABLE" not in huge.veto_codes and huge.pages_crawled >= 1
    with Store(f"sqlite:///{tmp_path / 'h.db'}") as st:
        home = st.load_snapshot(outcome.run_id, huge.target.id).pages[0]
        assert home.truncated and home.size <= 1024 * 1024 + 65536
        assert st.get_run(outcome.run_id).status == "done"
