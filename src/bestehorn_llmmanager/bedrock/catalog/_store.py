"""Where a catalog is kept between uses: one validated file, process memory, or nowhere.

One small protocol (:class:`CatalogStore`: load, save, lock, clear, info) with one class per
:class:`CacheMode`. A store never raises for a bad, foreign or unwritable cache (each problem is a
logged miss or a ``False``), never touches the network, never imports boto3, and does no I/O
until the first load, save, lock, clear or info.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import logging
import os
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeAlias

from ..._errors import CatalogFormatError
from ._catalog import Catalog
from ._constants import APP_NAME, CACHE_FILENAME, ENV_CACHE_DIR, PARTIAL_CACHE_MAX_AGE
from ._fileformat import decode, encode
from ._types import CatalogSource, RegionStatus, describe_age

if TYPE_CHECKING:
    from filelock import BaseFileLock

__all__ = [
    "CacheInfo",
    "CacheMode",
    "CatalogStore",
    "FileStore",
    "MemoryStore",
    "NoStore",
    "RegionsKey",
    "default_cache_dir",
    "open_store",
]

logger = logging.getLogger(__name__)

#: The regions a cached catalog was fetched for; None is "the default region set", which is
#: never resolved here (listing it needs botocore, and the warm path must not import boto3).
RegionsKey: TypeAlias = tuple[str, ...] | None

#: Name of the FILE-mode lock file, next to the cache file.
LOCK_FILENAME = CACHE_FILENAME + ".lock"

#: Permission bits of the cache directory and of the cache file.
DIRECTORY_MODE = 0o700
FILE_MODE = 0o600

# A cache written this far in the future (clock skew across hosts sharing a directory) is still
# fresh; anything later has no meaningful age and is treated as expired.
_FUTURE_TOLERANCE = timedelta(minutes=5)

# write_atomic's temporary files: ".bedrock_catalog.json.<random>.tmp" in the same directory.
_TEMP_GLOB = f".{CACHE_FILENAME}.*.tmp"

# A real catalog file is well under a megabyte; anything this big is not one, and is not read.
_MAX_FILE_BYTES = 64 * 1024 * 1024

_POSIX = os.name == "posix"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# O_NONBLOCK: opening a FIFO planted at the cache path must not wait for a writer.
_OPEN_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class CacheMode(str, Enum):
    """Where the catalog is kept: a file (default), process memory, or nowhere."""

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


@dataclass(frozen=True, slots=True)
class CacheInfo:
    """What a store holds, for ``bedrock-catalog cache info`` and for debugging.

    ``valid`` is True when the cache is intact (and fresh, when ``info`` was given a max age);
    otherwise ``reason`` says why not.
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


class CatalogStore(Protocol):
    """Where catalogs are kept; see FileStore, MemoryStore and NoStore."""

    mode: CacheMode

    @property
    def path(self) -> Path | None:
        """The cache file actually used (after any fallback); None when nothing is on disk."""
        ...

    def load(
        self,
        regions: RegionsKey,
        *,
        max_age: timedelta,
        now: datetime | None = None,
        allow_expired: bool = False,
    ) -> Catalog | None:
        """A validated catalog covering ``regions``, or None with the reason logged."""
        ...

    def save(self, catalog: Catalog) -> bool:
        """Keep ``catalog``; False (logged) when it could not be kept. Never raises."""
        ...

    def lock(self, timeout: float, *, regions: RegionsKey = None) -> AbstractContextManager[bool]:
        """Hold the refresh lock; yields False when ``timeout`` seconds pass without it."""
        ...

    def clear(self, *, dry_run: bool = False) -> list[Path]:
        """Remove exactly what the store created; returns the paths (removed or, dry, to be)."""
        ...

    def info(self, *, max_age: timedelta | None = None, now: datetime | None = None) -> CacheInfo:
        """Path, existence, size, age and regions of what the store holds."""
        ...


