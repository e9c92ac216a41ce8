"""Crawl benchmark: xuncha against Scrapy and LinkChecker on one generated site, in one run.

What it does:

1. generates (once, then re-uses from ``bench/_work/``) a deterministic 20,000-page site that
   looks like a Chinese city portal, with 50 broken internal links planted at known places, and a
   separate self-contained 2,000-page slice at ``/slice/`` with 10 planted links of its own;
2. serves both with nginx on 127.0.0.1 at a free port (stopped at the end, on failure and on
   Ctrl-C as well);
3. crawls the site, each crawler in its own process, one after the other:
   * xuncha: ``crawl_site(..., mode="links")`` (bench/_crawl_peers/xuncha_peer.py);
   * Scrapy: a minimal spider with its own seen-set, one Request per URL
     (bench/_crawl_peers/scrapy_peer.py);
   * LinkChecker: its CLI, on the 2,000-page slice only (it is ~20x slower than the others);
   all three at the same concurrency (``--concurrency``, default 16 connections to the one
   host: xuncha per-host = global = 16, Scrapy CONCURRENT_REQUESTS = _PER_DOMAIN = 16,
   LinkChecker --threads 16), robots.txt off, no delay, no throttling (LinkChecker's own rate
   limit is lifted: nginx sends the ``LinkChecker`` header and maxrequestspersecond is set to
   1,000,000, otherwise it would be held at about 3 requests/s);
4. prints, per crawler: URLs requested, wall seconds of its process, pages/s, CPU seconds
   (user + sys of the process, from ``wait4``), peak RSS (``ru_maxrss``) and whether it found
   exactly the planted broken links; the last line is::

     crawl: xuncha_pps=N scrapy_pps=N linkchecker_pps=N ratio_vs_scrapy=X exact=true|false rss_mb=N

   where ``exact`` and ``rss_mb`` are xuncha's.

"pages" counts every distinct URL a crawler requested (HTML pages, attachments, the style sheet
and logo, and the planted dead links), which is the same set for all of them; "pages/s" is that
count over the wall time of the crawler's whole process (interpreter start included, as CPU
time and RSS are whole-process figures too).

Usage::

    .venv/bin/python bench/crawl.py                 # full run, about 3-4 minutes on 2 cores
    .venv/bin/python bench/crawl.py --quick         # 2,000 pages, smoke run
    .venv/bin/python bench/crawl.py --skip-linkchecker --concurrency 32
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _crawl_peers.server import nginx, server_errors  # noqa: E402
from _crawl_peers.sitegen import site_key  # noqa: E402

PEERS = HERE / "_crawl_peers"
WORK = HERE / "_work"
LINKCHECKER_RC = "[checking]\nmaxrequestspersecond=1000000\n"


@dataclass
class Result:
    name: str
    scope: str  # what was crawled, in words
    ran: bool = False
    ok: bool = False  # the process finished and its output was understood
    fetched: int = 0  # distinct URLs requested
    expected: int = 0  # distinct URLs of the site (existing + planted dead)
    wall_s: float = 0.0
    cpu_s: float = 0.0
    rss_mb: float = 0.0
    exact: bool = False
    missing: list[str] = field(default_factory=list)  # planted but not reported
    extra: list[str] = field(default_factory=list)  # reported but not planted
    note: str = ""
    detail: dict[str, object] = field(default_factory=dict)

    @property
    def pps(self) -> float:
        return self.fetched / self.wall_s if self.ok and self.wall_s > 0 else 0.0


# --------------------------------------------------------------------------- processes
_current_child: subprocess.Popen[bytes] | None = None


def run_measured(
    cmd: list[str], out_path: Path, err_path: Path, timeout_s: float, env: dict[str, str] | None = None
) -> tuple[int | None, float, float, float]:
    """Run ``cmd`` in its own process; (exit code or None on timeout, wall s, CPU s, peak RSS MB).

    CPU and RSS come from ``wait4`` on that very child, so the figures are its own (and those
    of any children it waited for), not the benchmark's.
    """
    global _current_child
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, start_new_session=True, env=env)
        _current_child = proc
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
                if pid == proc.pid:
                    break
                if time.monotonic() > deadline:
                    _kill(proc)
                    pid, status, ru = os.wait4(proc.pid, 0)
                    proc.returncode = -9
                    return None, time.perf_counter() - t0, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024
                time.sleep(0.02)
            wall = time.perf_counter() - t0
            proc.returncode = os.waitstatus_to_exitcode(status)
            return proc.returncode, wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024
        finally:
            if proc.returncode is None:
                _kill(proc)
            _current_child = None


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # its own session: the crawler and nothing else


def _last_json(path: Path) -> dict[str, object]:
    for line in reversed(path.read_text(errors="replace").splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON line")


def _paths(urls: list[str], origin: str) -> set[str]:
    return {u[len(origin) :] if u.startswith(origin) else u for u in urls}


def _judge(res: Result, found: set[str], planted: list[str]) -> None:
    truth = set(planted)
    res.missing = sorted(truth - found)
    res.extra = sorted(found - truth)
    res.exact = not res.missing and not res.extra


def _tail(path: Path, n: int = 1500) -> str:
    try:
        return path.read_text(errors="replace")[-n:].strip()
    except OSError:
        return ""


def ensure_site(
    work: Path, pages: int, broken: int, seed: int, slice_pages: int, slice_broken: int
) -> tuple[Path, dict]:
    """Document root and manifest; the site is generated in a child process when missing.

    Generating in a child keeps this process small: a crawler started from a large parent would
    report the parent's RSS as its own peak (``ru_maxrss`` carries the high-water mark of the
    process image replaced by exec).
    """
    root = work / f"site-{site_key(pages, broken, seed, slice_pages, slice_broken)}"
    if not (root / "manifest.json").exists():
        print(f"生成测试站点：{pages} 页 + 切片 {slice_pages} 页（seed={seed}）→ {root}", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "_crawl_peers.sitegen",
                str(work),
                str(pages),
                str(broken),
                str(seed),
                str(slice_pages),
                str(slice_broken),
            ],
            cwd=HERE,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return root / "htdocs", json.loads((root / "manifest.json").read_text())


# --------------------------------------------------------------------------- crawlers
def run_xuncha(origin: str, site: dict, c: int, timeout_s: float, work: Path) -> Result:
    main = site["main"]
    res = Result("xuncha", f"全站 {main['pages']} 页", ran=True, expected=main["expected_urls"])
    out, err = work / "xuncha.out", work / "xuncha.err"
    cmd = [
        sys.executable,
        str(PEERS / "xuncha_peer.py"),
        origin + main["start"],
        "--concurrency",
        str(c),
        "--max-pages",
        str(max(25_000, main["pages"] + 1000)),
    ]
    if os.environ.get("XUNCHA_BENCH_PROFILE"):
        cmd += ["--profile", os.environ["XUNCHA_BENCH_PROFILE"]]
    rc, res.wall_s, res.cpu_s, res.rss_mb = run_measured(cmd, out, err, timeout_s)
    return _finish(res, rc, out, err, origin, main["broken"], timeout_s)


def run_scrapy(origin: str, site: dict, c: int, timeout_s: float, work: Path) -> Result:
    main = site["main"]
    res = Result("Scrapy", f"全站 {main['pages']} 页", ran=True, expected=main["expected_urls"])
    out, err = work / "scrapy.out", work / "scrapy.err"
    cmd = [sys.executable, str(PEERS / "scrapy_peer.py"), origin + main["start"], "--concurrency", str(c)]
    rc, res.wall_s, res.cpu_s, res.rss_mb = run_measured(cmd, out, err, timeout_s)
    return _finish(res, rc, out, err, origin, main["broken"], timeout_s)


def _finish(
    res: Result, rc: int | None, out: Path, err: Path, origin: str, planted: list[str], timeout_s: float
) -> Result:
    if rc is None:
        res.note = f"超时（{timeout_s:.0f} 秒）已终止"
        return res
    try:
        data = _last_json(out)
    except (OSError, ValueError):
        res.note = f"退出码 {rc}，无结果输出：{_tail(err)}"
        return res
    res.ok = True
    res.fetched = int(data["fetched"])  # type: ignore[arg-type]
    res.detail = data
    _judge(res, _paths(data["broken"], origin), planted)  # type: ignore[arg-type]
    if rc != 0:
        res.note = f"退出码 {rc}"
    return res


def run_linkchecker(origin: str, site: dict, c: int, timeout_s: float, work: Path) -> Result:
    part = site["slice"]
    res = Result(
        "LinkChecker", f"切片 {part['pages']} 页（{part['start']}）", ran=True, expected=part["expected_urls"]
    )
    exe = Path(sys.executable).with_name("linkchecker")
    if not exe.exists():
        res.ran = False
        res.note = "未安装 LinkChecker（pip install LinkChecker==10.6.0）"
        return res
    rc_file = work / "linkcheckerrc"
    rc_file.write_text(LINKCHECKER_RC)
    out, err = work / "linkchecker.csv", work / "linkchecker.err"
    cmd = [
        str(exe),
        "-f",
        str(rc_file),
        "--no-status",
        "--no-robots",
        "-v",
        "-o",
        "csv/utf-8",
        "--threads",
        str(c),
        "--timeout",
        "15",
        origin + part["start"],
    ]
    # LinkChecker keeps state under $HOME; give it a private one so a user's settings cannot leak in.
    env = dict(
        os.environ,
        HOME=str(work / "lc-home"),
        XDG_CONFIG_HOME=str(work / "lc-home" / ".config"),
        XDG_DATA_HOME=str(work / "lc-home" / ".local"),
    )
    rc, res.wall_s, res.cpu_s, res.rss_mb = run_measured(cmd, out, err, timeout_s, env=env)
    if rc is None:
        res.note = f"超时（{timeout_s:.0f} 秒）已终止"
        return res
    # Exit code 1 means "invalid links found", which is what we planted; 2 is an internal error.
    if rc not in (0, 1):
        res.note = f"退出码 {rc}：{_tail(err)}"
        return res
    inside = origin + part["prefix"]
    urls: set[str] = set()
    broken: set[str] = set()
    text = out.read_text(encoding="utf-8", errors="replace")
    rows = csv.DictReader(
        io.StringIO("\n".join(ln for ln in text.splitlines() if not ln.startswith("#"))), delimiter=";"
    )
    for row in rows:
        url = row.get("url") or ""
        if not url.startswith(inside):
            continue  # the external friend links: syntax-checked only
        urls.add(url.split("#", 1)[0])
        if row.get("valid") == "False":
            broken.add(url.split("#", 1)[0])
    res.ok = True
    res.fetched = len(urls)
    res.detail = {"broken": sorted(broken)}
    _judge(res, _paths(sorted(broken), origin), part["broken"])
    return res


# --------------------------------------------------------------------------- report
def _versions() -> str:
    out = []
    for dist in ("aiohttp", "selectolax", "Scrapy", "LinkChecker"):
        try:
            out.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            out.append(f"{dist} 未安装")
    return "，".join(out)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def print_table(results: list[Result]) -> None:
    head = ("爬虫", "范围", "页面(URL)", "秒", "页/秒", "CPU 秒", "峰值内存 MB", "精确")
    rows = []
    for r in results:
        if not r.ran:
            rows.append((r.name, r.scope, "-", "-", "-", "-", "-", "未运行"))
            continue
        fetched = f"{r.fetched}/{r.expected}" if r.ok else "-"
        exact = ("是" if r.exact else "否") if r.ok else "失败"
        rows.append(
            (
                r.name,
                r.scope,
                fetched,
                f"{r.wall_s:.1f}",
                f"{r.pps:.0f}" if r.ok else "-",
                f"{r.cpu_s:.1f}",
                f"{r.rss_mb:.0f}",
                exact,
            )
        )

    def width(s: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)

    cols = [max(width(str(x)) for x in col) for col in zip(head, *rows, strict=True)]

    def fmt(row: tuple[str, ...]) -> str:
        return "  ".join(str(x) + " " * (w - width(str(x))) for x, w in zip(row, cols, strict=True)).rstrip()

    print(fmt(head))
    print("  ".join("-" * w for w in cols))
    for row in rows:
        print(fmt(row))


def print_findings(results: list[Result], site: dict) -> None:
    for r in results:
        if not r.ran:
            print(f"- {r.name}：{r.note or '未运行'}")
            continue
        planted = site["slice" if r.name == "LinkChecker" else "main"]["broken"]
        if r.ok:
            found = len(planted) - len(r.missing) + len(r.extra)
            line = f"- {r.name}：报告失效链接 {found} 个，埋设 {len(planted)} 个"
            if r.missing:
                line += f"；漏报 {len(r.missing)} 个，如 {r.missing[:3]}"
            if r.extra:
                line += f"；误报 {len(r.extra)} 个，如 {r.extra[:3]}"
            if r.fetched != r.expected:
                line += f"；请求 URL {r.fetched} 个，站点共 {r.expected} 个"
            print(line + ("。" if not r.note else f"；{r.note}。"))
        else:
            print(f"- {r.name}：失败，{r.note}")
        d = r.detail
        if r.name == "xuncha" and r.ok:
            extra = {
                k: d.get(k)
                for k in (
                    "pages",
                    "link_checks",
                    "html",
                    "n_errors",
                    "n_blocked",
                    "n_inconclusive",
                    "max_depth",
                    "budget_exhausted",
                    "crawl_s",
                )
            }
            print(f"  xuncha 快照：{json.dumps(extra, ensure_ascii=False)}")
            for key in ("errors", "blocked", "inconclusive", "notes"):
                if d.get(key):
                    print(f"  {key}: {json.dumps(d[key], ensure_ascii=False)[:600]}")
        if r.name == "Scrapy" and r.ok and d.get("errors"):
            print(f"  errors: {json.dumps(d['errors'], ensure_ascii=False)[:600]}")


def _remove_stale_runs(work: Path) -> None:
    """Delete the folders of earlier runs whose process has ended (the last one's stay until the next run)."""
    for d in work.glob("run-*"):
        try:
            os.kill(int(d.name[4:]), 0)
        except ProcessLookupError:
            shutil.rmtree(d, ignore_errors=True)
        except (ValueError, PermissionError):
            continue


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="爬取基准：xuncha 对比 Scrapy 与 LinkChecker（同一次运行）")
    ap.add_argument("--pages", type=int, default=20_000, help="生成站点的 HTML 页数（默认 20000）")
    ap.add_argument("--broken", type=int, default=50, help="埋设的失效内部链接数（默认 50）")
    ap.add_argument("--slice-pages", type=int, default=2_000, help="LinkChecker 所爬切片的页数（默认 2000）")
    ap.add_argument("--slice-broken", type=int, default=10, help="切片内埋设的失效链接数（默认 10）")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--concurrency", type=int, default=16, help="三者相同的并发连接数（默认 16）")
    ap.add_argument("--skip-linkchecker", action="store_true", help="不运行 LinkChecker")
    ap.add_argument("--skip-scrapy", action="store_true", help="不运行 Scrapy（仅调试用）")
    ap.add_argument("--quick", action="store_true", help="冒烟运行：2000 页站点")
    ap.add_argument("--timeout", type=float, default=420, help="单个爬虫的时限，秒（默认 420）")
    ap.add_argument(
        "--budget", type=float, default=570, help="整个基准的总时限，秒（默认 570，保证 10 分钟内结束）"
    )
    ap.add_argument("--work", type=Path, default=WORK, help="工作目录（默认 bench/_work，已被 git 忽略）")
    args = ap.parse_args(argv)
    if args.quick:
        args.pages = 2_000

    def _term(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _term)
    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    t_start = time.perf_counter()
    docroot, site = ensure_site(work, args.pages, args.broken, args.seed, args.slice_pages, args.slice_broken)
    print(
        f"站点：{site['main']['pages']} 页（平均 {site['avg_page_bytes'] / 1024:.1f} KB，最深 {site['main']['max_depth']} 层，"
        f"URL 共 {site['main']['expected_urls']} 个，埋设失效链接 {len(site['main']['broken'])} 个）；"
        f"切片 /slice/ {site['slice']['pages']} 页（埋设 {len(site['slice']['broken'])} 个）；seed={args.seed}"
    )
    print(
        f"机器：{os.cpu_count()} 核 {_cpu_model()}，Python {platform.python_version()}，"
        f"负载 {' '.join(f'{x:.2f}' for x in os.getloadavg())}；{_versions()}"
    )
    # One folder per run (outputs, nginx config and logs): two runs at once must not share files.
    _remove_stale_runs(work)
    run_dir = work / f"run-{os.getpid()}"
    run_dir.mkdir(exist_ok=True)
    results: list[Result] = []
    try:
        with nginx(docroot, run_dir / "nginx") as (port, version):
            origin = f"http://127.0.0.1:{port}"
            print(
                f"服务器：nginx {version}（1 个 worker）于 {origin}；并发 {args.concurrency}（三者相同），"
                "robots.txt 关闭，无延迟，无限速"
            )
            print(flush=True)
            later = int(not args.skip_scrapy) + int(not args.skip_linkchecker)

            def allowance() -> float:
                # Whatever happens, the whole run ends within --budget: every crawler still to come
                # keeps a reserve of 90 s (LinkChecker's slice takes ~45 s, Scrapy runs before it).
                left = t_start + args.budget - time.perf_counter() - 90 * later
                return max(10.0, min(args.timeout, left))

            results.append(run_xuncha(origin, site, args.concurrency, allowance(), run_dir))
            if args.skip_scrapy:
                results.append(Result("Scrapy", "全站", note="--skip-scrapy"))
            else:
                later -= 1
                results.append(run_scrapy(origin, site, args.concurrency, allowance(), run_dir))
            if args.skip_linkchecker:
                results.append(Result("LinkChecker", "切片", note="--skip-linkchecker"))
            else:
                later -= 1
                results.append(run_linkchecker(origin, site, args.concurrency, allowance(), run_dir))
    except KeyboardInterrupt:
        if _current_child is not None:
            _kill(_current_child)
        print("已中断；nginx 已停止。", file=sys.stderr)
        return 130

    print_table(results)
    print()
    print_findings(results, site)
    errors = server_errors(run_dir / "nginx")
    if errors:
        print(f"- 警告：nginx 报告 {len(errors)} 条严重错误，结果不可信，如：{errors[0][:300]}")
    xun, scr, lc = results
    ratio = xun.pps / scr.pps if scr.pps > 0 else 0.0
    goal = xun.ok and xun.exact and ratio >= 5 and xun.rss_mb <= 250
    print(
        f"- 目标（xuncha ≥ 5× Scrapy、失效链接精确、峰值内存 ≤ 250 MB）：{'达成' if goal else '未达成'}；"
        f"基准总用时 {time.perf_counter() - t_start:.0f} 秒；每次运行的原始输出在 {run_dir}"
    )
    print(
        f"crawl: xuncha_pps={xun.pps:.0f} scrapy_pps={scr.pps:.0f} linkchecker_pps={lc.pps:.0f} "
        f"ratio_vs_scrapy={ratio:.1f} exact={'true' if xun.ok and xun.exact else 'false'} rss_mb={xun.rss_mb:.0f}"
    )
    return 0 if xun.ok else 1


if __name__ == "__main__":
    sys.exit(main())
