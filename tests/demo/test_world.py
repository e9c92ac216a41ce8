"""The generated world: determinism, registry, manifest, and the planted problems in content."""

from __future__ import annotations

import csv
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from xuncha.demo import SITES, World, build_world, load_world
from xuncha.demo.layout import build_tree
from xuncha.demo.sites import site_by_id

from ._helpers import AS_OF

REQUIRED_PLANTS = {
    "W.VETO.HOME_STALE", "W.VETO.COLUMNS_STALE", "W.VETO.BLANK_COLUMNS", "W.VETO.LONG_STALE",
    "W.LINK.BROKEN_HOME", "W.LINK.BROKEN_OTHER", "W.ATTACHMENT", "W.ID.SITE_NAME", "W.ID.FOOTER",
    "W.ID.SITE_CODE", "W.ID.ZHAOCUO", "W.ID.DOMAIN", "W.TECH.HTTPS", "W.TECH.IPV6", "W.SEARCH", "W.SITEMAP",
    "W.VETO.INTERACTION", "W.VETO.SERVICE", "W.SVC.GUIDE", "W.REGISTRY.MISMATCH", "W.VETO.UNREACHABLE",
    "W.VETO.SERIOUS_ERROR", "W.VETO.SECURITY", "W.CONTENT.TYPO", "W.CONTENT.SENSITIVE", "W.PRIVACY.LEAK",
}
VOLATILE = ("ca.pem", "tls/")  # fresh keys on every build


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and not p.relative_to(root).as_posix().startswith(VOLATILE)
    }


def test_same_seed_same_bytes_other_seed_other_content(world: World, tmp_path: Path) -> None:
    again = build_world(tmp_path / "again", AS_OF)
    a, b = _files(world.root), _files(again.root)
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []
    assert "registry.xlsx" in a and "sites/www.dongling.gov.cn/index.html" in a
    site = site_by_id("9901000001")
    titles = [x.title for x in build_tree(site, AS_OF, 2025).articles()]
    assert titles != [x.title for x in build_tree(site, AS_OF, 7).articles()]


def test_sizes_and_styles(world: World) -> None:
    served = {h: e for h, e in world.hosts.items() if e["serve"] == "site"}
    assert len(served) == 8
    for host, e in served.items():
        assert 40 <= e["pages"] <= 170, (host, e["pages"])
    styles = {site.style for site in SITES if site.served}
    assert styles == {"trs", "zwgk", "catalog", "dede"}
    trs = world.root / "sites/www.qingshan.gov.cn"
    assert list(trs.glob("col/col*/index_2.html")), "TRS column with three list pages"
    assert 'createPageHTML(3, 0, "index", "html")' in "".join(
        p.read_text(encoding="utf-8") for p in trs.glob("col/col*/index.html")
    )
    assert list(trs.glob("art/20*/*/*/art_*_*.html"))
    zwgk = world.root / "sites/fgw.qingshan.gov.cn"
    assert list(zwgk.glob("xwzx/tzgg/2*/t2*_*.html"))
    assert list((world.root / "sites/www.hexi.gov.cn").glob("xwzx/zwyw/content/post_*.html"))
    short = (world.root / "sites/www.luming.gov.cn/index.html").read_text(encoding="utf-8")
    assert re.search(r"\[\d\d-\d\d\]", short)
    cn = (world.root / "sites/www.dongling.gov.cn/index.html").read_bytes().decode("gbk")
    assert re.search(r"20\d\d年\d{1,2}月\d{1,2}日", cn)


def test_registry_files(world: World) -> None:
    ws = load_workbook(world.registry_xlsx, read_only=True).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == ["网站标识码", "类型", "名称", "网址", "主管单位", "地区", "类别", "状态", "无办事服务功能", "采集地址"]
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["9901000001"][3].startswith("https://www.qingshan.gov.cn")
    assert by_id["9901000003"][2] == "青山市住房和城乡建设委员会"  # registry name differs from the site
    assert {r[7] for r in rows[1:]} == {"运行", "关停", "注销"}
    assert {r[1] for r in rows[1:]} == {"website", "wechat", "weibo", "douyin", "app"}
    assert by_id["9901000002"][8] == "是"
    with world.registry_csv.open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header == ["id", "kind", "name", "url", "owner", "region", "category", "status", "no_service_function", "source"]
    for sid in by_id:
        if by_id[sid][1] == "website":
            assert re.fullmatch(r"\d{10}|bm\d{8}", sid)


def test_registry_loads_with_the_project_reader(world: World) -> None:
    reader = pytest.importorskip("xuncha.registry.reader")
    for path in (world.registry_xlsx, world.registry_csv):
        reg = reader.load_registry(path)
        kinds = {t.kind for t in reg.targets}
        assert kinds == {"website", "wechat", "weibo", "douyin", "app"}
        by_id = {t.id: t for t in reg.targets}
        media = pytest.importorskip("xuncha.collect.media")
        assert media.source_of(by_id["1990000001"]).startswith("https://m.weibo.demo/api/container/getIndex")
        assert media.pick_adapter(by_id["1990000001"]).name == "weibo_json"
        assert media.pick_adapter(by_id["gh_3b7d1e9c2a58"]).name == "rss"
        assert media.pick_adapter(by_id["app_qingshantong"]).name == "html_list"
        with pytest.raises(media.NoAdapterError):
            media.pick_adapter(by_id["gh_1f9e7d5b3c64"])  # no 采集地址, 网址 is a WeChat page
        assert by_id["9901000001"].extra == {}  # websites have no 采集地址
        statuses = {t.id: t.status for t in reg.targets}
        assert statuses["9901000007"] == "closed" and statuses["9901000008"] == "cancelled"
        flagged = [t.id for t in reg.targets if "no_service_function" in t.flags]
        assert flagged == ["9901000002"]


