from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from xuncha.report.circular import (
    comparison_paragraphs,
    load_template,
    overview_paragraphs,
    problem_paragraphs,
    write_circular,
)

ISSUED = date(2025, 3, 25)


@pytest.fixture
def docx_path(report, tmp_path):
    return write_circular(report, tmp_path / "通报.docx", issued=ISSUED)


@pytest.fixture
def doc(docx_path):
    return Document(str(docx_path))


def _texts(doc):
    return [p.text for p in doc.paragraphs]


def _body(doc):
    return "\n".join(_texts(doc))


def _rows(table):
    return [[c.text for c in row.cells] for row in table.rows]


def test_head_title_and_recipients(doc):
    texts = [t for t in _texts(doc) if t.strip()]
    assert texts[0] == "〔    〕  号"
    assert texts[1] == "关于2025年第一季度全市政府网站和政务新媒体检查情况的通报"
    assert texts[2] == "各县（区）人民政府，市政府各部门，各有关单位："
    assert "采样时间：2025年3月6日至2025年3月20日" in texts[3]


def test_headings_in_order(doc):
    heads = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert heads == ["一、总体情况", "二、存在问题", "三、工作要求"]


def test_totals_sentence_has_the_fixture_numbers(doc):
    assert ("本次共检查政府网站7个、政务新媒体5个，其中不合格网站2个、不合格新媒体2个，总体合格率66.7%。"
            in _body(doc))
    assert "政府网站合格率71.4%（政府门户网站4个、部门网站3个，其中良好2个）" in _body(doc)
    assert "政务新媒体合格率60.0%，其中微信3个（合格率66.7%）、微博1个（合格率100.0%）、抖音1个（合格率0.0%）" in _body(doc)


def test_pending_inconclusive_and_skipped_are_stated(doc):
    body = _body(doc)
    assert "另有1个网站存在疑似严重表述错误等问题，待人工核实确认后认定（见附件4），本次暂未计入不合格。" in body
    assert "1个网站的部分检查项因访问受限、数据源不可用等原因未能自动判定" in body
    assert "1个网站因处于关停、建设等非运行状态，未纳入本次检查。" in body


def test_regions_paragraph_and_table(doc):
    body = _body(doc)
    assert "分地区看，东区合格率66.7%，西县合格率0.0%，南县合格率100.0%。" in body
    assert "南县检查的政府网站和政务新媒体全部合格。" in body
    rows = _rows(doc.tables[0])
    assert rows[0] == ["地区", "检查数量", "不合格", "待确认", "网站合格率", "新媒体合格率", "总体合格率"]
    assert rows[1:] == [["东区", "3", "1", "1", "100.0%", "0.0%", "66.7%"],
                        ["西县", "2", "2", "0", "0.0%", "0.0%", "0.0%"],
                        ["南县", "3", "0", "0", "100.0%", "100.0%", "100.0%"]]


def test_comparison_and_repeat_offenders(doc):
    body = _body(doc)
    assert "与上次检查（监测时点2024年12月20日）相比，网站合格率由60.0%上升至71.4%（上升11.4个百分点）" in body
    assert "政务新媒体合格率由75.0%下降至60.0%（下降15.0个百分点）" in body
    assert "本次新增不合格1个：东区融媒体中心“东区发布”抖音号。" in body
    assert "上次不合格、本次已整改合格1个：南县人民政府网站。" in body
    assert ("西县人民政府办公室“西县发布”微信公众号（连续3次）、西县人民政府网站（连续2次）连续多次检查不合格"
            in body)


def test_problem_paragraphs_name_units_per_indicator(doc, report):
    body = _body(doc)
    assert "（一）首页不更新。青山市教育局网站首页长期未更新，按单项否决认定为不合格。" in body
    assert "（六）首页链接不可用。青山市人民政府网站存在首页链接不可用问题，共2处。" in body
    assert "（九）严重表述错误（待确认）。东区卫生健康局网站存在疑似严重表述错误问题" in body
    leads = [lead for lead, _ in problem_paragraphs(report)]
    assert leads[0] == "（一）首页不更新。" and len(leads) == 9
    # 楷体 lead, 仿宋 text in one paragraph
    p = next(p for p in doc.paragraphs if p.text.startswith("（一）首页不更新"))
    fonts = [r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in p.runs]
    assert fonts == ["楷体_GB2312", "仿宋_GB2312"]


def test_requirements_from_template_with_deadline(doc):
    body = _body(doc)
    assert "并于2025年4月9日前将整改情况报送××市人民政府办公室" in body  # 10 working days after 3月25日
    assert "联系人：" in body
    assert "附件：1．不合格政府网站名单" in body
    texts = _texts(doc)
    i = texts.index("××市人民政府办公室")
    assert texts[i + 1] == "2025年3月25日"


def test_unconfirmed_values_note(doc):
    assert "说明：本次评分依据“国办秘函〔2019〕19号（全国）”" in _body(doc)
    assert "W.LINK.BROKEN_HOME 每处扣1分" in _body(doc)


