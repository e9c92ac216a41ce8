"""Registry management over the store (SQLite and, under the ``postgres`` mark, PostgreSQL):
import/upsert with events, lifecycle rules and dates, edits, export → import round trip, bad
files naming row and column, repost tasks, and the ``xuncha registry`` commands."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import typer
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from xuncha.errors import RegistryError
from xuncha.model import Target
from xuncha.registry import load_registry
from xuncha.registry.manage import (
    LIFECYCLE_ACTIONS,
    LifecycleError,
    add_target,
    change_lifecycle,
    edit_target,
    export_registry,
    import_registry,
    target_from_fields,
)
from xuncha.registry.tasks import load_repost_tasks
from xuncha.store import Store, StoreError
from xuncha.store.registry_api import RegistryConflict, RegistryWrite

D1, D2, D3 = date(2026, 3, 1), date(2026, 3, 10), date(2026, 3, 20)
HEADER = ["网站标识码", "类型", "名称", "网址", "主管单位", "地区", "类别", "状态", "无办事服务功能", "备注"]
ROWS = [
    ["4100000001", "网站", "青山市人民政府", "www.qingshan.gov.cn", "青山市政府办公室", "示例省/青山市", "政府门户网站",
     "运行", "否", "重点网站"],
    [4100000002, "网站", "青山市教育局", "http://jy.qingshan.gov.cn/", "青山市教育局", "示例省/青山市", "部门网站",
     "运行", "是", ""],
    ["bm07000001", "微信公众号", "青山发布", "", "青山市委宣传部", "示例省/青山市", "", "正常", "", ""],
    ["4100000003", "网站", "青山市旧平台", "http://old.qingshan.gov.cn/", "青山市政府办公室", "示例省/青山市",
     "部门网站", "建设中", "", ""],
]


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def reg_pg_url(pg_database: Callable[[], str]) -> str:
    """One scratch PostgreSQL database for these tests (tests/conftest.py drops it at the end)."""
    return pg_database()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path / 'reg.db'}" if request.param == "sqlite" else request.getfixturevalue("reg_pg_url")
    with Store(url) as st:
        if request.param == "postgres":  # shared database: start each test empty
            with st.engine.begin() as c:
                c.exec_driver_sql("TRUNCATE registry_events, registry_entries, repost_tasks RESTART IDENTITY CASCADE")
        yield st


def xlsx(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def csv_file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def actions(store: Store, tid: str) -> list[str]:
    return [e.action for e in reversed(store.registry_events(tid))]  # oldest first


# --------------------------------------------------------------------------- import
def test_import_adds_with_open_events_and_keeps_flags_and_extra(store: Store, tmp_path: Path) -> None:
    s = import_registry(store, xlsx(tmp_path / "名录.xlsx", ROWS), by="张三", on=D1)
    assert s.added == ["4100000001", "4100000002", "bm07000001", "4100000003"]
    assert (s.changed, s.unchanged, s.issues, s.absent) == ([], 0, [], [])
    assert "新增 4 个" in s.text()

    targets = store.registry_targets()
    assert [t.id for t in targets] == sorted(["4100000001", "4100000002", "bm07000001", "4100000003"])
    portal = store.registry_entry("4100000001")
    t = portal.target
    assert (t.kind, t.url, t.owner, t.region, t.category) == (
        "website", "http://www.qingshan.gov.cn/", "青山市政府办公室", "示例省/青山市", "政府门户网站")
    assert t.extra == {"备注": "重点网站"} and t.source == "名录" and t.status_raw == "运行"
    assert portal.opened_on == D1 and portal.closed_on is None and portal.cancelled_on is None
    assert portal.updated_by == "张三"
    assert "no_service_function" in store.registry_entry("4100000002").target.flags
    wechat = store.registry_entry("bm07000001").target
    assert wechat.kind == "wechat" and wechat.url == "" and wechat.status == "running"
    assert store.registry_entry("4100000003").target.status == "building"
    assert [t.id for t in store.registry_targets(statuses={"running"})] == ["4100000001", "4100000002", "bm07000001"]

    (ev,) = store.registry_events("4100000001")
    assert (ev.action, ev.on, ev.by, ev.before) == ("open", D1, "张三", {})
    assert ev.after["name"] == "青山市人民政府" and ev.after["opened_on"] == "2026-03-01"
    assert "名录.xlsx" in ev.note

    again = import_registry(store, tmp_path / "名录.xlsx", by="李四", on=D2)
    assert (again.added, again.changed, again.unchanged) == ([], [], 4)
    assert len(store.registry_events()) == 4 and store.registry_entry("4100000001").updated_by == "张三"


def test_partial_file_changes_fields_and_status_and_deletes_nothing(store: Store, tmp_path: Path) -> None:
    import_registry(store, xlsx(tmp_path / "all.xlsx", ROWS), by="张三", on=D1)
    header = [*HEADER, "关停日期"]
    part = xlsx(tmp_path / "unit.xlsx", [
        # renamed and moved to another owner
        ["4100000001", "网站", "青山市人民政府门户网站", "www.qingshan.gov.cn", "青山市人民政府办公室", "示例省/青山市",
         "政府门户网站", "运行", "否", "重点网站", ""],
        # closed with the day written in the file
        ["4100000002", "网站", "青山市教育局", "http://jy.qingshan.gov.cn/", "青山市教育局", "示例省/青山市", "部门网站",
         "关停", "是", "", "2026-03-05"],
        # building → running is 开设
        ["4100000003", "网站", "青山市旧平台", "http://old.qingshan.gov.cn/", "青山市政府办公室", "示例省/青山市",
         "部门网站", "运行", "", "", ""],
    ], header)
    s = import_registry(store, part, by="李四", on=D2)
    assert s.added == [] and s.changed == ["4100000001", "4100000002", "4100000003"] and s.unchanged == 0
    assert s.absent == ["bm07000001"] and "不会删除" in s.text()
    assert store.registry_entry("bm07000001").target.name == "青山发布"  # still there

    (change,) = store.registry_events("4100000001", limit=1)
    assert change.action == "change" and change.on == D2 and change.by == "李四"
    assert change.before == {"name": "青山市人民政府", "owner": "青山市政府办公室"}
    assert change.after == {"name": "青山市人民政府门户网站", "owner": "青山市人民政府办公室"}

    closed = store.registry_entry("4100000002")
    assert closed.target.status == "closed" and closed.closed_on == date(2026, 3, 5) and closed.opened_on == D1
    assert actions(store, "4100000002") == ["open", "close"]
    ev = store.registry_events("4100000002", limit=1)[0]
    assert ev.before == {"status": "running", "closed_on": None}
    assert ev.after == {"status": "closed", "closed_on": "2026-03-05"}
    assert "关停日期" not in closed.target.extra

    opened = store.registry_entry("4100000003")
    assert opened.target.status == "running" and opened.opened_on == D2
    assert actions(store, "4100000003") == ["open", "open"]

    # status back to 运行 after 关停: 重新开设, no longer closed
    again = xlsx(tmp_path / "again.xlsx", [
        ["4100000002", "网站", "青山市教育局", "http://jy.qingshan.gov.cn/", "青山市教育局", "示例省/青山市", "部门网站",
         "运行", "是", ""]])
    import_registry(store, again, by="王五", on=D3)
    e = store.registry_entry("4100000002")
    assert (e.target.status, e.opened_on, e.closed_on) == ("running", D3, None)


def test_columns_missing_from_the_file_keep_their_values(store: Store, tmp_path: Path) -> None:
    import_registry(store, xlsx(tmp_path / "all.xlsx", ROWS), by="a", on=D1)
    change_lifecycle(store, "4100000002", "关停", by="a", on=D2)
    # a unit's file with only the required columns: a new name, nothing else touched
    s = import_registry(store, csv_file(tmp_path / "min.csv", "网站标识码,名称,网址\n"
                                        "4100000001,青山市政府门户,www.qingshan.gov.cn\n"
                                        "4100000002,青山市教育局,http://jy.qingshan.gov.cn/\n"), by="b", on=D3)
    assert (s.changed, s.unchanged) == (["4100000001"], 1)
    portal = store.registry_entry("4100000001").target
    assert portal.name == "青山市政府门户" and portal.region == "示例省/青山市" and portal.extra == {"备注": "重点网站"}
    assert portal.category == "政府门户网站" and portal.owner == "青山市政府办公室"
    closed = store.registry_entry("4100000002").target
    assert closed.status == "closed" and "no_service_function" in closed.flags
    # a column present but empty does clear (备注), a present 无办事服务功能 column decides
    import_registry(store, csv_file(tmp_path / "b.csv", "网站标识码,名称,网址,备注,无办事服务功能\n"
                                    "4100000001,青山市政府门户,www.qingshan.gov.cn,,是\n"), by="b", on=D3)
    portal = store.registry_entry("4100000001").target
    assert portal.extra == {} and portal.flags == frozenset({"no_service_function"})


def test_status_changes_map_to_lifecycle_events(store: Store, tmp_path: Path) -> None:
    def row(status: str) -> str:
        return f"id,name,url,status\nS1,某站,http://s1.gov.cn/,{status}\n"

    import_registry(store, csv_file(tmp_path / "a.csv", row("运行")), by="a", on=D1)
    import_registry(store, csv_file(tmp_path / "b.csv", row("临时关停")), by="a", on=D2)
    import_registry(store, csv_file(tmp_path / "c.csv", row("运行")), by="a", on=D2)
    import_registry(store, csv_file(tmp_path / "d.csv", row("注销")), by="a", on=D3)
    assert actions(store, "S1") == ["open", "suspend", "resume", "cancel"]
    e = store.registry_entry("S1")
    assert e.target.status == "cancelled" and e.cancelled_on == D3 and e.closed_on is None

    # after 注销 nothing: not a status, not a field; the row is named
    with pytest.raises(RegistryError) as ei:
        import_registry(store, csv_file(tmp_path / "e.csv", "id,name,url,status\nS1,改名,http://s1.gov.cn/,注销\n"),
                        by="a", on=D3)
    assert "e.csv 第2行「状态」列" in str(ei.value.issues[0]) and "已于 2026-03-20 注销" in str(ei.value)
    with pytest.raises(RegistryError, match="不能再改为「运行」"):
        import_registry(store, csv_file(tmp_path / "f.csv", row("运行")), by="a", on=D3)
    assert actions(store, "S1")[-1] == "cancel"


def test_refused_transition_and_bad_rows_name_the_row(store: Store, tmp_path: Path) -> None:
    import_registry(store, csv_file(tmp_path / "a.csv", "id,name,url,status\nS1,甲,http://s1.gov.cn/,运行\n"),
                    by="a", on=D2)
    bad = csv_file(tmp_path / "bad.csv", (
        "id,name,url,status\n"
        "S1,甲,http://s1.gov.cn/,建设中\n"     # running → building: no such change
        "S2,乙,ht!tp:/ /x,运行\n"               # parsing problem (load_registry)
        "S3,丙,http://s3.gov.cn/,运行\n"         # good
        "a/b,丁,http://s4.gov.cn/,运行\n"        # id unusable in the console
    ))
    with pytest.raises(RegistryError) as ei:
        import_registry(store, bad, by="a", on=D3)
    text = str(ei.value)
    assert "bad.csv 第2行「状态」列" in text and "不能从「运行」直接改为「建设中」" in text
    assert "bad.csv 第3行「url」列：网址无效" in text and "bad.csv 第5行「网站标识码」列" in text
    assert "未导入任何内容" in text and [i.row for i in ei.value.issues] == [2, 3, 5]
    assert [t.id for t in store.registry_targets()] == ["S1"]  # nothing written

    s = import_registry(store, bad, by="a", on=D3, skip_bad_rows=True)
    assert s.added == ["S3"] and [i.row for i in s.issues] == [2, 3, 5] and "跳过有问题的 3 处" in s.text()
    assert store.registry_entry("S1").target.status == "running"

    with pytest.raises(RegistryError, match="第1行（表头）：缺少必需的列"):
        import_registry(store, csv_file(tmp_path / "h.csv", "名称,地址\n甲,http://a.gov.cn/\n"), by="a")
    with pytest.raises(RegistryError, match="第2行「关停日期」列.*无法识别"):
        import_registry(store, csv_file(tmp_path / "d.csv", "id,name,url,status,关停日期\nS9,戊,http://s9.gov.cn/,关停,下周\n"),
                        by="a")


# --------------------------------------------------------------------------- single changes
def test_lifecycle_rules_and_dates(store: Store) -> None:
    t = Target("9901000099", "website", "检查市人民政府", "www.jcs.gov.cn", "检查市政府办公室", "示例省/检查市", "政府门户网站")
    e = add_target(store, t, by="sup", on=D1, note="新建")
    assert e.target.url == "http://www.jcs.gov.cn/" and e.opened_on == D1
    with pytest.raises(RegistryConflict, match="已有标识码「9901000099」"):
        add_target(store, t, by="sup", on=D1)

    with pytest.raises(LifecycleError, match="当前状态为「运行」，不能恢复运行"):
        change_lifecycle(store, t.id, "恢复运行", by="sup", on=D2)
    with pytest.raises(LifecycleError, match="关停日期 2026-02-01 早于开设日期 2026-03-01"):
        change_lifecycle(store, t.id, "close", by="sup", on=date(2026, 2, 1))
    assert change_lifecycle(store, t.id, "临时关停", by="sup", on=D2).target.status == "suspended"
    assert change_lifecycle(store, t.id, "恢复运行", by="sup", on=D2).target.status == "running"
    closed = change_lifecycle(store, t.id, "关停", by="sup", on=D2, note="机构改革")
    assert closed.target.status == "closed" and closed.closed_on == D2
    cancelled = change_lifecycle(store, t.id, "注销", by="sup", on=D3)
    assert cancelled.cancelled_on == D3 and cancelled.closed_on == D2 and cancelled.target.status_raw == "注销"
    for action in ("open", "suspend", "resume", "close", "cancel"):
        with pytest.raises(LifecycleError, match="已于 2026-03-20 注销，不能再" + LIFECYCLE_ACTIONS[action]):
            change_lifecycle(store, t.id, action, by="sup", on=D3)
    with pytest.raises(LifecycleError, match="不能再变更"):
        edit_target(store, t.id, {"名称": "新名"}, by="sup", on=D3)
    with pytest.raises(RegistryError, match="操作「拆除」无效"):
        change_lifecycle(store, t.id, "拆除", by="sup", on=D3)
    with pytest.raises(StoreError, match="名录中不存在"):
        change_lifecycle(store, "nope", "close", by="sup", on=D3)
    trail = store.registry_events(t.id)
    assert [e.action for e in trail] == ["cancel", "close", "resume", "suspend", "open"]  # newest first
    assert trail[1].note == "机构改革" and all(e.by == "sup" for e in trail)
    assert store.registry_entry(t.id).updated_by == "sup"


def test_edit_target_fields(store: Store) -> None:
    t = target_from_fields({"网站标识码": "E1", "名称": "某局", "网址": "e1.gov.cn", "地区": "示例省/青山市/",
                            "无办事服务功能": "是", "标记": "重点"})
    assert (t.id, t.url, t.region, t.flags) == ("E1", "http://e1.gov.cn/", "示例省/青山市",
                                                frozenset({"no_service_function", "重点"}))
    add_target(store, replace(t, extra={"备注": "老站"}), by="sup", on=D1)
    e = edit_target(store, "E1", {"名称": "某局门户", "url": "https://e1.gov.cn/new", "无办事服务功能": "否", "备注": ""},
                    by="sup2", on=D2, note="改版")
    assert e.target.name == "某局门户" and e.target.url == "https://e1.gov.cn/new"
    assert e.target.flags == frozenset({"重点"}) and e.target.extra == {} and e.updated_by == "sup2"
    ev = store.registry_events("E1", limit=1)[0]
    assert ev.action == "change" and ev.on == D2 and ev.note == "改版"
    assert ev.before == {"name": "某局", "url": "http://e1.gov.cn/", "flags": ["no_service_function", "重点"],
                         "extra": {"备注": "老站"}}
    assert ev.after == {"name": "某局门户", "url": "https://e1.gov.cn/new", "flags": ["重点"], "extra": {}}

    for changes, message in (
        ({"名称": "某局门户"}, "没有需要变更的内容"),
        ({"名字": "x"}, "无法识别的字段「名字」"),
        ({"网站标识码": "E2"}, "标识码不能修改"),
        ({"状态": "关停"}, "状态请通过"),
        ({"类型": "传真"}, "无法识别的类型「传真」"),
        ({"网址": "ht!tp:/ /x"}, "网址无效"),
        ({"名称": ""}, "名称为空"),
        ({"关停日期": "2026-03-01"}, "请用状态变更"),
    ):
        with pytest.raises(RegistryError, match=message):
            edit_target(store, "E1", changes, by="sup", on=D2)
    assert len(store.registry_events("E1")) == 2


def test_stale_write_is_refused(store: Store) -> None:
    e = add_target(store, Target("C1", "website", "甲", "http://c1.gov.cn/"), by="a", on=D1)
    edit_target(store, "C1", {"名称": "乙"}, by="b", on=D2)
    stale = RegistryWrite(replace(e.target, name="丙"), e.opened_on, None, None, (), expect=e.updated_at)
    with pytest.raises(RegistryConflict, match="刚被 b 于"):
        store.registry_apply([stale], by="a")
    assert store.registry_entry("C1").target.name == "乙"


def test_versions_and_scope_are_checked_in_the_write(store: Store) -> None:
    """``expect`` (the version a form showed) and ``allow`` (the writer's scope) refuse a stale
    or out-of-scope change, inside the write too, without naming entries outside the scope."""
    mine = lambda t: t.region.startswith("示例省/青山市")  # noqa: E731
    a = add_target(store, Target("Q1", "website", "青山站", "http://q1.gov.cn/", region="示例省/青山市"), by="a", on=D1)
    add_target(store, Target("W1", "website", "白水站", "http://w1.gov.cn/", region="示例省/白水市"), by="a", on=D1)
    edit_target(store, "Q1", {"名称": "青山门户"}, by="b", on=D2, expect=a.updated_at, allow=mine)
    with pytest.raises(RegistryConflict, match="^该条目已被他人修改，请刷新后重试（「青山门户」（Q1）刚被 b 于"):
        edit_target(store, "Q1", {"名称": "旧表单"}, by="c", on=D2, expect=a.updated_at)
    with pytest.raises(RegistryConflict, match="该条目已被他人修改"):
        change_lifecycle(store, "Q1", "关停", by="c", on=D2, expect=a.updated_at)
    # moved out of the region meanwhile: refused as stale, whatever version is given
    now = edit_target(store, "Q1", {"地区": "示例省/白水市"}, by="b", on=D2)
    with pytest.raises(RegistryConflict, match="^该条目已被他人修改，请刷新后重试$"):
        change_lifecycle(store, "Q1", "关停", by="c", on=D2, expect=now.updated_at, allow=mine)
    stale = RegistryWrite(replace(now.target, name="x"), now.opened_on, None, None, (), expect=now.updated_at)
    with pytest.raises(RegistryConflict, match="^该条目已被他人修改，请刷新后重试$"):
        store.registry_apply([stale], by="c", allow=mine)
    # an id taken outside the scope: refused without its name
    with pytest.raises(RegistryConflict, match="^标识码「W1」已被使用，不能重复开设$"):
        add_target(store, Target("W1", "website", "青山新站", "http://w9.gov.cn/", region="示例省/青山市"),
                   by="c", on=D2, allow=mine)
    assert store.registry_entry("Q1").target.status == "running"
    assert store.registry_entry("W1").target.name == "白水站"


def test_import_only_some_ids(store: Store, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "in.xlsx", ROWS)
    s = import_registry(store, path, by="a", on=D1, only={"4100000002"})
    assert s.added == ["4100000002"] and s.unchanged == 0 and s.issues == []
    assert [t.id for t in store.registry_targets()] == ["4100000002"]


# --------------------------------------------------------------------------- export
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_round_trip(store: Store, tmp_path: Path, suffix: str) -> None:
    import_registry(store, xlsx(tmp_path / "in.xlsx", ROWS), by="a", on=D1)
    edit_target(store, "4100000002", {"标记": "重点,专项"}, by="a", on=D2)
    change_lifecycle(store, "4100000002", "关停", by="a", on=D2)
    change_lifecycle(store, "bm07000001", "注销", by="a", on=D3)
    before = store.registry_entries()

    out = export_registry(store, tmp_path / f"out{suffix}")
    reg = load_registry(out)
    assert [t.id for t in reg.targets] == [e.target.id for e in before]
    by_id = {t.id: t for t in reg.targets}
    for e in before:
        t = by_id[e.target.id]
        for f in ("kind", "name", "url", "owner", "region", "category", "status", "flags"):
            assert getattr(t, f) == getattr(e.target, f), (e.target.id, f)
        dates = {k: v for k, v in t.extra.items() if k.endswith("日期")}
        assert {k: v for k, v in t.extra.items() if k not in dates} == e.target.extra
        assert dates.get("开设日期", "").startswith(e.opened_on.isoformat())
        if e.closed_on:
            assert dates["关停日期"].startswith(e.closed_on.isoformat())
    assert by_id["4100000002"].flags == frozenset({"no_service_function", "重点", "专项"})

    s = import_registry(store, out, by="b", on=D3)
    assert (s.added, s.changed, s.unchanged, s.issues) == ([], [], len(before), [])
    assert store.registry_entries() == before

    only = export_registry(store, tmp_path / f"running{suffix}", statuses={"running"})
    assert sorted(t.id for t in load_registry(only).targets) == ["4100000001"]
    if suffix == ".xlsx":
        ws = load_workbook(out).active
        assert [c.value for c in ws[1]][:9] == HEADER[:9]


# --------------------------------------------------------------------------- repost tasks
def test_repost_tasks(store: Store, tmp_path: Path) -> None:
    assert store.repost_tasks() == []
    path = csv_file(tmp_path / "tasks.csv", "任务标题,来源链接,截止日期,转载对象\n"
                    "转载国务院通知,http://www.gov.cn/a.html,2026-03-20,\"bm07000001,4100000001\"\n"
                    "转载省政府公告,http://www.example.gov.cn/b.html,2026/3/25,bm07000001\n")
    tasks = load_repost_tasks(path)
    assert store.set_repost_tasks(tasks, by="sup") == 2
    assert store.repost_tasks() == tasks
    assert store.repost_tasks()[0]["deadline"] == date(2026, 3, 20)
    assert store.set_repost_tasks(tasks[1:], by="sup") == 1
    assert [t["title"] for t in store.repost_tasks()] == ["转载省政府公告"]
    with pytest.raises(StoreError, match="第1项：任务标题为空"):
        store.set_repost_tasks([{"title": "", "deadline": D1, "targets": []}], by="sup")
    assert len(store.repost_tasks()) == 1  # refused: nothing replaced


# --------------------------------------------------------------------------- CLI
def _cli() -> typer.Typer:
    from xuncha.cli_registry import registry_app

    app = typer.Typer()
    app.add_typer(registry_app, name="registry")
    return app


def test_cli_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    db = str(tmp_path / "x.db")
    app, r = _cli(), CliRunner()
    src = xlsx(tmp_path / "名录.xlsx", ROWS)

    out = r.invoke(app, ["registry", "import", str(src), "--db", db, "--on", "2026-03-01", "--by", "张三"])
    assert out.exit_code == 0, out.output
    assert "新增 4 个" in out.output
    out = r.invoke(app, ["registry", "list", "--db", db, "--status", "建设中"])
    assert "青山市旧平台" in out.output and "青山市人民政府" not in out.output
    assert "共 4 个" in r.invoke(app, ["registry", "list", "--db", db, "--region", "示例省/青山市"]).output

    out = r.invoke(app, ["registry", "change", "4100000002", "--action", "关停", "--on", "2026-03-10", "--db", db,
                         "--note", "整合", "--by", "李四"])
    assert out.exit_code == 0 and "已关停（2026-03-10）" in out.output
    bad = r.invoke(app, ["registry", "change", "4100000002", "--action", "恢复运行", "--on", "2026-03-11", "--db", db])
    assert bad.exit_code == 2 and "不能恢复运行" in bad.output
    out = r.invoke(app, ["registry", "edit", "4100000001", "--set", "名称=青山市政府门户", "--set", "网址=www.qs.gov.cn",
                         "--db", db, "--by", "王五"])
    assert out.exit_code == 0 and "名称：青山市人民政府 → 青山市政府门户" in out.output
    bad = r.invoke(app, ["registry", "edit", "4100000001", "--set", "名称", "--db", db])
    assert bad.exit_code == 2 and "字段=新值" in bad.output

    out = r.invoke(app, ["registry", "history", "4100000002", "--db", db])
    assert "关停" in out.output and "整合" in out.output and "李四" in out.output
    bad = r.invoke(app, ["registry", "history", "nope", "--db", db])
    assert bad.exit_code == 2 and "名录中不存在" in bad.output

    exported = tmp_path / "out.csv"
    out = r.invoke(app, ["registry", "export", str(exported), "--db", db, "--status", "运行"])
    assert out.exit_code == 0 and "已导出 2 个" in out.output
    assert sorted(t.id for t in load_registry(exported).targets) == ["4100000001", "bm07000001"]

    bad_file = csv_file(tmp_path / "bad.csv", "id,name,url\n1,a,ht!tp:/ /x\n")
    bad = r.invoke(app, ["registry", "import", str(bad_file), "--db", db])
    assert bad.exit_code == 2 and "bad.csv 第2行「url」列" in bad.output

    tasks = csv_file(tmp_path / "tasks.csv", "任务标题,来源链接,截止日期,转载对象\n转载通知,http://www.gov.cn/a.html,2026-03-20,\"bm07000001,X9\"\n")
    out = r.invoke(app, ["registry", "repost-tasks", str(tasks), "--db", db])
    assert out.exit_code == 0 and "已导入转载任务 1 项" in out.output and "不在名录中：X9" in out.output
    bad = r.invoke(app, ["registry", "repost-tasks", str(csv_file(tmp_path / "t2.csv", "任务标题,截止日期\n转载,明天\n")),
                         "--db", db])
    assert bad.exit_code == 2 and "t2.csv 第2行" in bad.output
    with Store(f"sqlite:///{db}") as st:
        assert [t["targets"] for t in st.repost_tasks()] == [["bm07000001", "X9"]]
        assert st.registry_entry("4100000001").updated_by == "王五"
