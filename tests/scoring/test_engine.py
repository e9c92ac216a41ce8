"""The engine: vetoes, pending candidates, reviews, deductions with caps, 4/3 scaling, bonus,
inconclusive and warnings, new-media scoring modes, health index."""

from __future__ import annotations

from pathlib import Path

import pytest

from xuncha.model import Review
from xuncha.scoring import load_ruleset
from xuncha.scoring.engine import instances, score_target

NAT = load_ruleset("national-2019")
SC = load_ruleset("sichuan-2023")


def test_clean_site_scores_100_good(b) -> None:
    v = score_target(b.result(b.target()), NAT)
    assert (v.verdict, v.grade, v.score, v.deduction_score, v.health_index) == ("合格", "良好", 100, 100, 100)


def test_automatic_veto_fails_and_is_not_scored(b) -> None:
    v = score_target(b.result(b.target(), b.finding("W.VETO.HOME_STALE", "veto"), b.finding("W.ID.FOOTER")), NAT)
    assert v.verdict == "不合格" and v.veto_codes == ["W.VETO.HOME_STALE"] and v.score is None
    assert v.notes[0] == "单项否决" and [d.code for d in v.deductions] == ["W.ID.FOOTER"]  # still recorded
    assert v.health_index == 100 - 1 - 40


def test_candidate_is_pending_until_confirmed_and_gone_when_false_positive(b) -> None:
    f = b.finding("W.VETO.SERIOUS_ERROR", "veto", confirm=True, found="习近平总书记")
    r = b.result(b.target(), f)
    v = score_target(r, NAT)
    assert v.verdict == "待确认" and v.pending_codes == ["W.VETO.SERIOUS_ERROR"] and v.veto_codes == []
    confirmed = {("s1", f.key): Review("s1", f.key, f.code, "confirmed")}
    assert score_target(r, NAT, confirmed).verdict == "不合格"
    doubtful = {("s1", f.key): Review("s1", f.key, f.code, "doubtful")}
    assert score_target(r, NAT, doubtful).verdict == "待确认"
    fp = {("s1", f.key): Review("s1", f.key, f.code, "false_positive", reason="引用原文")}
    v = score_target(r, NAT, fp)
    assert v.verdict == "合格" and v.dismissed == [f] and not v.pending


def test_finding_key_is_stable_across_runs_but_not_across_problems(b) -> None:
    a = b.finding("W.CONTENT.TYPO", evidence="第一次的说法", found="既使")
    later = b.finding("W.CONTENT.TYPO", evidence="换了措辞的证据", found="既使", url=a.url)
    other = b.finding("W.CONTENT.TYPO", evidence="第一次的说法", found="按装", url=a.url)
    assert a.key == later.key != other.key and len(a.key) == 16


def test_deductions_per_instance_capped_per_code_and_per_group(b) -> None:
    fs = [b.finding("W.LINK.BROKEN_OTHER", evidence=str(i)) for i in range(30)]  # 0.1 each, max 5
    fs += [b.finding("W.LINK.BROKEN_HOME", evidence=str(i)) for i in range(9)]  # 1 each, max 5
    fs += [b.finding("W.ID.FOOTER", evidence=str(i)) for i in range(3)]  # 1 each, max 3
    fs += [b.finding("W.ID.DOMAIN"), b.finding("W.SEARCH"), b.finding("W.TECH.IPV6"), b.finding("W.ID.ZHAOCUO"),
           b.finding("W.AVAIL.HOME"), b.finding("W.SITEMAP")]  # 2+2+2+2+2+1
    v = score_target(b.result(b.target(), *fs), NAT)
    by = {d.code: d for d in v.deductions}
    assert by["W.LINK.BROKEN_OTHER"].points == 3.0 and by["W.LINK.BROKEN_OTHER"].instances == 30
    assert by["W.LINK.BROKEN_HOME"].points == 5 and by["W.ID.FOOTER"].points == 3
    # 3 + 5 + 3 + 11 = 22 > the 功能设计 group maximum 20
    assert v.deduction_score == 80 and v.grade == "合格" and v.verdict == "合格"


