"""Column classification (extract/taxonomy.py, indicators.md §5)."""

from __future__ import annotations

import pytest

from xuncha.extract.taxonomy import (
    breadcrumb_segments,
    canonical_column_url,
    classify_column,
    normalize_name,
)
from xuncha.model import COLUMN_CLASSES


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("要闻", "NEWS"), ("政务要闻", "NEWS"), ("本地要闻", "NEWS"), ("工作动态", "NEWS"),
        ("部门动态", "NEWS"), ("区县动态", "NEWS"), ("乡镇动态", "NEWS"), ("图片新闻", "NEWS"),
        ("领导活动", "NEWS"), ("新闻中心", "NEWS"), ("热点关注", "NEWS"),
        ("通知公告", "NOTICE"), ("公示公告", "NOTICE"), ("公告", "NOTICE"), ("招标公告", "NOTICE"),
        ("人事公示", "NOTICE"), ("招聘公告", "NOTICE"),
        ("政策文件", "POLICY"), ("规范性文件", "POLICY"), ("政府规章", "POLICY"), ("政府令", "POLICY"),
        ("政策法规", "POLICY"),
        ("政策解读", "INTERPRET"), ("政策文件解读", "INTERPRET"), ("新闻发布会", "INTERPRET"),
        ("回应关切", "INTERPRET"),
        ("人事信息", "PERIODIC"), ("人事任免", "PERIODIC"), ("规划计划", "PERIODIC"),
        ("财政预决算", "PERIODIC"), ("三公经费", "PERIODIC"), ("政府信息公开年报", "PERIODIC"),
        ("政府工作报告", "PERIODIC"), ("网站工作年度报表", "PERIODIC"),
        ("统计数据", "DATA"), ("数据发布", "DATA"), ("统计公报", "DATA"),
        ("机构职能", "OVERVIEW"), ("领导之窗", "OVERVIEW"), ("走进某某", "OVERVIEW"),
        ("政府信息公开指南", "OPEN_CATALOG"), ("依申请公开", "OPEN_CATALOG"), ("政务公开", "OPEN_CATALOG"),
        ("市长信箱", "CONSULT"), ("在线咨询", "CONSULT"), ("政民互动", "CONSULT"), ("12345热线", "CONSULT"),
        ("意见征集", "SURVEY"), ("网上调查", "SURVEY"),
        ("在线访谈", "INTERVIEW"),
        ("网上信访", "EXCLUDE"), ("纪检举报", "EXCLUDE"),
        ("办事指南", "SERVICE"), ("网上办事", "SERVICE"), ("办件公示", "SERVICE"), ("表格下载", "SERVICE"),
        ("专题专栏", "SPECIAL"), ("疫情防控专题", "SPECIAL"), ("专题新闻", "SPECIAL"),
    ],
)
def test_names(name: str, cls: str) -> None:
    got = classify_column(name)
    assert got[0] == cls, got
    assert got[1].startswith("name:")
    assert got[2] >= 0.8


def test_specific_names_beat_generic_words() -> None:
    assert classify_column("要闻") == ("NEWS", "name:要闻", 0.95)
    cls, rule, conf = classify_column("XX动态")
    assert (cls, rule) == ("NEWS", "name:动态") and conf < 0.95


def test_normalisation() -> None:
    assert normalize_name(" 通知 公告 栏目") == "通知公告"
    assert normalize_name("【政务要闻】") == "政务要闻"
    assert normalize_name("（通知公告）专栏") == "通知公告"
    assert normalize_name("专栏") == "专栏"
    assert classify_column("【 通知公告 】")[0] == "NOTICE"
    assert classify_column("通知公告专栏")[0] == "NOTICE"


def test_history_topics_are_not_news() -> None:
    assert classify_column("往期要闻")[0] != "NEWS"
    assert classify_column("历史动态")[0] != "NEWS"


def test_trailing_zhuanlan_without_other_match_is_special() -> None:
    assert classify_column("扫黑除恶专栏") == ("SPECIAL", "name:专栏", 0.8)


