"""Text of attachments (pdf, doc(x), xls(x), et, wps, csv, txt, ods) with where each piece came from.

Privacy and content checks read attachments through this module: bytes in, ``TextSegment``s
out, each with a Chinese location a person can find again ("工作表「名单」C7", "第3页",
"第12段", "表格2第4行", "单元格C7" for CSV, "第5行" for plain text).

The real type is taken from the bytes (magic numbers, the OLE2 stream names, the OOXML
relationships), never from the extension; ``kind_hint`` (the extension or content type) only
names a format's twin (an OLE2 Word file linked as ``.wps`` is reported as "wps", an OLE2
workbook as ``.et`` as "et"). Libraries:

* pdf: pypdfium2 (Google's PDFium): fast, tolerant of broken files, decodes the predefined
  Chinese CMaps (STSong-Light / UniGB-UCS2-H) that government PDFs often use without a
  ToUnicode map. One segment per page.
* xlsx / xlsb / xls / ods / et: python-calamine (Rust calamine): one reader for the OOXML, BIFF8
  and ODF spreadsheets, many times faster than openpyxl and xlrd. One segment per non-empty
  cell; hidden sheets are read too (hidden is still published).
* docx: word/document.xml streamed with the standard library's expat (no DOCTYPE allowed, so no
  entity tricks), body paragraphs and table rows in document order; tracked deletions are kept
  (they are still in the file). Headers, footers, footnotes and comments are not read.
* doc / wps (OLE2 Word 97-2003 binary), best effort: olefile opens the compound file, the text
  is read through the FIB's piece table (CLX); field instructions are dropped. When the piece
  table cannot be read, a scan for UTF-16LE text runs of the WordDocument stream is the
  fallback (locations "片段N"; order and completeness not guaranteed). Word 6/95 files and
  fast-saved files with a complex table may lose text.
* csv / txt: BOM, then strict UTF-8, then strict GB18030; binary data is refused.

Safety. ``extract_segments`` is bounded in what it keeps (``max_chars``, locations included,
then ``truncated``) and never inflates a ZIP blindly: the central directory is inspected first
(total declared size > ``max_unzipped``, any member of at least 1 MiB with a ratio above
``max_ratio``, more than 10 000 members ⇒ "zip_bomb"; encrypted members ⇒ "encrypted"), and
before a ZIP goes to the Rust reader every member is inflated once through a bounded
decompressor to prove it does not produce more than it declares (a lying size is a bomb too).
Nested archives are never followed.

Time and memory cannot be bounded inside a C or Rust parser, and such a parser may even abort
the whole process on a damaged file (calamine does on some broken .xls: a Rust allocation of
100 GB, or a panic). So anything downloaded goes through :func:`extract_isolated`, which runs
the same function in a worker process (``python -c``, long-lived, address space capped by
RLIMIT_AS on Linux, length-prefixed pickles over its stdin/stdout), kills it when the
wall-clock limit passes ("timeout") and replaces it when it dies ("crashed"). A worker
handles one file at a time; a small pool (:class:`ExtractPool`) lets a few run side by side.
The in-process functions are for trusted files and tests.

Errors are short tokens, never exceptions: zip_bomb, encrypted, corrupt, unsupported,
too_large (memory limit), no_text (pages or images without any text: scans need OCR),
timeout, crashed.
"""

from __future__ import annotations

import atexit
import codecs
import contextlib
import csv
import io
import os
import pickle
import queue
import re
import select
import struct
import subprocess
import sys
import threading
import time as time_module
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from xml.etree import ElementTree as ET

from xuncha.model import TextSegment

__all__ = [
    "ERRORS",
    "ExtractPool",
    "ExtractResult",
    "check_zip",
    "column_letter",
    "default_pool",
    "extract_attachment",
    "extract_isolated",
    "extract_segments",
    "sniff",
]

# Error tokens (Attachment.error); the checks treat every one as "inconclusive".
ZIP_BOMB = "zip_bomb"
ENCRYPTED = "encrypted"
CORRUPT = "corrupt"
UNSUPPORTED = "unsupported"
TOO_LARGE = "too_large"
NO_TEXT = "no_text"
TIMEOUT = "timeout"
CRASHED = "crashed"
ERRORS: tuple[str, ...] = (ZIP_BOMB, ENCRYPTED, CORRUPT, UNSUPPORTED, TOO_LARGE, NO_TEXT, TIMEOUT, CRASHED)

