"""Comparing an inspection's results with the manifest (what ``xuncha demo`` reports)."""

from __future__ import annotations

from datetime import datetime

from xuncha.demo import MANIFEST, SITES
from xuncha.demo.run import compare_with_manifest
from xuncha.model import Finding, Target, TargetResult
from xuncha.settings import TZ

T = datetime(2025, 3, 15, 12, tzinfo=TZ)


def _result(sid: str, *codes: tuple[str, str], inspected: bool = True) -> TargetResult:
    site = next(s for s in SITES if s.id == sid)
    target = Target(id=sid, kind=site.kind, name=site.reg_name, url=site.canonical_url)
    findings = [Finding(sid, code, sev, target.url, "证据", T) for code, sev in codes]
    return TargetResult(target=target, inspected=inspected, findings=findings)


def test_all_expected_found_and_clean_sites_clean() -> None:
    results = [
        _result(sid, *((c, "deduct") for c in entry["expect"]),
                *((("M.VETO.STALE", "inconclusive"),) if entry["inconclusive"] else ()), inspected=entry["inspected"])
        for sid, entry in MANIFEST.items()
    ]
    results.append(_result("9901000001", ("W.TECH.PERF", "advisory"), ("W.SEARCH", "inconclusive")))
    check = compare_with_manifest(MANIFEST, results)
    assert check.ok, check.to_text()
    assert "预置问题" in check.to_text()


def test_missing_codes_dirty_clean_site_and_wrong_inspection_are_reported() -> None:
    dl = MANIFEST["9901210001"]
    results = [
        _result("9901210001", *((c, "veto") for c in dl["expect"] if c != "W.VETO.INTERACTION")),
        _result("9901000001", ("W.LINK.BROKEN_OTHER", "deduct")),
        _result("9901000008", inspected=True),
    ]
    check = compare_with_manifest(MANIFEST, results)
    assert not check.ok
    assert check.missing == {"9901210001": ["W.VETO.INTERACTION"]}
    assert list(check.unclean) == ["9901000001"]
    assert check.wrongly_inspected == ["9901000008"]
    text = check.to_text()
    assert "W.VETO.INTERACTION" in text and "青山市人民政府" in text


def test_codes_without_a_registered_check_are_pending_not_missing() -> None:
    edu = MANIFEST["9901000004"]
    new = {"W.VETO.SECURITY", "W.VETO.SERIOUS_ERROR", "W.CONTENT.SENSITIVE"}
    assert new <= set(edu["expect"])
    old = [c for c in edu["expect"] if c not in new]
    registered = set(old) | {"W.VETO.SECURITY"}
    results = [_result("9901000004", *((c, "deduct") for c in old), ("W.CONTENT.SENSITIVE", "deduct"))]
    check = compare_with_manifest(MANIFEST, results, registered=registered)
    assert check.missing == {"9901000004": ["W.VETO.SECURITY"]}  # registered, not reported
    assert check.pending == {"9901000004": ["W.VETO.SERIOUS_ERROR"]}  # no check yet
    assert "W.CONTENT.SENSITIVE" in check.found["9901000004"]  # reported: found even if unregistered
    assert "未接入" in check.to_text() and check.to_dict()["pending"] == check.pending
    results = [_result("9901000004", *((c, "deduct") for c in old))]
    check = compare_with_manifest(MANIFEST, results, registered=set(old))
    assert check.ok and set(check.pending["9901000004"]) == new


def test_skipped_accounts_are_pending_and_inconclusive_accounts_never_vetoed() -> None:
    """Before account inspection is wired in, skipped accounts report 未接入; afterwards an
    account whose source fails must be inconclusive, never vetoed."""
    accounts = {sid: e for sid, e in MANIFEST.items() if e["kind"] != "website"}
    assert len(accounts) >= 9 and all(e["inspected"] for e in accounts.values())
    skipped = [_result(sid, inspected=False) for sid in accounts]
    check = compare_with_manifest(MANIFEST, skipped, registered={"M.VETO.STALE", "M.REPOST.MISSING"})
    assert check.ok and set(check.unsupported) == set(accounts)
    assert check.pending["gh_3b7d1e9c2a58"] == ["M.VETO.STALE"]  # pending even though registered
    assert "未接入" in check.to_text() and check.to_dict()["unsupported"] == check.unsupported
    blocked, nosrc = "gh_8e2f4a6c1d90", "gh_1f9e7d5b3c64"
    judged = [_result(blocked, ("M.VETO.STALE", "veto")), _result(nosrc)]
    check = compare_with_manifest(MANIFEST, judged, registered={"M.VETO.STALE"})
    assert not check.ok and list(check.unclean) == [blocked] and set(check.not_inconclusive) == {blocked, nosrc}
    ok = _result(blocked, ("M.VETO.STALE", "inconclusive"))
    nosrc_res = _result(nosrc)
    nosrc_res.health = "no_source"
    check = compare_with_manifest(MANIFEST, [ok, nosrc_res], registered={"M.VETO.STALE"})
    assert check.ok, check.to_text()
    # once inspected, a registered expected code that is not reported is missing
    stale = compare_with_manifest(MANIFEST, [_result("gh_6d4c2b8a0e17", ("M.DORMANT", "advisory"))],
                                  registered={"M.VETO.STALE", "M.DORMANT"})
    assert stale.missing == {"gh_6d4c2b8a0e17": ["M.VETO.STALE"]}
    # a clean account with a veto is reported
    dirty = compare_with_manifest(MANIFEST, [_result("1990000001", ("M.VETO.STALE", "veto"))], registered=set())
    assert list(dirty.unclean) == ["1990000001"]
