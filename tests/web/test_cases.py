"""Rectification cases (整改) in the console: who sees and may do what, refused transitions,
filters and on-time rates, links from the target page, and the whole loop over real HTTP
against a loopback site (confirm → notify → submit → 复查 reopens → submit → 复查 closes)."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest

from xuncha.workflow import rectify as rc
from xuncha.workflow.calendar import quarter_of

JSON = {"accept": "application/json"}
OWNER_A, OWNER_B = "甲县人民政府办公室", "乙市人民政府办公室"
SITE_ID = "9901000099"  # the loopback site's target (conftest.LoopSite)


# --------------------------------------------------------------------------- authorization matrix
VISIBLE = {"sup": {"A1", "B1", "B2"}, "sup_qs": {"A1"}, "unit_a": {"A1"}, "unit_b": {"B1", "B2"},
           "aud": {"A1", "B1", "B2"}}
ROLE = {"sup": "supervisor", "sup_qs": "supervisor", "unit_a": "unit", "unit_b": "unit", "aud": "auditor"}


@pytest.mark.parametrize("username", sorted(VISIBLE))
def test_case_matrix(world, open_case, username: str) -> None:
    ids = {  # target: (open case, notified case)
        "A1": (open_case(world.db_url, "A1", "W.PUB.OVERVIEW"), open_case(world.db_url, "A1", "W.VETO.SERIOUS_ERROR", notify=True)),
        "B1": (open_case(world.db_url, "B1", "W.PRIVACY.LEAK"), open_case(world.db_url, "B1", "W.VETO.UNREACHABLE", notify=True)),
    }
    typo = open_case(world.db_url, "B2", "W.CONTENT.TYPO")
    c, csrf = world.login(username)
    visible = VISIBLE[username]
    role = ROLE[username]

    listed = c.get("/cases", headers=JSON).json()
    assert {x["target"]["id"] for x in listed["cases"]} == visible
    assert {x["owner"] for x in listed["rates"]} == {x["owner"] for x in listed["cases"]}
    html = c.get("/cases").text
    assert '<a href="/cases" id="nav-cases">整改</a>' in html
    assert ("乙市" in html) == ("B1" in visible) and ("甲县" in html) == ("A1" in visible)

    every = [*ids["A1"], *ids["B1"], typo]
    for cid in every:
        tid = next((t for t, pair in ids.items() if cid in pair), "B2")
        page, data = c.get(f"/cases/{cid}"), c.get(f"/cases/{cid}", headers=JSON)
        if tid in visible:
            assert page.status_code == 200 and data.status_code == 200
            assert data.json()["case"]["id"] == cid and data.json()["events"][0]["to_label"] == "待通知"
        else:  # outside the scope looks exactly like a case that does not exist
            assert page.status_code == 404 and data.status_code == 404
            assert "未找到整改事项" in page.text and "未找到整改事项" in data.json()["error"]
            assert c.get(f"/cases/{cid}?format=json").status_code == 404
    for guess in ("999999", "abc", "-1", "1%2F..%2F2", "0x1"):
        assert c.get(f"/cases/{guess}", headers=JSON).status_code == 404
        assert c.post(f"/cases/{guess}/notify", data={"csrf_token": csrf}).status_code == 404
    assert c.post(f"/cases/{every[0]}/close", data={"csrf_token": csrf}).status_code == 404

    # no CSRF token: refused before anything else, whatever the case
    for cid in every:
        r = c.post(f"/cases/{cid}/notify", headers=JSON)
        assert r.status_code == 403 and "CSRF" in r.json()["error"]

    for tid, (open_id, notified_id) in ids.items():
        expect_notify = 404 if tid not in visible else 200 if role == "supervisor" else 403
        r = c.post(f"/cases/{open_id}/notify", data={"csrf_token": csrf, "note": "请于期限内整改"}, headers=JSON)
        assert r.status_code == expect_notify, r.text
        if expect_notify == 403:
            assert "只有监管人员" in r.json()["error"]
        expect_submit = 404 if tid not in visible else 200 if role == "unit" else 403
        r = c.post(f"/cases/{notified_id}/submit", data={"csrf_token": csrf, "note": "已整改"}, headers=JSON)
        assert r.status_code == expect_submit, r.text
        if expect_submit == 403:
            assert "只有该对象的主管单位" in r.json()["error"]
        if role != "supervisor":  # supervisors' 复查 would collect a real host: tested on loopback below
            r = c.post(f"/cases/{notified_id}/recheck", data={"csrf_token": csrf}, headers=JSON)
            assert r.status_code == (404 if tid not in visible else 403)
        expect_decide = 404 if tid not in visible else 200 if role == "supervisor" else 403
        r = c.post(f"/cases/{notified_id}/decide", data={"csrf_token": csrf, "passed": "0", "note": "未见整改"},
                   headers=JSON)
        assert r.status_code == expect_decide, r.text

    with world.store() as st:
        states = {cid: st.get_case(cid).state for cid in every}
        audited = [(e.action, e.object_id) for e in st.audit_log(object_type="case")]
    for tid, (open_id, notified_id) in ids.items():
        mine = tid in visible
        assert states[open_id] == ("notified" if mine and role == "supervisor" else "open")
        assert states[notified_id] == ("submitted" if mine and role == "unit" else
                                       "reopened" if mine and role == "supervisor" else "notified")
    assert states[typo] == "open"
    assert all(e[1] in {str(i) for t in visible & set(ids) for i in ids[t]} for e in audited)
    assert len(audited) == {"supervisor": 2, "unit": 1, "auditor": 0}[role] * len(visible & set(ids))


def test_actions_shown_by_role_and_state(world, open_case) -> None:
    cid = open_case(world.db_url, "A1", "W.PUB.OVERVIEW")
    names = {}
    for user in ("sup", "unit_a", "aud"):
        c, _ = world.login(user)
        names[user] = [a["name"] for a in c.get(f"/cases/{cid}", headers=JSON).json()["actions"]]
    assert names == {"sup": ["notify"], "unit_a": [], "aud": []}
    sup, csrf = world.login("sup")
    page = sup.get(f"/cases/{cid}").text
    assert 'id="form-notify"' in page and 'id="form-submit"' not in page and 'id="form-recheck"' not in page
    sup.post(f"/cases/{cid}/notify", data={"csrf_token": csrf})
    unit, _ = world.login("unit_a")
    assert [a["name"] for a in unit.get(f"/cases/{cid}", headers=JSON).json()["actions"]] == ["submit"]
    assert 'id="form-submit"' in unit.get(f"/cases/{cid}").text
    assert [a["name"] for a in sup.get(f"/cases/{cid}", headers=JSON).json()["actions"]] == ["recheck", "decide"]
    aud, _ = world.login("aud")
    assert 'id="actions"' not in aud.get(f"/cases/{cid}").text


def test_anonymous_cases(world, open_case) -> None:
    cid = open_case(world.db_url, "A1", "W.PUB.OVERVIEW")
    c = world.client()
    for path in ("/cases", f"/cases/{cid}"):
        r = c.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
        assert c.get(path, headers=JSON).status_code == 401
    for action in ("notify", "submit", "recheck", "decide"):
        assert c.post(f"/cases/{cid}/{action}", data={"note": "x"}).status_code == 401
    with world.store() as st:
        assert st.get_case(cid).state == "open"


# --------------------------------------------------------------------------- refusals, audit
def test_refused_transitions_and_input(world, open_case) -> None:
    cid = open_case(world.db_url, "A1", "W.VETO.SERIOUS_ERROR")
    sup, csrf = world.login("sup")
    unit, ucsrf = world.login("unit_a")
    r = unit.post(f"/cases/{cid}/submit", data={"csrf_token": ucsrf, "note": "已改"}, headers=JSON)
    assert r.status_code == 409 and r.json()["error"] == f"整改事项 #{cid} 当前状态为「待通知」，不能提交整改情况"
    r = sup.post(f"/cases/{cid}/decide", data={"csrf_token": csrf, "passed": "1", "note": "x"}, headers=JSON)
    assert r.status_code == 409 and "待通知" in r.json()["error"]
    r = sup.post(f"/cases/{cid}/notify", json={"note": "请整改"}, headers=JSON | {"x-csrf-token": csrf})
    assert r.status_code == 200 and r.json()["case"]["state_label"] == "已通知"
    r = sup.post(f"/cases/{cid}/notify", data={"csrf_token": csrf})  # the HTML form: a Chinese error page
    assert r.status_code == 409 and "当前状态为「已通知」，不能下发整改通知" in r.text
    for note in ("", "   "):
        r = unit.post(f"/cases/{cid}/submit", data={"csrf_token": ucsrf, "note": note}, headers=JSON)
        assert r.status_code == 400 and r.json()["error"] == "请填写整改情况说明"
    r = unit.post(f"/cases/{cid}/submit", data={"csrf_token": ucsrf, "note": "已删除错误表述"})
    assert r.status_code == 303 and r.headers["location"] == f"/cases/{cid}"
    r = sup.post(f"/cases/{cid}/decide", data={"csrf_token": csrf, "note": "已核实"}, headers=JSON)
    assert r.status_code == 400 and "人工复查结论" in r.json()["error"]
    r = sup.post(f"/cases/{cid}/decide", data={"csrf_token": csrf, "passed": "1"}, headers=JSON)
    assert r.status_code == 400 and "复查说明" in r.json()["error"]
    r = sup.post(f"/cases/{cid}/decide", json={"passed": True, "note": "人工核实已删除"},
                 headers=JSON | {"x-csrf-token": csrf})
    assert r.status_code == 200 and r.json()["case"]["state"] == "closed"
    for action, who, token in (("notify", sup, csrf), ("recheck", sup, csrf), ("submit", unit, ucsrf)):
        r = who.post(f"/cases/{cid}/{action}", data={"csrf_token": token, "note": "x"}, headers=JSON)
        assert r.status_code == 409 and "已整改关闭，不能再" in r.json()["error"]
    d = sup.get(f"/cases/{cid}", headers=JSON).json()
    assert [(e["from_label"], e["to_label"], e["by"]) for e in d["events"]] == [
        ("", "待通知", "sup"), ("待通知", "已通知", "sup"), ("已通知", "已提交整改", "unit_a"),
        ("已提交整改", "复查中", "sup"), ("复查中", "已整改（关闭）", "sup")]
    assert d["events"][2]["note"] == "已删除错误表述" and d["events"][4]["note"] == "人工核实已删除"
    assert d["actions"] == [] and d["case"]["closed_on_time"] is True
    with world.store() as st:
        log = [e for e in st.audit_log(object_type="case") if e.object_id == str(cid)]
    assert [e.action for e in reversed(log)] == ["case_notify", "case_submit", "case_decide"]
    assert [e.username for e in reversed(log)] == ["sup", "unit_a", "sup"]
    assert log[0].before["state"] == "submitted" and log[0].after["state"] == "closed"


# --------------------------------------------------------------------------- list, filters, rates
def test_list_filters_overdue_and_rates(world, open_case) -> None:
    late = open_case(world.db_url, "A1", "W.PUB.OVERVIEW", notify=True, today=date(2025, 1, 6))
    fresh = open_case(world.db_url, "B1", "W.PRIVACY.LEAK")
    closed = open_case(world.db_url, "B2", "W.CONTENT.TYPO", today=date(2025, 1, 6))
    with world.store() as st:
        rc.notify(st, closed, by="sup")
        rc.start_recheck(st, closed, by="sup")
        rc.finish_recheck(st, closed, passed=True, by="sup")  # today: long after its deadline
        due = {cid: st.get_case(cid).due_on for cid in (late, fresh, closed)}
    c, _ = world.login("sup")
    d = c.get("/cases", headers=JSON).json()
    assert [x["id"] for x in d["cases"]] == [late, fresh, closed]  # overdue first, closed last
    row = d["cases"][0]
    assert row["overdue"] is True and row["deadline"] == due[late].isoformat() and row["state_label"] == "已通知"
    assert row["code_title"] == "概况信息" and row["evidence"] == "概况信息栏目未更新"  # no check yet: the spec title
    assert d["cases"][1]["code_title"] == "个人信息未脱敏"
    assert row["target"]["name"] == "甲县人民政府" and row["owner"] == OWNER_A
    assert [x["overdue"] for x in d["cases"]] == [True, False, False]
    start, end = quarter_of(date.fromisoformat(d["today"]))
    assert d["period"] == {"start": start.isoformat(), "end": end.isoformat()}

    def ids(**params: str) -> list[int]:
        r = c.get("/cases", params=params, headers=JSON)
        assert r.status_code == 200, r.text
        return [x["id"] for x in r.json()["cases"]]

    assert ids(overdue="1") == [late]
    assert ids(state="closed") == ids(state="已整改（关闭）") == [closed]
    assert ids(state="待通知") == [fresh]
    assert ids(owner=OWNER_B) == [fresh, closed]
    assert ids(target="A1") == [late]
    assert c.get("/cases", params={"state": "maybe"}, headers=JSON).status_code == 400
    assert c.get("/cases", params={"start": "2025-13-01"}, headers=JSON).status_code == 400

    r = c.get("/cases", params={"start": "2025-01-01", "end": "2025-03-31"}, headers=JSON).json()
    assert {x["owner"]: (x["due"], x["closed_on_time"], x["closed_late"], x["open"], x["rate_text"])
            for x in r["rates"]} == {OWNER_A: (1, 0, 0, 1, "0.0%"), OWNER_B: (1, 0, 1, 0, "0.0%")}
    assert [x["owner"] for x in c.get("/cases", params={"start": due[fresh].isoformat(),
                                                         "end": due[fresh].isoformat()},
                                      headers=JSON).json()["rates"]] == [OWNER_B]
    html = c.get("/cases", params={"start": "2025-01-01", "end": "2025-03-31"}).text
    for text in ("编号", "对象", "主管单位", "问题", "状态", "截止日期", "逾期", "按期整改率", "概况信息栏目未更新",
                 "<b>个人信息未脱敏</b>",
                 f'href="/cases/{late}"', "已整改（关闭）", "2025-01-01"):
        assert text in html, text
    assert html.count('<span class="overdue">逾期</span>') == 1
    # a unit user's rates cover its own unit only
    u, _ = world.login("unit_b")
    r = u.get("/cases", params={"start": "2025-01-01", "end": "2025-03-31"}, headers=JSON).json()
    assert [x["owner"] for x in r["rates"]] == [OWNER_B] and [x["id"] for x in r["cases"]] == [fresh, closed]
    assert u.get("/cases", params={"owner": OWNER_A}, headers=JSON).json()["cases"] == []


def test_target_page_links_open_cases(world, open_case) -> None:
    cid = open_case(world.db_url, "A1", "W.VETO.SERIOUS_ERROR")
    c, _ = world.login("sup")
    d = c.get("/targets/A1", headers=JSON).json()
    assert [x["id"] for x in d["cases"]] == [cid] and d["cases"][0]["state_label"] == "待通知"
    html = c.get("/targets/A1").text
    assert 'id="cases"' in html and html.count(f'href="/cases/{cid}"') == 2  # the list and the finding
    assert c.get("/targets/B1", headers=JSON).json()["cases"] == []
    u, _ = world.login("unit_a")
    assert [x["id"] for x in u.get("/targets/A1", headers=JSON).json()["cases"]] == [cid]


# --------------------------------------------------------------------------- the loop over HTTP
def _confirm_site_finding(world, c, csrf: str) -> int:
    d = c.get(f"/targets/{SITE_ID}", params={"run": world.runs["site"]}, headers=JSON).json()
    key = next(f["key"] for f in d["findings"] if f["code"] == "W.ID.FOOTER" and f["detail"].get("mark") == "site_code")
    r = c.post(f"/targets/{SITE_ID}/review", json={"run": world.runs["site"], "key": key, "state": "confirmed"},
               headers=JSON | {"x-csrf-token": csrf})
    assert r.status_code == 200, r.text
    assert isinstance(r.json()["case_id"], int)
    return int(r.json()["case_id"])


def test_rectify_loop_over_http(site_world, loop_site) -> None:
    w = site_world
    sup, csrf = w.login("sup")
    cid = _confirm_site_finding(w, sup, csrf)
    case = sup.get(f"/cases/{cid}", headers=JSON).json()["case"]
    assert (case["state"], case["target"]["id"], case["owner"], case["code"]) == ("open", SITE_ID, OWNER_A, "W.ID.FOOTER")
    assert "网站标识码" in case["evidence"]
    first_deadline = case["deadline"]
    listed = sup.get("/cases", params={"state": "open"}, headers=JSON).json()["cases"]
    assert cid in [x["id"] for x in listed]

    r = sup.post(f"/cases/{cid}/notify", data={"csrf_token": csrf, "note": "请 5 个工作日内补充网站标识码"})
    assert r.status_code == 303 and r.headers["location"] == f"/cases/{cid}"

    other, ocsrf = w.login("unit_b")
    assert other.get(f"/cases/{cid}").status_code == 404
    assert other.post(f"/cases/{cid}/submit", data={"csrf_token": ocsrf, "note": "x"}).status_code == 404
    unit, ucsrf = w.login("unit_a")
    r = unit.post(f"/cases/{cid}/submit", data={"csrf_token": ucsrf, "note": "已在页脚补充网站标识码"})
    assert r.status_code == 303
    assert unit.post(f"/cases/{cid}/recheck", data={"csrf_token": ucsrf}).status_code == 403

    # 复查 while the footer still lacks the code: reopened with a new deadline
    hits = len(loop_site.hits)
    r = sup.post(f"/cases/{cid}/recheck", data={"csrf_token": csrf}, headers=JSON)
    assert r.status_code == 200, r.text
    res = r.json()["recheck"]
    assert len(loop_site.hits) > hits
    assert (res["outcome"], res["state"], r.json()["case"]["state_label"]) == ("reopened", "reopened",
                                                                               "复查未通过（重新打开）")
    assert res["deadline"] >= first_deadline and f"重新整改截止 {res['deadline']}" in res["note"]
    assert any("网站标识码" in x for x in res["still_present"])
    page = sup.get(f"/cases/{cid}").text
    assert 'id="recheck-outcome">复查未通过，重新打开<' in page and "问题仍存在" in page
    still = sup.get(f"/cases/{cid}", headers=JSON).json()["last_recheck"]["still_present"]
    assert still and all("网站标识码" in x for x in still)

    # the unit fixes it for real and reports again; 复查 through the HTML form closes the case
    loop_site.fixed = True
    r = unit.post(f"/cases/{cid}/submit", data={"csrf_token": ucsrf, "note": "已补充网站标识码 9901000099"})
    assert r.status_code == 303
    r = sup.post(f"/cases/{cid}/recheck", data={"csrf_token": csrf})
    assert r.status_code == 303 and r.headers["location"] == f"/cases/{cid}#recheck"
    first = sup.get(f"/cases/{cid}").text  # the form's re-check runs in the background
    assert 'id="recheck-running"' in first or "已整改（关闭）" in first
    wait_recheck(sup, cid)
    page = sup.get(f"/cases/{cid}").text
    assert re.search(r'id="case-state">已整改（关闭）<', page) and "问题已不存在" in page
    d = unit.get(f"/cases/{cid}", headers=JSON).json()
    assert d["case"]["state"] == "closed" and d["case"]["closed_on_time"] is True and d["actions"] == []
    assert d["last_recheck"]["outcome"] == "closed" and d["last_recheck"]["still_present"] == []
    assert [(e["to_state"], e["by"]) for e in d["events"]] == [
        ("open", "sup"), ("notified", "sup"), ("submitted", "unit_a"), ("rechecking", "sup"), ("reopened", "sup"),
        ("submitted", "unit_a"), ("rechecking", "sup"), ("closed", "sup")]
    assert d["events"][1]["note"] == "请 5 个工作日内补充网站标识码"
    assert d["events"][4]["data"]["outcome"] == "reopened" and d["events"][7]["data"]["outcome"] == "closed"
    with w.store() as st:
        log = [(e.action, e.username, e.after.get("outcome") or e.after.get("state"))
               for e in reversed(st.audit_log(object_type="case")) if e.object_id == str(cid)]
    assert log == [("case_notify", "sup", "notified"), ("case_submit", "unit_a", "submitted"),
                   ("case_recheck", "sup", "reopened"), ("case_submit", "unit_a", "submitted"),
                   ("case_recheck", "sup", "closed")]
    # closed: no more actions, and the target page lists no open case
    r = sup.post(f"/cases/{cid}/recheck", data={"csrf_token": csrf}, headers=JSON)
    assert r.status_code == 409 and "已整改关闭" in r.json()["error"]
    assert sup.get(f"/targets/{SITE_ID}", headers=JSON).json()["cases"] == []
    assert [x["state"] for x in unit.get("/cases", headers=JSON).json()["cases"] if x["id"] == cid] == ["closed"]


def test_recheck_timeout_puts_case_back(make_site_world, loop_site) -> None:
    w = make_site_world(recheck_timeout_s=1.0)
    sup, csrf = w.login("sup")
    cid = _confirm_site_finding(w, sup, csrf)
    assert sup.post(f"/cases/{cid}/notify", data={"csrf_token": csrf}).status_code == 303
    unit, ucsrf = w.login("unit_a")
    assert unit.post(f"/cases/{cid}/submit", data={"csrf_token": ucsrf, "note": "已整改"}).status_code == 303
    loop_site.delay_s = 3.0
    r = sup.post(f"/cases/{cid}/recheck", data={"csrf_token": csrf}, headers=JSON)
    assert r.status_code == 504 and "自动复查超时" in r.json()["error"] and "已提交整改" in r.json()["error"]
    d = sup.get(f"/cases/{cid}", headers=JSON).json()
    assert d["case"]["state"] == "submitted" and d["events"][-1]["data"] == {"error": "timeout"}
    assert [a["name"] for a in d["actions"]] == ["recheck", "decide"]
    assert d["last_recheck"]["outcome"] == "failed" and "超时" in d["last_recheck"]["note"]
    with w.store() as st:
        entry = st.audit_log(object_type="case")[0]
    assert entry.action == "case_recheck" and entry.after == {"state": "submitted", "outcome": "timeout"}
    # in the background ("wait": false): 202 at once, 复查中 while it runs, a second one refused
    r = sup.post(f"/cases/{cid}/recheck", data={"csrf_token": csrf, "wait": "0"}, headers=JSON)
    assert r.status_code == 202 and r.json()["started"] is True
    assert sup.get(f"/cases/{cid}", headers=JSON).json()["rechecking"] is True
    assert 'id="recheck-running"' in sup.get(f"/cases/{cid}").text
    r = sup.post(f"/cases/{cid}/recheck", data={"csrf_token": csrf}, headers=JSON)
    assert r.status_code == 409 and "正在自动复查" in r.json()["error"]
    # nor a manual decision while it runs (the re-check's outcome would undo it)
    assert 'id="form-decide"' not in sup.get(f"/cases/{cid}").text
    r = sup.post(f"/cases/{cid}/decide", data={"csrf_token": csrf, "passed": "0", "note": "人工核查未整改"},
                 headers=JSON)
    assert r.status_code == 409 and "正在自动复查" in r.json()["error"]
    d = wait_recheck(sup, cid)
    assert d["case"]["state"] == "submitted" and d["last_recheck"]["outcome"] == "failed"
    with w.store() as st:
        entries = [e for e in st.audit_log(object_type="case") if e.action == "case_recheck"]
    assert [e.after for e in entries] == [{"state": "submitted", "outcome": "timeout"}] * 2


def wait_recheck(client, cid: int, timeout_s: float = 60) -> dict:
    """Poll the case's JSON until its background re-check is over."""
    deadline = time.monotonic() + timeout_s
    while True:
        d = client.get(f"/cases/{cid}", headers=JSON).json()
        if not d["rechecking"]:
            return d
        assert time.monotonic() < deadline, "the re-check did not end"
        time.sleep(0.2)
