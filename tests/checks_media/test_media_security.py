"""M.VETO.SECURITY for accounts: 密级 marks and hijack bursts are candidates; normal posts are not."""

from __future__ import annotations

from .conftest import make_account, post, run

CODE = "M.VETO.SECURITY"


def test_secret_mark_is_a_candidate() -> None:
    found = run(CODE, make_account([post(1, "关于某项工作的通知", "秘密★1年 各单位……")]))
    assert [f.severity for f in found] == ["veto"] and found[0].needs_confirmation
    assert "秘密★" in found[0].evidence


def test_burst_of_gambling_posts_is_hijack_evidence() -> None:
    spam = [post(d, "福利来了", "澳门新葡京 百家乐 注册送彩金") for d in (3, 2.5, 2)]
    found = run(CODE, make_account([post(1), *spam, post(10)]))
    assert len(found) == 1 and found[0].detail["kind"] == "hijack_burst"
    assert "疑似账号被盗用" in found[0].evidence and found[0].needs_confirmation


def test_spread_out_or_normal_posts_are_clean() -> None:
    spread = [post(d, "福利", "代开发票 联系QQ") for d in (2, 9, 20)]  # never 3 within 3 days
    assert run(CODE, make_account([post(1), *spread])) == []
    warn = [post(d, "警方提示", "警惕网络赌博陷阱，严厉打击澳门新葡京等境外赌博网站") for d in (1, 1.5, 2)]
    assert run(CODE, make_account(warn)) == []
    assert run(CODE, make_account([post(1, "全市召开安全生产会议", "会议要求保守秘密，严守纪律。")])) == []


def test_untrusted_source_is_inconclusive() -> None:
    found = run(CODE, make_account([], health="blocked", health_detail="返回登录页"))
    assert [f.severity for f in found] == ["inconclusive"]