def test_unmatched_is_other() -> None:
    assert classify_column("某某某") == ("OTHER", "unmatched", 0.0)
    assert classify_column("") == ("OTHER", "unmatched", 0.0)


def test_breadcrumb_then_url_hints() -> None:
    cls, rule, conf = classify_column("某某", breadcrumb="当前位置：首页 > 政务公开 > 通知公告")
    assert (cls, rule, conf) == ("NOTICE", "breadcrumb:通知公告", 0.75)
    cls, rule, conf = classify_column("某某", breadcrumb="您的位置：首页 >> 新闻中心 >> 某某")
    assert (cls, rule) == ("NEWS", "breadcrumb:新闻中心") and conf == 0.6
    assert classify_column("某某", url="http://x.gov.cn/zwgk/tzgg/") == ("NOTICE", "url:tzgg", 0.6)
    assert classify_column("某某", url="http://x.gov.cn/zwgk/tzgg/index.html")[0] == "NOTICE"
    assert classify_column("某某", url="http://x.gov.cn/xxgk/zcjd/index_1.html")[0] == "INTERPRET"
    assert classify_column("", url="http://x.gov.cn/zwdt/")[0] == "NEWS"
    # 互动交流 (hdjl) is a section holding channels, not a consultation channel of its own
    assert classify_column("互动交流", url="http://x.gov.cn/hdjl/")[0] != "CONSULT"
    assert classify_column("", url="http://x.gov.cn/gzdt/")[0] == "NEWS"
    assert classify_column("", url="http://x.gov.cn/zcwj/")[0] == "POLICY"
    assert classify_column("", url="http://x.gov.cn/rsxx/")[0] == "PERIODIC"
    assert classify_column("", url="http://x.gov.cn/ghjh/")[0] == "PERIODIC"
    assert classify_column("", url="http://x.gov.cn/zmhd/")[0] == "CONSULT"
    assert classify_column("", url="http://x.gov.cn/bsfw/")[0] == "SERVICE"
    assert classify_column("", url="http://x.gov.cn/zwgk/")[0] == "OPEN_CATALOG"
    # the name wins over hints
    assert classify_column("政策文件", url="http://x.gov.cn/tzgg/")[0] == "POLICY"
    # no hint in a CMS number path
    assert classify_column("某某", url="http://x.gov.cn/col/col123/index.html")[0] == "OTHER"


def test_overrides_beat_everything() -> None:
    url = "http://x.gov.cn/zwgk/tzgg/"
    assert classify_column("通知公告", url, overrides={url: "POLICY"}) == ("POLICY", "override", 1.0)
    # URL forms are matched loosely (index.html, scheme)
    assert classify_column("通知公告", "https://x.gov.cn/zwgk/tzgg/index.html",
                           overrides={url: "other"})[0] == "OTHER"
    assert classify_column("要闻", overrides={"要闻": "SPECIAL"})[1] == "override"
    assert classify_column("要闻", overrides={"通知公告": "NOTICE"})[0] == "NEWS"
    with pytest.raises(ValueError, match="无效"):
        classify_column("要闻", overrides={"要闻": "NOPE"})


def test_every_class_is_a_model_class() -> None:
    from xuncha.extract.taxonomy import _CLASSES, URL_HINTS

    for cls, _, _ in _CLASSES:
        assert cls in COLUMN_CLASSES
    assert set(URL_HINTS.values()) <= set(COLUMN_CLASSES)


def test_breadcrumb_segments_and_canonical_url() -> None:
    assert breadcrumb_segments("当前位置：首页 > 政务公开 > 通知公告") == ["政务公开", "通知公告"]
    assert breadcrumb_segments("您现在的位置: 网站首页 >> 新闻中心 >> 正文") == ["新闻中心"]
    assert breadcrumb_segments("") == []
    assert canonical_column_url("https://X.gov.cn/a/index.html") == canonical_column_url("http://x.gov.cn/a/")
    assert canonical_column_url("http://x.gov.cn/a/index_1.html") != canonical_column_url("http://x.gov.cn/a/")
