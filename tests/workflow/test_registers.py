"""Operational registers: 找错 export import (synonym headers, bad rows named), deadlines and
按期办结率 per unit, simulated consultations, repost-task completion from a run's findings."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from xuncha.errors import ConfigError
from xuncha.model import Finding, Target, TargetResult
from xuncha.settings import TZ
from xuncha.workflow import registers as rg
from xuncha.workflow.types import Consultation, WorkflowError, ZhaocuoMessage

HEADER = ["序号", "留言编号", "网站名称", "网站标识码", "留言时间", "转办时间", "受理时间", "办结时间", "留言内容", "办理状态"]


def _export(path: Path, bad: bool = True) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["我为政府网站找错监督平台 留言导出（2025年9月）"])  # title line above the header
    ws.append(HEADER)
    ws.append([1, "ZC20250926001", "检查市人民政府", "9901000099", datetime(2025, 9, 25, 20, 5),
               datetime(2025, 9, 26, 9, 0), datetime(2025, 9, 26, 10, 0), datetime(2025, 9, 30, 16, 0),
               "首页链接打不开", "已办结"])  # due 30 Sep (28 Sep make-up day counts): on time
    ws.append([2, "ZC20250926002", "检查市人民政府", "9901000099", "2025-09-26 08:00", "2025-09-26 09:30",
               "2025/09/29 11:00", "2025年10月9日 10:00", "栏目不更新", "已办结"])  # closed after 国庆: late
    ws.append([3, "ZC20250927003", "检查市教育局", "bm99000001", "2025-09-27 10:00", "2025-09-27 10:10",
               None, None, "附件下载失败", "办理中"])  # due 30 Sep, still open: overdue
    if bad:
        ws.append([4, "ZC20250927004", "检查市教育局", "bm99000001", "昨天下午", None, None, None, "x", ""])
        ws.append([5, "", "检查市教育局", "bm99000001", "2025-09-27", None, None, None, "x", ""])
    ws.append([6, "ZC20251009006", "检查市教育局", "bm99000001", "2025-10-09 09:00", "2025-10-09 09:00",
               "2025-10-09 10:00", None, "错别字", "办理中"])  # due 14 Oct: not yet due on 10 Oct
    path = path / "找错留言导出.xlsx"
    wb.save(path)
    return path


def test_import_names_file_and_bad_rows(tmp_path: Path) -> None:
    path = _export(tmp_path)
    with pytest.raises(ConfigError) as ei:
        rg.load_zhaocuo_export(path)
    msg = str(ei.value)
    assert "找错留言导出.xlsx 第6行：「留言时间」的值「昨天下午」不是日期时间" in msg
    assert "找错留言导出.xlsx 第7行：留言编号为空" in msg and "--skip-bad-rows" in msg
    res = rg.load_zhaocuo_export(path, skip_bad_rows=True)
    assert [m.msg_no for m in res.messages] == ["ZC20250926001", "ZC20250926002", "ZC20250927003", "ZC20251009006"]
    assert len(res.issues) == 2
    m2 = res.messages[1]
    assert m2.replied_at == datetime(2025, 10, 9, 10, 0, tzinfo=TZ) and m2.accepted_at == datetime(2025, 9, 29, 11, 0, tzinfo=TZ)
    assert m2.source == "找错留言导出.xlsx:4"


def test_import_csv_with_synonyms_gb18030(tmp_path: Path) -> None:
    p = tmp_path / "export.csv"
    p.write_bytes("工单编号,被留言网站,标识码,提交时间,交办时间,签收时间,答复时间,问题描述,处理状态\n"
                  "A1,检查市人民政府,9901000099,2025-03-03 09:00,2025-03-03 10:00,,2025-03-05 09:00,错字,已答复\n"
                  .encode("gb18030"))
    (m,) = rg.load_zhaocuo_export(p).messages
    assert (m.msg_no, m.site_name, m.content, m.status) == ("A1", "检查市人民政府", "错字", "已答复")
    bad = tmp_path / "bad.csv"
    bad.write_text("名称,内容\nx,y\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.csv：找不到表头"):
        rg.load_zhaocuo_export(bad)
    with pytest.raises(ConfigError, match="不支持的文件格式"):
        (tmp_path / "x.pdf").write_bytes(b"%PDF")
        rg.load_zhaocuo_export(tmp_path / "x.pdf")


def test_zhaocuo_deadlines_and_rates(store, tmp_path: Path) -> None:
    added, updated, issues = rg.import_zhaocuo(store, _export(tmp_path), skip_bad_rows=True)
    assert (added, updated, len(issues)) == (4, 0, 2)
    assert rg.import_zhaocuo(store, _export(tmp_path, bad=False))[:2] == (0, 4)  # re-import updates
    msgs = {m.msg_no: m for m in store.zhaocuo_messages()}
    st = rg.zhaocuo_status(msgs["ZC20250926001"], date(2025, 10, 10))
    assert (st.accept_due, st.reply_due, st.closed_on_time) == (date(2025, 9, 28), date(2025, 9, 30), True)
    st2 = rg.zhaocuo_status(msgs["ZC20250926002"], date(2025, 10, 10))
    assert (st2.reply_due, st2.closed, st2.closed_on_time, st2.accepted_late) == (date(2025, 9, 30), True, False, True)
    st3 = rg.zhaocuo_status(msgs["ZC20250927003"], date(2025, 10, 10))
    assert st3.overdue and st3.reply_due == date(2025, 9, 30)
    # configurable deadline: 5 working days from 26 Sep is 10 Oct → message 2 on time
    assert rg.zhaocuo_status(msgs["ZC20250926002"], date(2025, 10, 10), reply_days=5).closed_on_time
    stats = {u.unit: u for u in rg.zhaocuo_stats(store, date(2025, 9, 1), date(2025, 10, 31), today=date(2025, 10, 10))}
    city, edu = stats["检查市人民政府"], stats["检查市教育局"]
    assert (city.received, city.due, city.closed_on_time, city.closed_late, city.rate_text) == (2, 2, 1, 1, "50.0%")
    assert (edu.received, edu.due, edu.overdue, edu.rate) == (2, 1, 1, 0.0)  # the 9 Oct one is not due yet
    rg.add_zhaocuo(store, ZhaocuoMessage(msg_no="M1", site_name="检查市人民政府", received_at=datetime(2025, 10, 9, 9, tzinfo=TZ)))
    assert store.zhaocuo_messages()[-1].source == "手工录入"
    with pytest.raises(WorkflowError, match="请填写留言时间或转办时间"):
        rg.add_zhaocuo(store, ZhaocuoMessage(msg_no="M2"))


def _c(sent: str, reply: str | None, tid: str = "9901000099") -> Consultation:
    return Consultation(target_id=tid, question="办理居住证需要哪些材料？", channel_url="http://www.jcs.gov.cn/hdjl/",
                        sent_at=datetime.fromisoformat(sent).replace(tzinfo=TZ), target_name="检查市人民政府",
                        reply_at=datetime.fromisoformat(reply).replace(tzinfo=TZ) if reply else None)


@pytest.mark.parametrize(
    ("sent", "reply", "today", "cls"),
    [
        ("2025-09-26 17:00", "2025-09-28 09:00", "2025-10-20", "fast"),  # Sun 28 Sep is a working day
        ("2025-09-30 17:00", "2025-10-09 09:00", "2025-10-20", "fast"),  # 国庆 off: 9 Oct is the 1st day
        ("2025-03-03 09:00", "2025-03-10 09:00", "2025-04-01", "normal"),  # exactly 5
        ("2025-03-03 09:00", "2025-03-11 09:00", "2025-04-01", "slow"),  # 6
        ("2025-03-03 09:00", None, "2025-03-11", "none"),
        ("2025-03-03 09:00", None, "2025-03-10", "pending"),
        ("2025-01-27 09:00", None, "2025-02-10", "pending"),  # 春节 28 Jan–4 Feb off: 5, 6, 7, 8 (Sat make-up), 10 Feb = 5
    ],
)
def test_consultation_classes(sent: str, reply: str | None, today: str, cls: str) -> None:
    assert rg.classify_consultation(_c(sent, reply), date.fromisoformat(today)) == cls


def test_consultations_stored_and_summarised(store) -> None:
    a = rg.add_consultation(store, _c("2025-03-03 09:00", None))
    rg.add_consultation(store, _c("2025-03-04 09:00", "2025-03-04 15:00"))
    rg.add_consultation(store, _c("2025-03-04 09:00", "2025-03-20 15:00", tid="bm99000001"))
    c = rg.record_reply(store, a, reply_at=datetime(2025, 3, 12, 9, tzinfo=TZ), reply_text="请携带身份证……",
                        evidence=["shots/1.png"])
    assert c.evidence == ["shots/1.png"] and c.reply_text.startswith("请携带")
    with pytest.raises(WorkflowError, match="早于提交时间"):
        rg.record_reply(store, a, reply_at=datetime(2025, 3, 1, tzinfo=TZ), reply_text="x")
    with pytest.raises(WorkflowError, match="咨询问题不能为空"):
        rg.add_consultation(store, Consultation(target_id="x", question=" ", sent_at=datetime(2025, 3, 1, tzinfo=TZ)))
    stats = {t.target_id: t for t in rg.consult_stats(store, date(2025, 3, 1), date(2025, 3, 31), today=date(2025, 4, 1))}
    assert stats["9901000099"].counts["fast"] == 1 and stats["9901000099"].counts["slow"] == 1
    assert stats["9901000099"].problem and stats["bm99000001"].total == 1


def test_repost_completion_from_run_findings(store) -> None:
    as_of = datetime(2025, 3, 20, 23, 59, tzinfo=TZ)
    run = store.create_run(as_of, "r.xlsx", {})
    ts = [Target(id=i, kind="wechat", name=n, url=f"https://mp/{i}", owner=o)
          for i, n, o in (("wx1", "检查发布", "检查市政府办公室"), ("wx2", "检查教育", "检查市教育局"),
                          ("wx3", "检查交通", "检查市交通局"))]
    for t in ts:
        store.save_target_result(run, TargetResult(target=t))
    j = store.new_judgement(run, as_of)

    def f(tid: str, sev: str, **detail: object) -> Finding:
        return Finding(target_id=tid, code="M.REPOST.MISSING", severity=sev, url="", evidence="e", detected_at=as_of,
                       detail=detail)

    store.save_findings(run, j, [f("wx2", "deduct", task="任务一", late=True), f("wx2", "deduct", task="任务二", late=False),
                                 f("wx3", "inconclusive")])
    tasks = [
        {"title": "任务一", "url": "", "deadline": date(2025, 3, 10), "targets": ["wx1", "wx2", "wx3"]},
        {"title": "任务二", "url": "", "deadline": date(2025, 3, 15), "targets": ["wx2"]},
        {"title": "任务三", "url": "", "deadline": date(2025, 3, 25), "targets": ["wx1"]},  # not due yet
    ]
    out = {u.unit: u for u in rg.repost_completion(store, run, tasks)}
    assert (out["检查市政府办公室"].assigned, out["检查市政府办公室"].done) == (1, 1)
    edu = out["检查市教育局"]
    assert (edu.assigned, edu.done, edu.late, edu.missing, edu.rate) == (2, 0, 1, 1, 0.0)
    assert edu.late_targets == ["检查教育：任务一", "检查教育：任务二"]
    assert (out["检查市交通局"].unknown, out["检查市交通局"].done) == (1, 0)
