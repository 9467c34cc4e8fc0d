"""The two stores without files: :class:`NoStore` (keeps nothing) and :class:`MemoryStore`.

MemoryStore keeps catalogs for the life of the process in :data:`process_state`, shared by every
instance (and by FILE stores that found no usable directory). Neither touches the disk.
"""

from __future__ import annotations

from .._clock import timezone
from .._metadata import CatalogSource
from . import _policy
from ._base import CacheMode, CatalogStore, log, process_state

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping
    from contextlib import AbstractContextManager
    from datetime import datetime, timedelta
    from pathlib import Path

    from .._catalog import Catalog
    from .._regions import RegionsKey
    from ._info import CacheInfo, ClearReport

__all__ = ["MemoryStore", "NoStore", "aware", "info_of"]


def aware(moment: datetime) -> datetime:
    """``moment`` with a timezone: a naive clock is read as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def info_of(
    mode: CacheMode,
    path: Path | None,
    catalog: Catalog | None,
    *,
    size: int | None,
    max_age: timedelta | None,
    now: datetime,
    reason: str,
    problems: tuple[str, ...] = (),
) -> CacheInfo:
    """The CacheInfo of ``catalog`` (or of its absence, with ``reason``)."""
    from ._info import CacheInfo

    if catalog is None:
        exists = size is not None or reason != ""
        return CacheInfo(mode, path, exists, size_bytes=size, reason=reason, problems=problems)
    meta = catalog.metadata
    if max_age is not None:
        why = _policy.freshness(catalog, max_age, now)
    else:
        why = _policy.invalidity(catalog, now)
    return CacheInfo(
        mode,
        path,
        exists=True,
        size_bytes=size,
        retrieved_at=meta.retrieved_at,
        # A catalog dated in the future has no age (it is not "0 min old").
        age=None if _policy.invalidity(catalog, now) else now - meta.retrieved_at,
        regions=tuple(sorted(meta.region_outcomes)),
        regions_by_status=_by_status(catalog),
        requested_regions=meta.requested_regions,
        model_count=len(catalog),
        partial=_policy.is_partial(catalog),
        valid=not why,
        reason=why,
        problems=problems,
    )


def _by_status(catalog: Catalog) -> Mapping[str, tuple[str, ...]]:
    from types import MappingProxyType

    found: dict[str, list[str]] = {}
    for region, outcome in sorted(catalog.metadata.region_outcomes.items()):
        found.setdefault(outcome.status.value, []).append(region)
    return MappingProxyType({status: tuple(regions) for status, regions in found.items()})


class NoStore(CatalogStore):
    """Keeps nothing: never touches the disk (not even to create a directory)."""

    mode = CacheMode.NONE

    @property
    def path(self) -> Path | None:
        return None

    def load(
        self,
        regions: RegionsKey,
        *,
        max_age: timedelta,
        now: datetime | None = None,
        allow_expired: bool = False,
    ) -> Catalog | None:
        log().debug("cache mode none: no cached catalog")
        return None

    def save(self, catalog: Catalog) -> bool:
        return False

    def lock(self, timeout: float, *, regions: RegionsKey = None) -> AbstractContextManager[bool]:
        import contextlib

        return contextlib.nullcontext(True)

    def clear(self, *, dry_run: bool = False) -> ClearReport:
        from ._info import ClearReport

        return ClearReport(dry_run=dry_run)

    def info(self, *, max_age: timedelta | None = None, now: datetime | None = None) -> CacheInfo:
        from ._info import CacheInfo

        return CacheInfo(self.mode, None, exists=False, reason="cache mode none keeps nothing")


class MemoryStore(CatalogStore):
    """Keeps catalogs for the life of the process, shared by every instance, keyed by regions.

    Args:
        clock: the catalog's one clock (UTC ``datetime``), for freshness.
    """

    mode = CacheMode.MEMORY

    def __init__(self, *, clock: Callable[[], datetime]) -> None:
        self._clock = clock

    @property
    def path(self) -> Path | None:
        return None

    def load(
        self,
        regions: RegionsKey,
        *,
        max_age: timedelta,
        now: datetime | None = None,
        allow_expired: bool = False,
    ) -> Catalog | None:
        wanted = _policy.key(regions)
        state = process_state
        with state.guard:
            exact = state.memory.get(wanted)
            others = [c for k, c in state.memory.items() if k != wanted]
        candidates = ([exact] if exact is not None else []) + others
        if not candidates:
            log().debug("no catalog in memory yet")
            return None
        found = ((catalog, "in memory") for catalog in candidates)
        return _policy.pick(found, wanted, max_age, aware(now or self._clock()), allow_expired)

    def save(self, catalog: Catalog) -> bool:
        stored = catalog.with_metadata(source=CatalogSource.CACHE, cache_path=None)
        state = process_state
        with state.guard:
            state.memory[_policy.key(catalog.metadata.requested_regions)] = stored
        return True

    def lock(self, timeout: float, *, regions: RegionsKey = None) -> AbstractContextManager[bool]:
        import contextlib  # here, not at the top: not on the warm path

        return contextlib.contextmanager(self._locked)(timeout, regions)

    def _locked(self, timeout: float, regions: RegionsKey) -> Iterator[bool]:
        guard = process_state.memory_lock(_policy.key(regions))
        acquired = guard.acquire(True, max(0.0, timeout))
        if not acquired:
            log().info("waited %.1f s for the in-memory refresh lock; going on without it", timeout)
        try:
            yield acquired
        finally:
            if acquired:
                guard.release()

    def clear(self, *, dry_run: bool = False) -> ClearReport:
        from ._info import ClearReport

        if not dry_run:
            with process_state.guard:
                process_state.memory.clear()
        return ClearReport(dry_run=dry_run)

    def info(self, *, max_age: timedelta | None = None, now: datetime | None = None) -> CacheInfo:
        with process_state.guard:
            held = list(process_state.memory.values())
        newest = max(held, key=lambda c: c.metadata.retrieved_at, default=None)
        moment = aware(now or self._clock())
        reason = "" if newest is not None else "no catalog in memory yet"
        return info_of(
            self.mode, None, newest, size=None, max_age=max_age, now=moment, reason=reason
        )
