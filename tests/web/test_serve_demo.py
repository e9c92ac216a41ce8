"""The console on the demo world (``demo.console``, ``xuncha serve --demo``): an inspection started
from the console runs to the end over the real demo world on loopback, its circular and annexes
download, the roles see what they may, and the unit fixing its site closes its case on re-check.

The demo inspection (about half a minute) runs once for the module."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from docx import Document
from openpyxl import load_workbook

from xuncha.demo.console import DEMO_UNIT_OWNER, DemoConsole, start_demo_console, write_site
from xuncha.settings import TZ
from xuncha.store import Store
from xuncha.web.app import create_app
from xuncha.web.auth import hash_password

PASSWORD = "demo-pass-123"
JSON = {"Accept": "application/json"}
DONGLING = "9901210001"  # 东岭县人民政府: the demo unit user's site, W.ID.FOOTER planted
REGION = "示例省/青山市/东岭县"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def login(base: str, username: str, password: str = PASSWORD) -> tuple[httpx.Client, str]:
    c = httpx.Client(base_url=base, timeout=120)
    token = c.get("/login", headers=JSON).json()["csrf_token"]
    r = c.post("/login", json={"username": username, "password": password, "csrf_token": token}, headers=JSON)
    assert r.status_code == 200, r.text
    return c, r.json()["csrf_token"]


def wait_done(c: httpx.Client, run_id: int, timeout_s: float = 240) -> tuple[dict, list[dict]]:
    """Poll the progress JSON until the inspection is no longer active; (last, all seen)."""
    seen = []
    deadline = time.monotonic() + timeout_s
    while True:
        r = c.get(f"/inspections/{run_id}", headers=JSON)
        assert r.status_code == 200, r.text
        seen.append(r.json())
        if not seen[-1]["active"]:
            return seen[-1], seen
        assert time.monotonic() < deadline, "the inspection did not finish in time"
        time.sleep(0.5)


@dataclass
class Demo:
    dc: DemoConsole
    base: str
    run_id: int
    seen: list[dict]
    started: dict

    def store(self) -> Store:
        return Store(self.dc.db_url)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    data = tmp_path_factory.mktemp("demo-console")
    dc = start_demo_console(data, password=PASSWORD)
    with Store(dc.db_url) as st:  # a region supervisor, to check what a region sees
        st.add_user("sup_dl", hash_password(PASSWORD), "supervisor", region=REGION)
    app = create_app(dc.db_url, secret="demo-secret", collect_settings=dc.collect_settings,
                     inspect_settings=dc.settings, data_dir=data)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.02)
    base = f"http://127.0.0.1:{port}"
    try:
        sup, csrf = login(base, "sup")
        r = sup.post("/inspections", json={"max_pages": 150}, headers=JSON | {"X-CSRF-Token": csrf})
        assert r.status_code == 202, r.text
        started = r.json()
        _last, seen = wait_done(sup, started["run_id"])
        yield Demo(dc, base, started["run_id"], seen, started)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        dc.close()


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    return "\n".join(parts)


def xlsx_text(data: bytes) -> str:
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)


# --------------------------------------------------------------------------- the demo console
def test_demo_console_prepares_store(demo: Demo) -> None:
    dc = demo.dc
    assert {u: (x.role, x.owner) for u, x in dc.users.items()} == {
        "sup": ("supervisor", ""), "unit": ("unit", DEMO_UNIT_OWNER), "aud": ("auditor", "")}
    assert all(u.created for u in dc.users.values()) and dc.password == PASSWORD
    planted = {c for s in dc.world.sites if s.owner == DEMO_UNIT_OWNER for c in s.expect}
    assert "W.ID.FOOTER" in planted, "the demo unit user owns targets with planted problems"
    with demo.store() as st:
        targets = st.registry_targets()
        assert len(targets) == dc.registry_count == len(dc.world.sites)
        assert {t.id for t in targets} == {s.id for s in dc.world.sites}
        # the registry carries the ports the world is served on now
        assert next(t for t in targets if t.id == DONGLING).url == dc.url_of(DONGLING)
        assert len(st.repost_tasks()) == dc.repost_task_count > 0
    assert dc.settings.collect.loopback_only and dc.collect_settings.loopback_only
    assert dc.collect_settings.max_pages == 60 and dc.settings.db_url == dc.db_url


def test_inspection_runs_to_the_end(demo: Demo) -> None:
    started = demo.started
    assert started["targets"] == demo.dc.registry_count
    assert started["inspection"]["total"] == demo.dc.registry_count
    running = [s for s in demo.seen if s["active"]]
    assert running and all(s["state_label"] in ("排队", "运行中") for s in running)
    assert any(s["current"] for s in running), "targets in progress are listed while running"
    done = [s["done"] for s in demo.seen]
    assert done == sorted(done)
    last = demo.seen[-1]
    assert last["state"] == "done" and last["state_label"] == "已完成" and last["error"] == ""
    assert last["done"] == last["total"] == demo.dc.registry_count and last["percent"] == 100.0
    assert last["started_by"] == "sup" and last["max_pages"] == 150 and last["ruleset"] == "national-2019"
    s = last["summary"]
    assert s["targets"] == demo.dc.registry_count and s["websites"]["inspected"] > 0 and s["problems"]
    assert last["links"]["circular"] == f"/runs/{demo.run_id}/circular.docx?ruleset=national-2019"
    with demo.store() as st:
        run = st.get_run(demo.run_id)
        assert run.status == "done" and run.settings["meta"]["started_by"] == "sup"
        assert {t.id for t in st.targets(demo.run_id)} == {t.id for t in st.registry_targets()}
        assert st.audit_log(object_type="run")[-1].action == "inspection_start"
    out = demo.dc.data_dir / "runs" / str(demo.run_id)
    assert (out / "findings.jsonl").is_file() and (out / "summary.xlsx").is_file()
    assert not list((demo.dc.data_dir / "runs").glob("job-*")), "the pipeline's folder was moved to runs/<id>"


def test_pages_show_the_run(demo: Demo) -> None:
    sup, _ = login(demo.base, "sup")
    listing = sup.get("/inspections")
    assert listing.status_code == 200 and 'id="start-form"' in listing.text
    assert f'data-run="{demo.run_id}" data-state="done"' in listing.text and "已完成" in listing.text
    rows = sup.get("/inspections", headers=JSON).json()["runs"]
    row = next(r for r in rows if r["id"] == demo.run_id)
    assert row["started_by"] == "sup" and row["counts"]["targets"] == demo.dc.registry_count
    page = sup.get(f"/inspections/{demo.run_id}")
    assert page.status_code == 200 and 'id="results"' in page.text and 'id="cancel-form"' not in page.text
    assert f"/runs/{demo.run_id}/circular.docx" in page.text and f"/runs/{demo.run_id}/annex.xlsx" in page.text


def test_circular_and_annex_download(demo: Demo) -> None:
    sup, _ = login(demo.base, "sup")
    r = sup.get(f"/runs/{demo.run_id}/circular.docx")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    cd = r.headers["content-disposition"]
    assert cd.startswith("attachment;") and "filename*=UTF-8''" in cd
    assert "%E9%80%9A%E6%8A%A5" in cd  # 通报, percent-encoded UTF-8
    text = docx_text(r.content)
    assert "东岭县人民政府" in text and "通报" in text
    # the quarter's registers (the demo's repost tasks) are reported beside the scores
    assert "重要信息转载情况" in text and "按期完成率" in text
    a = sup.get(f"/runs/{demo.run_id}/annex.xlsx?ruleset=sichuan-2023")
    assert a.status_code == 200 and "spreadsheetml" in a.headers["content-type"]
    assert "东岭县人民政府" in xlsx_text(a.content)
    # each download builds its own file and leaves none behind (no path shared between requests)
    files = [p.name for p in (demo.dc.data_dir / "runs" / str(demo.run_id)).iterdir()]
    assert not [f for f in files if f.startswith(("通报-", "附件-", "."))], files
    with demo.store() as st:
        actions = [e.action for e in st.audit_log(object_type="run")]
    assert "download_circular" in actions and "download_annex" in actions
    # errors: unknown run, bad rule set
    assert sup.get("/runs/999999/circular.docx", headers=JSON).status_code == 404
    assert sup.get("/runs/abc/annex.xlsx", headers=JSON).status_code == 404
    bad = sup.get(f"/runs/{demo.run_id}/circular.docx?ruleset=nope", headers=JSON)
    assert bad.status_code == 400 and "规则集" in bad.json()["error"]


def test_concurrent_downloads_each_get_a_whole_file(demo: Demo) -> None:
    """Downloads of the same run, scope and rule set at the same time: every one gets a
    complete file (they once shared one path, replaced under a download being sent)."""
    from concurrent.futures import ThreadPoolExecutor

    sup, _ = login(demo.base, "sup")
    qs, _ = login(demo.base, "sup_dl")
    paths = [f"/runs/{demo.run_id}/circular.docx", f"/runs/{demo.run_id}/annex.xlsx"] * 4

    def get(i: int) -> httpx.Response:
        return (sup if i % 3 else qs).get(paths[i])

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(get, range(len(paths))))
    for i, r in enumerate(responses):
        assert r.status_code == 200, r.text
        assert int(r.headers["content-length"]) == len(r.content)
        assert "filename*=UTF-8''" in r.headers["content-disposition"]
        if paths[i].endswith(".docx"):
            assert "通报" in docx_text(r.content)
        else:
            assert "东岭县人民政府" in xlsx_text(r.content)
    regional = [r for i, r in enumerate(responses) if not i % 3 and paths[i].endswith(".docx")]
    assert regional and all("鹿鸣县人民政府" not in docx_text(r.content) for r in regional)


def test_auditor_sees_and_downloads_but_starts_nothing(demo: Demo) -> None:
    aud, csrf = login(demo.base, "aud")
    listing = aud.get("/inspections")
    assert listing.status_code == 200 and 'id="start-form"' not in listing.text
    assert aud.get(f"/inspections/{demo.run_id}", headers=JSON).json()["can_cancel"] is False
    assert aud.get(f"/runs/{demo.run_id}/circular.docx").status_code == 200
    assert aud.get(f"/runs/{demo.run_id}/annex.xlsx").status_code == 200
    r = aud.post("/inspections", json={}, headers=JSON | {"X-CSRF-Token": csrf})
    assert r.status_code == 403 and "只有监管人员" in r.json()["error"]
    r = aud.post(f"/inspections/{demo.run_id}/cancel", json={}, headers=JSON | {"X-CSRF-Token": csrf})
    assert r.status_code == 403


def test_unit_user_is_refused(demo: Demo) -> None:
    unit, csrf = login(demo.base, "unit")
    assert "检查任务" not in unit.get("/cases").text.split("<main>")[0]  # no nav link
    for path in ("/inspections", f"/inspections/{demo.run_id}", f"/runs/{demo.run_id}/circular.docx",
                 f"/runs/{demo.run_id}/annex.xlsx"):
        r = unit.get(path, headers=JSON)
        assert r.status_code == 403, path
    r = unit.post("/inspections", json={}, headers=JSON | {"X-CSRF-Token": csrf})
    assert r.status_code == 403
    r = unit.post(f"/inspections/{demo.run_id}/cancel", json={}, headers=JSON | {"X-CSRF-Token": csrf})
    assert r.status_code == 403
    assert unit.get("/inspections").status_code == 403  # the HTML page too


def test_bad_start_input(demo: Demo) -> None:
    sup, csrf = login(demo.base, "sup")
    with demo.store() as st:
        before = st.latest_run_id()
    h = JSON | {"X-CSRF-Token": csrf}
    future = (datetime.now(TZ) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    for body, words in (
        ({"max_pages": "abc"}, "每站最多页数"), ({"max_pages": "0"}, "每站最多页数"),
        ({"ruleset": "nope"}, "规则集"), ({"as_of": "明天"}, "监测时点"), ({"as_of": future}, "晚于当前时间"),
        ({"region": "火星省"}, "火星省"),
    ):
        r = sup.post("/inspections", json=body, headers=h)
        assert r.status_code == 400 and words in r.json()["error"], (body, r.text)
    r = sup.post("/inspections", data={"max_pages": "x", "csrf_token": csrf})  # the HTML form
    assert r.status_code == 400 and "每站最多页数" in r.text and "<html" in r.text
    r = sup.post("/inspections", json={"max_pages": 5}, headers=JSON)  # no CSRF token
    assert r.status_code == 403 and "CSRF" in r.json()["error"]
    with demo.store() as st:
        assert st.latest_run_id() == before, "no run was started"


def test_region_supervisor(demo: Demo) -> None:
    c, csrf = login(demo.base, "sup_dl")
    text = docx_text(c.get(f"/runs/{demo.run_id}/circular.docx").content)
    assert "东岭县人民政府" in text
    assert "鹿鸣县人民政府" not in text and "青山市教育局" not in text
    row = next(r for r in c.get("/inspections", headers=JSON).json()["runs"] if r["id"] == demo.run_id)
    assert row["scoped"] and row["counts"] == {"targets": 2}
    assert c.get(f"/inspections/{demo.run_id}", headers=JSON).json()["summary"]["targets"] == 2
    # the region supervisor's own inspection covers its region only
    r = c.post("/inspections", data={"max_pages": "30", "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303, r.text
    run_id = int(r.headers["location"].rsplit("/", 1)[1])
    last, _ = wait_done(c, run_id)
    assert last["state"] == "done" and last["total"] == 2 and last["started_by"] == "sup_dl"
    with demo.store() as st:
        assert {t.id for t in st.targets(run_id)} == {s.id for s in demo.dc.world.sites if s.region == REGION}
    # a region filter outside the scope matches nothing
    r = c.post("/inspections", json={"region": "示例省/青山市/鹿鸣县"}, headers=JSON | {"X-CSRF-Token": csrf})
    assert r.status_code == 400


def test_unit_fixes_its_site_and_the_recheck_closes_the_case(demo: Demo) -> None:
    dc = demo.dc
    site = dc.world.site(DONGLING)
    assert write_site(dc.world, site) == [], "rendering the unchanged site reproduces the served files"
    sup, csrf = login(demo.base, "sup")
    h = JSON | {"X-CSRF-Token": csrf}
    view = sup.get(f"/targets/{DONGLING}?run={demo.run_id}", headers=JSON).json()
    footer = [f for f in view["findings"] if f["code"] == "W.ID.FOOTER" and f["reviewable"]]
    assert footer, [f["code"] for f in view["findings"]]
    r = sup.post(f"/targets/{DONGLING}/review", json={"key": footer[0]["key"], "state": "confirmed",
                                                       "run": demo.run_id}, headers=h)
    assert r.status_code == 200, r.text
    case_id = r.json()["case_id"]
    assert case_id, "confirming a finding opens a rectification case"
    assert sup.post(f"/cases/{case_id}/notify", json={"note": "请补全页脚备案信息"}, headers=h).status_code == 200
    # not fixed yet: the re-check still finds it and reopens the case
    r = sup.post(f"/cases/{case_id}/recheck", json={}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["recheck"]["outcome"] == "reopened", r.json()
    # the unit fixes its site (the demo server reads the files on every request) and says so
    changed = dc.fix(DONGLING, "W.ID.FOOTER")
    assert changed and all(p.endswith(".html") for p in changed)
    unit, ucsrf = login(demo.base, "unit")
    r = unit.post(f"/cases/{case_id}/submit", json={"note": "已在页脚补充ICP备案编号和公安机关备案号"},
                  headers=JSON | {"X-CSRF-Token": ucsrf})
    assert r.status_code == 200, r.text
    r = sup.post(f"/cases/{case_id}/recheck", json={}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["recheck"]["outcome"] == "closed", r.json()
    assert r.json()["case"]["state"] == "closed"
    assert dc.world.site(DONGLING).knobs.footer_missing == frozenset()
    with pytest.raises(ValueError, match="不支持"):
        dc.fix(DONGLING, "W.VETO.HOME_STALE")


# --------------------------------------------------------------------------- the command
def _start_cli(data: Path, port: int, *extra: str) -> tuple[subprocess.Popen[str], list[str]]:
    cmd = [sys.executable, "-c", "from xuncha.cli import main; main()", "serve", "--demo", "--data-dir", str(data),
           "--port", str(port), *extra]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=os.environ | {"PYTHONUNBUFFERED": "1"})
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True).start()  # type: ignore[union-attr]
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc, lines
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("xuncha serve --demo did not start:\n" + "".join(lines))
        time.sleep(0.3)


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise


def test_serve_demo_command(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    port = free_port()
    proc, lines = _start_cli(data, port)
    try:
        out = "".join(lines)
        m = re.search(r"示例账号（密码：(\S+)）", out)
        assert m, out
        password = m.group(1)
        assert "sup" in out and "unit" in out and "aud" in out and DEMO_UNIT_OWNER in out
        base = f"http://127.0.0.1:{port}"
        sup, _ = login(base, "sup", password)
        listing = sup.get("/inspections", headers=JSON).json()
        assert listing["can_start"] and listing["registry"]["targets"] > 0
        unit, _ = login(base, "unit", password)
        assert unit.get("/inspections", headers=JSON).status_code == 403
        ports = json.loads((data / "demo-ports.json").read_text(encoding="utf-8"))
    finally:
        _stop(proc)
    assert (data / "demo.db").is_file() and (data / "world" / "registry.xlsx").is_file()
    # started again: the accounts exist (password unchanged), the world is served on the same ports
    port = free_port()
    proc, lines = _start_cli(data, port)
    try:
        out = "".join(lines)
        assert "已存在，密码未改变" in out, out
        assert json.loads((data / "demo-ports.json").read_text(encoding="utf-8")) == ports
        login(f"http://127.0.0.1:{port}", "aud", password)
    finally:
        _stop(proc)


def test_restart_keeps_console_changes(tmp_path: Path) -> None:
    """A second start keeps what was done in the console (注销, edits, uploaded repost tasks),
    adds world ids the registry lacks, and moves URLs still on the old demo ports to new ones."""
    import socket
    import sqlite3
    from datetime import date

    from xuncha.registry.manage import change_lifecycle, edit_target

    data = tmp_path / "demo"
    on = datetime.now(TZ).date()
    task = {"title": "控制台上传的转载任务", "url": "https://www.gov.cn/x.html", "deadline": date(2026, 3, 31),
            "targets": [DONGLING]}
    with start_demo_console(data, password=PASSWORD) as dc:
        old = (dc.server.http_port, dc.server.https_port)
        websites = [s.id for s in dc.world.sites if s.kind == "website" and s.served and s.id != DONGLING]
        gone, added, elsewhere = websites[:3]
        with Store(dc.db_url) as st:
            old_urls = {t.id: t.url for t in st.registry_targets()}
            assert f":{old[0]}/" in old_urls[gone] or f":{old[1]}/" in old_urls[gone]
            change_lifecycle(st, gone, "注销", by="sup", on=on, note="控制台注销")
            edit_target(st, DONGLING, {"名称": "东岭县人民政府（控制台改名）"}, by="sup", on=on)
            edit_target(st, elsewhere, {"网址": "https://www.example.org:8443/"}, by="sup", on=on)
            st.set_repost_tasks([task], by="sup")
            n = len(st.registry_targets())
    with sqlite3.connect(data / "demo.db") as db:  # a world id the registry lacks (as if new in the world)
        db.execute("DELETE FROM registry_events WHERE target_id = ?", (added,))
        db.execute("DELETE FROM registry_entries WHERE target_id = ?", (added,))
    # the old ports are taken now, so the world is served on other ones
    blockers = []
    for port in old:
        s = socket.socket()
        s.bind(("127.0.0.1", port))
        s.listen(1)
        blockers.append(s)
    try:
        with start_demo_console(data, password=PASSWORD) as dc2:
            assert (dc2.server.http_port, dc2.server.https_port) != old
            assert dc2.registry_count == n and dc2.repost_task_count == 1
            with Store(dc2.db_url) as st:
                e = st.registry_entry(gone)
                assert e.target.status == "cancelled" and e.target.url == old_urls[gone]  # left as it was
                e = st.registry_entry(DONGLING)
                assert e.target.name == "东岭县人民政府（控制台改名）" and e.target.url == dc2.url_of(DONGLING)
                assert e.target.status == "running"
                assert [ev.note for ev in st.registry_events(DONGLING)][0] == "示例网站群端口变更，更新网址"
                assert st.registry_entry(elsewhere).target.url == "https://www.example.org:8443/"
                assert st.registry_entry(added).target.url == dc2.url_of(added)
                assert st.repost_tasks() == [task]
                moved = [t for t in st.registry_targets() if t.id not in (gone, elsewhere)]
                assert not [t.url for t in moved if f":{old[0]}/" in t.url or f":{old[1]}/" in t.url]
                trail = len(st.registry_events(DONGLING))
    finally:
        for s in blockers:
            s.close()
    # a third start on the same ports leaves the served sites' entries alone
    with start_demo_console(data, password=PASSWORD) as dc3, Store(dc3.db_url) as st:
        assert st.registry_entry(gone).target.status == "cancelled"
        assert st.registry_entry(DONGLING).target.url == dc3.url_of(DONGLING)
        assert len(st.registry_events(DONGLING)) == trail
