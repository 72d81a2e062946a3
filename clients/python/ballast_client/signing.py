"""Message signatures (protocol section 2): lowercase hex HMAC-SHA256 over the exact payload bytes,
then, for each binary buffer after the payload (protocol 1.6), its byte length as an 8-byte
little-endian unsigned integer followed by its bytes. With no buffers this is the payload's HMAC."""

from __future__ import annotations

import hashlib
import hmac
from typing import Iterable, Union

__all__ = ["sign", "verify", "Buffer"]

Buffer = Union[bytes, bytearray, memoryview]  # anything with the buffer protocol, numpy arrays too


def _key_bytes(key: str | bytes) -> bytes:
    return key.encode("utf-8") if isinstance(key, str) else bytes(key)


def sign(key: str | bytes, payload: Buffer, buffers: Iterable[Buffer] = ()) -> bytes:
    """Return the signature frame for ``payload`` and its ``buffers``: lowercase hex HMAC-SHA256,
    as ASCII bytes.

    ``key`` is the connection file's ``key`` string, used as its UTF-8 bytes (Jupyter's convention).
    Buffers are read in place (memoryviews, numpy arrays): nothing is copied.
    """
    mac = hmac.new(_key_bytes(key), payload, hashlib.sha256)
    for buffer in buffers:
        view = memoryview(buffer)
        if not view.c_contiguous:
            raise ValueError("A buffer must be C-contiguous to be signed and sent (numpy: np.ascontiguousarray).")
        mac.update(view.nbytes.to_bytes(8, "little"))
        mac.update(view.cast("B") if view.ndim != 1 or view.format != "B" else view)
    return mac.hexdigest().encode("ascii")


def verify(key: str | bytes, signature: bytes | str, payload: Buffer, buffers: Iterable[Buffer] = ()) -> bool:
    """True when ``signature`` is the signature of ``payload`` and ``buffers``; compared in constant time."""
    if isinstance(signature, str):
        try:
            signature = signature.encode("ascii")
        except UnicodeEncodeError:
            return False
    return hmac.compare_digest(sign(key, payload, buffers), bytes(signature))