def test_omitted_instances_of_a_capped_list_are_counted(b) -> None:
    fs = [b.finding("W.CONTENT.TYPO", evidence=str(i)) for i in range(2)]
    fs.append(b.finding("W.CONTENT.TYPO", "advisory", evidence="另有 4 处", omitted=4))
    assert instances(fs) == 6
    v = score_target(b.result(b.target(), *fs), NAT)
    assert v.deductions[0].instances == 6 and v.deductions[0].points == 3  # 0.5 × 6 = 3 = cap


def test_below_60_fails(b) -> None:
    fs = [b.finding(c) for c in ("W.PUB.POLICY_STALE", "W.SVC.STATS", "W.INT.REPLY_STALE")]
    fs += [b.finding("W.SVC.GUIDE", evidence=str(i)) for i in range(10)]
    fs += [b.finding("W.PRIVACY.LEAK", evidence=str(i)) for i in range(5)]
    fs += [b.finding("W.LINK.BROKEN_HOME", evidence=str(i)) for i in range(5)]
    fs += [b.finding("W.INT.SURVEY", evidence=str(i)) for i in range(2)]
    fs += [b.finding("W.ATTACHMENT", evidence=str(i)) for i in range(10)]
    fs += [b.finding(c) for c in ("W.ID.DOMAIN", "W.SEARCH", "W.TECH.IPV6", "W.ID.ZHAOCUO")]
    v = score_target(b.result(b.target(), *fs), NAT)
    # 5+6 | 2+10+5 | 3+4 | 5+8 = 48 lost
    assert v.deduction_score == 52 and v.verdict == "不合格" and v.grade == "不合格" and v.score == 52


def test_no_service_function_scale_4_3_and_redistribute(b, tmp_path: Path) -> None:
    t = b.target(flags=frozenset({"no_service_function"}))
    fs = [b.finding("W.SVC.GUIDE"), b.finding("W.ID.DOMAIN"), b.finding("W.SEARCH"), b.finding("W.PUB.POLICY_STALE")]
    v = score_target(b.result(t, *fs), NAT)
    assert "W.SVC.GUIDE" not in {d.code for d in v.deductions}  # 办事服务 is not checked
    assert v.deduction_score == round((75 - 9) * 4 / 3, 2) and "4/3" in v.notes[0]
    p = tmp_path / "zq.yaml"
    p.write_text("id: zq\ninherits: national-2019\nwebsite: {no_service_function: redistribute}\n", encoding="utf-8")
    v = score_target(b.result(t, *fs), load_ruleset(p))
    assert v.deduction_score == 100 - 9 and "平均分配" in v.notes[0]


def test_bonus_only_for_portals_above_80_and_capped(b) -> None:
    bonus = [b.finding("W.BONUS.PUB", "advisory", points=12), b.finding("W.BONUS.INNOVATION", "advisory", points=3)]
    portal = b.target(category="政府门户网站")
    v = score_target(b.result(portal, *bonus), NAT)
    assert v.bonus == 8 + 3 and v.score == 111  # W.BONUS.PUB capped at its group maximum 8
    dept = score_target(b.result(b.target(), *bonus), NAT)
    assert dept.bonus == 0 and dept.score == 100
    weak = [b.finding(c) for c in ("W.PUB.POLICY_STALE", "W.SVC.STATS", "W.INT.REPLY_STALE", "W.ID.DOMAIN",
                                   "W.SEARCH", "W.TECH.IPV6", "W.ID.ZHAOCUO", "W.AVAIL.HOME")]
    v = score_target(b.result(portal, *bonus, *weak), NAT)
    assert v.deduction_score == 80 and v.bonus == 0  # "score > 80 opens the bonus": 80 does not


def test_inconclusive_never_fails_and_warnings_never_score(b) -> None:
    fs = [b.finding("W.VETO.UNREACHABLE", "inconclusive", evidence="被拦截"),
          b.finding("W.VETO.HOME_STALE", "advisory", warning="首页临近不更新")]
    v = score_target(b.result(b.target(), *fs), NAT)
    assert v.verdict == "合格" and v.score == 100 and len(v.inconclusive) == 1 and len(v.warnings) == 1
    assert v.health_index == 100 - 5 - 2


