"""Rectification cases: every transition (valid and invalid), the audit trail, idempotent
opening, deadlines on the official calendar (国庆, 春节, 调休), overdue flags, on-time rates."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from xuncha.settings import TZ
from xuncha.workflow import rectify as rc
from xuncha.workflow.types import WorkflowError, parse_state


def _at(d: str, h: int = 10) -> datetime:
    return datetime.fromisoformat(d).replace(hour=h, tzinfo=TZ)


def _open(store, target_factory, finding_factory, *, today=date(2025, 9, 26), days=3, **kw):
    return rc.open_case(store, target=target_factory(**kw), finding=finding_factory(**({"target_id": kw["tid"]} if "tid" in kw else {})),
                        run_id=None, opened_by="巡查员甲", working_days=days, today=today)


def test_open_case_snapshot_and_idempotent(store, target_factory, finding_factory) -> None:
    cid = _open(store, target_factory, finding_factory)
    again = _open(store, target_factory, finding_factory)
    assert again == cid
    c = store.get_case(cid)
    assert (c.state, c.state_label, c.code, c.owner) == ("open", "待通知", "W.ID.FOOTER", "测试市政府办公室")
    assert c.finding_key == finding_factory().key and c.evidence == "底部功能区缺少网站标识码"
    assert c.detail == {"mark": "site_code"} and c.target["url"] == "http://www.test.gov.cn/"
    assert rc.target_from_json(c.target) == target_factory()
    ev = store.case_events(cid)
    assert [(e.from_state, e.to_state, e.by) for e in ev] == [("", "open", "巡查员甲")]
    # another problem of the same target is another case
    other = rc.open_case(store, target=target_factory(), finding=finding_factory(evidence="底部功能区缺少主办单位",
                         mark="host_unit"), run_id=None, opened_by="甲")
    assert other != cid


def test_full_lifecycle_with_audit_trail(store, target_factory, finding_factory) -> None:
    cid = _open(store, target_factory, finding_factory)
    rc.notify(store, cid, by="科长乙", on=date(2025, 9, 26))
    assert store.get_case(cid).notified_on == date(2025, 9, 26)
    rc.submit(store, cid, by="测试市政府办公室", note="已在页脚补充网站标识码")
    rc.start_recheck(store, cid, by="巡查员甲")
    c = rc.finish_recheck(store, cid, passed=False, by="巡查员甲", today=date(2025, 9, 30))
    assert (c.state, c.reopen_count, c.deadline, c.due_on) == ("reopened", 1, date(2025, 10, 11), date(2025, 9, 30))
    rc.submit(store, cid, by="测试市政府办公室", note="再次整改")
    rc.start_recheck(store, cid, by="巡查员甲")
    c = rc.finish_recheck(store, cid, passed=True, by="巡查员甲", at=_at("2025-10-09"))
    assert c.state == "closed" and c.closed_at == _at("2025-10-09") and c.closed_on_time is False
    trail = store.case_events(cid)
    assert [e.to_state for e in trail] == ["open", "notified", "submitted", "rechecking", "reopened",
                                           "submitted", "rechecking", "closed"]
    assert trail[2].note == "已在页脚补充网站标识码" and trail[2].by == "测试市政府办公室"
    assert all(a.to_state == b.from_state for a, b in zip(trail, trail[1:], strict=False))
    assert "2025-10-11" in trail[4].note
    # after closing, the same problem opens a new case
    assert _open(store, target_factory, finding_factory) != cid


@pytest.mark.parametrize(
    ("steps", "action", "message"),
    [
        ([], "submit", "当前状态为「待通知」，不能提交整改情况"),
        ([], "recheck", "当前状态为「待通知」，不能复查"),
        ([], "close", "当前状态为「待通知」，不能关闭"),
        (["notify"], "notify", "当前状态为「已通知」，不能下发整改通知"),
        (["notify", "submit"], "submit", "当前状态为「已提交整改」，不能提交整改情况"),
        (["notify", "submit"], "close", "不能关闭"),
        (["notify", "submit", "recheck"], "recheck", "当前状态为「复查中」，不能复查"),
        (["notify", "submit", "recheck", "close"], "notify", "已整改关闭，不能再下发整改通知"),
        (["notify", "submit", "recheck", "close"], "submit", "已整改关闭，不能再提交整改情况"),
        (["notify", "submit", "recheck", "reopen"], "close", "当前状态为「复查未通过（重新打开）」，不能关闭"),
    ],
)
def test_invalid_transitions_raise_chinese_errors(sqlite_store, target_factory, finding_factory, steps, action,
                                                  message) -> None:
    store = sqlite_store
    cid = _open(store, target_factory, finding_factory)
    do = {
        "notify": lambda: rc.notify(store, cid, by="乙"),
        "submit": lambda: rc.submit(store, cid, by="单位", note="已整改"),
        "recheck": lambda: rc.start_recheck(store, cid, by="甲"),
        "close": lambda: rc.finish_recheck(store, cid, passed=True, by="甲"),
        "reopen": lambda: rc.finish_recheck(store, cid, passed=False, by="甲"),
    }
    for s in steps:
        do[s]()
    n = len(store.case_events(cid))
    with pytest.raises(WorkflowError, match=message):
        do[action]()
    assert len(store.case_events(cid)) == n  # nothing written


def test_valid_shortcuts_and_errors(store, target_factory, finding_factory) -> None:
    cid = _open(store, target_factory, finding_factory)
    rc.notify(store, cid, by="乙")
    rc.start_recheck(store, cid, by="甲")  # re-check at the deadline without a submission
    rc.finish_recheck(store, cid, passed=False, by="甲")
    rc.notify(store, cid, by="乙", note="再次通知")  # reopened → notified
    with pytest.raises(WorkflowError, match="请填写整改情况说明"):
        rc.submit(store, cid, by="单位", note="  ")
    with pytest.raises(WorkflowError, match="整改事项 #999 不存在"):
        rc.notify(store, 999, by="乙")
    with pytest.raises(WorkflowError, match="至少为 1 个工作日"):
        _open(store, target_factory, finding_factory, days=0)
    assert parse_state("已整改") == "closed" and parse_state("复查中") == "rechecking"
    with pytest.raises(WorkflowError, match="整改状态「完成」无效"):
        parse_state("完成")


@pytest.mark.parametrize(
    ("today", "days", "deadline"),
    [
        (date(2025, 9, 26), 3, date(2025, 9, 30)),  # Sun 28 Sep is a 调休 working day
        (date(2025, 9, 26), 5, date(2025, 10, 10)),  # 国庆+中秋 1–8 Oct off
        (date(2025, 9, 26), 6, date(2025, 10, 11)),  # Sat 11 Oct is a make-up working day
        (date(2025, 1, 24), 1, date(2025, 1, 26)),  # Sun 26 Jan make-up day before 春节
        (date(2025, 1, 27), 1, date(2025, 2, 5)),  # 春节 28 Jan – 4 Feb off
        (date(2025, 2, 7), 1, date(2025, 2, 8)),  # Sat 8 Feb make-up day
        (date(2025, 3, 14), 15, date(2025, 4, 7)),  # 清明 Fri 4 Apr off
    ],
)
def test_deadlines_on_the_official_calendar(sqlite_store, target_factory, finding_factory, today, days,
                                            deadline) -> None:
    cid = _open(sqlite_store, target_factory, finding_factory, today=today, days=days)
    assert sqlite_store.get_case(cid).deadline == deadline == sqlite_store.get_case(cid).due_on


def test_reopen_deadline_across_national_day(sqlite_store, target_factory, finding_factory) -> None:
    cid = _open(sqlite_store, target_factory, finding_factory, today=date(2025, 9, 1), days=5)
    rc.notify(sqlite_store, cid, by="乙")
    rc.start_recheck(sqlite_store, cid, by="甲")
    c = rc.finish_recheck(sqlite_store, cid, passed=False, by="甲", today=date(2025, 9, 30))
    assert c.deadline == date(2025, 10, 14)  # 9, 10, 11 (Sat make-up), 13, 14
    assert c.due_on == date(2025, 9, 8)


def test_overdue_and_on_time_rates(store, target_factory, finding_factory) -> None:
    a = target_factory(tid="A1", owner="甲局")
    b = target_factory(tid="B1", owner="乙局")
    mk = finding_factory

    def case(t, ev, today):
        return rc.open_case(store, target=t, finding=mk(target_id=t.id, evidence=ev, mark=ev), run_id=None,
                            opened_by="甲", working_days=3, today=today)

    # due 2025-09-30 (opened 26 Sep): closed 29 Sep (on time), closed 9 Oct (late), still open
    on_time, late, still = case(a, "p1", date(2025, 9, 26)), case(a, "p2", date(2025, 9, 26)), case(b, "p3", date(2025, 9, 26))
    far = case(b, "p4", date(2025, 10, 20))  # due 23 Oct: outside the period
    for cid, when in ((on_time, "2025-09-29"), (late, "2025-10-09")):
        rc.notify(store, cid, by="乙")
        rc.start_recheck(store, cid, by="甲")
        rc.finish_recheck(store, cid, passed=True, by="甲", at=_at(when))
    assert [c.id for c in rc.overdue_cases(store, date(2025, 9, 30))] == []  # due today: not yet overdue
    assert [c.id for c in rc.overdue_cases(store, date(2025, 10, 1))] == [still]
    assert {c.id for c in rc.overdue_cases(store, date(2025, 10, 24))} == {still, far}
    rates = {r.owner: r for r in rc.on_time_rates(store, date(2025, 9, 1), date(2025, 9, 30))}
    assert (rates["甲局"].due, rates["甲局"].closed_on_time, rates["甲局"].closed_late) == (2, 1, 1)
    assert rates["甲局"].rate == 0.5 and rates["甲局"].rate_text == "50.0%"
    assert (rates["乙局"].due, rates["乙局"].open, rates["乙局"].rate) == (1, 1, 0.0)
    assert [c.id for c in rc.cases(store, owner="乙局")] == [still, far]
    assert [c.id for c in rc.cases(store, state="closed")] == [on_time, late]
    assert "已逾期" in rc.describe(store.get_case(still), date(2025, 10, 1))


def test_open_cases_for_run_skips_false_positives(store, target_factory, finding_factory) -> None:
    from xuncha.model import Review, TargetResult

    t = target_factory()
    run = store.create_run(_at("2025-09-20"), "r.xlsx", {})
    store.save_target_result(run, TargetResult(target=t))
    j = store.new_judgement(run, _at("2025-09-20"))
    keep = finding_factory()
    fp = finding_factory(evidence="底部功能区缺少主办单位", mark="host_unit")
    adv = finding_factory(evidence="建议", mark="psb_nonstandard")
    adv.severity = "advisory"
    store.save_findings(run, j, [keep, fp, adv])
    store.set_review(Review(target_id=t.id, finding_key=fp.key, code=fp.code, state="false_positive"))
    ids = rc.open_cases_for_run(store, run, opened_by="甲", today=date(2025, 9, 22))
    assert len(ids) == 1 and store.get_case(ids[0]).finding_key == keep.key and store.get_case(ids[0]).run_id == run
    assert rc.open_cases_for_run(store, run, opened_by="甲") == ids  # idempotent
