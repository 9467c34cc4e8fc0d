"""Where a catalog is kept between uses: one validated file, process memory, or nowhere.

The door of the store package. :func:`open_store` turns a :class:`CacheMode` into a store once;
nothing else branches on the mode. Inside:

- ``_mode``: CacheMode; ``_base``: the CatalogStore protocol, the process-wide state
  (``process_state``);
- ``_policy``: which cached catalog may serve (regions it serves, freshness, the future);
- ``_backends``: NoStore and MemoryStore; ``_file``: FileStore and the directory choice;
- ``_posix``: file safety (trusted paths, safe reads, atomic writes, lock repair);
- ``_info``: CacheInfo and ClearReport (loaded lazily: not on the warm path).

A store never raises for a bad, foreign or unwritable cache, never touches the network, never
imports boto3, and does no I/O until the first load, save, lock, clear or info.
"""

from __future__ import annotations

import os

from ._backends import MemoryStore, NoStore
from ._base import CacheMode, CatalogStore, ProcessState, process_state
from ._file import LOCK_FILENAME, FileStore, default_cache_dir, fallback_cache_dir
from ._policy import FUTURE_SKEW, serves

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from .._regions import RegionsKey as RegionsKey
    from ._info import CacheInfo, ClearReport

__all__ = [
    "FUTURE_SKEW",
    "LOCK_FILENAME",
    "CacheInfo",
    "CacheMode",
    "CatalogStore",
    "ClearReport",
    "FileStore",
    "MemoryStore",
    "NoStore",
    "ProcessState",
    "check_cache_directory",
    "default_cache_dir",
    "fallback_cache_dir",
    "open_store",
    "process_state",
    "serves",
]


def check_cache_directory(value: object) -> str | None:
    """``cache_directory`` as an absolute path string ("~" expanded), or None for the default.

    Raises ValueError naming the argument for anything that is not a usable path: not a str or
    os.PathLike, empty (which would silently mean the current directory), or holding a NUL byte.
    Checks the value only; whether the directory is safe is checked on first use.
    """
    if value is None:
        return None
    if not isinstance(value, (str, os.PathLike)):
        raise ValueError(
            f"cache_directory: expected a str or os.PathLike path, got {type(value).__name__}"
        )
    try:
        text = os.fspath(value)
    except TypeError as exc:
        raise ValueError(f"cache_directory: {exc}") from None
    if isinstance(text, bytes):
        raise ValueError("cache_directory: expected a text path, got bytes")
    if not text.strip():
        raise ValueError(
            "cache_directory: an empty path would mean the current directory; pass a "
            "directory, or None for the default cache directory"
        )
    if "\x00" in text:
        raise ValueError(f"cache_directory: {text!r} holds a NUL byte, which no path can hold")
    # os.path.expanduser never raises (Path.expanduser does without a home, as in some
    # sandboxes); an unexpanded "~" then fails to be created and falls back.
    return os.path.abspath(os.path.expanduser(text))


def open_store(
    mode: CacheMode | str,
    cache_directory: str | os.PathLike[str] | None = None,
    *,
    clock: Callable[[], datetime] | None = None,
) -> CatalogStore:
    """The store for ``mode``; does no I/O (problems surface on first use, as logged fallbacks).

    Args:
        mode: a CacheMode or its name (any case).
        cache_directory: FILE mode's directory (None: :func:`default_cache_dir`); ignored in
            the other modes. ValueError (naming the argument) when it is not a usable path.
        clock: the catalog's one clock, returning an aware UTC ``datetime``; the facade passes
            its own. None is the system clock in UTC (for scripts that open a store directly).
    """
    mode = CacheMode(mode)
    directory = check_cache_directory(cache_directory)
    if clock is None:
        from .._clock import system_clock

        clock = system_clock  # the one real clock

    if mode is CacheMode.FILE:
        if directory is None:
            directory = os.path.abspath(default_cache_dir())
        return FileStore(directory, clock=clock)
    if cache_directory is not None:
        from ._base import log

        log().debug("cache_directory is ignored in %s mode", mode.value)
    if mode is CacheMode.MEMORY:
        return MemoryStore(clock=clock)
    return NoStore()


def __getattr__(name: str) -> object:
    # CacheInfo and ClearReport are frozen dataclasses: importing dataclasses (and inspect) is
    # kept off the warm path, until the first info() or clear() or an explicit import.
    if name in ("CacheInfo", "ClearReport"):
        from . import _info

        value = getattr(_info, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
