"""Binary and static assets of the demo world, written by hand so they are small and byte-stable.

* PDF: a one-page PDF 1.4 whose Chinese text uses the standard CJK font STSong-Light with the
  UniGB-UCS2-H encoding (no embedded font; text extractors can still read it).
* DOCX / XLSX: real Office Open XML packages; zip entry times and document properties are fixed
  so the same seed gives the same bytes.
* PNG: flat-coloured pictures (news photos, logo, badges).
* CSS / JS: the few scripts real CMSs ship (TRS ``createPageHTML``, tab switching, 找错 entry).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from datetime import datetime
from xml.sax.saxutils import escape

_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------- PNG
def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width: int, height: int, rows: list[bytes]) -> bytes:
    """An 8-bit RGB PNG from ``height`` raw rows of ``width * 3`` bytes."""
    raw = b"".join(b"\x00" + r for r in rows)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", zlib.compress(raw, 9)) + _png_chunk(b"IEND", b"")


def png_picture(seed: int, width: int = 320, height: int = 200) -> bytes:
    """A 'photo': sky, ground and a block in colours derived from ``seed``."""
    a = (seed * 73) % 200 + 30
    b = (seed * 151) % 200 + 30
    sky = bytes((120, 170, 220)) * width
    ground = bytes((a, b, 90)) * width
    block_w = width // 3
    mid = bytes((a, b, 90)) * block_w + bytes((200, a, b)) * block_w + bytes((a, b, 90)) * (width - 2 * block_w)
    rows = [sky] * (height // 2) + [mid] * (height // 4) + [ground] * (height - height // 2 - height // 4)
    return png(width, height, rows)


def png_flat(width: int, height: int, rgb: tuple[int, int, int], band: tuple[int, int, int] | None = None) -> bytes:
    row = bytes(rgb) * width
    rows = [row] * height
    if band is not None:
        brow = bytes(band) * width
        for i in range(height // 3, height // 3 + max(2, height // 6)):
            rows[i] = brow
    return png(width, height, rows)


# --------------------------------------------------------------------------- PDF
def pdf_document(title: str, lines: list[str]) -> bytes:
    """A one-page PDF showing ``title`` and ``lines`` in STSong-Light (UniGB-UCS2-H)."""

    def hexs(s: str) -> str:
        return "<" + s.encode("utf-16-be").hex().upper() + ">"

    ops = ["BT", "/F1 16 Tf", "72 770 Td", f"{hexs(title)} Tj", "/F1 11 Tf"]
    for line in lines:
        ops += ["0 -22 Td", f"{hexs(line)} Tj"]
    ops.append("ET")
    stream = "\n".join(ops).encode("ascii")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
        b"<< /Producer (xuncha demo) /Title " + hexs(title).encode("ascii") + b" >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Info {len(objs)} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# --------------------------------------------------------------------------- Office
def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()


def normalize_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite a zip package with fixed entry times and fixed Office document dates."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    entries = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            body = z.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = body.decode("utf-8")
                text = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)", rf"\g<1>{stamp}\g<3>", text)
                body = text.encode("utf-8")
            entries.append((info.filename, body))
    return _zip(entries)


def docx_document(title: str, paragraphs: list[str]) -> bytes:
    """A minimal valid .docx with a title and paragraphs."""
    ct = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    )
    paras = [f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/><w:sz w:val="36"/></w:rPr><w:t>{escape(title)}</w:t></w:r></w:p>']
    paras += [f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(p)}</w:t></w:r></w:p>" for p in paragraphs]
    doc = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + "".join(paras)
        + "<w:sectPr/></w:body></w:document>"
    )
    return _zip([("[Content_Types].xml", ct.encode()), ("_rels/.rels", rels.encode()), ("word/document.xml", doc.encode())])


def xlsx_table(title: str, rows: list[tuple[str, ...]], when: datetime | None = None) -> bytes:
    """An .xlsx (openpyxl) with a title row and ``rows``; byte-stable."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append([title])
    for r in rows:
        ws.append(list(r))
    fixed = when or datetime(2020, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "xuncha demo"
    buf = io.BytesIO()
    wb.save(buf)
    return normalize_zip(buf.getvalue(), fixed)


# --------------------------------------------------------------------------- CSS / JS
def stylesheet(main: str, accent: str) -> str:
    """Site CSS with a responsive block (the mobile adaptation real portals ship)."""
    return f"""@charset "utf-8";
body{{margin:0;font:14px/1.8 "Microsoft YaHei",SimSun,Arial,sans-serif;color:#333;background:#f4f4f4}}
a{{color:#333;text-decoration:none}}a:hover{{color:{main}}}
ul{{margin:0;padding:0;list-style:none}}
.w1200,.container,.wrap{{width:1200px;margin:0 auto;background:#fff}}
.header,.head,#header{{height:140px;background:{main};color:#fff}}
.header h1,.logo h1{{margin:0;padding:36px 20px;font-size:34px;letter-spacing:2px}}
.nav,#menu,.daohang,nav.mainnav{{background:{accent}}}
.nav li,#menu li,.daohang li,nav.mainnav li{{display:inline-block;position:relative}}
.nav a,#menu a,.daohang a,nav.mainnav a,table.nav a{{display:block;padding:0 22px;line-height:46px;color:#fff;font-size:16px}}
#menu dl{{display:none;position:absolute;background:#fff;z-index:9}}#menu li:hover dl{{display:block}}
.list li,.news-list li{{line-height:36px;border-bottom:1px dashed #ddd;overflow:hidden}}
.list li span,.news-list li span,.date{{float:right;color:#999}}
table.xxgk,table.list-table,table.letters,table.bszn{{width:100%;border-collapse:collapse}}
table.xxgk td,table.xxgk th,table.list-table td,table.list-table th,table.letters td,table.letters th,table.bszn td,table.bszn th{{border:1px solid #ddd;padding:6px 8px}}
.footer,#footer,.foot,.bottom{{background:#2b2b2b;color:#ccc;text-align:center;padding:20px 0;font-size:13px}}
.footer a,#footer a,.foot a,.bottom a{{color:#ccc}}
.page,.pagelist,.pagination{{text-align:center;padding:16px 0}}
.article h1,.content h1,.detail h1{{font-size:24px;text-align:center;color:{main}}}
.info,.property{{text-align:center;color:#888;border-bottom:1px solid #eee;padding-bottom:8px}}
@media screen and (max-width:768px){{
.w1200,.container,.wrap{{width:100%}}
.header,.head,#header{{height:auto}}.header h1,.logo h1{{font-size:22px;padding:16px}}
.nav li,#menu li,.daohang li,nav.mainnav li{{display:block}}
.footer,#footer,.foot,.bottom{{font-size:12px}}
}}
"""


COMMON_JS = """// 公共脚本：日期显示、选项卡切换
function showDate(id){
  var d = new Date();
  var w = ["日","一","二","三","四","五","六"];
  var el = document.getElementById(id);
  if(el){ el.innerHTML = "今天是" + d.getFullYear() + "年" + (d.getMonth()+1) + "月" + d.getDate() + "日 星期" + w[d.getDay()]; }
}
function tabSwitch(group, idx){
  var tabs = document.querySelectorAll("[data-tab-group='" + group + "']");
  for (var i = 0; i < tabs.length; i++) {
    tabs[i].className = (i == idx) ? "on" : "";
    var box = document.getElementById(group + "_" + i);
    if (box) { box.style.display = (i == idx) ? "block" : "none"; }
  }
}
function addFavorite(){ alert("请按 Ctrl+D 收藏本站"); }
"""

# TRS WCM's pagination helper, as shipped on countless portals (list pages are index.html,
# index_1.html, index_2.html ...; the page count is only visible to JavaScript).
PAGE_JS = """function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount<=1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  if(nCurrIndex == 0)
    document.write("<span>首页</span>&nbsp;<span>上一页</span>&nbsp;");
  else {
    var nPreIndex = nCurrIndex - 1;
    var sPreFileExt = nPreIndex == 0 ? "" : ("_" + nPreIndex);
    document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">首页</a>&nbsp;");
    document.write("<a href=\\"" + _sPageName + sPreFileExt + "." + _sPageExt + "\\">上一页</a>&nbsp;");
  }
  if(nCurrIndex == _nPageCount - 1)
    document.write("<span>下一页</span>&nbsp;<span>尾页</span>");
  else {
    var nNextIndex = nCurrIndex + 1;
    document.write("<a href=\\"" + _sPageName + "_" + nNextIndex + "." + _sPageExt + "\\">下一页</a>&nbsp;");
    document.write("<a href=\\"" + _sPageName + "_" + (_nPageCount-1) + "." + _sPageExt + "\\">尾页</a>");
  }
  document.write("&nbsp;共" + _nPageCount + "页");
}
"""

# A site's own copy of the 找错 helper: the URL is built on click from window.top.location.
JIUCUO_LOCAL_JS = """// 我为政府网站找错
function Link(site_code){
  var url = window.top.location.href;
  var jiucuo = "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=" + site_code + "&url=" + encodeURIComponent(url);
  window.open(jiucuo);
}
"""

# What zfwzgl.www.gov.cn/exposure/jiucuo.js does for the official embed
# <script id="_jiucuo_" sitecode="..." src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js">.
JIUCUO_OFFICIAL_JS = """(function(){
  var s = document.getElementById("_jiucuo_");
  var code = s ? s.getAttribute("sitecode") : "";
  document.write('<span id="_span_jiucuo"><img onclick="Link(\\'' + code + '\\')" style="margin:0;border:0;cursor:pointer;" '
    + 'src="https://zfwzgl.www.gov.cn/exposure/images/jiucuo.png?v=' + code + '"></span>');
})();
function Link(site_code){
  var url = window.top.location.href;
  window.open("https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=" + site_code + "&url=" + encodeURIComponent(url));
}
"""


def conac_js(conac_id: str) -> str:
    """The script dcs.conac.cn serves for a badge: writes the badge link and image."""
    return (
        "document.write('<a href=\"https://bszs.conac.cn/sitename?method=show&id=" + conac_id + "\" target=\"_blank\">"
        "<img id=\"imgConac\" vspace=\"0\" hspace=\"0\" border=\"0\" src=\"https://dcs.conac.cn/image/red.png\" "
        "data-bd-imgshare-binded=\"1\"></a>');\n"
    )
