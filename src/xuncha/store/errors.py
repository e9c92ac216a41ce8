"""The one error type users of the store can meet, and the URL masking it relies on.

Messages are Simplified Chinese and name the database URL (password masked) or the run id, so
the CLI and the web app can show them as they are.
"""

from __future__ import annotations

import re

from xuncha.errors import XunchaError

_PASSWORD_IN_URL = re.compile(r"(://[^:/@\s]*:)[^\s?#]*(@)")  # greedy: passwords may hold "@"


class StoreError(XunchaError):
    """A problem a user can meet with the store: bad URL, unreachable database, unknown run.

    A XunchaError, so the CLI prints its message and exits 2.
    """


def mask_url(url: str) -> str:
    """Return ``url`` with any password replaced by ``***`` (works on unparseable URLs too)."""
    return _PASSWORD_IN_URL.sub(r"\1***\2", url)
