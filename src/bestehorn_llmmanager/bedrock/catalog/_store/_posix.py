"""File safety for the cache: trusted directories and files, safe reads, atomic writes, cleanup.

Every check here is about who can change a path, never about what a catalog means: no policy, no
decoding, no logging (callers log the reason strings returned here). Trust follows ssh and sudo:
a path is trusted when it is owned by this user or by root and nobody else can write it.

Only the read half (``read_trusted``) is on the warm path, so this module imports nothing beyond
``os``, ``stat`` and ``errno``; writing pulls in nothing heavier either (no tempfile, no shutil).
"""

from __future__ import annotations

import errno
import os
import stat

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "DIRECTORY_MODE",
    "FILE_MODE",
    "TEMP_SUFFIX",
    "directory_problem",
    "prepare_directory",
    "read_trusted",
    "remove_stale_temps",
    "repair_lock_file",
    "write_atomic",
]

#: Permission bits of a cache directory this package creates, and of the files it writes.
DIRECTORY_MODE = 0o700
FILE_MODE = 0o600

#: write_atomic's temporary files are ``.<name>.<random>.tmp`` next to their target.
TEMP_SUFFIX = ".tmp"

#: A temporary file older than this (against a file written now) belongs to a killed writer.
STALE_TEMP_SECONDS = 300.0

POSIX = os.name == "posix"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
# O_NONBLOCK: opening a FIFO planted at a path must not wait for a writer.
_READ_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC
# Reading through a directory descriptor (openat) checks the directory and the file as one pair:
# nobody can swap the directory between the two checks.
_DIR_FD = POSIX and os.open in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")


def _euid() -> int:
    return os.geteuid() if POSIX else 0


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def owner_problem(info: os.stat_result, what: str = "it") -> str:
    """Why a path with ``info`` is not trusted (empty when it is): owner and write bits.

    Owned by this user or by root (a cache baked into an image by root, read by ``USER app``),
    and writable by nobody else.
    """
    if not POSIX:
        return ""
    if info.st_uid not in (_euid(), 0):
        return f"{what} is owned by uid {info.st_uid}, neither this user nor root"
    if info.st_mode & 0o022:
        return f"group or others can write {what} (mode {stat.S_IMODE(info.st_mode):o})"
    return ""


def directory_problem(directory: str, *, private: bool = False) -> str:
    """Why ``directory`` is not a trusted cache directory (empty when it is). Creates nothing.

    ``private`` (the per-user fallback under the temp dir, where anyone may plant a name): no
    symlink, and owned by this user. Otherwise a symlink is followed (a home on another disk) and
    the directory it reaches is checked, so a link to an attacker's directory is refused too.
    """
    try:
        info = os.lstat(directory) if private else os.stat(directory)
    except OSError as exc:
        return f"cannot inspect it ({_why(exc)})"
    if stat.S_ISLNK(info.st_mode):
        return "it is a symlink"
    if not stat.S_ISDIR(info.st_mode):
        return "it is not a directory"
    if POSIX and private and info.st_uid != _euid():
        return f"it is owned by uid {info.st_uid}, not by this user"
    return owner_problem(info)


def writable(directory: str) -> bool:
    if os.access in os.supports_effective_ids:
        return os.access(directory, os.W_OK | os.X_OK, effective_ids=True)
    return os.access(directory, os.W_OK | os.X_OK)


def prepare_directory(directory: str, *, private: bool, anchor: str | None = None) -> str:
    """Create ``directory`` (0700) if needed and check it; empty when it is usable, else why not.

    ``private``: create only the last component (its parent, the temp dir, must exist).
    ``anchor``: a directory that must already exist for ``directory`` to be created under it (the
    home directory: a read never creates one, and neither does a write).
    """
    try:
        if private:
            try:  # noqa: SIM105 (contextlib is not imported on this path)
                os.mkdir(directory, DIRECTORY_MODE)
            except FileExistsError:
                pass
        else:
            missing_home = anchor is not None and not os.path.isdir(anchor)
            if missing_home and not os.path.isdir(directory):
                return f"its home directory {anchor} does not exist"
            os.makedirs(directory, DIRECTORY_MODE, exist_ok=True)
    except OSError as exc:
        return f"cannot create it: {_why(exc)}"
    problem = directory_problem(directory, private=private)
    if problem:
        return problem
    if not writable(directory):
        return "this user cannot write to it"
    return ""


def usable_or_creatable(directory: str, *, private: bool, anchor: str | None = None) -> str:
    """What :func:`prepare_directory` would say, creating nothing: empty when ``directory`` is
    usable as it is, or could be created (its nearest existing ancestor is writable)."""
    if os.path.lexists(directory):
        problem = directory_problem(directory, private=private)
        if not problem and not writable(directory):
            problem = "this user cannot write to it"
        return problem
    if private:
        parent = os.path.dirname(directory)
        return "" if writable(parent) else f"cannot create it in {parent}"
    if anchor is not None and not os.path.isdir(anchor):
        return f"its home directory {anchor} does not exist"
    probe = directory
    while not os.path.lexists(probe):
        parent = os.path.dirname(probe)
        if parent == probe:
            return "no ancestor of it exists"
        probe = parent
    if not os.path.isdir(probe) or not writable(probe):
        return f"cannot create it under {probe}"
    return ""


