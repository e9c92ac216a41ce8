"""Real attachment files built in memory for the tests (nothing downloaded, nothing large on disk).

People, ID numbers and phone numbers are made up; the two IDs are the standard checksum
examples (valid ISO 7064 MOD 11-2), so a privacy check would flag them.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ID1 = "11010519491231002X"
ID2 = "440524188001010014"
MOBILE = "13812345678"


# --------------------------------------------------------------------------- PDF
def make_pdf(pages: list[list[tuple[str, str]]], *, encrypt: bool = False) -> bytes:
    """A hand-written PDF. Each page is a list of (font, text): "cjk" uses the standard CID font
    STSong-Light with the predefined UniGB-UCS2-H CMap (no embedding, no ToUnicode), "latin" uses
    Helvetica. ``encrypt`` adds a Standard security handler whose user password is not empty."""
    objs: list[bytes] = []

    def add(b: bytes) -> int:
        objs.append(b)
        return len(objs)

    catalog = add(b"")
    pages_id = add(b"")
    desc = add(b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900]"
               b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>")
    cid = add(b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo"
              b" << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor %d 0 R /DW 1000 >>" % desc)
    cjk = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UCS2-H /Encoding /UniGB-UCS2-H"
              b" /DescendantFonts [%d 0 R] >>" % cid)
    latin = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    for lines in pages:
        ops = [b"BT"]
        y = 760
        for font, text in lines:
            if font == "cjk":
                s = b"<" + text.encode("utf-16-be").hex().encode() + b">"
                name = b"F1"
            else:
                s = b"(" + text.encode("latin-1") + b")"
                name = b"F2"
            ops.append(b"/%s 12 Tf 1 0 0 1 72 %d Tm %s Tj" % (name, y, s))
            y -= 20
        ops.append(b"ET")
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources"
                        b" << /Font << /F1 %d 0 R /F2 %d 0 R >> >> /Contents %d 0 R >>"
                        % (pages_id, cjk, latin, content)))
    objs[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objs[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    enc = add(b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (b"ab" * 32, b"cd" * 32)) if encrypt else 0
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, o)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objs) + 1, catalog)
    if enc:
        trailer += b" /Encrypt %d 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]" % enc
    out += b"trailer\n%s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
    return bytes(out)


def people_pdf() -> bytes:
    return make_pdf([
        [("cjk", "关于拟录用人员名单的公示"), ("latin", "2025-03-14")],
        [("cjk", "张三 身份证号："), ("latin", ID1), ("cjk", "联系电话：" + MOBILE)],
    ])


# --------------------------------------------------------------------------- OLE2 (CFB)
_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def make_cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal compound file (version 3, 512-byte sectors). Streams are padded to 4096 bytes
    so that none lives in the mini stream; directory entries are chained as right siblings."""
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    datas = [streams[n] + b"\x00" * max(0, 4096 - len(streams[n])) for n in names]
    datas = [d + b"\x00" * (-len(d) % 512) for d in datas]
    n_entries = len(names) + 1
    dir_sectors = -(-n_entries * 128 // 512)
    data_sectors = sum(len(d) // 512 for d in datas)
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + dir_sectors + data_sectors:
        fat_sectors += 1
    assert fat_sectors <= 109
    fat = [_FATSECT] * fat_sectors
    first_dir = len(fat)
    fat += [first_dir + i + 1 for i in range(dir_sectors - 1)] + [_END]
    starts = []
    for d in datas:
        n = len(d) // 512
        start = len(fat)
        starts.append(start)
        fat += [start + i + 1 for i in range(n - 1)] + [_END]
    fat += [_FREE] * (fat_sectors * 128 - len(fat))

    def entry(name: str, typ: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        return (raw.ljust(64, b"\x00") + struct.pack("<HBB3I", len(raw), typ, 1, _NOSTREAM, right, child)
                + b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16 + struct.pack("<IQ", start, size))

    entries = [entry("Root Entry", 5, _NOSTREAM, 1 if names else _NOSTREAM, _END, 0)]
    for i, (name, start) in enumerate(zip(names, starts, strict=True), 1):
        # declared sizes include the padding: a stream under 4096 bytes would live in the mini stream
        entries.append(entry(name, 2, i + 1 if i < len(names) else _NOSTREAM, _NOSTREAM, start,
                             len(datas[i - 1])))
    empty = b"\x00" * 64 + struct.pack("<HBB3I", 0, 0, 0, _NOSTREAM, _NOSTREAM, _NOSTREAM) + b"\x00" * 48
    directory = b"".join(entries) + empty * (dir_sectors * 4 - len(entries))
    difat = list(range(fat_sectors)) + [_FREE] * (109 - fat_sectors)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, fat_sectors, first_dir, 0, 4096, _END, 0, _END, 0)
              + struct.pack("<109I", *difat))
    assert len(header) == 512
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return header + fat_bytes + directory + b"".join(datas)


def make_doc(paragraphs: list[str], *, ascii_tail: str = "", encrypted: bool = False,
             table_row: list[str] | None = None, field: bool = False) -> bytes:
    """A Word 97 binary document: FIB + a two-piece table (UTF-16LE piece for the Chinese text,
    an 8-bit "compressed" piece for ``ascii_tail``), stored in a real compound file."""
    text = "\r".join(paragraphs) + "\r"
    if table_row:
        text += "\x07".join(table_row) + "\x07\x07\r"
    if field:
        text += "见\x13 HYPERLINK \"http://x.gov.cn/secret\" \x14链接\x15。\r"
    tail = (ascii_tail + "\r") if ascii_tail else ""
    word = bytearray(0x800 + 2 * len(text) + 0x100 + len(tail) + 0x100)
    struct.pack_into("<HH", word, 0, 0xA5EC, 0x00C1)
    flags = 0x0200 | (0x0100 if encrypted else 0)  # fWhichTblStm=1 -> 1Table
    struct.pack_into("<H", word, 0x0A, flags)
    struct.pack_into("<H", word, 32, 14)
    struct.pack_into("<H", word, 62, 22)
    struct.pack_into("<I", word, 76, len(text) + len(tail))  # ccpText
    struct.pack_into("<H", word, 152, 0x5D)
    utf16_at = 0x800
    word[utf16_at : utf16_at + 2 * len(text)] = text.encode("utf-16-le")
    ascii_at = utf16_at + 2 * len(text) + 0x100
    word[ascii_at : ascii_at + len(tail)] = tail.encode("cp1252")
    cps = [0, len(text)]
    pcds = [struct.pack("<HIH", 0, utf16_at, 0)]
    if tail:
        cps.append(len(text) + len(tail))
        pcds.append(struct.pack("<HIH", 0, (ascii_at * 2) | 0x40000000, 0))
    plc = struct.pack(f"<{len(cps)}I", *cps) + b"".join(pcds)
    clx = b"\x01" + struct.pack("<H", 3) + b"\x00\x00\x00" + b"\x02" + struct.pack("<I", len(plc)) + plc
    table = b"\x00" * 16 + clx
    struct.pack_into("<II", word, 0x1A2, 16, len(clx))
    return make_cfb({"WordDocument": bytes(word), "1Table": table})


def encrypted_ooxml() -> bytes:
    """How Office stores a password-protected .docx/.xlsx: an OLE2 file with an encrypted package."""
    return make_cfb({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00" + b"\x00" * 200,
                     "EncryptedPackage": b"\x00" * 5000})


# --------------------------------------------------------------------------- OOXML
def make_xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    ws["A1"] = "2025年第一季度困难群众补贴发放花名册"
    ws.append([])
    ws.append(["序号", "姓名", "身份证号", "联系电话", "发放金额"])
    ws.append([1, "张三", ID1, int(MOBILE), 1200.5])
    ws.append([2, "李四", ID2, "139****5678", 800])
    ws["G7"] = "备注：赵六 " + ID2
    other = wb.create_sheet("说明")
    other["B2"] = "数据来源：民政局"
    hidden = wb.create_sheet("原始数据")
    hidden["A1"] = "王五 15912345678"
    hidden.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def make_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_heading("关于2025年公开招聘拟录用人员的公示", level=1)
    d.add_paragraph("根据公开招聘工作安排，现将拟录用人员名单公示如下：")
    t = d.add_table(rows=3, cols=3)
    for r, row in enumerate([("姓名", "身份证号", "电话"), ("张三", ID1, MOBILE), ("李四", ID2, "139****5678")]):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    d.add_paragraph("公示期：2025年3月14日至3月20日。联系电话：028-61881234")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def make_csv_gbk() -> bytes:
    rows = ["序号,姓名,身份证号,手机号", f"1,张三,{ID1},{MOBILE}", f"2,李四,{ID2},139****5678"]
    return ("\r\n".join(rows) + "\r\n").encode("gbk")


@functools.lru_cache(maxsize=4)
def zip_bomb(size: int = 200 * 1024 * 1024, level: int = 1) -> bytes:
    """An .xlsx-looking ZIP whose sheet inflates to ``size`` bytes of zeros, compressed in a
    stream (never held whole): 200 MB at level 1 is ~0.9 MB (ratio ~230), at level 9 ~1000."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("_rels/.rels", '<Relationships><Relationship Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        chunk = b"\x00" * (1024 * 1024)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            for _ in range(size // len(chunk)):
                f.write(chunk)
    return buf.getvalue()


def lying_xlsx(real: int = 60 * 1024 * 1024, declared: int = 2 * 1024 * 1024) -> bytes:
    """A valid-looking .xlsx whose sheet member declares ``declared`` bytes but inflates to
    ``real``: the central directory passes the size and ratio checks, the content does not."""
    base = make_xlsx()
    src = zipfile.ZipFile(io.BytesIO(base))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                continue
            zf.writestr(info.filename, src.read(info.filename))
        with zf.open("xl/worksheets/sheet1.xml", "w") as f:
            body = b"<x>" + b" " * (1024 * 1024 - 3)
            for _ in range(real // len(body)):
                f.write(body)
    data = bytearray(buf.getvalue())
    # patch the declared uncompressed size in the local header and in the central directory
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    name = info.filename.encode()
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        n_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + n_len]) == name:
            struct.pack_into("<I", data, pos + 24, declared)
            break
        pos = data.find(b"PK\x01\x02", pos + 4)
    return bytes(data)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()