MAX_CHARS = 2_000_000
MAX_UNZIPPED = 100 * 1024 * 1024
MAX_RATIO = 200
MAX_ZIP_MEMBERS = 10_000
RATIO_FLOOR = 1024 * 1024  # small members compress well without being bombs
_CHUNK = 256 * 1024

# --------------------------------------------------------------------------- results


@dataclass
class ExtractResult:
    """What came out of one file: its real kind, the segments, why reading stopped."""

    kind: str  # pdf, docx, doc, wps, xlsx, xlsb, xls, et, ods, csv, txt, image, html, ...
    segments: list[TextSegment] = field(default_factory=list)
    error: str | None = None
    truncated: bool = False


class _Sink:
    """Collects segments until ``max_chars`` (text + location) is spent."""

    __slots__ = ("segments", "left", "truncated")

    def __init__(self, max_chars: int) -> None:
        self.segments: list[TextSegment] = []
        self.left = max_chars
        self.truncated = False

    def add(self, location: str, text: str) -> bool:
        """Keep one segment (stripped, empty ones dropped); False once the budget is spent."""
        if self.truncated:
            return False
        text = text.strip()
        if not text:
            return True
        cost = len(text) + len(location)
        if cost <= self.left:
            self.segments.append(TextSegment(location, text))
            self.left -= cost
            return True
        room = self.left - len(location)
        if room > 0:
            self.segments.append(TextSegment(location, text[:room]))
        self.left = 0
        self.truncated = True
        return False


