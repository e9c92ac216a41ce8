"""Valid ID numbers and bank cards computed here, not copied from anywhere (no real person's data)."""

from __future__ import annotations

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id18(region: str = "510107", birth: str = "19900307", seq: str = "123") -> str:
    """An 18-digit ID with its ISO 7064 MOD 11-2 check character computed here."""
    body = region + birth + seq
    assert len(body) == 17
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def wrong_check(idn: str) -> str:
    """The same ID with a different (wrong) check character."""
    return idn[:17] + ("0" if idn[17] != "0" else "1")


def luhn_complete(body: str) -> str:
    """``body`` + the Luhn check digit."""
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def luhn_broken(card: str) -> str:
    return card[:-1] + str((int(card[-1]) + 1) % 10)


def assert_no_full_value(values: list[str], *texts: str) -> None:
    """None of the full ``values`` appears in any of ``texts`` (evidence strings)."""
    for v in values:
        for t in texts:
            assert v not in t, f"full value {v} leaked into {t!r}"
