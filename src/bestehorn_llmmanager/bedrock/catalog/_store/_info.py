"""What a store reports about itself: :class:`CacheInfo` (``cache info``) and :class:`ClearReport`.

Values only, built by the stores' ``info()`` and ``clear()``. Kept out of the warm path (frozen
dataclasses import ``dataclasses`` and ``inspect``): loaded on the first ``info`` or ``clear``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ._mode import CacheMode

__all__ = ["CacheInfo", "ClearReport"]


@dataclass(frozen=True, slots=True)
class CacheInfo:
    """What a store holds, for ``bedrock-catalog cache info`` and for debugging.

    Args:
        mode: the store's cache mode.
        path: the file read (after any fallback); None when nothing is on disk.
        exists: something is at ``path`` (a valid catalog or not).
        size_bytes: its size, when known.
        retrieved_at, age: when its data was fetched, and how long ago by the store's clock.
        regions: the regions it holds an outcome for; ``requested_regions``: what it was fetched
            for (None: the default set); ``regions_by_status``: status value ("ok",
            "unavailable", "failed") -> its regions, so a count reads like ``status``'s.
        model_count: how many models it holds.
        partial: some regions failed or are stale (kept at most an hour).
        valid: intact, not dated in the future, and fresh when ``info`` was given a max age;
            otherwise ``reason`` says why not.
        problems: other things worth fixing that do not make the file invalid (e.g. a lock file
            this user cannot use), each a sentence with the fix.
    """

    mode: CacheMode
    path: Path | None
    exists: bool
    size_bytes: int | None = None
    retrieved_at: datetime | None = None
    age: timedelta | None = None
    regions: tuple[str, ...] = ()
    requested_regions: tuple[str, ...] | None = None
    model_count: int | None = None
    partial: bool = False
    valid: bool = False
    reason: str = ""
    problems: tuple[str, ...] = ()
    regions_by_status: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def as_dict(self) -> dict[str, Any]:
        """The fields as JSON-ready values (``--json``): paths and times as strings, the age
        in whole seconds."""
        from .._fileformat import format_time

        return {
            "cache_mode": self.mode.value,
            "path": None if self.path is None else str(self.path),
            "exists": self.exists,
            "size_bytes": self.size_bytes,
            "retrieved_at": None if self.retrieved_at is None else format_time(self.retrieved_at),
            "age_seconds": None if self.age is None else int(self.age.total_seconds()),
            "models": self.model_count,
            "regions": list(self.regions),
            "requested_regions": (
                None if self.requested_regions is None else list(self.requested_regions)
            ),
            "regions_by_status": {k: list(v) for k, v in self.regions_by_status.items()},
            "partial": self.partial,
            "valid": self.valid,
            "reason": self.reason or None,
            "problems": list(self.problems),
        }


@dataclass(frozen=True, slots=True)
class ClearReport:
    """What ``clear()`` removed (or, dry, would remove) and what it left, with why.

    Iterating yields the removed paths, and ``len()`` counts them, so ``for p in store.clear()``
    reads as before; ``kept`` lists ``(path, reason)`` for every file it could not remove.
    """

    removed: tuple[Path, ...] = ()
    kept: tuple[tuple[Path, str], ...] = ()
    dry_run: bool = False

    def __iter__(self) -> Iterator[Path]:
        return iter(self.removed)

    def __len__(self) -> int:
        return len(self.removed)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: ``removed`` paths, ``kept`` as ``{"path", "reason"}`` objects."""
        return {
            "dry_run": self.dry_run,
            "removed": [str(p) for p in self.removed],
            "kept": [{"path": str(p), "reason": why} for p, why in self.kept],
        }