class _Fail(Exception):
    """Stop reading with an error token."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


# --------------------------------------------------------------------------- sniffing
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC: tuple[bytes, ...] = (
    b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*", b"BM",
)
_ARCHIVE_MAGIC: dict[bytes, str] = {
    b"Rar!\x1a\x07": "rar", b"7z\xbc\xaf\x27\x1c": "7z", b"\x1f\x8b": "gz",
}
_WORD_TWINS = {"wps": "wps"}  # hint -> kind for an OLE2 Word file
_SHEET_TWINS = {"et": "et"}  # hint -> kind for an OLE2 workbook


_CONTENT_TYPES = {
    "pdf": "pdf", "csv": "csv", "plain": "txt", "msword": "doc", "vnd.ms-excel": "xls",
    "vnd.ms-works": "wps", "html": "html",
    "vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "vnd.oasis.opendocument.spreadsheet": "ods",
}


def _hint(kind_hint: str) -> str:
    """'.XLS', 'xls', 'application/pdf' -> a bare lower-case extension-like hint."""
    h = (kind_hint or "").strip().lower()
    if "/" in h:  # a content type
        sub = h.split(";", 1)[0].rsplit("/", 1)[-1].strip()
        return _CONTENT_TYPES.get(sub, "")
    return h.lstrip(".")


def sniff(data: bytes) -> str:
    """Container type from the first bytes: pdf, ole, zip, image, rar/7z/gz, or text."""
    head = data[:8]
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return "zip"
    if b"%PDF-" in data[:1024]:  # the spec tolerates junk before the header
        return "pdf"
    for magic, name in _ARCHIVE_MAGIC.items():
        if head.startswith(magic):
            return name
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    return "text"


# --------------------------------------------------------------------------- ZIP guard
def check_zip(
    zf: zipfile.ZipFile, *, max_unzipped: int = MAX_UNZIPPED, max_ratio: int = MAX_RATIO
) -> str | None:
    """zip_bomb / encrypted from the central directory alone (nothing is inflated), else None."""
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        return ZIP_BOMB
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            return ENCRYPTED
        total += info.file_size
        if total > max_unzipped:
            return ZIP_BOMB
        if info.file_size >= RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            return ZIP_BOMB
    return None


def _verify_zip(data: bytes, zf: zipfile.ZipFile) -> None:
    """Inflate every member through a bounded decompressor: far more output than declared ⇒
    bomb, another size than declared ⇒ corrupt.

    Python's zipfile stops at the declared size, but other readers (the Rust one behind
    calamine) may not; this proves the declared sizes true before such a reader sees the file.
    Memory stays at one chunk whatever the member holds.
    """
    for info in zf.infolist():
        if info.is_dir() or info.file_size == 0 and info.compress_size == 0:
            continue
        start = info.header_offset
        if data[start : start + 4] != b"PK\x03\x04":
            raise _Fail(CORRUPT)
        name_len, extra_len = struct.unpack_from("<HH", data, start + 26)
        pos = start + 30 + name_len + extra_len
        end = pos + info.compress_size
        if end > len(data):
            raise _Fail(CORRUPT)
        if info.compress_type == zipfile.ZIP_STORED:
            if info.compress_size != info.file_size:
                raise _Fail(CORRUPT)
            continue
        if info.compress_type != zipfile.ZIP_DEFLATED:
            raise _Fail(UNSUPPORTED)
        d = zlib.decompressobj(-15)
        out = 0
        # A little more than declared is a damaged member; far more is a bomb.
        bomb_at = max(2 * info.file_size, info.file_size + RATIO_FLOOR)
        for i in range(pos, end, _CHUNK):
            buf = data[i : min(i + _CHUNK, end)]
            while buf:
                try:
                    piece = d.decompress(buf, _CHUNK)
                except zlib.error:
                    raise _Fail(CORRUPT) from None
                out += len(piece)
                if out > bomb_at:
                    raise _Fail(ZIP_BOMB)
                buf = d.unconsumed_tail
            if d.eof:
                break
        if out != info.file_size:
            raise _Fail(CORRUPT)


# --------------------------------------------------------------------------- helpers
def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (spreadsheet column names)."""
    index += 1
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _cell_text(v: Any) -> str:
    """A cell as a person sees it in a spreadsheet (15 significant digits for numbers)."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return ""
        shown = float(f"{v:.15g}")
        if shown.is_integer():
            return str(int(shown))
        return f"{v:.15g}"
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, date | time):
        return v.isoformat()
    if isinstance(v, timedelta):
        return str(v)
    return "" if v is None else str(v)


# --------------------------------------------------------------------------- readers
def _read_pdf(data: bytes, sink: _Sink) -> str | None:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == 4:  # FPDF_ERR_PASSWORD: a user password is needed to open it
            return ENCRYPTED
        if code == 6:  # FPDF_ERR_SECURITY: unsupported security handler
            return ENCRYPTED
        return CORRUPT
    try:
        pages = len(pdf)
        if pages == 0:
            return CORRUPT
        any_text = False
        bad_pages = 0
        for i in range(pages):
            try:
                page = pdf[i]
                try:
                    tp = page.get_textpage()
                    try:
                        text = tp.get_text_range()
                    finally:
                        tp.close()
                finally:
                    page.close()
            except pdfium.PdfiumError:
                bad_pages += 1
                continue
            text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
            if text.strip():
                any_text = True
            if not sink.add(f"第{i + 1}页", text):
                break
        if bad_pages:
            return CORRUPT
        return None if any_text else NO_TEXT
    finally:
        pdf.close()


def _read_workbook(data: bytes, sink: _Sink) -> str | None:
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError:
        return ENCRYPTED
    except (pc.CalamineError, pc.ZipError, pc.XmlError, ValueError, OSError):
        return CORRUPT
    with wb:
        for meta in wb.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            hidden = meta.visible != pc.SheetVisibleEnum.Visible
            prefix = f"{'隐藏' if hidden else ''}工作表「{meta.name}」"
            try:
                sheet = wb.get_sheet_by_name(meta.name)
                start = sheet.start
                rows = sheet.to_python() if start is not None else []
            except pc.PasswordError:
                return ENCRYPTED
            except (pc.CalamineError, pc.ZipError, pc.XmlError, ValueError):
                return CORRUPT
            if start is None:
                continue
            r0, c0 = start
            width = max((len(row) for row in rows), default=0)
            cols = [prefix + column_letter(c0 + c) for c in range(width)]
            add = sink.add
            for r, row in enumerate(rows, r0 + 1):
                rname = str(r)
                for c, v in enumerate(row):
                    if v == "" or v is None:
                        continue
                    if not add(cols[c] + rname, v if type(v) is str else _cell_text(v)):
                        return None
    return None


# OOXML / ODF --------------------------------------------------------------------------
_REL_OFFICE = re.compile(rb'Type="[^"]*/officeDocument"[^>]*?Target="([^"]+)"|Target="([^"]+)"[^>]*?Type="[^"]*/officeDocument"')
_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}


def _small_member(zf: zipfile.ZipFile, name: str, limit: int = 1024 * 1024) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > limit:
        return None
    with zf.open(info) as f:
        return f.read(limit)


def _zip_kind(zf: zipfile.ZipFile) -> tuple[str, str]:
    """(kind, main part) of a ZIP container: docx / xlsx / xlsb / pptx / ods / odt / ofd / zip."""
    names = set(zf.namelist())
    mimetype = _small_member(zf, "mimetype")
    if mimetype is not None:
        kind = _ODF_TYPES.get(mimetype.strip())
        if kind:
            return kind, "content.xml"
    rels = _small_member(zf, "_rels/.rels")
    target = ""
    if rels:
        m = _REL_OFFICE.search(rels)
        if m:
            target = (m.group(1) or m.group(2)).decode("utf-8", "replace").lstrip("/")
    if target.startswith("word/") or "word/document.xml" in names:
        return "docx", target if target.startswith("word/") else "word/document.xml"
    if target.startswith("xl/") or "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return ("xlsb" if target.endswith(".bin") or "xl/workbook.bin" in names else "xlsx"), target
    if target.startswith("ppt/") or "ppt/presentation.xml" in names:
        return "pptx", target
    if "OFD.xml" in names:
        return "ofd", "OFD.xml"
    return "zip", ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


_TRANSPARENT = frozenset({"sdt", "sdtContent", "customXml", "smartTag"})


def _runs_text(el: ET.Element) -> str:
    """Text of a paragraph-like element: w:t / w:delText, tabs and breaks; field codes skipped."""
    out: list[str] = []
    for node in el.iter():
        name = _local(node.tag)
        if name in ("t", "delText"):
            if node.text:
                out.append(node.text)
        elif name == "tab":
            out.append("\t")
        elif name in ("br", "cr") or (name == "p" and out and node is not el):
            out.append("\n")
    return "".join(out)


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    """Direct children called ``name``, looking through content-control wrappers."""
    out: list[ET.Element] = []
    for child in el:
        local = _local(child.tag)
        if local == name:
            out.append(child)
        elif local in _TRANSPARENT:
            out.extend(_children(child, name))
    return out


def _read_docx(zf: zipfile.ZipFile, part: str, sink: _Sink) -> str | None:
    try:
        info = zf.getinfo(part)
    except KeyError:
        return CORRUPT
    para = table = 0
    stack: list[str] = []
    try:
        with zf.open(info) as f:
            head = f.read(4096)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                return CORRUPT  # OOXML never declares a DTD: refuse entity games
            f.seek(0)
            for ev, el in ET.iterparse(f, events=("start", "end")):
                name = _local(el.tag)
                if ev == "start":
                    stack.append(name)
                    continue
                stack.pop()
                container = next((t for t in reversed(stack) if t not in _TRANSPARENT), None)
                if container != "body":
                    continue
                ok = True
                if name == "p":
                    para += 1
                    ok = sink.add(f"第{para}段", _runs_text(el))
                elif name == "tbl":
                    table += 1
                    for r, tr in enumerate(_children(el, "tr"), 1):
                        cells = [_runs_text(tc).strip() for tc in _children(tr, "tc")]
                        if not sink.add(f"表格{table}第{r}行", "\t".join(cells)):
                            ok = False
                            break
                el.clear()
                if not ok:
                    return None
    except ET.ParseError:
        return CORRUPT
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        return CORRUPT
    return None


def _read_zip(data: bytes, hint: str, sink: _Sink, max_unzipped: int, max_ratio: int) -> ExtractResult:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return ExtractResult(hint if hint in ("docx", "xlsx", "ods") else "other", error=CORRUPT)
    with zf:
        err = check_zip(zf, max_unzipped=max_unzipped, max_ratio=max_ratio)
        if err is not None:
            return ExtractResult(hint or "other", error=err)
        try:
            kind, part = _zip_kind(zf)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
            return ExtractResult(hint or "other", error=CORRUPT)
        if kind == "docx":
            return ExtractResult("wps" if hint == "wps" else "docx", error=_read_docx(zf, part, sink))
        if kind in ("xlsx", "xlsb", "ods"):
            try:
                _verify_zip(data, zf)
            except _Fail as f:
                return ExtractResult(kind, error=f.token)
            return ExtractResult("et" if hint == "et" else kind, error=_read_workbook(data, sink))
        if kind == "zip":
            return ExtractResult("zip", error=UNSUPPORTED)  # nested archives are not followed
        return ExtractResult(kind, error=UNSUPPORTED)


# OLE2 (doc, wps, xls, et, encrypted OOXML) ---------------------------------------------
_FIELD_OR_OBJECT = re.compile("[\x01\x08]")


def _word_clean(text: str) -> str:
    """Drop field instructions (between \\x13 and \\x14/\\x15) and object anchors."""
    out: list[str] = []
    depth = 0  # inside field instructions
    stack: list[bool] = []
    for ch in text:
        if ch == "\x13":
            stack.append(True)
            depth += 1
        elif ch == "\x14":
            if stack and stack[-1]:
                stack[-1] = False
                depth -= 1
        elif ch == "\x15":
            if stack and stack.pop():
                depth -= 1
        elif depth == 0:
            out.append(ch)
    return _FIELD_OR_OBJECT.sub("", "".join(out))


def _doc_pieces(word: bytes, table: bytes) -> str:
    """The document text through the piece table (MS-DOC 2.4.1); raises _Fail / ValueError."""
    fc_clx, lcb_clx = struct.unpack_from("<II", word, 0x1A2)
    clx = table[fc_clx : fc_clx + lcb_clx]
    i = 0
    while i < len(clx) and clx[i] == 0x01:  # Prc: property modifiers, skipped
        (cb,) = struct.unpack_from("<H", clx, i + 1)
        i += 3 + cb
    if i >= len(clx) or clx[i] != 0x02:
        raise ValueError("no Pcdt")
    (lcb,) = struct.unpack_from("<I", clx, i + 1)
    plc = clx[i + 5 : i + 5 + lcb]
    n = (len(plc) - 4) // 12
    if n <= 0:
        raise ValueError("empty piece table")
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    parts: list[str] = []
    for k in range(n):
        (fc_raw,) = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * k + 2)
        count = cps[k + 1] - cps[k]
        if count <= 0:
            continue
        if fc_raw & 0x40000000:
            fc = (fc_raw & 0x3FFFFFFF) // 2
            parts.append(word[fc : fc + count].decode("cp1252", "replace"))
        else:
            fc = fc_raw & 0x3FFFFFFF
            parts.append(word[fc : fc + 2 * count].decode("utf-16-le", "replace"))
    return "".join(parts)


_UTF16_RUN = re.compile("[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2010-\u201f\x20-\x7e\r\t]{6,}")


def _doc_scan(word: bytes, sink: _Sink) -> None:
    """Fallback: UTF-16LE text runs that contain CJK or digits (locations 片段N)."""
    n = 0
    for m in _UTF16_RUN.finditer(word[0x200:].decode("utf-16-le", "replace")):
        run = m.group(0)
        if not re.search("[\u4e00-\u9fff0-9]", run):
            continue
        for piece in run.split("\r"):
            if piece.strip():
                n += 1
                if not sink.add(f"片段{n}", piece):
                    return


def _read_ole(data: bytes, hint: str, sink: _Sink) -> ExtractResult:
    import olefile

    try:
        ole = olefile.OleFileIO(data)
    except (OSError, ValueError, struct.error, IndexError, KeyError):
        return ExtractResult(hint or "other", error=CORRUPT)
    with ole:
        if ole.exists("EncryptedPackage") or ole.exists("EncryptionInfo"):
            kind = hint if hint in ("docx", "xlsx", "pptx", "wps", "et") else "other"
            return ExtractResult(kind, error=ENCRYPTED)
        if ole.exists("Workbook") or ole.exists("Book"):
            kind = _SHEET_TWINS.get(hint, "xls")
            err = _read_workbook(data, sink)
            if err == CORRUPT and kind == "et":
                err = UNSUPPORTED
            return ExtractResult(kind, error=err)
        if ole.exists("WordDocument"):
            kind = _WORD_TWINS.get(hint, "doc")
            try:
                word = ole.openstream("WordDocument").read()
            except (OSError, ValueError, struct.error, IndexError):
                return ExtractResult(kind, error=CORRUPT)
            if len(word) < 0x1AA or struct.unpack_from("<H", word, 0)[0] not in (0xA5EC, 0xA5DC):
                return ExtractResult(kind, error=CORRUPT)
            (flags,) = struct.unpack_from("<H", word, 0x0A)
            if flags & 0x0100 or flags & 0x8000:  # fEncrypted / fObfuscated
                return ExtractResult(kind, error=ENCRYPTED)
            table_name = "1Table" if flags & 0x0200 else "0Table"
            try:
                table = ole.openstream(table_name).read() if ole.exists(table_name) else b""
                text = _doc_pieces(word, table)
            except (ValueError, struct.error, OSError, IndexError):
                _doc_scan(word, sink)
                return ExtractResult(kind, error=None if sink.segments else UNSUPPORTED,
                                     truncated=sink.truncated)
            text = _word_clean(text).replace("\x07", "\t").replace("\x0b", "\n").replace("\x0c", "\n")
            for n, para in enumerate((p for p in text.split("\r") if p.strip()), 1):
                if not sink.add(f"第{n}段", para):
                    break
            return ExtractResult(kind)
        if ole.exists("PowerPoint Document"):
            return ExtractResult("ppt", error=UNSUPPORTED)
        return ExtractResult(hint or "other", error=UNSUPPORTED)


# text / CSV ----------------------------------------------------------------------------
def _decode_text(data: bytes, truncated_input: bool) -> str | None:
    """BOM, strict UTF-8, strict GB18030; None for binary data."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return data.decode("utf-16", "replace")
    sample = data[:65536]
    if b"\x00" in sample:
        return None
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if controls > len(sample) // 100 + 1:
        return None
    for enc in ("utf-8", "gb18030"):
        try:
            if truncated_input:
                return codecs.getincrementaldecoder(enc)("strict").decode(data, final=False)
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def _read_csv(text: str, sink: _Sink) -> None:
    lines = text.splitlines()
    try:
        dialect: Any = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    try:
        for r, row in enumerate(csv.reader(lines, dialect), 1):
            for c, cell in enumerate(row):
                if cell.strip() and not sink.add(f"单元格{column_letter(c)}{r}", cell):
                    return
    except csv.Error:  # a field over the csv module's size limit: fall back to lines
        sink.segments.clear()
        _read_lines(text, sink)


