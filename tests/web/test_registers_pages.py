"""Operational registers (运维台账) over real HTTP: 找错 messages imported from a real platform
export (xlsx) and entered by hand, their deadlines and 按期办结率; simulated consultations and
their classes; repost tasks uploaded and their completion by unit; who sees and may do what."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from openpyxl import Workbook

from xuncha.model import Finding, TargetResult
from xuncha.settings import TZ
from xuncha.store import Store
from xuncha.web import files as upload_files

JSON = {"accept": "application/json"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MARCH = "start=2025-03-01&end=2025-03-31"
AS_OF = datetime(2026, 3, 16, 9, 0, tzinfo=TZ)  # the world's current run (conftest)
OWNER_A, OWNER_B = "甲县人民政府办公室", "乙市人民政府办公室"
OWNER_X = "丙县人民政府办公室"  # a unit whose site is in no run: no known region
EXPORT = "找错留言导出-2025年3月.xlsx"
HEADER = ["序号", "留言编号", "网站名称", "网站标识码", "主管单位", "留言时间", "转办时间", "受理时间", "办结时间",
          "留言内容", "办理状态"]
ROWS = [  # 2025-03-10 is a Monday: accept by 03-11, reply by 03-13 (1 and 3 working days)
    [1, "ZC20250310001", "甲县人民政府", "A1", OWNER_A, "2025-03-10 08:30", "2025-03-10 09:00", "2025-03-10 15:00",
     "2025-03-12 16:00", "首页「政务公开」栏目链接打不开", "已办结"],
    [2, "ZC20250310002", "乙市人民政府", "B1", OWNER_B, "2025-03-10 08:40", "2025-03-10 09:00", "2025-03-12 10:00",
     "2025-03-17 11:00", "通知公告中联系电话错误", "已办结"],
    [3, "ZC20250310003", "丙县人民政府", "9901999999", OWNER_X, "2025-03-10 09:10", "2025-03-10 10:00", None, None,
     "网站无法访问", "办理中"],
    [4, "ZC20250310004", "乙市教育局", "B2", OWNER_B, "昨天下午", None, None, None, "错别字", "办理中"],
]


def export_xlsx(rows: list[list] = ROWS) -> bytes:
    """An export in the platform's shape: a title line, the header, the messages."""
    wb = Workbook()
    ws = wb.active
    ws.title = "留言列表"
    ws.append(["全国政府网站找错监督平台 留言导出（2025-03-01 至 2025-03-31）"])
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(c: httpx.Client, path: str, csrf: str, content: bytes, name: str = EXPORT, mime: str = XLSX,
           **form: str) -> httpx.Response:
    return c.post(path, data={"csrf_token": csrf, **form}, files={"file": (name, content, mime)}, headers=JSON)


def import_export(world, username: str = "sup") -> None:
    c, csrf = world.login(username)
    r = upload(c, "/registers/zhaocuo/import", csrf, export_xlsx(), skip_bad_rows="1")
    assert r.status_code == 200, r.text


def messages(c: httpx.Client, query: str = MARCH) -> dict[str, dict]:
    r = c.get(f"/registers/zhaocuo?{query}", headers=JSON)
    assert r.status_code == 200, r.text
    return {m["msg_no"]: m for m in r.json()["messages"]}


def ids(world) -> dict[str, int]:
    with Store(world.db_url) as st:
        return {m.msg_no: m.id for m in st.zhaocuo_messages()}


