"""W.VETO.INTERACTION and W.INT.REPLY_STALE."""

from __future__ import annotations

from datetime import date

from xuncha.model import Message, MessageBoard

from ._factory import column, days_ago, home_page, make_ctx, make_site, make_snapshot, run, sev, u

VETO, STALE = "W.VETO.INTERACTION", "W.INT.REPLY_STALE"


def _board(*messages: Message, name: str = "市长信箱", **kw: object) -> MessageBoard:
    return MessageBoard(name=name, url=u(f"hd/{name}/"), messages=list(messages), **kw)  # type: ignore[arg-type]


def _msg(ask: date | None, reply: date | None = None, title: str = "关于供暖的咨询", **kw: object) -> Message:
    return Message(title=title, ask_date=ask, reply_date=reply, replied=reply is not None, **kw)  # type: ignore[arg-type]


def _ctx(*boards: MessageBoard, columns=()):
    return make_ctx(site=make_site(boards=list(boards), columns=list(columns)))


# --------------------------------------------------------------------------- (a) channel
def test_no_consultation_channel_is_veto() -> None:
    found = run(VETO, _ctx())
    assert sev(found) == ["veto"] and found[0].detail["reason"] == "no_channel"


def test_petition_and_report_channels_do_not_count() -> None:
    found = run(VETO, _ctx(_board(name="网上信访", cls="EXCLUDE"), columns=[column("纪检举报", "EXCLUDE")]))
    assert sev(found) == ["veto"]
    assert "网上信访" in found[0].evidence and "纪检举报" in found[0].evidence


def test_consult_column_is_a_channel() -> None:
    assert run(VETO, _ctx(columns=[column("领导信箱", "CONSULT")])) == []


def test_unreachable_only_channel_is_inconclusive() -> None:
    found = run(VETO, _ctx(_board(reachable=False)))
    assert sev(found) == ["inconclusive"] and "「市长信箱」" in found[0].evidence


def test_home_failed_without_channels_is_inconclusive() -> None:
    ctx = make_ctx(snapshot=make_snapshot(pages=[home_page(status=None, error="timeout", html="")]))
    assert sev(run(VETO, ctx)) == ["inconclusive"]


# --------------------------------------------------------------------------- (b) 3 months
def test_reply_three_months_plus_one_day_is_veto() -> None:
    found = run(VETO, _ctx(_board(_msg(date(2024, 6, 10), date(2024, 9, 11)))))
    assert sev(found) == ["veto"]
    assert "2024-06-10 提交，2024-09-11 才答复" in found[0].evidence
    assert found[0].detail["messages"][0]["deadline"] == "2024-09-10"


def test_reply_exactly_three_months_is_in_time() -> None:
    assert run(VETO, _ctx(_board(_msg(date(2024, 6, 10), date(2024, 9, 10))))) == []


def test_month_end_ask_date_is_clamped() -> None:
    assert run(VETO, _ctx(_board(_msg(date(2024, 11, 30), date(2025, 2, 28))))) == []
    assert sev(run(VETO, _ctx(_board(_msg(date(2024, 10, 31), date(2025, 2, 1)))))) == ["veto"]


def test_unanswered_over_three_months_is_veto() -> None:
    found = run(VETO, _ctx(_board(_msg(date(2024, 11, 30)))))  # deadline 2025-02-28 < 2025-03-01
    assert sev(found) == ["veto"] and "仍未答复" in found[0].evidence


def test_unanswered_exactly_three_months_is_not_yet_late() -> None:
    assert run(VETO, _ctx(_board(_msg(date(2024, 12, 1))))) == []  # deadline 2025-03-01 == T


def test_messages_older_than_one_year_are_out_of_scope() -> None:
    assert run(VETO, _ctx(_board(_msg(date(2024, 2, 29), date(2024, 12, 1))))) == []
    assert sev(run(VETO, _ctx(_board(_msg(date(2024, 3, 1), date(2024, 12, 1)))))) == ["veto"]


def test_guessed_ask_date_is_flagged() -> None:
    found = run(VETO, _ctx(_board(_msg(date(2024, 6, 1), date(2024, 10, 1), ask_date_guessed=True))))
    assert sev(found) == ["veto"] and "以最早显示日期计" in found[0].evidence


def test_survey_and_interview_boards_are_not_judged_for_delay() -> None:
    late = _msg(date(2024, 6, 1), date(2024, 12, 1))
    ctx = _ctx(
        _board(_msg(days_ago(20), days_ago(3))),
        _board(late, name="意见征集", cls="SURVEY"),
        _board(late, name="在线访谈", cls="INTERVIEW"),
    )
    assert run(VETO, ctx) == []


def test_unreachable_board_beside_working_one_is_inconclusive() -> None:
    ctx = _ctx(_board(_msg(days_ago(20), days_ago(3))), _board(name="局长信箱", reachable=False))
    assert sev(run(VETO, ctx)) == ["inconclusive"]


# --------------------------------------------------------------------------- reply stale
def test_no_reply_in_two_months_is_deducted() -> None:
    found = run(STALE, _ctx(_board(_msg(date(2024, 12, 20), date(2024, 12, 31)))))  # T-2m = 2025-01-01
    assert sev(found) == ["deduct"] and "最近答复日期 2024-12-31" in found[0].evidence


def test_reply_exactly_two_months_ago_is_fresh() -> None:
    assert run(STALE, _ctx(_board(_msg(date(2024, 12, 20), date(2025, 1, 1))))) == []


def test_board_without_any_message_is_deducted() -> None:
    found = run(STALE, _ctx(_board()))
    assert sev(found) == ["deduct"] and "未发现任何留言" in found[0].evidence


def test_reply_stale_not_repeated_when_vetoed_for_late_replies() -> None:
    ctx = _ctx(_board(_msg(date(2024, 6, 10), date(2024, 12, 1))))
    assert sev(run(VETO, ctx)) == ["veto"]
    assert run(STALE, ctx) == []


def test_reply_stale_needs_a_board() -> None:
    assert run(STALE, _ctx()) == []
    assert sev(run(STALE, _ctx(columns=[column("领导信箱", "CONSULT")]))) == ["inconclusive"]


def test_row_without_any_reply_information_is_not_a_late_reply() -> None:
    # a list row that shows only an ask date says nothing about the reply: no veto on it
    unknown = _msg(days_ago(200), reply_known=False)
    assert run(VETO, _ctx(_board(unknown))) == []
    assert sev(run(VETO, _ctx(_board(_msg(days_ago(200)))))) == ["veto"]
