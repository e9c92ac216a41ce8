import json
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from xuncha.model import Finding, Target, TargetResult
from xuncha.report import summary_markdown, totals, write_reports
from xuncha.settings import TZ

AS_OF = datetime(2025, 3, 20, 23, 59, 59, tzinfo=TZ)


def _t(i: str, name: str, status: str = "running") -> Target:
    return Target(i, "website", name, f"http://{i}.gov.cn/", owner=f"{name}办公室", region="示例省/青山市",
                  category="政府门户网站", status=status)


def _f(tid: str, code: str, sev: str, ev: str) -> Finding:
    return Finding(tid, code, sev, f"http://{tid}.gov.cn/", ev, AS_OF)


def _results() -> list[TargetResult]:
    return [
        TargetResult(_t("a", "甲市人民政府"), pages_crawled=40, findings=[
            _f("a", "W.VETO.HOME_STALE", "veto", "首页最新信息日期 2025-02-01，超过14天未更新"),
            _f("a", "W.LINK.BROKEN_HOME", "deduct", "「办事指南」链接返回 HTTP 404"),
        ]),
        TargetResult(_t("b", "乙区人民政府"), pages_crawled=30, findings=[
            _f("b", "W.LINK.BROKEN_OTHER", "deduct", "链接返回 HTTP 404"),
            _f("b", "W.LINK.BROKEN_HOME", "inconclusive", "站点拒绝访问（HTTP 403），无法判断"),
        ], inconclusive_reasons=["站点拒绝访问（HTTP 403），无法判断"]),
        TargetResult(_t("c", "丙县人民政府", "closed"), inspected=False, skipped_reason="名录状态为关停"),
    ]


def test_totals_count_only_inspected() -> None:
    t = totals(_results())
    assert (t.inspected, t.vetoed, t.passed, t.skipped, t.with_inconclusive) == (2, 1, 1, 1, 1)
    assert t.pass_rate == 0.5


def test_markdown_names_problems_and_targets() -> None:
    md = summary_markdown(_results(), as_of=AS_OF, run_id=7)
    assert "检查网站 2 个，存在单项否决问题 1 个，合格率 50.0%" in md
    assert "1. 甲市人民政府（甲市人民政府办公室）：首页不更新" in md
    assert "| 首页链接不可用 | `W.LINK.BROKEN_HOME` | 1 | 1 |" in md  # the inconclusive one is not counted
    assert "乙区人民政府：站点拒绝访问" in md and "丙县人民政府（c）：名录状态为关停" in md


def test_write_reports(tmp_path: Path) -> None:
    paths = write_reports(_results(), tmp_path, as_of=AS_OF, run_id=7)
    lines = [json.loads(x) for x in paths["findings"].read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 4
    assert set(lines[0]) >= {"target_id", "code", "severity", "url", "evidence", "detected_at"}
    wb = load_workbook(paths["xlsx"])
    rows = list(wb["检查结果"].iter_rows(values_only=True))
    assert rows[0][:3] == ("标识码", "名称", "类型")
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["a"][9] == "不合格" and "W.VETO.HOME_STALE" in by_id["a"][10]
    assert by_id["b"][9] == "合格" and by_id["c"][9].startswith("未检查")
    assert "链接与附件" in wb.sheetnames and "信息更新" in wb.sheetnames
    assert len(list(wb["链接与附件"].iter_rows())) == 1 + 3


def test_candidates_awaiting_confirmation_do_not_fail_a_site(tmp_path: Path) -> None:
    cand = _f("d", "W.VETO.SERIOUS_ERROR", "veto", "疑似领导人姓名错误「李墙」，应为「李强」")
    cand.needs_confirmation = True
    res = TargetResult(_t("d", "丁镇人民政府"), findings=[cand])
    assert res.veto_codes == [] and res.pending_codes == ["W.VETO.SERIOUS_ERROR"]
    t = totals([res])
    assert (t.vetoed, t.pending, t.pass_rate) == (0, 1, 1.0)
    md = summary_markdown([res], as_of=AS_OF, run_id=1)
    assert "另有 1 个网站存在疑似否决问题" in md and "1. 丁镇人民政府（丁镇人民政府办公室）：严重表述错误，候选 1 条" in md
    paths = write_reports([res], tmp_path, as_of=AS_OF, run_id=1)
    row = list(load_workbook(paths["xlsx"])["检查结果"].iter_rows(min_row=2, values_only=True))[0]
    assert row[9] == "待确认" and "W.VETO.SERIOUS_ERROR" in row[17]
    # once confirmed by an inspector it vetoes
    cand.needs_confirmation = False
    assert res.veto_codes == ["W.VETO.SERIOUS_ERROR"]


def test_platform_breakdown_when_accounts_are_inspected() -> None:
    acct = TargetResult(Target("gh_1", "wechat", "青山发布", "https://mp.example/1", owner="青山市新闻办"),
                        findings=[_f("gh_1", "M.VETO.STALE", "veto", "近14天未更新")], health="ok")
    md = summary_markdown([*_results(), acct], as_of=AS_OF, run_id=3)
    assert "检查网站 2 个、政务新媒体账号 1 个，共 3 个" in md
    assert "| 网站 | 2 | 1 | 0 | 50.0% |" in md and "| 微信 | 1 | 1 | 0 | 0.0% |" in md
