"""Personal-data leaks in pages and attachments (W.PRIVACY.LEAK).

Evidence never contains a full leaked value: only masked values (5101**********1234,
138****1234) with the page, sheet/cell or page number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from xuncha.checks.base import CheckContext, check
from xuncha.model import Finding

if TYPE_CHECKING:
    from xuncha.checks.content import TextUnit

KIND_LABELS = {"id18": "身份证号", "id15": "身份证号（15位）", "mobile": "手机号", "bank_card": "银行卡号"}
MAX_EXAMPLES = 3


@check(
    "W.PRIVACY.LEAK",
    title="个人信息未脱敏",
    family="privacy",
    indicator="国办秘函〔2019〕19号 发布解读（个人信息保护）；2018年政务公开工作要点（去标识化）",
)
def personal_data_leak(ctx: CheckContext) -> Iterator[Finding]:
    """W.PRIVACY.LEAK — 个人信息未脱敏（扣分；规则集可按严重程度改为否决）.

    What: unmasked national ID numbers (18-digit with a valid ISO 7064 MOD 11-2 checksum, birth
    date and region; 15-digit legacy), mobile numbers (not order or document numbers), and bank
    card numbers (Luhn-valid, near bank words) in page text and in attachments (xlsx, xls, csv,
    docx, doc, pdf). One finding per page or attachment, with counts per kind and up to three
    masked examples with their location. Attachments that could not be read are inconclusive.
    Why: 国办秘函〔2019〕19号 counts leaks under 发布解读 deductions (veto when severe, 安全、泄密);
    since the 2018 政务公开工作要点, personal information outside punitive/mandatory disclosure must
    be de-identified; circulars name pages that publish unmasked ID numbers (indicators.md §1, §8).
    Example: 公示名单.xlsx 工作表「名单」C7 "51010119800101123X" ⇒
    "附件「公示名单.xlsx」含未脱敏个人信息：身份证号 12 处（如 工作表「名单」C7 5101**********123X）".
    """
    from xuncha.checks.content import site_units

    code = "W.PRIVACY.LEAK"
    for pt in ctx.site.texts:
        if pt.error and pt.source == "attachment":  # a cut file's text is still scanned below
            name = pt.title or pt.url.rsplit("/", 1)[-1]
            partly = "，仅检查了已读取的部分" if pt.segments else "，未能检查其中的个人信息"
            yield ctx.finding(
                code, "inconclusive", pt.url,
                f"附件「{name}」无法完整读取（{_error_label(pt.error)}）{partly}",
                error=pt.error, source_url=pt.source_url,
            )
    yield from pii_findings(ctx, code, site_units(ctx))


def pii_findings(ctx: CheckContext, code: str, units: list[TextUnit]) -> list[Finding]:
    """One finding per page, attachment or post with unmasked personal numbers: counts per kind
    and up to MAX_EXAMPLES masked examples with their location."""
    from xuncha.checks.content import by_group
    from xuncha.text.pii import find_pii_many

    found: list[Finding] = []
    for grp in by_group(units):
        counts: Counter[str] = Counter()
        examples: list[str] = []
        for u, hits in zip(grp, find_pii_many([u.text for u in grp]), strict=True):
            for hit in hits:
                counts[hit.kind] += 1
                if len(examples) < MAX_EXAMPLES:
                    examples.append(f"{u.location} {hit.masked}")
        if not counts:
            continue
        what = "、".join(f"{KIND_LABELS.get(k, k)} {n} 处" for k, n in counts.most_common())
        found.append(ctx.finding(
            code, "deduct", grp[0].url,
            f"{grp[0].group}含未脱敏个人信息：{what}（如 {'；'.join(examples)}）",
            counts=dict(counts), **grp[0].extra,
        ))
    return found


_ERRORS = {
    "zip_bomb": "压缩比异常，疑似压缩炸弹",
    "too_large": "文件过大",
    "encrypted": "文件已加密",
    "corrupt": "文件损坏",
    "unsupported": "格式不支持",
    "timeout": "解析超时",
    "no_text": "未提取到文字，可能为扫描件或图片，需人工核查",
    "crashed": "解析程序异常退出",
    "empty": "文件为空",
    "waf": "访问被拦截",
    "forbidden": "访问被拦截",
    "rate_limited": "访问被限流",
}


def _error_label(error: str) -> str:
    if error.startswith("http_"):
        return f"下载失败，HTTP {error[5:]}"
    return _ERRORS.get(error, error)
