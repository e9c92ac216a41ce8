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
        _result(sid, *((c, "deduct") for c in entry["expect"]), inspected=entry["inspected"])
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
