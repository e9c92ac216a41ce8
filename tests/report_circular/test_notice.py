from datetime import date

from docx import Document

from xuncha.report.notice import verdict_text, write_notice


def _owner(report, owner):
    return [v for v in report.verdicts if v.target.owner == owner]


def test_notice_lists_targets_problems_and_deadline(report, tmp_path):
    out = write_notice("西县人民政府办公室", _owner(report, "西县人民政府办公室"), tmp_path / "n.docx",
                       deadline=date(2026, 12, 10), as_of=report.as_of)
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    body = "\n".join(texts)
    assert texts[0] == "政府网站和政务新媒体问题整改通知"
    assert texts[1] == "西县人民政府办公室："
    assert "于2025年3月20日对你单位主管的政府网站和政务新媒体进行了检查，共检查2个，其中不合格2个，发现问题3项" in body
    heads = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert heads == ["一、西县人民政府网站", "二、西县人民政府办公室“西县发布”微信公众号", "三、整改要求"]
    assert "检查结论：不合格（单项否决：空白栏目、互动回应差）" in body
    assert ("1．空白栏目（单项否决）。问题地址：https://w5.qingshan.gov.cn/xxgk/。问题描述：空白栏目6个：人事信息、"
            "规划计划等。") in body
    assert "于2026年12月10日前完成整改" in body


def test_notice_suggestion_pending_and_inconclusive(report, tmp_path):
    vs = [v for v in report.verdicts if v.target.id in ("W2", "W4", "W6")]
    doc = Document(str(write_notice("多个单位", vs, tmp_path / "m.docx", deadline=date(2025, 4, 9),
                                    as_of=report.as_of)))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "整改建议：及时更新首页信息。" in body
    assert "严重表述错误（疑似否决项，待确认）。问题地址：https://w4.qingshan.gov.cn/xwdt/123.html" in body
    assert "其他页面链接不可用（需人工核实）" in body
    assert "检查结论：待确认（疑似：严重表述错误，待人工核实后认定）" in body


def test_verdict_texts(report):
    by_id = {v.target.id: v for v in report.verdicts}
    assert verdict_text(by_id["W3"]) == "合格（良好，得分95分）"
    assert verdict_text(by_id["W7"]) == "合格（得分88分）"
    assert verdict_text(by_id["WX1"]) == "合格"
    assert verdict_text(by_id["W2"]) == "不合格（单项否决：首页不更新）"


def test_notice_for_a_unit_without_problems(report, tmp_path):
    vs = _owner(report, "南县农业农村局")
    doc = Document(str(write_notice("南县农业农村局", vs, tmp_path / "ok.docx", deadline=date(2025, 4, 9),
                                    as_of=report.as_of)))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "（二）存在问题。未发现问题。" in body
