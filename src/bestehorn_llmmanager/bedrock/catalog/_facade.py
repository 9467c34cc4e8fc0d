"""BedrockModelCatalog: the class users touch. Joins cache, live fetch and bundled data in one
waterfall, publishes each catalog by swapping one immutable reference, and never loses good data.

The constructor does no I/O; boto3 is imported only when the API step actually runs.
"""

from __future__ import annotations

import logging
import math
import os
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta, timezone
from types import MappingProxyType
from typing import Any

from ..._errors import CatalogError, CatalogUnavailableError, FetchError, NoCredentialsError
from ._bundle import load_bundled, read_bundled_bytes
from ._catalog import Catalog
from ._constants import (
    BUNDLE_FRESHNESS_WARNING_DAYS,
    DEFAULT_CACHE_MAX_AGE_HOURS,
    DEFAULT_MAX_WORKERS,
    DEFAULT_TIMEOUT_SECONDS,
    ENV_OFFLINE,
    env_flag,
)
from ._regions import validate_regions
from ._store import CacheMode, CatalogStore, open_store
from ._types import (
    AccessMap,
    CatalogMetadata,
    CatalogSource,
    FetchResult,
    ModelAccess,
    ModelInfo,
    RegionOutcome,
    RegionStatus,
    describe_age,
)

logger = logging.getLogger(__name__)

#: A fetched catalog with fewer than this share of the previous one's models is not stored over it:
#: a broken account policy or an API incident must not wipe a good cache.
SHRINK_GUARD_RATIO = 0.5

#: The largest accepted ``cache_max_age_hours``: a year; older data is wrong, not cached.
MAX_CACHE_AGE_HOURS = 24 * 366.0

#: Extra seconds a process waits for another process's refresh (bounded by ``timeout``) before
#: it fetches on its own without writing.
LOCK_WAIT_MARGIN_SECONDS = 10.0

#: Marks the one WARNING logged per fallback (``record.catalog_fallback``), so an application or
#: the CLI can show it its own way; the reason is also in ``CatalogMetadata.fallback_reason``.
_FALLBACK = {"catalog_fallback": True}

#: ``progress(outcome, done, total)``, called after each region of a refresh.
Progress = Callable[[RegionOutcome, int, int], None]

_BUNDLE_TIME = re.compile(rb'"retrieved_at":"([^"]+)"')


