"""Who may see and do what: every route for every role, by page, by JSON and by guessed id."""

from __future__ import annotations

import pytest

JSON = {"accept": "application/json"}
VISIBLE = {
    "sup": {"A1", "A2", "B1", "B2"},
    "sup_qs": {"A1", "A2"},
    "unit_a": {"A1", "A2"},
    "unit_b": {"B1", "B2"},
    "aud": {"A1", "A2", "B1", "B2"},
}
CAN_REVIEW = {"sup", "sup_qs"}
CAN_AUDIT = {"sup", "aud"}


def _key(world, target_id: str, code: str) -> str:
    c, _ = world.login("sup")
    fs = c.get(f"/targets/{target_id}", headers=JSON).json()["findings"]
    return next(f["key"] for f in fs if f["code"] == code)


@pytest.mark.parametrize("username", sorted(VISIBLE))
def test_matrix(world, username: str) -> None:
    keys = {"A1": _key(world, "A1", "W.PUB.OVERVIEW"), "B1": _key(world, "B1", "W.PRIVACY.LEAK")}
    c, csrf = world.login(username)
    visible = VISIBLE[username]

    assert c.get("/").status_code == 200
    assert c.get("/targets").status_code == 200
    listed = {row["target"]["id"] for row in c.get("/targets", headers=JSON).json()["targets"]}
    assert listed == visible
    listed = {row["target"]["id"] for row in c.get("/targets?format=json").json()["targets"]}
    assert listed == visible

    for tid in ("A1", "A2", "B1", "B2", "NOPE", "A1%2F..%2FB1"):
        page, data = c.get(f"/targets/{tid}"), c.get(f"/targets/{tid}", headers=JSON)
        if tid in visible:
            assert page.status_code == 200 and data.status_code == 200
            assert data.json()["verdict"]["target"]["id"] == tid
        else:  # outside the scope looks exactly like a target that does not exist
            assert page.status_code == 404 and data.status_code == 404
            if "%" not in tid:
                assert "未找到目标" in page.text and "未找到目标" in data.json()["error"]
        # earlier runs too
        old = c.get(f"/targets/{tid}?run={world.runs['old']}", headers=JSON)
        assert old.status_code == (200 if tid in visible else 404)

    for tid, key in keys.items():
        form = {"csrf_token": csrf, "run": str(world.runs["new"]), "key": key, "state": "doubtful", "reason": "核实中"}
        r = c.post(f"/targets/{tid}/review", data=form, headers=JSON)
        if tid not in visible:
            assert r.status_code == 404
        elif username in CAN_REVIEW:
            assert r.status_code == 200 and r.json()["review"]["state"] == "doubtful"
        else:
            assert r.status_code == 403 and "只有监管人员" in r.json()["error"]
            assert c.post(f"/targets/{tid}/review", data=form).status_code == 403  # the HTML form too

    audit = c.get("/audit", headers=JSON)
    assert audit.status_code == (200 if username in CAN_AUDIT else 403)
    with world.store() as st:
        reviewed = {tid for tid, _ in st.reviews()}
    assert reviewed == (visible & set(keys) if username in CAN_REVIEW else set())


def test_anonymous(world) -> None:
    c = world.client()
    for path in ("/", "/targets", "/targets/A1", "/audit"):
        r = c.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
        assert c.get(path, headers=JSON).status_code == 401
    assert c.post("/targets/A1/review", data={"state": "confirmed"}).status_code == 401
    assert c.post("/logout").status_code == 401
    assert c.get("/static/app.css").status_code == 200
    r = c.get("/no/such/page", headers=JSON)
    assert r.status_code == 404 and r.json()["error"] == "页面不存在"


def test_unit_dashboard_covers_only_its_targets(world) -> None:
    c, _ = world.login("unit_a")
    d = c.get("/", headers=JSON).json()
    names = {n for g in d["problems"] for n in g["names"]}
    assert names == {"甲县人民政府"}
    assert d["owners"] == [world.owners[0]]
    # asking for another unit's owner or region gives nothing, never their data
    d = c.get("/", params={"owner": world.owners[1]}, headers=JSON).json()
    assert d["websites"]["inspected"] == 0 and d["problems"] == []
    d = c.get("/", params={"region": "示例省/白水市"}, headers=JSON).json()
    assert d["websites"]["inspected"] == 0 and d["media"]["inspected"] == 0
    assert "乙市" not in c.get("/").text and "乙市" not in c.get("/targets").text
