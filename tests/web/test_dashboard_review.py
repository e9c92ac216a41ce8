"""Dashboard figures equal the scoring engine's for the user's scope; reviews change verdicts,
are audited, refuse 误报 without a reason, and open a rectification case when confirmed."""

from __future__ import annotations

import sys
import types

import pytest

from xuncha.report.data import load_run_report
from xuncha.scoring.aggregate import build_report
from xuncha.scoring.ruleset import load_ruleset
from xuncha.web.data import problem_json, rate_json

JSON = {"accept": "application/json"}
SCOPES = {
    "sup": lambda t: True,
    "aud": lambda t: True,
    "sup_qs": lambda t: t.region.startswith("示例省/青山市"),
    "unit_a": lambda t: t.owner == "甲县人民政府办公室",
    "unit_b": lambda t: t.owner == "乙市人民政府办公室",
}


@pytest.mark.parametrize("ruleset", ["national-2019", "sichuan-2023"])
@pytest.mark.parametrize("username", sorted(SCOPES))
def test_dashboard_equals_load_run_report(world, username: str, ruleset: str) -> None:
    run = world.runs["new"]
    with world.store() as st:
        full = load_run_report(st, run, load_ruleset(ruleset))
    allow = SCOPES[username]
    mine = [v for v in full.verdicts if allow(v.target)]
    expected = full if username in ("sup", "aud") else build_report(run, full.as_of, mine, load_ruleset(ruleset))
    c, _ = world.login(username)
    d = c.get("/", params={"ruleset": ruleset}, headers=JSON).json()
    assert d["ruleset"]["id"] == ruleset and d["run"]["id"] == run
    assert d["websites"] == rate_json(expected.websites)
    assert d["media"] == rate_json(expected.media)
    assert d["by_region"] == [rate_json(r) for r in expected.by_region]
    assert d["by_category"] == [rate_json(r) for r in expected.by_category]
    assert d["by_platform"] == [rate_json(r) for r in expected.by_platform]
    assert d["problems"] == [problem_json(g) for g in expected.problems]
    assert d["pending"] == {"targets": len(expected.pending), "findings": sum(len(v.pending) for v in expected.verdicts)}
    assert [w["target"]["id"] for w in d["warnings"]] == [v.target.id for v in expected.verdicts if v.warnings]
    html = c.get("/", params={"ruleset": ruleset}).text
    assert expected.websites.rate_text in html


def test_dashboard_filters_and_run_choice(world) -> None:
    c, _ = world.login("sup")
    d = c.get("/", params={"region": "示例省/白水市"}, headers=JSON).json()
    assert d["websites"]["inspected"] == 2 and d["media"]["inspected"] == 0
    d = c.get("/", params={"owner": "甲县人民政府办公室"}, headers=JSON).json()
    assert d["websites"]["inspected"] == 1 and d["media"]["inspected"] == 1
    old = c.get("/", params={"run": world.runs["old"]}, headers=JSON).json()
    assert old["run"]["id"] == world.runs["old"] and old["websites"]["failed"] == 0
    assert c.get("/", params={"run": 999}, headers=JSON).status_code == 404
    assert c.get("/", params={"ruleset": "nope"}, headers=JSON).status_code == 400


def test_target_page_shows_everything(world) -> None:
    c, _ = world.login("sup")
    d = c.get("/targets/A1", headers=JSON).json()
    v = d["verdict"]
    assert v["verdict"] == "待确认" and v["pending_codes"] == ["W.VETO.SERIOUS_ERROR"]
    f = next(x for x in d["findings"] if x["code"] == "W.VETO.SERIOUS_ERROR")
    assert f["suggestion"].startswith("改为") and f["review"]["label"] == "待审核" and f["reviewable"]
    assert [h["run"]["id"] for h in d["history"]] == [world.runs["new"], world.runs["old"]]
    assert d["collection"]["pages_crawled"] == 12
    html = c.get("/targets/A1").text
    for text in ("待确认", "整改建议", "https://a1.example.gov.cn/xw/1.html", "待审核", "历次检查", "抓取页面 12 个"):
        assert text in html
    b2 = c.get("/targets/B2", headers=JSON).json()
    assert b2["collection"]["inconclusive_reasons"] == ["部分页面被拦截（WAF）"]
    assert b2["verdict"]["warnings"] == ["动态要闻 12 天未更新（预警）"]