def test_manifest(world: World) -> None:
    data = json.loads((world.root / "manifest.json").read_text(encoding="utf-8"))
    assert data == world.manifest
    loaded = load_world(world.root)
    assert loaded.manifest == data and loaded.hosts == world.hosts and loaded.as_of == AS_OF
    expected = {c for e in data.values() for c in e["expect"]}
    assert expected >= REQUIRED_PLANTS
    clean = [e for e in data.values() if e["clean"] and e["kind"] == "website"]
    assert len(clean) == 3
    for e in clean:
        assert e["expect"] == [] and e["forbid_severities"] == ["veto", "deduct"]
        assert e["scheme"] == "https" and e["ipv6"]
    skipped = {e["id"]: e for e in data.values() if not e["inspected"]}
    assert {e["status"] for e in skipped.values()} >= {"注销"}
    assert all(e["kind"] == "website" for e in skipped.values())  # accounts are inspected now
    assert data["gh_1f9e7d5b3c64"]["inconclusive"] and data["gh_1f9e7d5b3c64"]["forbid_severities"] == ["veto"]
    for e in data.values():
        assert {p["code"] for p in e["planted"]} == set(e["expect"])


def _tree(sid: str):  # noqa: ANN202 - test helper
    return build_tree(site_by_id(sid), AS_OF, 2025)


def test_clean_sites_are_fresh_consistent_and_private() -> None:
    mobile = re.compile(r"1[3-9]\d{9}")
    for sid in ("9901000001", "9901000002", "9901020001"):
        tree = _tree(sid)
        titles = [a.title for a in tree.articles()]
        assert len(titles) == len(set(titles)), "no re-dated copies"
        for col in tree.columns:
            for a in col.articles:
                assert a.day < AS_OF
                if a.extra.get("lookalike") == "order_number":  # planted: 订单号 shaped like a mobile
                    assert re.search(r"订单号：1[3-9]\d{9}", " ".join(a.body))
                    continue
                assert not mobile.search(" ".join([a.title, *a.body]))
                assert not re.search(r"\d{15,}", " ".join(a.body))
            if col.fresh == "news":
                assert AS_OF - col.newest <= timedelta(days=14), col.name
            if col.fresh in ("notice", "policy"):
                assert AS_OF - col.newest <= timedelta(days=182), col.name
            if col.fresh == "periodic":
                assert AS_OF - col.newest <= timedelta(days=365), col.name
            assert not col.blank
            if col.kind == "single" and col.key not in ("ldxx_info", "jgsz"):  # those two are built by the renderer
                assert len("".join(col.single)) >= 200, col.name  # a real page, not a placeholder
        for col in tree.columns:
            for m in col.messages:
                if m.reply:
                    assert (m.reply - m.ask).days <= 31
                else:
                    assert (AS_OF - m.ask.date()).days < 14
            for g in col.guides:
                assert len(g.fields) == 10


def test_planted_staleness_on_dongling() -> None:
    tree = _tree("9901210001")
    cols = {c.key: c for c in tree.columns}
    news = [c for c in tree.columns if c.fresh == "news"]
    assert len(news) >= 5 and all(AS_OF - c.newest > timedelta(days=14) for c in news)
    for key in ("tzgg", "zcwj"):
        assert AS_OF - cols[key].newest > timedelta(days=190)
    periodic = [c for c in tree.columns if c.fresh == "periodic"]
    assert len(periodic) >= 5 and all(AS_OF - c.newest > timedelta(days=366) for c in periodic)
    assert len(news) + 2 + len(periodic) >= 10
    assert not any(c.kind == "board" for c in tree.columns)
    assert {"网上信访", "纪检举报"} <= {c.name for c in tree.columns}


def test_planted_blank_guides_and_letters() -> None:
    zjj = _tree("9901000003")
    blank = [c for c in zjj.columns if c.blank]
    assert len(blank) == 6
    noted = [c for c in zjj.columns if c.note]
    assert len(noted) == 1 and not noted[0].articles
    guides = [g for c in zjj.columns for g in c.guides]
    assert sum(1 for g in guides if len(g.fields) <= 6) >= 5
    forms = [a for c in zjj.columns for a, _ in c.forms]
    assert any(a.data is None and a.ext == ".doc" for a in forms)
    assert any(a.data == b"" and a.ext == ".xls" for a in forms)

    luming = _tree("9901220001")
    msgs = [m for c in luming.columns for m in c.messages]
    assert any(not m.replied and (AS_OF - m.ask.date()).days > 92 for m in msgs)
    assert any(m.reply and (m.reply - m.ask).days > 92 for m in msgs)
    partial = [g for c in luming.columns for g in c.guides if len(g.fields) < 10]
    assert len(partial) == 1 and len(partial[0].fields) == 8


def test_dates_follow_as_of(tmp_path: Path) -> None:
    later = date(2026, 1, 5)
    tree = build_tree(site_by_id("9901000001"), later, 2025)
    newest = max(a.day for a in tree.articles())
    assert later - timedelta(days=5) <= newest < later
    years = [a.title for c in tree.columns if c.key == "xxgknb" for a in c.articles]
    assert any("2024年政府信息公开工作年度报告" in t for t in years)  # 2025's is not due before 31 Jan 2026
