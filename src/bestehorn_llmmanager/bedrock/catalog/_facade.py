"""BedrockModelCatalog: the class users touch. Joins cache, live fetch and bundled data in one
waterfall, publishes each catalog by swapping one immutable reference, and never loses good data.

The constructor does no I/O (its options are validated once, in ``CatalogSettings``); boto3,
the transform and the bundle are imported only when their step actually runs. On the warm path:
no ``dataclasses``, ``logging`` or ``typing`` at run time.
"""

from __future__ import annotations

import threading
from types import MappingProxyType

from ..._log import getLogger
from ._catalog import Catalog
from ._constants import (
    BUNDLE_FRESHNESS_WARNING_DAYS,
    DEFAULT_CACHE_MAX_AGE_HOURS,
    DEFAULT_MAX_WORKERS,
    DEFAULT_TIMEOUT_SECONDS,
    shrinks,
)
from ._metadata import (
    CatalogMetadata,
    CatalogSource,
    RegionOutcome,
    RegionStatus,
    describe_age,
)
from ._model import AccessMap, ModelAccess, ModelInfo
from ._regions import same_region_set
from ._settings import MAX_CACHE_AGE_HOURS, CatalogSettings
from ._store import CacheMode, CatalogStore, open_store

TYPE_CHECKING = False
if TYPE_CHECKING:
    import os
    from collections.abc import Callable, Iterable, Mapping
    from datetime import datetime
    from pathlib import Path
    from typing import Any

    from ._access import AccessMethod
    from ._fallback import FallbackReason
    from ._fetch import FetchEvent
    from ._types import FetchResult
    from ._v09 import ModelAccessInfo

    #: ``progress(outcome, done, total)``, called after each region of a refresh.
    Progress = Callable[[RegionOutcome, int, int], None]
    #: ``on_event(FetchEvent)``, called after every request of a fetch (see ``fetch_regions``).
    OnEvent = Callable[[FetchEvent], None]

__all__ = ["MAX_CACHE_AGE_HOURS", "BedrockModelCatalog"]

logger = getLogger(__name__)

#: Extra seconds a process waits for another process's refresh (bounded by ``timeout``) before
#: it fetches on its own without writing.
LOCK_WAIT_MARGIN_SECONDS = 10.0

#: Seconds of ``timeout`` kept for the work after the fetch (the transform and the stale merge),
#: so that ``timeout`` bounds the whole API step: the fetch's deadline is ``timeout`` minus this,
#: or half of ``timeout`` when that is less (see ``_fetch_timeout``). The worst case it covers,
#: every region at the fetch's entry caps with nothing shared between regions (31 regions x
#: 1,000 distinct models + 1,000 distinct profiles, 62,000 entries, 35,530 models), measured
#: 2.1 s (2.0 s with every other region failed and stale-merged) on 2 CPUs shared with other
#: work, Python 3.11.7: ``python benchmarks/bench_fetch.py --caps-only``, "Fetch at its caps"
#: in docs/performance.md.
TRANSFORM_RESERVE_SECONDS = 3.0

#: Marks the one WARNING logged per fallback (``record.catalog_fallback``), so an application or
#: the CLI can show it its own way; the reason is also data: ``CatalogMetadata.fallback``.
_FALLBACK = {"catalog_fallback": True}


