"""Services: 服务不实用 (W.VETO.SERVICE) and 办事指南要素缺失 (W.SVC.GUIDE).

A guide is judged over the 10 key element categories of indicators.md §6 (``GUIDE_CATEGORIES``).
Guides that link out to the provincial 政务服务网 are judged on the linked page; a dead link-out
counts as all 10 categories missing. A guide page on the site itself that could not be read is
left out (its link is a W.LINK.* matter). Targets flagged ``no_service_function`` (State Council
departments without external services) are not checked at all (§2.1 rule 5).
"""

from __future__ import annotations

from collections.abc import Iterator

from xuncha.checks.availability import home_problem
from xuncha.checks.base import CheckContext, check
from xuncha.model import GUIDE_CATEGORIES, Finding, ServiceGuide

NO_SERVICE_FLAG = "no_service_function"


def guide_missing(guide: ServiceGuide) -> list[str]:
    """Missing categories; a dead link-out lacks all ten."""
    if guide.link_out and not guide.reachable:
        return list(GUIDE_CATEGORIES)
    return guide.missing


def judged_guides(guides: list[ServiceGuide]) -> list[ServiceGuide]:
    """Guides we can judge: readable ones and every link-out (dead ones count as empty)."""
    return [g for g in guides if g.reachable or g.link_out]


def bad_guides(ctx: CheckContext) -> tuple[list[ServiceGuide], list[ServiceGuide], bool]:
    """(judged guides, guides lacking ≥ N categories, veto under clause (b))."""
    th = ctx.thresholds
    judged = judged_guides(ctx.site.guides)
    bad = [g for g in judged if len(guide_missing(g)) >= th.guide_missing_categories]
    vetoed = len(bad) >= th.guide_bad_items_veto or (
        0 < len(judged) < th.guide_bad_items_veto and len(bad) == len(judged)
    )
    return judged, bad, vetoed


def _guide_text(g: ServiceGuide) -> str:
    missing = guide_missing(g)
    if g.link_out and not g.reachable:
        return f"办事指南「{g.title}」外链（{g.url}）无法访问，视为缺少全部10类要素"
    return f"办事指南「{g.title}」缺少 {len(missing)} 类要素：{'、'.join(missing)}"


@check(
    "W.VETO.SERVICE",
    title="服务不实用",
    family="service",
    indicator="国办秘函〔2019〕19号 单项否决：服务不实用",
)
def service_not_practical(ctx: CheckContext) -> Iterator[Finding]:
    """W.VETO.SERVICE — 服务不实用（单项否决）.

    What: (a) no 办事指南 and no entry to the 政务服务 platform ⇒ veto; (b) M = guides lacking
    ≥ 4 of the 10 key element categories: veto when M ≥ 5, or, with fewer than 5 guides in all,
    when every guide lacks ≥ 4. Skipped for targets flagged ``no_service_function``.
    Why: 国办秘函〔2019〕19号 单项否决指标「服务不实用」: 未提供办事服务，或办事指南要素缺失
    (事项名称、设定依据、申请条件、办理材料、办理地点、办理机构、收费标准、办理时间、联系电话、
    办理流程中缺少4类及以上) 的事项数量超过（含）5个 (indicators.md §1, §6).
    Example: 5 guides each missing 设定依据、收费标准、办理时间、联系电话 ⇒ veto "5 个办事事项的
    办事指南缺少4类及以上要素：…".
    """
    code = "W.VETO.SERVICE"
    if NO_SERVICE_FLAG in ctx.target.flags:
        return
    url = ctx.snapshot.home_url
    site = ctx.site
    if not site.guides and not site.service_entry_urls:
        problem = home_problem(ctx)
        if problem:
            yield ctx.finding(
                code, "inconclusive", url, f"{problem}，无法检查办事服务", reason="home_unavailable"
            )
            return
        service_cols = [c for c in site.columns if c.cls == "SERVICE" and c.items]
        if service_cols:
            names = "、".join(f"「{c.name}」" for c in service_cols[:5])
            yield ctx.finding(
                code,
                "inconclusive",
                url,
                f"办事服务栏目{names}有内容，但未识别出办事指南，需人工核对",
                reason="guides_not_recognised",
            )
            return
        yield ctx.finding(
            code, "veto", url, "网站未提供办事服务（无办事指南，也无政务服务平台入口）", reason="no_service"
        )
        return
    judged, bad, vetoed = bad_guides(ctx)
    if site.guides and not judged:
        yield ctx.finding(
            code,
            "inconclusive",
            url,
            f"{len(site.guides)} 个办事指南页面均无法访问，无法判断要素完整性",
            reason="guides_unreachable",
        )
        return
    if not vetoed:
        return
    n = ctx.thresholds.guide_missing_categories
    shown = "；".join(_guide_text(g) for g in bad[:5])
    more = f"；等共 {len(bad)} 个" if len(bad) > 5 else ""
    scope = (
        ""
        if len(bad) >= ctx.thresholds.guide_bad_items_veto
        else f"（网站共 {len(judged)} 个事项，均缺少{n}类及以上要素）"
    )
    yield ctx.finding(
        code,
        "veto",
        url,
        f"{len(bad)} 个办事事项的办事指南缺少{n}类及以上要素{scope}：{shown}{more}",
        reason="incomplete_guides",
        count=len(bad),
        total=len(judged),
        guides=[{"title": g.title, "url": g.url, "missing": guide_missing(g)} for g in bad],
    )


@check(
    "W.SVC.GUIDE",
    title="办事指南要素缺失",
    family="service",
    indicator="国办秘函〔2019〕19号 扣分指标·办事服务：办事指南要素",
)
def guide_incomplete(ctx: CheckContext) -> Iterator[Finding]:
    """W.SVC.GUIDE — 办事指南要素缺失（每个事项扣分）.

    What: one deduction per guide missing 1–3 of the 10 key element categories, naming them.
    Guides missing 4 or more are deducted here too while they stay below the 服务不实用 veto
    level; once that veto applies they are counted there only. Skipped for targets flagged
    ``no_service_function``.
    Why: 国办秘函〔2019〕19号 扣分指标·办事服务: 办事指南要素不完整、不准确 (indicators.md §2.2, §6).
    Example: guide 「个体工商户登记」 without 收费标准 and 办理时间 ⇒ deduct
    "办事指南「个体工商户登记」缺少 2 类要素：收费标准、办理时间".
    """
    code = "W.SVC.GUIDE"
    if NO_SERVICE_FLAG in ctx.target.flags:
        return
    judged, _bad, vetoed = bad_guides(ctx)
    n = ctx.thresholds.guide_missing_categories
    for g in judged:
        missing = guide_missing(g)
        if not missing or (vetoed and len(missing) >= n):
            continue
        yield ctx.finding(
            code,
            "deduct",
            g.url or ctx.snapshot.home_url,
            _guide_text(g),
            title=g.title,
            missing=missing,
            link_out=g.link_out,
        )
