"""Fixtures of the web console tests: a small stored world (two runs, two owners, two regions),
five accounts, and the real app served by uvicorn on a free local port (driven with httpx).

``site_world`` adds a tiny website served on loopback (never a real host) and a third run that
inspected it, with the app's re-check collecting from it (``create_app(collect_settings=...)``):
the tests swap the served footer to play the unit fixing (or not fixing) its site."""

from __future__ import annotations

import asyncio
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from xuncha.model import Finding, Target, TargetResult
from xuncha.settings import TZ, CollectSettings, Settings
from xuncha.store import Store
from xuncha.web.app import create_app
from xuncha.web.auth import hash_password

AS_OF = datetime(2026, 3, 16, 9, 0, tzinfo=TZ)
PASSWORD = "pw-123456"
OWNER_A, OWNER_B = "甲县人民政府办公室", "乙市人民政府办公室"

TARGETS = {
    "A1": Target("A1", "website", "甲县人民政府", "https://a1.example.gov.cn/", OWNER_A, "示例省/青山市/甲县",
                 "政府门户网站"),
    "A2": Target("A2", "wechat", "甲县发布", "https://mp.example.com/a2", OWNER_A, "示例省/青山市/甲县", ""),
    "B1": Target("B1", "website", "乙市人民政府", "https://b1.example.gov.cn/", OWNER_B, "示例省/白水市",
                 "政府门户网站"),
    "B2": Target("B2", "website", "乙市教育局", "https://b2.example.gov.cn/", OWNER_B, "示例省/白水市", "部门网站"),
}

USERS = {  # username: (role, region, owner)
    "sup": ("supervisor", "", ""),
    "sup_qs": ("supervisor", "示例省/青山市", ""),
    "unit_a": ("unit", "", OWNER_A),
    "unit_b": ("unit", "", OWNER_B),
    "aud": ("auditor", "", ""),
}


def findings(at: datetime) -> list[Finding]:
    return [
        Finding("A1", "W.VETO.SERIOUS_ERROR", "veto", "https://a1.example.gov.cn/xw/1.html",
                "疑似严重表述错误：「中国共产党第十九次全国代表大会」写作「第十九次全国人民代表大会」", at,
                {"found": "第十九次全国人民代表大会", "suggestion": "改为「中国共产党第十九次全国代表大会」"}, True),
        Finding("A1", "W.PUB.OVERVIEW", "deduct", "https://a1.example.gov.cn/gk/", "概况信息栏目未更新", at,
                {"column": "概况信息"}),
        Finding("B1", "W.VETO.UNREACHABLE", "veto", "https://b1.example.gov.cn/", "首页连续无法访问", at, {}),
        Finding("B1", "W.PRIVACY.LEAK", "deduct", "https://b1.example.gov.cn/gs/2.html", "公示名单含身份证号",
                at, {"masked": "5101**********1234", "suggestion": "删除或遮盖身份证号"}),
        Finding("B2", "W.CONTENT.TYPO", "deduct", "https://b2.example.gov.cn/xw/3.html", "错别字：「既使」",
                at, {"found": "既使", "suggestion": "改为「即使」"}),
        Finding("B2", "W.PUB.NEWS_STALE", "advisory", "https://b2.example.gov.cn/", "动态要闻 12 天未更新（预警）",
                at, {"warning": True}),
    ]


def build_store(url: str) -> dict[str, int]:
    """Two finished runs (a round two weeks earlier, then the current one) and the accounts."""
    runs = {}
    with Store(url) as st:
        for name, as_of in (("old", AS_OF - timedelta(days=14)), ("new", AS_OF)):
            rid = st.create_run(as_of, "registry.csv", {})
            for t in TARGETS.values():
                st.save_target_result(rid, TargetResult(t, pages_crawled=12 if t.kind == "website" else 0,
                                                        inconclusive_reasons=["部分页面被拦截（WAF）"]
                                                        if t.id == "B2" else []))
            jid = st.new_judgement(rid, as_of, "inspect", ruleset="national-2019")
            fs = findings(as_of)
            if name == "old":
                fs = [f for f in fs if f.target_id != "B1"]
            st.save_findings(rid, jid, fs)
            st.finish_run(rid, "done")
            runs[name] = rid
        for username, (role, region, owner) in USERS.items():
            st.add_user(username, hash_password(PASSWORD), role, region=region, owner=owner,
                        display_name=f"{username}用户")
    return runs


