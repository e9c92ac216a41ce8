from openpyxl import load_workbook

from xuncha.report.annex import (
    cn_number,
    date_cn,
    failed_websites_table,
    pct,
    unit_name,
    window_cn,
    write_annex_xlsx,
)

SHEETS = ["不合格政府网站", "不合格政务新媒体", "其他问题清单", "待确认事项", "分地区合格率", "问题统计"]


def _values(ws, first_row=4):
    return [list(r) for r in ws.iter_rows(min_row=first_row, values_only=True)]


def test_sheets_and_layout(report, tmp_path):
    path = write_annex_xlsx(report, tmp_path / "附件.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == SHEETS
    ws = wb["不合格政府网站"]
    assert ws["A1"].value == "附件1  不合格政府网站名单"
    assert ws["A2"].value == "采样时间：2025年3月6日至2025年3月20日"
    assert [c.value for c in ws[3]] == ["序号", "网站名称", "主管单位", "存在问题", "网址"]
    assert ws["A3"].font.bold and ws.freeze_panes == "A4"
    assert ws.column_dimensions["D"].width > ws.column_dimensions["A"].width
    rows = _values(ws)
    assert [(r[0], r[1], r[4]) for r in rows] == [(1, "青山市教育局网站", "https://w2.qingshan.gov.cn/"),
                                                  (2, "西县人民政府网站", "https://w5.qingshan.gov.cn/")]


def test_media_other_and_pending_sheets(report, tmp_path):
    wb = load_workbook(write_annex_xlsx(report, tmp_path / "a.xlsx"))
    media = _values(wb["不合格政务新媒体"])
    assert [(r[1], r[2]) for r in media] == [("东区发布", "抖音"), ("西县发布", "微信")]
    other = _values(wb["其他问题清单"])
    assert len(other) == 3 and all(r[6] for r in other)
    typo = next(r for r in other if r[4] == "错别字及表述不规范")
    assert typo[5] == "“截止目前”应为“截至目前”" and typo[6] == "—"
    pending = _values(wb["待确认事项"])
    assert [r[3] for r in pending] == ["疑似否决项，待确认", "需人工核实"]
    assert pending[0][6] == "https://w4.qingshan.gov.cn/xwdt/123.html"


def test_region_and_problem_statistics(report, tmp_path):
    wb = load_workbook(write_annex_xlsx(report, tmp_path / "a.xlsx"))
    regions = _values(wb["分地区合格率"])
    assert regions == [["东区", "3", "1", "1", "100.0%", "0.0%", "66.7%"],
                       ["西县", "2", "2", "0", "0.0%", "0.0%", "0.0%"],
                       ["南县", "3", "0", "0", "100.0%", "100.0%", "100.0%"]]
    stats = _values(wb["问题统计"])
    assert stats[0][:5] == ["W.VETO.HOME_STALE", "首页不更新", "单项否决", "1", "1"]
    link = next(r for r in stats if r[0] == "W.LINK.BROKEN_HOME")
    assert link[2:] == ["扣分", "1", "2", "青山市人民政府网站"]
    assert next(r for r in stats if r[0] == "W.VETO.SERIOUS_ERROR")[2] == "待确认"


def test_empty_report_has_all_sheets(factory, tmp_path):
    wb = load_workbook(write_annex_xlsx(factory(verdicts=[]), tmp_path / "e.xlsx"))
    assert wb.sheetnames == SHEETS
    assert _values(wb["不合格政府网站"]) == []


def test_text_helpers(report):
    from datetime import date

    assert date_cn(date(2026, 12, 10)) == "2026年12月10日"
    assert window_cn((date(2025, 3, 20), date(2025, 3, 20))) == "2025年3月20日"
    assert pct(0.952) == "95.2%" and pct(1) == "100.0%"
    assert [cn_number(n) for n in (1, 10, 12, 20, 21)] == ["一", "十", "十二", "二十", "二十一"]
    wx = next(v.target for v in report.verdicts if v.target.id == "WX2")
    assert unit_name(wx) == "西县人民政府办公室“西县发布”微信公众号"
    assert failed_websites_table(report).rows[0][3].startswith("首页不更新（单项否决）：首页最新信息日期")
