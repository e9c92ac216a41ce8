"""The curated misuse dictionary (data/typos.tsv): hits, context rules, data quality."""

from __future__ import annotations

from importlib import resources

import pytest

from xuncha.text.typos import TYPOS_TSV, MisuseRule, TypoChecker, load_rules

from .conftest import pairs


@pytest.mark.parametrize(
    ("text", "found", "suggestion"),
    [
        ("即使遇到困难，也要再接再励，确保完成全年目标。", "再接再励", "再接再厉"),
        ("群众迫不急待地想了解新政策。", "迫不急待", "迫不及待"),
        ("面对难题不能一愁莫展。", "一愁莫展", "一筹莫展"),
        ("要汲取教训，防止重蹈复辙。", "重蹈复辙", "重蹈覆辙"),
        ("节日期间，前来办事的群众穿流不息。", "穿流不息", "川流不息"),
        ("坚决防止问题反弹、变本加利。", "变本加利", "变本加厉"),
        ("既使下雨，活动也照常进行。", "既使", "即使"),
        ("会议要求，既使任务再重，也要确保安全。", "既使", "即使"),
        ("请于本周内完成设备按装调试。", "按装", "安装"),
        ("会议对下一步工作作了布署。", "布署", "部署"),
        ("演出给观众带来强烈的震憾。", "震憾", "震撼"),
        ("展览汇集了传统文化的精萃。", "精萃", "精粹"),
        ("本书由办公室负责编缉出版。", "编缉", "编辑"),
        ("请妥善保管您的帐号和密码。", "帐号", "账号"),
        ("截止2023年底，全市共有市场主体12万户。", "截止", "截至"),
        ("截止目前，已完成投资5亿元。", "截止", "截至"),
        ("用户可登陆网站查询办理进度。", "登陆", "登录"),
        ("二○二四年三月十五日", "○", "〇"),
        ("他以经离开了单位。", "以经", "已经"),
        ("我们要加强和改进工作，履行好自已的职责。", "自已", "自己"),
    ],
)
def test_dictionary_hit(checker: TypoChecker, text: str, found: str, suggestion: str) -> None:
    hits = checker.check(text)
    assert (found, suggestion) in pairs(checker, text)
    hit = next(h for h in hits if h.found == found)
    assert hit.rule == "dict"
    assert hit.confidence >= 0.9
    assert hit.explanation  # Chinese evidence text


@pytest.mark.parametrize(
    "text",
    [
        "按装修面积计算补贴。",  # 按 | 装修
        "坚持以经济建设为中心。",  # 以 | 经济
        "欢迎访问自我门户网站。",  # 自我 | 门户
        "蚊帐号称能防蚊虫。",  # 蚊帐 | 号称
        "全部份额已经认购完毕。",  # 全部 | 份额
        "既使群众满意，又让企业受益。",  # 既……又……
        "既使群众满意，也使企业受益。",
        "他激动得不能自已。",
        "报名于5月1日截止，逾期不予受理。",
        "截止日期为6月30日。",
        "飞机在海岛登陆。",
        "自觉接受社会监督，不断改进工作作风。",
    ],
)
def test_legitimate_text_not_flagged(checker: TypoChecker, text: str) -> None:
    assert pairs(checker, text) == []


def test_variant_is_reported_but_not_applied(checker: TypoChecker) -> None:
    text = "这是唯一的办法，我们充份认识到问题的严重性。"
    hits = [h for h in checker.check(text) if h.found == "充份"]
    assert len(hits) == 1 and hits[0].suggestion == "充分"
    assert hits[0].confidence < checker.apply_min_confidence
    assert "非推荐词形" in hits[0].explanation
    assert checker.correct(text) == text


def test_correct_applies_dictionary_fix(checker: TypoChecker) -> None:
    assert checker.correct("会议对下一步工作作了布署。") == "会议对下一步工作作了部署。"


def test_custom_rules_replace_the_packaged_ones() -> None:
    checker = TypoChecker(rules=[MisuseRule("甲乙", "丙丁", "typo", "测试")], confusable=False)
    hits = checker.check("这是甲乙。再接再励")
    assert [(h.found, h.suggestion) for h in hits] == [("甲乙", "丙丁")]


def test_tsv_is_well_formed(tmp_path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("错误\t正确\n", encoding="utf-8")
    with pytest.raises(ValueError, match="4列"):
        load_rules(bad)
    bad.write_text("错误\t正确\tother\t说明\n", encoding="utf-8")
    with pytest.raises(ValueError, match="类型"):
        load_rules(bad)


# right forms that jieba's dictionary does not list (newer or rarer, checked by hand)
_RIGHT_NOT_IN_JIEBA = {"一己之力", "笃行不怠", "到账", "赓续", "踔厉奋发"}


def test_packaged_dictionary_quality() -> None:
    """Hundreds of entries; each literal is a real misuse of a known right form."""
    rules = load_rules(TYPOS_TSV)
    assert len(rules) >= 400
    text = (resources.files("jieba") / "dict.txt").read_text(encoding="utf-8")
    counts = {w: int(c) for w, c, _tag in (line.split(" ") for line in text.splitlines())}
    seen: set[str] = set()
    for r in rules:
        assert r.wrong not in seen, f"重复条目：{r.wrong}"
        seen.add(r.wrong)
        assert r.wrong != r.right
        assert "的" not in r.right or r.is_regex or "的" in r.wrong  # 的/地/得 out of scope
        if r.is_regex:
            continue
        assert len(r.wrong) == len(r.right), r
        known = r.right in counts or any(
            r.right[:i] in counts and r.right[i:] in counts for i in range(1, len(r.right))
        )  # a word, or a phrase of two words (做+朋友, 戴+口罩)
        assert known or r.right in _RIGHT_NOT_IN_JIEBA, f"正确写法不在词典中：{r.right}"
        if r.kind == "typo":
            # a literal typo must not itself be a frequent word of the dictionary
            assert counts.get(r.wrong, 0) < 1100, f"{r.wrong} 在词典中很常见（{counts[r.wrong]}）"
