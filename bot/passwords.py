"""Staff passwords: argon2 hashes, and the temporary passwords an admin hands to a new or reset
account."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
MIN_PASSWORD = 12


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def temporary_password() -> str:
    """A password to hand over once (the person changes it after signing in)."""
    return secrets.token_urlsafe(12)