def _read_lines(text: str, sink: _Sink) -> None:
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip() and not sink.add(f"第{n}行", line):
            return


_HTML_HEAD = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|table)\b", re.I | re.S)
_SHEET_HINTS = frozenset({"csv", "xls", "xlsx", "et", "tsv"})


def _read_html(text: str, sink: _Sink) -> None:
    """An HTML file at a file's URL: tables row by row ("表格N第R行"), else the text by lines.

    Web systems often export "名单.xls" / "名单.doc" as an HTML table; an error page comes out
    as a few lines, which is harmless.
    """
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(text)
    tree.strip_tags(["script", "style", "noscript", "template"])
    tables: dict[int, list[int]] = {}  # table mem_id -> [table number, rows seen]
    for tr in tree.css("tr"):
        table = tr.parent
        while table is not None and table.tag != "table":
            table = table.parent
        if table is None:
            continue
        entry = tables.setdefault(table.mem_id, [len(tables) + 1, 0])
        entry[1] += 1
        cells = [c.text(separator=" ", strip=True) for c in tr.iter() if c.tag in ("td", "th")]
        if not sink.add(f"表格{entry[0]}第{entry[1]}行", "\t".join(cells)):
            return
    if tables:
        return
    body = tree.body
    _read_lines(body.text(separator="\n") if body is not None else "", sink)


