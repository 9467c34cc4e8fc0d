"""The FILE store: one validated catalog file per cache directory, shared by processes.

Also the one home of the directory choice: the configured directory (``cache_directory``, else
``$BEDROCK_CATALOG_CACHE_DIR``, else the platform's user cache dir), then a private per-user
directory under the system temp dir, then process memory. A read never creates a directory; a
write that fails re-resolves the directory, so a long-running process keeps persisting.
"""

from __future__ import annotations

import _thread
import os
import time

from .. import _fileformat
from .._constants import APP_NAME, CACHE_FILENAME, read_environment
from .._metadata import CatalogSource
from . import _policy, _posix
from ._backends import MemoryStore, aware, info_of
from ._base import CacheMode, CatalogStore, log, process_state

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from contextlib import AbstractContextManager
    from datetime import datetime, timedelta
    from pathlib import Path

    from filelock import BaseFileLock

    from .._catalog import Catalog
    from .._regions import RegionsKey
    from ._info import CacheInfo, ClearReport

__all__ = ["LOCK_FILENAME", "FileStore", "default_cache_dir", "fallback_cache_dir"]

#: Name of the FILE-mode lock file, next to the cache file.
LOCK_FILENAME = CACHE_FILENAME + ".lock"

#: The fix named in every warning about an unusable cache location (library and CLI users).
_FIX_DIRECTORY = (
    "set BEDROCK_CATALOG_CACHE_DIR (or cache_directory=, or --cache-dir) to a directory only "
    "this user can write, or keep the catalog in memory (cache_mode='memory', --cache-mode memory)"
)


def default_cache_dir() -> Path:
    """``$BEDROCK_CATALOG_CACHE_DIR`` if set, else the platform's user cache dir for the app."""
    from pathlib import Path

    override = read_environment().cache_dir  # the one reader of the BEDROCK_CATALOG_* switches
    if override is not None:
        return override
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


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
    """The per-user directory under the system temp dir, used when the cache dir is unusable.

    Raises OSError (FileNotFoundError) when the system has no usable temp dir.
    """
    import tempfile
    from pathlib import Path

    return Path(tempfile.gettempdir()) / f"{APP_NAME}-{_user_tag()}"


def _fallback() -> tuple[str | None, str]:
    """(the fallback directory, "") or, when the system has no usable temp dir, (None, why)."""
    try:
        return os.fspath(fallback_cache_dir()), ""
    except OSError as exc:  # a read-only root filesystem: /tmp, /var/tmp and the cwd unwritable
        return None, f"no usable temp dir: {exc.strerror or exc}"


def _home_of(directory: str) -> str | None:
    """The home directory ``directory`` lies under (which must exist to create it), or None."""
    home = os.path.expanduser("~")
    if home == "~" or not os.path.isabs(home):
        return None
    try:
        inside = os.path.commonpath([home, directory]) == home
    except ValueError:
        return None
    return home if inside else None


def _as_path(path: str | None) -> Path | None:
    if path is None:
        return None
    from pathlib import Path

    return Path(path)


def _is_private(directory: str) -> bool:
    """Owned by this user and writable by nobody else (after following a symlink)."""
    if not _posix.POSIX:
        return True
    try:
        info = os.stat(directory)
    except OSError:
        return False
    return info.st_uid == os.geteuid() and not info.st_mode & 0o022