class BedrockModelCatalog:
    """Which Bedrock model is callable from which region, and with which id.

    Data comes from the first step of the waterfall that works: a valid cache, the live APIs,
    an expired cache newer than the bundle, then the bundled data. Every public method is safe
    to call from many threads; the first query loads once.

    Every option is checked here, once (``CatalogSettings``): each bad one raises ValueError
    naming it. ``clock`` (a function returning an aware UTC datetime) is the catalog's one time
    base: cache freshness, the ``retrieved_at`` of a fetch and ``metadata.age`` all use it.
    ``random`` (a function returning a float in [0, 1)) and ``sleep`` (a function taking
    seconds) drive the fetch's retry backoff, ``rand() * min(cap, base * 2 ** (n - 1))``
    seconds before the n-th retry; None (the default) is ``random.random`` and ``time.sleep``.
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
        auth_manager: Any = None,
        max_retries: int | None = None,
        enable_fuzzy_matching: bool | None = None,
        random: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self._init(
            CatalogSettings(
                cache_mode,
                cache_directory,
                cache_max_age_hours,
                fallback_to_bundled,
                regions,
                max_workers,
                timeout,
                session,
                force_refresh,
                offline=offline,
                endpoint_url=endpoint_url,
                clock=clock,
                auth_manager=auth_manager,
                max_retries=max_retries,
                enable_fuzzy_matching=enable_fuzzy_matching,
                random=random,
                sleep=sleep,
            )
        )

    @classmethod
    def from_settings(cls, settings: CatalogSettings) -> BedrockModelCatalog:
        """A catalog with ``settings`` already validated (as the CLI and LLMManager build them)."""
        if not isinstance(settings, CatalogSettings):
            raise ValueError(f"settings: expected CatalogSettings, got {type(settings).__name__}")
        self = cls.__new__(cls)
        self._init(settings)
        return self

    def _init(self, settings: CatalogSettings) -> None:
        self._settings = settings
        self._clock = settings.clock
        self._store: CatalogStore = open_store(
            settings.cache_mode, settings.cache_directory, clock=settings.clock
        )
        self._catalog: Catalog | None = None
        self._lock = threading.RLock()
        # get_model_info's answers for the catalog in use: (catalog, (model id, region) -> info).
        self._infos: tuple[Catalog, dict[tuple[str, str], ModelAccessInfo]] | None = None

    def __repr__(self) -> str:
        state = "not loaded" if self._catalog is None else repr(self._catalog)
        return f"BedrockModelCatalog(cache_mode={self.cache_mode.value!r}, {state})"

    # -- loading ---------------------------------------------------------------------------------

    @property
    def settings(self) -> CatalogSettings:
        """The validated options of this catalog."""
        return self._settings

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
        return self._settings.cache_mode

    @property
    def store(self) -> CatalogStore:
        """The cache store behind this catalog (for inspection and clearing)."""
        return self._store

    def load(self, *, on_event: OnEvent | None = None) -> CatalogMetadata:
        """Run the waterfall unless a catalog is already loaded; return its metadata.

        ``on_event(FetchEvent)`` is called after every request if the API step runs.
        """
        current = self._catalog
        if current is not None:  # no waiting behind a refresh() that is running meanwhile
            return current.metadata
        with self._lock:
            if self._catalog is None:
                self._catalog = self._publish(self._waterfall(on_event))
            return self._catalog.metadata

    def _publish(self, catalog: Catalog) -> Catalog:
        """The catalog as this instance serves it: ages by its clock, and the bundle's version.

        The version is read from the package only when someone asks for it (the warm path
        never touches the bundle).
        """
        meta = catalog.metadata
        if meta.clock is self._clock and meta._bundled_version is not None:
            return catalog
        return catalog.with_metadata(
            clock=self._clock,
            bundled_version=meta._bundled_version or _bundled_version,
        )

    def _waterfall(self, on_event: OnEvent | None = None) -> Catalog:
        settings = self._settings
        why: dict[str, str] = {}
        if settings.force_refresh:
            why["cache"] = "skipped: force_refresh=True"
        else:
            cached = self._cached(allow_expired=False)
            if cached is not None:
                logger.debug("using cached catalog %s", cached.metadata.cache_path)
                return cached
            where = self._store.path or f"the {self._store.mode.value} store"
            why["cache"] = f"no valid cached catalog ({where}; see the DEBUG log)"

        # Past the cache step: the errors and the fallback reason are needed from here on (off
        # the warm path).
        from ..._errors import CatalogError, CatalogUnavailableError
        from ._fallback import FallbackCause, FallbackReason

        fallback: FallbackReason
        if settings.offline:
            fallback = FallbackReason(
                "api", FallbackCause.OFFLINE, f"skipped: offline ({settings.offline_switch})"
            )
        else:
            try:
                fetched = self._fetch_and_store(reuse=not settings.force_refresh, on_event=on_event)
            except Exception as exc:  # a botocore failure outside any region: no endpoint, etc.
                if not isinstance(exc, (CatalogError, OSError)):
                    logger.debug("API step failed", exc_info=True)
                fallback = _failure(exc)
            else:
                if isinstance(fetched, Catalog):
                    return fetched
                fallback = FallbackReason(
                    "api", FallbackCause.NO_REGION_ANSWERED, _no_region_answered(fetched)
                )
        why["api"] = fallback.detail

        from ._bundle import bundle_retrieved_at, load_bundled

        bundle_time = bundle_retrieved_at()
        stale = self._cached(allow_expired=True)
        if stale is not None and (bundle_time is None or stale.metadata.retrieved_at > bundle_time):
            stale = stale.with_metadata(source=CatalogSource.STALE_CACHE, fallback=fallback)
            age = describe_age(stale.metadata.age_at(self._clock()))
            if settings.offline:  # chosen, not a failure: the best data there is
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
                fallback.detail,
                extra=_FALLBACK,
            )
            return stale
        why["stale cache"] = "none" if stale is None else "older than the bundled data"
        if not settings.fallback_to_bundled:
            why["bundled"] = "fallback_to_bundled=False"
            raise CatalogUnavailableError(why)
        try:
            bundled = load_bundled()
        except CatalogError as exc:
            why["bundled"] = str(exc)
            raise CatalogUnavailableError(why) from None
        bundled = bundled.with_metadata(fallback=fallback)
        if settings.offline:
            # A deliberate air-gapped setup: the bundle is the expected source.
            logger.info("offline: using the bundled Bedrock catalog")
        else:
            self._warn_bundled(bundled, fallback.detail)
        return bundled

    def _warn_bundled(self, bundled: Catalog, reason: str) -> None:
        age = bundled.metadata.age_at(self._clock())
        message = (
            "using the Bedrock catalog bundled with bestehorn-llmmanager (data from %s, %s old) "
            "because the live API could not be used: %s"
        )
        args: list[Any] = [
            bundled.metadata.retrieved_at.date().isoformat(),
            describe_age(age),
            reason,
        ]
        if age.total_seconds() > BUNDLE_FRESHNESS_WARNING_DAYS * 86400:
            message += (
                "; this bundle is over %d days old: upgrade bestehorn-llmmanager, or give the "
                "process AWS credentials and run `bedrock-catalog refresh`"
            )
            args.append(BUNDLE_FRESHNESS_WARNING_DAYS)
        logger.warning(message, *args, extra=_FALLBACK)

    # -- refreshing ------------------------------------------------------------------------------

    def refresh(
        self, *, progress: Progress | None = None, on_event: OnEvent | None = None
    ) -> CatalogMetadata:
        """Fetch now and use the result; raise, saying why, when it cannot be used.

        On failure the current catalog stays in use. A result with far fewer models than the
        catalog it replaces is fetched a second time: taken when the second fetch confirms it
        (with a WARNING), raised as FetchError when the second fetch fails.
        ``progress(outcome, done, total)`` is called after each region (e.g. for a progress bar),
        ``on_event(FetchEvent)`` after every request.
        """
        from ..._errors import FetchError

        settings = self._settings
        if settings.offline:
            raise FetchError(
                f"refresh() fetches from the AWS API, but this catalog is offline "
                f"({settings.offline_switch}); the current catalog stays in use. Drop the "
                f"offline switch to refresh."
            )
        # What the cache holds now: a catalog there newer than this once the lock is ours was
        # written meanwhile by another process or thread, and is reused instead of fetching
        # twice. (Compared by retrieved_at, not by the time now, so any injected clock works.)
        before = self._cached(allow_expired=True)
        with self._lock:
            fetched = self._fetch_and_store(
                reuse=True,
                newer_than=None if before is None else before.metadata.retrieved_at,
                progress=progress,
                on_event=on_event,
            )
            if not isinstance(fetched, Catalog):
                raise FetchError(_no_region_answered(fetched))
            self._catalog = published = self._publish(fetched)
            return published.metadata

    def _cached(self, *, allow_expired: bool) -> Catalog | None:
        # NoStore answers None: no branching on the cache mode here.
        return self._store.load(
            self._settings.regions,
            max_age=self._settings.cache_max_age,
            allow_expired=allow_expired,
        )

    def _fetch_and_store(
        self,
        *,
        reuse: bool,
        newer_than: datetime | None = None,
        progress: Progress | None = None,
        on_event: OnEvent | None = None,
    ) -> Catalog | FetchResult:
        """The API step: under the store's lock, re-read, fetch, merge stale regions, guard, save.

        With ``reuse``, a fresh cache found once the lock is ours (written by another process or
        thread meanwhile: N processes -> 1 fetch) is used instead of fetching, when it is newer
        than ``newer_than`` (None: any). Returns the catalog, or the FetchResult when no region
        answered (the caller says why, as a fallback or an error).
        """
        lock_wait = self._settings.timeout + LOCK_WAIT_MARGIN_SECONDS
        with self._store.lock(lock_wait, regions=self._settings.regions) as locked:
            if not locked:
                logger.warning(
                    "could not take the catalog refresh lock within %.0f s (another process "
                    "is refreshing, or the lock file was refused: see any warning above); "
                    "fetching without writing the cache",
                    lock_wait,
                )
            # One read serves twice: a cache written meanwhile, and an intact older file as the
            # previous data.
            on_disk = self._cached(allow_expired=True)
            if (
                reuse
                and locked
                and on_disk is not None
                and on_disk.metadata.source is CatalogSource.CACHE
                and (newer_than is None or on_disk.metadata.retrieved_at > newer_than)
            ):
                return on_disk
            result = self._fetch(progress, on_event)
            if not result.any_ok:
                return result
            previous = self._previous(on_disk)
            catalog = _merge_stale(_build(result), previous, result)
            if self._shrinks(catalog, previous):
                assert previous is not None
                confirmed = self._confirm_shrink(catalog, previous, progress, on_event)
                if not isinstance(confirmed, Catalog):
                    return confirmed
                catalog = confirmed
            if locked and self._store.save(catalog):
                catalog = catalog.with_metadata(cache_path=self._store.path)
            return catalog

    def _shrinks(self, catalog: Catalog, previous: Catalog | None) -> bool:
        return (
            previous is not None
            and same_region_set(previous.metadata.requested_regions, self._settings.regions)
            and shrinks(len(catalog), len(previous))
        )

    def _confirm_shrink(
        self,
        catalog: Catalog,
        previous: Catalog,
        progress: Progress | None,
        on_event: OnEvent | None = None,
    ) -> Catalog | FetchResult:
        """The shrink guard: a second fetch decides whether a big drop is real (issue 11.9).

        Its answer is used either way: a drop it confirms is accepted (retirements, a policy
        change), so the guard never makes every later start fetch again; a normal answer shows
        the first was a glitch. When no region answers the second time, that result is returned
        (the waterfall falls back, refresh() raises, saying why).
        """
        logger.warning(
            "the API returned %d models where the previous catalog had %d; fetching once more "
            "to confirm before replacing it",
            len(catalog),
            len(previous),
        )
        result = self._fetch(progress, on_event)
        if not result.any_ok:
            return result
        second = _merge_stale(_build(result), previous, result)
        if shrinks(len(second), len(previous)):
            logger.warning(
                "a second fetch confirmed the drop to %d models (from %d); using the new "
                "catalog (if this is unexpected, check the account's Bedrock permissions)",
                len(second),
                len(previous),
            )
        return second

    def _fetch(self, progress: Progress | None, on_event: OnEvent | None = None) -> FetchResult:
        from ._fetch import fetch_regions

        settings = self._settings
        session = settings.session
        if session is None and settings.auth_manager is not None:
            session = settings.auth_manager.get_session()  # 0.9's AuthManager, asked on use
        limits = None
        if settings.max_retries is not None:
            from ._fetch import FetchLimits

            limits = FetchLimits(max_attempts=settings.max_retries + 1)
        result = fetch_regions(
            settings.regions,
            clock=self._clock,
            session=session,
            max_workers=settings.max_workers,
            timeout=_fetch_timeout(settings.timeout),
            endpoint_url=settings.endpoint_url,
            progress=progress,
            on_event=on_event,
            limits=limits,
            random=settings.random,
            sleep=settings.sleep,
            unreachable=_unreachable_memory(self._store.path),
        )
        bad = [r for r, o in result.outcomes.items() if o.status is RegionStatus.FAILED]
        if bad and result.any_ok:
            logger.warning(
                "%d of %d regions failed to answer (%s); their previous data is kept where known",
                len(bad),
                len(result.answers),
                ", ".join(sorted(bad)),
                # Marked, like the fallback warning, so the CLI can report it its own way, once.
                extra={"catalog_regions_failed": True},
            )
        return result

    def _previous(self, on_disk: Catalog | None) -> Catalog | None:
        """The best earlier catalog for the same regions: the one in use, else the cache file."""
        current = self._catalog
        if current is not None and current.metadata.source is not CatalogSource.BUNDLED:
            return current
        return on_disk

    # -- queries ---------------------------------------------------------------------------------

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

    # -- 0.9's surface (issue 13): its signatures and meanings, over the methods above -------------
    # get_model_info and is_model_available answer None/False for a name no model has, as 0.9
    # did, with one WARNING per name per process; resolve() keeps raising. The values carry
    # 0.9's attribute names (ModelAccessInfo, ModelInfo as UnifiedModelInfo, CatalogMetadata).

    def get_model_info(self, model_name: str, region: str | None = None) -> ModelAccessInfo | None:
        """How to call ``model_name`` from ``region`` (0.9's ``ModelAccessInfo``), or None.

        None when no model matches the name (logged once per name, with suggestions), or when
        the model is not callable from ``region``. Without ``region``: the access of the first
        region (alphabetically) it is callable from. ``ModelAccessInfo.model_id`` is the
        direct model id (None when only a profile reaches it there), as in 0.9. ValueError for
        a malformed region name.
        """
        catalog = self.catalog
        model = self._lookup_09("get_model_info", model_name, "None")
        if model is None:
            return None
        if region is None:
            regions = sorted(model.regions)
            if not regions:
                return None
            region = regions[0]
        infos = self._infos
        if infos is None or infos[0] is not catalog:
            infos = self._infos = (catalog, {})
        key = (model.model_id, region)
        found = infos[1].get(key) if isinstance(region, str) else None
        if found is None:
            access = catalog.get(model.model_id, region)
            if access is None:
                return None
            from ._v09 import ModelAccessInfo

            # One value per model and region while this catalog is in use (setdefault: the
            # first of concurrent callers wins, so every caller gets the same object).
            found = infos[1].setdefault(key, ModelAccessInfo.from_access(access, model))
        return found

    def get_model_access_info(self, model_name: str, region: str) -> ModelAccessInfo | None:
        """0.9's alias of :meth:`get_model_info` (from UnifiedModelManager)."""
        return self.get_model_info(model_name, region)

    def is_model_available(self, model_name: str, region: str) -> bool:
        """True when ``model_name`` is callable from ``region``; False for an unknown name
        (logged once per name, with suggestions). ValueError for a malformed region name."""
        model = self._lookup_09("is_model_available", model_name, "False")
        return model is not None and self.catalog.get(model.model_id, region) is not None

    def _lookup_09(self, method: str, model_name: str, answer: str) -> ModelInfo | None:
        try:
            return self.catalog.resolve(model_name)
        except LookupError as exc:  # ModelNotFoundError is one: its module loads on a miss only
            from ..._errors import ModelNotFoundError

            if not isinstance(exc, ModelNotFoundError):
                raise
            if _UNKNOWN_NAMES.first(model_name):
                logger.warning("%s answers %s: %s", method, answer, exc)
            return None

    def get_catalog_metadata(self) -> CatalogMetadata:
        """0.9's name of :attr:`metadata` (loading the catalog first if needed)."""
        return self.metadata

    def ensure_catalog_available(self) -> Catalog:
        """Load the catalog if needed (cache, API, bundle) and return it (0.9's UnifiedCatalog).

        Raises CatalogUnavailableError when no step of the waterfall can serve.
        """
        return self.catalog

    def refresh_catalog(self) -> Catalog:
        """Fetch from the AWS APIs now and return the catalog in use.

        When the fetch fails, the catalog in use stays (0.9 dropped it and fell back to the
        bundled data): a WARNING says why, and the catalog is loaded through the waterfall if
        none was. Raises CatalogUnavailableError only when nothing can serve.
        """
        from ..._errors import CatalogError

        try:
            self.refresh()
        except CatalogError as exc:
            logger.warning("refresh_catalog: the fetch failed, keeping the catalog in use: %s", exc)
        return self.catalog

    def clear_cache(self) -> None:
        """Forget the catalog in memory and remove the cache this catalog's store wrote; the
        next query loads again (cache, API, bundle). What could not be removed is logged."""
        with self._lock:
            self._catalog = None
            report = self._store.clear()
        for path, reason in getattr(report, "kept", ()):
            logger.warning("clear_cache: could not remove %s: %s", path, reason)

    @property
    def is_catalog_loaded(self) -> bool:
        """Whether a catalog is in memory (the first query or load() loads one)."""
        return self._catalog is not None

    @property
    def cache_file_path(self) -> Path | None:
        """The cache file of FILE mode (None for MEMORY and NONE), as 0.9 reported it."""
        if self.cache_mode is not CacheMode.FILE:
            return None
        return self._store.path

    def destination_regions(
        self, model_name: str, region: str, method: AccessMethod | str | None = None
    ) -> list[str]:
        """The regions a request for ``model_name`` sent from ``region`` may run in.

        ``method`` (default: the one the catalog would use, direct first) picks direct access,
        the regional or the global profile; [] when the model is not callable from ``region``
        that way. ModelNotFoundError for an unknown name (this is not a 0.9 method).
        """
        access = self.catalog.get(model_name, region)
        return [] if access is None else list(access.destination_regions(method))


class _OncePerName:
    """Which unknown names were reported already in this process (bounded; ``reset()``)."""

    def __init__(self, limit: int = 1024) -> None:
        self._seen: dict[str, None] = {}
        self._limit = limit
        self._lock = threading.Lock()

    def first(self, name: object) -> bool:
        # A hostile 32 KB "name" is remembered by its start: the set stays small.
        key = (name if isinstance(name, str) else repr(name))[:300]
        with self._lock:
            if key in self._seen:
                return False
            if len(self._seen) >= self._limit:
                self._seen.pop(next(iter(self._seen)))
            self._seen[key] = None
            return True

    def reset(self) -> None:
        with self._lock:
            self._seen.clear()


#: Unknown names get_model_info/is_model_available reported (one WARNING per name per process).
_UNKNOWN_NAMES = _OncePerName()


def _bundled_version() -> str | None:
    """The bundle's version, read on first use (the bundle is never touched on the warm path)."""
    from ._bundle import bundled_version

    return bundled_version()


def _build(result: FetchResult) -> Catalog:
    from ._transform import build_catalog

    return build_catalog(result, source=CatalogSource.API)


def _fetch_timeout(timeout: float) -> float:
    """The fetch's share of the API step's ``timeout``: the transform's reserve comes off it.

    Below twice the reserve the fetch keeps half of ``timeout``, and the other half bounds the
    transform of answers up to about that share of the caps' worst case.
    """
    return timeout - min(TRANSFORM_RESERVE_SECONDS, timeout / 2)


def _unreachable_memory(cache_file: Path | None) -> Any:
    """Dead endpoints shared with the next process, beside the cache file; None: in-process."""
    if cache_file is None:
        return None
    from ._fetch import UNREACHABLE_FILENAME, UnreachableEndpoints

    return UnreachableEndpoints(path=cache_file.parent / UNREACHABLE_FILENAME)


def _failure(exc: BaseException) -> FallbackReason:
    """Why the API step failed, as data: the cause, and one line naming it (no account id)."""
    from ..._errors import CatalogError, NoCredentialsError
    from ._fallback import FallbackCause, FallbackReason

    if isinstance(exc, NoCredentialsError):
        if type(exc.__cause__).__name__ == "ProfileNotFound":  # raised while resolving keys
            return FallbackReason("api", FallbackCause.PROFILE_NOT_FOUND, str(exc))
        return FallbackReason("api", FallbackCause.NO_CREDENTIALS, str(exc))
    text = str(exc) or type(exc).__name__
    if isinstance(exc, CatalogError):
        return FallbackReason("api", FallbackCause.API_ERROR, text)
    cause = (
        FallbackCause.PROFILE_NOT_FOUND
        if type(exc).__name__ == "ProfileNotFound"  # botocore's, without importing botocore
        else FallbackCause.API_ERROR
    )
    return FallbackReason("api", cause, f"{type(exc).__name__}: {text}")


def _no_region_answered(result: FetchResult) -> str:
    """One line for a fetch where no region answered: regions grouped by their reason."""
    by_reason: dict[str, list[str]] = {}
    for region, outcome in sorted(result.outcomes.items()):
        by_reason.setdefault(outcome.reason, []).append(region)
    if len(by_reason) == 1:
        (reason, regions), *_ = by_reason.items()
        where = regions[0] if len(regions) == 1 else f"{len(regions)} regions"
        return f"no region answered ({where}: {reason})"
    parts = [
        f"{', '.join(regions) if len(regions) <= 3 else f'{len(regions)} regions'}: {reason}"
        for reason, regions in sorted(by_reason.items(), key=lambda item: -len(item[1]))
    ]
    return f"no region answered ({'; '.join(parts)})"


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
        elif not kept:  # nothing stale to add: the fresh model as it is (no rebuild)
            merged.append(new)
            continue
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
    return model.replace(regions=regions)