class BedrockModelCatalog:
    """Which Bedrock model is callable from which region, and with which id.

    Data comes from the first step of the waterfall that works: a valid cache, the live APIs,
    an expired cache newer than the bundle, then the bundled data. Every public method is safe
    to call from many threads; the first query loads once.
    """

    def __init__(
        self,
        cache_mode: CacheMode | str = CacheMode.FILE,
        cache_directory: str | os.PathLike[str] | None = None,
        cache_max_age_hours: float = DEFAULT_CACHE_MAX_AGE_HOURS,
        fallback_to_bundled: bool = True,
        regions: Iterable[str] | None = None,
        max_workers: int = DEFAULT_MAX_WORKERS,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        session: Any = None,
        force_refresh: bool = False,
        *,
        offline: bool | None = None,
        endpoint_url: str | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._mode = _parse_mode(cache_mode)
        if cache_directory is not None and not isinstance(cache_directory, (str, os.PathLike)):
            raise ValueError(
                f"cache_directory: expected a str or path, got {type(cache_directory).__name__}"
            )
        hours = _number("cache_max_age_hours", cache_max_age_hours, 0)
        if hours > MAX_CACHE_AGE_HOURS:
            raise ValueError(
                f"cache_max_age_hours: at most {MAX_CACHE_AGE_HOURS:g} (a year), got {hours!r}"
            )
        self._max_age = timedelta(hours=hours)
        self._regions = validate_regions(regions, argument="regions")
        if isinstance(max_workers, bool) or not isinstance(max_workers, int) or max_workers < 1:
            raise ValueError(f"max_workers: must be an integer >= 1, got {max_workers!r}")
        self._max_workers = max_workers
        self._timeout = _number("timeout", timeout, 0, strict=True)
        self._fallback = _flag("fallback_to_bundled", fallback_to_bundled)
        self._session = session
        self._force_refresh = _flag("force_refresh", force_refresh)
        self._offline = None if offline is None else _flag("offline", offline)
        self._endpoint_url = endpoint_url
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._store: CatalogStore = open_store(self._mode, cache_directory, clock=self._clock)
        self._catalog: Catalog | None = None
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        state = "not loaded" if self._catalog is None else repr(self._catalog)
        return f"BedrockModelCatalog(cache_mode={self._mode.value!r}, {state})"

    # -- loading ---------------------------------------------------------------------------------

    @property
    def catalog(self) -> Catalog:
        """The catalog in use (loading it on first access): immutable, safe to keep."""
        current = self._catalog
        if current is None:
            self.load()
            current = self._catalog
            assert current is not None
        return current

    @property
    def metadata(self) -> CatalogMetadata:
        """Where the catalog in use came from, its age and each region's outcome."""
        return self.catalog.metadata

    @property
    def cache_mode(self) -> CacheMode:
        return self._mode

    @property
    def store(self) -> CatalogStore:
        """The cache store behind this catalog (for inspection and clearing)."""
        return self._store

    def load(self) -> CatalogMetadata:
        """Run the waterfall unless a catalog is already loaded; return its metadata."""
        current = self._catalog
        if current is not None:  # no waiting behind a refresh() that is running meanwhile
            return current.metadata
        with self._lock:
            if self._catalog is None:
                self._catalog = _stamp_bundled_version(self._waterfall())
            return self._catalog.metadata

    def _is_offline(self) -> bool:
        return self._offline if self._offline is not None else env_flag(os.environ.get(ENV_OFFLINE))

    def _waterfall(self) -> Catalog:
        why: dict[str, str] = {}
        use_cache = self._mode is not CacheMode.NONE
        if use_cache and not self._force_refresh:
            cached = self._store.load(self._regions, max_age=self._max_age)
            if cached is not None:
                logger.debug("using cached catalog %s", cached.metadata.cache_path)
                return cached
            why["cache"] = f"no valid cache at {self._store.path or 'memory'} (see DEBUG log)"
        elif not use_cache:
            why["cache"] = "cache_mode is 'none'"
        else:
            why["cache"] = "skipped: force_refresh=True"

        if self._is_offline():
            why["api"] = f"skipped: {ENV_OFFLINE} is set"
        else:
            try:
                return self._fetch_and_store()
            except _KeepPrevious as keep:
                return keep.catalog
            except (CatalogError, OSError) as exc:
                why["api"] = _describe(exc)
            except Exception as exc:  # a botocore failure outside any region: no endpoint, etc.
                logger.debug("API step failed", exc_info=True)
                why["api"] = _describe(exc)

        bundle_time = _bundle_retrieved_at()
        if use_cache:
            stale = self._cached(allow_expired=True)
            if stale is not None and (
                bundle_time is None or stale.metadata.retrieved_at > bundle_time
            ):
                stale = stale.with_metadata(
                    source=CatalogSource.STALE_CACHE, fallback_reason=why.get("api")
                )
                age = describe_age(self._clock() - stale.metadata.retrieved_at)
                if self._is_offline():  # chosen, not a failure: the best data there is
                    logger.info(
                        "offline: using an expired Bedrock catalog cache (%s old, from %s)",
                        age,
                        stale.metadata.cache_path,
                    )
                    return stale
                logger.warning(
                    "using an expired Bedrock catalog cache (%s old, from %s) because the API "
                    "step failed: %s",
                    age,
                    stale.metadata.cache_path,
                    why.get("api"),
                    extra=_FALLBACK,
                )
                return stale
            why["stale cache"] = "none" if stale is None else "older than the bundled data"
        if self._fallback:
            try:
                bundled = load_bundled()
            except CatalogError as exc:
                why["bundled"] = str(exc)
            else:
                bundled = bundled.with_metadata(fallback_reason=why.get("api", "not tried"))
                if self._is_offline():
                    # A deliberate air-gapped setup: the bundle is the expected source.
                    logger.info("offline: using the bundled Bedrock catalog")
                else:
                    self._warn_bundled(bundled, why.get("api", "not tried"))
                return bundled
        else:
            why["bundled"] = "fallback_to_bundled=False"
        raise CatalogUnavailableError(why)

    def _warn_bundled(self, bundled: Catalog, reason: str) -> None:
        age = self._clock() - bundled.metadata.retrieved_at
        message = (
            "using the Bedrock catalog bundled with bestehorn-llmmanager (data from %s, %s old) "
            "because the live API could not be used: %s"
        )
        args: list[Any] = [
            bundled.metadata.retrieved_at.date().isoformat(),
            describe_age(age),
            reason,
        ]
        if age > timedelta(days=BUNDLE_FRESHNESS_WARNING_DAYS):
            message += (
                "; this bundle is over %d days old: upgrade bestehorn-llmmanager, or give the "
                "process AWS credentials and run `bedrock-catalog refresh`"
            )
            args.append(BUNDLE_FRESHNESS_WARNING_DAYS)
        logger.warning(message, *args, extra=_FALLBACK)

    # -- refreshing ------------------------------------------------------------------------------

    def refresh(self, *, progress: Progress | None = None) -> CatalogMetadata:
        """Fetch now. On total failure the current catalog stays and the error is raised.

        ``progress(outcome, done, total)`` is called after each region (e.g. for a progress bar).
        """
        if self._is_offline():
            raise FetchError(
                f"refresh() fetches from the AWS API, but this catalog is offline "
                f"({'offline=True' if self._offline else ENV_OFFLINE + ' is set'}); the current "
                f"catalog stays in use. Drop the offline switch to refresh."
            )
        # What the cache holds now: a catalog there newer than this once the lock is ours was
        # written meanwhile by another process or thread, and is reused instead of fetching
        # twice. (Compared by retrieved_at, not by the time now, so any injected clock works.)
        before = self._cached(allow_expired=True)
        seen = before.metadata.retrieved_at if before is not None else None
        with self._lock:
            try:
                catalog = self._fetch_and_store(refresh_seen=(seen,), progress=progress)
            except _KeepPrevious as keep:
                catalog = keep.catalog
            self._catalog = published = _stamp_bundled_version(catalog)
            return published.metadata

    def _cached(self, *, allow_expired: bool) -> Catalog | None:
        if self._mode is CacheMode.NONE:
            return None
        return self._store.load(self._regions, max_age=self._max_age, allow_expired=allow_expired)

    def _fetch_and_store(
        self,
        *,
        refresh_seen: tuple[datetime | None] | None = None,
        progress: Progress | None = None,
    ) -> Catalog:
        """The API step: under the store's lock, re-read, fetch, merge stale regions, guard, save.

        First load (``refresh_seen`` None): a valid cache found after waiting for the lock is
        used. Refresh: ``refresh_seen`` holds the ``retrieved_at`` of what the cache held when
        the refresh began (or None); only a newer cache, written meanwhile, is reused.
        """
        lock_wait = self._timeout + LOCK_WAIT_MARGIN_SECONDS
        with self._store.lock(lock_wait, regions=self._regions) as locked:
            if not locked:
                logger.warning(
                    "could not take the catalog refresh lock within %.0f s (another process "
                    "is refreshing, or the lock file was refused: see any warning above); "
                    "fetching without writing the cache",
                    lock_wait,
                )
            # One read serves twice: another process (or thread) may have refreshed while we
            # waited (N processes -> 1 fetch), and an intact older file is the previous data.
            on_disk = self._cached(allow_expired=True)
            if locked and on_disk is not None and on_disk.metadata.source is CatalogSource.CACHE:
                if refresh_seen is None:  # first load: another process may have fetched
                    reuse = not self._force_refresh
                else:  # refresh: only what was written after the refresh began
                    seen = refresh_seen[0]
                    reuse = seen is None or on_disk.metadata.retrieved_at > seen
                if reuse:
                    return on_disk
            result = self._fetch(progress)
            previous = self._previous(on_disk)
            catalog = _merge_stale(build_catalog(result), previous, result)
            if (
                previous is not None
                and _same_regions(previous, self._regions)
                and len(catalog) < len(previous) * SHRINK_GUARD_RATIO
            ):
                logger.warning(
                    "the API returned %d models where the previous catalog had %d; keeping the "
                    "previous catalog (check the account's Bedrock permissions)",
                    len(catalog),
                    len(previous),
                )
                raise _KeepPrevious(previous)
            if locked and self._mode is not CacheMode.NONE and self._store.save(catalog):
                catalog = catalog.with_metadata(cache_path=self._store.path)
            return catalog

    def _fetch(self, progress: Progress | None) -> FetchResult:
        from ._fetch import fetch_regions

        result = fetch_regions(
            self._regions,
            clock=self._clock,
            session=self._session,
            max_workers=self._max_workers,
            timeout=self._timeout,
            endpoint_url=self._endpoint_url,
            progress=progress,
        )
        if not result.any_ok:
            reasons = "; ".join(
                f"{region}: {outcome.reason}" for region, outcome in sorted(result.outcomes.items())
            )
            raise FetchError(f"no region answered ({reasons})")
        failed = result.outcomes
        bad = [r for r, o in failed.items() if o.status is RegionStatus.FAILED]
        if bad:
            logger.warning(
                "%d of %d regions failed to answer (%s); their previous data is kept where known",
                len(bad),
                len(failed),
                ", ".join(sorted(bad)),
            )
        return result

    def _previous(self, on_disk: Catalog | None) -> Catalog | None:
        """The best earlier catalog for the same regions: the one in use, else the cache file."""
        current = self._catalog
        if current is not None and current.metadata.source is not CatalogSource.BUNDLED:
            return current
        return on_disk

    # -- queries ---------------------------------------------------------------------------------

    def get_model_info(self, name: str, region: str) -> ModelAccess | None:
        """How to call ``name`` from ``region``; None if it exists but is not callable there."""
        return self.catalog.get(name, region)

    def is_model_available(self, name: str, region: str) -> bool:
        """True when ``name`` is callable from ``region`` (ModelNotFoundError if unknown)."""
        return self.catalog.get(name, region) is not None

    def list_models(
        self,
        region: str | None = None,
        provider: str | None = None,
        streaming_only: bool = False,
        input_modality: str | None = None,
        output_modality: str | None = None,
        include_legacy: bool = True,
    ) -> list[ModelInfo]:
        """Models matching every filter, sorted by provider, then name."""
        return self.catalog.list_models(
            region=region,
            provider=provider,
            streaming_only=streaming_only,
            input_modality=input_modality,
            output_modality=output_modality,
            include_legacy=include_legacy,
        )

    def resolve(self, name: str) -> ModelInfo:
        """The model a name, id, profile id or ARN means (ModelNotFoundError with suggestions)."""
        return self.catalog.resolve(name)

    def regions_for(self, name: str) -> list[str]:
        return self.catalog.regions_for(name)

    def providers(self) -> list[str]:
        return self.catalog.providers()

    def regions(self) -> list[str]:
        return self.catalog.regions()


def _flag(argument: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{argument}: expected True or False, got {value!r}")
    return value


def _same_regions(catalog: Catalog, regions: tuple[str, ...] | None) -> bool:
    """Whether ``catalog`` was fetched for exactly ``regions`` (None: the default set)."""
    requested = catalog.metadata.requested_regions
    if regions is None or requested is None:
        return regions is None and requested is None
    return set(requested) == set(regions)


class _KeepPrevious(Exception):
    """Internal: the shrink guard chose the previous catalog."""

    def __init__(self, catalog: Catalog) -> None:
        super().__init__("keeping the previous catalog")
        self.catalog = catalog


def build_catalog(result: FetchResult) -> Catalog:
    from ._transform import build_catalog as transform

    return transform(result, source=CatalogSource.API)


def _merge_stale(fresh: Catalog, previous: Catalog | None, result: FetchResult) -> Catalog:
    """Keep the previous data of regions that failed this time; list them in stale_regions."""
    failed = {r for r, o in result.outcomes.items() if o.status is RegionStatus.FAILED}
    if previous is None or not failed:
        return fresh
    stale = sorted(r for r in failed if any(r in m.regions for m in previous.models.values()))
    if not stale:
        return fresh
    merged: list[ModelInfo] = []
    ids = sorted(set(fresh.models) | set(previous.models))
    for model_id in ids:
        new = fresh.models.get(model_id)
        old = previous.models.get(model_id)
        kept = [old.regions[r] for r in stale if old is not None and r in old.regions]
        if new is None:
            if old is None or not kept:
                continue
            base = old
            accesses = kept
        else:
            base = new
            accesses = [*new.regions.values(), *kept]
        merged.append(_replace_regions(base, AccessMap.from_accesses(model_id, accesses)))
    outcomes = dict(fresh.metadata.region_outcomes)
    return Catalog(
        merged,
        CatalogMetadata(
            source=fresh.metadata.source,
            retrieved_at=fresh.metadata.retrieved_at,
            region_outcomes=MappingProxyType(outcomes),
            requested_regions=fresh.metadata.requested_regions,
            stale_regions=tuple(stale),
        ),
    )


def _replace_regions(model: ModelInfo, regions: Mapping[str, ModelAccess]) -> ModelInfo:
    import dataclasses

    return dataclasses.replace(model, regions=regions)


def _stamp_bundled_version(catalog: Catalog) -> Catalog:
    """Every catalog reports which bundle ships with the package, whatever its source."""
    if catalog.metadata.bundled_version is not None:
        return catalog
    bundle_time = _bundle_retrieved_at()
    if bundle_time is None:
        return catalog
    from ._fileformat import format_time

    return catalog.with_metadata(bundled_version=format_time(bundle_time))


def _bundle_retrieved_at() -> datetime | None:
    """The bundle's retrieved_at, read from its header bytes without decoding the whole file."""
    try:
        match = _BUNDLE_TIME.search(read_bundled_bytes(), 0, 4096)
    except CatalogError:
        return None
    if match is None:
        return None
    from ._fileformat import parse_time

    try:
        return parse_time(match.group(1).decode("ascii"))
    except ValueError:
        return None


def _parse_mode(value: CacheMode | str) -> CacheMode:
    try:
        return CacheMode(value)
    except ValueError as exc:
        message = str(exc)
        if not message.startswith("cache_mode"):
            message = f"cache_mode: {message}"
        raise ValueError(message) from None


def _number(argument: str, value: float, minimum: float, *, strict: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{argument}: expected a finite number, got {value!r}")
    if value < minimum or (strict and value == minimum):
        relation = ">" if strict else ">="
        raise ValueError(f"{argument}: must be {relation} {minimum:g}, got {value!r}")
    return float(value)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, NoCredentialsError):
        return str(exc)
    text = str(exc) or type(exc).__name__
    return text if isinstance(exc, CatalogError) else f"{type(exc).__name__}: {text}"