def _read_text(data: bytes, hint: str, sink: _Sink, truncated_input: bool) -> ExtractResult:
    text = _decode_text(data, truncated_input)
    if text is None:
        return ExtractResult(hint if hint in ("csv", "txt") else "other", error=UNSUPPORTED)
    if _HTML_HEAD.match(text[:4096]):
        _read_html(text, sink)
        return ExtractResult("html")
    if hint in _SHEET_HINTS:
        _read_csv(text, sink)
        return ExtractResult("csv")
    _read_lines(text, sink)
    return ExtractResult("txt")


# --------------------------------------------------------------------------- entry points
def extract_attachment(
    data: bytes,
    kind_hint: str = "",
    *,
    max_chars: int = MAX_CHARS,
    max_unzipped: int = MAX_UNZIPPED,
    max_ratio: int = MAX_RATIO,
    truncated_input: bool = False,
) -> ExtractResult:
    """Read one file in this process. Never raises, but has no time limit and a native reader
    may abort the process on a hostile file: downloaded files go through :func:`extract_isolated`.

    ``truncated_input``: the download was cut at its size cap; text formats are then read up
    to the cut (a character split by the cut is not an error).
    """
    hint = _hint(kind_hint)
    sink = _Sink(max_chars)
    try:
        if not data:
            return ExtractResult(hint or "other", error=CORRUPT)
        container = sniff(data)
        if container == "pdf":
            res = ExtractResult("pdf", error=_read_pdf(data, sink))
        elif container == "zip":
            res = _read_zip(data, hint, sink, max_unzipped, max_ratio)
        elif container == "ole":
            res = _read_ole(data, hint, sink)
        elif container == "image":
            res = ExtractResult("image", error=NO_TEXT)
        elif container == "text":
            res = _read_text(data, hint, sink, truncated_input)
        else:
            res = ExtractResult(container, error=UNSUPPORTED)
    except _Fail as f:
        res = ExtractResult(hint or "other", error=f.token)
    except MemoryError:
        sink.segments.clear()
        res = ExtractResult(hint or "other", error=TOO_LARGE)
    except RecursionError:
        res = ExtractResult(hint or "other", error=CORRUPT)
    except BaseException as exc:  # parsers of hostile files raise anything, Rust panics included
        if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        res = ExtractResult(hint or "other", error=CORRUPT)
    res.segments = sink.segments
    res.truncated = res.truncated or sink.truncated
    return res


