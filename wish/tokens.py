"""Private edit links: random tokens of which only a hash is stored. No Flask."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """(token for the link, hash to store): 256 random bits, so links cannot be guessed or enumerated."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
