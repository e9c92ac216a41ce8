"""A CJK font for matplotlib charts (circular figures carry Chinese labels).

Search order: the ``XUNCHA_CJK_FONT`` environment variable (a font file path), fontconfig's
best match for simplified Chinese, then well-known install paths of Noto Sans/Serif CJK and
WenQuanYi. The file is registered with matplotlib's font manager and the family name returned.
Noto CJK ships as ``.ttc`` collections whose faces are JP/KR/SC/TC/HK; the SC face is chosen
so that simplified Chinese glyph shapes are used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from xuncha.errors import ConfigError

ENV_VAR = "XUNCHA_CJK_FONT"

KNOWN_PATHS: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)

INSTALL_HINT = (
    "未找到可用于图表的中文字体。请安装 Noto CJK 字体（Debian/Ubuntu：apt-get install fonts-noto-cjk），"
    f"或设置环境变量 {ENV_VAR} 指向一个中文字体文件（.ttf/.otf/.ttc）。"
)

# Faces of a collection, best first, for simplified Chinese.
_PREFERRED_FACE_MARKS = ("SC", "CN", "GB", "Hans", "Zen Hei", "Micro Hei")


def _fontconfig_match() -> Path | None:
    """The file fontconfig picks for simplified Chinese, when fontconfig is installed."""
    exe = shutil.which("fc-match")
    if not exe:
        return None
    try:
        out = subprocess.run([exe, "-f", "%{file}", ":lang=zh-cn"], capture_output=True, text=True,
                             timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None
    return path if path and path.is_file() and _has_cjk(path) else None


def _has_cjk(path: Path) -> bool:
    """True when the font (first face) has glyphs for common Chinese characters."""
    from matplotlib import ft2font

    try:
        face = ft2font.FT2Font(str(path))
    except Exception:  # noqa: BLE001 - unreadable/unsupported font file
        return False
    return all(face.get_char_index(ord(ch)) for ch in "政府网站合格率")


def find_cjk_font() -> Path:
    """Path of a font file with Chinese glyphs; ``ConfigError`` (Chinese) when there is none."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        p = Path(env).expanduser()
        if not p.is_file():
            raise ConfigError(f"环境变量 {ENV_VAR} 指向的字体文件不存在：{p}")
        if not _has_cjk(p):
            raise ConfigError(f"环境变量 {ENV_VAR} 指向的字体不含中文字形：{p}。{INSTALL_HINT}")
        return p
    found = _fontconfig_match()
    if found:
        return found
    for known in KNOWN_PATHS:
        p = Path(known)
        if p.is_file() and _has_cjk(p):
            return p
    raise ConfigError(INSTALL_HINT)


def _family_of(path: Path) -> str:
    """Register every face of ``path`` with matplotlib; the preferred face's family name."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(path))
    resolved = str(path.resolve())
    names = [f.name for f in font_manager.fontManager.ttflist
             if str(Path(f.fname).resolve()) == resolved]
    if not names:
        raise ConfigError(f"matplotlib 无法读取字体文件：{path}。{INSTALL_HINT}")
    for mark in _PREFERRED_FACE_MARKS:
        for name in names:
            if mark in name and "Mono" not in name:
                return name
    return names[0]


@lru_cache(maxsize=4)
def _register(path: str) -> str:
    return _family_of(Path(path))


def register_cjk_font() -> str:
    """Find a CJK font, register it with matplotlib and return its family name.

    Global rcParams are left alone: callers pass the family (``rc_context``/``fontfamily``)."""
    return _register(str(find_cjk_font()))
