"""Hostile or careless input to the console (found by a review): stored ``javascript:`` links,
out-of-range dates, non-ASCII digits and oversized numbers in ids, wrong JSON types, oversized
bodies, a manual decision during a running re-check, existence leaks. Each must be a clear 4xx
(or be rendered harmlessly), never a 500, never a silent change."""

from __future__ import annotations

from datetime import datetime

from xuncha.settings import TZ
from xuncha.store import Store
from xuncha.workflow.types import Consultation

JSON = {"accept": "application/json"}


def test_javascript_links_are_refused_and_never_rendered_as_links(world) -> None:
    sup, csrf = world.login("sup")
    r = sup.post("/registers/consultations", headers=JSON, data={
        "csrf_token": csrf, "target": "A1", "question": "办理居住证需要哪些材料？", "sent_at": "2026-03-02 10:00",
        "channel_url": "javascript:fetch('/users')"})
    assert r.status_code == 400 and "http://" in r.json()["error"]
    # one stored by another way (an old import, the command line) stays text on the page
    with Store(world.db_url) as st:
        cid = st.add_consultation(Consultation(
            target_id="A1", question="问题", sent_at=datetime(2026, 3, 2, 10, tzinfo=TZ),
            channel_url="javascript:alert(1)", target_name="甲县人民政府", owner="甲县人民政府办公室", by="cli"))
    for c, _ in (world.login("sup"), world.login("unit_a")):
        page = c.get(f"/registers/consultations/{cid}").text
        assert 'href="javascript:' not in page and "javascript:alert(1)" in page
        assert 'href="javascript:' not in c.get("/registers/consultations?start=2026-03-01&end=2026-03-31").text


def test_dates_out_of_range_are_refused(world) -> None:
    sup, csrf = world.login("sup")
    r = sup.post("/registers/consultations", headers=JSON, data={
        "csrf_token": csrf, "target": "A1", "question": "问题", "sent_at": "0001-01-01 10:00"})
    assert r.status_code == 400 and "早于 2000 年" in r.json()["error"]
    csv = ("留言编号,网站名称,网站标识码,主管单位,留言时间,转办时间,受理时间,办结时间,留言内容,办理状态\n"
           "ZC1,甲县人民政府,A1,甲县人民政府办公室,9999-12-30 10:00,,,,内容,办理中\n"
           "ZC2,甲县人民政府,A1,甲县人民政府办公室,2026-03-02 10:00,,,,内容,办理中\n")
    r = sup.post("/registers/zhaocuo/import", headers=JSON, data={"csrf_token": csrf, "skip_bad_rows": "1"},
                 files={"file": ("找错.csv", csv.encode(), "text/csv")})
    assert r.status_code == 200, r.text
    assert "不在 2000 年至今的范围内" in str(r.json())
    assert sup.get("/registers/zhaocuo", headers=JSON).status_code == 200
    assert sup.get("/registers", headers=JSON).status_code == 200


def test_odd_ids_are_not_found_not_errors(world) -> None:
    sup, csrf = world.login("sup")
    for path in ("/cases/²", "/registers/zhaocuo/²", "/registers/consultations/²", "/cases/99999999999999999999999",
                 "/registers/zhaocuo/99999999999999999999999"):
        assert sup.get(path, headers=JSON).status_code == 404, path
    for path in ("/?run=²", "/?run=99999999999999999999999", "/registers/reposts?run=²",
                 "/registers/zhaocuo?accept_days=²"):
        assert sup.get(path, headers=JSON).status_code == 400, path
    r = sup.post("/targets/A1/review", json={"key": "x", "state": "confirmed", "run": [1]},
                 headers=JSON | {"X-CSRF-Token": csrf})
    assert r.status_code == 400 and "运行编号无效" in r.json()["error"]


def test_wrong_json_types_are_refused_not_taken_as_empty(world) -> None:
    sup, csrf = world.login("sup")
    h = JSON | {"X-CSRF-Token": csrf}
    before = sup.get("/users/sup_qs", headers=JSON).json()["user"]
    r = sup.post("/users/sup_qs", json={"region": ["示例省"]}, headers=h)
    assert r.status_code == 400 and "region" in r.json()["error"]
    assert sup.get("/users/sup_qs", headers=JSON).json()["user"] == before


def test_oversized_bodies_are_refused_before_anything_else(world) -> None:
    c = world.client()
    big = b'{"username": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    r = c.post("/login", content=big, headers=JSON | {"content-type": "application/json"})
    assert r.status_code == 413 and "过大" in r.json()["error"]
    sup, csrf = world.login("sup")
    r = sup.post("/cases/1/notify", content=big, headers=JSON | {"content-type": "application/json",
                                                                 "X-CSRF-Token": csrf})
    assert r.status_code == 413


def test_long_username_is_a_failed_login(world) -> None:
    c = world.client()
    token = c.get("/login", headers=JSON).json()["csrf_token"]
    r = c.post("/login", json={"username": "u" * 500, "password": "x" * 10, "csrf_token": token}, headers=JSON)
    assert r.status_code == 401
    with Store(world.db_url) as st:
        entry = st.audit_log(limit=1)[0]
    assert entry.action == "login_failed" and len(entry.username) == 64


def test_taken_message_number_outside_the_scope_names_nothing(world) -> None:
    sup, csrf = world.login("sup")
    r = sup.post("/registers/zhaocuo", headers=JSON, data={
        "csrf_token": csrf, "msg_no": "ZC-B-1", "site_code": "B1", "site_name": "乙市人民政府",
        "received_at": "2026-03-02 10:00", "content": "联系电话错误"})
    assert r.status_code in (200, 303), r.text
    qs, qcsrf = world.login("sup_qs")  # 示例省/青山市: B1 (白水市) is outside
    r = qs.post("/registers/zhaocuo", headers=JSON, data={
        "csrf_token": qcsrf, "msg_no": "ZC-B-1", "site_code": "A1", "received_at": "2026-03-02 10:00",
        "content": "x"})
    assert r.status_code == 409 and "已被使用" in r.json()["error"] and "该留言的页面" not in r.json()["error"]
