"""A reader's check: the .docx as LibreOffice lays it out, read back from the PDF.

Needs LibreOffice (soffice) and poppler-utils (pdftotext, pdftoppm); ``./dev test`` installs them.
The PDF and the first page's PNG are kept in $XUNCHA_TEST_ARTIFACTS (or a pytest temp folder).
"""

import re
import shutil
import subprocess
from datetime import date

import pytest

from xuncha.report.circular import write_circular
from xuncha.report.notice import write_notice

_FOOTER = re.compile(r"^\s*—\s*\d+\s*—\s*$", re.M)


def _flat(text: str) -> str:
    """Text without page-number lines and whitespace (pdftotext puts spaces around digits)."""
    return re.sub(r"\s+", "", _FOOTER.sub("", text))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, factory, to_pdf, pdf_text, pdf_png, artifacts):
    folder = tmp_path_factory.mktemp("reader")
    docx = write_circular(factory(), folder / "circular.docx", issued=date(2025, 3, 25))
    pdf = to_pdf(docx, folder)
    png = pdf_png(pdf, folder / "circular-page")
    shutil.copy(pdf, artifacts / "circular.pdf")
    shutil.copy(png, artifacts / "circular-page1.png")
    return {"pdf": pdf, "png": png, "text": pdf_text(pdf)}


def test_pdf_has_title_and_figures(rendered):
    flat = _flat(rendered["text"])
    assert "关于2025年第一季度全市政府网站和政务新媒体检查情况的通报" in flat
    assert "本次共检查政府网站7个、政务新媒体5个，其中不合格网站2个、不合格新媒体2个，总体合格率66.7%。" in flat
    assert "分地区看，东区合格率66.7%，西县合格率0.0%，南县合格率100.0%。" in flat
    assert "网站合格率由60.0%上升至71.4%" in flat
    assert "待人工核实确认后认定" in flat
    assert "并于2025年4月9日前将整改情况报送" in flat


def test_pdf_has_annex_rows(rendered):
    flat = _flat(rendered["text"])
    for label in ("附件1", "附件2", "附件3", "附件4", "不合格政府网站名单", "不合格政务新媒体名单", "其他问题清单"):
        assert label in flat
    assert flat.count("采样时间：2025年3月6日至2025年3月20日") >= 4
    for name in ("青山市教育局网站", "西县人民政府网站", "东区发布", "西县发布", "东区卫生健康局网站"):
        assert name in flat
    annex1 = flat.index("不合格政府网站名单采样时间")
    assert annex1 < flat.index("青山市教育局网站", annex1) < flat.index("不合格政务新媒体名单采样时间")


def test_pdf_text_is_chinese_and_clean(rendered):
    text = rendered["text"]
    assert "\ufffd" not in text
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert cjk > 1500, f"only {cjk} Chinese characters extracted"
    fonts = subprocess.run(["pdffonts", str(rendered["pdf"])], capture_output=True, text=True, timeout=60)
    if fonts.returncode == 0:  # pdffonts ships with pdftotext (poppler-utils)
        assert re.search(r"CJK|Hei|Song|Kai|Fang|WenQuanYi|wqy|Droid|Ming|Han", fonts.stdout), fonts.stdout


def test_first_page_renders(rendered):
    from PIL import Image

    png = rendered["png"]
    assert png.stat().st_size > 8_000
    with Image.open(png) as im:
        gray = im.convert("L")
        width, height = gray.size
        inked = sum(gray.histogram()[:128])
    assert 450 < width < 550 and 650 < height < 750  # A4 at 60 dpi
    assert inked / (width * height) > 0.01, "page 1 is (almost) blank"


def test_notice_pdf(report, tmp_path, to_pdf, pdf_text, artifacts):
    vs = [v for v in report.verdicts if v.target.owner == "西县人民政府办公室"]
    docx = write_notice("西县人民政府办公室", vs, tmp_path / "notice.docx", deadline=date(2026, 12, 10),
                        as_of=report.as_of)
    pdf = to_pdf(docx, tmp_path)
    shutil.copy(pdf, artifacts / "notice.pdf")
    flat = _flat(pdf_text(pdf))
    assert "政府网站和政务新媒体问题整改通知" in flat
    assert "西县人民政府办公室：" in flat
    assert "于2026年12月10日前完成整改" in flat
