"""Site names and 网站标识码: one normalisation used by extraction and by the checks.

W.ID.SITE_NAME and W.REGISTRY.MISMATCH compare the registry name with what a site shows
(头部标识区, <title>, meta SiteName); W.ID.SITE_CODE compares codes (indicators.md §4.1, §4.4).
"""

from __future__ import annotations

import re
import unicodedata

_SPACE_PUNCT = re.compile(
    r"[\s\u3000\xa0\-—–_|｜·•・.,，、;；:：/\\()（）\[\]【】<>《》“”\"'‘’!！?？~～]+"
)
_PREFIXES = ("中华人民共和国",)
_SUFFIX = re.compile(r"(?:门户网站|官方网站|门户网|网站|官网|门户)$")

# §4.4: 10 digits (6-digit division code + 4-digit serial) or bm + 8 digits (State Council dept.)
SITE_CODE_RE = re.compile(r"^(?:\d{10}|bm\d{8})$", re.IGNORECASE)


def _fold(s: str) -> str:
    """Full-width to half-width (NFKC), spaces and punctuation removed, lower-cased."""
    return _SPACE_PUNCT.sub("", unicodedata.normalize("NFKC", s or "")).lower()


def normalize_site_name(name: str) -> str:
    """Comparable form of a site name: folded, 中华人民共和国 prefix and 门户网站/网站/官网
    suffixes removed (政府网站 keeps 政府: it is part of the institution name).

    >>> normalize_site_name("北京市人民政府 门户网站")
    '北京市人民政府'
    """
    s = _fold(name)
    prev = None
    while prev != s and s:
        prev = s
        for prefix in _PREFIXES:
            if s.startswith(prefix) and len(s) > len(prefix):
                s = s[len(prefix):]
        stripped = _SUFFIX.sub("", s)
        s = stripped or s
        if s.endswith("政府网"):
            s = s[:-1]
    return s


def name_shown_in(registry_name: str, shown: str) -> bool:
    """The registry name (normalised) appears in a displayed text (header, title, SiteName).

    ``人民`` is optional on both sides (河南省政府 vs 河南省人民政府), and so is a leading 中国.
    """
    want = normalize_site_name(registry_name)
    have = _fold(shown)
    if not want or not have:
        return False
    variants = {want, want.replace("人民", "")}
    if want.startswith("中国") and len(want) > 4:
        variants.add(want[2:])
    hays = {have, have.replace("人民", ""), normalize_site_name(shown)}
    return any(v and v in h for v in variants for h in hays)


def clean_site_code(raw: str) -> str:
    """A printed 网站标识码 without spaces or a leading label, lower-cased."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw or ""))
    s = re.sub(r"^(?:政府)?网站标识码[:：]?", "", s)
    return s.lower()


def valid_site_code(code: str) -> bool:
    return bool(SITE_CODE_RE.match(clean_site_code(code)))
