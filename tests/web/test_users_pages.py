"""User management (用户管理) and one's own account over real HTTP: only administrators
(supervisors without a region limit) manage users; deactivation and a password reset end the
account's sessions at once; a password change needs the current one; everything is audited,
never with a password or its hash."""

from __future__ import annotations

import json

import httpx
import pytest

from xuncha.store import Store

JSON = {"accept": "application/json"}
NEW_PW = "new-pass-2026"


def login_status(world, username: str, password: str) -> int:
    """The status of a JSON login (200 or 401)."""
    c = world.client()
    token = c.get("/login", headers=JSON).json()["csrf_token"]
    r = c.post("/login", data={"username": username, "password": password, "csrf_token": token}, headers=JSON)
    return r.status_code


def audit(world, action: str) -> list:
    with Store(world.db_url) as st:
        return [e for e in st.audit_log(limit=1000) if e.action == action]


# --------------------------------------------------------------------------- who may manage users
@pytest.mark.parametrize("username", ["sup_qs", "unit_a", "aud"])
def test_non_admins_cannot_manage_users(world, username: str) -> None:
    c, csrf = world.login(username)
    assert 'id="nav-users"' not in c.get("/").text
    for path in ("/users", "/users/unit_b", "/users/nobody"):
        page, data = c.get(path), c.get(path, headers=JSON)
        assert page.status_code == 403 and "无权管理用户" in page.text
        assert data.status_code == 403 and "无权管理用户" in data.json()["error"]
        assert c.get(f"{path}?format=json").status_code == 403
    posts = {"/users": {"username": "x1", "role": "auditor", "password": NEW_PW},
             "/users/unit_b": {"display_name": "改名"}, "/users/unit_b/active": {"active": "0"},
             "/users/unit_b/password": {"password": NEW_PW}}
    for path, form in posts.items():
        r = c.post(path, data={"csrf_token": csrf, **form}, headers=JSON)
        assert r.status_code == 403 and "无权管理用户" in r.json()["error"], (path, r.text)
        assert c.post(path, data={"csrf_token": csrf, **form}).status_code == 403  # the HTML form too
    assert login_status(world, "unit_b", world.password) == 200  # nothing changed
    with Store(world.db_url) as st:
        assert st.get_user("x1") is None and st.get_user("unit_b").display_name == "unit_b用户"
    # everybody has their own account page
    page = c.get("/account")
    assert page.status_code == 200 and 'action="/account/password"' in page.text
    assert c.get("/account", headers=JSON).json()["user"]["username"] == username


def test_not_logged_in(world) -> None:
    c = world.client()
    for path in ("/users", "/users/sup", "/account"):
        r = c.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
        assert c.get(path, headers=JSON).status_code == 401
    assert c.post("/users", data={"username": "x"}).status_code == 401
    assert c.post("/account/password", data={"current_password": "x"}).status_code == 401


def test_csrf_refused(world) -> None:
    c, _csrf = world.login("sup")
    for path, form in {"/users": {"username": "x2", "role": "auditor", "password": NEW_PW},
                       "/users/unit_b": {"display_name": "x"}, "/users/unit_b/active": {"active": "0"},
                       "/users/unit_b/password": {"password": NEW_PW},
                       "/account/password": {"current_password": world.password, "new_password": NEW_PW}}.items():
        for token in ("", "wrong-token"):
            r = c.post(path, data={"csrf_token": token, **form}, headers=JSON)
            assert r.status_code == 403 and "CSRF" in r.json()["error"], path
    assert login_status(world, "unit_b", world.password) == 200
    assert login_status(world, "sup", world.password) == 200


