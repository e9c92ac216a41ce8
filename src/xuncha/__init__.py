"""xuncha 巡查 — inspect Chinese government websites and new-media accounts, write up findings.

Public API (what a library user needs)::

    from xuncha import load_registry, inspect, Finding
    outcome = inspect("sites.xlsx", as_of="2025-03-20", out="out/")
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from xuncha.errors import XunchaError
from xuncha.model import Finding, Target
from xuncha.registry import load_registry

if TYPE_CHECKING:
    from xuncha.pipeline import RunOutcome
    from xuncha.settings import Settings

__version__ = "0.1.0"
__all__ = ["Finding", "Target", "XunchaError", "inspect", "load_registry", "__version__"]


def inspect(
    registry: str | Path,
    *,
    as_of: str | None = None,
    out: str | Path = "out",
    settings: Settings | None = None,
) -> RunOutcome:
    """Inspect every website of a registry file; same as ``xuncha inspect``."""
    import asyncio

    from xuncha.cli import parse_as_of
    from xuncha.pipeline import inspect_async
    from xuncha.settings import Settings

    return asyncio.run(
        inspect_async(registry, as_of=parse_as_of(as_of), out=Path(out), settings=settings or Settings())
    )