def default_cache_dir() -> Path:
    """``$BEDROCK_CATALOG_CACHE_DIR`` if set, else the platform's user cache dir for the app."""
    override = os.environ.get(ENV_CACHE_DIR, "").strip()
    if override:
        return Path(os.path.expanduser(override))
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def open_store(
    mode: CacheMode | str,
    cache_directory: str | os.PathLike[str] | None = None,
    *,
    clock: Callable[[], datetime] | None = None,
) -> CatalogStore:
    """The store for ``mode``; does no I/O (problems surface on first use, as logged fallbacks)."""
    mode = CacheMode(mode)
    now = clock or _utcnow
    if mode is CacheMode.FILE:
        if cache_directory is None:
            directory = default_cache_dir()
        else:
            try:
                # os.path.expanduser never raises (Path.expanduser does without a home, as in
                # some sandboxes); an unexpanded "~" then fails to be created and falls back.
                directory = Path(os.path.expanduser(os.fspath(cache_directory)))
            except TypeError:
                raise TypeError(
                    "cache_directory: expected a str or os.PathLike path, "
                    f"got {type(cache_directory).__name__}"
                ) from None
        return FileStore(directory.absolute(), clock=now)
    if cache_directory is not None:
        logger.debug("cache_directory is ignored in %s mode", mode.value)
    if mode is CacheMode.MEMORY:
        return MemoryStore(clock=now)
    return NoStore()


# validation ---------------------------------------------------------------------------------


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _key(regions: Sequence[str] | None) -> RegionsKey:
    return None if regions is None else tuple(sorted(set(regions)))


def _describe(regions: Sequence[str] | None) -> str:
    return "the default regions" if regions is None else ", ".join(regions) or "no regions"


def _covers(catalog: Catalog, regions: RegionsKey) -> bool:
    """Whether ``catalog`` answers for ``regions`` as a fetch of them would.

    A catalog serves the region set it was fetched for. It also serves a subset of that set,
    but only where it holds data for each region of the subset: a region that failed (with no
    older data kept) or was unavailable there would otherwise read as having no models.
    """
    meta = catalog.metadata
    if regions is None:
        return meta.requested_regions is None
    outcomes = meta.region_outcomes
    if _key(meta.requested_regions) == regions:
        return all(region in outcomes for region in regions)
    stale = meta.stale_regions
    return all(
        (outcome := outcomes.get(region)) is not None
        and (outcome.status is RegionStatus.OK or region in stale)
        for region in regions
    )


def _is_partial(catalog: Catalog) -> bool:
    meta = catalog.metadata
    return bool(meta.stale_regions) or bool(meta.regions_failed)


def _max_age_of(catalog: Catalog, max_age: timedelta) -> timedelta:
    # A catalog missing some regions is kept only briefly, so the next run retries them soon.
    return min(max_age, PARTIAL_CACHE_MAX_AGE) if _is_partial(catalog) else max_age


def _freshness(catalog: Catalog, max_age: timedelta, now: datetime) -> str:
    """Empty when ``catalog`` is fresh, else why it is expired."""
    age = now - catalog.metadata.retrieved_at
    if age < -_FUTURE_TOLERANCE:
        return f"it claims to be retrieved in the future ({catalog.metadata.retrieved_at})"
    limit = _max_age_of(catalog, max_age)
    if age >= limit:
        partial = " (partial catalog: some regions failed)" if limit < max_age else ""
        return f"it is {describe_age(age)} old, older than {describe_age(limit)}{partial}"
    return ""


