"""The cache store: modes, validation on read, safe writes, fallbacks, locks, clear and info."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import filelock
import pytest

from bestehorn_llmmanager.bedrock.catalog import _fileformat as fileformat
from bestehorn_llmmanager.bedrock.catalog import _store as store_module
from bestehorn_llmmanager.bedrock.catalog._catalog import Catalog
from bestehorn_llmmanager.bedrock.catalog._constants import (
    APP_NAME,
    CACHE_FILENAME,
    ENV_CACHE_DIR,
    PARTIAL_CACHE_MAX_AGE,
    SCHEMA_VERSION,
)
from bestehorn_llmmanager.bedrock.catalog._fileformat import encode
from bestehorn_llmmanager.bedrock.catalog._store import (
    LOCK_FILENAME,
    CacheMode,
    FileStore,
    MemoryStore,
    NoStore,
    default_cache_dir,
    fallback_cache_dir,
    open_store,
)
from bestehorn_llmmanager.bedrock.catalog._transform import build_catalog
from bestehorn_llmmanager.bedrock.catalog._types import (
    CatalogSource,
    FetchResult,
    RegionAnswer,
    RegionOutcome,
    RegionStatus,
)
from tests.conftest import WORLD_SMALL

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)
DAY = timedelta(hours=24)
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def make_catalog(
    regions: tuple[str, ...] = REGIONS,
    *,
    requested: tuple[str, ...] | None = None,
    retrieved_at: datetime = T0,
    failed: tuple[str, ...] = (),
) -> Catalog:
    """A small catalog built by the real transform from the world_small answers."""
    answers = {}
    for region in regions:
        if region in failed:
            outcome = RegionOutcome(region, RegionStatus.FAILED, "ThrottlingException", "slow")
            answers[region] = RegionAnswer(region, outcome)
            continue
        models = json.loads((WORLD_SMALL / region / "list-foundation-models.json").read_text())
        profiles = json.loads((WORLD_SMALL / region / "list-inference-profiles.json").read_text())
        answers[region] = RegionAnswer(
            region,
            RegionOutcome(region, RegionStatus.OK),
            tuple(models["modelSummaries"]),
            tuple(profiles["inferenceProfileSummaries"]),
        )
    return build_catalog(FetchResult(retrieved_at, answers, requested))


class Clock:
    """An injected clock the tests move by hand."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Fallbacks land in this test's temp dir; memory and warn-once state start empty."""
    temp = tmp_path / "systemp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    store_module.process_state.reset()
    yield temp
    store_module.process_state.reset()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def file_store(cache_dir: Path, clock: Clock) -> FileStore:
    store = open_store("file", cache_dir, clock=clock)
    assert isinstance(store, FileStore)
    return store


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return make_catalog()


@pytest.fixture(scope="module")
def good_bytes(catalog: Catalog) -> bytes:
    return encode(catalog)


def records(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == level]


# modes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("file", CacheMode.FILE),
        ("FILE", CacheMode.FILE),
        ("Memory", CacheMode.MEMORY),
        (" none ", CacheMode.NONE),
        (CacheMode.MEMORY, CacheMode.MEMORY),
    ],
)
def test_cache_mode_accepts_its_names_in_any_case(text: Any, mode: CacheMode) -> None:
    assert CacheMode(text) is mode
    assert open_store(text).mode is mode


@pytest.mark.parametrize("bad", ["disk", "", "files", None, 3])
def test_cache_mode_rejects_anything_else_listing_the_valid_modes(bad: Any) -> None:
    with pytest.raises(ValueError, match="is not a cache mode") as error:
        CacheMode(bad)
    assert "'file', 'memory', 'none'" in str(error.value)
    assert str(error.value).startswith(f"cache_mode: {bad!r}")


def test_open_store_does_no_io(tmp_path: Path) -> None:
    target = tmp_path / "not" / "yet"
    for mode in ("file", "memory", "none"):
        open_store(mode, target)
    assert not (tmp_path / "not").exists()
    assert open_store("file", target).path == target / CACHE_FILENAME


def test_cache_directory_accepts_pathlike_and_expands_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert open_store("file", "~/c").path == tmp_path / "home" / "c" / CACHE_FILENAME
    assert open_store("file", tmp_path / "p").path == tmp_path / "p" / CACHE_FILENAME
    with pytest.raises(ValueError, match="cache_directory"):
        open_store("file", 42)  # type: ignore[arg-type]


def test_default_directory_is_the_platform_cache_dir_unless_overridden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs

    expected = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    assert default_cache_dir() == expected
    assert open_store("file").path == expected.absolute() / CACHE_FILENAME
    monkeypatch.setenv(ENV_CACHE_DIR, str(tmp_path / "override"))
    assert default_cache_dir() == tmp_path / "override"
    assert open_store("file").path == tmp_path / "override" / CACHE_FILENAME


# FILE: round trip, permissions, atomicity -----------------------------------------------------


def test_save_then_load_returns_the_catalog_marked_as_cache(
    file_store: FileStore, cache_dir: Path, catalog: Catalog
) -> None:
    assert file_store.load(None, max_age=DAY) is None
    assert file_store.save(catalog)
    loaded = file_store.load(None, max_age=DAY)
    assert loaded is not None
    assert loaded.metadata.source is CatalogSource.CACHE
    assert loaded.metadata.cache_path == cache_dir / CACHE_FILENAME
    assert encode(loaded, generated_at=T0) == encode(catalog, generated_at=T0)


@POSIX_ONLY
def test_directory_is_0700_file_is_0600_and_no_temp_file_is_left(
    file_store: FileStore, cache_dir: Path, catalog: Catalog
) -> None:
    assert file_store.save(catalog)
    assert file_store.save(catalog)  # replacing an existing file too
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((cache_dir / CACHE_FILENAME).stat().st_mode) == 0o600
    assert sorted(os.listdir(cache_dir)) == [CACHE_FILENAME]


def test_save_never_raises_and_reports_false(
    file_store: FileStore, cache_dir: Path, catalog: Catalog, caplog: pytest.LogCaptureFixture
) -> None:
    (cache_dir / CACHE_FILENAME).mkdir(parents=True)  # a directory where the file should be
    assert file_store.save(catalog) is False
    assert any("could not write" in m for m in records(caplog, logging.WARNING))


# the corrupt-file corpus ----------------------------------------------------------------------


