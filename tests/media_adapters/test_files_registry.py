"""HTML list pages, CSV/XLSX/JSON import, manual evidence and the adapter registry."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from openpyxl import Workbook

from xuncha.collect.media import (
    ADAPTERS,
    NoAdapterError,
    collect_account,
    files,
    html_list,
    pick_adapter,
    reparse,
)
from xuncha.settings import TZ

from .fixtures import AS_OF, HTML_LIST, RSS_WECHAT, account


async def test_html_list_page(world):
    base, f = await world({"/app/list": (HTML_LIST, "text/html", 200),
                           "/app/blank": ("<html><body><p>登录</p></body></html>", "text/html", 200)})
    snap = await html_list.collect(f, account("app"), f"{base}/app/list", AS_OF)
    assert snap.health == "ok", snap.health_detail
    assert snap.state.display_name == "成都发布客户端"
    assert len(snap.posts) == 3
    newest = max(snap.posts, key=lambda p: p.published_at)
    assert newest.title == "成都市召开春季森林防火工作会议"
    assert newest.published_at == datetime(2025, 3, 19, tzinfo=TZ)
    assert newest.url.endswith("/a/101.html")
    blank = await html_list.collect(f, account("app"), f"{base}/app/blank", AS_OF)
    assert blank.health == "parse_error"


def _xlsx(path):
    wb = Workbook()
    ws = wb.active
    ws.append(["账号ID", "发布时间", "标题", "正文", "链接", "类型", "置顶"])
    ws.append(["GZH001", datetime(2025, 3, 18, 9, 30), "春耕", "正文一", "https://e/1", "原创", "否"])
    ws.append(["GZH001", "2025-03-19 08:00", "转发通知", "正文二", "https://e/2", "转发", ""])
    ws.append(["GZH001", "2024年12月1日", "旧文置顶", "", "https://e/3", "原创", "是"])
    ws.append(["OTHER", "2025-03-19", "别的账号", "", "https://e/4", "原创", ""])
    wb.save(path)


async def test_xlsx_import(tmp_path):
    p = tmp_path / "posts.xlsx"
    _xlsx(p)
    snap = await files.collect(None, account(), str(p), AS_OF)
    assert snap.health == "ok", snap.health_detail
    assert [x.title for x in snap.posts] == ["春耕", "转发通知", "旧文置顶"]
    a, b, c = snap.posts
    assert a.published_at == datetime(2025, 3, 18, 9, 30, tzinfo=TZ)
    assert b.kind == "repost" and b.published_at == datetime(2025, 3, 19, 8, tzinfo=TZ)
    assert c.pinned and c.published_at == datetime(2024, 12, 1, tzinfo=TZ)
    # the rows are stored: re-parse needs no file
    p.unlink()
    again = reparse(snap, AS_OF)
    assert [x.title for x in again.posts] == ["春耕", "转发通知", "旧文置顶"]


async def test_csv_import_english_and_gbk(tmp_path):
    p = tmp_path / "posts.csv"
    p.write_bytes("account_id,published_at,title,kind,pinned\nGZH001,2025-03-17T10:00:00+00:00,标题甲,repost,true\n"
                  "GZH001,,无日期,original,\n".encode("gb18030"))
    snap = await files.collect(None, account(), str(p), AS_OF)
    assert snap.health == "ok"
    assert snap.posts[0].published_at == datetime(2025, 3, 17, 18, tzinfo=TZ)
    assert snap.posts[0].kind == "repost" and snap.posts[0].pinned
    assert snap.posts[1].published_at is None


async def test_import_errors_are_inconclusive(tmp_path):
    missing = await files.collect(None, account(), str(tmp_path / "nope.csv"), AS_OF)
    assert missing.health == "no_source" and "无法读取" in missing.health_detail
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    broken = await files.collect(None, account(), str(bad), AS_OF)
    assert broken.health == "no_source"
    other = tmp_path / "o.json"
    other.write_text(json.dumps([{"账号ID": "X9", "发布时间": "2025-03-01", "标题": "t"}]), "utf-8")
    snap = await files.collect(None, account(), str(other), AS_OF)
    assert snap.health == "no_source" and "GZH001" in snap.health_detail


async def test_manual_evidence(tmp_path):
    p = tmp_path / "manual.json"
    p.write_text(json.dumps([{"account_id": "GZH001", "last_post_date": "2025-02-01",
                              "inspector": "张三", "screenshot": "shots/gzh001.png",
                              "note": "页面显示最后一条推送"}], ensure_ascii=False), "utf-8")
    snap = await files.collect_manual(None, account(), f"manual:{p}", AS_OF)
    assert snap.health == "manual"
    assert snap.posts[0].published_at == datetime(2025, 2, 1, tzinfo=TZ)
    assert "张三" in snap.health_detail and "shots/gzh001.png" in snap.health_detail
    t = account(最后发布日期="2025-03-01", 巡查员="李四", 截图="a.png")
    from_registry = await files.collect_manual(None, t, "manual:", AS_OF)
    assert from_registry.health == "manual" and "李四" in from_registry.health_detail
    ev = files.ManualEvidence(account_id="GZH001", last_post_date="", inspector="王五")
    none = files.parse_manual(account(), "manual", [files.evidence_document(ev)], AS_OF)
    assert none.health == "manual" and none.posts == [] and "未发现任何发布内容" in none.health_detail


def test_pick_adapter():
    def pick(url="", kind="wechat", **extra):
        return pick_adapter(account(kind, url, **extra)).name

    assert pick("https://rsshub.example/wechat/feed/abc") == "rss"
    assert pick("http://wx2rss.example/cdfb.xml") == "rss"
    assert pick("https://x.example/atom/cdfb") == "atom"
    assert pick("https://m.weibo.cn/api/container/getIndex?type=uid&value=1", "weibo") == "weibo_json"
    assert pick("https://app.example.gov.cn/news/list", "app") == "html_list"
    assert pick("/data/posts.xlsx") == "file"
    assert pick("", 采集地址="file:///data/posts.csv") == "file"
    assert pick("https://mp.weixin.qq.com/x", source="https://rss.example/feed") == "rss"
    assert pick("manual:") == "manual"
    assert pick("", 最后发布日期="2025-03-01") == "manual"
    assert set(ADAPTERS) == {"rss", "atom", "weibo_json", "html_list", "file", "manual"}
    with pytest.raises(NoAdapterError, match="微信公众号"):
        pick("https://mp.weixin.qq.com/s/abc")
    with pytest.raises(NoAdapterError, match="未提供采集地址"):
        pick("")
    with pytest.raises(NoAdapterError, match="无法识别"):
        pick("ftp://x/y")


async def test_collect_account_end_to_end(world):
    base, f = await world({"/rss/x.xml": RSS_WECHAT})
    snap = await collect_account(f, account(url=f"{base}/rss/x.xml"), AS_OF)
    assert snap.health == "ok" and snap.adapter == "rss" and len(snap.posts) == 3
    none = await collect_account(f, account(url="https://mp.weixin.qq.com/s/abc"), AS_OF)
    assert none.health == "no_source" and "RSS" in none.health_detail