def _pick(
    found: Iterator[tuple[Catalog, str]],
    regions: RegionsKey,
    max_age: timedelta,
    now: datetime,
    allow_expired: bool,
) -> Catalog | None:
    """The first fresh catalog covering ``regions``; else, if allowed, the first expired one."""
    expired: Catalog | None = None
    for catalog, where in found:
        if not _covers(catalog, regions):
            logger.debug(
                "catalog cache %s covers %s, not %s: a miss",
                where,
                _describe(catalog.metadata.requested_regions),
                _describe(regions),
            )
            continue
        why = _freshness(catalog, max_age, now)
        if not why:
            return catalog
        logger.info("catalog cache %s is expired: %s", where, why)
        if allow_expired and expired is None:
            expired = catalog
    if expired is not None:
        return expired.with_metadata(source=CatalogSource.STALE_CACHE)
    return None


def _info_of(
    mode: CacheMode,
    path: Path | None,
    catalog: Catalog | None,
    *,
    size: int | None,
    max_age: timedelta | None,
    now: datetime,
    reason: str,
) -> CacheInfo:
    if catalog is None:
        return CacheInfo(
            mode, path, exists=size is not None or reason != "", size_bytes=size, reason=reason
        )
    meta = catalog.metadata
    why = _freshness(catalog, max_age, now) if max_age is not None else ""
    return CacheInfo(
        mode,
        path,
        exists=True,
        size_bytes=size,
        retrieved_at=meta.retrieved_at,
        age=now - meta.retrieved_at,
        regions=tuple(sorted(meta.region_outcomes)),
        requested_regions=meta.requested_regions,
        model_count=len(catalog),
        partial=_is_partial(catalog),
        valid=not why,
        reason=why,
    )


# NONE -----------------------------------------------------------------------------------------


class NoStore:
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
        logger.debug("cache mode none: no cached catalog")
        return None

    def save(self, catalog: Catalog) -> bool:
        return False

    def lock(self, timeout: float, *, regions: RegionsKey = None) -> AbstractContextManager[bool]:
        return contextlib.nullcontext(True)

    def clear(self, *, dry_run: bool = False) -> list[Path]:
        return []

    def info(self, *, max_age: timedelta | None = None, now: datetime | None = None) -> CacheInfo:
        return CacheInfo(self.mode, None, exists=False, reason="cache mode none keeps nothing")


# MEMORY -------------------------------------------------------------------------------------

# Process-wide: every MemoryStore (and every FILE store that fell back to memory) shares these.
_memory_guard = threading.Lock()
_memory: dict[RegionsKey, Catalog] = {}
_memory_locks: dict[RegionsKey, threading.Lock] = {}


class MemoryStore:
    """Keeps catalogs for the life of the process, shared by every instance, keyed by regions."""

    mode = CacheMode.MEMORY

    def __init__(self, *, clock: Callable[[], datetime] = _utcnow) -> None:
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
        key = _key(regions)
        with _memory_guard:
            exact = _memory.get(key)
            others = [c for k, c in _memory.items() if k != key]
        candidates = ([exact] if exact is not None else []) + others
        if not candidates:
            logger.debug("no catalog in memory yet")
            return None
        found = ((catalog, "in memory") for catalog in candidates)
        return _pick(found, key, max_age, _aware(now or self._clock()), allow_expired)

    def save(self, catalog: Catalog) -> bool:
        stored = catalog.with_metadata(source=CatalogSource.CACHE, cache_path=None)
        with _memory_guard:
            _memory[_key(catalog.metadata.requested_regions)] = stored
        return True

    @contextlib.contextmanager
    def lock(self, timeout: float, *, regions: RegionsKey = None) -> Iterator[bool]:
        key = _key(regions)
        with _memory_guard:
            guard = _memory_locks.setdefault(key, threading.Lock())
        acquired = guard.acquire(timeout=max(0.0, timeout))
        if not acquired:
            logger.info(
                "waited %.1f s for the in-memory refresh lock; going on without it", timeout
            )
        try:
            yield acquired
        finally:
            if acquired:
                guard.release()

    def clear(self, *, dry_run: bool = False) -> list[Path]:
        if not dry_run:
            with _memory_guard:
                _memory.clear()
        return []

    def info(self, *, max_age: timedelta | None = None, now: datetime | None = None) -> CacheInfo:
        with _memory_guard:
            held = list(_memory.values())
        newest = max(held, key=lambda c: c.metadata.retrieved_at, default=None)
        moment = _aware(now or self._clock())
        reason = "" if newest is not None else "no catalog in memory yet"
        return _info_of(
            self.mode, None, newest, size=None, max_age=max_age, now=moment, reason=reason
        )


