"""Fixtures of the collection tests (loopback servers only)."""

from ._servers import serve  # noqa: F401  (fixture)
