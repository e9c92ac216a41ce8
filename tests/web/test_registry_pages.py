"""Registry management (名录管理) in the console over real HTTP: who sees and may change which
entry (HTML, JSON, guessed ids), region limits of supervisors, upload of a real .xlsx with its
summary, export → re-import round trip, lifecycle and edit forms, CSRF and upload refusals,
and the audit log."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from xuncha.model import Target
from xuncha.registry import load_registry
from xuncha.registry.manage import add_target, change_lifecycle, edit_target

JSON = {"accept": "application/json"}
OWNER_A, OWNER_B = "甲县人民政府办公室", "乙市人民政府办公室"
D0 = date(2026, 1, 5)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ENTRIES = {
    "A1": Target("A1", "website", "甲县人民政府", "https://a1.example.gov.cn/", OWNER_A, "示例省/青山市/甲县",
                 "政府门户网站", extra={"备注": "门户"}),
    "A2": Target("A2", "wechat", "甲县发布", "https://mp.example.com/a2", OWNER_A, "示例省/青山市/甲县", ""),
    "B1": Target("B1", "website", "乙市人民政府", "https://b1.example.gov.cn/", OWNER_B, "示例省/白水市",
                 "政府门户网站"),
    "B2": Target("B2", "website", "乙市教育局", "https://b2.example.gov.cn/", OWNER_B, "示例省/白水市", "部门网站",
                 flags=frozenset({"no_service_function"})),
}
VISIBLE = {"sup": {"A1", "A2", "B1", "B2"}, "sup_qs": {"A1", "A2"}, "unit_a": {"A1", "A2"}, "unit_b": {"B1", "B2"},
           "aud": {"A1", "A2", "B1", "B2"}}
WRITES = {"sup": {"A1", "A2", "B1", "B2"}, "sup_qs": {"A1", "A2"}, "unit_a": set(), "unit_b": set(), "aud": set()}


@pytest.fixture
def reg(world):
    """The console's world with its four targets in the stored registry (opened 2026-01-05)."""
    with world.store() as st:
        for t in ENTRIES.values():
            add_target(st, t, by="seed", on=D0)
    return world


