"""Inspections started from the console (``web.inspections``, ``web.jobs``) over small sites on
loopback: one runs at a time, a running one can be cancelled (what was collected stays), a run
left running by a dead process shows as 中断, an empty registry is refused, a failure is shown.

The sites are served by a threaded HTTP server on 127.0.0.1 under made-up government host names
(``CollectSettings.resolve``); one of them answers slowly so that the inspection is still running
while the test looks at it."""

from __future__ import annotations

import asyncio
import csv
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from xuncha.registry.manage import import_registry
from xuncha.settings import TZ, CollectSettings, Settings
from xuncha.store import Store
from xuncha.web.auth import hash_password
from xuncha.web.jobs import Jobs

PASSWORD = "pw-123456"
JSON = {"Accept": "application/json"}
FAST = {"www.kuai1.gov.cn": "快一县人民政府", "www.kuai2.gov.cn": "快二县人民政府"}
SLOW = "www.man.gov.cn"  # 慢市人民政府: every page but the home page takes SLOW_S
SLOW_S = 1.0
SLOW_PAGES = 120  # 60 s to crawl in full at 2 per host: far longer than the test takes to cancel
USERS = {  # username: (role, region, owner)
    "sup": ("supervisor", "", ""),
    "sup_qs": ("supervisor", "示例省/青山市", ""),
    "unit": ("unit", "", "快一县人民政府办公室"),
    "aud": ("auditor", "", ""),
}


def page(title: str, links: list[str]) -> str:
    items = "".join(f"<li><a href='{h}'>{title}工作动态第{i}期</a> <span>2026-01-0{i % 9 + 1}</span></li>"
                    for i, h in enumerate(links, 1))
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<h1>{title}</h1><ul>{items}</ul><div class='footer'>主办单位：{title}办公室</div></body></html>")


@dataclass
class Sites:
    port: int
    hits: list[str]

    def url(self, host: str) -> str:
        return f"http://{host}:{self.port}/"

    @property
    def collect(self) -> CollectSettings:
        return CollectSettings(
            resolve=tuple((h, ("127.0.0.1",)) for h in (*FAST, SLOW)), loopback_only=True, probes_per_run=1,
            probe_interval_s=0.0, retries=0, max_depth=2, timeout_s=10.0, connect_timeout_s=2.0,
            check_external_links=False, respect_robots=False, sites_concurrency=1, per_host_concurrency=2)


@pytest.fixture
def sites() -> Iterator[Sites]:
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's names
            host = (self.headers.get("Host") or "").split(":")[0]
            path = self.path.split("?", 1)[0]
            hits.append(f"{host}{path}")
            if host == SLOW:
                if path != "/":
                    time.sleep(SLOW_S)
                body = page("慢市人民政府", [f"/xw/{i}.html" for i in range(SLOW_PAGES)] if path == "/" else [])
            elif host in FAST:
                body = page(FAST[host], ["/xw/1.html", "/xw/2.html"] if path == "/" else [])
            else:
                self.send_error(404)
                return
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Sites(server.server_address[1], hits)
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def write_registry(path: Path, sites: Sites) -> Path:
    rows = [("T1", "website", "快一县人民政府", sites.url("www.kuai1.gov.cn"), "快一县人民政府办公室",
             "示例省/青山市/快一县", "政府门户网站", "运行"),
            ("T2", "website", "快二县人民政府", sites.url("www.kuai2.gov.cn"), "快二县人民政府办公室",
             "示例省/青山市/快二县", "政府门户网站", "运行"),
            ("T3", "website", "慢市人民政府", sites.url(SLOW), "慢市人民政府办公室", "示例省/白水市",
             "政府门户网站", "运行")]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(("id", "kind", "name", "url", "owner", "region", "category", "status"))
        w.writerows(rows)
    return path