# --------------------------------------------------------------------------- 找错: import
def test_import_real_export(world) -> None:
    c, csrf = world.login("sup")
    r = upload(c, "/registers/zhaocuo/import", csrf, export_xlsx())
    assert r.status_code == 400
    error = r.json()["error"]
    assert f"{EXPORT} 第6行" in error and "「留言时间」的值「昨天下午」不是日期时间" in error
    assert "跳过有问题的行" in error and "--skip-bad-rows" not in error
    assert "uploads" not in error and "zhaocuo-" not in error  # never the server's folders or file names
    assert ids(world) == {}
    uploads = world_uploads(world)
    assert not uploads.exists() or not list(uploads.iterdir())  # a refused file is not kept

    r = upload(c, "/registers/zhaocuo/import", csrf, export_xlsx(), skip_bad_rows="1")
    assert r.status_code == 200, r.text
    res = r.json()["import"]
    assert (res["file"], res["added"], res["updated"], res["skipped"]) == (EXPORT, 3, 0, 1)
    assert res["issues"] == [f"{EXPORT} 第6行：「留言时间」的值「昨天下午」不是日期时间（应如 2025-03-20 09:30）"]
    saved = list(world_uploads(world).iterdir())
    assert len(saved) == 1 and saved[0].name.startswith("zhaocuo-") and saved[0].suffix == ".xlsx"
    assert saved[0].read_bytes() == export_xlsx()

    ms = messages(c)
    assert set(ms) == {"ZC20250310001", "ZC20250310002", "ZC20250310003"}
    a, b, x = ms["ZC20250310001"], ms["ZC20250310002"], ms["ZC20250310003"]
    assert (a["accept_due"], a["reply_due"]) == ("2025-03-11", "2025-03-13")
    assert (a["state"], a["state_label"], a["accepted_late"]) == ("closed_on_time", "按期办结", False)
    assert (b["state"], b["state_label"], b["accepted_late"]) == ("closed_late", "逾期办结", True)
    assert (x["state"], x["state_label"], x["overdue"]) == ("overdue", "逾期未办结", True)
    assert a["source"] == f"{EXPORT}:3" and a["received_at"].startswith("2025-03-10T08:30")
    units = {u["unit"]: u for u in c.get(f"/registers/zhaocuo?{MARCH}", headers=JSON).json()["units"]}
    assert units[OWNER_A]["rate_text"] == "100.0%"
    assert (units[OWNER_A]["received"], units[OWNER_A]["due"], units[OWNER_A]["closed_on_time"]) == (1, 1, 1)
    assert (units[OWNER_B]["closed_late"], units[OWNER_B]["accepted_late"], units[OWNER_B]["rate_text"]) == (1, 1, "0.0%")
    assert (units[OWNER_X]["overdue"], units[OWNER_X]["rate"]) == (1, 0.0)
    total = c.get(f"/registers/zhaocuo?{MARCH}", headers=JSON).json()["total"]
    assert (total["unit"], total["received"], total["due"], total["closed_on_time"], total["rate_text"]) == (
        "合计", 3, 3, 1, "33.3%")

    # the same file again updates; the HTML answer shows the result
    r = c.post("/registers/zhaocuo/import", data={"csrf_token": csrf, "skip_bad_rows": "1"},
               files={"file": (EXPORT, export_xlsx(), XLSX)})
    assert r.status_code == 200 and 'id="import-result"' in r.text
    assert 'id="import-updated">3<' in r.text and "昨天下午" in r.text
    page = c.get(f"/registers/zhaocuo?{MARCH}")
    assert page.status_code == 200 and "ZC20250310002" in page.text and "逾期办结" in page.text and "33.3%" in page.text
    assert 'id="form-import"' in page.text and 'enctype="multipart/form-data"' in page.text
    # filters and other deadlines
    assert set(messages(c, f"{MARCH}&state=overdue")) == {"ZC20250310003"}
    assert set(messages(c, f"{MARCH}&unit={OWNER_B}")) == {"ZC20250310002"}
    assert messages(c, f"{MARCH}&reply_days=5")["ZC20250310002"]["state"] == "closed_on_time"
    assert c.get(f"/registers/zhaocuo?{MARCH}&state=nope", headers=JSON).status_code == 400
    assert c.get("/registers/zhaocuo?start=2025-13-01", headers=JSON).status_code == 400
    assert c.get("/registers/zhaocuo?reply_days=0", headers=JSON).status_code == 400
    # the audit log
    with Store(world.db_url) as st:
        entries = [e for e in st.audit_log() if e.action == "zhaocuo_import"]
    assert len(entries) == 2 and entries[0].object_id == EXPORT and entries[-1].after["added"] == 3


def world_uploads(world) -> Path:
    return Path(world.db_url.removeprefix("sqlite:///")).parent / "xuncha-data" / "uploads"