def _read_fd(fd: int, size: int, limit: int) -> bytes:
    """Everything in ``fd``, up to just past ``limit``.

    One read of the size fstat gave (plus one byte), then on to the end of the file, which may
    have changed since; no buffered file object, which costs more than the read itself here.
    """
    parts = []
    total = 0
    chunk = os.read(fd, max(size, 0) + 1)
    while chunk:
        parts.append(chunk)
        total += len(chunk)
        if total > limit:
            break
        chunk = os.read(fd, 1 << 16)
    return b"".join(parts)


def read_trusted(path: str, limit: int) -> tuple[bytes | None, int | None, str, str, bool]:
    """Read a trusted regular file: (data or None, size or None, why not, fix, of the directory).

    Refuses, without reading, a symlink, anything but a regular file, a file or directory that
    someone other than this user or root can change, and a file over ``limit`` bytes. A missing
    file is (None, None, "", ""). ``fix`` is set for a refusal that hints at tampering or a
    permission mistake (worth a warning): what the user can run to fix it. The last item is
    True when the refusal is about the directory, not the file.
    """
    directory, name = os.path.split(path)
    dir_fd = -1
    try:
        if _DIR_FD:
            dir_fd = os.open(directory or ".", _DIR_FLAGS)
            problem = owner_problem(os.fstat(dir_fd), "its directory")
            if problem:
                return None, None, problem, f"run `chmod go-w {directory}`", True
            fd = os.open(name, _READ_FLAGS | _CLOEXEC, dir_fd=dir_fd)
        else:
            if not _NOFOLLOW and os.path.islink(path):
                return None, None, "it is a symlink", f"remove the link `{path}`", False
            fd = os.open(path, _READ_FLAGS)
    except (FileNotFoundError, NotADirectoryError):
        return None, None, "", "", False
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK) and os.path.islink(path):
            return None, None, "it is a symlink", f"remove the link `{path}`", False
        if exc.errno in (errno.EACCES, errno.EPERM):
            # Typically a cache written by root at image build time (0600) read by `USER app`:
            # it would be refused silently on every start, so it is worth a warning and the fix.
            fix = f"if it was written at build time, make it readable (`chmod 644 {path}`)"
            return None, None, f"cannot read it: {_why(exc)}", fix, False
        return None, None, f"cannot read it: {_why(exc)}", "", False
    finally:
        if dir_fd >= 0:
            os.close(dir_fd)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, None, "it is not a regular file", "", False
        problem = owner_problem(info)
        if problem:
            if info.st_mode & 0o022 and info.st_uid in (_euid(), 0):
                fix = f"run `chmod 600 {path}` if you trust it, or remove it"
            else:
                fix = f"remove it (`bedrock-catalog cache clear`, or `rm {path}`)"
            return None, info.st_size, problem, fix, False
        if info.st_size > limit:
            return None, info.st_size, f"{info.st_size} bytes is too big to be a catalog", "", False
        data = _read_fd(fd, info.st_size, limit)
    except OSError as exc:
        return None, None, f"cannot read it: {_why(exc)}", "", False
    finally:
        os.close(fd)
    return data, len(data), "", "", False


def write_atomic(path: str | os.PathLike[str], data: bytes, *, mode: int = FILE_MODE) -> float:
    """Replace ``path`` with ``data`` atomically (temp file in the same directory, fsync, replace).

    A reader never sees a partial file, and a symlink at ``path`` is replaced, never written
    through. The new file has permission bits ``mode``. Returns the new file's mtime (the
    filesystem's own clock, which is what stale temporary files are compared against).
    """
    target = os.fspath(path)
    directory, name = os.path.split(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | getattr(os, "O_BINARY", 0)
    while True:
        temp = os.path.join(directory, f".{name}.{os.urandom(6).hex()}{TEMP_SUFFIX}")
        try:
            fd = os.open(temp, flags, mode)
            break
        except FileExistsError:  # 48 random bits taken: try another name
            continue
    try:
        try:
            if hasattr(os, "fchmod"):  # the umask may have cleared bits of ``mode``
                os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
            written = os.fstat(fd).st_mtime
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException:
        try:  # noqa: SIM105 (contextlib is not imported on this path)
            os.unlink(temp)
        except OSError:
            pass
        raise
    if POSIX:
        # Make the rename itself durable; best effort (some filesystems refuse a dir fsync).
        try:
            dir_fd = os.open(directory or ".", _DIR_FLAGS)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError:
            pass
    return written


def remove_stale_temps(
    directory: str, name: str, *, now: float, older_than: float = STALE_TEMP_SECONDS
) -> list[str]:
    """Remove this user's temporary files for ``name`` last modified ``older_than`` before ``now``.

    ``now`` is a time from the same filesystem (a file just written), so clock skew between hosts
    sharing the directory does not matter. A younger temp file may be a live writer's: kept.
    Returns the removed paths; errors are skipped (another process may be cleaning too).
    """
    prefix = f".{name}."
    removed: list[str] = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for entry in names:
        if not (entry.startswith(prefix) and entry.endswith(TEMP_SUFFIX)):
            continue
        path = os.path.join(directory, entry)
        try:
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode) or (POSIX and info.st_uid != _euid()):
                continue
            if now - info.st_mtime < older_than:
                continue
            os.unlink(path)
        except OSError:
            continue
        removed.append(path)
    return removed