@pytest.fixture(scope="module")
def users_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the accounts only (hashing passwords once for the module)."""
    path = tmp_path_factory.mktemp("inspdb") / "users.db"
    with Store(f"sqlite:///{path}") as st:
        for username, (role, region, owner) in USERS.items():
            st.add_user(username, hash_password(PASSWORD), role, region=region, owner=owner)
    return path


@dataclass
class Console:
    base: str
    db_url: str
    data_dir: Path

    def login(self, username: str) -> tuple[httpx.Client, dict[str, str]]:
        c = httpx.Client(base_url=self.base, timeout=60)
        token = c.get("/login", headers=JSON).json()["csrf_token"]
        r = c.post("/login", json={"username": username, "password": PASSWORD, "csrf_token": token}, headers=JSON)
        assert r.status_code == 200, r.text
        return c, JSON | {"X-CSRF-Token": r.json()["csrf_token"]}

    def store(self) -> Store:
        return Store(self.db_url)


@pytest.fixture
def console(users_db: Path, tmp_path: Path, sites: Sites, serve: Callable[..., str]) -> Callable[..., Console]:
    """``console(registry=True)``: the app over a fresh database (the registry of the three sites
    imported, or none), inspecting with settings that reach the loopback sites only."""

    def make(registry: bool = True) -> Console:
        db = tmp_path / "console.db"
        shutil.copy(users_db, db)
        url = f"sqlite:///{db}"
        if registry:
            with Store(url) as st:
                import_registry(st, write_registry(tmp_path / "registry.csv", sites), by="test")
        data_dir = tmp_path / "data"
        base = serve(url, inspect_settings=Settings(collect=sites.collect), data_dir=data_dir)
        return Console(base, url, data_dir)

    return make


def poll(c: httpx.Client, run_id: int, until: Callable[[dict[str, Any]], bool], timeout_s: float = 60) -> dict:
    deadline = time.monotonic() + timeout_s
    while True:
        d = c.get(f"/inspections/{run_id}", headers=JSON).json()
        if until(d):
            return d
        assert time.monotonic() < deadline, d
        time.sleep(0.1)


# --------------------------------------------------------------------------- tests
def test_cancel_a_running_inspection_keeps_what_was_collected(console: Callable[..., Console], sites: Sites) -> None:
    con = console()
    sup, h = con.login("sup")
    r = sup.post("/inspections", json={"max_pages": 200, "as_of": "2026-03-20 10:00"}, headers=h)
    assert r.status_code == 202, r.text
    run_id = r.json()["run_id"]
    assert r.json()["targets"] == 3 and r.json()["inspection"]["total"] == 3
    d = poll(sup, run_id, lambda d: d["done"] >= 2 and any(c["target"]["id"] == "T3" for c in d["current"]))
    assert d["state"] == "running" and d["state_label"] == "运行中" and d["can_cancel"] is True
    assert d["elapsed_s"] >= 0 and d["run"]["as_of"].startswith("2026-03-20T10:00")

    # one at a time: a second start is refused while it runs
    r = sup.post("/inspections", json={}, headers=h)
    assert r.status_code == 409 and f"#{run_id}" in r.json()["error"]
    listing = sup.get("/inspections")
    assert 'id="start-busy"' in listing.text and 'id="start-form"' not in listing.text
    # the page shows the progress and the cancel button; downloads wait for the end
    html = sup.get(f"/inspections/{run_id}").text
    assert 'id="progress"' in html and f'data-poll="/inspections/{run_id}?format=json"' in html
    assert 'id="cancel-form"' in html and "慢市人民政府" in html
    r = sup.get(f"/runs/{run_id}/circular.docx", headers=JSON)
    assert r.status_code == 409 and "尚未完成" in r.json()["error"]
    # a region supervisor cannot cancel an inspection reaching beyond its region
    qs, qh = con.login("sup_qs")
    assert qs.get(f"/inspections/{run_id}", headers=JSON).json()["can_cancel"] is False
    # ... and sees the progress of its own region's targets (T1, T2), as its counts, not the run's
    qd = qs.get(f"/inspections/{run_id}", headers=JSON).json()
    assert (qd["done"], qd["total"], qd["percent"], qd["scoped"]) == (2, 2, 100.0, True)
    assert qd["counts"] == {"targets": 2}
    assert 'id="insp-scoped"' in qs.get(f"/inspections/{run_id}").text
    qrow = next(x for x in qs.get("/inspections", headers=JSON).json()["runs"] if x["id"] == run_id)
    assert qrow["progress"] == {"done": 2, "total": 2} and qrow["scoped"] is True
    srow = next(x for x in sup.get("/inspections", headers=JSON).json()["runs"] if x["id"] == run_id)
    assert srow["progress"]["total"] == 3 and srow["scoped"] is False
    assert d["scoped"] is False and 'id="insp-scoped"' not in html
    assert [c["target"]["id"] for c in qs.get(f"/inspections/{run_id}", headers=JSON).json()["current"]] == []
    r = qs.post(f"/inspections/{run_id}/cancel", json={}, headers=qh)
    assert r.status_code == 403 and "管辖地区" in r.json()["error"]
    for user in ("unit", "aud"):
        c, ch = con.login(user)
        assert c.post(f"/inspections/{run_id}/cancel", json={}, headers=ch).status_code == 403

    r = sup.post(f"/inspections/{run_id}/cancel", json={}, headers=h)
    assert r.status_code == 200, r.text
    d = r.json()["inspection"]
    assert d["state"] == "cancelled" and d["state_label"] == "已取消" and d["active"] is False
    assert d["done"] == 2 and d["total"] == 3
    q = qs.get(f"/inspections/{run_id}", headers=JSON).json()
    assert (q["state"], q["done"], q["total"], q["scoped"]) == ("cancelled", 2, 2, True)
    with con.store() as st:
        run = st.get_run(run_id)
        assert run.status == "cancelled" and run.finished_at is not None
        assert {t.id for t in st.targets(run_id)} == {"T1", "T2"}  # the collected targets stay
        assert st.load_snapshot(run_id, "T1").pages
        actions = [(e.action, e.username) for e in st.audit_log(object_type="run")]
    assert ("inspection_start", "sup") in actions and ("inspection_cancel", "sup") in actions
    slow_pages = sum(1 for x in sites.hits if x.startswith(SLOW) and x != f"{SLOW}/")
    assert slow_pages < SLOW_PAGES, "the slow site was not crawled to the end"

    page = sup.get(f"/inspections/{run_id}").text
    assert "检查已取消" in page and 'id="cancel-form"' not in page and 'id="progress"' not in page
    r = sup.post(f"/inspections/{run_id}/cancel", json={}, headers=h)
    assert r.status_code == 409 and "已结束" in r.json()["error"]
    r = sup.get(f"/runs/{run_id}/annex.xlsx", headers=JSON)
    assert r.status_code == 409 and "已取消" in r.json()["error"]
    row = next(x for x in sup.get("/inspections", headers=JSON).json()["runs"] if x["id"] == run_id)
    assert row["state"] == "cancelled" and row["started_by"] == "sup"

    # another one may start now; the HTML form redirects to its page
    r = sup.post("/inspections", data={"csrf_token": h["X-CSRF-Token"], "max_pages": "3", "region": "示例省/青山市"},
                 follow_redirects=False)
    assert r.status_code == 303, r.text
    second = int(r.headers["location"].rsplit("/", 1)[1])
    d = poll(sup, second, lambda d: not d["active"])
    assert d["state"] == "done" and d["total"] == 2 and d["region"] == "示例省/青山市"
    with con.store() as st:
        assert {t.id for t in st.targets(second)} == {"T1", "T2"}
    assert (con.data_dir / "runs" / str(second) / "summary.xlsx").is_file()


def test_empty_registry_is_refused(console: Callable[..., Console]) -> None:
    con = console(registry=False)
    sup, h = con.login("sup")
    r = sup.post("/inspections", json={}, headers=h)
    assert r.status_code == 400
    assert r.json()["error"] == "名录中没有可检查的对象，请先在「名录」页导入名录"
    page = sup.get("/inspections").text
    assert 'id="start-empty"' in page and 'id="start-form"' not in page
    with con.store() as st:
        assert st.runs() == []


def test_region_supervisor_starts_within_its_region(console: Callable[..., Console]) -> None:
    con = console()
    qs, qh = con.login("sup_qs")
    listing = qs.get("/inspections", headers=JSON).json()
    assert listing["registry"]["targets"] == 2 and "示例省/白水市" not in listing["registry"]["regions"]
    r = qs.post("/inspections", json={"region": "示例省/白水市"}, headers=qh)
    assert r.status_code == 400 and "示例省/白水市" in r.json()["error"]
    r = qs.post("/inspections", json={"max_pages": 3}, headers=qh)
    assert r.status_code == 202, r.text
    d = poll(qs, r.json()["run_id"], lambda d: not d["active"])
    assert d["state"] == "done" and d["total"] == 2 and d["can_cancel"] is False
    with con.store() as st:
        assert {t.id for t in st.targets(r.json()["run_id"])} == {"T1", "T2"}


def test_interrupted_run(console: Callable[..., Console]) -> None:
    con = console()
    with con.store() as st:  # left "running" by a process that died
        rid = st.create_run(datetime(2026, 3, 1, 9, 0, tzinfo=TZ), "registry.csv", {})
    sup, h = con.login("sup")
    d = sup.get(f"/inspections/{rid}", headers=JSON).json()
    assert d["state"] == "interrupted" and d["state_label"] == "中断" and d["active"] is False
    assert d["started_by"] == "" and d["can_cancel"] is False
    assert "未正常结束" in sup.get(f"/inspections/{rid}").text
    r = sup.post(f"/inspections/{rid}/cancel", json={}, headers=h)
    assert r.status_code == 409 and "不是本控制台正在进行的检查" in r.json()["error"]
    r = sup.get(f"/runs/{rid}/circular.docx", headers=JSON)
    assert r.status_code == 409 and "中断" in r.json()["error"]
    # it does not block a new inspection of this console
    r = sup.post("/inspections", json={"max_pages": 2, "region": "示例省/青山市/快一县"}, headers=h)
    assert r.status_code == 202, r.text
    assert poll(sup, r.json()["run_id"], lambda d: not d["active"])["state"] == "done"
    assert sup.get("/inspections/99999", headers=JSON).status_code == 404
    assert sup.get("/inspections/x1", headers=JSON).status_code == 404


def test_a_failing_inspection_is_shown_and_its_run_closed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    with Store(url) as store:
        jobs = Jobs(store)

        async def main() -> Any:
            async def boom(job: Any) -> None:
                job.set_run(store.create_run(datetime.now(TZ), "名录库", {}))
                job.run_started(3)
                await asyncio.sleep(0)
                raise OSError("设备上没有空间")

            job = await jobs.start(boom, started_by="sup")
            assert job.task is not None
            await asyncio.wait({job.task})
            after = await jobs.start(lambda j: _ok(j, store), started_by="sup")  # the console is free again
            assert after.task is not None
            await after.task
            return job, after

        job, after = asyncio.run(main())
        assert job.state == "failed" and "设备上没有空间" in job.error and job.finished_at is not None
        assert store.get_run(job.run_id).status == "failed"
        assert jobs.state_of(store.get_run(job.run_id)) == "failed"
        assert after.state == "done" and after.result == "ok"


async def _ok(job: Any, store: Store) -> str:
    rid = store.create_run(datetime.now(TZ), "名录库", {})
    job.set_run(rid)
    store.finish_run(rid, "done")
    return "ok"


def test_run_ids_that_are_not_plain_digits_are_missing(console: Callable[..., Console]) -> None:
    con = console(registry=False)
    sup, h = con.login("sup")
    for raw in ("²", "１２", "٣", "1²", "9" * 23, "1" * 13, "-1", "+1", " 1"):
        for path in (f"/inspections/{raw}", f"/runs/{raw}/circular.docx", f"/runs/{raw}/annex.xlsx"):
            r = sup.get(path, headers=JSON)
            assert r.status_code == 404 and "不存在" in r.json()["error"], (path, r.status_code)
        r = sup.post(f"/inspections/{raw}/cancel", json={}, headers=h)
        assert r.status_code == 404, (raw, r.text)
    assert sup.get("/inspections/²").status_code == 404  # the HTML page too, not a 500


def test_a_start_that_fails_at_once_leaves_the_console_free(console: Callable[..., Console],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    con = console()
    sup, h = con.login("sup")
    with monkeypatch.context() as m:
        m.setitem(sys.modules, "xuncha.pipeline", None)  # the pipeline cannot even be imported
        r = sup.post("/inspections", json={"max_pages": 2}, headers=h)
        assert r.status_code == 500 and "检查未能启动" in r.json()["error"], r.text
        r = sup.post("/inspections", json={"max_pages": 2}, headers=h)  # not "已有检查正在进行"
        assert r.status_code == 500 and "已有检查" not in r.json()["error"]
    assert "start-busy" not in sup.get("/inspections").text
    r = sup.post("/inspections", json={"max_pages": 2, "region": "示例省/青山市/快一县"}, headers=h)
    assert r.status_code == 202, r.text
    assert poll(sup, r.json()["run_id"], lambda d: not d["active"])["state"] == "done"


def test_jobs_start_when_make_raises(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'jobs.db'}") as store:
        jobs = Jobs(store)

        def broken(job: Any) -> Any:
            raise RuntimeError("坏了")

        async def main() -> Any:
            failed = await jobs.start(broken, started_by="sup")
            assert jobs.active() is None
            after = await jobs.start(lambda j: _ok(j, store), started_by="sup")
            assert after.task is not None
            await after.task
            return failed, after

        failed, after = asyncio.run(main())
        assert failed.run_id is None and failed.state == "failed" and "坏了" in failed.error
        assert failed.task is None and after.state == "done"