def test_import_refusals(world, monkeypatch: pytest.MonkeyPatch) -> None:
    c, csrf = world.login("sup")
    for name, content, message in (
        ("留言.pdf", b"%PDF-1.4", "不支持的文件格式「.pdf」"),
        ("留言.xlsx", b"", "文件是空的"),
        ("留言.xlsx", b"this is not a workbook", "留言.xlsx：文件无法读取"),
        ("留言.csv", "标题,内容\n甲,乙\n".encode(), "留言.csv：找不到表头"),
    ):
        r = upload(c, "/registers/zhaocuo/import", csrf, content, name=name)
        assert r.status_code == 400 and message in r.json()["error"], (name, r.text)
        assert "uploads" not in r.json()["error"]
    r = c.post("/registers/zhaocuo/import", data={"csrf_token": csrf}, headers=JSON)
    assert r.status_code == 400
    r = c.post("/registers/zhaocuo/import", data={"csrf_token": csrf}, files={"other": ("a.txt", b"x")}, headers=JSON)
    assert r.status_code == 400 and "请选择要上传的文件" in r.json()["error"]
    # a CSV export (GB18030, as Excel saves it) works as well
    csv = "留言编号,网站标识码,主管单位,转办时间,办结时间\nZC-CSV-1,A1,{},2025/3/10 9:00,2025年3月11日 10:00\n"
    r = upload(c, "/registers/zhaocuo/import", csrf, csv.format(OWNER_A).encode("gb18030"), name="导出.csv",
               mime="text/csv")
    assert r.status_code == 200 and r.json()["import"]["added"] == 1, r.text
    # too large: cut off while it is being saved
    monkeypatch.setattr(upload_files, "UPLOAD_LIMIT", 64 * 1024)
    r = upload(c, "/registers/zhaocuo/import", csrf, b"x" * (128 * 1024), name="大文件.csv", mime="text/csv")
    assert r.status_code == 413 and "文件过大（不能超过 64 KB）" in r.json()["error"]
    # announced as too large: refused before the body is read
    r = upload(c, "/registers/zhaocuo/import", csrf, b"x" * (400 * 1024), name="大文件.csv", mime="text/csv")
    assert r.status_code == 413 and "上传文件过大" in r.json()["error"]
    # not announced (chunked): cut off while it arrives
    boundary = "xuncha-test-boundary"

    def chunked() -> Iterator[bytes]:
        yield (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf}\r\n'
               f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
               "Content-Type: text/csv\r\n\r\n").encode()
        for _ in range(40):
            yield b"y" * 16384
        yield f"\r\n--{boundary}--\r\n".encode()

    r = c.post("/registers/zhaocuo/import", content=chunked(),
               headers=JSON | {"content-type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 413 and "上传文件过大" in r.json()["error"]
    assert c.get("/registers/zhaocuo", headers=JSON).status_code == 200
    assert len(list(world_uploads(world).iterdir())) == 1  # only the good CSV is kept


def test_import_by_region(world) -> None:
    """A region supervisor imports only its region's rows: the others are refused by row, or skipped."""
    c, csrf = world.login("sup_qs")
    r = upload(c, "/registers/zhaocuo/import", csrf, export_xlsx(ROWS[:3]))
    assert r.status_code == 403
    error = r.json()["error"]
    assert f"{EXPORT} 第4行：留言 ZC20250310002 的网站不在您的管辖范围内" in error and "第5行" in error
    assert "第3行" not in error and ids(world) == {}
    r = upload(c, "/registers/zhaocuo/import", csrf, export_xlsx(ROWS[:3]), skip_bad_rows="1")
    assert r.status_code == 200
    assert (r.json()["import"]["added"], r.json()["import"]["skipped"]) == (1, 2)
    assert set(ids(world)) == {"ZC20250310001"}


# --------------------------------------------------------------------------- 找错: who sees and may do what
VISIBLE = {"sup": {"ZC20250310001", "ZC20250310002", "ZC20250310003"}, "sup_qs": {"ZC20250310001"},
           "unit_a": {"ZC20250310001"}, "unit_b": {"ZC20250310002"},
           "aud": {"ZC20250310001", "ZC20250310002", "ZC20250310003"}}


@pytest.mark.parametrize("username", sorted(VISIBLE))
def test_zhaocuo_matrix(world, username: str) -> None:
    import_export(world)
    every = ids(world)
    c, csrf = world.login(username)
    visible = VISIBLE[username]
    assert set(messages(c)) == visible
    assert set(messages(c, f"{MARCH}&format=json")) == visible
    page = c.get(f"/registers/zhaocuo?{MARCH}")
    assert page.status_code == 200
    for no in every:
        assert (no in page.text) == (no in visible)
    assert ('id="form-import"' in page.text) == username.startswith("sup")
    units = {u["unit"] for u in c.get(f"/registers/zhaocuo?{MARCH}", headers=JSON).json()["units"]}
    expect_units = {OWNER_A if n.endswith("1") else OWNER_B if n.endswith("2") else OWNER_X for n in visible}
    assert units == expect_units
    overview = c.get(f"/registers?{MARCH}", headers=JSON).json()
    assert overview["zhaocuo"]["total"]["received"] == len(visible)

    for no, mid in every.items():
        page, data = c.get(f"/registers/zhaocuo/{mid}"), c.get(f"/registers/zhaocuo/{mid}", headers=JSON)
        form = {"csrf_token": csrf, "replied_at": "2025-03-13T10:00", "status": "已办结"}
        r = c.post(f"/registers/zhaocuo/{mid}", data=form, headers=JSON)
        if no not in visible:  # outside the scope looks exactly like a message that does not exist
            assert page.status_code == 404 and data.status_code == 404 and r.status_code == 404
            assert "未找到找错留言" in page.text and "未找到找错留言" in data.json()["error"]
            continue
        assert page.status_code == 200 and no in page.text
        assert data.status_code == 200 and data.json()["message"]["msg_no"] == no
        if username == "aud":
            assert r.status_code == 403 and 'id="form-record"' not in page.text
        else:
            assert r.status_code == 200, r.text
            assert r.json()["message"]["replied_at"].startswith("2025-03-13T10:00")
            assert 'id="form-record"' in page.text
    for guess in ("999999", "abc", "-1", "0x1", "1%2F..%2F2"):
        assert c.get(f"/registers/zhaocuo/{guess}", headers=JSON).status_code == 404
        assert c.post(f"/registers/zhaocuo/{guess}", data={"csrf_token": csrf, "status": "x"},
                      headers=JSON).status_code == 404
    # no CSRF token: refused whatever the message
    for mid in every.values():
        r = c.post(f"/registers/zhaocuo/{mid}", data={"status": "x"}, headers=JSON)
        assert r.status_code == 403 and "CSRF" in r.json()["error"]
    # entering and importing: supervisors only
    r = c.post("/registers/zhaocuo", data={"csrf_token": csrf, "msg_no": f"M-{username}", "site_code": "A1",
                                           "received_at": "2025-03-11T09:00"}, headers=JSON)
    assert r.status_code == (200 if username.startswith("sup") else 403), r.text
    r = upload(c, "/registers/zhaocuo/import", csrf, export_xlsx(ROWS[:1]))
    assert r.status_code == (200 if username.startswith("sup") else 403), r.text
    if not username.startswith("sup"):
        assert "只有监管人员" in r.json()["error"]


def test_record_acceptance_and_reply(world) -> None:
    import_export(world)
    mid = ids(world)["ZC20250310003"]
    c, csrf = world.login("sup")
    page = c.get(f"/registers/zhaocuo/{mid}")
    assert 'id="zc-reply-due">2025-03-13<' in page.text and "逾期未办结" in page.text
    r = c.post(f"/registers/zhaocuo/{mid}", data={"csrf_token": csrf, "accepted_at": "2025-03-10T08:00"}, headers=JSON)
    assert r.status_code == 400 and "早于转办/留言时间" in r.json()["error"]
    r = c.post(f"/registers/zhaocuo/{mid}", data={"csrf_token": csrf, "replied_at": "明天"}, headers=JSON)
    assert r.status_code == 400 and "办结时间「明天」无法识别" in r.json()["error"]
    future = (datetime.now(TZ) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    r = c.post(f"/registers/zhaocuo/{mid}", data={"csrf_token": csrf, "replied_at": future}, headers=JSON)
    assert r.status_code == 400 and "晚于当前时间" in r.json()["error"]
    assert c.post(f"/registers/zhaocuo/{mid}", data={"csrf_token": csrf}, headers=JSON).status_code == 400
    r = c.post(f"/registers/zhaocuo/{mid}", data={"csrf_token": csrf, "accepted_at": "2025-03-10T11:00",
                                                  "replied_at": "2025-03-13T17:00", "status": "已办结"})
    assert r.status_code == 303 and r.headers["location"] == f"/registers/zhaocuo/{mid}"
    m = c.get(f"/registers/zhaocuo/{mid}", headers=JSON).json()["message"]
    assert (m["state"], m["accepted_late"], m["status"]) == ("closed_on_time", False, "已办结")
    # clearing the reply again (an empty field clears)
    r = c.post(f"/registers/zhaocuo/{mid}", data={"csrf_token": csrf, "replied_at": ""}, headers=JSON)
    assert r.status_code == 200 and r.json()["message"]["state"] == "overdue"
    assert r.json()["message"]["accepted_at"].startswith("2025-03-10T11:00")
    with Store(world.db_url) as st:
        trail = [e for e in st.audit_log() if e.action == "zhaocuo_update"]
    assert len(trail) == 2 and trail[-1].after["replied_at"].startswith("2025-03-13T17:00")
    assert trail[-1].before["replied_at"] is None and trail[-1].object_id == "ZC20250310003"


def test_enter_by_hand(world) -> None:
    c, csrf = world.login("sup")
    form = {"csrf_token": csrf, "msg_no": "ZC-M-1", "site_code": "B2", "handed_over_at": "2025-03-11T10:00",
            "accepted_at": "2025-03-11T11:00", "content": "栏目空白"}
    r = c.post("/registers/zhaocuo", data=form)
    assert r.status_code == 303
    m = c.get(r.headers["location"], headers=JSON).json()["message"]
    assert (m["unit"], m["site_name"], m["source"]) == (OWNER_B, "乙市教育局", "手工录入")  # filled from the target
    assert (m["accept_due"], m["reply_due"]) == ("2025-03-12", "2025-03-14")
    r = c.post("/registers/zhaocuo", data=form, headers=JSON)
    assert r.status_code == 409 and "已存在" in r.json()["error"]
    for bad, message in (({"msg_no": ""}, "请填写留言编号"), ({"handed_over_at": ""}, "请填写留言时间或转办时间"),
                         ({"handed_over_at": "三月十一日"}, "转办时间「三月十一日」无法识别"),
                         ({"accepted_at": "2025-03-10T09:00"}, "早于转办/留言时间")):
        r = c.post("/registers/zhaocuo", data=form | {"msg_no": "ZC-M-2"} | bad, headers=JSON)
        assert r.status_code == 400 and message in r.json()["error"], (bad, r.text)
    # a region supervisor: only sites of its region
    cq, csrf_q = world.login("sup_qs")
    r = cq.post("/registers/zhaocuo", data=form | {"csrf_token": csrf_q, "msg_no": "ZC-M-3"}, headers=JSON)
    assert r.status_code == 403 and "不在您的管辖范围" in r.json()["error"]
    r = cq.post("/registers/zhaocuo", data=form | {"csrf_token": csrf_q, "msg_no": "ZC-M-3", "site_code": "9901999999",
                                                   "unit": OWNER_X}, headers=JSON)
    assert r.status_code == 403
    r = cq.post("/registers/zhaocuo", data=form | {"csrf_token": csrf_q, "msg_no": "ZC-M-3", "site_code": "A1"},
                headers=JSON)
    assert r.status_code == 200 and r.json()["message"]["unit"] == OWNER_A
    # the unit of the message sees it and records the reply
    cb, csrf_b = world.login("unit_b")
    mid = ids(world)["ZC-M-1"]
    r = cb.post(f"/registers/zhaocuo/{mid}", data={"csrf_token": csrf_b, "replied_at": "2025-03-13T09:00"}, headers=JSON)
    assert r.status_code == 200 and r.json()["message"]["state"] == "closed_on_time"
    with Store(world.db_url) as st:
        added = [e for e in st.audit_log() if e.action == "zhaocuo_add"]
    assert {(e.username, e.object_id) for e in added} == {("sup", "ZC-M-1"), ("sup_qs", "ZC-M-3")}


# --------------------------------------------------------------------------- consultations
def targets(world) -> dict:
    with Store(world.db_url) as st:
        return {t.id: t for t in st.targets(world.runs["new"])}


def add_consultations(world) -> dict[str, int]:
    c, csrf = world.login("sup")
    names = {k: t.name for k, t in targets(world).items()}
    out = {}
    for key, target, sent in (("A1", "A1", "2025-03-10T09:00"), ("B1", "B1", "2025-03-10T09:30"),
                              ("B2", "B2", "2025-03-03T10:00")):
        r = c.post("/registers/consultations", headers=JSON,
                   data={"csrf_token": csrf, "target": target, "channel_url": f"https://{target.lower()}.example.gov.cn/hd/",
                         "question": f"请问{names[target]}的办事指南在哪里查看？", "sent_at": sent})
        assert r.status_code == 200, r.text
        out[key] = r.json()["consultation"]["id"]
    for key, at in (("A1", "2025-03-11T10:00"), ("B1", "2025-03-20T16:00")):
        r = c.post(f"/registers/consultations/{out[key]}/reply", headers=JSON,
                   data={"csrf_token": csrf, "reply_at": at, "reply_text": "您好，请在「办事服务」栏目查看。",
                         "evidence": "https://example.gov.cn/shot1.png\n截图/答复.png"})
        assert r.status_code == 200, r.text
    return out


def test_consultations(world) -> None:
    cid = add_consultations(world)
    c, csrf = world.login("sup")
    data = c.get(f"/registers/consultations?{MARCH}", headers=JSON).json()
    rows = {x["target_id"]: x for x in data["consultations"]}
    assert (rows["A1"]["class"], rows["A1"]["class_label"], rows["A1"]["working_days"]) == ("fast", "1个工作日内答复", 1)
    assert (rows["B1"]["class"], rows["B1"]["class_label"], rows["B1"]["working_days"]) == ("slow", "超过5个工作日答复", 8)
    assert (rows["B2"]["class"], rows["B2"]["class_label"], rows["B2"]["replied"]) == ("none", "超过5个工作日未答复", False)
    assert rows["A1"]["owner"] == OWNER_A and rows["A1"]["target_name"] == "甲县人民政府" and rows["A1"]["by"] == "sup"
    assert rows["A1"]["evidence"] == ["https://example.gov.cn/shot1.png", "截图/答复.png"]
    assert data["summary"]["counts"] == {"fast": 1, "normal": 0, "slow": 1, "none": 1, "pending": 0}
    assert data["summary"]["problem_targets"] == 2
    assert {t["target_id"]: t["problem"] for t in data["targets"]} == {"A1": False, "B1": True, "B2": True}
    page = c.get(f"/registers/consultations?{MARCH}")
    assert page.status_code == 200 and "超过5个工作日答复" in page.text and 'id="form-add-consult"' in page.text
    one = c.get(f"/registers/consultations/{cid['B1']}")
    assert one.status_code == 200 and 'id="cs-days">8<' in one.text and "办事服务" in one.text
    # another period: only the unreplied one stays listed
    other = c.get("/registers/consultations?start=2025-04-01&end=2025-06-30", headers=JSON).json()
    assert [x["target_id"] for x in other["consultations"]] == ["B2"] and other["summary"]["total"] == 0
    # refusals
    for bad, message in (({"target": ""}, "请填写被咨询的网站或账号"), ({"question": " "}, "咨询问题不能为空"),
                         ({"sent_at": ""}, "请填写咨询提交时间"), ({"sent_at": "上周"}, "提交时间「上周」无法识别")):
        form = {"csrf_token": csrf, "target": "A1", "question": "问题", "sent_at": "2025-03-10T09:00"} | bad
        r = c.post("/registers/consultations", data=form, headers=JSON)
        assert r.status_code == 400 and message in r.json()["error"], (bad, r.text)
    r = c.post(f"/registers/consultations/{cid['B2']}/reply", data={"csrf_token": csrf, "reply_at": "2025-03-01T09:00"},
               headers=JSON)
    assert r.status_code == 400 and "早于提交时间" in r.json()["error"]
    r = c.post(f"/registers/consultations/{cid['B2']}/reply", data={"csrf_token": csrf}, headers=JSON)
    assert r.status_code == 400
    # a target outside the registry and the runs: administrators only, with its unit
    r = c.post("/registers/consultations", data={"csrf_token": csrf, "target": "9901999999", "target_name": "丙县人民政府",
                                                 "owner": OWNER_X, "question": "问题", "sent_at": "2025-03-12T09:00"})
    assert r.status_code == 303 and r.headers["location"].startswith("/registers/consultations/")
    # HTML reply form
    r = c.post(f"/registers/consultations/{cid['B2']}/reply", data={"csrf_token": csrf, "reply_at": "2025-03-05T09:00"})
    assert r.status_code == 303
    assert c.get(f"/registers/consultations/{cid['B2']}", headers=JSON).json()["consultation"]["class"] == "normal"
    with Store(world.db_url) as st:
        actions = [e.action for e in st.audit_log() if e.object_type == "consultation"]
    assert actions.count("consult_add") == 4 and actions.count("consult_reply") == 3


CONSULT_VISIBLE = {"sup": {"A1", "B1", "B2"}, "sup_qs": {"A1"}, "unit_a": {"A1"}, "unit_b": {"B1", "B2"},
                   "aud": {"A1", "B1", "B2"}}


@pytest.mark.parametrize("username", sorted(CONSULT_VISIBLE))
def test_consultation_matrix(world, username: str) -> None:
    cid = add_consultations(world)
    c, csrf = world.login(username)
    visible = CONSULT_VISIBLE[username]
    data = c.get(f"/registers/consultations?{MARCH}", headers=JSON).json()
    assert {x["target_id"] for x in data["consultations"]} == visible
    assert {x["target_id"] for x in data["targets"]} == visible
    assert c.get(f"/registers?{MARCH}", headers=JSON).json()["consultations"]["total"] == len(visible)
    page = c.get(f"/registers/consultations?{MARCH}")
    assert ('id="form-add-consult"' in page.text) == username.startswith("sup")
    for key, i in cid.items():
        page, one = c.get(f"/registers/consultations/{i}"), c.get(f"/registers/consultations/{i}?format=json")
        r = c.post(f"/registers/consultations/{i}/reply", data={"csrf_token": csrf, "reply_at": "2025-03-12T09:00"},
                   headers=JSON)
        if key not in visible:
            assert page.status_code == 404 and one.status_code == 404 and r.status_code == 404
            assert "未找到模拟咨询" in one.json()["error"]
            continue
        assert page.status_code == 200 and one.json()["consultation"]["id"] == i
        if username.startswith("sup"):
            assert r.status_code == 200 and 'id="form-reply"' in page.text
        else:  # the unit being tested does not record the replies; auditors read only
            assert r.status_code == 403 and "只有监管人员" in r.json()["error"]
            assert 'id="form-reply"' not in page.text
        assert c.post(f"/registers/consultations/{i}/reply", data={"reply_at": "2025-03-12T09:00"},
                      headers=JSON).status_code == 403  # no CSRF
    for guess in ("999999", "abc", "-1"):
        assert c.get(f"/registers/consultations/{guess}", headers=JSON).status_code == 404
        assert c.post(f"/registers/consultations/{guess}/reply", data={"csrf_token": csrf},
                      headers=JSON).status_code == 404
    for target in ("A1", "B1", "NOPE"):
        r = c.post("/registers/consultations", headers=JSON, data={"csrf_token": csrf, "target": target,
                                                                   "question": "问题", "sent_at": "2025-03-12T09:00"})
        if not username.startswith("sup"):
            expect = 403
        elif username == "sup_qs":
            expect = 200 if target == "A1" else 403
        else:
            expect = 200
        assert r.status_code == expect, (target, r.text)


# --------------------------------------------------------------------------- repost tasks
TASKS_CSV = ("任务标题,来源链接,截止日期,转载对象\n"
             "学习贯彻全国两会精神,https://www.gov.cn/xinwen/1.html,2026-03-10,\"A2,B1\"\n"
             "一季度经济运行情况,https://www.gov.cn/xinwen/2.html,2026-03-12,A1\n"
             "下季度工作安排,,2026-12-31,\"A2，B2\"\n")


def repost_run(world) -> int:
    """A run at AS_OF whose A2 missed the first task (its stored REPOST finding)."""
    every = targets(world)
    with Store(world.db_url) as st:
        rid = st.create_run(AS_OF, "registry.csv", {})
        for t in every.values():
            st.save_target_result(rid, TargetResult(t))
        jid = st.new_judgement(rid, AS_OF, "inspect", ruleset="national-2019")
        st.save_findings(rid, jid, [Finding("A2", "M.REPOST.MISSING", "deduct", "https://mp.example.com/a2",
                                            "未按时转载「学习贯彻全国两会精神」", AS_OF, {"task": "学习贯彻全国两会精神"})])
        st.finish_run(rid, "done")
    return rid


def upload_tasks(world, content: bytes = TASKS_CSV.encode(), name: str = "转载任务.csv") -> httpx.Response:
    c, csrf = world.login("sup")
    return upload(c, "/registers/reposts/tasks", csrf, content, name=name, mime="text/csv")


def test_repost_tasks(world) -> None:
    rid = repost_run(world)
    c, csrf = world.login("sup")
    data = c.get("/registers/reposts", headers=JSON).json()
    assert data["run"] == rid and data["tasks"] == [] and data["units"] == []
    assert "还没有转载任务" in c.get("/registers/reposts").text
    r = upload_tasks(world)
    assert r.status_code == 200 and r.json() == {"ok": True, "file": "转载任务.csv", "tasks": 3}, r.text
    data = c.get("/registers/reposts", headers=JSON).json()
    assert [t["title"] for t in data["tasks"]] == ["学习贯彻全国两会精神", "一季度经济运行情况", "下季度工作安排"]
    assert data["tasks"][0] == {"title": "学习贯彻全国两会精神", "url": "https://www.gov.cn/xinwen/1.html",
                                "deadline": "2026-03-10", "targets": ["A2", "B1"]}
    units = {u["unit"]: u for u in data["units"]}
    assert (units[OWNER_A]["assigned"], units[OWNER_A]["done"], units[OWNER_A]["missing"]) == (2, 1, 1)
    assert units[OWNER_A]["rate_text"] == "50.0%" and units[OWNER_A]["late_targets"] == ["甲县发布：学习贯彻全国两会精神"]
    assert (units[OWNER_B]["assigned"], units[OWNER_B]["done"], units[OWNER_B]["rate_text"]) == (1, 1, "100.0%")
    page = c.get(f"/registers/reposts?run={rid}")
    assert page.status_code == 200 and "甲县发布：学习贯彻全国两会精神" in page.text and "50.0%" in page.text
    assert 'id="form-tasks"' in page.text
    overview = c.get("/registers", headers=JSON).json()["reposts"]
    assert overview["run"] == rid and overview["tasks"] == 3 and len(overview["units"]) == 2
    assert "重要信息转载" in c.get("/registers").text
    # an earlier run: its own monitoring point
    old = c.get(f"/registers/reposts?run={world.runs['old']}", headers=JSON).json()
    assert old["run"] == world.runs["old"] and old["units"] == []  # nothing due two weeks earlier
    assert c.get("/registers/reposts?run=99999", headers=JSON).status_code == 404
    assert c.get("/registers/reposts?run=abc", headers=JSON).status_code == 400
    # a bad file names the file and row, never the server's copy; the stored tasks stay
    r = upload_tasks(world, "任务标题,截止日期,转载对象\n,2026-03-10,A1\n".encode(), name="任务.csv")
    assert r.status_code == 400 and "任务.csv 第2行：任务标题为空" in r.json()["error"]
    assert "uploads" not in r.json()["error"] and "repost-tasks-" not in r.json()["error"]
    r = upload_tasks(world, "任务标题,截止日期,转载对象\n甲,下周,A1\n".encode(), name="任务.csv")
    assert r.status_code == 400 and "截止日期「下周」无法识别" in r.json()["error"]
    r = upload_tasks(world, b'{"title": "not a list"}', name="任务.json")
    assert r.status_code == 400 and "应为任务对象的列表" in r.json()["error"]
    r = upload_tasks(world, b"[1, 2]", name="tasks.json")
    assert r.status_code == 400 and "文件无法读取" in r.json()["error"]
    r = upload_tasks(world, b"x", name="任务.docx")
    assert r.status_code == 400 and "不支持的文件格式" in r.json()["error"]
    assert len(c.get("/registers/reposts", headers=JSON).json()["tasks"]) == 3
    # JSON task files, through the HTML form
    body = b'[{"title": "\xe4\xbb\xbb\xe5\x8a\xa1\xe4\xb8\x80", "deadline": "2026-03-01", "targets": ["B2"]}]'
    r = c.post("/registers/reposts/tasks", data={"csrf_token": csrf}, files={"file": ("tasks.json", body, "application/json")})
    assert r.status_code == 303 and r.headers["location"] == "/registers/reposts"
    data = c.get("/registers/reposts", headers=JSON).json()
    assert [t["title"] for t in data["tasks"]] == ["任务一"] and [u["unit"] for u in data["units"]] == [OWNER_B]
    with Store(world.db_url) as st:
        trail = [e for e in st.audit_log() if e.action == "repost_tasks_set"]
    assert [(e.object_id, e.before, e.after["tasks"]) for e in reversed(trail)] == [
        ("转载任务.csv", {"tasks": 0}, 3), ("tasks.json", {"tasks": 3}, 1)]


REPOST_VISIBLE = {  # the units in the completion table, and the target ids listed per task
    "sup": ({OWNER_A, OWNER_B}, [["A2", "B1"], ["A1"], ["A2", "B2"]]),
    "aud": ({OWNER_A, OWNER_B}, [["A2", "B1"], ["A1"], ["A2", "B2"]]),
    "sup_qs": ({OWNER_A}, [["A2"], ["A1"], ["A2"]]),
    "unit_a": ({OWNER_A}, [["A2"], ["A1"], ["A2"]]),
    "unit_b": ({OWNER_B}, [["B1"], ["B2"]]),
}


@pytest.mark.parametrize("username", sorted(REPOST_VISIBLE))
def test_repost_matrix(world, username: str) -> None:
    repost_run(world)
    assert upload_tasks(world).status_code == 200
    c, csrf = world.login(username)
    units, targets = REPOST_VISIBLE[username]
    data = c.get("/registers/reposts", headers=JSON).json()
    assert {u["unit"] for u in data["units"]} == units
    assert [t["targets"] for t in data["tasks"]] == targets
    assert data["can_upload"] == (username == "sup")
    page = c.get("/registers/reposts")
    assert page.status_code == 200 and ('id="form-tasks"' in page.text) == (username == "sup")
    assert ("乙市" in page.text) == (OWNER_B in units)
    if username != "sup":
        r = upload(c, "/registers/reposts/tasks", csrf, b"[]", name="t.json", mime="application/json")
        assert r.status_code == 403 and "只有不限地区的监管人员" in r.json()["error"]
    r = c.post("/registers/reposts/tasks", files={"file": ("t.json", b"[]", "application/json")}, headers=JSON)
    assert r.status_code == 403 and "CSRF" in r.json()["error"]
    assert len(c.get("/registers/reposts", headers=JSON).json()["tasks"]) == len(targets)


# --------------------------------------------------------------------------- overview, logins
def test_overview(world) -> None:
    import_export(world)
    add_consultations(world)
    c, _ = world.login("sup")
    data = c.get(f"/registers?{MARCH}", headers=JSON).json()
    assert data["period"] == {"start": "2025-03-01", "end": "2025-03-31"}
    assert data["zhaocuo"]["total"]["rate_text"] == "33.3%" and data["zhaocuo"]["reply_days"] == 3
    assert {u["unit"]: u["rate_text"] for u in data["zhaocuo"]["units"]} == {OWNER_A: "100.0%", OWNER_B: "0.0%",
                                                                             OWNER_X: "0.0%"}
    assert data["consultations"]["counts"]["fast"] == 1 and data["consultations"]["problem_targets"] == 2
    assert {t["target_id"] for t in data["consultations"]["problem_list"]} == {"B1", "B2"}
    assert data["reposts"]["run"] == world.runs["new"] and data["reposts"]["tasks"] == 0
    page = c.get(f"/registers?{MARCH}")
    assert page.status_code == 200 and 'id="nav-registers"' in page.text
    assert 'id="zc-rate">33.3%<' in page.text and "乙市教育局" in page.text and "还没有转载任务" in page.text
    # the default period is this quarter
    default = c.get("/registers", headers=JSON).json()["period"]
    today = datetime.now(TZ).date()
    assert default["start"] <= today.isoformat() <= default["end"]
    assert c.get("/registers?start=2025-04-01&end=2025-03-01", headers=JSON).status_code == 400
    for path in ("/registers", "/registers/zhaocuo", "/registers/consultations", "/registers/reposts"):
        anon = world.client()
        assert anon.get(path).status_code == 303 and anon.get(path, headers=JSON).status_code == 401
    anon = world.client()
    assert anon.post("/registers/zhaocuo/import", files={"file": ("a.xlsx", b"x")}).status_code == 401
    assert anon.post("/registers/consultations", data={"target": "A1"}).status_code == 401
