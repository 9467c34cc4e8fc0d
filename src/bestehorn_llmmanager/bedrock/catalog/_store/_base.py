"""What every store shares: the store protocol and the process-wide state (and, re-exported,
the cache mode).

No I/O and no policy here. Everything process-wide that the stores keep (the MEMORY catalogs,
the per-path thread locks, the set of problems already warned about) lives in one object,
:data:`process_state`, whose ``reset()`` is what tests call instead of patching module globals.
On the warm path, so it imports only what a bare ``import json`` already has (no typing, no
logging: the logger is fetched on the first message).
"""

from __future__ import annotations

import _thread
import os as _os

from ...._log import Logger
from ._mode import CacheMode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager
    from datetime import datetime, timedelta
    from pathlib import Path
    from typing import TypeAlias

    from .._catalog import Catalog
    from ._info import CacheInfo, ClearReport

    #: The regions a cached catalog was fetched for; None is "the default region set", which is
    #: never resolved here (listing it needs botocore, and the warm path must not import boto3).
    RegionsKey: TypeAlias = "tuple[str, ...] | None"
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


class ProcessState:
    """Everything the stores share within one process, behind one lock.

    - ``memory``: the MEMORY catalogs (also those of FILE stores that fell back to memory), by
      region key;
    - ``memory_locks`` and ``file_locks``: one thread lock per region key and per lock file, so
      threads of this process queue before the OS lock (which only excludes other processes);
    - ``warned``: the problems already warned about, so each is said once per process.
    """

    __slots__ = ("file_locks", "guard", "memory", "memory_locks", "warned")

    def __init__(self) -> None:
        self.guard = _thread.allocate_lock()
        self.memory: dict[RegionsKey, Catalog] = {}
        self.memory_locks: dict[RegionsKey, _thread.LockType] = {}
        self.file_locks: dict[str, _thread.LockType] = {}
        self.warned: set[str] = set()

    def reset(self) -> None:
        """Forget everything (tests; a forked child that must not inherit held thread locks)."""
        with self.guard:
            self.memory = {}
            self.memory_locks = {}
            self.file_locks = {}
            self.warned = set()

    def after_fork(self) -> None:
        """In a forked child: new thread locks (a lock another thread held at fork time would
        stay locked forever there); the MEMORY catalogs and the warnings given are kept."""
        self.guard = _thread.allocate_lock()
        self.memory_locks = {}
        self.file_locks = {}

    def memory_lock(self, regions: RegionsKey) -> _thread.LockType:
        """The thread lock of the MEMORY catalog for ``regions`` (a key from ``_policy.key``)."""
        with self.guard:
            found = self.memory_locks.get(regions)
            if found is None:
                found = self.memory_locks[regions] = _thread.allocate_lock()
            return found

    def file_lock(self, path: str) -> _thread.LockType:
        """The thread lock in front of the OS lock on ``path``."""
        with self.guard:
            found = self.file_locks.get(path)
            if found is None:
                found = self.file_locks[path] = _thread.allocate_lock()
            return found

    def first_time(self, problem: str) -> bool:
        """True the first time ``problem`` is seen in this process (then it is remembered)."""
        with self.guard:
            if problem in self.warned:
                return False
            self.warned.add(problem)
            return True

    def warn_once(self, problem: str, message: str, *args: object) -> None:
        """Log ``message`` as a WARNING the first time ``problem`` is seen, then at DEBUG."""
        if self.first_time(problem):
            log().warning(message, *args)
        else:
            log().debug(message, *args)


#: The one process-wide state of the store package.
process_state = ProcessState()

if hasattr(_os, "register_at_fork"):  # POSIX
    _os.register_at_fork(after_in_child=process_state.after_fork)
