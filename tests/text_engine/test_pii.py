"""PII: ID numbers (checksum, birth date, region), legacy IDs, mobiles vs order numbers, bank
cards (Luhn + bank words), masked values, and evidence that never shows a full value."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from xuncha.settings import TZ
from xuncha.text import pii
from xuncha.text.pii import find_pii, find_pii_many, mask, might_contain_pii, redact

from .values import assert_no_full_value, id18, luhn_broken, luhn_complete, wrong_check

CARD = luhn_complete("622202123456789012")  # 19 digits, UnionPay-like


def kinds(text: str) -> list[str]:
    return [h.kind for h in find_pii(text)]


# --------------------------------------------------------------------------- ID numbers
def test_valid_id18_is_found_and_masked() -> None:
    idn = id18("510107", "19900307", "123")
    text = f"申请人：张某，身份证号码：{idn}，住址：示例市。"
    [hit] = find_pii(text)
    assert hit.kind == "id18" and text[hit.start:hit.end] == idn
    assert hit.masked == idn[:4] + "*" * 10 + idn[-4:]
    assert hit.masked in hit.context and "身份证号码" in hit.context
    assert_no_full_value([idn], hit.masked, hit.context)


def test_id18_with_x_check_character() -> None:
    for seq in range(100, 999):
        idn = id18("110101", "19851231", str(seq))
        if idn.endswith("X"):
            break
    assert idn.endswith("X")
    assert kinds(f"证件号：{idn}") == ["id18"]
    assert kinds(f"证件号：{idn[:17]}x") == ["id18"]
    assert kinds(f"证件号：{wrong_check(idn)}") == []


def test_invalid_id18_checksum_date_or_region_is_not_a_hit() -> None:
    good = id18("440305", "20010101", "456")
    assert kinds(good) == ["id18"]
    assert kinds(wrong_check(good)) == []
    assert kinds(id18("440305", "19900230", "456")) == []  # 30 February
    assert kinds(id18("440305", "18991231", "456")) == []  # before 1900
    tomorrow = (date.today() + timedelta(days=2)).strftime("%Y%m%d")
    assert kinds(id18("440305", tomorrow, "456")) == []  # born in the future
    assert kinds(id18("990305", "19900101", "456")) == []  # no province 99
    assert kinds(id18("449905", "19900101", "456")) == []  # prefecture 99 is not a shape in use
    assert kinds(id18("429005", "19900101", "456")) == ["id18"]  # 90: 省直辖县级行政区划
    assert kinds(id18("810000", "19900101", "456")) == ["id18"]  # Hong Kong residence permit


def test_id_inside_a_longer_digit_run_is_not_a_hit() -> None:
    idn = id18()
    assert kinds("1" + idn) == []
    assert kinds(idn + "7") == []
    assert kinds(f"订单{idn}0001") == []


def test_masked_ids_are_not_hits() -> None:
    idn = id18()
    for masked in (idn[:4] + "*" * 10 + idn[-4:], idn[:6] + "********" + idn[-4:], idn[:14] + "****",
                   idn[:6] + "××××××××" + idn[-4:], idn[:3] + "*" * 12 + idn[-3:], idn[:10] + "xxxx" + idn[-4:]):
        assert find_pii(f"身份证号：{masked}") == [], masked
        assert not might_contain_pii(masked) or find_pii(masked) == []


def test_legacy_15_digit_id() -> None:
    legacy = "510107" + "850307" + "123"
    assert kinds(f"身份证：{legacy}") == ["id15"]
    [hit] = find_pii(f"身份证：{legacy}")
    assert hit.masked == legacy[:4] + "*" * 7 + legacy[-4:]
    assert kinds("510107" + "851307" + "123") == []  # month 13
    assert kinds("990107" + "850307" + "123") == []  # no province 99
    assert kinds(f"订单号：{legacy}") == []  # an order number that happens to look valid
    assert kinds(f"9{legacy}") == [] and kinds(f"{legacy}99") == []  # inside longer runs
    assert kinds(f"{legacy}***") == []


# --------------------------------------------------------------------------- mobiles
def test_mobile_with_phone_context_or_in_a_table_of_names() -> None:
    assert kinds("联系人：王某，联系电话：13912345678。") == ["mobile"]
    assert kinds("手机 18612345678") == ["mobile"]
    assert kinds("Tel:13512345678") == ["mobile"]
    assert kinds("1\t李某某\t女\t15912345678\t") == ["mobile"]
    assert kinds("13912345678") == ["mobile"]  # a spreadsheet cell of its own
    [hit] = find_pii("手机：13912345678")
    assert hit.masked == "139****5678"


def test_order_and_document_numbers_are_not_mobiles() -> None:
    for label in ("订单号：", "编号", "文号：", "业务流水号", "快递单号", "批次", "证书编号：", "ICP备", "备案号："):
        assert kinds(f"{label}13912345678") == [], label
    assert kinds("订单号：2024001，联系电话：13912345678") == ["mobile"]  # the nearest label wins
    assert kinds("联系电话：0812-3456789，受理编号：13912345678") == []


def test_mobile_shapes() -> None:
    assert kinds("电话：139-1234-5678") == ["mobile"]
    assert kinds("电话：139 1234 5678") == ["mobile"]
    assert kinds("电话：+86 139 1234 5678") == ["mobile"]
    assert kinds("电话：+8613912345678") == ["mobile"]
    assert kinds("电话：１３９１２３４５６７８") == ["mobile"]  # full-width digits
    assert kinds("电话：12912345678") == []  # no 12x numbers
    assert kinds("电话：14012345678") == []  # 140 is not issued to phones
    assert kinds("电话：14612345678") == [] and kinds("电话：17212345678") == []  # IoT segments
    assert kinds("电话：139123456789") == []  # 12 digits
    assert kinds("电话：139****5678") == []
    assert kinds("见 http://www.example.gov.cn/art/13912345678.html") == []
    assert kinds("?id=13912345678") == []
    assert kinds("代码SLS13912345678") == []


# --------------------------------------------------------------------------- bank cards
def test_bank_card_needs_luhn_and_bank_context() -> None:
    assert kinds(f"开户银行：中国农业银行示例支行，卡号：{CARD}") == ["bank_card"]
    assert kinds(f"社保卡账号 {CARD}") == ["bank_card"]
    assert kinds(f"{CARD}") == []  # no bank word near it
    assert kinds(f"订单 {CARD}") == []
    assert kinds(f"开户银行：中国农业银行，卡号：{luhn_broken(CARD)}") == []
    far = f"开户银行：中国农业银行{'。' * 40}{CARD}"
    assert kinds(far) == []
    [hit] = find_pii(f"收款账号：{CARD}")
    assert hit.masked == CARD[:4] + "*" * (len(CARD) - 8) + CARD[-4:]


def test_bank_card_written_in_groups() -> None:
    card16 = luhn_complete("622848012345678")
    grouped = " ".join(card16[i:i + 4] for i in range(0, 16, 4))
    [hit] = find_pii(f"银行卡号：{grouped}")
    assert hit.kind == "bank_card" and hit.masked == card16[:4] + "********" + card16[-4:]


def test_unit_accounts_are_published_on_purpose() -> None:
    assert kinds(f"户名：示例市财政局，开户行：工商银行示例支行，账号：{CARD}") == []
    assert kinds(f"对公账户：{CARD}（中国银行）") == []
    assert kinds(f"非税收入专户 开户银行：建设银行 账号：{CARD}") == []
    assert kinds(f"户名：张某，开户行：中国工商银行股份有限公司示例支行，账号：{CARD}") == ["bank_card"]


def test_id_number_wins_over_card_reading() -> None:
    idn = id18("510107", "19900307", "123")
    assert kinds(f"银行卡号及身份证号：{idn}") == ["id18"]


# --------------------------------------------------------------------------- evidence
def test_evidence_never_contains_a_full_value() -> None:
    idn, card = id18("320102", "19780615", "231"), CARD
    row = f"3\t赵某\t男\t{idn}\t13812345678\t工商银行卡号{card}\t"
    hits = find_pii(row)
    assert [h.kind for h in hits] == ["id18", "mobile", "bank_card"]
    for h in hits:
        assert_no_full_value([idn, "13812345678", card], h.masked, h.context)
        assert len(h.context) <= 2 * pii.CONTEXT_WIDTH + len(h.masked)
    assert_no_full_value([idn, "13812345678", card], redact(row))
    assert redact(row).count("*") >= 10 + 4 + 11


@pytest.mark.parametrize(("value", "kind", "masked"), [
    ("51010719900307123X", "id18", "5101**********123X"),
    ("510107850307123", "id15", "5101*******7123"),
    ("13812345678", "mobile", "138****5678"),
    ("138-1234-5678", "mobile", "138****5678"),
    ("6222021234567890123", "bank_card", "6222***********0123"),
    ("1234", "bank_card", "****"),
])
def test_mask(value: str, kind: str, masked: str) -> None:
    assert mask(value, kind) == masked


# --------------------------------------------------------------------------- speed paths
def test_precheck_is_a_superset_of_what_the_regex_finds() -> None:
    rng = random.Random(11)
    alphabet = "0123456789０１２３-  电话卡号银行X*身份证"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        if find_pii(text, precheck=False):
            assert might_contain_pii(text) and pii._maybe_bytes(text), text
        assert pii._maybe_bytes(text) == might_contain_pii(text), text


def test_text_without_long_numbers_costs_nothing() -> None:
    text = "2024年3月7日，示例市召开安全生产工作会议，联系电话：028-85123456，邮编610000。" * 20
    assert not might_contain_pii(text) and not pii._maybe_bytes(text)
    assert find_pii(text) == []


def test_find_pii_many_equals_per_text() -> None:
    idn = id18()
    segs = ["姓名", f"身份证号：{idn}", "", "手机：13912345678", "订单号：13912345678", f"卡号{CARD}"]
    assert find_pii_many(segs) == [find_pii(s) for s in segs]
    assert find_pii_many([]) == []


def test_birth_date_limit_uses_shanghai_today() -> None:
    from datetime import datetime

    today = datetime.now(TZ).date()
    assert pii.birth_date_valid(today.strftime("%Y%m%d"))
    assert not pii.birth_date_valid((today + timedelta(days=1)).strftime("%Y%m%d"))


def test_unit_named_as_payee_is_not_a_personal_card() -> None:
    assert kinds(f"收款人：示例市公共资源交易中心 开户银行：农业银行 账号：{CARD}") == []
    assert kinds(f"账户名称：示例县人民医院，开户行：建设银行，账号：{CARD}") == []
    assert kinds(f"收款人：王某 开户银行：农业银行 卡号：{CARD}") == ["bank_card"]


def test_lone_surrogates_do_not_break_detection() -> None:
    idn = id18()
    text = f"坏\udc80字符，身份证号：{idn}"
    [hit] = find_pii(text)
    assert text[hit.start:hit.end] == idn
    assert pii._maybe_bytes(text)


def test_find_pii_many_equals_per_text_on_random_pages() -> None:
    rng = random.Random(3)
    idn = id18()
    pieces = ["电话：13912345678", f"身份证{idn}", f"卡号{CARD}", "１３９１２３４５６７８", "订单号13912345678",
              "2024年3月", "138-1234-5678", "\udc80坏字", "正常文字。", "5101**********1234", " ", "\n"]
    for _ in range(300):
        segs = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 4))) for _ in range(rng.randint(2, 8))]
        assert find_pii_many(segs) == [find_pii(s) for s in segs], segs