def test_confirm_changes_verdict_audits_and_opens_case(world, monkeypatch) -> None:
    opened: list[dict] = []
    fake = types.ModuleType("xuncha.workflow.rectify")

    def open_case(store, *, target, finding, run_id, opened_by):
        opened.append({"target": target.id, "code": finding.code, "run": run_id, "by": opened_by})
        return 41

    fake.open_case = open_case  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "xuncha.workflow.rectify", fake)

    c, csrf = world.login("sup")
    d = c.get("/targets/A1", headers=JSON).json()
    key = next(x["key"] for x in d["findings"] if x["code"] == "W.VETO.SERIOUS_ERROR")
    r = c.post("/targets/A1/review", json={"run": world.runs["new"], "key": key, "state": "confirmed"},
               headers=JSON | {"x-csrf-token": csrf})
    assert r.status_code == 200, r.text
    assert r.json()["verdict"] == "不合格" and r.json()["case_id"] == 41
    assert opened == [{"target": "A1", "code": "W.VETO.SERIOUS_ERROR", "run": world.runs["new"], "by": "sup"}]
    assert c.get("/targets/A1", headers=JSON).json()["verdict"]["verdict"] == "不合格"
    with world.store() as st:
        rv = st.reviews(["A1"])[("A1", key)]
        assert (rv.state, rv.reviewer, rv.run_id) == ("confirmed", "sup", world.runs["new"])
        entry = next(e for e in st.audit_log() if e.action == "review")
        assert entry.username == "sup" and entry.object_type == "finding" and entry.object_id == f"A1/{key}"
        assert entry.before is None and entry.after["state"] == "confirmed"
    # back to 存疑 through the HTML form: audited with the before state, verdict pending again
    r = c.post("/targets/A1/review", data={"csrf_token": csrf, "run": world.runs["new"], "key": key,
                                           "state": "doubtful", "reason": "再核实"})
    assert r.status_code == 303 and r.headers["location"].startswith("/targets/A1?")
    with world.store() as st:
        entry = st.audit_log()[0]
        assert entry.before["state"] == "confirmed" and entry.after["state"] == "doubtful"
    assert c.get("/targets/A1", headers=JSON).json()["verdict"]["verdict"] == "待确认"
    assert len(opened) == 1


def test_false_positive_needs_reason(world) -> None:
    c, csrf = world.login("sup")
    d = c.get("/targets/B2", headers=JSON).json()
    key = next(x["key"] for x in d["findings"] if x["code"] == "W.CONTENT.TYPO")
    form = {"csrf_token": csrf, "run": str(world.runs["new"]), "key": key, "state": "false_positive"}
    r = c.post("/targets/B2/review", data=form)
    assert r.status_code == 400 and "必须填写理由" in r.text
    r = c.post("/targets/B2/review", data=form | {"reason": "   "}, headers=JSON)
    assert r.status_code == 400 and "必须填写理由" in r.json()["error"]
    with world.store() as st:
        assert st.reviews(["B2"]) == {} and not [e for e in st.audit_log() if e.action == "review"]
    r = c.post("/targets/B2/review", data=form | {"reason": "专有名词，非错别字"}, headers=JSON)
    assert r.status_code == 200 and r.json()["review"]["reason"] == "专有名词，非错别字"
    d = c.get("/targets/B2", headers=JSON).json()
    assert d["verdict"]["deductions"] == [] or all(x["code"] != "W.CONTENT.TYPO" for x in d["verdict"]["deductions"])


def test_review_refuses_bad_input(world) -> None:
    c, csrf = world.login("sup")
    d = c.get("/targets/B2", headers=JSON).json()
    warn = next(x["key"] for x in d["findings"] if x["severity"] == "advisory")
    key = next(x["key"] for x in d["findings"] if x["code"] == "W.CONTENT.TYPO")
    base = {"csrf_token": csrf, "run": str(world.runs["new"])}
    assert c.post("/targets/B2/review", data=base | {"key": warn, "state": "confirmed"}).status_code == 404
    assert c.post("/targets/B2/review", data=base | {"key": "f" * 16, "state": "confirmed"}).status_code == 404
    assert c.post("/targets/B2/review", data=base | {"key": key, "state": "maybe"}).status_code == 400


def test_serious_privacy_leak(world) -> None:
    c, csrf = world.login("sup")
    d = c.get("/targets/B1", headers=JSON).json()
    key = next(x["key"] for x in d["findings"] if x["code"] == "W.PRIVACY.LEAK")
    r = c.post("/targets/B1/review", data={"csrf_token": csrf, "run": str(world.runs["new"]), "key": key,
                                           "state": "confirmed", "serious": "1"}, headers=JSON)
    assert r.json()["review"]["serious"] is True
    assert "W.PRIVACY.LEAK" in c.get("/targets/B1", headers=JSON).json()["verdict"]["veto_codes"]
