"""The cache mode: where the catalog is kept. A leaf of the store package (imports only enum),
so the store protocol and the store's report values both read it without importing each other.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["CacheMode"]


class CacheMode(str, Enum):
    """Where the catalog is kept: a file (default), process memory, or nowhere.

    Parsed once (``CacheMode(value)``, case and surrounding spaces ignored); :func:`open_store`
    turns it into a store, and nothing else branches on it.
    """

    FILE = "file"
    MEMORY = "memory"
    NONE = "none"

    @classmethod
    def _missing_(cls, value: object) -> CacheMode:
        if isinstance(value, str):
            wanted = value.strip().lower()
            for mode in cls:
                if mode.value == wanted:
                    return mode
        valid = ", ".join(repr(m.value) for m in cls)
        raise ValueError(f"cache_mode: {value!r} is not a cache mode; use one of {valid}")

    def __str__(self) -> str:
        return self.value