def test_serious_privacy_leak_vetoes_only_when_marked(b) -> None:
    f = b.finding("W.PRIVACY.LEAK", masked="5101**********1234")
    r = b.result(b.target(), f)
    assert score_target(r, NAT).verdict == "合格"
    plain = {("s1", f.key): Review("s1", f.key, f.code, "confirmed")}
    assert score_target(r, NAT, plain).verdict == "合格"
    serious = {("s1", f.key): Review("s1", f.key, f.code, "confirmed", serious=True)}
    v = score_target(r, NAT, serious)
    assert v.verdict == "不合格" and v.veto_codes == ["W.PRIVACY.LEAK"]


def test_media_veto_only_versus_deduction_scheme(b) -> None:
    acct = b.target("wx1", kind="wechat")
    fs = [b.finding("M.REPOST.MISSING", tid="wx1", evidence=str(i)) for i in range(3)]
    fs += [b.finding("M.REGISTRY.MISMATCH", tid="wx1"), b.finding("M.CONTENT.TYPO", tid="wx1")]
    nat = score_target(b.result(acct, *fs), NAT)
    assert nat.verdict == "合格" and nat.score is None and nat.grade == ""
    sc = score_target(b.result(acct, *fs), SC)
    assert sc.deduction_score == 100 - 15 - 10 - 2 and sc.verdict == "合格"
    fs += [b.finding("M.UPDATE.SLOW", tid="wx1"), b.finding("M.CONTENT.SENSITIVE", tid="wx1", evidence="a"),
           b.finding("M.CONTENT.SENSITIVE", tid="wx1", evidence="b"), b.finding("M.MENU.BROKEN", tid="wx1")]
    sc = score_target(b.result(acct, *fs), SC)
    assert sc.deduction_score == 73 - 5 - 4 - 2 and sc.verdict == "合格"
    stale = score_target(b.result(acct, b.finding("M.VETO.STALE", "veto", tid="wx1")), SC)
    assert stale.verdict == "不合格" and stale.score is None


def test_a_ruleset_that_does_not_veto_a_code_deducts_it(b, tmp_path: Path) -> None:
    p = tmp_path / "soft.yaml"
    p.write_text("""
id: soft
inherits: national-2019
website:
  veto: [W.VETO.UNREACHABLE]
  deductions:
    W.VETO.BLANK_COLUMNS: {group: 发布解读, per: 10, max: 10}
""", encoding="utf-8")
    r = b.result(b.target(), b.finding("W.VETO.BLANK_COLUMNS", "veto"))
    assert score_target(r, NAT).verdict == "不合格"
    v = score_target(r, load_ruleset(p))
    assert v.verdict == "合格" and v.deduction_score == 90


def test_not_inspected(b) -> None:
    v = score_target(b.result(b.target(), inspected=False), NAT)
    assert v.verdict == "未检查" and not v.inspected


@pytest.mark.parametrize("rs", [NAT, SC])
def test_every_deduction_code_is_a_known_or_spec_code(rs) -> None:
    from xuncha.checks import REGISTRY

    spec_new = {"W.PUB.OVERVIEW", "W.PUB.OPEN_CATALOG", "W.PUB.INTERPRET", "W.PUB.RESPONSE", "W.PUB.DATA",
                "W.PUB.SPECIAL", "W.REPOST.MISSING", "W.SVC.ONLINE", "W.SVC.STATS", "W.INT.STATS",
                "W.INT.REPLY_QUALITY", "W.INT.SURVEY", "W.INT.INTERVIEW", "W.INT.SIM_CONSULT", "W.TECH.META",
                "W.TECH.MOBILE", "M.CONTENT.IRRELEVANT", "M.REGISTRY.UNFILED", "M.ID.UNVERIFIED", "M.TECH.IPV6"}
    for part in (rs.website, rs.media):
        for code in list(part.deductions) + list(part.veto):
            assert code in REGISTRY or code in spec_new or code in {"W.VETO.FRAUD", "W.VETO.OPINION",
                                                                    "M.VETO.FRAUD", "M.VETO.OPINION"}, code


def test_titles_come_from_checks_then_the_spec() -> None:
    from xuncha.checks import title_of

    assert title_of("W.VETO.HOME_STALE") == "首页不更新"  # a registered check
    assert title_of("W.PUB.OVERVIEW") == "概况信息"  # in the spec, no check yet
    assert title_of("W.NOPE") == "W.NOPE"
