"""Passwords (argon2id), who may see which target, and the login/CSRF tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from xuncha.model import Target
from xuncha.scoring.aggregate import REGION_SEP, region_path
from xuncha.store.web_api import WebUser

_hasher = PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) defaults
# Verified against unknown usernames so that a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> tuple[bool, str | None]:
    """(matches, new hash when the stored one should be upgraded)."""
    try:
        _hasher.verify(password_hash or _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False, None
    if password_hash is None:
        return False, None
    return True, _hasher.hash(password) if _hasher.check_needs_rehash(password_hash) else None


def region_parts(region: str) -> tuple[str, ...]:
    return tuple(p for p in REGION_SEP.split(region.strip()) if p)


@dataclass(frozen=True)
class Scope:
    """Which targets a user may see: supervisors by region prefix (whole path components),
    unit users by owner (主管单位), auditors everything."""

    region: tuple[str, ...] = ()
    owner: str | None = None

    @classmethod
    def of(cls, user: WebUser) -> Scope:
        if user.role == "unit":
            return cls(owner=user.owner)
        if user.role == "supervisor":
            return cls(region=region_parts(user.region))
        return cls()

    def allows(self, target: Target) -> bool:
        if self.owner is not None and target.owner != self.owner:
            return False
        if self.region:
            return region_path(target)[: len(self.region)] == self.region
        return True


def new_token() -> str:
    return secrets.token_urlsafe(32)


def sign(secret: bytes, value: str) -> str:
    return f"{value}.{hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:32]}"


def check_signed(secret: bytes, signed: str) -> bool:
    value, _, _mac = signed.rpartition(".")
    return bool(value) and hmac.compare_digest(sign(secret, value), signed)


def same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))
