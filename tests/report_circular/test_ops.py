"""运维工作情况 in the circular (report/ops.py): a store with a finished run (monitoring point
20 March 2025, quarter 1 Jan–20 Mar), 找错 messages, simulated consultations, repost tasks
with findings and rectification cases, built through the store and workflow APIs; the
OpsSummary figures, the paragraphs of the .docx, a region-scoped summary, an empty one and the
CLI (``xuncha report circular`` with and without ``--no-ops``).

Expected figures (deadlines in working days, March 2025 has no holidays):
  找错: received 6 (Z1–Z5, Z7; Z6 is from December), due 5, on time 3 (Z1, Z2, Z7), closed late 1
        (Z3), overdue 1 (Z4; Z5 due 24 Mar), 60.0 %; late unit 西县人民政府办公室.
  咨询: 6 sent, fast 2, normal 1, slow 1 (W2, 7 days), none 1 (WX2), pending 1; 4 targets.
  转载: 4 task×target pairs due, done 2, late 1 + missing 1 (WX2), 50.0 %.
  整改: due in the period 3 (K1 on time, K3 late, K2 open), 33.3 %; overdue K2 and K5 (December).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from xuncha.model import Finding, Target, TargetResult
from xuncha.report.circular import load_template, ops_paragraphs, write_circular
from xuncha.report.ops import OpsSummary, load_ops_summary
from xuncha.settings import TZ
from xuncha.store import Store
from xuncha.workflow import rectify as rc
from xuncha.workflow import registers as rg
from xuncha.workflow.calendar import quarter_of
from xuncha.workflow.types import Consultation, ZhaocuoMessage

AS_OF = datetime(2025, 3, 20, 23, 59, 59, tzinfo=TZ)
ROOT = "示例省/青山市"
ISSUED = date(2025, 3, 25)


def _t(tid: str, kind: str, name: str, owner: str, county: str) -> Target:
    url = f"https://{tid.lower()}.qingshan.gov.cn/" if kind == "website" else f"https://mp.example.cn/{tid}"
    return Target(tid, kind, name, url, owner=owner, region=f"{ROOT}/{county}",
                  category="政府门户网站" if kind == "website" else "")


W1 = _t("W1", "website", "东区人民政府网站", "东区人民政府办公室", "东区")
W2 = _t("W2", "website", "西县人民政府网站", "西县人民政府办公室", "西县")
WX1 = _t("WX1", "wechat", "东区发布", "东区融媒体中心", "东区")
WX2 = _t("WX2", "wechat", "西县发布", "西县人民政府办公室", "西县")


def _at(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=TZ)


def _finding(t: Target, code: str, evidence: str, severity: str = "deduct", **detail: object) -> Finding:
    return Finding(t.id, code, severity, t.url, evidence, AS_OF, detail=dict(detail))


def _run(store: Store) -> int:
    run = store.create_run(AS_OF, "registry.xlsx", {})
    for t in (W1, W2, WX1, WX2):
        store.save_target_result(run, TargetResult(target=t))
    j = store.new_judgement(run, AS_OF)
    store.save_findings(run, j, [
        _finding(WX2, "M.REPOST.MISSING", "转载任务「任务一」逾期转载", task="任务一", late=True),
        _finding(WX2, "M.REPOST.MISSING", "转载任务「任务二」未转载", task="任务二", late=False),
    ])
    store.finish_run(run)
    return run


def _zhaocuo(store: Store) -> None:
    def m(no: str, site: Target | None, handed: str, replied: str | None, *, unit: str = "",
          site_name: str = "") -> ZhaocuoMessage:
        return ZhaocuoMessage(msg_no=no, site_code=site.id if site else "", site_name=site.name if site else site_name,
                              unit=site.owner if site else unit, handed_over_at=_at(handed), received_at=_at(handed, 8),
                              replied_at=_at(replied, 16) if replied else None, content="链接打不开")

    for msg in (
        m("Z1", W1, "2025-03-03", "2025-03-05"),  # due 6 Mar: on time
        m("Z2", W1, "2025-03-10", "2025-03-12"),  # due 13 Mar: on time
        m("Z3", W2, "2025-03-04", "2025-03-10"),  # due 7 Mar: closed late
        m("Z4", W2, "2025-03-11", None),  # due 14 Mar: overdue at 20 Mar
        m("Z5", W2, "2025-03-19", None),  # due 24 Mar: not due yet
        m("Z6", W2, "2024-12-02", "2024-12-20"),  # last quarter: not counted
        m("Z7", None, "2025-03-05", "2025-03-06", unit="青山市交通局", site_name="青山市交通局网站"),  # unknown site
    ):
        rg.add_zhaocuo(store, msg)


def _consultations(store: Store) -> None:
    def c(t: Target, sent: str, reply: str | None) -> Consultation:
        return Consultation(target_id=t.id, question="办理居住证需要哪些材料？", channel_url=t.url + "hdjl/",
                            sent_at=_at(sent), target_name=t.name, owner=t.owner,
                            reply_at=_at(reply, 15) if reply else None)

    for x in (
        c(W1, "2025-03-03", "2025-03-03"),  # fast
        c(WX1, "2025-03-03", "2025-03-04"),  # fast (1 working day)
        c(W1, "2025-03-10", "2025-03-13"),  # normal (3)
        c(W2, "2025-03-03", "2025-03-12"),  # slow (7)
        c(WX2, "2025-03-05", None),  # none (> 5 by 20 Mar)
        c(W1, "2025-03-18", None),  # pending (2)
        c(W2, "2024-12-03", None),  # last quarter: not counted
    ):
        rg.add_consultation(store, x)


def _reposts(store: Store) -> None:
    store.set_repost_tasks([
        {"title": "任务一", "url": "https://www.gov.cn/a.html", "deadline": date(2025, 3, 10),
         "targets": ["W1", "WX1", "WX2"]},
        {"title": "任务二", "url": "https://www.gov.cn/b.html", "deadline": date(2025, 3, 14), "targets": ["WX2"]},
        {"title": "任务三", "url": "https://www.gov.cn/c.html", "deadline": date(2025, 3, 25), "targets": ["WX1"]},
    ], by="测试")


def _cases(store: Store, run: int) -> None:
    def case(t: Target, code: str, evidence: str, opened: date, *, closed: str | None = None,
             notify: bool = True) -> int:
        cid = rc.open_case(store, target=t, finding=_finding(t, code, evidence), run_id=run, opened_by="巡查员",
                           working_days=10, today=opened)
        if notify:
            rc.notify(store, cid, by="科长", on=opened)
        if closed:
            rc.submit(store, cid, by=t.owner, note="已整改")
            rc.start_recheck(store, cid, by="巡查员")
            rc.finish_recheck(store, cid, passed=True, by="巡查员", at=_at(closed, 10))
        return cid

    case(W1, "W.ID.FOOTER", "底部缺少网站标识码", date(2025, 2, 20), closed="2025-03-05")  # K1 due 6 Mar, on time
    case(W2, "W.VETO.HOME_STALE", "首页超过2周未更新", date(2025, 2, 20))  # K2 due 6 Mar, overdue
    case(WX2, "M.VETO.STALE", "超过2周未发布", date(2025, 2, 20), closed="2025-03-12")  # K3 closed late
    case(W1, "W.LINK.BROKEN_HOME", "首页链接不可用", date(2025, 3, 14))  # K4 due 28 Mar: not in the period
    case(WX1, "M.VETO.STALE", "超过2周未发布", date(2024, 12, 2))  # K5 due 16 Dec 2024, still open


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "ops.db"
    with Store(f"sqlite:///{path}") as store:
        run = _run(store)
        _zhaocuo(store)
        _consultations(store)
        _reposts(store)
        _cases(store, run)
    return path


@pytest.fixture
def store(db: Path):
    with Store(f"sqlite:///{db}") as st:
        yield st


@pytest.fixture
def ops(store: Store) -> OpsSummary:
    return load_ops_summary(store, store.latest_run_id("done"))


def east(t: Target) -> bool:
    return t.region.split("/")[:3] == [*ROOT.split("/"), "东区"]


# --------------------------------------------------------------------------- figures
def test_quarter_of() -> None:
    assert quarter_of(date(2025, 3, 20)) == (date(2025, 1, 1), date(2025, 3, 31))
    assert quarter_of(date(2025, 11, 2)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert quarter_of(date(2025, 4, 1)) == (date(2025, 4, 1), date(2025, 6, 30))


def test_summary_figures(ops: OpsSummary) -> None:
    assert (ops.start, ops.end, ops.as_of) == (date(2025, 1, 1), date(2025, 3, 20), date(2025, 3, 20))
    z = ops.zhaocuo
    assert z is not None
    assert (z.received, z.due, z.on_time, z.closed_late, z.overdue, z.rate) == (6, 5, 3, 1, 1, 0.6)
    units = {u.unit: (u.received, u.due, u.closed_on_time, u.closed_late, u.overdue) for u in z.units}
    assert units == {"东区人民政府办公室": (2, 2, 2, 0, 0), "西县人民政府办公室": (3, 2, 0, 1, 1),
                     "青山市交通局": (1, 1, 1, 0, 0)}
    assert z.late_units == ["西县人民政府办公室"]

    c = ops.consult
    assert c is not None
    assert (c.total, c.fast, c.normal, c.slow, c.none, c.pending, c.slow_or_none) == (6, 2, 1, 1, 1, 1, 2)
    assert len(c.targets) == 4
    assert c.slow_targets == ["西县人民政府网站", "西县人民政府办公室“西县发布”微信公众号"]
    owners = {t.target_id: t.owner for t in c.targets}
    assert owners == {"W1": "东区人民政府办公室", "W2": "西县人民政府办公室", "WX1": "东区融媒体中心",
                      "WX2": "西县人民政府办公室"}

    r = ops.repost
    assert r is not None
    assert (r.assigned, r.done, r.late, r.missing, r.unknown, r.rate) == (4, 2, 1, 1, 0, 0.5)
    assert {u.unit: (u.assigned, u.done) for u in r.units} == {
        "东区人民政府办公室": (1, 1), "东区融媒体中心": (1, 1), "西县人民政府办公室": (2, 0)}
    assert r.late_units == ["西县人民政府办公室"]

    k = ops.rectify
    assert k is not None
    assert (k.due, k.on_time, k.closed_late, k.open) == (3, 1, 1, 1)
    assert k.rate == pytest.approx(1 / 3)
    assert [(c.target_id, c.code) for c in k.overdue] == [("WX1", "M.VETO.STALE"), ("W2", "W.VETO.HOME_STALE")]
    assert k.overdue_names[1] == "西县人民政府网站首页不更新（整改期限2025年3月6日）"
    assert not ops.empty


def test_scoped_summary_excludes_other_regions(store: Store) -> None:
    ops = load_ops_summary(store, store.latest_run_id("done"), allow=east)
    z, c, r, k = ops.zhaocuo, ops.consult, ops.repost, ops.rectify
    assert z is not None and c is not None and r is not None and k is not None
    # the 交通局 message has no known target, so no region: not in a region's scope
    assert [(u.unit, u.due, u.closed_on_time) for u in z.units] == [("东区人民政府办公室", 2, 2)]
    assert (z.received, z.due, z.rate, z.late_units) == (2, 2, 1.0, [])
    assert {t.target_id for t in c.targets} == {"W1", "WX1"}
    assert (c.total, c.fast, c.normal, c.pending, c.slow_or_none, c.slow_targets) == (4, 2, 1, 1, 0, [])
    assert {u.unit for u in r.units} == {"东区人民政府办公室", "东区融媒体中心"}
    assert (r.assigned, r.done, r.late_units) == (2, 2, [])
    assert (k.due, k.on_time, [c.target_id for c in k.overdue]) == (1, 1, ["WX1"])
    everything = " ".join(t for _, t in ops_paragraphs(ops, load_template()))
    assert "西县" not in everything and "交通局" not in everything


def test_empty_parts_are_none(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'e.db'}") as store:
        run = _run(store)
        ops = load_ops_summary(store, run)
        assert ops.empty and ops.zhaocuo is ops.consult is ops.repost is ops.rectify is None
        _reposts(store)  # tasks alone: the run's findings decide, one part only
        only = load_ops_summary(store, run)
        assert only.repost is not None and only.zhaocuo is only.consult is only.rectify is None


# --------------------------------------------------------------------------- document
def _texts(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def _ops_paragraphs(texts: list[str]) -> list[str]:
    leads = ("网民留言办理情况。", "模拟用户咨询情况。", "重要信息转载情况。", "问题整改情况。", "各单位运维工作情况")
    return [t for t in texts if t.startswith(leads)]


EXPECTED = [
    "网民留言办理情况。2025年1月1日至2025年3月20日，通过“我为政府网站找错”平台共收到网民有效留言6条，"
    "办理期限届满5条，按期办结3条，按期办结率60.0%。西县人民政府办公室（逾期办结1条、逾期未办结1条）"
    "存在留言逾期办结或逾期未办结的情况。",
    "模拟用户咨询情况。2025年1月1日至2025年3月20日，对4个政府网站和政务新媒体开展模拟用户咨询6次，"
    "其中1个工作日内答复2次，超过5个工作日答复或未答复2次。西县人民政府网站（超过5个工作日答复1次）、"
    "西县人民政府办公室“西县发布”微信公众号（未答复1次）答复超过5个工作日或未答复。",
    "重要信息转载情况。截至2025年3月20日，到期的重要信息转载任务共4项次，按期完成2项次，逾期转载1项次，"
    "未转载1项次，按期完成率50.0%。西县人民政府办公室（逾期转载1项次、未转载1项次）未按期完成转载任务。",
    "问题整改情况。整改期限在2025年1月1日至2025年3月20日之间的问题3个，按期整改1个，按期整改率33.3%。"
    "截至2025年3月20日，仍有2个问题逾期未整改：东区融媒体中心“东区发布”微信公众号内容不更新（整改期限2024年12月16日）、"
    "西县人民政府网站首页不更新（整改期限2025年3月6日）。",
    "各单位运维工作情况见附件5。",
]


def test_docx_has_the_ops_paragraphs_in_the_overview(report, ops: OpsSummary, tmp_path: Path) -> None:
    out = write_circular(report, tmp_path / "通报.docx", issued=ISSUED, charts=False, ops=ops)
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    got = _ops_paragraphs(texts)
    assert got == EXPECTED
    # at the end of 一、总体情况, before 二、存在问题; leads in 楷体
    assert texts.index(EXPECTED[-1]) + 1 == texts.index("二、存在问题")
    p = next(p for p in doc.paragraphs if p.text == EXPECTED[0])
    assert p.runs[0].text == "网民留言办理情况。"
    assert p.runs[0]._element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "楷体_GB2312"
    # annex 5: listed after the signature, on its own page with the statistics period
    assert "5．运维工作情况统计表" in texts
    assert "附件5" in texts and "统计时段：2025年1月1日至2025年3月20日" in texts
    table = doc.tables[-1]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0][:4] == ["序号", "单位", "找错应办结（条）", "按期办结率"]
    by_unit = {r[1]: r[2:] for r in rows[1:]}
    assert by_unit["西县人民政府办公室"] == ["2", "0.0%", "2", "2", "2", "0.0%", "2", "0.0%", "1"]
    assert by_unit["东区人民政府办公室"] == ["2", "100.0%", "3", "0", "1", "100.0%", "1", "100.0%", "0"]
    assert by_unit["青山市交通局"] == ["1", "100.0%", "—", "—", "—", "—", "—", "—", "—"]
    assert by_unit["东区融媒体中心"][-3:] == ["0", "—", "1"]


def test_without_ops_or_with_an_empty_summary_the_document_is_unchanged(report, tmp_path: Path) -> None:
    plain = write_circular(report, tmp_path / "a.docx", issued=ISSUED, charts=False)
    empty = OpsSummary(run_id=1, start=date(2025, 1, 1), end=date(2025, 3, 20), as_of=date(2025, 3, 20))
    same = write_circular(report, tmp_path / "b.docx", issued=ISSUED, charts=False, ops=empty)
    a, b = Document(str(plain)), Document(str(same))
    assert _texts(plain) == _texts(same)
    assert len(a.tables) == len(b.tables)
    assert a.element.xml == b.element.xml
    assert not _ops_paragraphs(_texts(plain)) and "附件5" not in _texts(plain)


def test_only_overdue_cases_keep_the_lead(ops: OpsSummary) -> None:
    assert ops.rectify is not None
    ops.zhaocuo = ops.consult = ops.repost = None
    ops.rectify.due = ops.rectify.on_time = ops.rectify.closed_late = ops.rectify.open = 0
    (lead, text), annex = ops_paragraphs(ops, load_template(), annex=5)
    assert lead == "问题整改情况。" and text.startswith("截至2025年3月20日，仍有2个问题逾期未整改：")
    assert annex == ("", "各单位运维工作情况见附件5。")


def test_custom_template_texts_and_validation(report, ops: OpsSummary, tmp_path: Path) -> None:
    from xuncha.errors import ConfigError
    from xuncha.report.circular import TEMPLATE_DIR

    default = (TEMPLATE_DIR / "circular-default.yaml").read_text(encoding="utf-8")
    custom = default.replace('ops_annex: "各单位运维工作情况见附件{annex}。"',
                             'ops_annex: "{scope}运维台账统计见附件{annex}。"')
    p = tmp_path / "t.yaml"
    p.write_text(custom, encoding="utf-8")
    texts = _texts(write_circular(report, tmp_path / "c.docx", template=p, issued=ISSUED, charts=False, ops=ops))
    assert "全市运维台账统计见附件5。" in texts
    # a template without the ops texts (older custom templates) falls back to the built-in ones
    old = "\n".join(line for line in default.splitlines() if not line.startswith("ops_"))
    p.write_text(old, encoding="utf-8")
    tpl = load_template(p)
    assert tpl.ops_zhaocuo == "" and tpl.ops_text("ops_zhaocuo").startswith("网民留言办理情况。")
    assert _ops_paragraphs(_texts(write_circular(report, tmp_path / "d.docx", template=tpl, issued=ISSUED,
                                                 charts=False, ops=ops))) == EXPECTED
    p.write_text(default.replace("按期办结率{rate}", "按期办结率{ratio}"), encoding="utf-8")
    with pytest.raises(ConfigError, match="「ops_zhaocuo」含未知占位符 {ratio}"):
        load_template(p)


# --------------------------------------------------------------------------- CLI
def _cli(args: list[str]):
    from xuncha.cli import app

    return CliRunner().invoke(app, args)


def test_cli_writes_ops_by_default_and_not_with_no_ops(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "a" / "通报.docx"
    res = _cli(["report", "circular", "--latest", "--db", str(db), "--out", str(out), "--no-charts"])
    assert res.exit_code == 0, res.output
    said = res.output.replace("\n", "")  # rich wraps long lines
    assert "运维工作情况：2025年1月1日至2025年3月20日，找错留言 6 条，按期办结率 60.0%" in said
    texts = _texts(out)
    got = _ops_paragraphs(texts)
    assert got[0].startswith("网民留言办理情况。") and "按期办结率60.0%" in got[0]
    assert any("西县人民政府网站首页不更新（整改期限2025年3月6日）" in t for t in got)
    wb = load_workbook(out.parent / "附件.xlsx")
    assert wb.sheetnames[4] == "运维工作情况"
    ws = wb["运维工作情况"]
    assert ws["A1"].value == "附件5  运维工作情况统计表" and ws["A2"].value == "统计时段：2025年1月1日至2025年3月20日"

    out2 = tmp_path / "b" / "通报.docx"
    res = _cli(["report", "circular", "--latest", "--db", str(db), "--out", str(out2), "--no-charts", "--no-ops"])
    assert res.exit_code == 0, res.output
    assert not _ops_paragraphs(_texts(out2))
    assert "运维工作情况" not in load_workbook(out2.parent / "附件.xlsx").sheetnames


def test_cli_without_register_data_leaves_the_section_out(tmp_path: Path) -> None:
    path = tmp_path / "bare.db"
    with Store(f"sqlite:///{path}") as store:
        _run(store)
    out = tmp_path / "通报.docx"
    res = _cli(["report", "circular", "--latest", "--db", str(path), "--out", str(out), "--no-charts"])
    assert res.exit_code == 0, res.output
    assert "本季度无运维台账数据" in res.output.replace("\n", "")
    texts = _texts(out)
    assert not _ops_paragraphs(texts) and "统计时段" not in " ".join(texts)