def test_annex_tables(doc):
    failed_sites, failed_media, other, pending = doc.tables[1:5]
    rows = _rows(failed_sites)
    assert rows[0] == ["序号", "网站名称", "主管单位", "存在问题"]
    assert [r[1] for r in rows[1:]] == ["青山市教育局网站", "西县人民政府网站"]  # region, then name
    assert rows[2][3].startswith("1．空白栏目（单项否决）：空白栏目6个")
    rows = _rows(failed_media)
    assert rows[0] == ["序号", "新媒体名称", "第三方平台", "主管单位", "存在问题"]
    assert [r[1:4] for r in rows[1:]] == [["东区发布", "抖音", "东区融媒体中心"],
                                         ["西县发布", "微信", "西县人民政府办公室"]]
    rows = _rows(other)
    assert rows[0][-1] == "扣分"
    assert {(r[1], r[4]) for r in rows[1:]} == {
        ("青山市人民政府网站", "首页链接不可用"), ("青山市人民政府网站", "底部功能区标识缺失"),
        ("青山市人民政府新闻办公室“青山发布”微博", "错别字及表述不规范")}
    assert [r[6] for r in rows[1:] if r[1] == "青山市人民政府网站"] == ["2（待核实）", "1（待核实）"]
    rows = _rows(pending)
    assert [(r[1], r[3]) for r in rows[1:]] == [("东区卫生健康局网站", "疑似否决项，待确认"),
                                              ("南县人民政府网站", "需人工核实")]


def test_annex_pages_state_sampling_window_and_start_on_new_pages(doc):
    texts = _texts(doc)
    for n in range(1, 5):
        assert f"附件{n}" in texts
    assert texts.count("采样时间：2025年3月6日至2025年3月20日") == 4
    breaks = doc.element.body.findall(".//" + qn("w:br"))
    assert sum(b.get(qn("w:type")) == "page" for b in breaks) == 4


def test_tables_repeat_header_and_have_borders(doc):
    for table in doc.tables:
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
        assert table.style.name == "Table Grid"


def test_page_setup_and_fonts(doc):
    s = doc.sections[0]
    assert abs(s.page_width - Cm(21)) < Cm(0.05) and abs(s.page_height - Cm(29.7)) < Cm(0.05)
    assert abs(s.top_margin - Cm(3.7)) < Cm(0.05) and abs(s.left_margin - Cm(2.8)) < Cm(0.05)
    title = next(p for p in doc.paragraphs if p.text.startswith("关于"))
    run = title.runs[0]
    assert run.font.bold and run.font.size.pt == 22
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in doc.paragraphs if p.text.startswith("本次共检查"))
    assert body.paragraph_format.first_line_indent.pt == 32
    assert body.runs[0].font.size.pt == 16
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    head = next(p for p in doc.paragraphs if p.text == "一、总体情况")
    assert head.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"


def test_charts_inserted_or_left_out(doc, report, tmp_path):
    assert len(doc.inline_shapes) == 3
    plain = Document(str(write_circular(report, tmp_path / "plain.docx", issued=ISSUED, charts=False)))
    assert len(plain.inline_shapes) == 0
    kept = tmp_path / "charts"
    write_circular(report, tmp_path / "kept.docx", issued=ISSUED, chart_dir=kept)
    assert len(list(kept.glob("*.png"))) == 3


def test_without_comparison(factory):
    assert comparison_paragraphs(factory(comparison=False)) == []


def test_empty_run_still_writes_a_circular(factory, tmp_path):
    empty = factory(verdicts=[])
    assert overview_paragraphs(empty) == ["本次未检查政府网站和政务新媒体。"]
    doc = Document(str(write_circular(empty, tmp_path / "empty.docx", issued=ISSUED)))
    body = _body(doc)
    assert "本次检查未发现需要通报的问题。" in body
    assert "本次检查未发现不合格政府网站。" in body
    assert len(doc.tables) == 0 and len(doc.inline_shapes) == 0


def test_custom_template_and_period(report, tmp_path):
    from xuncha.report.circular import TEMPLATE_DIR

    text = (TEMPLATE_DIR / "circular-default.yaml").read_text(encoding="utf-8")
    text = text.replace('scope: "全市"', 'scope: "全省"').replace('issuer: "××市人民政府办公室"',
                                                                   'issuer: "示例省人民政府办公厅"')
    text = text.replace("feedback_working_days: 10", "feedback_working_days: 5")
    path = tmp_path / "province.yaml"
    path.write_text(text, encoding="utf-8")
    out = write_circular(report, tmp_path / "p.docx", template=path, issued=ISSUED, charts=False,
                         period="2025年3月")
    body = _body(Document(str(out)))
    assert "关于2025年3月全省政府网站和政务新媒体检查情况的通报" in body
    assert "并于2025年4月1日前将整改情况报送示例省人民政府办公厅" in body
    assert load_template(path).feedback_working_days == 5
