"""What every store shares: the store protocol and the process-wide state (and, re-exported,
the cache mode).

No I/O and no policy here. Everything process-wide that the stores keep (the MEMORY catalogs,
the per-path thread locks, the set of problems already warned about) lives in the catalog's one
:data:`process_state` (``.._process``, re-exported here), whose ``reset()`` is what tests call
instead of patching module globals.
On the warm path, so it imports only what a bare ``import json`` already has (no typing, no
logging: the logger is fetched on the first message).
"""

from __future__ import annotations

from ...._log import Logger
from .._process import ProcessState, process_state
from ._mode import CacheMode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager
    from datetime import datetime, timedelta
    from pathlib import Path
    from typing import TypeAlias

    from .._catalog import Catalog

    # The regions a cached catalog was fetched for (``_regions.region_set_key``); None is "the
    # default region set", never resolved here (that needs botocore, which the warm path must
    # not import).
    from .._regions import RegionsKey
    from ._info import CacheInfo, ClearReport

    Clock: TypeAlias = "Callable[[], datetime]"

__all__ = ["CacheMode", "CatalogStore", "ProcessState", "log", "process_state"]

#: One logger for the whole store package, so one name filters all of it.
LOGGER_NAME = "bestehorn_llmmanager.bedrock.catalog._store"
_LOGGER = Logger(LOGGER_NAME)


def log() -> Logger:
    """The store's logger (``_log``'s lazy one): logging is imported only for a record that
    someone can see, never on a silent warm load."""
    return _LOGGER


class CatalogStore:
    """Where catalogs are kept: :class:`FileStore`, :class:`MemoryStore` or :class:`NoStore`.

    A store never raises for a bad, foreign or unwritable cache (each problem is a logged miss or
    a ``False``), never touches the network, and does no I/O until the first call.

    The abstract base of the three stores. A plain class, not an ``abc.ABC``: ABCMeta would cost
    every warm start about 0.15 ms for the four classes, and the three subclasses are all there
    is (each overrides every method; mypy checks their signatures against these).
    """

    mode: CacheMode

    @property
    def path(self) -> Path | None:
        """The cache file actually used (after any fallback); None when nothing is on disk."""
        raise NotImplementedError

    def load(
        self,
        regions: RegionsKey,
        *,
        max_age: timedelta,
        now: datetime | None = None,
        allow_expired: bool = False,
    ) -> Catalog | None:
        """A validated catalog that serves ``regions``, or None with the reason logged.

        ``now`` overrides the store's clock for this call. ``allow_expired`` also returns an
        intact expired catalog (marked ``STALE_CACHE``); never one dated in the future.
        """
        raise NotImplementedError

    def save(self, catalog: Catalog) -> bool:
        """Keep ``catalog``; False (logged) when it could not be kept. Never raises."""
        raise NotImplementedError

    def lock(self, timeout: float, *, regions: RegionsKey = None) -> AbstractContextManager[bool]:
        """Hold the refresh lock; yields False when ``timeout`` seconds pass without it."""
        raise NotImplementedError

    def clear(self, *, dry_run: bool = False) -> ClearReport:
        """Remove what the store created; the report lists what went (or would go) and what not."""
        raise NotImplementedError

    def info(self, *, max_age: timedelta | None = None, now: datetime | None = None) -> CacheInfo:
        """Path, existence, size, age and regions of what the store holds."""
        raise NotImplementedError
