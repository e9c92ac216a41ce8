"""A hand-built RunReport like the scoring engine's, for the circular, annex, chart and notice renderers.

青山市 (city level) with three counties 东区, 西县, 南县: portals and department sites, WeChat /
Weibo / Douyin accounts; two sites and two accounts fail with vetoes, one site is pending
(疑似严重表述错误), one has an inconclusive check, passing targets carry deductions, one site
is closed (not inspected); the comparison names a newly failing account, a fixed site and two
repeat offenders.

Expected figures: websites 7 inspected, 2 failed (71.4%); media 5 inspected, 2 failed (60.0%);
overall 12 inspected, 4 failed (66.7%); 东区 66.7%, 西县 0.0%, 南县 100.0%.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from xuncha.model import Deduction, Finding, Target, Verdict
from xuncha.scoring.aggregate import Comparison, ProblemGroup, Rate, Repeat, RunReport, Totals
from xuncha.settings import TZ

AS_OF = datetime(2025, 3, 20, 23, 59, 59, tzinfo=TZ)
WINDOW = (date(2025, 3, 6), date(2025, 3, 20))
ROOT = "示例省/青山市"
COUNTIES = ("东区", "西县", "南县")


def target(id: str, kind: str, name: str, owner: str, county: str = "", category: str = "",
           status: str = "running") -> Target:
    region = f"{ROOT}/{county}" if county else ROOT
    url = f"https://{id.lower()}.qingshan.gov.cn/" if kind == "website" else f"https://mp.example.cn/{id}"
    if not category:
        category = "" if kind != "website" else ("政府门户网站" if "人民政府网站" in name else "部门网站")
    return Target(id, kind, name, url, owner=owner, region=region, category=category, status=status)


def finding(t: Target, code: str, severity: str, evidence: str, *, path: str = "", confirm: bool = False,
            **detail: object) -> Finding:
    return Finding(t.id, code, severity, t.url + path, evidence, AS_OF, detail=dict(detail),
                   needs_confirmation=confirm)


def deduction(code: str, title: str, group: str, findings: list[Finding], per: float,
              unconfirmed: bool = True) -> Deduction:
    return Deduction(code, title, group, per * len(findings), len(findings), per, unconfirmed, findings)


def _verdicts() -> list[Verdict]:
    w1 = target("W1", "website", "青山市人民政府网站", "青山市人民政府办公室")
    w2 = target("W2", "website", "青山市教育局网站", "青山市教育局")
    w3 = target("W3", "website", "东区人民政府网站", "东区人民政府办公室", "东区")
    w4 = target("W4", "website", "东区卫生健康局网站", "东区卫生健康局", "东区")
    w5 = target("W5", "website", "西县人民政府网站", "西县人民政府办公室", "西县")
    w6 = target("W6", "website", "南县人民政府网站", "南县人民政府办公室", "南县")
    w7 = target("W7", "website", "南县农业农村局网站", "南县农业农村局", "南县")
    w8 = target("W8", "website", "西县文化旅游局网站", "西县文化旅游局", "西县", status="closed")
    m1 = target("WX1", "wechat", "青山发布", "青山市人民政府新闻办公室")
    m2 = target("WB1", "weibo", "青山发布", "青山市人民政府新闻办公室")
    m3 = target("DY1", "douyin", "东区发布", "东区融媒体中心", "东区")
    m4 = target("WX2", "wechat", "西县发布", "西县人民政府办公室", "西县")
    m5 = target("WX3", "wechat", "南县发布", "南县人民政府办公室", "南县")

    broken = [finding(w1, "W.LINK.BROKEN_HOME", "deduct", "首页「办事指南」链接返回 HTTP 404", path="bszn/"),
              finding(w1, "W.LINK.BROKEN_HOME", "deduct", "首页图片链接返回 HTTP 404", path="img/a.png")]
    footer = [finding(w1, "W.ID.FOOTER", "deduct", "底部缺少公安机关备案标识", mark="psb")]
    typo = [finding(m2, "M.CONTENT.TYPO", "deduct", "“截止目前”应为“截至目前”", suggestion="改为“截至目前”")]
    stale = finding(w2, "W.VETO.HOME_STALE", "veto", "首页最新信息日期为2025年2月10日，超过2周未更新",
                    suggestion="及时更新首页信息")
    blank = finding(w5, "W.VETO.BLANK_COLUMNS", "veto", "空白栏目6个：人事信息、规划计划等", path="xxgk/")
    interact = finding(w5, "W.VETO.INTERACTION", "veto", "「县长信箱」留言超过3个月未回复", path="xzxx/")
    serious = finding(w4, "W.VETO.SERIOUS_ERROR", "veto", "疑似领导人姓名错误：“习近平”误写为“习近平同志同志”",
                      path="xwdt/123.html", confirm=True)
    inconc = finding(w6, "W.LINK.BROKEN_OTHER", "inconclusive", "外部链接被防火墙拦截（HTTP 403），无法判定")
    m_stale = finding(m3, "M.VETO.STALE", "veto", "最近一次发布为2025年2月20日，超过2周未更新")
    m_int = finding(m4, "M.VETO.INTERACTION", "veto", "留言功能已关闭，未提供有效互动功能")

    rs = "national-2019"
    return [
        Verdict(w1, rs, "合格", grade="良好", score=97.0, deduction_score=97.0, problems=broken + footer,
                deductions=[deduction("W.LINK.BROKEN_HOME", "首页链接不可用", "功能设计", broken, 1.0),
                            deduction("W.ID.FOOTER", "底部功能区标识缺失", "功能设计", footer, 1.0)]),
        Verdict(w2, rs, "不合格", grade="不合格", veto_codes=["W.VETO.HOME_STALE"], problems=[stale]),
        Verdict(w3, rs, "合格", grade="良好", score=95.0, deduction_score=95.0),
        Verdict(w4, rs, "待确认", score=90.0, pending_codes=["W.VETO.SERIOUS_ERROR"], pending=[serious]),
        Verdict(w5, rs, "不合格", grade="不合格", veto_codes=["W.VETO.BLANK_COLUMNS", "W.VETO.INTERACTION"],
                problems=[blank, interact]),
        Verdict(w6, rs, "合格", grade="合格", score=80.0, inconclusive=[inconc]),
        Verdict(w7, rs, "合格", grade="合格", score=88.0),
        Verdict(w8, rs, "未检查", inspected=False, skipped_reason="非运行状态"),
        Verdict(m1, rs, "合格"),
        Verdict(m2, rs, "合格", problems=typo),
        Verdict(m3, rs, "不合格", veto_codes=["M.VETO.STALE"], problems=[m_stale]),
        Verdict(m4, rs, "不合格", veto_codes=["M.VETO.INTERACTION"], problems=[m_int]),
        Verdict(m5, rs, "合格"),
    ]


def _rate(key: str, label: str, level: int, vs: list[Verdict]) -> Rate:
    vs = [v for v in vs if v.inspected]
    return Rate(key, label, level, inspected=len(vs), passed=sum(v.passed for v in vs),
                failed=sum(v.failed for v in vs), pending=sum(v.verdict == "待确认" for v in vs))


def _regions(vs: list[Verdict]) -> list[Rate]:
    rows = [_rate(ROOT, "青山市", 0, vs)]
    for c in COUNTIES:
        rows.append(_rate(f"{ROOT}/{c}", c, 1, [v for v in vs if v.target.region == f"{ROOT}/{c}"]))
    return rows


def _totals(vs: list[Verdict]) -> Totals:
    done = [v for v in vs if v.inspected]
    return Totals(inspected=len(done), passed=sum(v.passed for v in done), failed=sum(v.failed for v in done),
                  pending=sum(v.verdict == "待确认" for v in done), skipped=len(vs) - len(done),
                  good=sum(v.grade == "良好" for v in done))


def _group(code: str, title: str, kind: str, family: str, vs: list[Verdict]) -> ProblemGroup:
    fs = [f for v in vs for f in (v.pending if kind == "pending" else v.problems) if f.code == code]
    hit = [v for v in vs if any(f.target_id == v.target.id for f in fs)]
    return ProblemGroup(code, title, kind, family, hit, fs, len(fs))


def make_report(*, comparison: bool = True, verdicts: list[Verdict] | None = None) -> RunReport:
    vs = _verdicts() if verdicts is None else verdicts
    sites = [v for v in vs if v.target.kind == "website"]
    media = [v for v in vs if v.target.kind != "website"]
    by_kind = {v.target.id: v for v in vs}
    groups = [
        _group("W.VETO.HOME_STALE", "首页不更新", "veto", "updates", vs),
        _group("W.VETO.BLANK_COLUMNS", "空白栏目", "veto", "updates", vs),
        _group("W.VETO.INTERACTION", "互动回应差", "veto", "interaction", vs),
        _group("M.VETO.STALE", "内容不更新", "veto", "media", vs),
        _group("M.VETO.INTERACTION", "互动回应差", "veto", "media", vs),
        _group("W.LINK.BROKEN_HOME", "首页链接不可用", "deduct", "links", vs),
        _group("W.ID.FOOTER", "底部功能区标识缺失", "deduct", "identity", vs),
        _group("M.CONTENT.TYPO", "错别字及表述不规范", "deduct", "media", vs),
        _group("W.VETO.SERIOUS_ERROR", "严重表述错误", "pending", "content", vs),
    ]
    regions = _regions(vs)
    cmp = None
    if comparison and verdicts is None:
        cmp = Comparison(
            previous_run_id=6, previous_as_of=datetime(2024, 12, 20, 23, 59, 59, tzinfo=TZ),
            newly_failed=[by_kind["DY1"]], fixed=[by_kind["W6"].target],
            repeat_offenders=[Repeat(by_kind["W5"].target, 2, ["W.VETO.BLANK_COLUMNS"]),
                              Repeat(by_kind["WX2"].target, 3, ["M.VETO.INTERACTION"])],
            previous_rate_websites=0.6, previous_rate_media=0.75)
    cats = sorted({v.target.category for v in sites})
    plats = [k for k in ("wechat", "weibo", "douyin") if any(v.target.kind == k for v in media)]
    return RunReport(
        run_id=7, as_of=AS_OF, window=WINDOW, ruleset_id="national-2019",
        ruleset_title="国办秘函〔2019〕19号（全国）",
        unconfirmed_values=["W.LINK.BROKEN_HOME 每处扣1分", "W.ID.FOOTER 每项扣1分"],
        verdicts=vs, websites=_totals(sites), media=_totals(media), by_region=regions,
        by_region_websites=_regions(sites), by_region_media=_regions(media),
        by_category=[_rate(c, c, 0, [v for v in sites if v.target.category == c]) for c in cats],
        by_platform=[_rate(k, {"wechat": "微信", "weibo": "微博", "douyin": "抖音"}[k], 0,
                           [v for v in media if v.target.kind == k]) for k in plats],
        regions_full=[r.label for r in regions[1:] if r.inspected and not r.failed],
        problems=[g for g in groups if g.verdicts], comparison=cmp,
    )


@pytest.fixture
def report() -> RunReport:
    return make_report()


@pytest.fixture(scope="session")
def factory():
    """The factory itself, for variants (``factory(comparison=False)``, ``factory(verdicts=[])``)."""
    return make_report


# --------------------------------------------------------------------------- reader's check
@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    """Where rendered PDFs/PNGs are kept: $XUNCHA_TEST_ARTIFACTS or a pytest temp folder."""
    env = os.environ.get("XUNCHA_TEST_ARTIFACTS")
    path = Path(env) if env else tmp_path_factory.mktemp("artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _tool(name: str) -> str:
    exe = shutil.which(name)
    if not exe:
        pytest.fail(f"缺少 {name}（LibreOffice / poppler-utils）：请运行 ./dev test，它会安装所需工具。", pytrace=False)
    return exe


@pytest.fixture(scope="session")
def to_pdf(tmp_path_factory):
    """Convert a .docx to PDF with LibreOffice (private profile, 120 s timeout)."""
    soffice = _tool("soffice")
    profile = tmp_path_factory.mktemp("lo-profile")

    def convert(docx: Path, outdir: Path) -> Path:
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(outdir), str(docx)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
        except subprocess.TimeoutExpired:
            pytest.fail(f"LibreOffice 转换超时（120秒）：{docx}", pytrace=False)
        pdf = outdir / (docx.stem + ".pdf")
        assert pdf.is_file(), f"LibreOffice 未生成 PDF：rc={done.returncode}\n{done.stdout}\n{done.stderr}"
        return pdf

    return convert


@pytest.fixture(scope="session")
def pdf_text():
    pdftotext = _tool("pdftotext")

    def extract(pdf: Path, *, layout: bool = True) -> str:
        args = [pdftotext, *(["-layout"] if layout else []), "-enc", "UTF-8", str(pdf), "-"]
        done = subprocess.run(args, capture_output=True, timeout=60, check=True)
        return done.stdout.decode("utf-8")

    return extract


@pytest.fixture(scope="session")
def pdf_png():
    pdftoppm = _tool("pdftoppm")

    def render(pdf: Path, prefix: Path, page: int = 1) -> Path:
        subprocess.run([pdftoppm, "-png", "-r", "60", "-f", str(page), "-l", str(page), str(pdf), str(prefix)],
                       capture_output=True, timeout=60, check=True)
        pngs = sorted(prefix.parent.glob(prefix.name + "*.png"))
        assert pngs, f"pdftoppm 未生成 PNG：{prefix}"
        return pngs[0]

    return render