@pytest.fixture(scope="session")
def password() -> str:
    return PASSWORD


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("webdb") / "template.db"
    runs = build_store(f"sqlite:///{path}")
    return path, runs


@dataclass
class World:
    db_url: str
    base: str
    runs: dict[str, int]
    password: str = PASSWORD
    owners: tuple[str, str] = (OWNER_A, OWNER_B)

    def store(self) -> Store:
        return Store(self.db_url)

    def client(self, **kw: object) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=30, **kw)  # type: ignore[arg-type]

    def login(self, username: str, password: str = PASSWORD) -> tuple[httpx.Client, str]:
        """A client logged in through the HTML form; returns it and the session's CSRF token."""
        c = self.client()
        r = c.get("/login")
        token = c.cookies["xuncha_login"]
        assert f'value="{token}"' in r.text
        r = c.post("/login", data={"username": username, "password": password, "csrf_token": token})
        assert r.status_code == 303, r.text
        page = c.get("/")
        m = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert m, page.text[:500]
        return c, m.group(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def serve() -> Iterator[Callable[..., str]]:
    """Start the real app over ``db_url`` with uvicorn in a thread (keyword arguments go to
    ``create_app``); returns its base URL."""
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(db_url: str, **kw: Any) -> str:
        port = free_port()
        config = uvicorn.Config(create_app(db_url, secret="test-secret", **kw), host="127.0.0.1", port=port,
                                log_level="warning", lifespan="on")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        servers.append((server, thread))
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def world(template_db: tuple[Path, dict[str, int]], tmp_path: Path, serve: Callable[[str], str]) -> World:
    src, runs = template_db
    dst = tmp_path / "web.db"
    shutil.copy(src, dst)
    url = f"sqlite:///{dst}"
    return World(url, serve(url), runs)


# --------------------------------------------------------------------------- loopback site
SITE_HOST = "www.jcs.gov.cn"
SITE_ID = "9901000099"  # its 网站标识码, which the fixed footer shows
FOOTER_OK = ("主办单位：检查市人民政府办公室 网站标识码：9901000099 "
             '<a href="https://beian.miit.gov.cn/">京ICP备12345678号</a> 京公网安备 11010502030143号 '
             "联系电话：010-12345678")
FOOTER_BAD = FOOTER_OK.replace("网站标识码：9901000099 ", "")


def site_page(footer: str) -> str:
    return ("<!doctype html><html><head><meta charset='utf-8'><title>检查市人民政府</title></head><body>"
            "<div class='header'><h1>检查市人民政府</h1></div>"
            "<ul><li><a href='/xw/1.html'>检查市召开全市政府网站工作会议</a> <span>2025-09-25</span></li></ul>"
            f"<div class='footer'>{footer}</div></body></html>")


@dataclass
class LoopSite:
    """A one-page government site on 127.0.0.1; ``fixed`` says which footer it serves."""

    fixed: bool = False
    delay_s: float = 0.0
    port: int = 0
    hits: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{SITE_HOST}:{self.port}/"

    @property
    def target(self) -> Target:
        return Target(SITE_ID, "website", "检查市人民政府", self.url, OWNER_A, "示例省/青山市/甲县", "政府门户网站")

    @property
    def collect(self) -> CollectSettings:
        return CollectSettings(resolve=((SITE_HOST, ("127.0.0.1",)),), loopback_only=True, probes_per_run=1,
                               probe_interval_s=0.0, retries=0, max_pages=5, max_depth=1, timeout_s=5.0,
                               connect_timeout_s=2.0, check_external_links=False, respect_robots=False)

    def body(self, path: str) -> tuple[int, str]:
        self.hits.append(path)
        if self.delay_s:
            time.sleep(self.delay_s)
        if path in ("/", "/index.html"):
            return 200, site_page(FOOTER_OK if self.fixed else FOOTER_BAD)
        if path == "/xw/1.html":
            return 200, site_page(FOOTER_OK).replace("<ul>", "<p>正文</p><ul>")
        return 404, "not found"


@pytest.fixture
def loop_site() -> Iterator[LoopSite]:
    site = LoopSite()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, with_body: bool) -> None:
            status, text = site.body(self.path.split("?", 1)[0])
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if with_body:
                self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - http.server's names
            self._answer(True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(False)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def inspect_site(db_url: str, site: LoopSite) -> int:
    """A finished run that collected and judged the loopback site (footer check only)."""
    from xuncha.collect.http import Fetcher
    from xuncha.collect.site import collect_site
    from xuncha.pipeline import judge

    settings = Settings(collect=site.collect, db_url=db_url)
    as_of = datetime.now(TZ)

    async def collect() -> Any:
        async with Fetcher(settings.collect) as f:
            return await collect_site(f, site.target, settings.collect, as_of)

    snap = asyncio.run(collect())
    found = judge(snap, as_of, settings, codes=["W.ID.FOOTER"])
    assert any(x.detail.get("mark") == "site_code" for x in found), found
    with Store(db_url) as st:
        rid = st.create_run(as_of, "registry.csv", {})
        st.save_target_result(rid, TargetResult(site.target, pages_crawled=len(snap.pages)))
        jid = st.new_judgement(rid, as_of, "inspect", ruleset="national-2019")
        st.save_findings(rid, jid, found)
        st.finish_run(rid, "done")
    return rid


@pytest.fixture
def make_site_world(template_db: tuple[Path, dict[str, int]], tmp_path: Path, serve: Callable[..., str],
                    loop_site: LoopSite) -> Callable[..., World]:
    """The world plus a run of the loopback site, served by an app re-checking against it."""

    def make(**app_kw: Any) -> World:
        src, runs = template_db
        dst = tmp_path / "web-site.db"
        shutil.copy(src, dst)
        url = f"sqlite:///{dst}"
        rid = inspect_site(url, loop_site)
        return World(url, serve(url, collect_settings=loop_site.collect, **app_kw), runs | {"site": rid})

    return make


@pytest.fixture
def site_world(make_site_world: Callable[..., World]) -> World:
    return make_site_world()


@pytest.fixture
def open_case() -> Callable[..., int]:
    """``open_case(db_url, target_id, code, notify=False, today=None)``: a case on one of the
    world's findings, opened (and notified) straight through the workflow API."""
    from xuncha.workflow import rectify as rc

    def open_(db_url: str, tid: str, code: str, *, notify: bool = False, today: date | None = None) -> int:
        with Store(db_url) as st:
            f = next(x for x in findings(AS_OF) if x.target_id == tid and x.code == code)
            cid = rc.open_case(st, target=TARGETS[tid], finding=f, run_id=None, opened_by="sup", today=today)
            if notify:
                rc.notify(st, cid, by="sup")
        return cid

    return open_


# --------------------------------------------------------------------------- real browser
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


class Browser:
    """A page in Debian's chromium driven by Playwright, with the console's login and logout."""

    def __init__(self, page: Any, shots: Path) -> None:
        self.page = page
        self.shots = shots  # $XUNCHA_TEST_ARTIFACTS or the test's tmp_path

    def login(self, base: str, path: str, username: str, password: str = PASSWORD) -> None:
        """Open ``path``: the console sends us to the login form, then back to ``path``."""
        self.page.goto(base + path)
        assert "/login" in self.page.url
        self.page.fill("#username", username)
        self.page.fill("#password", password)
        self.page.click("#login-submit")
        self.page.wait_for_url("**" + path)

    def logout(self) -> None:
        self.page.click("#logout")
        self.page.wait_for_url("**/login**")

    def shot(self, name: str) -> Path:
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    """A fresh browser page (no browser download: Debian's chromium, installed by ./dev test)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run ./dev test (it installs Debian's chromium)")
    import os

    from playwright.sync_api import sync_playwright

    shots = Path(os.environ.get("XUNCHA_TEST_ARTIFACTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield Browser(b.new_page(locale="zh-CN", accept_downloads=True), shots)
        finally:
            b.close()
