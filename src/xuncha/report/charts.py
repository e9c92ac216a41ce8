"""Charts for circulars: PNG files drawn with matplotlib (Agg), Chinese labels, values on bars.

Every function returns the written path, or ``None`` when the report has no data for the chart
(the circular then simply leaves the figure out).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from xuncha.scoring.aggregate import Rate, RunReport

DPI = 150
_PASS = "#2e7d32"
_FAIL = "#c62828"
_BAR = "#1565c0"


def _pyplot():
    """pyplot on the Agg backend, and the rc settings that draw Chinese with a CJK font."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot as plt

    from xuncha.report.fonts import register_cjk_font

    return plt, {"font.family": [register_cjk_font()], "axes.unicode_minus": False}


def region_rows(report: RunReport) -> list[Rate]:
    """The region slices a reader compares: the single root (it equals the total) is left out."""
    rows = [r for r in report.by_region if r.inspected]
    if not rows:
        return []
    top = min(r.level for r in rows)
    roots = [r for r in rows if r.level == top]
    if len(roots) == 1 and len(rows) > 1:
        rows = [r for r in rows if r is not roots[0]]
    return rows


def _save(fig, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI, facecolor="white")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path


def _hbar(labels: Sequence[str], values: Sequence[float], *, title: str, xlabel: str, texts: Sequence[str],
          colors: Sequence[str], path: Path, xmax: float | None = None) -> Path:
    """A horizontal bar chart, first label on top, each bar's text printed at its end."""
    plt, rc = _pyplot()
    with plt.rc_context(rc):
        return _draw_hbar(plt, labels, values, title=title, xlabel=xlabel, texts=texts, colors=colors,
                          path=path, xmax=xmax)


def _draw_hbar(plt, labels, values, *, title, xlabel, texts, colors, path, xmax) -> Path:
    height = max(2.6, 0.45 * len(labels) + 1.4)
    fig, ax = plt.subplots(figsize=(7.2, height))
    ys = list(range(len(labels)))[::-1]
    bars = ax.barh(ys, values, color=list(colors), height=0.6)
    ax.set_yticks(ys, labels=list(labels))
    top = xmax if xmax is not None else (max(values) if values else 1) or 1
    ax.set_xlim(0, top * 1.15)
    for bar, text in zip(bars, texts, strict=True):
        ax.text(bar.get_width() + top * 0.01, bar.get_y() + bar.get_height() / 2, text,
                va="center", ha="left", fontsize=9)
    if xmax == 100:
        ax.set_xticks(range(0, 101, 20))
    else:
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, fontsize=13)
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, path)


def pass_rate_by_region(report: RunReport, path: Path) -> Path | None:
    """合格率 by region (websites and media together); None when nothing was inspected."""
    rows = region_rows(report)
    if not rows:
        return None
    labels = [("  " * max(0, r.level - rows[0].level)) + r.label for r in rows]
    values = [r.rate * 100 for r in rows]
    texts = [f"{r.rate_text}（{r.inspected - r.failed}/{r.inspected}）" for r in rows]
    colors = [_PASS if r.failed == 0 else _FAIL for r in rows]
    return _hbar(labels, values, title="各地区政府网站和政务新媒体合格率", xlabel="合格率（%）",
                 texts=texts, colors=colors, path=path, xmax=100)


def pass_rate_by_platform(report: RunReport, path: Path) -> Path | None:
    """合格率 by platform (网站 first, then each new-media platform)."""
    from xuncha.registry import KIND_LABELS

    rows: list[tuple[str, float, str, bool]] = []
    if report.websites.inspected:
        w = report.websites
        rows.append(("政府网站", w.rate * 100, f"{w.rate_text}（{w.inspected - w.failed}/{w.inspected}）", w.failed == 0))
    for r in report.by_platform:
        if r.inspected:
            label = KIND_LABELS.get(r.key, r.label)
            rows.append((label, r.rate * 100, f"{r.rate_text}（{r.inspected - r.failed}/{r.inspected}）",
                         r.failed == 0))
    if not rows:
        return None
    return _hbar([r[0] for r in rows], [r[1] for r in rows], title="分类型合格率", xlabel="合格率（%）",
                 texts=[r[2] for r in rows], colors=[_PASS if r[3] else _FAIL for r in rows], path=path, xmax=100)


def problems_by_indicator(report: RunReport, path: Path, *, limit: int = 15) -> Path | None:
    """Number of targets with each problem (confirmed vetoes and deductions; pending left out)."""
    groups = [g for g in report.problems if g.kind != "pending" and g.verdicts]
    if not groups:
        return None
    groups = sorted(groups, key=lambda g: (-len(g.verdicts), g.kind != "veto", g.code))[:limit]
    labels = [g.title + ("（否决）" if g.kind == "veto" else "") for g in groups]
    values = [float(len(g.verdicts)) for g in groups]
    texts = [f"{len(g.verdicts)}个" for g in groups]
    colors = [_FAIL if g.kind == "veto" else _BAR for g in groups]
    return _hbar(labels, values, title="主要问题分布（涉及网站、账号数）", xlabel="涉及数量（个）",
                 texts=texts, colors=colors, path=path)


def write_charts(report: RunReport, folder: Path) -> dict[str, Path]:
    """All charts of a circular into ``folder``: name → path, charts without data left out."""
    folder = Path(folder)
    made = {
        "region": pass_rate_by_region(report, folder / "合格率-分地区.png"),
        "platform": pass_rate_by_platform(report, folder / "合格率-分类型.png"),
        "problems": problems_by_indicator(report, folder / "问题分布.png"),
    }
    return {k: v for k, v in made.items() if v is not None}
