"""xuncha.checks — one pure function per finding code, registered in :data:`REGISTRY`.

Importing this package imports every family module (in :data:`FAMILY_MODULES` order, which is
also the order :func:`run_checks` runs and reports them), so all checks are registered:

    from xuncha.checks import REGISTRY, CheckContext, run_checks
    findings = run_checks(CheckContext(target, snapshot, site, as_of))
"""

from __future__ import annotations

from importlib import import_module

from xuncha.checks.base import (
    REGISTRY,
    CheckContext,
    CheckFunc,
    CheckSpec,
    check,
    early_warnings,
    family_of,
    run_checks,
    title_of,
)

# One module per check family; a new family is registered by adding its module name here.
FAMILY_MODULES: tuple[str, ...] = (
    "availability",
    "updates",
    "links",
    "identity",
    "tech",
    "interaction",
    "service",
    "registry",
    "content",
    "security",
    "privacy",
    "media",
)

for _module in FAMILY_MODULES:
    import_module(f"{__name__}.{_module}")

__all__ = [
    "FAMILY_MODULES",
    "REGISTRY",
    "CheckContext",
    "CheckFunc",
    "CheckSpec",
    "check",
    "early_warnings",
    "family_of",
    "run_checks",
    "title_of",
]