class FileStore(CatalogStore):
    """Keeps one catalog file, ``<directory>/bedrock_catalog.json``, shared by processes.

    The configured directory is trusted only when this user or root owns it and nobody else can
    write it (a symlink is followed and its target checked). When it cannot be used, the store
    warns once (with the fix) and falls back to a private per-user directory under the system
    temp dir, then to memory. Files are read only when owned by this user or root and writable by
    nobody else, as ssh and sudo do.

    Args:
        directory: the configured cache directory (absolute).
        clock: the catalog's one clock (UTC ``datetime``), for freshness and ``generated_at``.
    """

    mode = CacheMode.FILE

    def __init__(self, directory: str | os.PathLike[str], *, clock: Callable[[], datetime]) -> None:
        self._primary = os.fspath(directory)
        self._primary_file = os.path.join(self._primary, CACHE_FILENAME)
        self._anchor = _home_of(self._primary)
        self._clock = clock
        self._state = _thread.allocate_lock()
        self._resolved = False
        self._directory: str | None = None  # the directory in use, once resolved
        self._memory: MemoryStore | None = None  # set when no directory is usable

    def __repr__(self) -> str:
        return f"FileStore({self._primary!r})"

    @property
    def directory(self) -> Path:
        """The configured cache directory (before any fallback)."""
        from pathlib import Path

        return Path(self._primary)

    @property
    def path(self) -> Path | None:
        if not self._resolved:
            return _as_path(self._primary_file)
        return _as_path(None if self._directory is None else self._file_in(self._directory))

    @staticmethod
    def _file_in(directory: str) -> str:
        return os.path.join(directory, CACHE_FILENAME)

    # -- the directory choice ------------------------------------------------------------------

    def writable_directory(self) -> Path | None:
        """Where a save would write now, creating nothing: the configured directory, else the
        per-user fallback under the temp dir; None when the catalog would be kept in memory."""
        if self._resolved:
            return _as_path(self._directory)
        chosen, _, _, _ = self._choose(create=False, avoid=frozenset())
        return _as_path(chosen)

    def _choose(self, *, create: bool, avoid: frozenset[str]) -> tuple[str | None, str, str, str]:
        """The one directory choice: (chosen or None for memory, why not the configured one,
        the fallback tried or "", why not the fallback). ``create``: make the directory (and
        check it); otherwise only tell whether it could be made and used."""
        primary = self._primary
        if primary in avoid:
            problem = "a write there failed twice"
        elif create:
            problem = _posix.prepare_directory(primary, private=False, anchor=self._anchor)
        else:
            problem = _posix.usable_or_creatable(primary, private=False, anchor=self._anchor)
        if not problem:
            return primary, "", "", ""
        fallback, why = _fallback()
        if fallback is None:
            return None, problem, "", why
        if fallback == primary or fallback in avoid:
            return None, problem, fallback, why or "it failed too"
        if create:
            why = _posix.prepare_directory(fallback, private=True)
        else:
            why = _posix.usable_or_creatable(fallback, private=True)
        return (None if why else fallback), problem, fallback, why

    def _resolve(self, *, failed: str = "", avoid: frozenset[str] = frozenset()) -> str | None:
        """The directory to write to, creating it; falls back (warning once) if it cannot.

        ``failed`` (a write just failed there) forces a new choice: a removed directory is
        created again, a read-only or locked-down one is replaced by the next candidate.
        Directories in ``avoid`` failed twice and are skipped.
        """
        with self._state:
            if self._resolved and not failed:
                return self._directory
            chosen, problem, fallback, why = self._choose(create=True, avoid=avoid)
            primary = self._primary
            where = "cache directory" if not failed else "cache directory (after a failed write)"
            if chosen is None:
                process_state.warn_once(
                    f"dir:{primary}:memory",
                    "%s %s is not usable (%s), nor is the fallback %s (%s); keeping the "
                    "catalog in memory for this process. To cache on disk: %s",
                    where,
                    primary,
                    problem,
                    fallback or "under the temp dir",
                    why,
                    _FIX_DIRECTORY,
                    logger=log(),
                )
            elif chosen != primary:
                process_state.warn_once(
                    f"dir:{primary}",
                    "%s %s is not usable (%s); using %s. To keep the cache there: %s",
                    where,
                    primary,
                    problem,
                    self._file_in(chosen),
                    _FIX_DIRECTORY,
                    logger=log(),
                )
            self._directory = chosen
            if chosen is None and self._memory is None:
                self._memory = MemoryStore(clock=self._clock)
            self._resolved = True
            return chosen

    def _memory_store(self) -> MemoryStore:
        assert self._memory is not None
        return self._memory

    # -- reading ---------------------------------------------------------------------------------

    def _read(
        self, path: str, *, log_level: str = "info"
    ) -> tuple[Catalog | None, int | None, str]:
        """(intact catalog or None, size or None, why not) for the file at ``path``."""
        data, size, reason, fix, of_directory = _posix.read_trusted(
            path, _fileformat.MAX_FILE_BYTES
        )
        if data is None:
            if not reason:
                if log_level != "quiet":
                    log().debug("no catalog cache at %s", path)
            elif log_level != "quiet":
                self._report_refusal(path, reason, fix, of_directory)
            return None, size, reason
        from pathlib import Path

        where = Path(path)
        try:
            catalog = _fileformat.decode(
                data, source=CatalogSource.CACHE, path=where, cache_path=where
            )
        except ValueError as exc:  # CatalogFormatError is one; the error module loads on failure
            from ...._errors import CatalogFormatError

            if not isinstance(exc, CatalogFormatError):
                raise
            if log_level != "quiet":
                log().info("ignoring the catalog cache: %s", exc)
            return None, len(data), exc.reason
        return catalog, len(data), ""

    @staticmethod
    def _report_refusal(path: str, reason: str, fix: str, of_directory: bool) -> None:
        if not fix:
            log().info("ignoring the catalog cache %s: %s", path, reason)
            return
        # A directory problem is one problem, whether a read or the directory choice finds it
        # first: one key, so it is said once per process.
        key = f"dir:{os.path.dirname(path)}" if of_directory else f"file:{path}:{reason}"
        process_state.warn_once(
            key,
            "refusing the catalog cache %s: %s; %s, or %s",
            path,
            reason,
            fix,
            _FIX_DIRECTORY,
            logger=log(),
        )

    def _fallback_file(self) -> str | None:
        """The fallback's cache file, when the fallback directory exists and is private."""
        fallback, _ = _fallback()
        if fallback is None or fallback == self._primary or not os.path.lexists(fallback):
            return None
        if _posix.directory_problem(fallback, private=True):
            return None
        return self._file_in(fallback)

    def _found(self) -> Iterator[tuple[Catalog, str]]:
        # The configured file first: on the warm path that is two opens, two fstats and one read,
        # with no mkdir and no fallback resolution. A read-only directory may still hold a good
        # file (a cache baked into an image).
        catalog, _, _ = self._read(self._primary_file)
        if catalog is not None:
            yield catalog, self._primary_file
        if self._resolved and self._directory is None:
            with process_state.guard:
                held = list(process_state.memory.values())
            for kept in held:
                yield kept.with_metadata(source=CatalogSource.CACHE), "in memory"
        fallback_file = self._fallback_file()
        if fallback_file is not None and fallback_file != self._primary_file:
            catalog, _, _ = self._read(fallback_file)
            if catalog is not None:
                yield catalog, fallback_file

    def load(
        self,
        regions: RegionsKey,
        *,
        max_age: timedelta,
        now: datetime | None = None,
        allow_expired: bool = False,
    ) -> Catalog | None:
        moment = aware(now or self._clock())
        return _policy.pick(self._found(), regions, max_age, moment, allow_expired)

    # -- writing ---------------------------------------------------------------------------------

    def save(self, catalog: Catalog) -> bool:
        try:
            data = _fileformat.encode(catalog, generated_at=aware(self._clock()))
            # Never write a file the reader refuses: what goes to disk is what a load accepts.
            _fileformat.decode(data)
        except (ValueError, TypeError) as exc:  # CatalogFormatError is a ValueError
            log().warning("not writing the catalog cache: %s", exc)
            return False
        failed: set[str] = set()
        avoid: set[str] = set()
        why = ""
        for _attempt in range(4):
            directory = self._resolve(failed=why, avoid=frozenset(avoid))
            if directory is None:
                return self._memory_store().save(catalog)
            target = self._file_in(directory)
            try:
                written = _posix.write_atomic(target, data, mode=_posix.FILE_MODE)
            except OSError as exc:
                why = exc.strerror or str(exc)
                log().info("could not write the catalog cache %s: %s", target, why)
                if directory in failed:
                    avoid.add(directory)
                failed.add(directory)
                if os.path.isdir(target):  # a directory where the file goes: not fixable here
                    break
                continue
            log().debug("saved the catalog cache %s (%d bytes)", target, len(data))
            for stale in _posix.remove_stale_temps(directory, CACHE_FILENAME, now=written):
                log().info("removed a temporary file left by a killed writer: %s", stale)
            return True
        log().warning("could not write the catalog cache %s: %s", self.path, why)
        return False

    # -- locking ---------------------------------------------------------------------------------

    def lock(self, timeout: float, *, regions: RegionsKey = None) -> AbstractContextManager[bool]:
        import contextlib  # here, not at the top: not on the warm path

        return contextlib.contextmanager(self._locked)(timeout, regions)

    def _locked(self, timeout: float, regions: RegionsKey) -> Iterator[bool]:
        directory = self._resolve()
        if directory is not None and not (os.path.isdir(directory) and _posix.writable(directory)):
            # Removed, remounted read-only or locked down since it was chosen (a long-running
            # process): choose again, as a failed write does, so the refresh can still be saved.
            directory = self._resolve(failed="it was removed or is no longer writable")
        if directory is None:
            with self._memory_store().lock(timeout, regions=regions) as acquired:
                yield acquired
            return
        wait = max(0.0, float(timeout))
        deadline = time.monotonic() + wait
        lock_path = os.path.join(directory, LOCK_FILENAME)
        # filelock's OS lock excludes other processes; threads of this one queue here first.
        guard = process_state.file_lock(lock_path)
        if not guard.acquire(True, wait):
            log().info("waited %.1f s for the cache lock %s; going on without it", wait, lock_path)
            yield False
            return
        try:
            problem = _posix.repair_lock_file(
                lock_path,
                private_directory=_is_private(directory),
                note=lambda what: log().warning("cache lock %s: %s", lock_path, what),
            )
            if problem:
                process_state.warn_once(
                    f"lock:{lock_path}:{problem}",
                    "cannot use the cache lock %s: %s; the catalog is fetched but not cached "
                    "until it is fixed: remove it (`rm -rf %s`), or %s",
                    lock_path,
                    problem,
                    lock_path,
                    _FIX_DIRECTORY,
                    logger=log(),
                )
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
    def _acquire_file_lock(lock_path: str, wait: float) -> BaseFileLock | None:
        import filelock

        # OS locks (fcntl/msvcrt) die with their process, so a crashed holder never blocks anyone;
        # the lock file itself stays (SoftFileLock would not have that property).
        lock = filelock.FileLock(lock_path, mode=_posix.FILE_MODE)
        try:
            lock.acquire(timeout=wait)
        except filelock.Timeout:
            log().info("waited %.1f s for the cache lock %s; going on without it", wait, lock_path)
            return None
        except OSError as exc:
            log().warning("cannot take the cache lock %s: %s", lock_path, exc.strerror or exc)
            return None
        return lock

    # -- clear and info --------------------------------------------------------------------------

    def _directories(self) -> list[str]:
        """Every directory this store may have written to, without creating any."""
        found = [self._primary]
        fallback, _ = _fallback()
        if (
            fallback is not None
            and fallback != self._primary
            and os.path.lexists(fallback)
            and not _posix.directory_problem(fallback, private=True)
        ):
            found.append(fallback)
        return found

    def clear(self, *, dry_run: bool = False) -> ClearReport:
        from pathlib import Path

        from ._info import ClearReport

        if self._memory is not None:
            self._memory.clear(dry_run=dry_run)
        removed: list[Path] = []
        kept: list[tuple[Path, str]] = []
        for directory in self._directories():
            private = _is_private(directory)
            names = [self._file_in(directory), os.path.join(directory, LOCK_FILENAME)]
            names += _posix.temp_files(directory, CACHE_FILENAME)
            set_aside = _posix.names_like(directory, LOCK_FILENAME + _posix.BROKEN_INFIX)
            for path in set_aside:  # reported, never removed: someone put it there
                kept.append(
                    (
                        Path(path),
                        "a directory found at the lock path and set aside; look at it, then "
                        "remove it by hand",
                    )
                )
            for path in names:
                problem = _removable(path, private)
                if problem is None:
                    continue  # nothing there
                if problem:
                    kept.append((Path(path), problem))
                    continue
                if not dry_run:
                    try:
                        os.unlink(path)
                    except FileNotFoundError:
                        continue
                    except OSError as exc:
                        kept.append((Path(path), f"cannot remove it: {exc.strerror or exc}"))
                        continue
                removed.append(Path(path))
        for left, why in kept:
            log().warning("not removing %s: %s", left, why)
        return ClearReport(tuple(removed), tuple(kept), dry_run)

    def info(self, *, max_age: timedelta | None = None, now: datetime | None = None) -> CacheInfo:
        import dataclasses

        moment = aware(now or self._clock())
        if self._resolved and self._directory is None:
            held = self._memory_store().info(max_age=max_age, now=moment)
            return dataclasses.replace(held, mode=self.mode)
        from pathlib import Path

        problems = tuple(self._problems())
        first: CacheInfo | None = None
        for directory in self._directories():
            path = self._file_in(directory)
            catalog, size, reason = self._read(path, log_level="quiet")
            found = info_of(
                self.mode,
                Path(path),
                catalog,
                size=size,
                max_age=max_age,
                now=moment,
                reason=reason,
                problems=problems,
            )
            if found.exists and (found.valid or first is None):
                if found.valid:
                    return found
                first = found
        if first is not None:
            return first
        return info_of(
            self.mode,
            self.path,
            None,
            size=None,
            max_age=None,
            now=moment,
            reason="",
            problems=problems,
        )

    def _problems(self) -> Iterator[str]:
        """What would stop this store caching, each with its fix (checked, never repaired)."""
        primary = self._primary
        if os.path.lexists(primary):
            problem = _posix.directory_problem(primary)
            if problem:
                yield f"cache directory {primary}: {problem}; {_FIX_DIRECTORY}"
        lock_path = os.path.join(primary, LOCK_FILENAME)
        if os.path.lexists(lock_path):
            problem, _ = _posix.lock_problem(lock_path, create=False)
            if problem:
                where = "replaced on the next refresh" if _is_private(primary) else "remove it"
                yield f"cache lock {lock_path}: {problem} ({where})"


def _removable(path: str, private: bool) -> str | None:
    """None when nothing is at ``path``; "" when clear may remove it; else why it may not.

    In a private directory (this user's, nobody else can write) every name this store uses is
    this user's to remove: another user's file there (left by ``sudo -E``), a symlink, a FIFO.
    Unlinking removes only the name. Elsewhere only this user's own regular files are removed.
    """
    import stat

    try:
        info = os.lstat(path)
    except OSError:
        return None
    if stat.S_ISDIR(info.st_mode):
        return "it is a directory, which this package never creates there; remove it by hand"
    if private:
        return ""
    if not stat.S_ISREG(info.st_mode):
        return "it is not a regular file, and the directory is not private to this user"
    if _posix.POSIX and info.st_uid != os.geteuid():
        return f"it is owned by uid {info.st_uid}, and the directory is not private to this user"
    return ""
