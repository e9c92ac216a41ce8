"""The check registry: one function per finding code (like a lint rule), pure and offline.

A check receives a :class:`CheckContext` (target, snapshot, extracted structure, as-of time,
thresholds, stored probe history) and yields :class:`Finding` objects. Checks never fetch.

    @check("W.VETO.HOME_STALE", title="首页不更新", family="updates",
           indicator="国办秘函〔2019〕19号 单项否决指标：首页不更新")
    def home_not_updated(ctx: CheckContext) -> Iterator[Finding]:
        '''What / why / example.'''
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from xuncha.model import AccountSnapshot, Finding, Probe, SiteSnapshot, SiteStructure, Target
from xuncha.settings import TZ, Thresholds

CheckFunc = Callable[["CheckContext"], Iterable[Finding]]


@dataclass(frozen=True)
class CheckSpec:
    code: str
    title: str  # Chinese indicator name, e.g. 首页不更新
    family: str  # availability, updates, links, identity, tech, interaction, service, registry
    indicator: str  # which document / clause it enforces
    func: CheckFunc
    kinds: tuple[str, ...] = ("website",)

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip()


REGISTRY: dict[str, CheckSpec] = {}


def check(
    code: str,
    *,
    title: str,
    family: str,
    indicator: str,
    kinds: tuple[str, ...] = ("website",),
) -> Callable[[CheckFunc], CheckFunc]:
    """Register a check function under its finding code (one code, one function)."""

    def deco(func: CheckFunc) -> CheckFunc:
        if code in REGISTRY:
            raise ValueError(f"duplicate check code {code}")
        REGISTRY[code] = CheckSpec(code, title, family, indicator, func, kinds)
        return func

    return deco


@dataclass
class CheckContext:
    """What a check sees. Website checks read ``snapshot``/``site``; account checks (targets of
    kind wechat, weibo, douyin, toutiao, app, miniprogram, other) read ``account`` and the
    ``peers`` (every account of the run, for duplicate detection) and ``repost_tasks``."""

    target: Target
    snapshot: SiteSnapshot | None
    site: SiteStructure | None
    as_of: datetime  # aware, Asia/Shanghai
    thresholds: Thresholds = field(default_factory=Thresholds)
    probe_history: list[Probe] = field(default_factory=list)  # stored probes (xuncha monitor)
    # Fingerprint of the key pages in the previous run of this target (W.VETO.SECURITY tampering)
    baseline: dict[str, object] | None = None
    account: AccountSnapshot | None = None
    peers: list[Target] = field(default_factory=list)  # every target of the registry
    repost_tasks: list[dict[str, object]] = field(default_factory=list)  # {title, url, deadline, targets}

    @property
    def target_url(self) -> str:
        """Where a target-level finding points: the crawled home URL, else the registry URL,
        else the account's collection source."""
        if self.snapshot is not None:
            return self.snapshot.home_url
        return self.target.url or (self.account.source if self.account is not None else "")

    @property
    def today(self) -> date:
        return self.as_of.astimezone(TZ).date()

    def finding(
        self,
        code: str,
        severity: str,
        url: str,
        evidence: str,
        *,
        needs_confirmation: bool = False,
        **detail: object,
    ) -> Finding:
        return Finding(
            target_id=self.target.id,
            code=code,
            severity=severity,
            url=url,
            evidence=evidence,
            detected_at=self.as_of,
            detail=dict(detail),
            needs_confirmation=needs_confirmation,
        )


# Chinese titles of the spec's codes that no check produces (entered by inspectors, or scored
# from rule sets before their check exists), so that reports never print a bare code.
SPEC_TITLES = {
    "W.VETO.FRAUD": "弄虚作假", "W.VETO.OPINION": "引发严重负面舆情", "M.VETO.FRAUD": "弄虚作假",
    "M.VETO.OPINION": "引发严重负面舆情", "W.PUB.OVERVIEW": "概况信息", "W.PUB.OPEN_CATALOG": "信息公开目录",
    "W.PUB.INTERPRET": "政策解读", "W.PUB.RESPONSE": "回应关切", "W.PUB.DATA": "数据发布",
    "W.PUB.SPECIAL": "专题专栏", "W.REPOST.MISSING": "重要信息未按时转载", "W.SVC.ONLINE": "在线办事系统不可用",
    "W.SVC.STATS": "办事统计数据未更新", "W.INT.STATS": "留言受理反馈统计未公开", "W.INT.REPLY_QUALITY": "答复质量差",
    "W.INT.SURVEY": "征集调查", "W.INT.INTERVIEW": "在线访谈", "W.INT.SIM_CONSULT": "模拟咨询答复不及时",
    "W.TECH.META": "网页元数据不规范", "W.TECH.MOBILE": "无移动版", "M.CONTENT.IRRELEVANT": "内容与职能无关",
    "M.REGISTRY.UNFILED": "未备案账号", "M.ID.UNVERIFIED": "账号未认证", "M.TECH.IPV6": "移动客户端IPv6支持",
    "W.BONUS.PUB": "加分：信息发布", "W.BONUS.SVC": "加分：办事服务", "W.BONUS.INT": "加分：互动交流",
    "W.BONUS.DESIGN": "加分：功能设计", "W.BONUS.INNOVATION": "加分：创新发展",
}