# FILE -----------------------------------------------------------------------------------------

_warned_guard = threading.Lock()
_warned: set[Path] = set()
_file_locks_guard = threading.Lock()
_file_locks: dict[Path, threading.Lock] = {}


def _warn_once(key: Path, message: str, *args: object) -> None:
    with _warned_guard:
        if key in _warned:
            logger.debug(message, *args)
            return
        _warned.add(key)
    logger.warning(message, *args)


def _user_tag() -> str:
    if hasattr(os, "geteuid"):  # the owner the directory gets, and the one checked
        return str(os.geteuid())
    import getpass

    try:  # Windows: the temp dir is already per-user; the name keeps users apart anyway
        name = getpass.getuser()
    except Exception:
        name = "user"
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


def fallback_cache_dir() -> Path:
    """The per-user directory under the system temp dir used when the cache dir is unwritable.

    Raises FileNotFoundError when no temp dir is usable (tempfile.gettempdir's own error).
    """
    return Path(tempfile.gettempdir()) / f"{APP_NAME}-{_user_tag()}"


def _fallback_dir() -> tuple[Path | None, str]:
    """(fallback_cache_dir(), "") or, when the system has no usable temp dir, (None, why)."""
    try:
        return fallback_cache_dir(), ""
    except OSError as exc:  # a read-only root filesystem: /tmp, /var/tmp and the cwd unwritable
        return None, f"no usable temp dir: {exc.strerror or exc}"


def _writable(directory: Path) -> bool:
    if os.access in os.supports_effective_ids:
        return os.access(directory, os.W_OK | os.X_OK, effective_ids=True)
    return os.access(directory, os.W_OK | os.X_OK)


def _private_dir_problem(directory: Path) -> str:
    """Why ``directory`` is not a safe private directory of this user (empty when it is)."""
    try:
        info = os.lstat(directory)
    except OSError as exc:
        return f"cannot inspect it ({exc.strerror or exc})"
    if stat.S_ISLNK(info.st_mode):
        return "it is a symlink"
    if not stat.S_ISDIR(info.st_mode):
        return "it is not a directory"
    if _POSIX:
        if info.st_uid != os.geteuid():
            return f"it is owned by uid {info.st_uid}, not by this user"
        if info.st_mode & 0o022:
            return f"group or others can write it (mode {stat.S_IMODE(info.st_mode):o})"
    return ""


def _prepare(directory: Path, *, private: bool) -> str:
    """Create ``directory`` (0700) if needed; empty when usable, else why not."""
    try:
        if private:
            # No parents: the temp dir must exist, and a per-user dir is only ever ours.
            with contextlib.suppress(FileExistsError):
                os.mkdir(directory, DIRECTORY_MODE)
            problem = _private_dir_problem(directory)
            if problem:
                return problem
        else:
            directory.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot create it: {exc.strerror or exc}"
    if not _writable(directory):
        return "this user cannot write to it"
    return ""


def _read_fd(fd: int, size: int) -> bytes:
    """Everything in ``fd``, up to just past the size cap.

    One read of the size fstat gave (plus one byte), then on to the end of the file, which may
    have changed since; no buffered file object, which costs more than the read itself here.
    """
    parts = []
    total = 0
    chunk = os.read(fd, size + 1)
    while chunk:
        parts.append(chunk)
        total += len(chunk)
        if total > _MAX_FILE_BYTES:
            break
        chunk = os.read(fd, 1 << 16)
    return b"".join(parts)