def extract_segments(
    data: bytes,
    kind_hint: str,
    *,
    max_chars: int = MAX_CHARS,
    max_unzipped: int = MAX_UNZIPPED,
    max_ratio: int = MAX_RATIO,
) -> tuple[list[TextSegment], str | None, bool]:
    """(segments, error token, truncated) of one file, read in this process (trusted input;
    see :func:`extract_isolated` for downloaded files)."""
    r = extract_attachment(data, kind_hint, max_chars=max_chars, max_unzipped=max_unzipped, max_ratio=max_ratio)
    return r.segments, r.error, r.truncated


# --------------------------------------------------------------------------- worker processes
# A worker is ``python -c "...; _serve()"`` talking length-prefixed pickles over its stdin and
# stdout. A plain subprocess (not multiprocessing) because it does not depend on how the parent
# was started: multiprocessing's spawn re-imports the parent's main script, which breaks under
# stdin scripts and unguarded mains. Only our own child's output is ever unpickled.
DEFAULT_MEMORY_LIMIT = 3 * 1024**3  # address space of a worker (RLIMIT_AS, Linux)
_START_TIMEOUT_S = 60.0
_FRAME = struct.Struct("<Q")
_WORKER_CODE = "from xuncha.extract.attachment_text import _serve; _serve()"


