"""The knowledge base files, site-level leader files and the variant generator."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from xuncha.text.political import (
    TIER_SHAPE,
    TIER_TONE,
    PoliticalChecker,
    confusable_variants,
    load_formulations,
    load_leaders,
    load_shape_table,
)

SITE_FILE = """
offices:
  jc_secretary:
    name: 江川省委书记
    titles: [中共江川省委书记, 江川省委书记]
    short: 书记
  jc_governor:
    name: 江川省省长
    titles: [江川省省长, 江川省长]
    short: 省长
people:
  - name: 周明远
    tenures:
      - {office: jc_secretary, start: 2020-01-01, end: 2024-01-10}
  - name: 孙立新
    tenures:
      - {office: jc_secretary, start: 2024-01-10}
      - {office: jc_governor, start: 2019-05-01, end: 2024-01-10, verified: false}
"""


def test_standing_committee_and_offices_as_briefed() -> None:
    kb = load_leaders()
    roster = next(r for r in kb.rosters if r.id == "pbsc-20")
    assert roster.members == ("习近平", "李强", "赵乐际", "王沪宁", "蔡奇", "丁薛祥", "李希")
    d = date(2024, 6, 1)
    assert kb.holders("premier", d) == ["李强"]
    assert kb.holders("npc_chair", d) == ["赵乐际"]
    assert kb.holders("cppcc_chair", d) == ["王沪宁"]
    assert kb.holders("vice_president", d) == ["韩正"]
    assert kb.holders("vice_premier", d) == ["丁薛祥", "何立峰", "张国清", "刘国中"]
    assert kb.holders("ccdi_secretary", d) == ["李希"]
    assert kb.holders("premier", date(2023, 3, 10)) == ["李克强"]
    assert kb.holders("npc_chair", date(2023, 3, 9)) == ["栗战书"]
    assert kb.holders("cppcc_chair", date(2023, 3, 9)) == ["汪洋"]
    assert kb.holders("vice_president", date(2023, 3, 9)) == ["王岐山"]
    assert "韩正" in kb.holders("exec_vice_premier", date(2023, 3, 11))
    assert kb.holders("exec_vice_premier", date(2023, 3, 12)) == ["丁薛祥"]


def test_unverified_facts_are_marked() -> None:
    kb = load_leaders()
    unverified = {(p.name, t.office) for p in kb.people.values() for t in p.tenures if not t.verified}
    assert ("蔡奇", "general_office_director") in unverified
    assert ("李强", "premier") not in unverified


def test_formulation_members() -> None:
    kb = load_formulations()
    four = next(f for f in kb.formulations if f.canonical == "四个自信")
    assert [m.text for m in four.members] == ["道路自信", "理论自信", "制度自信", "文化自信"]


def test_site_level_leaders_file(tmp_path: Path) -> None:
    site = tmp_path / "site_leaders.yaml"
    site.write_text(SITE_FILE, encoding="utf-8")
    checker = PoliticalChecker(leaders=load_leaders([site]))
    d = date(2024, 6, 1)
    assert checker.check("江川省委书记孙立新到基层调研。国务院总理李强出席。", d) == []
    [c] = checker.check("江川省委书记周明远到基层调研。", d)
    assert (c.kind, c.suggestion) == ("outdated_title", "时任江川省委书记周明远")
    assert checker.check("江川省委书记周明远到基层调研。", date(2023, 6, 1)) == []
    [c] = checker.check("江川省省长孙立新出席。", d)
    assert c.kind == "outdated_title" and c.suggestion == "江川省委书记孙立新" and c.verified is False
    [c] = checker.check("周名远书记强调。", d)
    assert (c.kind, c.suggestion) == ("name_variant", "周明远")


def test_site_file_with_an_unknown_office_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("people:\n  - name: 某某\n    tenures:\n      - {office: nowhere, start: 2020-01-01}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="未定义的职务"):
        load_leaders([bad])


def test_variant_generator_tiers() -> None:
    v = confusable_variants("习近平")
    assert v["习进平"] == TIER_TONE
    assert v["习近乎"] == TIER_SHAPE
    assert v["刁近乎"] == TIER_SHAPE  # two shape-similar replacements
    assert "习近平" not in v


def test_shape_table_is_symmetric() -> None:
    table = load_shape_table()
    assert "乎" in table["平"] and "平" in table["乎"]


def test_jieba_words_are_never_name_variants(checker: PoliticalChecker) -> None:
    # 张国庆 is an ordinary name in jieba's dictionary: never a variant of 张国清
    assert checker.check("副总理张国庆", date(2024, 6, 1)) == []


def test_empty_knowledge_finds_nothing() -> None:
    from xuncha.text.political import FormulationKB, LeaderKB

    checker = PoliticalChecker(leaders=LeaderKB(), formulations=FormulationKB())
    assert checker.check("委员长王沪宁", date(2024, 6, 1)) == []


def test_pinyin_override_drives_same_sound_variants(checker: PoliticalChecker) -> None:
    # pypinyin reads 高丽 as gāolí; the KB says lì, so 张高力 is a same-sound variant
    assert confusable_variants("张高丽", readings=["zhāng", "gāo", "lì"])["张高力"] == TIER_TONE
    [c] = checker.check("国务院副总理张高力出席。", date(2015, 1, 1))
    assert (c.kind, c.suggestion) == ("name_variant", "张高丽")
