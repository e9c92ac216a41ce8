"""Login, logout, wrong passwords, rate limiting (surviving a restart), CSRF, cookie flags."""

from __future__ import annotations

import httpx

from xuncha.store.web_api import token_hash


def _login_token(c) -> str:
    c.get("/login")
    return c.cookies["xuncha_login"]


def test_login_logout_and_cookie_flags(world) -> None:
    c = world.client()
    r = c.get("/")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    token = _login_token(c)
    r = c.post("/login", data={"username": "sup", "password": world.password, "csrf_token": token, "next": "/targets"})
    assert r.status_code == 303 and r.headers["location"] == "/targets"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("xuncha_session="))
    flags = cookie.lower()
    assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags and "max-age=" in flags
    assert "secure" not in flags  # plain http
    sid = c.cookies["xuncha_session"]
    with world.store() as st:
        assert st.web_session(sid) is not None
        from xuncha.store.models_web import WebSessionRow

        with st._session() as s:
            stored = [row.token_hash for row in s.query(WebSessionRow)]
        assert stored == [token_hash(sid)] and sid not in stored  # only the SHA-256 is kept
    page = c.get("/")
    assert page.status_code == 200 and "sup用户" in page.text
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    r = c.post("/logout", data={"csrf_token": csrf})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert c.get("/").status_code == 303
    # the old cookie is dead server-side too
    stale = world.client(cookies={"xuncha_session": sid})
    assert stale.get("/", headers={"accept": "application/json"}).status_code == 401
    with world.store() as st:
        actions = [(e.action, e.username) for e in st.audit_log()]
    assert ("login", "sup") in actions and ("logout", "sup") in actions
    assert not any(world.password in str(e) for e in actions)


def test_json_login(world) -> None:
    c = world.client()
    token = c.get("/login", headers={"accept": "application/json"}).json()["csrf_token"]
    r = c.post("/login", json={"username": "aud", "password": world.password},
               headers={"x-csrf-token": token, "accept": "application/json"})
    assert r.status_code == 200 and r.json()["user"]["role"] == "auditor"
    csrf = r.json()["csrf_token"]
    assert c.get("/", headers={"accept": "application/json"}).status_code == 200
    r = c.post("/logout", headers={"x-csrf-token": csrf, "accept": "application/json"})
    assert r.json() == {"ok": True}


def test_wrong_password(world) -> None:
    c = world.client()
    for user in ("sup", "nobody"):
        token = _login_token(c)
        r = c.post("/login", data={"username": user, "password": "wrong-pass", "csrf_token": token})
        assert r.status_code == 401 and "用户名或密码错误" in r.text
        assert "xuncha_session" not in c.cookies
    with world.store() as st:
        failed = [e for e in st.audit_log() if e.action == "login_failed"]
    assert {e.object_id for e in failed} == {"sup", "nobody"}
    assert all("wrong-pass" not in str(e) for e in failed)


def test_rate_limit_survives_restart(world, serve) -> None:
    c = world.client()
    for _ in range(5):
        token = _login_token(c)
        assert c.post("/login", data={"username": "sup", "password": "bad", "csrf_token": token}).status_code == 401
    token = _login_token(c)
    r = c.post("/login", data={"username": "sup", "password": world.password, "csrf_token": token})
    assert r.status_code == 429 and "登录失败次数过多" in r.text
    # another server process over the same database still refuses
    other = serve(world.db_url)
    c2 = httpx.Client(base_url=other)
    token = _login_token(c2)
    r = c2.post("/login", data={"username": "sup", "password": world.password, "csrf_token": token},
                headers={"accept": "application/json"})
    assert r.status_code == 429 and "登录失败次数过多" in r.json()["error"]
    # other usernames are not locked out
    world.login("aud")


def test_login_needs_its_form_token(world) -> None:
    c = world.client()
    c.get("/login")
    r = c.post("/login", data={"username": "sup", "password": world.password})
    assert r.status_code == 403 and "安全校验失败" in r.text
    r = c.post("/login", data={"username": "sup", "password": world.password, "csrf_token": "forged.123"})
    assert r.status_code == 403


def test_csrf_rejected_on_state_changes(world) -> None:
    c, csrf = world.login("sup")
    run = world.runs["new"]
    tgt = c.get("/targets/A1", headers={"accept": "application/json"}).json()
    key = next(f["key"] for f in tgt["findings"] if f["code"] == "W.VETO.SERIOUS_ERROR")
    form = {"run": str(run), "key": key, "state": "confirmed"}
    assert c.post("/targets/A1/review", data=form).status_code == 403
    assert c.post("/targets/A1/review", data=form | {"csrf_token": "nope"}).status_code == 403
    r = c.post("/targets/A1/review", json=form, headers={"x-csrf-token": "nope", "accept": "application/json"})
    assert r.status_code == 403 and "CSRF" in r.json()["error"]
    assert c.post("/logout", data={}).status_code == 403
    with world.store() as st:
        assert st.reviews(["A1"]) == {}
    r = c.post("/targets/A1/review", data=form | {"csrf_token": csrf})
    assert r.status_code == 303


def test_secure_cookie_behind_https_proxy(world) -> None:
    """Served over https (TLS ended by a local reverse proxy): the session cookie is Secure."""
    c = world.client(headers={"x-forwarded-proto": "https"})
    c.get("/login")
    token = c.cookies["xuncha_login"]
    # (httpx keeps Secure cookies off plain http: hand the login cookie over by hand)
    r = c.post("/login", data={"username": "sup", "password": world.password, "csrf_token": token},
               headers={"cookie": f"xuncha_login={token}"})
    assert r.status_code == 303
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("xuncha_session="))
    assert "secure" in cookie.lower() and "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