def _read_file(path: Path, *, log: bool = True) -> tuple[Catalog | None, int | None, str]:
    """(intact catalog or None, size or None, why not). Refuses symlinks and foreign files."""
    note: Callable[..., None] = logger.info if log else logger.debug
    warn: Callable[..., None] = logger.warning if log else logger.debug
    try:
        if not _NOFOLLOW and path.is_symlink():
            warn("refusing the catalog cache %s: it is a symlink", path)
            return None, None, "it is a symlink"
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        logger.debug("no catalog cache at %s", path)
        return None, None, ""
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK) and path.is_symlink():
            warn("refusing the catalog cache %s: it is a symlink", path)
            return None, None, "it is a symlink"
        note("cannot read the catalog cache %s: %s", path, exc.strerror or exc)
        return None, None, f"cannot read it: {exc.strerror or exc}"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            note("ignoring the catalog cache %s: it is not a regular file", path)
            return None, None, "it is not a regular file"
        if _POSIX and info.st_uid != os.geteuid():
            warn(
                "refusing the catalog cache %s: it is owned by uid %d, not by this user",
                path,
                info.st_uid,
            )
            return None, info.st_size, "it is owned by another user"
        if _POSIX and info.st_mode & 0o022:
            warn(
                "refusing the catalog cache %s: group or others can write it (mode %o)",
                path,
                stat.S_IMODE(info.st_mode),
            )
            return None, info.st_size, "group or others can write it"
        if info.st_size > _MAX_FILE_BYTES:
            note("ignoring the catalog cache %s: %d bytes is too big", path, info.st_size)
            return None, info.st_size, "it is too big to be a catalog"
        data = _read_fd(fd, info.st_size)
    except OSError as exc:
        note("cannot read the catalog cache %s: %s", path, exc.strerror or exc)
        return None, None, f"cannot read it: {exc.strerror or exc}"
    finally:
        if fd >= 0:
            os.close(fd)
    try:
        catalog = decode(data, source=CatalogSource.CACHE, path=path, cache_path=path)
    except CatalogFormatError as exc:
        note("ignoring the catalog cache: %s", exc)
        return None, len(data), exc.reason
    return catalog, len(data), ""


def _lock_file_problem(lock_path: Path) -> str:
    """Create the lock file if needed, never through a symlink; empty when it is safe to lock.

    filelock opens the lock path itself: 3.x with O_TRUNC, and before 3.20.1 following symlinks
    (pyproject allows >=3.12). A symlink or a hard link planted there would have it truncate
    another file (as root: any file). So the path must already be this user's own regular file,
    with one link, when filelock opens it.
    """
    flags = os.O_RDONLY | os.O_CREAT | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0)
    try:
        if not _NOFOLLOW and lock_path.is_symlink():
            return "it is a symlink"
        fd = os.open(lock_path, flags | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK) and lock_path.is_symlink():
            return "it is a symlink"
        return f"cannot open it: {exc.strerror or exc}"
    try:
        info = os.fstat(fd)
    finally:
        os.close(fd)
    if not stat.S_ISREG(info.st_mode):
        return "it is not a regular file"
    if _POSIX and info.st_uid != os.geteuid():
        return f"it is owned by uid {info.st_uid}, not by this user"
    if _POSIX and info.st_nlink != 1:
        return f"it has {info.st_nlink} hard links"
    return ""