# --------------------------------------------------------------------------- list, add, edit
def test_list_and_add(world) -> None:
    c, csrf = world.login("sup")
    page = c.get("/users")
    assert page.status_code == 200 and 'id="nav-users"' in page.text
    for name in ("sup", "sup_qs", "unit_a", "unit_b", "aud"):
        assert f'data-user="{name}"' in page.text
    data = c.get("/users", headers=JSON).json()
    assert [u["username"] for u in data["users"]] == ["sup", "sup_qs", "unit_a", "unit_b", "aud"]
    sup = data["users"][0]
    assert sup["admin"] is True and sup["role_label"] == "监管人员"
    assert "password" not in json.dumps(data) and "argon2" not in json.dumps(data)

    def add(**form: str) -> httpx.Response:
        return c.post("/users", data={"csrf_token": csrf, **form}, headers=JSON)

    base = {"username": "unit_c", "display_name": "丙县办", "role": "unit", "owner": "丙县人民政府办公室",
            "password": NEW_PW, "password2": NEW_PW}
    for bad, message in (({"password": "short1", "password2": "short1"}, "至少 8 个字符"),
                         ({"password2": "different-pw"}, "不一致"), ({"owner": ""}, "必须填写所属单位"),
                         ({"role": "admin"}, "角色「admin」无效"), ({"username": "has space"}, "用户名应为"),
                         ({"username": ""}, "用户名应为"), ({"username": "sup"}, "已存在")):
        r = add(**(base | bad))
        assert r.status_code in (400, 409) and message in r.json()["error"], (bad, r.text)
    assert login_status(world, "unit_c", NEW_PW) == 401

    r = add(**base, region="不该保存")
    assert r.status_code == 201, r.text
    assert r.json()["user"] == {"username": "unit_c", "display_name": "丙县办", "role": "unit", "role_label": "主管单位",
                                "region": "", "owner": "丙县人民政府办公室", "active": True, "admin": False}
    assert login_status(world, "unit_c", NEW_PW) == 200
    # a supervisor with a region, through the HTML form
    r = c.post("/users", data={"csrf_token": csrf, "username": "sup_bs", "display_name": "白水监管", "role": "supervisor",
                               "region": " 示例省 / 白水市 ", "owner": "x", "password": NEW_PW, "password2": NEW_PW})
    assert r.status_code == 303 and r.headers["location"] == "/users/sup_bs"
    one = c.get("/users/sup_bs", headers=JSON).json()
    assert one["user"]["region"] == "示例省/白水市" and one["user"]["owner"] == ""
    assert one["audit"][0]["action"] == "user_created" and one["audit"][0]["username"] == "sup"
    assert one["audit"][0]["ip"] == "127.0.0.1"
    page = c.get("/users/sup_bs")
    assert page.status_code == 200 and "示例省/白水市" in page.text and 'id="form-reset-password"' in page.text
    # the new supervisor sees only its region
    cb, _ = world.login("sup_bs", NEW_PW)
    assert {t["target"]["id"] for t in cb.get("/targets", headers=JSON).json()["targets"]} == {"B1", "B2"}
    assert cb.get("/users", headers=JSON).status_code == 403
    assert c.get("/users/nobody", headers=JSON).status_code == 404
    assert "不存在" in c.get("/users/nobody").text
    created = audit(world, "user_created")
    assert {e.object_id for e in created} >= {"unit_c", "sup_bs"}
    assert all("argon2" not in json.dumps([e.before, e.after]) for e in created)


def test_edit(world) -> None:
    c, csrf = world.login("sup")

    def edit(username: str, **form: str) -> httpx.Response:
        return c.post(f"/users/{username}", data={"csrf_token": csrf, **form}, headers=JSON)

    cb, _ = world.login("unit_b")
    assert {t["target"]["id"] for t in cb.get("/targets", headers=JSON).json()["targets"]} == {"B1", "B2"}
    r = edit("unit_b", role="supervisor", region="示例省/青山市", owner="乙市人民政府办公室", display_name="乙市监管")
    assert r.status_code == 200, r.text
    assert r.json()["user"] == {"username": "unit_b", "display_name": "乙市监管", "role": "supervisor",
                               "role_label": "监管人员", "region": "示例省/青山市", "owner": "", "active": True,
                               "admin": False}
    # the change applies to the running session at once
    assert {t["target"]["id"] for t in cb.get("/targets", headers=JSON).json()["targets"]} == {"A1", "A2"}
    # partial JSON edit keeps the rest
    r = c.post("/users/unit_b", json={"display_name": "乙"}, headers=JSON | {"x-csrf-token": csrf})
    assert r.status_code == 200 and r.json()["user"]["region"] == "示例省/青山市" and r.json()["user"]["display_name"] == "乙"
    assert edit("unit_b", role="unit", owner="").status_code == 400
    assert edit("unit_b", role="nope").status_code == 400
    r = c.post("/users/unit_b", data={"csrf_token": csrf, "role": "unit", "owner": "乙市人民政府办公室", "region": "",
                                      "display_name": "乙市办"})
    assert r.status_code == 303 and r.headers["location"] == "/users/unit_b"
    # oneself: the display name yes, the role or region no
    assert edit("sup", display_name="管理员").status_code == 200
    for form in ({"role": "auditor"}, {"region": "示例省"}):
        r = edit("sup", **form)
        assert r.status_code == 409 and "不能修改自己的角色" in r.json()["error"]
    assert c.get("/users", headers=JSON).status_code == 200  # still an administrator
    assert edit("nobody", display_name="x").status_code == 404
    updated = audit(world, "user_updated")
    first = next(e for e in reversed(updated) if e.object_id == "unit_b")
    assert first.before["role"] == "unit" and first.after == {"role": "supervisor", "region": "示例省/青山市", "owner": "",
                                                             "display_name": "乙市监管"}
    assert first.username == "sup" and first.ip == "127.0.0.1"


