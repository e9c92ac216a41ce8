"""Files in and out of the console: uploads read with a size bound whether or not the client
announced its length, saved under a generated name; downloads with a Chinese file name."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from starlette.datastructures import FormData, UploadFile
from starlette.types import Message

from xuncha.settings import TZ
from xuncha.web.common import WebError

UPLOAD_LIMIT = 20 * 1024 * 1024  # bytes of one uploaded file


def size_text(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def content_disposition(filename: str, fallback: str) -> str:
    """``attachment`` with an ASCII fallback name and the Chinese one as RFC 5987 UTF-8."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def display_name(filename: str) -> str:
    """The uploaded file's own name as messages show it (no folders, no control characters)."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name[-100:] or "上传文件"


async def read_upload(request: Request) -> FormData:
    """The form (multipart, or urlencoded without a file: ``save_upload`` then says what is
    missing), the body cut off at UPLOAD_LIMIT (plus room for the other fields): 413 beyond it,
    whether or not the client announced its length."""
    limit = UPLOAD_LIMIT
    room = limit + 256 * 1024
    announced = request.headers.get("content-length", "")
    if announced.isascii() and announced.isdecimal() and int(announced) > room:
        raise WebError(413, f"上传文件过大（不能超过 {size_text(limit)}）")
    seen = 0
    receive = request.receive

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > room:
                raise WebError(413, f"上传文件过大（不能超过 {size_text(limit)}）")
        return message

    return await Request(request.scope, counted).form(max_files=2, max_fields=20)


def form_fields(form: FormData) -> dict[str, Any]:
    return {k: v for k, v in form.items() if isinstance(v, str)}


async def save_upload(form: FormData, folder: Path, prefix: str, suffixes: tuple[str, ...],
                      missing: str = "请选择要上传的文件") -> tuple[Path, str]:
    """Write the form's ``file`` under ``folder`` with a generated name; (path, its own name).
    400 with ``missing`` when there is no file, for another suffix and for an empty file; 413
    past UPLOAD_LIMIT (nothing is left behind)."""
    limit = UPLOAD_LIMIT
    up = form.get("file")
    if not isinstance(up, UploadFile) or not up.filename:
        raise WebError(400, missing)
    name = display_name(up.filename)
    suffix = Path(name).suffix.lower()
    if suffix not in suffixes:
        raise WebError(400, f"{name}：不支持的文件格式「{suffix or '无扩展名'}」，请使用 {'、'.join(suffixes)}")
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(TZ).strftime("%Y%m%d-%H%M%S")
    path = folder / f"{prefix}-{stamp}-{secrets.token_hex(4)}{suffix}"
    size = 0
    try:
        with path.open("xb") as out:
            while chunk := await up.read(1024 * 1024):
                size += len(chunk)
                if size > limit:
                    raise WebError(413, f"{name}：文件过大（不能超过 {size_text(limit)}）")
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if size == 0:
        path.unlink(missing_ok=True)
        raise WebError(400, f"{name}：文件是空的")
    return path, name


def renamed(message: str, path: Path, name: str) -> str:
    """A reader's message about the saved copy, naming the user's file instead (never the
    server's folders), and the console's option instead of the command line's."""
    return (message.replace(str(path), name).replace(path.name, name)
            .replace("使用 --skip-bad-rows", "勾选「跳过有问题的行」"))