class FileStore:
    """Keeps one catalog file, ``<directory>/bedrock_catalog.json``, shared by processes.

    Falls back, warning once, to a per-user directory under the system temp dir and then to
    memory when the directory cannot be written (e.g. a read-only home, as in AWS Lambda).
    """

    mode = CacheMode.FILE

    def __init__(self, directory: Path, *, clock: Callable[[], datetime] = _utcnow) -> None:
        self._primary = Path(directory)
        self._primary_file = self._primary / CACHE_FILENAME
        self._clock = clock
        self._state = threading.Lock()
        self._resolved = False
        self._directory: Path | None = None  # the directory in use, once resolved
        self._memory: MemoryStore | None = None  # set when no directory is usable

    @property
    def directory(self) -> Path:
        """The configured cache directory (before any fallback)."""
        return self._primary

    @property
    def path(self) -> Path | None:
        if not self._resolved:
            return self._primary / CACHE_FILENAME
        return None if self._directory is None else self._directory / CACHE_FILENAME

    def _resolve(self, *, unwritable: str = "") -> Path | None:
        """The directory to write to, creating it; falls back (warning once) if it cannot."""
        with self._state:
            if self._resolved and not unwritable:
                return self._directory
            problem = unwritable or _prepare(self._primary, private=False)
            chosen: Path | None = self._primary
            if problem:
                chosen, why = _fallback_dir()
                fallback = chosen
                if chosen is None:
                    pass
                elif chosen == self._primary:
                    chosen = None
                    why = problem
                else:
                    why = _prepare(chosen, private=True)
                if chosen is not None and not why:
                    _warn_once(
                        self._primary,
                        "cache directory %s is not writable (%s); using %s",
                        self._primary,
                        problem,
                        chosen / CACHE_FILENAME,
                    )
                else:
                    _warn_once(
                        self._primary,
                        "cache directory %s is not writable (%s), nor is the fallback %s (%s); "
                        "keeping the catalog in memory for this process",
                        self._primary,
                        problem,
                        fallback or "under the temp dir",
                        why,
                    )
                    chosen = None
            self._directory = chosen
            self._memory = MemoryStore(clock=self._clock) if chosen is None else None
            self._resolved = True
            return chosen

    def load(
        self,
        regions: RegionsKey,
        *,
        max_age: timedelta,
        now: datetime | None = None,
        allow_expired: bool = False,
    ) -> Catalog | None:
        moment = _aware(now or self._clock())
        key = _key(regions)
        return _pick(self._found(key, max_age, moment), key, max_age, moment, allow_expired)

    def _found(
        self, key: RegionsKey, max_age: timedelta, now: datetime
    ) -> Iterator[tuple[Catalog, str]]:
        # The configured file first: on the warm path that is one open, fstat and read, with no
        # mkdir and no fallback resolution. A read-only directory may still hold a good file.
        primary = self._primary_file
        catalog, _, _ = _read_file(primary)
        if catalog is not None:
            yield catalog, str(primary)
        directory = self._resolve()
        if directory is None:
            assert self._memory is not None
            stored = self._memory.load(key, max_age=max_age, now=now, allow_expired=True)
            if stored is not None:
                yield stored.with_metadata(source=CatalogSource.CACHE), "in memory"
        elif directory != self._primary:
            path = directory / CACHE_FILENAME
            catalog, _, _ = _read_file(path)
            if catalog is not None:
                yield catalog, str(path)

    def save(self, catalog: Catalog) -> bool:
        try:
            data = encode(catalog)
        except (ValueError, TypeError) as exc:
            logger.warning("could not encode the catalog for the cache: %s", exc)
            return False
        directory = self._resolve()
        for _attempt in range(2):
            if directory is None:
                assert self._memory is not None
                return self._memory.save(catalog)
            target = directory / CACHE_FILENAME
            try:
                from ._fsutil import write_atomic

                write_atomic(target, data, mode=FILE_MODE)
            except OSError as exc:
                if directory == self._primary and exc.errno in (
                    errno.EACCES,
                    errno.EPERM,
                    errno.EROFS,
                ):
                    # access() said yes but the write said no (ACLs, a remount): fall back once.
                    directory = self._resolve(unwritable=exc.strerror or str(exc))
                    continue
                logger.warning("could not write the catalog cache %s: %s", target, exc)
                return False
            logger.debug("saved the catalog cache %s (%d bytes)", target, len(data))
            return True
        return False

    @contextlib.contextmanager
    def lock(self, timeout: float, *, regions: RegionsKey = None) -> Iterator[bool]:
        directory = self._resolve()
        if directory is None:
            assert self._memory is not None
            with self._memory.lock(timeout, regions=regions) as acquired:
                yield acquired
            return
        wait = max(0.0, float(timeout))
        deadline = time.monotonic() + wait
        lock_path = directory / LOCK_FILENAME
        with _file_locks_guard:
            # filelock's OS lock excludes other processes; threads of this one queue here first.
            guard = _file_locks.setdefault(lock_path, threading.Lock())
        if not guard.acquire(timeout=wait):
            logger.info("waited %.1f s for the cache lock %s; going on without it", wait, lock_path)
            yield False
            return
        try:
            problem = _lock_file_problem(lock_path)
            if problem:
                logger.warning("cannot take the cache lock %s: %s", lock_path, problem)
                yield False
                return
            held = self._acquire_file_lock(lock_path, max(0.0, deadline - time.monotonic()))
            try:
                yield held is not None
            finally:
                if held is not None:
                    held.release()
        finally:
            guard.release()

    @staticmethod
    def _acquire_file_lock(lock_path: Path, wait: float) -> BaseFileLock | None:
        import filelock

        # OS locks (fcntl/msvcrt) die with their process, so a crashed holder never blocks anyone;
        # the lock file itself stays (SoftFileLock would not have that property).
        lock = filelock.FileLock(str(lock_path), mode=FILE_MODE)
        try:
            lock.acquire(timeout=wait)
        except filelock.Timeout:
            logger.info("waited %.1f s for the cache lock %s; going on without it", wait, lock_path)
            return None
        except OSError as exc:
            logger.warning("cannot take the cache lock %s: %s", lock_path, exc.strerror or exc)
            return None
        return lock

    def _directories(self) -> list[Path]:
        """Every directory this store may have written to, without creating any."""
        found = [self._primary]
        fallback, _ = _fallback_dir()
        if fallback not in (None, self._primary) and not _private_dir_problem(fallback):
            found.append(fallback)
        return found

    def clear(self, *, dry_run: bool = False) -> list[Path]:
        if self._memory is not None:
            self._memory.clear(dry_run=dry_run)
        removed: list[Path] = []
        for directory in self._directories():
            names = [directory / CACHE_FILENAME, directory / LOCK_FILENAME]
            with contextlib.suppress(OSError):
                names += sorted(directory.glob(_TEMP_GLOB))
            for path in names:
                try:
                    info = os.lstat(path)
                    if not stat.S_ISREG(info.st_mode):
                        continue  # a directory or symlink there is not something we created
                    if _POSIX and info.st_uid != os.geteuid():
                        # Nor is another user's file (root could remove it from a shared dir).
                        logger.info("not removing %s: it is owned by uid %d", path, info.st_uid)
                        continue
                    if not dry_run:
                        path.unlink()
                except FileNotFoundError:
                    continue
                except OSError as exc:
                    logger.warning("could not remove %s: %s", path, exc.strerror or exc)
                    continue
                removed.append(path)
        return removed

    def info(self, *, max_age: timedelta | None = None, now: datetime | None = None) -> CacheInfo:
        moment = _aware(now or self._clock())
        if self._resolved and self._directory is None:
            assert self._memory is not None
            return dataclasses.replace(
                self._memory.info(max_age=max_age, now=moment), mode=self.mode
            )
        first: CacheInfo | None = None
        for directory in self._directories():
            path = directory / CACHE_FILENAME
            catalog, size, reason = _read_file(path, log=False)
            found = _info_of(
                self.mode, path, catalog, size=size, max_age=max_age, now=moment, reason=reason
            )
            if found.exists and (found.valid or first is None):
                if found.valid:
                    return found
                first = found
        if first is not None:
            return first
        return CacheInfo(self.mode, self.path, exists=False, reason="no cache file")
