"""Errors a user can meet. Messages are Chinese and name the file, row, column or URL."""

from __future__ import annotations


class XunchaError(Exception):
    """Base of every error xuncha reports to a user (CLI prints the message, exits 2)."""


class RegistryError(XunchaError):
    """The registry file cannot be used as it is."""

    def __init__(self, message: str, issues: list[RegistryIssue] | None = None) -> None:
        super().__init__(message)
        self.issues = issues or []


class RegistryIssue:
    """One problem in one row (or the header) of a registry file."""

    def __init__(self, path: str, row: int | None, column: str | None, message: str) -> None:
        self.path = path
        self.row = row
        self.column = column
        self.message = message

    def __str__(self) -> str:
        where = self.path
        if self.row is not None:
            where += f" 第{self.row}行"
        if self.column:
            where += f"「{self.column}」列"
        return f"{where}：{self.message}"

    __repr__ = __str__


class ConfigError(XunchaError):
    """A settings/override file is malformed."""