def title_of(code: str) -> str:
    """The Chinese indicator title of a code (the check's, else the spec's, else the code)."""
    import xuncha.checks  # noqa: F401 - registers every check family

    spec = REGISTRY.get(code)
    return spec.title if spec is not None else SPEC_TITLES.get(code, code)


def family_of(code: str) -> str:
    import xuncha.checks  # noqa: F401

    spec = REGISTRY.get(code)
    return spec.family if spec is not None else "other"


Guard = Callable[[CheckContext, str], Finding | None]


def guarded(guard: Guard) -> Callable[[CheckFunc], CheckFunc]:
    """A check that judges only usable data: ``guard(ctx, code)`` returns one inconclusive
    finding saying why the data cannot be judged (home page not fetched, account collection
    blocked …) or None. Apply it under ``@check``: the code is the one the check registers."""

    def deco(func: CheckFunc) -> CheckFunc:
        @functools.wraps(func)
        def run(ctx: CheckContext) -> Iterator[Finding]:
            bad = guard(ctx, code_of(run))
            if bad is not None:
                yield bad
                return
            yield from func(ctx)

        return run

    return deco


@functools.cache
def code_of(func: CheckFunc) -> str:
    """The code a check function is registered under."""
    return next(code for code, spec in REGISTRY.items() if spec.func is func)


def run_checks(ctx: CheckContext, codes: Iterable[str] | None = None) -> list[Finding]:
    """Run every registered check that applies to the target's kind.

    A check that raises never stops the inspection: it becomes an ``inconclusive`` finding
    under its own code naming the error, so the rest of the target is still judged.
    """
    wanted = set(codes) if codes is not None else None
    out: list[Finding] = []
    for spec in REGISTRY.values():
        if wanted is not None and spec.code not in wanted:
            continue
        if ctx.target.kind not in spec.kinds:
            continue
        try:
            out.extend(spec.func(ctx))
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
            tb = traceback.extract_tb(exc.__traceback__)[-1]
            out.append(
                ctx.finding(
                    spec.code,
                    "inconclusive",
                    ctx.target_url,
                    f"检查程序出错，无法判断：{type(exc).__name__}: {exc}",
                    error=f"{tb.filename}:{tb.lineno}",
                )
            )
    return out


def early_warnings(
    ctx: CheckContext, findings: list[Finding], warnings: Iterable[tuple[str, str, dict[str, object]]]
) -> list[Finding]:
    """Early warnings below the veto lines (rule set ``warnings``: name, code, thresholds).

    The check of ``code`` runs again with the warning thresholds (e.g. home page 10 days
    instead of 14). What it would then veto or deduct — when the real run did not veto under
    that code and could judge it — becomes one advisory finding with ``detail["warning"]``,
    "预警（name）：…". Warnings never score; they tell a unit to act before the quarter's check.
    """
    settled = {f.code for f in findings if f.severity in ("veto", "inconclusive")}
    out: list[Finding] = []
    for name, code, overrides in warnings:
        spec = REGISTRY.get(code)
        if spec is None or code in settled or ctx.target.kind not in spec.kinds:
            continue
        wctx = replace(ctx, thresholds=replace(ctx.thresholds, **overrides))
        hit = next((f for f in run_checks(wctx, [code]) if f.severity in ("veto", "deduct")), None)
        if hit is not None:
            out.append(replace(
                hit, severity="advisory", needs_confirmation=False,
                evidence=f"预警（{name}）：{hit.evidence}", detail={**hit.detail, "warning": name},
            ))
    return out
