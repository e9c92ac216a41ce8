"""Lexicon: allow-list traps, leftmost-longest selection, warning cues, deployment files, engines."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

from xuncha.errors import ConfigError
from xuncha.text.lexicon import (
    DATA_DIR,
    LEXICON_NAMES,
    Lexicon,
    Term,
    available_engines,
    default_lexicon,
    load_lexicon,
    read_phrases,
)

ENGINES = available_engines()
PACKAGED_ALLOW = read_phrases(DATA_DIR / "allow.tsv")


def texts(lex: Lexicon, text: str) -> list[str]:
    return [m.text for m in lex.find(text)]


# --------------------------------------------------------------------------- allow-list traps
@pytest.mark.parametrize("engine", ENGINES)
def test_allow_list_beats_shorter_matches(engine: str) -> None:
    lex = Lexicon([Term("大麻", "drugs", "veto"), Term("口交", "porn", "veto")], PACKAGED_ALLOW, engine=engine)
    assert texts(lex, "这件事处理不好会是个大麻烦。") == []
    assert texts(lex, "早晚高峰路口交通秩序由交警疏导，路口交警现场指挥。") == []
    assert texts(lex, "结合对口交流活动，推进进出口交易会筹备。") == []
    assert texts(lex, "云南省工业大麻种植许可") == []
    # the words themselves still match, also next to an allow phrase
    assert texts(lex, "出售大麻。大麻烦") == ["大麻"]
    assert [(m.start, m.end) for m in lex.find("大麻烦大麻")] == [(3, 5)]


@pytest.mark.parametrize("engine", ENGINES)
def test_match_inside_allow_phrase_dropped_even_when_preempted(engine: str) -> None:
    # "XAB" is allowed; "AB" and "BC" are terms. In "XABC" the allowed AB must not hide BC.
    lex = Lexicon([Term("乙丙", "t"), Term("丙丁", "t")], ["甲乙丙"], engine=engine)
    assert texts(lex, "甲乙丙丁") == ["丙丁"]
    assert texts(lex, "乙丙丁") == ["乙丙"]


@pytest.mark.parametrize("engine", ENGINES)
def test_leftmost_longest_non_overlapping(engine: str) -> None:
    lex = Lexicon([Term("时时彩", "gambling", "veto"), Term("重庆时时彩", "gambling", "veto"),
                   Term("彩金", "gambling", "veto"), Term("注册送彩金", "gambling", "veto")], engine=engine)
    found = lex.find("重庆时时彩，注册送彩金")
    assert [(m.start, m.end, m.text) for m in found] == [(0, 5, "重庆时时彩"), (6, 11, "注册送彩金")]
    assert all(m.term.word == m.text for m in found)


@pytest.mark.parametrize("engine", ENGINES)
def test_ascii_terms_case_insensitive_offsets_in_characters(engine: str) -> None:
    lex = Lexicon([Term("bet365", "gambling", "veto"), Term("新葡京", "gambling", "veto")], engine=engine)
    text = "😀访问BET365与Bet365，澳门新葡京"
    found = lex.find(text)
    assert [m.text for m in found] == ["BET365", "Bet365", "新葡京"]
    for m in found:
        assert text[m.start:m.end] == m.text


# --------------------------------------------------------------------------- packaged lexicon
def test_default_lexicon_categories_and_severities() -> None:
    lex = default_lexicon()
    assert lex is default_lexicon()  # cached
    assert lex.categories == set(LEXICON_NAMES)
    assert 250 <= len(lex) <= 800
    by_cat: dict[str, set[str]] = {}
    for t in lex.terms:
        by_cat.setdefault(t.category, set()).add(t.severity)
    for cat in ("gambling", "porn", "drugs", "reactionary"):
        assert by_cat[cat] == {"veto"}, cat
    assert by_cat["fraud"] == {"deduct"} and by_cat["ads"] == {"deduct"}
    assert "veto" in by_cat["violence"]


def test_generic_words_of_legitimate_notices_are_not_terms() -> None:
    words = {t.word for t in default_lexicon().terms}
    for generic in ("赌博", "网络赌博", "色情", "淫秽色情", "毒品", "大麻", "冰毒", "海洛因", "吸毒", "恐怖袭击",
                    "法轮功", "台独", "邪教", "办证", "刷单", "开户", "棋牌", "棋牌室", "代孕"):
        assert generic not in words, generic


def test_police_notice_about_gambling_gives_no_veto_match() -> None:
    notice = (
        "示例市公安局关于严厉打击赌博违法犯罪活动的通告\n"
        "为维护社会治安秩序，市公安局决定在全市范围内开展打击赌博违法犯罪专项行动。"
        "严禁参与百家乐、六合彩、时时彩等网络赌博活动，严禁为赌博网站提供资金结算服务。"
        "今年以来，全市共查处赌博案件12起，依法查处开设赌场案件3起，抓获涉赌人员46名。"
        "欢迎广大群众积极举报网络赌博、地下六合彩等违法犯罪线索。"
    )
    lex = default_lexicon()
    assert [m for m in lex.find(notice) if m.term.severity == "veto"] == []
    for line in notice.split("\n"):
        assert lex.find(line) == []
    # the anti-fraud and anti-drug columns too
    assert lex.find("警惕刷单返利诈骗：网络兼职日结、刷单兼职都是诈骗。") == []
    assert lex.find("珍爱生命，远离毒品。公安机关破获一起出售冰毒案件。") == []


def test_spam_injected_into_a_page_is_found() -> None:
    spam = "澳门新葡京娱乐城官网，注册送彩金，百家乐真人视讯，重庆时时彩计划。"
    found = default_lexicon().find(spam)
    assert {m.term.category for m in found} == {"gambling"}
    assert {m.term.severity for m in found} == {"veto"}
    assert [m.text for m in found] == ["澳门新葡京", "娱乐城", "注册送彩金", "百家乐", "真人视讯", "重庆时时彩"]
    fraud = default_lexicon().find("代开发票，联系微信")
    assert [(m.text, m.term.category, m.term.severity) for m in fraud] == [("代开发票", "fraud", "deduct")]


def test_cue_only_applies_inside_its_sentence() -> None:
    lex = default_lexicon()
    assert texts(lex, "严厉打击违法犯罪。澳门新葡京官网") == ["澳门新葡京"]
    assert texts(lex, "澳门新葡京官网\n严厉打击违法犯罪") == ["澳门新葡京"]
    far = "澳门新葡京" + "官网" * 30 + "打击"
    assert texts(lex, far) == ["澳门新葡京"]
    assert texts(lex, "澳门新葡京，严厉打击") == []


def test_packaged_files_are_well_formed() -> None:
    for name in LEXICON_NAMES:
        lex = load_lexicon([name])
        assert lex.categories == {name}
        for t in lex.terms:
            assert t.word == t.word.strip() and "\t" not in t.word and len(t.word) >= 2


# --------------------------------------------------------------------------- deployment files
def test_deployment_dir_extends_overrides_disables(tmp_path: Path) -> None:
    (tmp_path / "gambling.tsv").write_text(
        "word\tcategory\tseverity\tnote\tsuggestion\n"
        "# local brand seen on compromised sites\n"
        "某某国际娱乐\t\t\t本地发现\n"
        "免费彩金\tgambling\tdeduct\t本地降级\n", encoding="utf-8")
    (tmp_path / "disable.tsv").write_text("word\tnote\n老虎机\t本地误报多\n", encoding="utf-8")
    (tmp_path / "allow.tsv").write_text("phrase\tnote\n百家乐园\t本地公园名\n", encoding="utf-8")
    (tmp_path / "local.tsv").write_text("word\n违规词甲\n", encoding="utf-8")
    base = default_lexicon()
    lex = load_lexicon(extra_dirs=[tmp_path])
    assert "local" in lex.categories and len(lex) == len(base) + 2 - 1
    terms = {t.word: t for t in lex.terms}
    assert terms["某某国际娱乐"].category == "gambling" and terms["某某国际娱乐"].severity == "veto"
    assert terms["免费彩金"].severity == "deduct"
    assert terms["违规词甲"].category == "local" and terms["违规词甲"].severity == "deduct"
    assert "老虎机" not in terms
    assert texts(lex, "老虎机") == [] and texts(base, "老虎机") == ["老虎机"]
    assert texts(lex, "某某国际娱乐网址") == ["某某国际娱乐"]
    assert texts(lex, "周末去百家乐园散步") == [] and texts(base, "周末去百家乐园散步") == ["百家乐"]
    only = load_lexicon(["gambling"], extra_dirs=[tmp_path])
    assert only.categories == {"gambling"}


def test_per_site_allow_list_shares_the_engine() -> None:
    base = default_lexicon()
    text = "本周末皇冠体育馆将举办篮球赛"
    assert texts(base, text) == ["皇冠体育"]
    site = load_lexicon(site_allow=["皇冠体育馆"])
    assert texts(site, text) == []
    assert texts(site, "皇冠体育在线投注") == ["皇冠体育", "在线投注"]
    quick = base.with_allow(["皇冠体育馆"])
    assert texts(quick, text) == [] and quick._engine is base._engine


def test_malformed_files_raise_config_errors(tmp_path: Path) -> None:
    (tmp_path / "porn.tsv").write_text("word\tcategory\tseverity\n某词\tporn\t严重\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="第2行"):
        load_lexicon(extra_dirs=[tmp_path])
    with pytest.raises(ConfigError, match="词库目录不存在"):
        load_lexicon(extra_dirs=[tmp_path / "missing"])
    with pytest.raises(ConfigError, match="找不到词库"):
        load_lexicon(["no_such_lexicon"])
    (tmp_path / "porn.tsv").write_bytes("word\n某词\n".encode("gbk"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_lexicon(extra_dirs=[tmp_path])


# --------------------------------------------------------------------------- engines
def test_engines_agree_on_random_text() -> None:
    rng = random.Random(5)
    alphabet = "赌博彩金百家乐大麻烦路口交通ab"
    words = sorted({"".join(rng.choice(alphabet) for _ in range(rng.randint(2, 4))) for _ in range(60)})
    terms = [Term(w, "t") for w in words]
    allow = sorted({"".join(rng.choice(alphabet) for _ in range(rng.randint(3, 5))) for _ in range(15)})
    lexicons = [Lexicon(terms, allow, cues=["交通"], engine=e) for e in ENGINES]
    for _ in range(300):
        text = "".join(rng.choice(alphabet + "AB。") for _ in range(rng.randint(0, 40)))
        results = [[(m.start, m.end, m.term.word) for m in lex.find(text)] for lex in lexicons]
        assert all(r == results[0] for r in results), text


def test_hyperscan_is_the_default_engine_when_installed() -> None:
    assert ENGINES[-1] == "re"
    assert default_lexicon().engine == ENGINES[0]


def test_find_many_equals_find_per_text() -> None:
    lex = default_lexicon()
    segs = ["标题：通知", "", "澳门新葡京官网", "严厉打击百家乐", "大麻烦", "注册送彩金和Bet365"]
    assert lex.find_many(segs) == [lex.find(s) for s in segs]
    assert lex.find_many([]) == [] and lex.find_many(["百家乐"]) == [lex.find("百家乐")]


def test_concurrent_threads_get_their_own_scratch() -> None:
    lex = default_lexicon()
    text = "正常政务信息。" * 2000 + "澳门新葡京官网"
    errors: list[object] = []

    def work() -> None:
        try:
            for _ in range(20):
                assert [m.text for m in lex.find(text)] == ["澳门新葡京"]
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_fingerprint_changes_with_content_not_with_order() -> None:
    a = Lexicon([Term("甲乙", "t", "veto"), Term("丙丁", "t")], ["甲乙丙"])
    b = Lexicon([Term("丙丁", "t"), Term("甲乙", "t", "veto")], ["甲乙丙"])
    assert a.fingerprint == b.fingerprint and len(a.fingerprint) == 12
    assert Lexicon([Term("甲乙", "t", "deduct"), Term("丙丁", "t")], ["甲乙丙"]).fingerprint != a.fingerprint
    assert a.with_allow(["丙丁戊"]).fingerprint != a.fingerprint


def test_bad_engine_and_special_names() -> None:
    with pytest.raises(ValueError, match="unknown lexicon engine"):
        Lexicon([Term("甲乙", "t")], engine="nope")
    with pytest.raises(ConfigError, match="不是词库名"):
        load_lexicon(["allow"])


@pytest.mark.parametrize("engine", ENGINES)
def test_lone_surrogates_do_not_break_matching(engine: str) -> None:
    lex = Lexicon([Term("新葡京", "gambling", "veto")], engine=engine)
    text = "坏\ud800字符后的澳门新葡京"
    [m] = lex.find(text)
    assert text[m.start:m.end] == "新葡京"


@pytest.mark.parametrize("engine", ENGINES)
def test_find_many_equals_find_on_random_pages(engine: str) -> None:
    rng = random.Random(9)
    lex = Lexicon(default_lexicon().terms, [*default_lexicon().allow, "百家乐园"], cues=default_lexicon().cues,
                  engine=engine)
    pieces = ["澳门新葡京", "百家乐", "百家乐园", "严厉打击", "。", "\n", "Bet365", "大麻烦", "正常文字", "注册送彩金", "😀"]
    for _ in range(200):
        segs = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 5))) for _ in range(rng.randint(2, 6))]
        assert lex.find_many(segs) == [lex.find(s) for s in segs], segs