# --------------------------------------------------------------------------- deactivation, passwords
def test_deactivate_ends_sessions(world) -> None:
    c, csrf = world.login("sup")
    ca, csrf_a = world.login("unit_a")
    assert ca.get("/", headers=JSON).status_code == 200
    r = c.post("/users/unit_a/active", data={"csrf_token": csrf, "active": "0"}, headers=JSON)
    assert r.status_code == 200 and r.json()["user"]["active"] is False
    # the very next request of the deactivated user: the login page (HTML) or 401 (JSON)
    r = ca.get("/cases")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert ca.get("/", headers=JSON).status_code == 401
    assert ca.post("/account/password", data={"csrf_token": csrf_a, "current_password": world.password,
                                              "new_password": NEW_PW}).status_code == 401
    assert login_status(world, "unit_a", world.password) == 401
    assert "已停用" in c.get("/users").text
    # never oneself
    r = c.post("/users/sup/active", data={"csrf_token": csrf, "active": "0"}, headers=JSON)
    assert r.status_code == 409 and "不能停用自己" in r.json()["error"]
    assert c.post("/users/unit_a/active", data={"csrf_token": csrf, "active": "maybe"}, headers=JSON).status_code == 400
    # reactivate through the HTML form
    r = c.post("/users/unit_a/active", data={"csrf_token": csrf, "active": "1"})
    assert r.status_code == 303
    assert login_status(world, "unit_a", world.password) == 200
    actions = [(e.action, e.object_id, e.before, e.after) for e in audit(world, "user_deactivated")
               + audit(world, "user_reactivated")]
    assert ("user_deactivated", "unit_a", {"active": True}, {"active": False}) in actions
    assert ("user_reactivated", "unit_a", {"active": False}, {"active": True}) in actions


def test_reset_password(world) -> None:
    c, csrf = world.login("sup")
    cb, _ = world.login("unit_b")
    r = c.post("/users/unit_b/password", data={"csrf_token": csrf, "password": "short"}, headers=JSON)
    assert r.status_code == 400 and "至少 8 个字符" in r.json()["error"]
    assert cb.get("/", headers=JSON).status_code == 200
    r = c.post("/users/unit_b/password", data={"csrf_token": csrf, "password": NEW_PW, "password2": NEW_PW}, headers=JSON)
    assert r.status_code == 200 and r.json()["sessions_ended"] == 1
    assert cb.get("/", headers=JSON).status_code == 401
    assert login_status(world, "unit_b", world.password) == 401
    assert login_status(world, "unit_b", NEW_PW) == 200
    # resetting one's own keeps the current session
    r = c.post("/users/sup/password", data={"csrf_token": csrf, "password": NEW_PW})
    assert r.status_code == 303
    assert c.get("/", headers=JSON).status_code == 200
    assert login_status(world, "sup", NEW_PW) == 200
    resets = audit(world, "password_reset")
    assert {e.object_id for e in resets} == {"unit_b", "sup"}
    assert all("argon2" not in json.dumps([e.before, e.after]) and NEW_PW not in json.dumps([e.before, e.after])
               for e in resets)


@pytest.mark.parametrize("username", ["unit_a", "aud", "sup_qs"])
def test_change_own_password(world, username: str) -> None:
    c, csrf = world.login(username)
    other, _ = world.login(username)  # the same account on another device
    page = c.get("/account")
    assert page.status_code == 200 and 'name="current_password"' in page.text

    def change(**form: str) -> httpx.Response:
        return c.post("/account/password", data={"csrf_token": csrf, **form}, headers=JSON)

    r = change(current_password="wrong-password", new_password=NEW_PW)
    assert r.status_code == 400 and "当前密码不正确" in r.json()["error"]
    assert change(new_password=NEW_PW).status_code == 400
    r = change(current_password=world.password, new_password="short")
    assert r.status_code == 400 and "至少 8 个字符" in r.json()["error"]
    r = change(current_password=world.password, new_password=NEW_PW, new_password2="something-else")
    assert r.status_code == 400 and "不一致" in r.json()["error"]
    r = change(current_password=world.password, new_password=world.password)
    assert r.status_code == 400 and "不能与当前密码相同" in r.json()["error"]
    assert login_status(world, username, world.password) == 200

    r = c.post("/account/password", data={"csrf_token": csrf, "current_password": world.password,
                                          "new_password": NEW_PW, "new_password2": NEW_PW})
    assert r.status_code == 303 and r.headers["location"] == "/account?changed=1"
    assert "密码已修改" in c.get("/account?changed=1").text
    assert c.get("/", headers=JSON).status_code == 200  # this session goes on
    assert other.get("/", headers=JSON).status_code == 401  # the other device is logged out
    assert login_status(world, username, world.password) == 401
    assert login_status(world, username, NEW_PW) == 200
    changed = [e for e in audit(world, "password_changed") if e.object_id == username]
    failed = [e for e in audit(world, "password_change_failed") if e.object_id == username]
    assert len(changed) == 1 and changed[0].username == username and len(failed) == 1
    assert "argon2" not in json.dumps(changed[0].after) and NEW_PW not in json.dumps(changed[0].after)


def test_password_guessing_is_limited(world) -> None:
    c, csrf = world.login("unit_a")
    for _ in range(5):
        r = c.post("/account/password", data={"csrf_token": csrf, "current_password": "guess-123",
                                              "new_password": NEW_PW}, headers=JSON)
        assert r.status_code == 400
    r = c.post("/account/password", data={"csrf_token": csrf, "current_password": world.password,
                                          "new_password": NEW_PW}, headers=JSON)
    assert r.status_code == 429 and "过多" in r.json()["error"]