def _truncate(data: bytes, *, tenths: int) -> bytes:
    return data[: len(data) * tenths // 10]


def _schema(version: int) -> bytes:
    return b'"schema_version":%d' % version


_SCHEMA = _schema(SCHEMA_VERSION)


def _replace_header(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data
    return data.replace(old, new, 1)


def _flip_payload_byte(data: bytes) -> bytes:
    at = data.index(b'"models":') + 40  # inside the first model entry
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def _wrong_checksum(data: bytes) -> bytes:
    digest = json.loads(data)["sha256"]
    return _replace_header(data, digest.encode(), hashlib.sha256(b"other").hexdigest().encode())


def _wrong_shape(data: bytes) -> bytes:
    body = b'{"models":5}'
    head = json.loads(data)
    head["sha256"] = hashlib.sha256(body).hexdigest()
    del head["payload"]
    return json.dumps(head, separators=(",", ":")).encode()[:-1] + b',"payload":' + body + b"}"


CORRUPTIONS: dict[str, Callable[[bytes], bytes]] = {
    **{
        f"truncated-{tenth * 10}%": functools.partial(_truncate, tenths=tenth)
        for tenth in range(10)
    },
    "truncated-one-byte-short": lambda d: d[:-2],
    "flipped-payload-byte": _flip_payload_byte,
    "wrong-checksum": _wrong_checksum,
    "older-schema": lambda d: _replace_header(d, _SCHEMA, _schema(SCHEMA_VERSION - 1)),
    "future-schema": lambda d: _replace_header(d, _SCHEMA, _schema(SCHEMA_VERSION + 1)),
    "not-json": lambda d: b"this is not JSON \x00\xff",
    "json-array": lambda d: b"[1, 2, 3]",
    "json-wrong-format-marker": lambda d: b'{"format": "something else", "payload": {}}',
    "json-wrong-payload-shape": _wrong_shape,
    "empty": lambda d: b"",
}


@pytest.mark.parametrize("corrupt", list(CORRUPTIONS), ids=list(CORRUPTIONS))
def test_corrupt_file_is_a_logged_miss_and_the_next_save_repairs_it(
    corrupt: str,
    file_store: FileStore,
    cache_dir: Path,
    catalog: Catalog,
    good_bytes: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger=store_module.__name__)
    cache_dir.mkdir(mode=0o700)
    path = cache_dir / CACHE_FILENAME
    bad = CORRUPTIONS[corrupt](good_bytes)
    assert bad != good_bytes
    path.write_bytes(bad)
    path.chmod(0o600)

    assert file_store.load(None, max_age=DAY) is None
    assert file_store.load(None, max_age=DAY, allow_expired=True) is None
    assert any("ignoring the catalog cache" in m for m in records(caplog, logging.INFO))
    info = file_store.info()
    assert info.exists and not info.valid and info.reason

    assert file_store.save(catalog)
    assert file_store.load(None, max_age=DAY) is not None


def test_directory_where_the_file_should_be_is_a_miss(
    file_store: FileStore, cache_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=store_module.__name__)
    (cache_dir / CACHE_FILENAME).mkdir(parents=True)
    assert file_store.load(None, max_age=DAY) is None
    assert any("not a regular file" in m for m in records(caplog, logging.INFO))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_where_the_file_should_be_is_a_miss_without_blocking(
    file_store: FileStore, cache_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=store_module.__name__)
    cache_dir.mkdir()
    os.mkfifo(cache_dir / CACHE_FILENAME, 0o600)
    assert file_store.load(None, max_age=DAY) is None  # returns at once: nobody ever writes it
    assert any("not a regular file" in m for m in records(caplog, logging.INFO))


def test_oversized_file_is_a_miss_without_being_read(
    file_store: FileStore,
    cache_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    good_bytes: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=store_module.__name__)
    cache_dir.mkdir()
    path = cache_dir / CACHE_FILENAME
    path.write_bytes(good_bytes)
    path.chmod(0o600)
    monkeypatch.setattr(fileformat, "MAX_FILE_BYTES", len(good_bytes) - 1)
    assert file_store.load(None, max_age=DAY) is None
    assert any("too big" in m for m in records(caplog, logging.INFO))


@pytest.mark.parametrize("stat_size", [0, 10, -1, 10**6])
def test_a_file_whose_size_changed_after_fstat_is_read_to_its_end(
    stat_size: int,
    file_store: FileStore,
    cache_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    good_bytes: bytes,
    catalog: Catalog,
) -> None:
    # The size fstat reports only sizes the first read: a file that grew (or shrank) between
    # fstat and read is still read whole, so a good file is never cut short into a "corrupt" one.
    cache_dir.mkdir()
    path = cache_dir / CACHE_FILENAME
    path.write_bytes(good_bytes)
    path.chmod(0o600)
    real_fstat = os.fstat
    size = len(good_bytes) - 1 if stat_size == -1 else stat_size

    def fstat(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        fields = list(info)
        fields[stat.ST_SIZE] = size
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", fstat)
    loaded = file_store.load(None, max_age=DAY)
    assert loaded is not None
    assert sorted(loaded.models) == sorted(catalog.models)


def test_symlinked_cache_file_is_refused_with_a_warning(
    file_store: FileStore,
    cache_dir: Path,
    tmp_path: Path,
    good_bytes: bytes,
    catalog: Catalog,
    caplog: pytest.LogCaptureFixture,
) -> None:
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(good_bytes)
    elsewhere.chmod(0o600)
    cache_dir.mkdir()
    (cache_dir / CACHE_FILENAME).symlink_to(elsewhere)

    assert file_store.load(None, max_age=DAY) is None
    assert any("symlink" in m for m in records(caplog, logging.WARNING))
    # Saving replaces the link itself and never writes through it.
    assert file_store.save(catalog)
    assert not (cache_dir / CACHE_FILENAME).is_symlink()
    assert elsewhere.read_bytes() == good_bytes


@POSIX_ONLY
@pytest.mark.skipif(not IS_ROOT, reason="chown to another user needs root")
def test_file_owned_by_another_user_is_refused_with_a_warning(
    file_store: FileStore, cache_dir: Path, good_bytes: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    cache_dir.mkdir()
    path = cache_dir / CACHE_FILENAME
    path.write_bytes(good_bytes)
    path.chmod(0o600)
    os.chown(path, 12345, 12345)

    assert file_store.load(None, max_age=DAY) is None
    assert any("owned by uid 12345" in m for m in records(caplog, logging.WARNING))


@POSIX_ONLY
@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666])
def test_group_or_world_writable_file_is_refused_with_a_warning(
    mode: int,
    file_store: FileStore,
    cache_dir: Path,
    good_bytes: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    cache_dir.mkdir()
    path = cache_dir / CACHE_FILENAME
    path.write_bytes(good_bytes)
    path.chmod(mode)

    assert file_store.load(None, max_age=DAY) is None
    assert any("group or others can write" in m for m in records(caplog, logging.WARNING))
    path.chmod(0o600)
    assert file_store.load(None, max_age=DAY) is not None


# expiry -------------------------------------------------------------------------------------


def test_expiry_follows_the_injected_clock(
    file_store: FileStore, catalog: Catalog, clock: Clock
) -> None:
    assert file_store.save(catalog)
    clock.now = T0 + DAY - timedelta(seconds=1)
    assert file_store.load(None, max_age=DAY) is not None
    clock.now = T0 + DAY
    assert file_store.load(None, max_age=DAY) is None
    assert file_store.load(None, max_age=DAY, now=T0) is not None  # now= beats the clock


def test_allow_expired_returns_an_intact_expired_catalog_as_stale_cache(
    file_store: FileStore, catalog: Catalog, clock: Clock
) -> None:
    assert file_store.save(catalog)
    clock.now = T0 + timedelta(days=30)
    stale = file_store.load(None, max_age=DAY, allow_expired=True)
    assert stale is not None
    assert stale.metadata.source is CatalogSource.STALE_CACHE
    fresh = file_store.load(None, max_age=DAY, allow_expired=True, now=T0)
    assert fresh is not None and fresh.metadata.source is CatalogSource.CACHE
    # Expired or not, it must still cover the regions.
    assert file_store.load(("us-east-2",), max_age=DAY, allow_expired=True) is None


def test_catalog_from_the_future_is_not_fresh(file_store: FileStore, clock: Clock) -> None:
    assert file_store.save(make_catalog(retrieved_at=T0 + timedelta(days=2)))
    assert file_store.load(None, max_age=DAY) is None
    clock.now = T0 + timedelta(days=2) - timedelta(minutes=1)  # a minute of skew is fine
    assert file_store.load(None, max_age=DAY) is not None


@pytest.mark.parametrize("kind", ["failed-region", "stale-region"])
def test_partial_catalog_expires_after_an_hour_whatever_the_max_age(
    kind: str, file_store: FileStore, clock: Clock
) -> None:
    if kind == "failed-region":
        partial = make_catalog(failed=("eu-west-1",))
        assert partial.metadata.regions_failed
    else:
        partial = make_catalog().with_metadata(stale_regions=("eu-west-1",))
    assert file_store.save(partial)
    clock.now = T0 + PARTIAL_CACHE_MAX_AGE - timedelta(minutes=1)
    assert file_store.load(None, max_age=DAY) is not None
    clock.now = T0 + PARTIAL_CACHE_MAX_AGE
    assert file_store.load(None, max_age=DAY) is None
    stale = file_store.load(None, max_age=DAY, allow_expired=True)
    assert stale is not None and stale.metadata.source is CatalogSource.STALE_CACHE
    # A shorter max age still wins.
    clock.now = T0 + timedelta(minutes=10)
    assert file_store.load(None, max_age=timedelta(minutes=5)) is None


# coverage -----------------------------------------------------------------------------------


@pytest.mark.parametrize("store_factory", ["file", "memory"])
def test_default_region_file_serves_the_default_set_and_any_subset(
    store_factory: str, cache_dir: Path, clock: Clock
) -> None:
    store = open_store(store_factory, cache_dir, clock=clock)
    assert store.save(make_catalog(requested=None))
    assert store.load(None, max_age=DAY) is not None
    assert store.load(("us-east-1", "eu-west-1"), max_age=DAY) is not None
    assert store.load(("us-east-1", "sa-east-1"), max_age=DAY) is None


@pytest.mark.parametrize("store_factory", ["file", "memory"])
def test_explicit_region_file_serves_subsets_only(
    store_factory: str, cache_dir: Path, clock: Clock
) -> None:
    two = ("us-east-1", "us-west-2")
    store = open_store(store_factory, cache_dir, clock=clock)
    assert store.save(make_catalog(two, requested=two))
    assert store.load(two, max_age=DAY) is not None
    assert store.load(("us-west-2", "us-east-1"), max_age=DAY) is not None
    assert store.load(("us-west-2",), max_age=DAY) is not None  # subset: hit
    assert store.load(("us-east-1", "eu-west-1"), max_age=DAY) is None  # superset: miss
    assert store.load(None, max_age=DAY) is None  # written for explicit regions, not the default


@pytest.mark.parametrize("store_factory", ["file", "memory"])
def test_a_subset_is_served_only_where_the_larger_catalog_holds_data(
    store_factory: str, cache_dir: Path, clock: Clock
) -> None:
    # Fetched for three regions, us-east-1 failed (no older data kept): for the three, that is
    # the answer (a partial catalog, kept briefly); for a subset with us-east-1 it is no answer
    # at all, and would read as "no models in us-east-1". So that subset is a miss.
    three = ("us-east-1", "us-west-2", "eu-west-1")
    store = open_store(store_factory, cache_dir, clock=clock)
    assert store.save(make_catalog(three, requested=three, failed=("us-east-1",)))
    assert store.load(three, max_age=DAY) is not None
    assert store.load(("us-west-2", "eu-west-1"), max_age=DAY) is not None
    assert store.load(("us-east-1",), max_age=DAY) is None
    assert store.load(("us-east-1", "us-west-2"), max_age=DAY) is None


def test_a_subset_is_served_where_failed_regions_kept_their_older_data(
    cache_dir: Path, clock: Clock
) -> None:
    three = ("us-east-1", "us-west-2", "eu-west-1")
    partial = make_catalog(three, requested=three, failed=("us-east-1",))
    stale = partial.with_metadata(stale_regions=("us-east-1",))
    store = open_store("file", cache_dir, clock=clock)
    assert store.save(stale)
    assert store.load(("us-east-1",), max_age=DAY) is not None


# MEMORY and NONE ------------------------------------------------------------------------------


def test_memory_is_shared_by_every_instance_and_honours_max_age(clock: Clock) -> None:
    first, second = open_store("memory", clock=clock), open_store("memory", clock=clock)
    assert first.path is None
    assert second.load(None, max_age=DAY) is None
    assert first.save(make_catalog())
    found = second.load(None, max_age=DAY)
    assert found is not None and found.metadata.source is CatalogSource.CACHE
    clock.now = T0 + DAY
    assert second.load(None, max_age=DAY) is None
    stale = second.load(None, max_age=DAY, allow_expired=True)
    assert stale is not None and stale.metadata.source is CatalogSource.STALE_CACHE
    info = second.info(max_age=DAY)
    assert info.exists and not info.valid and info.regions == tuple(sorted(REGIONS))
    assert list(first.clear()) == [] and second.load(None, max_age=DAY, allow_expired=True) is None


def test_sixteen_threads_on_first_access_cause_one_load(clock: Clock) -> None:
    loads: list[int] = []
    catalogs: list[Catalog] = []
    start = threading.Barrier(16)
    errors: list[BaseException] = []

    def first_access(n: int) -> None:
        try:
            store = MemoryStore(clock=clock)  # a catalog instance each
            start.wait()
            found = store.load(None, max_age=DAY)
            if found is None:
                with store.lock(30) as locked:
                    assert locked
                    found = store.load(None, max_age=DAY)
                    if found is None:
                        loads.append(n)
                        found = make_catalog()
                        store.save(found)
            catalogs.append(found)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=first_access, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(loads) == 1
    assert len(catalogs) == 16
    assert len({tuple(c.models) for c in catalogs}) == 1


@contextlib.contextmanager
def lock_held_by_another_thread(store: Any) -> Iterator[None]:
    """Another thread holds ``store``'s lock for the duration of the block."""
    holder_has_it, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store.lock(5) as locked:
            assert locked
            holder_has_it.set()
            release.wait()

    thread = threading.Thread(target=hold)
    thread.start()
    holder_has_it.wait()
    try:
        yield
    finally:
        release.set()
        thread.join()


def test_memory_lock_times_out_to_false() -> None:
    store = MemoryStore(clock=Clock())
    with lock_held_by_another_thread(store), store.lock(0) as locked:
        assert locked is False
    with store.lock(0) as locked:
        assert locked is True


def test_none_mode_never_touches_the_disk(tmp_path: Path, catalog: Catalog) -> None:
    target = tmp_path / "none-dir"
    store = open_store("none", target)
    assert isinstance(store, NoStore)
    assert store.load(None, max_age=DAY) is None
    assert store.save(catalog) is False
    with store.lock(1) as locked:
        assert locked is True
    assert list(store.clear()) == []
    assert store.path is None and not store.info().exists
    assert not target.exists()
    assert os.listdir(tempfile.gettempdir()) == []


# unwritable directories -------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["file-as-parent", "file-as-directory"])
def test_unwritable_directory_falls_back_to_a_private_temp_dir(
    layout: str,
    tmp_path: Path,
    isolated: Path,
    catalog: Catalog,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("a regular file, not a directory")
    target = blocker / "sub" if layout == "file-as-parent" else blocker
    store = open_store("file", target, clock=clock)

    assert store.load(None, max_age=DAY) is None
    assert store.save(catalog)
    fallback = isolated / f"{APP_NAME}-{os.getuid() if hasattr(os, 'getuid') else ''}"
    assert fallback == fallback_cache_dir()
    assert store.path == fallback / CACHE_FILENAME
    assert (fallback / CACHE_FILENAME).is_file()
    if os.name == "posix":
        assert stat.S_IMODE(fallback.stat().st_mode) == 0o700
    warnings = [m for m in records(caplog, logging.WARNING) if "is not usable" in m]
    assert len(warnings) == 1
    assert str(target) in warnings[0] and str(fallback / CACHE_FILENAME) in warnings[0]

    # Another instance (a later process) finds the catalog in the fallback, warning no more.
    again = open_store("file", target, clock=clock)
    loaded = again.load(None, max_age=DAY)
    assert loaded is not None and loaded.metadata.cache_path == fallback / CACHE_FILENAME
    with again.lock(1) as locked:
        assert locked
    assert len([m for m in records(caplog, logging.WARNING) if "is not usable" in m]) == 1


@POSIX_ONLY
@pytest.mark.parametrize("problem", ["foreign-owner", "group-writable", "symlink"])
def test_unsafe_temp_fallback_is_refused_and_memory_is_used(
    problem: str,
    tmp_path: Path,
    isolated: Path,
    catalog: Catalog,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fallback = fallback_cache_dir()
    if problem == "foreign-owner":
        if not IS_ROOT:
            pytest.skip("chown to another user needs root")
        fallback.mkdir(mode=0o700)
        os.chown(fallback, 12345, 12345)
    elif problem == "group-writable":
        fallback.mkdir()
        fallback.chmod(0o770)
    else:
        (tmp_path / "attacker").mkdir()
        fallback.symlink_to(tmp_path / "attacker")
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    store = open_store("file", blocker / "sub", clock=clock)

    assert store.save(catalog)
    assert store.path is None
    assert store.load(None, max_age=DAY) is not None
    warnings = [m for m in records(caplog, logging.WARNING) if "in memory" in m]
    assert len(warnings) == 1 and str(fallback) in warnings[0]
    assert not list((tmp_path / "attacker").iterdir()) if problem == "symlink" else True
    info = store.info()
    assert info.exists and info.mode is CacheMode.FILE and info.path is None


_NOBODY_SCRIPT = textwrap.dedent(
    """
    import json, logging, os, sys, tempfile
    from datetime import timedelta
    import filelock  # imported before dropping privileges: /root is not readable by nobody
    from bestehorn_llmmanager.bedrock.catalog import _store as store_module
    from bestehorn_llmmanager.bedrock.catalog._fileformat import decode

    base, data = sys.argv[1], open(sys.argv[2], "rb").read()
    catalog = decode(data)
    messages = []
    handler = logging.Handler()
    handler.emit = lambda record: messages.append(record.getMessage())
    logging.getLogger(store_module.__name__).addHandler(handler)
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
    tempfile.tempdir = os.path.join(base, "systemp")
    results = {}
    for case, directory in (
        ("read-only-dir", os.path.join(base, "ro")),
        ("read-only-parent", os.path.join(base, "ro", "sub")),
    ):
        messages.clear()
        store = store_module.open_store("file", directory)
        first = store.load(None, max_age=timedelta(days=36500))
        saved = store.save(catalog)
        with store.lock(5) as locked:
            pass
        again = store_module.open_store("file", directory).load(
            None, max_age=timedelta(days=36500)
        )
        results[case] = {
            "first": first is not None,
            "saved": saved,
            "locked": locked,
            "path": str(store.path),
            "again": None if again is None else str(again.metadata.cache_path),
            "warnings": [m for m in messages if "is not usable" in m],
        }
    print(json.dumps(results))
    """
)


@pytest.mark.skipif(not IS_ROOT or os.name != "posix", reason="drops to uid 65534; needs root")
def test_read_only_directory_and_parent_fall_back_for_a_real_unprivileged_user(
    good_bytes: bytes,
) -> None:
    """Root ignores chmod, so this runs the store as ``nobody`` against real permissions."""
    base = Path(tempfile.mkdtemp(prefix="store-nobody-", dir="/tmp"))
    try:
        base.chmod(0o755)
        (base / "ro").mkdir(mode=0o755)  # root's: nobody can read it but not write it
        (base / "systemp").mkdir(mode=0o700)
        os.chown(base / "systemp", 65534, 65534)
        source = base / "catalog.json"
        source.write_bytes(good_bytes)
        source.chmod(0o644)
        src = Path(__file__).resolve().parents[1] / "src"
        env = {**os.environ, "PYTHONPATH": str(src), "HOME": str(base / "ro")}
        done = subprocess.run(
            [sys.executable, "-c", _NOBODY_SCRIPT, str(base), str(source)],
            capture_output=True,
            text=True,
            env=env,
            cwd=str(base),
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        results = json.loads(done.stdout)
        fallback = base / "systemp" / f"{APP_NAME}-65534" / CACHE_FILENAME
        for case, directory in (("read-only-dir", "ro"), ("read-only-parent", "ro/sub")):
            result = results[case]
            assert result["saved"] and result["locked"], (case, result)
            assert result["path"] == str(fallback)
            assert result["again"] == str(fallback)
            assert len(result["warnings"]) == 1, (case, result)
            assert str(base / directory) in result["warnings"][0]
            assert str(fallback) in result["warnings"][0]
        assert results["read-only-parent"]["first"]  # the fallback already held the catalog
        assert not (base / "ro" / "sub").exists()
        assert fallback.stat().st_uid == 65534
        assert stat.S_IMODE(fallback.parent.stat().st_mode) == 0o700
    finally:
        shutil.rmtree(base, ignore_errors=True)


# locking ----------------------------------------------------------------------------------------


def test_file_lock_held_elsewhere_times_out_to_false(
    file_store: FileStore, cache_dir: Path
) -> None:
    with file_store.lock(1) as locked:
        assert locked
    other = filelock.FileLock(str(cache_dir / (CACHE_FILENAME + ".lock")))
    with other, file_store.lock(0) as locked:
        assert locked is False
    with file_store.lock(0) as locked:
        assert locked is True


def test_lock_file_left_by_a_crashed_process_does_not_block(
    file_store: FileStore, cache_dir: Path
) -> None:
    cache_dir.mkdir()
    lock_path = cache_dir / (CACHE_FILENAME + ".lock")
    code = (
        "import filelock, os, sys; "
        "filelock.FileLock(sys.argv[1]).acquire(); "
        "os._exit(0)"  # dies holding the lock, without releasing it
    )
    subprocess.run([sys.executable, "-c", code, str(lock_path)], check=True, timeout=30)
    assert lock_path.exists()
    with file_store.lock(0) as locked:
        assert locked is True


def test_threads_of_one_process_share_the_file_lock(file_store: FileStore) -> None:
    other = open_store("file", file_store.directory)
    with lock_held_by_another_thread(file_store), other.lock(0) as locked:
        assert locked is False


# clear and info ---------------------------------------------------------------------------------


def test_clear_removes_exactly_what_the_store_created(
    file_store: FileStore, cache_dir: Path, catalog: Catalog
) -> None:
    assert file_store.save(catalog)
    with file_store.lock(1):
        pass
    leftover = cache_dir / f".{CACHE_FILENAME}.abc123.tmp"  # a crashed writer's temp file
    leftover.write_bytes(b"partial")
    keep = cache_dir / "keep.txt"
    keep.write_text("not ours")
    ours = {cache_dir / CACHE_FILENAME, cache_dir / (CACHE_FILENAME + ".lock"), leftover}

    assert set(file_store.clear(dry_run=True)) == ours
    assert all(p.exists() for p in ours)
    assert set(file_store.clear()) == ours
    assert sorted(os.listdir(cache_dir)) == ["keep.txt"]
    assert list(file_store.clear()) == []


def test_info_reports_path_existence_age_size_and_regions(
    file_store: FileStore, cache_dir: Path, clock: Clock
) -> None:
    empty = file_store.info()
    assert empty.path == cache_dir / CACHE_FILENAME
    assert not empty.exists and not empty.valid
    assert not cache_dir.exists()  # info creates nothing

    two = ("us-east-1", "us-west-2")
    assert file_store.save(make_catalog(two, requested=two))
    clock.now = T0 + timedelta(hours=3)
    info = file_store.info(max_age=DAY)
    assert info.mode is CacheMode.FILE
    assert info.path == cache_dir / CACHE_FILENAME
    assert info.exists and info.valid and info.reason == ""
    assert info.size_bytes == (cache_dir / CACHE_FILENAME).stat().st_size
    assert info.retrieved_at == T0
    assert info.age == timedelta(hours=3)
    assert info.regions == two and info.requested_regions == two
    assert info.model_count and not info.partial
    assert dict(info.regions_by_status) == {"ok": two}  # counted as `status` counts
    as_json = json.loads(json.dumps(info.as_dict()))
    assert as_json["path"] == str(cache_dir / CACHE_FILENAME) and as_json["age_seconds"] == 3 * 3600
    assert as_json["retrieved_at"] == "2026-11-01T12:00:00Z" and as_json["valid"] is True
    expired = file_store.info(max_age=timedelta(hours=1))
    assert expired.exists and not expired.valid and "older than" in expired.reason


# the warm path ----------------------------------------------------------------------------------


def test_loading_a_warm_file_cache_imports_no_boto3(
    file_store: FileStore, cache_dir: Path, catalog: Catalog
) -> None:
    assert file_store.save(catalog)
    code = textwrap.dedent(
        """
        import sys
        from datetime import timedelta
        from bestehorn_llmmanager.bedrock.catalog._store import open_store
        found = open_store("file", sys.argv[1]).load(None, max_age=timedelta(days=36500))
        assert found is not None, "cache miss"
        found.get("amazon.nova-lite-v1:0", "us-east-1")
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("boto3", "botocore")))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(cache_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_two_catalog_instances_in_memory_mode_share_one_fetch(
    bedrock_server: Any, bedrock_endpoint: str
) -> None:
    """Through the public facade: the second instance (another thread, same process) reuses."""
    from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog

    pages = sum(1 + bedrock_server.profile_pages(r) for r in REGIONS)
    start = threading.Barrier(2)
    sources: list[CatalogSource] = []

    def first_use() -> None:
        catalog = BedrockModelCatalog(cache_mode="memory", regions=REGIONS, timeout=30)
        start.wait()
        sources.append(catalog.metadata.source)

    threads = [threading.Thread(target=first_use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(s.value for s in sources) == ["api", "cache"]
    assert bedrock_server.count() == pages


def test_no_usable_temp_dir_keeps_the_catalog_in_memory(
    tmp_path: Path,
    isolated: Path,
    catalog: Catalog,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A read-only root filesystem (e.g. a container with readOnlyRootFilesystem and no volume):
    # tempfile.gettempdir() raises FileNotFoundError; the store must not.
    def no_temp_dir() -> str:
        raise FileNotFoundError(2, "No usable temporary directory found in ['/tmp']")

    monkeypatch.setattr(tempfile, "gettempdir", no_temp_dir)
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    store = open_store("file", blocker / "sub", clock=clock)

    assert store.load(None, max_age=DAY) is None
    assert store.save(catalog)
    assert store.path is None
    loaded = store.load(None, max_age=DAY)
    assert loaded is not None and len(loaded) == len(catalog)
    with store.lock(1) as locked:
        assert locked
    assert store.info().exists
    assert list(store.clear()) == []
    warnings = [m for m in records(caplog, logging.WARNING) if "in memory" in m]
    assert len(warnings) == 1
    assert str(blocker / "sub") in warnings[0] and "no usable temp dir" in warnings[0]


@POSIX_ONLY
@pytest.mark.parametrize(
    "planted", ["symlink", "hardlink", "fifo", "directory", "foreign", "mode-000"]
)
def test_an_unusable_lock_in_a_private_directory_is_replaced_and_nothing_is_lost(
    planted: str,
    tmp_path: Path,
    isolated: Path,
    catalog: Catalog,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Issue 11.8: a lock the user cannot use (root's, left by `sudo -E`; mode 000; a symlink, hard
    # link, FIFO or directory at the lock path) must not turn caching off for good. In a
    # directory only this user can write, it is replaced: nothing is written through it, and a
    # directory found there is set aside whole. filelock < 3.20.1 follows a symlink at the lock
    # path and 3.x opens it with O_TRUNC, so the old entry must never reach filelock.
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    directory = tmp_path / "cache"
    directory.mkdir(mode=0o700)
    lock_path = directory / LOCK_FILENAME
    if planted == "symlink":
        lock_path.symlink_to(victim)
    elif planted == "hardlink":
        os.link(victim, lock_path)
    elif planted == "fifo":
        os.mkfifo(lock_path)
    elif planted == "directory":
        lock_path.mkdir()
        (lock_path / "inside.txt").write_text("kept")
    elif planted == "mode-000":
        lock_path.write_text("")
        lock_path.chmod(0)
    else:
        if not IS_ROOT:
            pytest.skip("chown to another user needs root")
        lock_path.write_text("")
        os.chown(lock_path, 0 if not IS_ROOT else 12345, 12345)
    store = open_store("file", directory, clock=clock)
    (problem,) = store.info().problems  # info() names it (and repairs nothing)
    assert str(lock_path) in problem and "replaced on the next refresh" in problem

    with store.lock(1) as locked:
        assert locked
    assert victim.read_text() == "precious\n"
    assert store.info().problems == ()
    info = os.lstat(lock_path)
    assert stat.S_ISREG(info.st_mode) and info.st_nlink == 1 and info.st_uid == os.geteuid()
    assert stat.S_IMODE(info.st_mode) == 0o600
    if planted == "directory":
        (aside,) = directory.glob(LOCK_FILENAME + ".broken-*")
        assert (aside / "inside.txt").read_text() == "kept"
        report = store.clear(dry_run=True)  # cache clear names it, and leaves it
        assert [path for path, _ in report.kept] == [aside]
    assert any(str(lock_path) in m for m in records(caplog, logging.WARNING))
    # Caching works again: the next save is read back by a later store.
    assert store.save(catalog)
    assert open_store("file", directory, clock=clock).load(None, max_age=DAY) is not None


def test_the_lock_file_is_created_private_and_reused(
    tmp_path: Path, isolated: Path, clock: Clock
) -> None:
    store = open_store("file", tmp_path / "cache", clock=clock)
    for _ in range(2):
        with store.lock(1) as locked:
            assert locked
    lock_path = tmp_path / "cache" / LOCK_FILENAME
    assert lock_path.is_file() and not lock_path.is_symlink()
    if os.name == "posix":
        assert stat.S_IMODE(lock_path.stat().st_mode) == 0o600


@pytest.mark.skipif(not IS_ROOT, reason="chown to another user needs root")
def test_clear_leaves_another_users_files_in_a_shared_directory_and_says_why(
    tmp_path: Path, isolated: Path, clock: Clock
) -> None:
    directory = tmp_path / "shared"
    directory.mkdir()
    directory.chmod(0o1777)  # others can write here: their files are not ours to remove
    theirs = [directory / CACHE_FILENAME, directory / LOCK_FILENAME]
    for path in theirs:
        path.write_text("not ours")
        os.chown(path, 12345, 12345)
    store = open_store("file", directory, clock=clock)

    dry = store.clear(dry_run=True)
    assert list(dry) == [] and dry.dry_run
    report = store.clear()
    assert list(report) == []
    assert {path for path, _ in report.kept} == set(theirs)
    assert {k["path"] for k in report.as_dict()["kept"]} == set(map(str, theirs))
    assert all("owned by uid 12345" in why for _, why in report.kept)
    assert all(path.read_text() == "not ours" for path in theirs)


@pytest.mark.skipif(not IS_ROOT, reason="chown to another user needs root")
def test_clear_removes_a_root_lock_left_in_the_users_private_directory(
    tmp_path: Path, isolated: Path, clock: Clock
) -> None:
    # Issue 11.8: `sudo -E bedrock-catalog refresh` leaves root's files in the user's own cache
    # directory; `cache clear` as the user removes them (the directory is the user's).
    base = Path(tempfile.mkdtemp(prefix="store-sudo-", dir="/tmp"))
    base.chmod(0o755)  # the other user must reach the directory (pytest's tmp_path is 0700)
    directory = base / "mine"
    directory.mkdir(mode=0o700)
    left = [directory / CACHE_FILENAME, directory / LOCK_FILENAME]
    for path in left:
        path.write_text("root's")
        os.chown(path, 0, 0)
    os.chown(directory, 12345, 12345)
    script = textwrap.dedent(
        """
        # Imported before dropping privileges (the interpreter lives under /root).
        import os, sys, json, dataclasses, pathlib, logging, tempfile, shutil, platformdirs
        from bestehorn_llmmanager.bedrock.catalog._store import open_store, _info
        os.setgroups([]); os.setgid(12345); os.setuid(12345)
        report = open_store("file", sys.argv[1]).clear()
        print(json.dumps([[str(p) for p in report], [str(p) for p, _ in report.kept]]))
        """
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", script, str(directory)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            cwd=str(base),
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")},
        )
        assert done.returncode == 0, done.stderr
        removed, kept = json.loads(done.stdout)
        assert sorted(removed) == sorted(map(str, left)) and kept == []
        assert os.listdir(directory) == []
    finally:
        shutil.rmtree(base, ignore_errors=True)


# issue 11: hardening, with real processes, users and files ------------------------------------

NOBODY = 65534
ROOT_ONLY = pytest.mark.skipif(
    not IS_ROOT or os.name != "posix", reason="switches users; needs root"
)
SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture
def shared_base() -> Iterator[Path]:
    """A directory under /tmp that another user can reach (pytest's tmp_path is 0700 root)."""
    base = Path(tempfile.mkdtemp(prefix="store-users-", dir="/tmp"))
    base.chmod(0o755)
    try:
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


def run_as(uid: int, script: str, *args: str, cwd: Path) -> Any:
    """Run ``script`` in a fresh interpreter that drops to ``uid`` after its imports; its JSON."""
    prologue = textwrap.dedent(
        f"""
        import json, os, sys, tempfile
        from datetime import timedelta
        # Imported before dropping privileges: this interpreter lives under /root, which the
        # other user cannot read, so nothing may be imported lazily after the switch.
        import contextlib, dataclasses, logging, pathlib, shutil, signal, filelock, platformdirs
        from bestehorn_llmmanager.bedrock.catalog import _fileformat, _store
        from bestehorn_llmmanager.bedrock.catalog._store import open_store, _info
        os.setgroups([])
        os.setgid({uid})
        os.setuid({uid})
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", prologue + textwrap.dedent(script), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(SRC), "HOME": str(cwd)},
        cwd=str(cwd),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_catalog_too_big_for_the_reader_is_never_written(
    file_store: FileStore,
    cache_dir: Path,
    catalog: Catalog,
    good_bytes: bytes,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Issue 11.3: the writer once produced 203 MB that every later start refused, and refetched.
    assert file_store.save(catalog)
    before = (cache_dir / CACHE_FILENAME).read_bytes()
    monkeypatch.setattr(fileformat, "MAX_FILE_BYTES", len(good_bytes) - 1)
    assert file_store.save(catalog) is False
    assert any("cap" in m for m in records(caplog, logging.WARNING))
    assert (cache_dir / CACHE_FILENAME).read_bytes() == before  # the older file is kept
    assert sorted(os.listdir(cache_dir)) == [CACHE_FILENAME]


@ROOT_ONLY
def test_a_cache_baked_into_an_image_by_root_serves_an_unprivileged_user(
    shared_base: Path, good_bytes: bytes
) -> None:
    # Issue 11.10: written by root at build time (a root-owned 0755 directory, a 0644 file),
    # read by `USER app` or in Lambda's /var/task: trusted, like ssh and sudo trust root's files.
    image = shared_base / "var-task" / "cache"
    image.mkdir(parents=True, mode=0o755)
    (shared_base / "var-task").chmod(0o755)
    baked = image / CACHE_FILENAME
    baked.write_bytes(good_bytes)
    baked.chmod(0o644)
    result = run_as(
        NOBODY,
        """
        store = open_store("file", sys.argv[1])
        found = store.load(None, max_age=timedelta(days=36500))
        print(json.dumps({"found": found is not None,
                          "path": found and str(found.metadata.cache_path),
                          "source": found and found.metadata.source.value}))
        """,
        str(image),
        cwd=shared_base,
    )
    assert result == {"found": True, "path": str(baked), "source": "cache"}

    # Baked with the store's own 0600, the user cannot read it: one warning says how to fix it.
    baked.chmod(0o600)
    unreadable = run_as(
        NOBODY,
        """
        said = []
        handler = logging.Handler()
        handler.emit = lambda record: said.append(record.getMessage())
        logging.getLogger(_store.__name__).addHandler(handler)
        store = open_store("file", sys.argv[1])
        for _ in range(3):
            found = store.load(None, max_age=timedelta(days=36500))
        print(json.dumps({"found": found is not None, "said": said}))
        """,
        str(image),
        cwd=shared_base,
    )
    assert unreadable["found"] is False
    warned = [m for m in unreadable["said"] if "chmod 644" in m]
    assert len(warned) == 1 and str(baked) in warned[0]


@ROOT_ONLY
def test_a_file_owned_by_another_ordinary_user_is_still_refused(
    shared_base: Path, good_bytes: bytes
) -> None:
    directory = shared_base / "theirs"
    directory.mkdir(mode=0o755)
    planted = directory / CACHE_FILENAME
    planted.write_bytes(good_bytes)
    planted.chmod(0o644)
    os.chown(planted, 12345, 12345)
    result = run_as(
        NOBODY,
        """
        found = open_store("file", sys.argv[1]).load(None, max_age=timedelta(days=36500))
        print(json.dumps(found is not None))
        """,
        str(directory),
        cwd=shared_base,
    )
    assert result is False


@POSIX_ONLY
@pytest.mark.parametrize("how", ["world-writable", "symlink-to-world-writable", "foreign-owner"])
def test_an_untrusted_configured_directory_is_refused_and_the_private_fallback_used(
    how: str,
    tmp_path: Path,
    isolated: Path,
    catalog: Catalog,
    good_bytes: bytes,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Issue 11.11: cache_directory (and BEDROCK_CATALOG_CACHE_DIR) are checked as strictly as the
    # temp-dir fallback; an attacker's 0777 directory, or a symlink to one, is never used.
    attacker = tmp_path / "attacker"
    attacker.mkdir()
    attacker.chmod(0o777)
    if how == "foreign-owner":
        if not IS_ROOT:
            pytest.skip("chown to another user needs root")
        attacker.chmod(0o755)
        os.chown(attacker, 12345, 12345)
    planted = attacker / CACHE_FILENAME
    planted.write_bytes(good_bytes)  # a valid catalog of this user: still not read from there
    planted.chmod(0o600)
    configured = attacker
    if how == "symlink-to-world-writable":
        configured = tmp_path / "link"
        configured.symlink_to(attacker)
    store = open_store("file", configured, clock=clock)

    assert store.load(None, max_age=DAY) is None
    assert store.save(catalog)
    assert store.path == fallback_cache_dir() / CACHE_FILENAME
    assert sorted(os.listdir(attacker)) == [CACHE_FILENAME]  # nothing written there
    assert planted.read_bytes() == good_bytes
    # One line for the one problem (whether the read or the directory choice met it first),
    # with the fix in it.
    warnings = [m for m in records(caplog, logging.WARNING) if str(configured) in m]
    assert len(warnings) == 1, warnings
    assert "BEDROCK_CATALOG_CACHE_DIR" in warnings[0]
    assert "owned by uid 12345" in warnings[0] or "can write" in warnings[0]
    # the environment switch goes through the same check
    os.environ[ENV_CACHE_DIR] = str(configured)
    try:
        assert open_store("file", clock=clock).load(None, max_age=DAY) is not None  # fallback
        assert open_store("file", clock=clock).load(None, max_age=DAY).metadata.cache_path == (
            fallback_cache_dir() / CACHE_FILENAME
        )
    finally:
        del os.environ[ENV_CACHE_DIR]


@POSIX_ONLY
def test_temp_files_of_writers_killed_mid_write_are_cleaned_up(
    file_store: FileStore, cache_dir: Path, catalog: Catalog, good_bytes: bytes
) -> None:
    # Issue 11.12: 150 kills left 72 temp files. Three real writers are killed (SIGKILL) between
    # writing their temp file and renaming it; the next save removes the ones older than a few
    # minutes (compared with the file it writes: the filesystem's clock) and keeps a young one,
    # which may belong to a writer still running.
    assert file_store.save(catalog)
    killer = textwrap.dedent(
        """
        import os, signal, sys
        from bestehorn_llmmanager.bedrock.catalog._store import _posix
        os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
        _posix.write_atomic(os.path.join(sys.argv[1], "bedrock_catalog.json"), b"x" * 4096)
        """
    )
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", killer, str(cache_dir)],
            env={**os.environ, "PYTHONPATH": str(SRC)},
            timeout=60,
            check=False,
        )
        assert done.returncode == -9
    temps = sorted(cache_dir.glob(f".{CACHE_FILENAME}.*.tmp"))
    assert len(temps) == 3
    old, young = temps[:2], temps[2]
    for path in old:  # these writers died 20 minutes ago
        then = path.stat().st_mtime - 20 * 60
        os.utime(path, (then, then))
    unrelated = cache_dir / "notes.tmp"
    unrelated.write_text("not a temp file of ours")
    os.utime(unrelated, (0, 0))

    assert file_store.save(catalog)
    assert not any(path.exists() for path in old)
    assert young.exists()
    assert unrelated.exists()
    assert file_store.load(None, max_age=DAY) is not None


def test_a_catalog_dated_in_the_future_is_invalid_not_merely_expired(
    file_store: FileStore, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    # Issue 11.13: written under a clock ten years fast, it must not serve as an "expired cache
    # newer than the bundle" forever, nor be reported as "0 min old".
    assert file_store.save(make_catalog(retrieved_at=T0 + timedelta(days=3650)))
    assert file_store.load(None, max_age=DAY) is None
    assert file_store.load(None, max_age=DAY, allow_expired=True) is None
    info = file_store.info(max_age=DAY)
    assert info.exists and not info.valid and info.age is None
    assert "future" in info.reason
    assert file_store.info().valid is False  # without a max age too
    assert any("future" in m for m in records(caplog, logging.WARNING))
    # A few minutes of skew between hosts sharing a directory is tolerated.
    assert file_store.save(make_catalog(retrieved_at=T0 + timedelta(minutes=4)))
    assert file_store.load(None, max_age=DAY) is not None


def test_a_future_cache_never_beats_the_bundle_through_the_facade(
    cache_dir: Path, isolated: Path
) -> None:
    from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog

    now = datetime.now(timezone.utc)
    store = open_store("file", cache_dir, clock=lambda: now)
    assert store.save(make_catalog(retrieved_at=now + timedelta(days=3650)))
    catalog = BedrockModelCatalog(cache_directory=cache_dir, offline=True)
    assert catalog.metadata.source is CatalogSource.BUNDLED


def test_a_long_running_process_keeps_persisting_after_its_directory_is_removed(
    file_store: FileStore, cache_dir: Path, catalog: Catalog, clock: Clock
) -> None:
    # Issue 11.14: the directory was chosen once; after `rm -rf` every later save failed.
    assert file_store.save(catalog)
    shutil.rmtree(cache_dir)
    assert file_store.save(catalog)
    assert (cache_dir / CACHE_FILENAME).is_file()
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    assert open_store("file", cache_dir, clock=clock).load(None, max_age=DAY) is not None


@ROOT_ONLY
def test_a_long_running_process_keeps_persisting_after_its_directory_turns_read_only(
    shared_base: Path, good_bytes: bytes
) -> None:
    # Issue 11.14, for a real unprivileged user (root ignores permissions): the directory is
    # made read-only (as a read-only remount would), then removed, while the process runs.
    for own in ("systemp", "home"):
        (shared_base / own).mkdir(mode=0o700)
        os.chown(shared_base / own, NOBODY, NOBODY)
    source = shared_base / "catalog.json"
    source.write_bytes(good_bytes)
    source.chmod(0o644)
    result = run_as(
        NOBODY,
        """
        tempfile.tempdir = os.path.join(sys.argv[1], "systemp")
        data = open(os.path.join(sys.argv[1], "catalog.json"), "rb").read()
        catalog = _fileformat.decode(data)
        directory = os.path.join(sys.argv[1], "home", "cache")
        os.makedirs(directory)
        store = open_store("file", directory)
        steps = {"first": store.save(catalog), "first_path": str(store.path)}
        os.chmod(directory, 0o500)
        steps["read_only"] = store.save(catalog)
        steps["read_only_path"] = str(store.path)
        os.chmod(directory, 0o700)
        shutil.rmtree(os.path.join(sys.argv[1], "home", "cache"))
        steps["removed"] = store.save(catalog)
        again = open_store("file", directory).load(None, max_age=timedelta(days=36500))
        steps["again"] = again is not None
        print(json.dumps(steps))
        """,
        str(shared_base),
        cwd=shared_base,
    )
    fallback = shared_base / "systemp" / f"{APP_NAME}-{NOBODY}" / CACHE_FILENAME
    assert result["first"] and result["first_path"].endswith("home/cache/" + CACHE_FILENAME)
    assert result["read_only"] and result["read_only_path"] == str(fallback)
    assert result["removed"] and result["again"]


@pytest.mark.parametrize("bad", ["", "   ", "cache\x00dir", b"/tmp/x", 42])
def test_a_bad_cache_directory_raises_value_error_naming_the_argument(bad: Any) -> None:
    # Issue 11.20: '' must not mean the current directory; a NUL byte raises at construction.
    with pytest.raises(ValueError, match=r"^cache_directory"):
        open_store("file", bad)
    from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog

    with pytest.raises(ValueError, match="cache_directory"):
        BedrockModelCatalog(cache_directory=bad)


def test_reading_never_creates_directories_under_a_home_that_does_not_exist(
    tmp_path: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog, clock: Clock
) -> None:
    # Issue 11.20: a read (load, info) creates nothing; a write does not create a missing HOME
    # either, and keeps the catalog in the private temp-dir fallback instead.
    home = tmp_path / "no" / "such" / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv(ENV_CACHE_DIR, raising=False)
    store = open_store("file", clock=clock)
    assert str(store.path).startswith(str(home))
    assert store.load(None, max_age=DAY) is None
    assert not store.info().exists
    assert store.writable_directory() == fallback_cache_dir()  # type: ignore[attr-defined]
    assert not (tmp_path / "no").exists()
    assert store.save(catalog)
    assert not (tmp_path / "no").exists()
    assert store.path == fallback_cache_dir() / CACHE_FILENAME


# issue 12.3: a cache that covers the asked regions serves them ----------------------------------


def test_a_cache_fetched_for_more_regions_serves_a_question_about_one(
    file_store: FileStore, clock: Clock
) -> None:
    # `refresh --regions us-east-1 eu-west-1` then `list --region eu-west-1`: served, no fetch.
    two = ("us-east-1", "eu-west-1")
    assert file_store.save(make_catalog(two, requested=two))
    found = file_store.load(("eu-west-1",), max_age=DAY)
    assert found is not None and found.metadata.requested_regions == two
    assert store_module.serves(found, ["eu-west-1"])
    assert store_module.serves(found, ["eu-west-1", "us-east-1", "eu-west-1"])
    assert not store_module.serves(found, ["us-west-2"])
    assert not store_module.serves(found, None)  # the default set needs a default-set fetch
    everything = make_catalog(requested=None)
    assert store_module.serves(everything, ["ap-northeast-1"])
    assert store_module.serves(everything, None)


def test_the_refresh_lock_follows_a_directory_removed_under_a_running_process(
    file_store: FileStore, cache_dir: Path, catalog: Catalog, clock: Clock
) -> None:
    # Issue 11.14: the facade saves only under the lock, so the lock must re-resolve too.
    assert file_store.save(catalog)
    shutil.rmtree(cache_dir)
    with file_store.lock(1) as locked:
        assert locked
        assert file_store.save(catalog)
    assert open_store("file", cache_dir, clock=clock).load(None, max_age=DAY) is not None


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded")
def test_a_forked_child_does_not_inherit_a_held_thread_lock(clock: Clock) -> None:
    # A thread lock held by another thread at fork time would stay locked forever in the child
    # (that thread does not exist there). The OS file lock is another matter: it belongs to the
    # parent's open file, and the child rightly waits for it like any other process.
    store = MemoryStore(clock=clock)
    assert store.save(make_catalog())
    with lock_held_by_another_thread(store):
        pid = os.fork()
        if pid == 0:  # the child
            code = 1
            try:
                with store.lock(0) as locked:
                    found = store.load(None, max_age=DAY) is not None  # the catalogs are kept
                    code = 0 if locked and found else 3
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


@ROOT_ONLY
def test_a_root_lock_left_by_sudo_does_not_stop_the_user_caching(
    shared_base: Path, good_bytes: bytes
) -> None:
    # Issue 11.8, as the real user: `sudo -E bedrock-catalog refresh` left a root-owned lock in
    # the user's own cache directory; the user's next run takes the lock and caches again.
    directory = shared_base / "cache"
    directory.mkdir(mode=0o700)
    os.chown(directory, NOBODY, NOBODY)
    lock_path = directory / LOCK_FILENAME
    lock_path.write_text("")
    lock_path.chmod(0o644)  # root's, and the user cannot write it
    source = shared_base / "catalog.json"
    source.write_bytes(good_bytes)
    source.chmod(0o644)
    result = run_as(
        NOBODY,
        """
        catalog = _fileformat.decode(open(sys.argv[2], "rb").read())
        store = open_store("file", sys.argv[1])
        with store.lock(5) as locked:
            saved = locked and store.save(catalog)
        again = open_store("file", sys.argv[1]).load(None, max_age=timedelta(days=36500))
        print(json.dumps({"locked": locked, "saved": saved, "again": again is not None}))
        """,
        str(directory),
        str(source),
        cwd=shared_base,
    )
    assert result == {"locked": True, "saved": True, "again": True}
    assert lock_path.stat().st_uid == NOBODY


@POSIX_ONLY
def test_writable_directory_tells_where_a_save_would_go_without_creating_anything(
    tmp_path: Path, isolated: Path, catalog: Catalog, clock: Clock
) -> None:
    # The one home of the fallback choice, for `bedrock-catalog cache dir`: the same answer the
    # next save acts on, and nothing is created to find it out.
    fresh = open_store("file", tmp_path / "a" / "b", clock=clock)
    assert fresh.writable_directory() == tmp_path / "a" / "b"  # type: ignore[attr-defined]
    open_dir = tmp_path / "open"
    open_dir.mkdir()
    open_dir.chmod(0o777)
    untrusted = open_store("file", open_dir, clock=clock)
    assert untrusted.writable_directory() == fallback_cache_dir()  # type: ignore[attr-defined]
    assert not (tmp_path / "a").exists() and not fallback_cache_dir().exists()
    assert fresh.save(catalog) and untrusted.save(catalog)
    assert fresh.path == tmp_path / "a" / "b" / CACHE_FILENAME
    assert untrusted.path == fallback_cache_dir() / CACHE_FILENAME
