"""Plain data of the workflow (cases, events, register entries) and the case state machine.

Imports nothing from the store, so the store's mixin can return these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from xuncha.errors import XunchaError


class WorkflowError(XunchaError):
    """A workflow action that cannot be done (unknown case, invalid transition, bad entry)."""


# --------------------------------------------------------------------------- case states
OPEN = "open"  # 待通知
NOTIFIED = "notified"  # 已通知
SUBMITTED = "submitted"  # 已提交整改
RECHECKING = "rechecking"  # 复查中
CLOSED = "closed"  # 已整改（关闭）
REOPENED = "reopened"  # 复查未通过（重新打开）

CASE_STATES: tuple[str, ...] = (OPEN, NOTIFIED, SUBMITTED, RECHECKING, CLOSED, REOPENED)
STATE_LABELS: dict[str, str] = {
    OPEN: "待通知",
    NOTIFIED: "已通知",
    SUBMITTED: "已提交整改",
    RECHECKING: "复查中",
    CLOSED: "已整改（关闭）",
    REOPENED: "复查未通过（重新打开）",
}
# Chinese names accepted wherever a state is given (CLI, web forms).
STATE_ALIASES: dict[str, str] = {
    **{s: s for s in CASE_STATES},
    **{v: k for k, v in STATE_LABELS.items()},
    "已整改": CLOSED, "已关闭": CLOSED, "复查未通过": REOPENED, "重新打开": REOPENED,
}

# Allowed transitions: from state → {to states}. "" is the creation of a case.
TRANSITIONS: dict[str, frozenset[str]] = {
    "": frozenset({OPEN}),
    OPEN: frozenset({NOTIFIED}),
    NOTIFIED: frozenset({SUBMITTED, RECHECKING}),
    SUBMITTED: frozenset({RECHECKING}),
    RECHECKING: frozenset({CLOSED, REOPENED, NOTIFIED, SUBMITTED}),  # last two: re-check inconclusive
    REOPENED: frozenset({NOTIFIED, SUBMITTED, RECHECKING}),
    CLOSED: frozenset(),
}
ACTION_LABELS: dict[str, str] = {
    OPEN: "立案", NOTIFIED: "下发整改通知", SUBMITTED: "提交整改情况", RECHECKING: "复查",
    CLOSED: "关闭（已整改）", REOPENED: "重新打开（复查未通过）",
}


def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state)


def parse_state(text: str) -> str:
    """A state id from an id or its Chinese label; WorkflowError listing the choices otherwise."""
    s = STATE_ALIASES.get(text.strip())
    if s is None:
        raise WorkflowError(f"整改状态「{text}」无效（可用：{'、'.join(STATE_LABELS.values())}）")
    return s


def check_transition(case_id: int, from_state: str, to_state: str) -> None:
    """Raise WorkflowError in Chinese when ``from_state`` → ``to_state`` is not allowed."""
    if to_state in TRANSITIONS.get(from_state, frozenset()):
        return
    action = ACTION_LABELS.get(to_state, to_state)
    if from_state == CLOSED:
        raise WorkflowError(f"整改事项 #{case_id} 已整改关闭，不能再{action}")
    allowed = "、".join(ACTION_LABELS[s] for s in sorted(TRANSITIONS.get(from_state, ()), key=CASE_STATES.index))
    raise WorkflowError(
        f"整改事项 #{case_id} 当前状态为「{state_label(from_state)}」，不能{action}"
        f"（当前可以：{allowed or '无'}）"
    )


@dataclass
class CaseEvent:
    """One entry of a case's audit trail."""

    case_id: int
    at: datetime
    by: str
    from_state: str
    to_state: str
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    id: int | None = None

    @property
    def label(self) -> str:
        return f"{state_label(self.from_state) or '—'} → {state_label(self.to_state)}"


@dataclass
class Case:
    """A rectification case: one problem (target + finding key) from notice to re-check."""

    id: int
    target_id: str
    target_kind: str
    target_name: str
    owner: str
    finding_key: str
    code: str
    severity: str
    url: str
    evidence: str
    state: str
    working_days: int
    opened_at: datetime
    opened_by: str
    due_on: date  # first deadline (on-time rates)
    deadline: date  # current deadline (moves on reopen)
    notified_on: date | None = None
    closed_at: datetime | None = None
    reopen_count: int = 0
    run_id: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    target: dict[str, Any] = field(default_factory=dict)  # model.Target as JSON

    @property
    def state_label(self) -> str:
        return state_label(self.state)

    @property
    def is_closed(self) -> bool:
        return self.state == CLOSED

    def overdue(self, today: date) -> bool:
        """Not closed and the current deadline has passed."""
        return not self.is_closed and self.deadline < today

    @property
    def closed_on_time(self) -> bool | None:
        """None while open; closed on or before the first deadline."""
        if self.closed_at is None:
            return None
        return self.closed_at.date() <= self.due_on


# --------------------------------------------------------------------------- registers
@dataclass
class ZhaocuoMessage:
    """One 我为政府网站找错 message."""

    msg_no: str
    site_name: str = ""
    site_code: str = ""
    unit: str = ""
    received_at: datetime | None = None  # 留言时间
    handed_over_at: datetime | None = None  # 转办时间
    accepted_at: datetime | None = None  # 受理时间
    replied_at: datetime | None = None  # 办结/答复时间
    content: str = ""
    status: str = ""
    source: str = ""
    id: int | None = None

    @property
    def unit_name(self) -> str:
        """The unit it is counted under: 主管/办理单位, else the site name, else the site code."""
        return self.unit or self.site_name or self.site_code or "（未知单位）"

    @property
    def start(self) -> datetime | None:
        """Deadlines run from the hand-over (转办), else from the message time."""
        return self.handed_over_at or self.received_at


@dataclass
class Consultation:
    """One simulated user consultation."""

    target_id: str
    question: str
    sent_at: datetime
    channel_url: str = ""
    target_name: str = ""
    owner: str = ""
    reply_at: datetime | None = None
    reply_text: str = ""
    evidence: list[str] = field(default_factory=list)
    by: str = ""
    id: int | None = None


class OnTimeRate:
    """按期率 of a dataclass with ``due`` and ``closed_on_time`` counts (cases, 找错 messages)."""

    due: int
    closed_on_time: int

    @property
    def rate(self) -> float | None:
        return self.closed_on_time / self.due if self.due else None

    @property
    def rate_text(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"
