"""W.VETO.UNREACHABLE and W.AVAIL.HOME."""

from __future__ import annotations

from datetime import timedelta

from xuncha.checks.availability import describe_failure, judge_availability

from ._factory import AS_OF, history, make_ctx, make_snapshot, run, run_probes, sev

VETO, AVAIL = "W.VETO.UNREACHABLE", "W.AVAIL.HOME"


def test_history_exactly_five_percent_is_veto() -> None:
    ctx = make_ctx(probe_history=history(20, failed=7))  # 7 / 140 = 5 %
    found = run(VETO, ctx)
    assert sev(found) == ["veto"]
    f = found[0]
    assert f.detail["basis"] == "history" and f.detail["failed"] == 7 and f.detail["judged"] == 140
    assert "失败率 5.0%" in f.evidence and "超时未加载完成" in f.evidence and "耗时15.0秒" in f.evidence
    assert run(AVAIL, ctx) == []


def test_history_below_five_percent_is_deduction_not_veto() -> None:
    ctx = make_ctx(probe_history=history(20, failed=6))  # 4.3 %
    assert run(VETO, ctx) == []
    found = run(AVAIL, ctx)
    assert sev(found) == ["deduct"]
    assert found[0].detail["ratio"] == round(6 / 140, 4)


def test_history_all_ok_is_silent() -> None:
    ctx = make_ctx(probe_history=history(20))
    assert run(VETO, ctx) == [] and run(AVAIL, ctx) == []


def test_history_sample_names_http_status() -> None:
    ctx = make_ctx(probe_history=history(20, failed=10, status=503, elapsed_ms=120.0))
    found = run(VETO, ctx)
    assert sev(found) == ["veto"] and "HTTP 503" in found[0].evidence


def test_insufficient_day_falls_back_to_run_probes_and_flags_gap() -> None:
    # a complete week except one 24 h slice without any probe: the week is not judged
    probes = [
        p
        for p in history(20, failed=30)
        if not (AS_OF - timedelta(days=3) < p.at <= AS_OF - timedelta(days=2))
    ]
    snap = make_snapshot(probes=run_probes((False, False, False), error="connect"))
    ctx = make_ctx(snapshot=snap, probe_history=probes)
    j = judge_availability(ctx)
    assert j.basis == "run" and len(j.insufficient_days) == 1
    found = run(VETO, ctx)
    assert sev(found) == ["veto"]
    assert found[0].detail["basis"] == "run"
    assert "仅依据本次巡查" in found[0].evidence and "监测不足" in found[0].evidence
    assert "连接失败" in found[0].evidence


def test_nineteen_probes_on_one_day_is_monitoring_gap() -> None:
    probes = history(20)
    # drop one probe of the newest slice: 19 < probe_min_per_day
    probes = [p for p in probes if p.at != AS_OF - timedelta(minutes=30)]
    ctx = make_ctx(probe_history=probes, snapshot=make_snapshot(probes=run_probes()))
    j = judge_availability(ctx)
    assert j.basis == "run" and j.insufficient_days and "19次" in j.insufficient_days[0]


def test_run_all_failed_is_veto_judged_from_run_only() -> None:
    snap = make_snapshot(probes=run_probes((False, False, False), error="timeout", elapsed_ms=15000.0))
    found = run(VETO, make_ctx(snapshot=snap))
    assert sev(found) == ["veto"] and found[0].detail["basis"] == "run"
    assert run(AVAIL, make_ctx(snapshot=snap)) == []


def test_run_some_failed_is_deduction() -> None:
    snap = make_snapshot(probes=run_probes((True, False, True), error="dns"))
    ctx = make_ctx(snapshot=snap)
    assert run(VETO, ctx) == []
    found = run(AVAIL, ctx)
    assert sev(found) == ["deduct"] and "域名解析失败" in found[0].evidence


def test_run_all_ok_is_silent() -> None:
    ctx = make_ctx(snapshot=make_snapshot(probes=run_probes()))
    assert run(VETO, ctx) == [] and run(AVAIL, ctx) == []


def test_blocked_probes_are_inconclusive_never_veto() -> None:
    snap = make_snapshot(probes=run_probes((False, False, False), error="waf"))
    ctx = make_ctx(snapshot=snap)
    found = run(VETO, ctx)
    assert sev(found) == ["inconclusive"] and "拦截" in found[0].evidence
    assert run(AVAIL, ctx) == []


def test_403_probes_are_blocked_not_failed() -> None:
    snap = make_snapshot(probes=run_probes((False, False, False), status=403))
    assert sev(run(VETO, make_ctx(snapshot=snap))) == ["inconclusive"]


def test_history_blocked_failures_do_not_veto() -> None:
    ctx = make_ctx(probe_history=history(20, failed=20, error="rate_limited"))
    found = run(VETO, ctx)
    assert sev(found) == ["inconclusive"]
    assert run(AVAIL, ctx) == []


def test_too_few_run_probes_is_inconclusive() -> None:
    snap = make_snapshot(probes=run_probes((False, False)))
    found = run(VETO, make_ctx(snapshot=snap))
    assert sev(found) == ["inconclusive"] and "至少需要 3 次" in found[0].evidence


def test_probes_outside_window_are_ignored() -> None:
    old = [p for p in history(20, failed=140)]
    shifted = [
        type(p)(p.target_id, p.url, p.at - timedelta(days=7), p.ok, p.status, p.elapsed_ms, p.error)
        for p in old
    ]
    ctx = make_ctx(probe_history=shifted + history(20), snapshot=make_snapshot(probes=run_probes()))
    assert judge_availability(ctx).basis == "history"
    assert run(VETO, ctx) == [] and run(AVAIL, ctx) == []


def test_describe_failure_in_chinese() -> None:
    assert describe_failure("timeout", None, 15000) == "超时未加载完成，耗时15.0秒"
    assert describe_failure(None, 502) == "HTTP 502"
    assert describe_failure("status_503", 503) == "HTTP 503"


def test_partial_history_with_failures_is_reported_as_inconclusive() -> None:
    probes = history(20, failed=50, days=5)  # only 5 of 7 days monitored
    ctx = make_ctx(probe_history=probes, snapshot=make_snapshot(probes=run_probes()))
    found = run(VETO, ctx)
    assert sev(found) == ["inconclusive"]
    assert "监测不足" in found[0].evidence and "50/100" in found[0].evidence
    assert run(AVAIL, ctx) == []