def _serve() -> None:
    """Worker main: cap memory, preload the readers, then answer jobs until stdin closes."""
    limit = int(os.environ.get("XUNCHA_EXTRACT_MEMORY", "0") or 0)
    if limit:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError):
            pass
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints of a library must not corrupt the protocol
    inp = sys.stdin.buffer
    for mod in ("pypdfium2", "python_calamine", "olefile"):
        with contextlib.suppress(Exception):  # a missing reader fails its own files only
            __import__(mod)

    def send(obj: object) -> None:
        blob = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        out.write(_FRAME.pack(len(blob)) + blob)
        out.flush()

    send("ready")
    while True:
        head = inp.read(_FRAME.size)
        if len(head) < _FRAME.size:
            return
        (n,) = _FRAME.unpack(head)
        data, hint, kw = pickle.loads(inp.read(n))
        r = extract_attachment(data, hint, **kw)
        send((r.kind, [(s.location, s.text) for s in r.segments], r.error, r.truncated))


class _Worker:
    """One child process and its pipes."""

    def __init__(self, memory_limit: int | None) -> None:
        import xuncha

        env = dict(os.environ)
        src = os.path.dirname(os.path.dirname(os.path.abspath(xuncha.__file__)))
        env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
        env["XUNCHA_EXTRACT_MEMORY"] = str(memory_limit or 0)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _WORKER_CODE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            close_fds=True,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._in = self.proc.stdin
        self._out = self.proc.stdout.fileno()
        try:
            ready = self._recv(time_module.monotonic() + _START_TIMEOUT_S)
        except (TimeoutError, EOFError, OSError):
            self.kill()
            raise RuntimeError("extract worker did not start") from None
        if ready != "ready":
            self.kill()
            raise RuntimeError("extract worker did not start")

    def _read_exact(self, n: int, deadline: float) -> bytes:
        buf = bytearray()
        while len(buf) < n:
            left = deadline - time_module.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self._out], [], [], left)
            if not ready:
                raise TimeoutError
            chunk = os.read(self._out, min(n - len(buf), 1 << 20))
            if not chunk:
                raise EOFError
            buf += chunk
        return bytes(buf)

    def _recv(self, deadline: float) -> Any:
        (n,) = _FRAME.unpack(self._read_exact(_FRAME.size, deadline))
        return pickle.loads(self._read_exact(n, deadline))

    def call(self, job: tuple[bytes, str, dict[str, Any]], timeout_s: float) -> Any:
        blob = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        self._in.write(_FRAME.pack(len(blob)) + blob)
        self._in.flush()
        return self._recv(time_module.monotonic() + timeout_s)

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.kill()
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            self.proc.wait(5)
        for f in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                if f is not None:
                    f.close()

    def stop(self) -> None:
        """Close stdin (the worker exits at EOF); kill it if it is busy or stuck."""
        with contextlib.suppress(OSError):
            self._in.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(2)
        self.kill()


