"""New-media scale benchmark: inspect 2,000 accounts in one run (issue: new-media inspection).

    .venv/bin/python bench/media.py                 # 2,000 WeChat-to-RSS accounts
    .venv/bin/python bench/media.py --accounts 500  # smaller

A loopback aiohttp server answers one RSS feed per account (30 posts each, generated from a seed;
every 10th account is stale: newest post 20 days before the monitoring point). The registry
lists the accounts with their feed as 采集地址. Two things run in the same process, one after the
other, over the same feeds:

- xuncha: the whole ``inspect`` pipeline for accounts (fetch, parse, store every document and
  post in SQLite, run all 12 M.* checks including the text engines, write the reports);
- raw: the peer floor — the same fetches with the same concurrency and a bare ElementTree parse,
  nothing stored or checked. The ratio says what the inspection costs beyond fetching.

``exact`` is true when exactly the planted stale accounts got M.VETO.STALE. The last line reads
``media: accounts=N xuncha_ms_per_account=X raw_ms_per_account=X ratio=X exact=true|false``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import shutil
import sys
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent / "src"))

from xuncha.pipeline import inspect_async  # noqa: E402
from xuncha.settings import TZ, Settings  # noqa: E402

HOST = "rss.bench.gov.cn"
AS_OF = datetime(2025, 3, 20, 23, 59, 59, tzinfo=TZ)
TOPICS = ["召开专题会议部署春季防火工作", "开展安全生产大检查", "推进优化营商环境改革", "发布住房公积金新政策",
          "举办就业招聘会", "开展文明城市创建活动", "启动春耕生产", "召开民生实事推进会"]


def feed(i: int, stale: bool) -> bytes:
    rng = random.Random(i)
    newest = AS_OF - timedelta(days=20 if stale else rng.randint(0, 3), hours=rng.randint(1, 12))
    items = []
    for k in range(30):
        when = newest - timedelta(days=2 * k, hours=rng.randint(0, 5))
        title = f"{rng.choice(['青山市', '河西区', '东岭县'])}{rng.choice(TOPICS)}（第{k + 1}期）"
        body = f"<p>{title}。会议要求，各部门要提高认识，狠抓落实，确保各项任务按期完成。</p>"
        items.append(
            f"<item><title>{title}</title><link>https://mp.weixin.qq.com/s/{i}_{k}</link>"
            f"<description><![CDATA[{body}]]></description><pubDate>{format_datetime(when)}</pubDate></item>"
        )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>账号{i}</title>'
            + "".join(items) + "</channel></rss>").encode()


async def serve(n: int, stale: set[int]) -> tuple[web.AppRunner, int]:
    cache = {i: feed(i, i in stale) for i in range(n)}

    async def handle(request: web.Request) -> web.Response:
        i = int(request.match_info["i"])
        return web.Response(body=cache[i], content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/feed/{i}.xml", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]


def registry(path: Path, n: int, port: int) -> None:
    lines = ["id,kind,name,url,owner,region,category,status,source"]
    for i in range(n):
        lines.append(f"gh_{i:06d},wechat,青山账号{i},https://mp.weixin.qq.com/profile/{i},青山市单位{i},"
                     f"示例省/青山市,,运行,http://{HOST}:{port}/feed/{i}.xml")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


async def raw_floor(n: int, port: int, concurrency: int) -> float:
    """Fetch every feed with the same concurrency and parse it with ElementTree; nothing else."""
    sem = asyncio.Semaphore(concurrency)
    conn = aiohttp.TCPConnector(limit=concurrency)
    items = 0
    t0 = time.perf_counter()
    async with aiohttp.ClientSession(connector=conn) as session:
        async def one(i: int) -> None:
            nonlocal items
            async with sem, session.get(f"http://127.0.0.1:{port}/feed/{i}.xml", headers={"Host": HOST}) as r:
                data = await r.read()
            items += len(ET.fromstring(data).findall("./channel/item"))

        await asyncio.gather(*(one(i) for i in range(n)))
    assert items == 30 * n
    return time.perf_counter() - t0


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--accounts", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=32)
    args, _ = ap.parse_known_args()  # ./dev bench passes the same options to every benchmark
    n = args.accounts
    stale = {i for i in range(n) if i % 10 == 0}
    work = ROOT / "_work" / "media"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    runner, port = await serve(n, stale)
    try:
        reg = work / "registry.csv"
        registry(reg, n, port)
        settings = Settings(db_url=f"sqlite:///{work / 'media.db'}").with_collect(
            resolve=((HOST, ("127.0.0.1",)),), loopback_only=True, per_host_concurrency=args.concurrency,
            global_concurrency=args.concurrency, sites_concurrency=args.concurrency, respect_robots=False,
        )
        cpu0 = time.process_time()
        t0 = time.perf_counter()
        outcome = await inspect_async(reg, as_of=AS_OF, out=work / "out", settings=settings)
        xuncha_s = time.perf_counter() - t0
        xuncha_cpu = time.process_time() - cpu0
        raw_s = await raw_floor(n, port, args.concurrency)
    finally:
        await runner.cleanup()

    vetoed = {int(r.target.id[3:]) for r in outcome.results if "M.VETO.STALE" in r.veto_codes}
    healthy = sum(1 for r in outcome.results if r.health == "ok")
    exact = vetoed == stale
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"accounts {n} (stale planted {len(stale)}, concurrency {args.concurrency}), 30 posts each")
    print(f"  xuncha inspect: {xuncha_s:7.1f} s wall, {xuncha_cpu:6.1f} s CPU, {1000 * xuncha_s / n:6.1f} ms/account, "
          f"{n / xuncha_s:6.1f} accounts/s; health ok {healthy}/{n}; M.VETO.STALE {len(vetoed)} (exact: {exact})")
    print(f"  raw fetch+parse:{raw_s:7.1f} s wall, {1000 * raw_s / n:6.1f} ms/account (peer floor)")
    print(f"  peak RSS {rss_mb:.0f} MB (whole benchmark process)")
    print(f"media: accounts={n} xuncha_ms_per_account={1000 * xuncha_s / n:.1f} "
          f"raw_ms_per_account={1000 * raw_s / n:.1f} ratio={xuncha_s / raw_s:.1f} exact={'true' if exact else 'false'}")


if __name__ == "__main__":
    asyncio.run(main())
