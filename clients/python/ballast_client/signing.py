"""Message signatures: lowercase hex HMAC-SHA256 of the exact payload bytes (protocol section 2)."""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["sign", "verify"]


def _key_bytes(key: str | bytes) -> bytes:
    return key.encode("utf-8") if isinstance(key, str) else bytes(key)


def sign(key: str | bytes, payload: bytes) -> bytes:
    """Return the signature frame for ``payload``: lowercase hex HMAC-SHA256, as ASCII bytes.

    ``key`` is the connection file's ``key`` string, used as its UTF-8 bytes (Jupyter's convention).
    """
    return hmac.new(_key_bytes(key), payload, hashlib.sha256).hexdigest().encode("ascii")


def verify(key: str | bytes, signature: bytes | str, payload: bytes) -> bool:
    """True when ``signature`` is the signature of ``payload``; compared in constant time."""
    if isinstance(signature, str):
        try:
            signature = signature.encode("ascii")
        except UnicodeEncodeError:
            return False
    return hmac.compare_digest(sign(key, payload), bytes(signature))