def xlsx_bytes(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header or ["网站标识码", "类型", "名称", "网址", "主管单位", "地区", "类别", "状态", "关停日期"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def version(client, tid: str) -> str:
    """The entry's version as its page carries it (the forms' hidden field), "" when not visible."""
    r = client.get(f"/registry/{tid}", headers=JSON)
    return r.json()["entry"]["version"] if r.status_code == 200 else ""


def upload(client, csrf: str | None, content: bytes, name: str = "名录.xlsx", *, json: bool = True, **fields: str):
    data = ({"csrf_token": csrf} if csrf else {}) | fields
    return client.post("/registry/import", data=data, files={"file": (name, content, XLSX)},
                       headers=JSON if json else {})


# --------------------------------------------------------------------------- authorization matrix
@pytest.mark.parametrize("username", sorted(VISIBLE))
def test_registry_matrix(reg, username: str) -> None:
    c, csrf = reg.login(username)
    visible, writable = VISIBLE[username], WRITES[username]

    listed = c.get("/registry", headers=JSON).json()
    assert {e["id"] for e in listed["entries"]} == visible
    assert listed["counts"]["running"] == len(visible) and listed["can_edit"] == bool(writable)
    html = c.get("/registry").text
    assert '<a href="/registry" id="nav-registry">名录</a>' in html
    assert ("乙市人民政府" in html) == ("B1" in visible) and ("甲县发布" in html) == ("A2" in visible)
    assert ('id="form-import"' in html) == bool(writable)

    for tid in ENTRIES:
        page, data = c.get(f"/registry/{tid}"), c.get(f"/registry/{tid}", headers=JSON)
        if tid in visible:
            assert page.status_code == 200 and data.status_code == 200
            assert data.json()["entry"]["id"] == tid and data.json()["events"][0]["action"] == "open"
            assert ('id="form-lifecycle"' in page.text) == (tid in writable)
            assert ('id="form-edit"' in page.text) == (tid in writable)
        else:  # outside the scope looks exactly like an entry that does not exist
            assert page.status_code == 404 and data.status_code == 404
            assert "名录中未找到「" + tid in page.text and "名录中未找到" in data.json()["error"]
            assert c.get(f"/registry/{tid}?format=json").status_code == 404
    missing = c.get("/registry/ZZ404", headers=JSON)
    assert missing.status_code == 404 and missing.json()["error"] == "名录中未找到「ZZ404」（或无权查看）"
    for guess in ("ZZ404", "a1", "A1%20", "..%2FB1", "B1%00", "x" * 300):
        assert c.get(f"/registry/{guess}", headers=JSON).status_code == 404
        r = c.post(f"/registry/{guess}/lifecycle", data={"csrf_token": csrf, "action": "关停"}, headers=JSON)
        assert r.status_code == 404

    # no CSRF token: refused before anything else
    for tid in ENTRIES:
        for path in (f"/registry/{tid}/lifecycle", f"/registry/{tid}/edit"):
            r = c.post(path, data={"action": "关停", "name": "x"}, headers=JSON)
            assert r.status_code == 403 and "CSRF" in r.json()["error"]
    assert upload(c, None, xlsx_bytes([])).status_code == 403
    r = c.post("/registry/new", data={"id": "N1", "name": "x", "url": "http://n1.gov.cn/"}, headers=JSON)
    assert r.status_code == 403 and "CSRF" in r.json()["error"]

    for tid in ENTRIES:
        expect = 404 if tid not in visible else 200 if tid in writable else 403
        r = c.post(f"/registry/{tid}/lifecycle", data={"csrf_token": csrf, "action": "临时关停", "on": "2026-02-01",
                                                       "note": "改版", "version": version(c, tid)}, headers=JSON)
        assert r.status_code == expect, (tid, r.text)
        if expect == 403:
            assert "只有监管人员" in r.json()["error"]
        r = c.post(f"/registry/{tid}/edit", data={"csrf_token": csrf, "name": ENTRIES[tid].name + "（新）",
                                                  "version": version(c, tid)}, headers=JSON)
        assert r.status_code == expect, (tid, r.text)
    r = upload(c, csrf, xlsx_bytes([]))
    assert r.status_code == (200 if writable else 403)
    assert c.get("/registry/new").status_code == (200 if writable else 403)
    r = c.post("/registry/new", data={"csrf_token": csrf, "id": "N1", "name": "新站", "url": "http://n1.gov.cn/",
                                      "region": "示例省/青山市/甲县", "owner": OWNER_A}, headers=JSON)
    assert r.status_code == (200 if writable else 403), r.text

    # the export holds only what the user may see
    r = c.get("/registry/export?format=csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = r.content.decode("utf-8-sig").splitlines()[1:]
    assert {line.split(",")[0] for line in rows} == visible | ({"N1"} if writable else set())

    with reg.store() as st:
        states = {t: st.registry_entry(t).target.status for t in ENTRIES}
        names = {t: st.registry_entry(t).target.name for t in ENTRIES}
        audited = {(e.action, e.object_id) for e in st.audit_log(object_type="registry")}
        assert ("N1" in {t.id for t in st.registry_targets()}) == bool(writable)
    for tid in ENTRIES:
        assert states[tid] == ("suspended" if tid in writable else "running")
        assert names[tid].endswith("（新）") == (tid in writable)
    expected = {(a, t) for t in writable for a in ("registry_suspend", "registry_change")}
    if writable:
        expected |= {("registry_open", "N1"), ("registry_import_file", "名录.xlsx")}
    assert audited == expected


def test_anonymous(reg) -> None:
    c = reg.client()
    for path in ("/registry", "/registry/A1", "/registry/new", "/registry/export"):
        r = c.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
        assert c.get(path, headers=JSON).status_code == 401
    assert c.post("/registry/A1/lifecycle", data={"action": "关停"}).status_code == 401
    assert c.post("/registry/import", files={"file": ("a.xlsx", b"x", XLSX)}).status_code == 401


# --------------------------------------------------------------------------- region supervisors
def test_region_supervisor_limits(reg) -> None:
    c, csrf = reg.login("sup_qs")
    r = c.post("/registry/A1/edit", data={"csrf_token": csrf, "region": "示例省/白水市"}, headers=JSON)
    assert r.status_code == 403 and "不能把对象移出您管辖的地区（示例省/青山市）" in r.json()["error"]
    r = c.post("/registry/new", data={"csrf_token": csrf, "id": "W1", "name": "白水站", "url": "http://w1.gov.cn/",
                                      "region": "示例省/白水市"}, headers=JSON)
    assert r.status_code == 403 and "只能在您管辖的地区（示例省/青山市）内开设" in r.json()["error"]
    page = c.get("/registry/new")
    assert 'value="示例省/青山市"' in page.text  # the form starts inside the region

    # an upload touching other regions: those rows are refused and named, the rest only on request
    content = xlsx_bytes([
        ["Q1", "网站", "青山新站", "http://q1.gov.cn/", "青山市政府办公室", "示例省/青山市", "部门网站", "运行", ""],
        ["B1", "网站", "乙市人民政府", "https://b1.example.gov.cn/", OWNER_B, "示例省/青山市", "政府门户网站", "运行", ""],
        ["W2", "网站", "白水新站", "http://w2.gov.cn/", "白水市", "示例省/白水市", "部门网站", "运行", ""],
    ])
    r = upload(c, csrf, content)
    assert r.status_code == 400
    body = r.json()
    assert [(i["row"], i["column"]) for i in body["issues"]] == [(3, "地区"), (4, "地区")]
    assert all("不在您可管理的地区范围内" in i["message"] for i in body["issues"])
    assert "名录.xlsx 第3行「地区」列" in body["error"] and "/uploads/" not in body["error"]
    r = upload(c, csrf, content, skip_bad_rows="1")
    assert r.status_code == 200 and r.json()["summary"]["added"] == ["Q1"]
    with reg.store() as st:
        assert st.registry_entry("B1").target.region == "示例省/白水市"
        assert {t.id for t in st.registry_targets()} == {"A1", "A2", "B1", "B2", "Q1"}
    # the summary says nothing about entries outside the region
    assert r.json()["summary"]["absent"] == 2  # A1, A2


# --------------------------------------------------------------------------- upload and summary
def test_upload_real_xlsx_and_summary(reg) -> None:
    c, csrf = reg.login("sup")
    content = xlsx_bytes([
        ["A1", "网站", "甲县人民政府门户网站", "https://a1.example.gov.cn/", OWNER_A, "示例省/青山市/甲县", "政府门户网站",
         "运行", ""],                                                                          # 变更 name
        ["B2", "网站", "乙市教育局", "https://b2.example.gov.cn/", OWNER_B, "示例省/白水市", "部门网站", "关停",
         "2026-03-02"],                                                                        # 关停 with date
        ["C1", "微信", "丙县发布", "", "丙县委宣传部", "示例省/白水市/丙县", "", "运行", ""],       # 新增
        ["A2", "微信", "甲县发布", "https://mp.example.com/a2", OWNER_A, "示例省/青山市/甲县", "", "运行", ""],  # 未变
        ["C2", "传真", "坏行", "http://c2.gov.cn/", "", "", "", "运行", ""],                      # bad kind
        ["B1", "网站", "乙市人民政府", "https://b1.example.gov.cn/", OWNER_B, "示例省/白水市", "政府门户网站", "建设中",
         ""],                                                                                  # refused: 运行 → 建设中
    ])
    r = upload(c, csrf, content, json=False, on="2026-03-05")
    assert r.status_code == 400 and 'id="import-error"' in r.text and "未导入任何内容" in r.text
    assert "第6行" in r.text and "第7行" in r.text and "无法识别的类型「传真」" in r.text
    with reg.store() as st:
        assert "C1" not in {t.id for t in st.registry_targets()}

    r = upload(c, csrf, content, json=False, on="2026-03-05", skip_bad_rows="1")
    assert r.status_code == 200 and 'id="import-summary"' in r.text
    for key, n in (("added", 1), ("changed", 2), ("unchanged", 1), ("issues", 2)):
        assert re.search(rf'id="sum-{key}">{n}<', r.text), key
    assert "第6行" in r.text and "不能从「运行」直接改为「建设中」" in r.text
    r = upload(c, csrf, content, on="2026-03-06", skip_bad_rows="1")
    s = r.json()["summary"]
    assert (s["added"], s["changed"], s["unchanged"]) == ([], [], 4)
    assert [(i["row"], i["column"], i["file"]) for i in s["issues"]] == [(6, "类型", "名录.xlsx"), (7, "状态", "名录.xlsx")]

    d = c.get("/registry/B2", headers=JSON).json()
    assert d["entry"]["status"] == "closed" and d["entry"]["closed_on"] == "2026-03-02"
    assert [(e["action"], e["on"], e["by"]) for e in d["events"]] == [("close", "2026-03-02", "sup"),
                                                                      ("open", "2026-01-05", "seed")]
    assert d["actions"] == [{"name": "open", "label": "开设"}, {"name": "cancel", "label": "注销"}]
    a1 = c.get("/registry/A1", headers=JSON).json()
    assert a1["events"][0]["summary"] == "名称：甲县人民政府 → 甲县人民政府门户网站"
    assert a1["events"][0]["on"] == "2026-03-05"
    assert a1["entry"]["extra"] == {"备注": "门户"}  # the file has no 备注 column: kept
    assert c.get("/registry/C1", headers=JSON).json()["entry"]["opened_on"] == "2026-03-05"

    saved = list((Path(reg.db_url.removeprefix("sqlite:///")).parent / "xuncha-data" / "uploads").rglob("*.xlsx"))
    assert saved and all(p.name.startswith("registry-") and p.parent.name == "uploads" for p in saved)
    with reg.store() as st:
        log = [e for e in st.audit_log(object_type="registry") if e.object_id == "B2"]
        assert [e.action for e in log] == ["registry_import"]
        assert log[0].before["status"] == "running" and log[0].after["status"] == "closed"
        assert {e.action for e in st.audit_log(object_type="registry")} >= {"registry_import_refused",
                                                                           "registry_import_file", "registry_open"}


def test_upload_refusals(reg) -> None:
    c, csrf = reg.login("sup")
    r = c.post("/registry/import", data={"csrf_token": csrf}, headers=JSON)
    assert r.status_code == 400 and "请选择要导入的名录文件" in r.json()["error"]
    r = upload(c, csrf, b"MZ\x90\x00", name="../../evil.exe")
    assert r.status_code == 400 and "evil.exe：不支持的文件格式「.exe」" in r.json()["error"]
    r = upload(c, csrf, b"", name="空.csv")
    assert r.status_code == 400 and "空.csv：文件是空的" in r.json()["error"]
    r = upload(c, csrf, b"not a workbook", name="坏.xlsx")
    assert r.status_code == 400 and "无法读取 Excel 文件" in r.json()["error"]
    assert "坏.xlsx" in r.json()["error"] and "uploads" not in r.json()["error"]
    r = upload(c, csrf, b"x" * (21 * 1024 * 1024), name="big.csv")
    assert r.status_code == 413 and "20 MB" in r.json()["error"]
    r = upload(c, csrf, "名称,地址\n甲,http://a.gov.cn/\n".encode(), name="r.csv")
    assert r.status_code == 400 and "r.csv 第1行（表头）：缺少必需的列" in r.json()["error"]
    uploads = Path(reg.db_url.removeprefix("sqlite:///")).parent / "xuncha-data" / "uploads"
    names = {p.name for p in uploads.rglob("*") if p.is_file()}
    assert len(names) == 2 and all(n.startswith("registry-") for n in names)  # 坏.xlsx, r.csv: kept as read
    assert {Path(n).suffix for n in names} == {".xlsx", ".csv"} and not any(".." in str(p) for p in uploads.rglob("*"))


# --------------------------------------------------------------------------- export round trip
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_and_reimport(reg, tmp_path: Path, fmt: str) -> None:
    with reg.store() as st:
        change_lifecycle(st, "B1", "关停", by="seed", on=date(2026, 2, 1))
    c, csrf = reg.login("sup")
    r = c.get(f"/registry/export?format={fmt}")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(XLSX if fmt == "xlsx" else "text/csv")
    assert "filename*=UTF-8''%E5%90%8D%E5%BD%95-" in r.headers["content-disposition"]
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(r.content)
    targets = {t.id: t for t in load_registry(path).targets}
    assert set(targets) == set(ENTRIES)
    assert targets["A1"].extra["备注"] == "门户" and "no_service_function" in targets["B2"].flags
    assert targets["B1"].status == "closed" and targets["B1"].extra["关停日期"].startswith("2026-02-01")

    r = upload(c, csrf, r.content, name=f"导出.{fmt}")
    assert r.status_code == 200, r.text
    s = r.json()["summary"]
    assert (s["added"], s["changed"], s["unchanged"], s["issues"]) == ([], [], 4, [])

    # filters apply to the export too; a unit exports only its own
    r = c.get("/registry/export", params={"format": "csv", "status": "关停"})
    assert [line.split(",")[0] for line in r.content.decode("utf-8-sig").splitlines()[1:]] == ["B1"]
    assert c.get("/registry/export?format=pdf").status_code == 400
    unit, _ = reg.login("unit_a")
    d = unit.get("/registry/export?format=json").json()
    assert sorted(e["id"] for e in d["entries"]) == ["A1", "A2"]


# --------------------------------------------------------------------------- entry page and forms
def test_lifecycle_and_edit_forms(reg) -> None:
    c, csrf = reg.login("sup")
    page = c.get("/registry/A1").text
    assert 'id="form-lifecycle"' in page and 'name="extra.备注"' in page
    r = c.post("/registry/A1/lifecycle", data={"csrf_token": csrf, "action": "恢复运行", "on": "2026-02-01",
                                               "version": version(c, "A1")})
    assert r.status_code == 409 and "当前状态为「运行」，不能恢复运行" in r.text
    r = c.post("/registry/A1/lifecycle", data={"csrf_token": csrf, "action": "拆除"}, headers=JSON)
    assert r.status_code == 400 and "操作「拆除」无效" in r.json()["error"]
    r = c.post("/registry/A1/lifecycle", data={"csrf_token": csrf, "action": "close", "on": "2025-12-31",
                                               "version": version(c, "A1")}, headers=JSON)
    assert r.status_code == 409 and "早于开设日期 2026-01-05" in r.json()["error"]
    r = c.post("/registry/A1/lifecycle", data={"csrf_token": csrf, "action": "close", "on": "明天"}, headers=JSON)
    assert r.status_code == 400 and "无法识别" in r.json()["error"]

    # the HTML edit form as a browser sends it: every field, the unchecked box as its hidden 否
    form = {"csrf_token": csrf, "name": "甲县人民政府", "kind": "website", "url": "a1.example.gov.cn/new",
            "owner": OWNER_A, "region": "示例省/青山市/甲县", "category": "政府门户网站",
            "no_service_function": "否", "flags": "", "extra.备注": "门户网站", "on": "2026-02-03", "note": "改版"}
    r = c.post("/registry/A1/edit", data=form | {"version": version(c, "A1")})
    assert r.status_code == 303 and r.headers["location"] == "/registry/A1"
    d = c.get("/registry/A1", headers=JSON).json()
    assert d["entry"]["url"] == "http://a1.example.gov.cn/new" and d["entry"]["extra"] == {"备注": "门户网站"}
    ev = d["events"][0]
    assert (ev["action"], ev["on"], ev["note"], ev["by"]) == ("change", "2026-02-03", "改版", "sup")
    assert ev["before"] == {"url": "https://a1.example.gov.cn/", "extra": {"备注": "门户"}}
    r = c.post("/registry/A1/edit", data=form | {"version": version(c, "A1")}, headers=JSON)
    assert r.status_code == 400 and "没有需要变更的内容" in r.json()["error"]
    r = c.post("/registry/A1/edit", json={"url": "ht!tp:/ /x"}, headers=JSON | {"x-csrf-token": csrf})
    assert r.status_code == 400 and "网址无效" in r.json()["error"]

    for action, status in (("临时关停", "suspended"), ("恢复运行", "running"), ("关停", "closed"), ("注销", "cancelled")):
        r = c.post("/registry/A1/lifecycle", data={"csrf_token": csrf, "action": action, "on": "2026-02-10",
                                                   "note": action, "version": version(c, "A1")}, headers=JSON)
        assert r.status_code == 200 and r.json()["entry"]["status"] == status
    d = c.get("/registry/A1", headers=JSON).json()
    assert d["entry"]["cancelled_on"] == "2026-02-10" and d["actions"] == []
    page = c.get("/registry/A1").text
    assert 'id="form-lifecycle"' not in page and 'id="form-edit"' not in page and "注销" in page
    r = c.post("/registry/A1/edit", data={"csrf_token": csrf, "name": "复活", "version": version(c, "A1")},
               headers=JSON)
    assert r.status_code == 409 and "已于 2026-02-10 注销，不能再变更" in r.json()["error"]
    r = c.post("/registry/A1/lifecycle", data={"csrf_token": csrf, "action": "开设", "version": version(c, "A1")},
               headers=JSON)
    assert r.status_code == 409 and "不能再开设" in r.json()["error"]

    listed = c.get("/registry", params={"status": "注销"}, headers=JSON).json()
    assert [e["id"] for e in listed["entries"]] == ["A1"] and listed["counts"]["cancelled"] == 1
    assert c.get("/registry", params={"status": "半死"}, headers=JSON).status_code == 400
    assert [e["id"] for e in c.get("/registry", params={"q": "教育"}, headers=JSON).json()["entries"]] == ["B2"]
    assert [e["id"] for e in c.get("/registry", params={"region": "示例省/白水市", "kind": "website"},
                                   headers=JSON).json()["entries"]] == ["B1", "B2"]

    with reg.store() as st:
        log = [e.action for e in reversed(st.audit_log(object_type="registry")) if e.object_id == "A1"]
    assert log == ["registry_change", "registry_suspend", "registry_resume", "registry_close", "registry_cancel"]


def test_new_target_form(reg) -> None:
    c, csrf = reg.login("sup")
    form = {"csrf_token": csrf, "id": "D1", "kind": "website", "name": "丁县人民政府", "url": "www.d1.gov.cn",
            "owner": "丁县政府办公室", "region": "示例省/白水市/丁县", "category": "政府门户网站", "status": "building",
            "no_service_function": "是", "on": "2026-02-20", "note": "新建"}
    r = c.post("/registry/new", data=form)
    assert r.status_code == 303 and r.headers["location"] == "/registry/D1"
    d = c.get("/registry/D1", headers=JSON).json()
    assert d["entry"]["status"] == "building" and d["entry"]["opened_on"] == "2026-02-20"
    assert d["entry"]["url"] == "http://www.d1.gov.cn/" and d["entry"]["no_service_function"] is True
    assert d["actions"] == [{"name": "open", "label": "开设"}, {"name": "close", "label": "关停"},
                            {"name": "cancel", "label": "注销"}]
    r = c.post("/registry/new", data=form)  # the same id again: the form comes back with the values
    assert r.status_code == 409 and "已有标识码「D1」" in r.text and 'value="丁县人民政府"' in r.text
    r = c.post("/registry/new", data=form | {"id": "D2", "url": ""}, headers=JSON)
    assert r.status_code == 400 and "网站的网址不能为空" in r.json()["error"]
    r = c.post("/registry/new", data=form | {"id": "a/b"}, headers=JSON)
    assert r.status_code == 400 and "标识码「a/b」无效" in r.json()["error"]
    r = c.post("/registry/D1/lifecycle", data={"csrf_token": csrf, "action": "开设", "on": "2026-03-01",
                                               "version": version(c, "D1")}, headers=JSON)
    assert r.status_code == 200 and r.json()["entry"]["status"] == "running"
    assert r.json()["entry"]["opened_on"] == "2026-03-01"


# --------------------------------------------------------------------------- a real browser
def test_registry_in_browser(reg, browser, tmp_path: Path) -> None:
    """Chromium: upload an .xlsx through the form, read the summary, close a site, edit it."""
    src = tmp_path / "单位名录.xlsx"
    src.write_bytes(xlsx_bytes([
        ["C1", "微信", "丙县发布", "", "丙县委宣传部", "示例省/白水市/丙县", "", "运行", ""],
        ["B2", "网站", "乙市教育局", "https://b2.example.gov.cn/", OWNER_B, "示例省/白水市", "部门网站", "关停", "2026-03-02"],
        ["C2", "传真", "坏行", "http://c2.gov.cn/", "", "", "", "运行", ""],
    ]))
    page = browser.page
    browser.login(reg.base, "/registry", "sup", reg.password)
    page.set_input_files("#form-import input[type=file]", str(src))
    page.check("#form-import input[name=skip_bad_rows]")
    page.click("#form-import button[type=submit]")
    page.wait_for_selector("#import-summary")
    assert page.inner_text("#sum-added") == "1" and page.inner_text("#sum-changed") == "1"
    assert "第4行" in page.inner_text("#import-issues")
    browser.shot("web-registry-import")

    page.click("#registry-list a:text('乙市人民政府')")
    page.wait_for_url("**/registry/B1")
    page.select_option("#form-lifecycle select[name=action]", "close")
    page.fill("#form-lifecycle input[name=on]", "2026-03-09")
    page.fill("#form-lifecycle input[name=note]", "整合到市政府门户")
    page.click("#form-lifecycle button[type=submit]")
    page.wait_for_load_state()
    assert page.inner_text("#entry-status") == "关停" and page.inner_text("#entry-closed") == "2026-03-09"
    page.fill("#form-edit input[name=url]", "https://b1.example.gov.cn/old/")
    page.check("#form-edit input[type=checkbox][name=no_service_function]")
    page.click("#form-edit button[type=submit]")
    page.wait_for_load_state()
    assert "b1.example.gov.cn/old/" in page.inner_text("#entry-url")
    assert "整合到市政府门户" in page.inner_text("#trail")
    browser.shot("web-registry-entry")
    with reg.store() as st:
        b1 = st.registry_entry("B1")
        assert b1.closed_on == date(2026, 3, 9) and "no_service_function" in b1.target.flags
        assert [e.action for e in st.registry_events("B1")] == ["change", "close", "open"]


# --------------------------------------------------------------------------- review regressions
STALE = "该条目已被他人修改，请刷新后重试"


def test_stale_forms_do_not_overwrite(reg) -> None:
    """Two supervisors saving forms of the same version: the second gets 409, nothing lost."""
    c, csrf = reg.login("sup")
    page = c.get("/registry/A1").text
    v = version(c, "A1")
    assert page.count(f'name="version" value="{v}"') == 2  # the edit and the lifecycle form
    form = {"csrf_token": csrf, "version": v, "on": "2026-02-03"}
    r = c.post("/registry/A1/edit", data=form | {"name": "甲县人民政府（甲改）"})
    assert r.status_code == 303
    r = c.post("/registry/A1/edit", data=form | {"owner": "乙改的单位"}, headers=JSON)  # the stale form
    assert r.status_code == 409 and r.json()["error"].startswith(STALE)
    r = c.post("/registry/A1/edit", data=form | {"owner": "乙改的单位"})  # as a browser: the page says so
    assert r.status_code == 409 and STALE in r.text
    r = c.post("/registry/A1/lifecycle", data=form | {"action": "关停"}, headers=JSON)
    assert r.status_code == 409 and STALE in r.json()["error"]
    r = c.post("/registry/A1/lifecycle", data={"csrf_token": csrf, "action": "关停"}, headers=JSON)
    assert r.status_code == 400 and "缺少版本信息" in r.json()["error"]
    r = c.post("/registry/A1/lifecycle", data={"csrf_token": csrf, "action": "关停", "version": "昨天"}, headers=JSON)
    assert r.status_code == 400 and "版本信息" in r.json()["error"]
    with reg.store() as st:
        e = st.registry_entry("A1")
        assert (e.target.name, e.target.owner, e.target.status) == ("甲县人民政府（甲改）", OWNER_A, "running")
        assert [ev.action for ev in st.registry_events("A1")] == ["change", "open"]
    # JSON: a stale version is refused too; without one the entry as it is now is changed
    h = JSON | {"x-csrf-token": csrf}
    r = c.post("/registry/A1/edit", json={"owner": "乙改的单位", "version": v}, headers=h)
    assert r.status_code == 409 and STALE in r.json()["error"]
    r = c.post("/registry/A1/edit", json={"owner": "乙改的单位", "expect": version(c, "A1")}, headers=h)
    assert r.status_code == 200 and r.json()["entry"]["owner"] == "乙改的单位"
    r = c.post("/registry/A1/lifecycle", json={"action": "临时关停"}, headers=h)
    assert r.status_code == 200 and r.json()["entry"]["status"] == "suspended"
    assert r.json()["entry"]["version"] == version(c, "A1")


def test_region_supervisor_stale_form_after_move(reg) -> None:
    """An entry moved out of a region supervisor's region after their form was loaded: refused."""
    qs, qcsrf = reg.login("sup_qs")
    v = version(qs, "A1")
    sup, csrf = reg.login("sup")
    r = sup.post("/registry/A1/edit", data={"csrf_token": csrf, "version": version(sup, "A1"),
                                            "region": "示例省/白水市"}, headers=JSON)
    assert r.status_code == 200
    r = qs.post("/registry/A1/edit", data={"csrf_token": qcsrf, "version": v, "name": "改名"}, headers=JSON)
    assert r.status_code == 404
    # moved back: the region supervisor's old form is still stale
    r = sup.post("/registry/A1/edit", data={"csrf_token": csrf, "version": version(sup, "A1"),
                                            "region": "示例省/青山市/甲县"}, headers=JSON)
    assert r.status_code == 200
    r = qs.post("/registry/A1/lifecycle", data={"csrf_token": qcsrf, "version": v, "action": "关停"}, headers=JSON)
    assert r.status_code == 409 and STALE in r.json()["error"]
    with reg.store() as st:
        assert st.registry_entry("A1").target.name == "甲县人民政府"
        assert st.registry_entry("A1").target.status == "running"


def test_new_id_taken_outside_scope_is_not_named(reg) -> None:
    qs, csrf = reg.login("sup_qs")
    form = {"csrf_token": csrf, "id": "B1", "name": "青山某站", "url": "http://qs1.gov.cn/",
            "region": "示例省/青山市"}
    r = qs.post("/registry/new", data=form, headers=JSON)
    assert r.status_code == 409, r.text
    assert r.json()["error"] == "标识码「B1」已被使用，不能重复开设"
    r = qs.post("/registry/new", data=form)
    assert r.status_code == 409 and "已被使用" in r.text and "乙市人民政府" not in r.text
    # an id inside the region is named as before (the user may see it anyway)
    r = qs.post("/registry/new", data=form | {"id": "A2"}, headers=JSON)
    assert r.status_code == 409 and "（甲县发布）" in r.json()["error"]
    # a supervisor of every region sees whose id it is
    sup, scsrf = reg.login("sup")
    r = sup.post("/registry/new", data=form | {"csrf_token": scsrf}, headers=JSON)
    assert r.status_code == 409 and "（乙市人民政府）" in r.json()["error"]
    # the import refuses the row without naming the entry either
    content = xlsx_bytes([["B1", "网站", "青山某站", "http://qs1.gov.cn/", "青山市政府办公室", "示例省/青山市",
                           "部门网站", "运行", ""]])
    r = upload(qs, csrf, content)
    assert r.status_code == 400
    assert "乙市人民政府" not in r.text and "白水" not in r.text and OWNER_B not in r.text
    assert [i["message"] for i in r.json()["issues"]] == ["该对象不在您可管理的地区范围内"]
    with reg.store() as st:
        assert st.registry_entry("B1").target.name == "乙市人民政府"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_guards_formulas(reg, tmp_path: Path, fmt: str) -> None:
    formula = '=HYPERLINK("http://x","y")'
    with reg.store() as st:
        edit_target(st, "A1", {"名称": formula, "主管单位": "@SUM(1+1)", "备注": "+86 10 1234", "类别": "-2+3"},
                    by="seed", on=D0)
    c, csrf = reg.login("sup")
    r = c.get(f"/registry/export?format={fmt}")
    assert r.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        a1 = next(row for row in rows if row[0] == "A1")
        assert a1[2] == "'" + formula and a1[4] == "'@SUM(1+1)" and a1[6] == "'-2+3"
        assert "'+86 10 1234" in a1
        assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    else:
        with zipfile.ZipFile(io.BytesIO(r.content)) as z:
            sheet = z.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in sheet and "<f " not in sheet  # no formula cell anywhere
        ws = load_workbook(io.BytesIO(r.content)).active
        cells = {c.value: c.data_type for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
        assert cells[formula] == "s" and cells["@SUM(1+1)"] == "s" and cells["+86 10 1234"] == "s"
    # the export imported again changes nothing: the guards come off
    r = upload(c, csrf, r.content, name=f"导出.{fmt}")
    assert r.status_code == 200, r.text
    s = r.json()["summary"]
    assert (s["added"], s["changed"], s["unchanged"], s["issues"]) == ([], [], 4, [])
    e = c.get("/registry/A1", headers=JSON).json()["entry"]
    assert (e["name"], e["owner"], e["category"], e["extra"]) == (formula, "@SUM(1+1)", "-2+3", {"备注": "+86 10 1234"})