def names_like(directory: str, prefix: str, suffix: str = "") -> list[str]:
    """Every entry of ``directory`` named ``<prefix>...<suffix>`` (sorted paths; no checks)."""
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    return sorted(
        os.path.join(directory, n) for n in names if n.startswith(prefix) and n.endswith(suffix)
    )


def temp_files(directory: str, name: str) -> list[str]:
    """Every temporary-file name of ``name`` in ``directory`` (sorted; no checks)."""
    return names_like(directory, f".{name}.", TEMP_SUFFIX)


#: What repair_lock_file renames a directory found at the lock path to: ``<lock>.broken-<hex>``.
BROKEN_INFIX = ".broken-"


def lock_problem(path: str, *, create: bool = True) -> tuple[str, bool]:
    """(why the lock file at ``path`` is unusable or "", whether it exists). ``create``: create
    it (0600) if absent, and check the descriptor too.

    filelock opens the lock path itself: 3.x with O_TRUNC, and before 3.20.1 following symlinks
    (pyproject allows >=3.12). A symlink or a hard link planted there would have it truncate
    another file (as root: any file). So the path must already be this user's own regular file,
    with one link and read-write for this user, when filelock opens it.
    """
    flags = os.O_RDONLY | os.O_CREAT | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | _CLOEXEC
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        return f"cannot inspect it: {_why(exc)}", True
    if info is not None:
        problem = _lock_file_problem(info)
        if problem:
            return problem, True
    if not create:
        return "", info is not None
    try:
        fd = os.open(path, flags, FILE_MODE)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK) and os.path.islink(path):
            return "it is a symlink", True
        return f"cannot open it: {_why(exc)}", info is not None
    try:
        again = os.fstat(fd)
    finally:
        os.close(fd)
    # Checked again on the descriptor: a name swapped in between must not pass.
    return _lock_file_problem(again), True


def _lock_file_problem(info: os.stat_result) -> str:
    """Why a lock file with ``info`` (from lstat or fstat) is unusable; empty when it is fine."""
    if stat.S_ISLNK(info.st_mode):
        return "it is a symlink"
    if not stat.S_ISREG(info.st_mode):
        return "it is not a regular file"
    if POSIX and info.st_uid != _euid():
        return f"it is owned by uid {info.st_uid}, not by this user"
    if POSIX and info.st_nlink != 1:
        return f"it has {info.st_nlink} hard links"
    if POSIX and stat.S_IMODE(info.st_mode) & 0o600 != 0o600:
        return f"this user cannot read and write it (mode {stat.S_IMODE(info.st_mode):o})"
    return ""


def repair_lock_file(path: str, *, private_directory: bool, note: Callable[[str], None]) -> str:
    """Make ``path`` a usable lock file; empty when it is one, else why not (with the fix).

    In a directory that this user owns and nobody else can write (``private_directory``), an
    unusable lock (another user's, mode 000, a symlink, a hard link, a FIFO, a directory) is
    moved out of the way and a fresh one created: only this user can have put anything there
    besides root, and nothing is written through the old entry. Elsewhere the lock is left as
    it is and the reason returned. ``note`` is told what was repaired.
    """
    problem, _exists = lock_problem(path)
    if not problem or not private_directory:
        return problem
    try:
        info = os.lstat(path)
        if stat.S_ISDIR(info.st_mode):
            # Never delete what someone put there: a directory is set aside, whole.
            aside = f"{path}{BROKEN_INFIX}{os.urandom(4).hex()}"
            os.rename(path, aside)
            note(f"moved the directory found at the lock path aside to {aside}")
        else:
            # Unlinking a name removes only the name: a hard link's target, a symlink's target,
            # and another user's file opened elsewhere all stay untouched.
            os.unlink(path)
            note(f"replaced an unusable lock file ({problem})")
    except FileNotFoundError:
        pass
    except OSError as exc:
        return f"{problem}, and it cannot be replaced: {_why(exc)}"
    again, _ = lock_problem(path)
    return again
