"""Shared builders for the scoring tests: targets, findings, results."""

from __future__ import annotations

from datetime import datetime

import pytest

from xuncha.model import Finding, Target, TargetResult
from xuncha.settings import TZ

T = datetime(2025, 3, 20, 23, 59, 59, tzinfo=TZ)


def target(tid: str = "s1", *, kind: str = "website", category: str = "部门网站", region: str = "示例省/青山市",
           flags: frozenset[str] = frozenset(), owner: str = "") -> Target:
    return Target(id=tid, kind=kind, name=f"{tid}名称", url=f"https://{tid}.gov.cn/", owner=owner or f"{tid}单位",
                  region=region, category=category, flags=flags)


def finding(code: str, severity: str = "deduct", *, tid: str = "s1", url: str = "", evidence: str = "",
            confirm: bool = False, **detail: object) -> Finding:
    return Finding(tid, code, severity, url or f"https://{tid}.gov.cn/p{abs(hash(evidence)) % 997}",
                   evidence or f"{code} 证据", T, dict(detail), confirm)


def result(t: Target, *findings: Finding, inspected: bool = True) -> TargetResult:
    return TargetResult(target=t, inspected=inspected, findings=list(findings))


class Builders:
    target = staticmethod(target)
    finding = staticmethod(finding)
    result = staticmethod(result)
    T = T


@pytest.fixture
def b() -> type[Builders]:
    return Builders
