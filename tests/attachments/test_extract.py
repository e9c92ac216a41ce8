"""extract_attachment / extract_segments: real files of every kind, located segments, and the
guards (zip bombs, encryption, corruption, budgets) — all in-process, no worker."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile

import pytest

from xuncha.extract.attachment_text import (
    MAX_UNZIPPED,
    check_zip,
    column_letter,
    extract_attachment,
    extract_segments,
    sniff,
)
from xuncha.model import TextSegment

from . import files as F


def _loc(segments: list[TextSegment]) -> dict[str, str]:
    return {s.location: s.text for s in segments}


def _find(segments: list[TextSegment], needle: str) -> list[str]:
    return [s.location for s in segments if needle in s.text]


# --------------------------------------------------------------------------- spreadsheets
def test_xlsx_cells_with_sheet_and_cell_locations() -> None:
    segs, err, cut = extract_segments(F.make_xlsx(), "xlsx")
    assert err is None and not cut
    loc = _loc(segs)
    assert loc["工作表「名单」A1"] == "2025年第一季度困难群众补贴发放花名册"
    assert loc["工作表「名单」C4"] == F.ID1
    assert loc["工作表「名单」D4"] == F.MOBILE  # stored as a number, shown as Excel shows it
    assert loc["工作表「名单」E4"] == "1200.5"
    assert loc["工作表「名单」G7"] == "备注：赵六 " + F.ID2
    assert loc["工作表「说明」B2"] == "数据来源：民政局"
    assert loc["隐藏工作表「原始数据」A1"] == "王五 15912345678"  # hidden is still published
    assert "工作表「名单」A2" not in loc  # empty cells give no segment


def test_xls_fixture_biff8() -> None:
    res = extract_attachment(F.fixture("名单.xls"), "xls")
    assert (res.kind, res.error) == ("xls", None)
    loc = _loc(res.segments)
    assert loc["工作表「名单」C4"] == F.ID1
    assert loc["工作表「名单」D4"] == F.MOBILE
    assert loc["工作表「名单」C5"] == F.ID2
    assert loc["隐藏工作表「备用」B2"] == "王五 15912345678"


def test_et_hint_names_the_twin() -> None:
    res = extract_attachment(F.fixture("名单.xls"), ".ET")
    assert res.kind == "et" and res.error is None and _find(res.segments, F.ID1)


def test_csv_gbk_and_utf8_bom() -> None:
    res = extract_attachment(F.make_csv_gbk(), "csv")
    assert (res.kind, res.error) == ("csv", None)
    assert _loc(res.segments)["单元格C2"] == F.ID1
    assert _loc(res.segments)["单元格B3"] == "李四"
    bom = "\ufeff姓名,电话\n张三,13812345678\n".encode()
    assert _loc(extract_attachment(bom, "csv").segments)["单元格B2"] == F.MOBILE


def test_text_and_html_masquerading_as_xls() -> None:
    txt = extract_attachment("第一行\n\n张三 13812345678\n".encode("gb18030"), "txt")
    assert (txt.kind, _loc(txt.segments)) == ("txt", {"第1行": "第一行", "第3行": "张三 13812345678"})
    html = ("<html><head><meta charset=gbk></head><body><table><tr><td>姓名</td><td>身份证号</td></tr>"
            f"<tr><td>张三</td><td>{F.ID1}</td></tr></table></body></html>").encode("gbk")
    res = extract_attachment(html, "xls")  # web systems export "名单.xls" as an HTML table
    assert res.kind == "html" and res.error is None
    assert _loc(res.segments)["表格1第2行"] == f"张三\t{F.ID1}"


# --------------------------------------------------------------------------- documents
def test_docx_paragraphs_and_table_rows_in_order() -> None:
    res = extract_attachment(F.make_docx(), "docx")
    assert (res.kind, res.error) == ("docx", None)
    assert [s.location for s in res.segments] == ["第1段", "第2段", "表格1第1行", "表格1第2行", "表格1第3行", "第3段"]
    loc = _loc(res.segments)
    assert loc["表格1第2行"] == f"张三\t{F.ID1}\t{F.MOBILE}"
    assert "028-61881234" in loc["第3段"]


def test_docx_with_doctype_is_refused() -> None:
    src = zipfile.ZipFile(io.BytesIO(F.make_docx()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>', 1)
            zf.writestr(info.filename, data)
    assert extract_attachment(buf.getvalue(), "docx").error == "corrupt"


def test_pdf_pages_with_cjk_and_digits() -> None:
    res = extract_attachment(F.people_pdf(), "pdf")
    assert (res.kind, res.error) == ("pdf", None)
    assert [s.location for s in res.segments] == ["第1页", "第2页"]
    assert "拟录用人员名单" in res.segments[0].text
    assert _find(res.segments, F.ID1) == ["第2页"]
    assert _find(res.segments, F.MOBILE) == ["第2页"]


def test_pdf_without_text_is_no_text() -> None:
    blank = F.make_pdf([[], []])  # e.g. a scan: pages, no text layer
    assert extract_attachment(blank, "pdf").error == "no_text"


def test_doc_piece_table_fields_tables_and_8bit_pieces() -> None:
    data = F.make_doc(["拟录用人员名单", "张三 " + F.ID1], ascii_tail="Tel " + F.MOBILE,
                      table_row=["李四", F.ID2], field=True)
    res = extract_attachment(data, "doc")
    assert (res.kind, res.error) == ("doc", None)
    loc = _loc(res.segments)
    assert loc["第1段"] == "拟录用人员名单"
    assert loc["第2段"] == "张三 " + F.ID1
    assert loc["第3段"] == "李四\t" + F.ID2  # cell marks become tabs
    assert loc["第4段"] == "见链接。"  # field instructions dropped, result kept
    assert loc["第5段"] == "Tel " + F.MOBILE  # the cp1252 ("compressed") piece
    assert extract_attachment(data, ".wps").kind == "wps"


def test_doc_without_piece_table_falls_back_to_text_runs() -> None:
    data = bytearray(F.make_doc(["张三 身份证号 " + F.ID1, "第二段"]))
    # point the CLX outside the table stream: the piece table cannot be read
    ole_word = data.find(struct.pack("<HH", 0xA5EC, 0x00C1))
    struct.pack_into("<II", data, ole_word + 0x1A2, 10_000_000, 21)
    res = extract_attachment(bytes(data), "doc")
    assert res.error is None
    assert any(F.ID1 in s.text and s.location.startswith("片段") for s in res.segments)


# --------------------------------------------------------------------------- refusals
def test_encrypted_files() -> None:
    assert extract_attachment(F.make_pdf([[("latin", "x")]], encrypt=True), "pdf").error == "encrypted"
    assert extract_attachment(F.make_doc(["x"], encrypted=True), "doc").error == "encrypted"
    res = extract_attachment(F.encrypted_ooxml(), "xlsx")  # a password-protected .xlsx is OLE2
    assert (res.kind, res.error) == ("xlsx", "encrypted")
    data = bytearray(F.make_docx())  # a ZIP member with the "encrypted" flag
    pos = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, pos + 8, struct.unpack_from("<H", data, pos + 8)[0] | 1)
    assert extract_attachment(bytes(data), "docx").error == "encrypted"


def test_corrupt_files() -> None:
    assert extract_attachment(b"%PDF-1.4\n" + bytes(range(256)) * 8, "pdf").error == "corrupt"
    assert extract_attachment(F.make_xlsx()[:3000], "xlsx").error == "corrupt"  # no central directory
    assert extract_attachment(F.make_doc(["x"])[:1500], "doc").error == "corrupt"
    assert extract_attachment(b"", "pdf").error == "corrupt"


def test_unsupported_and_images() -> None:
    assert extract_attachment(b"Rar!\x1a\x07\x00" + b"\x00" * 100, "rar").error == "unsupported"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:  # an archive of files: nested content is not followed
        zf.writestr("名单.xlsx", F.make_xlsx())
    assert extract_attachment(buf.getvalue(), "zip").kind == "zip"
    assert extract_attachment(buf.getvalue(), "zip").error == "unsupported"
    assert extract_attachment(F.make_cfb({"PowerPoint Document": b"x"}), "ppt").error == "unsupported"
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    assert extract_attachment(png, "pdf").kind == "image"  # the bytes decide, not the name
    assert extract_attachment(png, "pdf").error == "no_text"
    assert extract_attachment(bytes(range(256)) * 10, "txt").error == "unsupported"  # binary


def test_type_from_bytes_not_extension() -> None:
    assert sniff(F.people_pdf()) == "pdf"
    res = extract_attachment(F.make_xlsx(), "doc")  # an xlsx linked as .doc
    assert res.kind == "xlsx" and _find(res.segments, F.ID1)
    assert extract_attachment(F.people_pdf(), "xls").kind == "pdf"


# --------------------------------------------------------------------------- zip bombs
def test_zip_bomb_refused_without_inflating() -> None:
    bomb = F.zip_bomb()  # 200 MB of zeros in ~0.9 MB
    assert len(bomb) < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        t = time.perf_counter()
        res = extract_attachment(bomb, "xlsx")
        elapsed = time.perf_counter() - t
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert res.error == "zip_bomb"
    assert elapsed < 0.5
    assert peak < 4 * 1024 * 1024  # nothing was inflated
    with zipfile.ZipFile(io.BytesIO(bomb)) as zf:
        assert check_zip(zf) == "zip_bomb"
        assert check_zip(zf, max_unzipped=300 * 1024 * 1024, max_ratio=10_000) is None


def test_zip_bomb_by_ratio_under_the_size_limit() -> None:
    bomb = F.zip_bomb(20 * 1024 * 1024, level=9)  # 20 MB < 100 MB, ratio ~1000
    assert extract_attachment(bomb, "docx").error == "zip_bomb"
    assert extract_attachment(bomb, "xlsx", max_ratio=5000).error != "zip_bomb"
    assert extract_attachment(bomb, "xlsx", max_unzipped=10 * 1024 * 1024, max_ratio=5000).error == "zip_bomb"
    assert MAX_UNZIPPED == 100 * 1024 * 1024


def test_zip_that_lies_about_its_sizes() -> None:
    """The central directory says 2 MB, the member inflates to 60 MB: caught before calamine."""
    lying = F.lying_xlsx()
    with zipfile.ZipFile(io.BytesIO(lying)) as zf:
        assert check_zip(zf) is None  # the directory alone looks fine
    tracemalloc.start()
    try:
        t = time.perf_counter()
        assert extract_attachment(lying, "xlsx").error == "zip_bomb"
        elapsed = time.perf_counter() - t
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 8 * 1024 * 1024  # inflated chunk by chunk, never whole


def test_too_many_members() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for i in range(10_001):
            zf.writestr(f"x/{i}", b"")
    assert extract_attachment(buf.getvalue(), "docx").error == "zip_bomb"


# --------------------------------------------------------------------------- budgets
def test_max_chars_truncates() -> None:
    res = extract_attachment(F.make_xlsx(), "xlsx", max_chars=60)
    assert res.truncated and res.error is None
    assert sum(len(s.text) + len(s.location) for s in res.segments) <= 60
    assert res.segments[0].location == "工作表「名单」A1"
    big = ("张三,13812345678\n" * 50_000).encode()
    segs, err, cut = extract_segments(big, "csv", max_chars=10_000)
    assert cut and err is None and sum(len(s.text) + len(s.location) for s in segs) <= 10_000


def test_truncated_download_reads_up_to_the_cut() -> None:
    data = ("序号,姓名,电话\n" + "1,张三,13812345678\n" * 10).encode("utf-8")
    cut = data[:-7] + "张".encode()[:2]  # cut inside a character
    res = extract_attachment(cut, "csv", truncated_input=True)
    assert res.error is None and _find(res.segments, F.MOBILE)


@pytest.mark.parametrize(("i", "name"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
def test_column_letters(i: int, name: str) -> None:
    assert column_letter(i) == name