class ExtractPool:
    """Up to ``size`` long-lived worker processes; thread-safe (call it from asyncio.to_thread).

    A worker that passes the time limit is killed (a pathological PDF never keeps a core
    busy after its deadline); one that dies is replaced at the next call.
    """

    def __init__(self, size: int = 1, *, memory_limit: int | None = DEFAULT_MEMORY_LIMIT) -> None:
        self.size = max(1, size)
        self.memory_limit = memory_limit
        self._slots = threading.BoundedSemaphore(self.size)
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()
        self.started = 0  # workers spawned so far (tests, stats)

    def run(
        self, data: bytes, kind_hint: str = "", *, timeout_s: float = 30.0, **limits: Any
    ) -> ExtractResult:
        """:func:`extract_attachment` in a worker, within ``timeout_s`` seconds of parsing."""
        fallback = _hint(kind_hint) or "other"
        with self._slots:
            worker = self._take()
            if worker is None:
                return ExtractResult(fallback, error=CRASHED)
            try:
                kind, segs, error, truncated = worker.call((data, kind_hint, limits), timeout_s)
            except TimeoutError:
                self._discard(worker)
                return ExtractResult(fallback, error=TIMEOUT)
            except (EOFError, OSError, pickle.UnpicklingError, ValueError):
                self._discard(worker)
                return ExtractResult(fallback, error=CRASHED)
            self._idle.put(worker)
        return ExtractResult(kind, [TextSegment(loc, text) for loc, text in segs], error, truncated)

    def _take(self) -> _Worker | None:
        """An idle live worker, else a new one (None when none can be started)."""
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            if worker.proc.poll() is None:
                return worker
            self._discard(worker)  # died while idle (killed from outside): replace it
        try:
            return self._spawn()
        except (RuntimeError, OSError):
            return None

    def _spawn(self) -> _Worker:
        w = _Worker(self.memory_limit)
        with self._lock:
            self._all.add(w)
            self.started += 1
        return w

    def _discard(self, w: _Worker) -> None:
        w.kill()
        with self._lock:
            self._all.discard(w)

    def close(self) -> None:
        """Stop every worker (idle ones politely, busy ones are killed)."""
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()
        while True:
            try:
                self._idle.get_nowait()
            except queue.Empty:
                break

    def __enter__(self) -> ExtractPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_default: ExtractPool | None = None
_default_lock = threading.Lock()


def default_pool() -> ExtractPool:
    """The process-wide pool (min(2, CPUs) workers), closed at interpreter exit."""
    global _default
    with _default_lock:
        if _default is None:
            _default = ExtractPool(min(2, os.cpu_count() or 1))
            atexit.register(_default.close)
        return _default


def extract_isolated(
    data: bytes,
    kind_hint: str = "",
    *,
    timeout_s: float = 30.0,
    pool: ExtractPool | None = None,
    **limits: Any,
) -> ExtractResult:
    """:func:`extract_attachment` in a worker process with a wall-clock limit ("timeout")."""
    return (pool or default_pool()).run(data, kind_hint, timeout_s=timeout_s, **limits)
