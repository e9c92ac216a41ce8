from pathlib import Path

import pytest
from openpyxl import Workbook

from xuncha.errors import RegistryError
from xuncha.model import Target
from xuncha.registry import load_registry, write_registry


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_chinese_headers_xlsx(tmp_path: Path) -> None:
    p = _xlsx(tmp_path / "名录.xlsx", [
        ["网站标识码", "类型", "名称", "网址", "主管单位", "地区", "类别", "状态", "备注"],
        [4100000001, "网站", "青山市人民政府", "www.qingshan.gov.cn", "青山市政府办公室", "示例省/青山市", "政府门户网站", "运行", "重点"],
        ["bm07000001", "微信公众号", "青山发布", "https://mp.example/qs", "青山市委宣传部", "示例省/青山市", "", "关停", ""],
    ])
    reg = load_registry(p)
    assert [t.id for t in reg.targets] == ["4100000001", "bm07000001"]
    site, acct = reg.targets
    assert site.kind == "website" and site.url == "http://www.qingshan.gov.cn/"
    assert site.is_portal and site.status == "running" and site.extra == {"备注": "重点"}
    assert site.source == "名录.xlsx:2"
    assert acct.kind == "wechat" and acct.status == "closed" and acct.status_raw == "关停"


def test_english_csv_gbk_and_flags(tmp_path: Path) -> None:
    p = tmp_path / "r.csv"
    p.write_bytes(
        "id,kind,name,url,owner,region,category,status,no_service_function\n"
        "1303000020,website,河西区发改委,http://fgw.hexi.gov.cn/,河西区发改委,示例省/河西区,部门网站,running,是\n"
        .encode("gbk")
    )
    (t,) = load_registry(p).targets
    assert t.name == "河西区发改委" and "no_service_function" in t.flags and not t.is_portal


def test_bad_rows_named_and_skippable(tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(
        "id,kind,name,url,status\n"
        "1,website,好站,http://a.gov.cn/,运行\n"
        "2,website,坏网址,ht!tp:/ /x,运行\n"
        "1,website,重复,http://b.gov.cn/,运行\n"
        "3,传真,未知类型,http://c.gov.cn/,运行\n"
        "4,website,未知状态,http://d.gov.cn/,半死不活\n",
        encoding="utf-8",
    )
    with pytest.raises(RegistryError) as ei:
        load_registry(p)
    msg = str(ei.value)
    assert "第3行「url」列" in msg and "第4行「id」列" in msg and "与第2行重复" in msg
    assert "第5行「kind」列" in msg and "第6行「status」列" in msg and "--skip-bad-rows" in msg
    reg = load_registry(p, skip_bad_rows=True)
    assert [t.id for t in reg.targets] == ["1"]
    assert len(reg.issues) == 4


def test_missing_required_header(tmp_path: Path) -> None:
    p = tmp_path / "h.csv"
    p.write_text("编号,名称\n1,x\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="第1行（表头）：缺少必需的列 url"):
        load_registry(p)


def test_unsupported_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="不存在"):
        load_registry(tmp_path / "none.xlsx")
    (tmp_path / "x.json").write_text("{}")
    with pytest.raises(RegistryError, match="不支持"):
        load_registry(tmp_path / "x.json")


@pytest.mark.parametrize("suffix,cn", [(".xlsx", True), (".csv", False)])
def test_write_round_trip(tmp_path: Path, suffix: str, cn: bool) -> None:
    targets = [
        Target("4100000001", "website", "青山市人民政府", "http://www.qingshan.gov.cn/", "青山市政府办公室",
               "示例省/青山市", "政府门户网站", "running", "运行"),
        Target("1303000020", "website", "河西区发改委", "http://fgw.hexi.gov.cn/", "河西区发改委",
               "示例省/河西区", "部门网站", "cancelled", "注销", frozenset({"no_service_function"})),
    ]
    back = load_registry(write_registry(targets, tmp_path / f"out{suffix}", chinese_headers=cn)).targets
    assert [(t.id, t.kind, t.name, t.url, t.status, t.flags) for t in back] == [
        (t.id, t.kind, t.name, t.url, t.status, t.flags) for t in targets
    ]
