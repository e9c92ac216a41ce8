"""Self-inspection report of one unit (自查报告), like the Sichuan DRC 2023 Q1 report.

For the unit that owns a target: what its websites published in the quarter up to the
monitoring point (items by column class: 政务动态, 通知公告, 政策文件, 政策解读 …), messages
received and answered (with the average reply time), its new-media accounts and their posts,
then the problems found under the rule set and the next steps (editable template text).
Counts come from the stored snapshots of the run, re-extracted: nothing is fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from statistics import mean

from xuncha.checks.base import title_of
from xuncha.model import Verdict
from xuncha.registry import KIND_LABELS
from xuncha.report.data import owner_verdicts
from xuncha.settings import TZ
from xuncha.store import Store

CLASS_LABELS = {
    "NEWS": "政务动态", "NOTICE": "通知公告", "POLICY": "政策文件", "INTERPRET": "政策解读",
    "DATA": "数据发布", "PERIODIC": "规划计划、人事等", "SPECIAL": "专题专栏", "OPEN_CATALOG": "信息公开目录",
}
NEXT_STEPS = (
    "（一）压实主体责任。严格落实信息发布“三审三校”制度，对自查发现的问题逐条整改，整改情况及时报送。",
    "（二）加强内容保障。围绕中心工作及时发布政务动态、政策文件和解读材料，确保首页和各栏目按时更新，杜绝空白栏目。",
    "（三）做好互动回应。对网民留言按时办理答复，对“我为政府网站找错”留言按期办结。",
    "（四）规范政务新媒体管理。确保账号两周内有更新，按要求完成重要信息转载任务，账号变更及时备案。",
)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_label(day: date) -> str:
    return f"{day.year}年第{'一二三四'[(day.month - 1) // 3]}季度"


@dataclass
class SiteStats:
    verdict: Verdict
    items: int = 0  # distinct dated items published in the period
    by_class: dict[str, int] = field(default_factory=dict)
    messages: int = 0  # messages asked in the period
    replied: int = 0
    reply_days: float | None = None  # average days from ask to reply (replied in the period)
    collected: bool = True


@dataclass
class AccountStats:
    verdict: Verdict
    posts: int = 0
    originals: int = 0
    latest: datetime | None = None
    collected: bool = True


@dataclass
class SelfReportData:
    owner: str
    as_of: datetime
    period: tuple[date, date]
    sites: list[SiteStats]
    accounts: list[AccountStats]

    @property
    def verdicts(self) -> list[Verdict]:
        return [s.verdict for s in self.sites] + [a.verdict for a in self.accounts]


def _site_stats(store: Store, run_id: int, v: Verdict, start: date, end: date) -> SiteStats:
    from xuncha.extract.site import extract_site

    st = SiteStats(v)
    try:
        snap = store.load_snapshot(run_id, v.target.id)
    except Exception:  # noqa: BLE001 - a target without a stored snapshot is reported as such
        st.collected = False
        return st
    site = extract_site(snap, end)
    seen: dict[str, str] = {}
    for col in site.columns:
        for item in col.items:
            if item.date and start <= item.date <= end and item.url not in seen:
                seen[item.url] = col.cls
    for cls in seen.values():
        label = CLASS_LABELS.get(cls, "其他")
        st.by_class[label] = st.by_class.get(label, 0) + 1
    st.items = len(seen)
    waits = []
    for board in site.boards:
        for m in board.messages:
            if m.ask_date and start <= m.ask_date <= end:
                st.messages += 1
                if m.replied:
                    st.replied += 1
                    if m.reply_date:
                        waits.append((m.reply_date - m.ask_date).days)
    st.reply_days = round(mean(waits), 1) if waits else None
    return st


def _account_stats(store: Store, run_id: int, v: Verdict, start: date, end: date) -> AccountStats:
    st = AccountStats(v)
    try:
        acct = store.load_account_snapshot(run_id, v.target.id)
    except Exception:  # noqa: BLE001
        st.collected = False
        return st
    posts = [p for p in acct.posts if p.published_at and not p.deleted
             and start <= p.published_at.astimezone(TZ).date() <= end]
    st.posts = len(posts)
    st.originals = sum(1 for p in posts if p.kind != "repost")
    st.latest = max((p.published_at for p in posts if p.published_at), default=None)
    return st


def gather(store: Store, run_id: int, verdicts: list[Verdict], owner: str, as_of: datetime) -> SelfReportData:
    mine = owner_verdicts(verdicts, owner, run_id)
    end = as_of.astimezone(TZ).date()
    start = quarter_start(end)
    sites = [_site_stats(store, run_id, v, start, end) for v in mine if v.target.kind == "website"]
    accounts = [_account_stats(store, run_id, v, start, end) for v in mine if v.target.kind != "website"]
    return SelfReportData(owner, as_of, (start, end), sites, accounts)


# --------------------------------------------------------------------------- text
def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def overview_paragraphs(data: SelfReportData) -> list[str]:
    start, end = data.period
    out = []
    n_items = sum(s.items for s in data.sites)
    if data.sites:
        parts = {}
        for s in data.sites:
            for k, n in s.by_class.items():
                parts[k] = parts.get(k, 0) + n
        detail = "，其中" + "、".join(f"{k}{n}条" for k, n in sorted(parts.items(), key=lambda kv: -kv[1])) if parts else ""
        out.append(
            f"{_cn(start)}至{_cn(end)}，本单位共运维政府网站{len(data.sites)}个，"
            f"发布信息{n_items}条{detail}。"
        )
        msgs = sum(s.messages for s in data.sites)
        replied = sum(s.replied for s in data.sites)
        waits = [s.reply_days for s in data.sites if s.reply_days is not None]
        if msgs:
            avg = f"，平均答复用时{mean(waits):.1f}天" if waits else ""
            out.append(f"网站共收到网民留言{msgs}条，已答复{replied}条{avg}。")
        else:
            out.append("本季度网站互动栏目未采集到新的网民留言。")
        not_collected = [s.verdict.target.name for s in data.sites if not s.collected]
        if not_collected:
            out.append(f"{'、'.join(not_collected)}本次未能采集，相关数量未计入。")
    if data.accounts:
        posts = sum(a.posts for a in data.accounts)
        originals = sum(a.originals for a in data.accounts)
        platforms = sorted({KIND_LABELS.get(a.verdict.target.kind, a.verdict.target.kind) for a in data.accounts})
        out.append(
            f"本单位共开设政务新媒体账号{len(data.accounts)}个（{'、'.join(platforms)}），"
            f"本季度共发布信息{posts}条，其中原创{originals}条。"
        )
    return out


def problem_paragraphs(data: SelfReportData) -> list[str]:
    out = []
    for v in data.verdicts:
        name = v.target.name
        if not v.inspected:
            out.append(f"{name}：{v.skipped_reason or '本次未纳入检查'}。")
            continue
        lines = []
        for code in v.veto_codes:
            f = next(f for f in v.problems if f.code == code)
            lines.append(f"{title_of(code)}（单项否决）：{f.evidence}")
        for d in v.deductions:
            lines.append(f"{d.title}{d.instances}处（扣{d.points:g}分）：{d.findings[0].evidence if d.findings else ''}")
        for f in v.pending:
            lines.append(f"{title_of(f.code)}（疑似，待人工核实）：{f.evidence}")
        score = f"，得分{v.score:g}分" if v.score is not None else ""
        head = f"{name}：检查结果为{v.verdict}{score}"
        out.append(head + ("。存在问题：" + "；".join(lines) + "。" if lines else "，未发现问题。"))
    return out


def write_self_report(data: SelfReportData, out: Path, *, next_steps: tuple[str, ...] = NEXT_STEPS) -> Path:
    """Write the unit's 自查报告 .docx and return its path."""
    from xuncha.report.circular import OfficialDoc

    doc = OfficialDoc()
    q = quarter_label(data.period[1])
    doc.title(f"{data.owner}{q}政府网站和政务新媒体自查情况报告")
    doc.para(f"按照政府网站和政务新媒体检查工作要求，{data.owner}对本单位政府网站和政务新媒体开展了{q}自查，现将有关情况报告如下。")
    doc.heading("一、基本情况")
    for text in overview_paragraphs(data):
        doc.para(text)
    rows = []
    for s in data.sites:
        rows.append([s.verdict.target.name, "网站", str(s.items) if s.collected else "未采集",
                     f"{s.replied}/{s.messages}" if s.messages else "—", s.verdict.verdict])
    for a in data.accounts:
        t = a.verdict.target
        rows.append([t.name, KIND_LABELS.get(t.kind, t.kind), str(a.posts) if a.collected else "未采集", "—",
                     a.verdict.verdict])
    if rows:
        doc.table(["名称", "类型", "本季度发布（条）", "留言答复（已答/收到）", "检查结果"], rows, [5.5, 2.0, 2.8, 3.2, 2.0])
    doc.heading("二、存在的问题")
    for text in problem_paragraphs(data):
        doc.para(text)
    doc.heading("三、下一步工作")
    for text in next_steps:
        doc.para(text)
    doc.blank()
    doc.right(data.owner)
    doc.right(_cn(datetime.now(TZ).date()))
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    return out
