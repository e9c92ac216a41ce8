"""Interaction: 互动回应差 (W.VETO.INTERACTION) and 咨询答复不及时 (W.INT.REPLY_STALE).

Only 政务咨询类 channels count (class CONSULT: 领导信箱、在线咨询、留言板 …); 网上信访 and
纪检举报 (EXCLUDE), 调查征集 (SURVEY) and 在线访谈 (INTERVIEW) do not (indicators.md §1, §5).
Waiting time is measured in calendar months: a message waited "more than 3 months" when its
reply date (or, unanswered, the monitoring point) is later than ask date + 3 months.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from xuncha.checks.availability import home_problem
from xuncha.checks.base import CheckContext, check
from xuncha.checks.updates import Window, as_date, months_after, months_before
from xuncha.model import Column, Finding, Message, MessageBoard

CONSULT = "CONSULT"
MAX_LISTED = 3


def consult_boards(ctx: CheckContext) -> list[MessageBoard]:
    return [b for b in ctx.site.boards if b.cls == CONSULT]


def consult_columns(ctx: CheckContext) -> list[Column]:
    return [c for c in ctx.site.columns if c.cls == CONSULT]


@dataclass(frozen=True)
class OverdueMessage:
    """A consultation message that waited more than the allowed months for its reply."""

    board: MessageBoard
    message: Message
    ask: date
    deadline: date
    reply: date | None  # None: still unanswered at the monitoring point

    def describe(self, today: date, months: int) -> str:
        m = self.message
        if self.reply is not None:
            text = (
                f"留言「{m.title}」于 {self.ask.isoformat()} 提交，{self.reply.isoformat()} 才答复，"
                f"等待超过{months}个月"
            )
        else:
            text = (
                f"留言「{m.title}」于 {self.ask.isoformat()} 提交，至巡查时点仍未答复"
                f"（已等待{(today - self.ask).days}天，超过{months}个月）"
            )
        if m.ask_date_guessed:
            text += "（无明确留言日期，以最早显示日期计）"
        return text

    def as_detail(self) -> dict[str, object]:
        return {
            "board": self.board.name,
            "title": self.message.title,
            "url": self.message.url,
            "ask_date": self.ask.isoformat(),
            "reply_date": self.reply.isoformat() if self.reply else None,
            "deadline": self.deadline.isoformat(),
            "ask_date_guessed": self.message.ask_date_guessed,
        }


def overdue_messages(ctx: CheckContext, board: MessageBoard) -> list[OverdueMessage]:
    """Messages asked in the year before T that waited more than ``consult_reply_months``."""
    th = ctx.thresholds
    today = ctx.today
    window = Window(months_before(today, th.consult_window_months), today, "")
    out: list[OverdueMessage] = []
    for m in board.messages:
        ask = as_date(m.ask_date)
        if ask is None or not window.contains(ask):
            continue
        deadline = months_after(ask, th.consult_reply_months)
        reply = as_date(m.reply_date)
        if reply is not None:
            if reply > deadline:
                out.append(OverdueMessage(board, m, ask, deadline, reply))
        elif not m.replied and m.reply_known and today > deadline:
            out.append(OverdueMessage(board, m, ask, deadline, None))
    return out


@check(
    "W.VETO.INTERACTION",
    title="互动回应差",
    family="interaction",
    indicator="国办秘函〔2019〕19号 单项否决：互动回应差",
)
def interaction_poor(ctx: CheckContext) -> Iterator[Finding]:
    """W.VETO.INTERACTION — 互动回应差（单项否决）.

    What: (a) the site offers no effective online consultation/suggestion channel (no CONSULT
    board or column; 网上信访 and 纪检举报 do not count) ⇒ veto; (b) a 政务咨询类 board has a
    message asked in the year before the monitoring point that waited more than 3 months
    (reply date − ask date > 3 months, or unanswered and T − ask date > 3 months) ⇒ veto, one
    finding per board naming the messages. Boards that could not be read are inconclusive.
    Why: 国办秘函〔2019〕19号 单项否决指标「互动回应差」: 未提供有效的互动功能，或1年内留言超过3个月
    未回应 (indicators.md §1).
    Example: 市长信箱 message asked 2024-06-10, answered 2024-09-11 ⇒ veto
    "「市长信箱」留言「…」于 2024-06-10 提交，2024-09-11 才答复，等待超过3个月".
    """
    code = "W.VETO.INTERACTION"
    url = ctx.snapshot.home_url
    boards = consult_boards(ctx)
    columns = consult_columns(ctx)
    reachable = [b for b in boards if b.reachable] + [c for c in columns if c.reachable]
    if not reachable:
        if boards or columns:
            names = "、".join(f"「{x.name}」" for x in [*boards, *columns][:5])
            yield ctx.finding(
                code,
                "inconclusive",
                url,
                f"咨询渠道{names}页面无法访问，无法判断是否有效",
                reason="channel_unreachable",
            )
            return
        problem = home_problem(ctx)
        if problem:
            yield ctx.finding(
                code, "inconclusive", url, f"{problem}，无法检查互动渠道", reason="home_unavailable"
            )
            return
        others = [b.name for b in ctx.site.boards if b.cls != CONSULT]
        others += [c.name for c in ctx.site.columns if c.cls == "EXCLUDE"]
        note = ""
        if others:
            note = "；现有「" + "」「".join(dict.fromkeys(others[:5])) + "」不属于政务咨询类渠道"
        if ctx.snapshot.budget_exhausted:
            note += "；注意：本次抓取预算已用尽"
        yield ctx.finding(
            code,
            "veto",
            url,
            f"网站未提供有效的在线咨询建言渠道（如领导信箱、在线咨询、留言板）{note}",
            reason="no_channel",
            other_channels=others,
        )
        return
    months = ctx.thresholds.consult_reply_months
    for board in boards:
        if not board.reachable:
            yield ctx.finding(
                code,
                "inconclusive",
                board.url or url,
                f"咨询栏目「{board.name}」无法访问，未能检查留言答复时间",
                reason="board_unreachable",
                board=board.name,
            )
            continue
        late = overdue_messages(ctx, board)
        if not late:
            continue
        shown = "；".join(o.describe(ctx.today, months) for o in late[:MAX_LISTED])
        more = f"；共 {len(late)} 条" if len(late) > MAX_LISTED else ""
        yield ctx.finding(
            code,
            "veto",
            board.url or url,
            f"「{board.name}」{shown}{more}",
            reason="late_reply",
            board=board.name,
            count=len(late),
            messages=[o.as_detail() for o in late[:20]],
        )


@check(
    "W.INT.REPLY_STALE",
    title="咨询答复不及时",
    family="interaction",
    indicator="国办秘函〔2019〕19号 扣分指标·互动交流：咨询建言（近2个月无答复）",
)
def replies_stale(ctx: CheckContext) -> Iterator[Finding]:
    """W.INT.REPLY_STALE — 咨询建言栏目近2个月无答复（扣分）.

    What: the 政务咨询类 boards exist and could be read, but none of them shows a reply dated in
    the 2 months before the monitoring point (undated replies do not count). Not emitted when
    W.VETO.INTERACTION already vetoes the late replies. CONSULT columns whose messages could not
    be read are inconclusive.
    Why: 国办秘函〔2019〕19号 扣分指标·互动交流「咨询建言」: 近2个月无答复扣3分 (indicators.md §2.2).
    Example: 市长信箱 last reply 2024-12-20 as of 2025-03-01 ⇒ deduct
    "咨询类栏目近2个月（2025-01-01 至 2025-03-01）无答复：最近答复日期 2024-12-20".
    """
    code = "W.INT.REPLY_STALE"
    url = ctx.snapshot.home_url
    boards = [b for b in consult_boards(ctx) if b.reachable]
    if not boards:
        if consult_columns(ctx) and not consult_boards(ctx):
            yield ctx.finding(
                code, "inconclusive", url, "有咨询类栏目，但未能识别其留言及答复列表", reason="no_board"
            )
        return
    today = ctx.today
    window = Window(months_before(today, ctx.thresholds.reply_stale_months), today, "")
    replies: list[date] = []
    for b in boards:
        for m in b.messages:
            d = as_date(m.reply_date)
            if d is not None and d <= today:
                replies.append(d)
    if any(window.contains(d) for d in replies):
        return
    if any(overdue_messages(ctx, b) for b in boards):
        return  # the same slow answering is already a veto
    names = "、".join(f"「{b.name}」" for b in boards[:5])
    period = f"近{ctx.thresholds.reply_stale_months}个月（{window.start.isoformat()} 至 {today.isoformat()}）"
    if replies:
        last = f"最近答复日期 {max(replies).isoformat()}"
    elif any(b.messages for b in boards):
        last = "未发现带日期的答复"
    else:
        last = "未发现任何留言"
    yield ctx.finding(
        code,
        "deduct",
        boards[0].url or url,
        f"咨询类栏目{names}{period}无答复：{last}",
        boards=[b.name for b in boards],
        last_reply=max(replies).isoformat() if replies else None,
        window_start=window.start.isoformat(),
    )
