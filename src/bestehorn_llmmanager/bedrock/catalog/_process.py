"""The catalog's one process-wide state: what outlives a BedrockModelCatalog within a process.

A leaf: it imports nothing of the catalog at run time, so the stores, the environment reader
and the bundle may all keep their state here without importing up the flow. ``reset()`` clears
all of it; tests call that instead of patching module globals. On the warm path, so it imports
only what a bare ``import json`` already has (no typing, no logging).

Not here, on purpose: bounded memos of pure functions (the valid region names in
``_regions._KNOWN``, the shared "ok" outcomes in ``_fileformat._OK_OUTCOMES``), which give the
same answers whether kept or not; the fetch's memory of dead endpoints
(``_fetch.UNREACHABLE_ENDPOINTS``), which expires by itself and is injectable per fetch; and the
facade's bounded once-per-name warning memo (``_facade._UNKNOWN_NAMES``, with its own reset).
"""

from __future__ import annotations

import _thread
import os as _os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..._log import Logger
    from ._catalog import Catalog
    from ._regions import RegionsKey

__all__ = ["ProcessState", "process_state"]


class ProcessState:
    """Everything the catalog keeps within one process, behind one lock.

    - ``memory``: the MEMORY catalogs (also those of FILE stores that fell back to memory), by
      region key;
    - ``memory_locks`` and ``file_locks``: one thread lock per region key and per lock file, so
      threads of this process queue before the OS lock (which only excludes other processes);
    - ``warned``: the problems already warned about (the stores' and the environment's), so each
      is said once per process;
    - ``bundled_version``: the bundle's version once read (``bundled_version_read``): the
      installed package does not change under a running process.
    """

    __slots__ = (
        "bundled_version",
        "bundled_version_read",
        "file_locks",
        "guard",
        "memory",
        "memory_locks",
        "warned",
    )

    def __init__(self) -> None:
        self.guard = _thread.allocate_lock()
        self.memory: dict[RegionsKey, Catalog] = {}
        self.memory_locks: dict[RegionsKey, _thread.LockType] = {}
        self.file_locks: dict[str, _thread.LockType] = {}
        self.warned: set[str] = set()
        self.bundled_version: str | None = None
        self.bundled_version_read = False

    def reset(self) -> None:
        """Forget everything (tests; a forked child that must not inherit held thread locks)."""
        with self.guard:
            self.memory = {}
            self.memory_locks = {}
            self.file_locks = {}
            self.warned = set()
            self.bundled_version = None
            self.bundled_version_read = False

    def after_fork(self) -> None:
        """In a forked child: new thread locks (a lock another thread held at fork time would
        stay locked forever there); the MEMORY catalogs, the warnings given and the bundle's
        version are kept."""
        self.guard = _thread.allocate_lock()
        self.memory_locks = {}
        self.file_locks = {}

    def memory_lock(self, regions: RegionsKey) -> _thread.LockType:
        """The thread lock of the MEMORY catalog for ``regions`` (a ``region_set_key``)."""
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

    def warn_once(self, problem: str, message: str, *args: object, logger: Logger) -> None:
        """Log ``message`` to ``logger`` as a WARNING the first time ``problem`` is seen, then
        at DEBUG."""
        if self.first_time(problem):
            logger.warning(message, *args)
        else:
            logger.debug(message, *args)


#: The one process-wide state of the catalog.
process_state = ProcessState()

if hasattr(_os, "register_at_fork"):  # POSIX
    _os.register_at_fork(after_in_child=process_state.after_fork)
