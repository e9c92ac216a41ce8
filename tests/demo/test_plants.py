"""Planted content/security/privacy cases and their clean look-alikes (xuncha.demo.plants)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xuncha.demo import MANIFEST, SITES, World, build_world
from xuncha.demo.layout import build_tree
from xuncha.demo.plants import (
    LEAK_IDS,
    LEAK_MOBILES,
    LI_KEQIANG_LEFT_OFFICE,
    SIXIANG,
    SIXIANG_WRONG,
    id_check_digit,
    js_escape,
    zip_bomb_xlsx,
)
from xuncha.demo.sites import GAMBLING_HOST, site_by_id
from xuncha.errors import XunchaError

from ._helpers import AS_OF

CLEAN = ("9901000001", "9901000002", "9901020001")
ID18 = re.compile(r"(?<!\d)\d{17}[\dX](?!\d)")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
NEW_CODES = ("W.VETO.SERIOUS_ERROR", "W.VETO.SECURITY", "W.CONTENT.TYPO", "W.CONTENT.SENSITIVE", "W.PRIVACY.LEAK")


def _tree(sid: str):  # noqa: ANN202 - test helper
    return build_tree(site_by_id(sid), AS_OF, 2025)


def _text(tree) -> str:  # noqa: ANN001
    return "\n".join(x for a in tree.articles() for x in (a.title, *a.body))


def _site_text(world: World, host: str) -> str:
    enc = next(s.encoding for s in SITES if s.host == host)
    return "\n".join(p.read_bytes().decode(enc) for p in (world.root / "sites" / host).rglob("*.html"))


def test_id_numbers_are_checksum_valid_and_unmasked() -> None:
    assert id_check_digit("11010519491231002") == "X"  # GB 11643-1999's own example
    for idn in LEAK_IDS:
        assert ID18.fullmatch(idn) and idn[-1] == id_check_digit(idn[:17])
        assert date(int(idn[6:10]), int(idn[10:12]), int(idn[12:14])) < date(2000, 1, 1)
    assert all(MOBILE.fullmatch(m) for m in LEAK_MOBILES)


def test_political_cases_and_look_alikes() -> None:
    luming = _text(_tree("9901220001"))
    assert "国务院总理李墙" in luming and SIXIANG_WRONG in luming
    zjj = _tree("9901000003")
    (old,) = [a for a in zjj.articles() if "国务院总理李克强" in " ".join(a.body)]
    assert old.day == AS_OF - timedelta(days=30) and old.day > LI_KEQIANG_LEFT_OFFICE
    qs = _tree("9901000001")
    text = _text(qs)
    assert "中共中央总书记、国家主席、中央军委主席习近平" in text and "国务院总理李强" in text and SIXIANG in text
    assert SIXIANG_WRONG not in text and "李墙" not in text
    (hist,) = [a for a in qs.articles() if "时任国务院总理李克强" in " ".join(a.body)]
    assert hist.day > LI_KEQIANG_LEFT_OFFICE and "2019年，时任国务院总理李克强" in " ".join(hist.body)
    for sid in CLEAN:  # no bare outdated title anywhere on a clean site
        assert not re.search(r"(?<!时任)国务院总理李克强", _text(_tree(sid))), sid


def test_typos_and_their_correct_forms() -> None:
    wrong, right = ("既使", "按装", "再接再励", "震憾"), ("即使", "安装", "再接再厉", "震撼")
    luming = _text(_tree("9901220001"))
    assert all(w in luming for w in wrong)
    for sid in CLEAN:
        text = _text(_tree(sid))
        assert not any(w in text for w in wrong), sid
    fgw = _text(_tree("9901000002"))
    assert all(r in fgw for r in right)


def test_gambling_and_fraud_text_and_look_alikes() -> None:
    edu = _tree("9901000004")
    spam = [a for a in edu.articles() if any("百家乐" in p for p in a.body)]
    fraud = [a for a in edu.articles() if any("代开发票" in p for p in a.body)]
    assert len(spam) == len(fraud) == 1
    newest = max(a.day for a in edu.articles())
    assert spam[0].day < newest, "injected into an older article (still on the column's first page)"
    hexi = _text(_tree("9901020001"))
    assert "严厉打击赌博违法犯罪活动" in hexi and "大麻烦" in hexi and "路口交通" in hexi
    for sid in CLEAN:
        text = _text(_tree(sid))
        assert not any(w in text for w in ("百家乐", "真人视讯", "彩金", "代开发票", GAMBLING_HOST)), sid


def test_privacy_cases_and_masked_look_alikes(world: World) -> None:
    zjj = _tree("9901000003")
    (gs,) = [a for a in zjj.articles() if "公示" in a.title and any(LEAK_IDS[0] in p for p in a.body)]
    assert {a.ext for a in gs.attachments} == {".xlsx", ".docx", ".pdf"}
    xlsx = next(a for a in gs.attachments if a.ext == ".xlsx")
    cells = [c for row in load_workbook(io.BytesIO(xlsx.data), read_only=True).worksheets[0].iter_rows(values_only=True)
             for c in row if isinstance(c, str)]
    assert set(LEAK_IDS) <= set(cells) and set(LEAK_MOBILES) <= set(cells)
    docx = next(a for a in gs.attachments if a.ext == ".docx")
    assert LEAK_IDS[3].encode() in zipfile.ZipFile(io.BytesIO(docx.data)).read("word/document.xml")
    hexi = _tree("9901020001")
    masked = [a for a in hexi.articles() if "公示" in a.title and a.attachments]
    assert masked and all("**" in p for a in masked for p in a.body if "身份证号" in p)
    for sid in CLEAN:  # nothing unmasked, neither on pages nor in attachments
        tree = _tree(sid)
        for a in tree.articles():
            assert not ID18.search(" ".join(a.body)), sid
            for att in a.attachments:
                if att.ext == ".xlsx" and att.data:
                    vals = " ".join(str(c) for row in load_workbook(io.BytesIO(att.data), read_only=True).worksheets[0]
                                    .iter_rows(values_only=True) for c in row if c is not None)
                    assert not ID18.search(vals) and not MOBILE.search(vals), (sid, att.name)
    order = [a for a in hexi.articles() if a.extra.get("lookalike") == "order_number"]
    assert len(order) == 1 and re.search(r"订单号：1[3-9]\d{9}", " ".join(order[0].body))


def test_zip_bomb_declares_gigabytes() -> None:
    data = zip_bomb_xlsx()
    assert len(data) < 64 * 1024
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.getinfo("xl/worksheets/sheet1.xml")
        assert sheet.file_size == 3_000_000_000 and sheet.file_size / sheet.compress_size > 10_000
        assert sum(i.file_size for i in z.infolist()) > 100 * 1024 * 1024
    assert zip_bomb_xlsx() == data  # byte-stable
    dl = _tree("9901210001")
    (att,) = [a for a in (x for art in dl.articles() for x in art.attachments) if a.data == data]
    assert att.ext == ".xlsx"


def test_security_plants_on_disk(world: World) -> None:
    edu = (world.root / "sites/www.qingshan-edu.com.cn/index.html").read_text(encoding="utf-8")
    assert '<div style="position:absolute;left:-9999px;top:-9999px;"><a href="http://www.xpj-casino-demo.com/"' in edu
    assert ".hz-links{display:none}" in edu and '<div class="hz-links">' in edu
    assert 'document.write(unescape("%3Ca%20href%3D%22http%3A//www.xpj-casino-demo.com/vip/' in edu
    assert js_escape("<a>澳门") == "%3Ca%3E%u6FB3%u95E8"
    spider = (world.root / "server/www.luming.gov.cn/spider.html").read_text(encoding="utf-8")
    normal = (world.root / "sites/www.luming.gov.cn/index.html").read_text(encoding="utf-8")
    assert "<title>鹿鸣在线_澳门新葡京" in spider and GAMBLING_HOST in spider and GAMBLING_HOST not in normal
    assert world.hosts["www.luming.gov.cn"]["cloak"]["paths"] == ["/", "/index.html"]
    assert all("cloak" not in e for h, e in world.hosts.items() if h != "www.luming.gov.cn")
    qs = (world.root / "sites/www.qingshan.gov.cn/index.html").read_text(encoding="utf-8")
    assert '<a class="skip-link" href="#main">' in qs and 'id="main"' in qs and "友情链接" in qs
    hidden = re.search(r'<ul class="sub">(.*?)</ul>', qs)
    assert hidden and all(h.startswith("/") for h in re.findall(r'href="([^"]+)"', hidden.group(1)))
    for sid in CLEAN:
        host = site_by_id(sid).host
        assert GAMBLING_HOST not in _site_text(world, host), host


def test_manifest_lists_every_case(world: World) -> None:
    for sid, e in world.manifest.items():
        facts = e.get("facts", {})
        cases = facts.get("planted_cases", [])
        for c in cases:
            assert c["path"], c
            if c.get("detail", {}).get("severity") == "inconclusive":
                assert c["code"] in e["may"], c
            else:
                assert c["code"] in e["expect"], (sid, c)
        for code in NEW_CODES:
            if code in e["expect"]:
                assert any(c["code"] == code for c in cases), (sid, code)
        if e["clean"]:
            assert not cases
        else:
            assert not facts.get("lookalikes")
    looks = {c["code"] for sid in CLEAN for c in world.manifest[sid]["facts"].get("lookalikes", [])}
    assert looks == set(NEW_CODES)
    assert {c for e in MANIFEST.values() for c in e["expect"]} >= set(NEW_CODES)


def test_attachments_are_readable_by_the_project_reader(world: World) -> None:
    at = pytest.importorskip("xuncha.extract.attachment_text")
    root = world.root / "sites/zjj.qingshan.gov.cn"
    for c in world.manifest["9901000003"]["facts"]["planted_cases"]:
        if c["code"] != "W.PRIVACY.LEAK" or "page" not in c:
            continue
        data = (root / c["path"].lstrip("/")).read_bytes()
        segments, error, _ = at.extract_segments(data, Path(c["path"]).suffix.lstrip("."))
        assert error is None and ID18.search(" ".join(s.text for s in segments)), c["path"]
    bomb = next(c for c in world.manifest["9901210001"]["facts"]["planted_cases"] if c["path"].endswith(".xlsx"))
    _, error, _ = at.extract_segments((world.root / "sites/www.dongling.gov.cn" / bomb["path"].lstrip("/")).read_bytes(), "xlsx")
    assert error == "zip_bomb"


def test_as_of_before_2024_is_refused(tmp_path: Path) -> None:
    with pytest.raises(XunchaError, match="监测时点"):
        build_world(tmp_path, date(2023, 6, 1))
