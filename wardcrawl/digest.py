"""Compact keys for what a run remembers about every page or article it saw."""

from __future__ import annotations

import hashlib


def digest(*parts: str) -> bytes:
    """16 bytes standing for ``parts`` (in order): a set or dict key for run-long memory that
    costs ~50 bytes instead of the strings themselves (a title key, a listing's item URLs), with
    a chance of two different inputs colliding below 1e-20 for a run of a million keys."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.digest()
