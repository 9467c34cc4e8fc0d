"""CatalogSettings: every option of BedrockModelCatalog, validated once, and the environment
switches (``BEDROCK_CATALOG_*``), read in one place.

The facade, the CLI and LLMManager's default catalog build one of these; nothing downstream
validates an option again. Does no I/O beyond reading ``os.environ``, never imports boto3, and
is on the warm path: no ``dataclasses``, ``logging`` or ``typing`` at run time.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from ._clock import system_clock, timedelta
from ._constants import (
    DEFAULT_CACHE_MAX_AGE_HOURS,
    DEFAULT_MAX_WORKERS,
    DEFAULT_TIMEOUT_SECONDS,
    ENV_OFFLINE,
    Environment,
    read_environment,
)
from ._regions import normalise_regions
from ._store import CacheMode, check_cache_directory
from ._value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from datetime import datetime
    from typing import Any

__all__ = ["MAX_CACHE_AGE_HOURS", "CatalogSettings"]

_set = object.__setattr__

#: The largest accepted ``cache_max_age_hours``: a year; older data is wrong, not cached.
MAX_CACHE_AGE_HOURS = 24 * 366.0


def _flag(argument: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{argument}: expected True or False, got {value!r}")
    return value


def _number(argument: str, value: object, minimum: float, *, strict: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{argument}: expected a finite number, got {value!r}")
    if value < minimum or (strict and value == minimum):
        relation = ">" if strict else ">="
        raise ValueError(f"{argument}: must be {relation} {minimum:g}, got {value!r}")
    return float(value)


def _mode(value: object) -> CacheMode:
    try:
        return CacheMode(value)
    except ValueError as exc:
        message = str(exc)
        if not message.startswith("cache_mode"):
            message = f"cache_mode: {message}"
        raise ValueError(message) from None


class CatalogSettings(Value):
    """Every option of a BedrockModelCatalog, validated; immutable (``replace`` re-validates,
    and reads the environment again).

    The arguments are those of ``BedrockModelCatalog`` (see its docstring); each bad one raises
    ValueError naming the argument, the value and the fix. The environment is read here, once:
    ``offline`` is True when ``offline=True`` or (``offline=None``) ``BEDROCK_CATALOG_OFFLINE``
    is on; ``cache_directory`` None becomes ``BEDROCK_CATALOG_CACHE_DIR`` when that is set.
    ``environ`` replaces ``os.environ`` (for tests and embedding).
    """

    __slots__ = (
        "_directory_argument",
        "_offline_argument",
        "auth_manager",
        "cache_directory",
        "cache_max_age",
        "cache_max_age_hours",
        "cache_mode",
        "clock",
        "enable_fuzzy_matching",
        "endpoint_url",
        "environment",
        "fallback_to_bundled",
        "force_refresh",
        "max_retries",
        "max_workers",
        "offline",
        "random",
        "regions",
        "session",
        "sleep",
        "timeout",
    )
    _fields = (
        "cache_mode",
        "cache_directory",
        "cache_max_age_hours",
        "fallback_to_bundled",
        "regions",
        "max_workers",
        "timeout",
        "session",
        "force_refresh",
        "offline",
        "endpoint_url",
        "clock",
        "auth_manager",
        "max_retries",
        "enable_fuzzy_matching",
        "random",
        "sleep",
    )

    cache_mode: CacheMode
    #: The directory given (or from the environment); None: the platform default. FILE mode only.
    cache_directory: Path | None
    cache_max_age_hours: float
    cache_max_age: timedelta
    fallback_to_bundled: bool
    #: Normalised and deduplicated; None: every region with a Bedrock endpoint.
    regions: tuple[str, ...] | None
    max_workers: int
    timeout: float
    session: Any
    force_refresh: bool
    #: Resolved: the argument, else the environment switch.
    offline: bool
    endpoint_url: str | None
    clock: Callable[[], datetime]
    environment: Environment
    _offline_argument: bool | None
    _directory_argument: Path | None
    #: 0.9's options. ``auth_manager``: an object with ``get_session()`` (0.9's AuthManager),
    #: asked for the boto3 session when the API step runs. ``max_retries``: retries per API
    #: call (None: the fetch's default). ``enable_fuzzy_matching``: accepted, no effect (the
    #: catalog links profiles to models by their ARNs, never by a fuzzy name match).
    auth_manager: Any
    max_retries: int | None
    enable_fuzzy_matching: bool | None
    #: The fetch's retry backoff: ``random()`` a float in [0, 1), ``sleep(seconds)``. None: the
    #: real ``random.random`` and ``time.sleep`` (chosen by the fetch, so this module never
    #: imports ``random``, which pulls ``hashlib`` onto the warm path).
    random: Callable[[], float] | None
    sleep: Callable[[float], None] | None

    def __init__(
        self,
        cache_mode: CacheMode | str = CacheMode.FILE,
        cache_directory: str | os.PathLike[str] | None = None,
        cache_max_age_hours: float = DEFAULT_CACHE_MAX_AGE_HOURS,
        fallback_to_bundled: bool = True,
        regions: Iterable[str] | str | None = None,
        max_workers: int = DEFAULT_MAX_WORKERS,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        session: Any = None,
        force_refresh: bool = False,
        offline: bool | None = None,
        endpoint_url: str | None = None,
        clock: Callable[[], datetime] | None = None,
        auth_manager: Any = None,
        max_retries: int | None = None,
        enable_fuzzy_matching: bool | None = None,
        random: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
        *,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        mode = _mode(cache_mode)
        if auth_manager is not None:
            if not callable(getattr(auth_manager, "get_session", None)):
                raise ValueError(
                    "auth_manager: expected an object with get_session() (0.9's AuthManager), "
                    f"got {type(auth_manager).__name__}"
                )
            if session is not None:
                raise ValueError("pass session= or auth_manager=, not both")
        if max_retries is not None and (
            isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0
        ):
            raise ValueError(f"max_retries: must be an integer >= 0 or None, got {max_retries!r}")
        if enable_fuzzy_matching is not None:
            _flag("enable_fuzzy_matching", enable_fuzzy_matching)
        checked = check_cache_directory(cache_directory)  # the store's one rule for paths
        directory = None if checked is None else Path(checked)
        hours = _number("cache_max_age_hours", cache_max_age_hours, 0)
        if hours > MAX_CACHE_AGE_HOURS:
            raise ValueError(
                f"cache_max_age_hours: at most {MAX_CACHE_AGE_HOURS:g} (a year), got {hours!r}"
            )
        regions = normalise_regions(regions, argument="regions")
        if isinstance(max_workers, bool) or not isinstance(max_workers, int) or max_workers < 1:
            raise ValueError(f"max_workers: must be an integer >= 1, got {max_workers!r}")
        seconds = _number("timeout", timeout, 0, strict=True)
        if offline is not None:
            _flag("offline", offline)
        if endpoint_url is not None and (not isinstance(endpoint_url, str) or not endpoint_url):
            raise ValueError(f"endpoint_url: expected a URL string or None, got {endpoint_url!r}")
        if clock is not None and not callable(clock):
            raise ValueError(f"clock: expected a function returning a datetime, got {clock!r}")
        if random is not None and not callable(random):
            raise ValueError(
                f"random: expected a function returning a float in [0, 1), got {random!r}"
            )
        if sleep is not None and not callable(sleep):
            raise ValueError(f"sleep: expected a function taking seconds, got {sleep!r}")
        environment = read_environment(environ)
        if directory is None and environment.cache_dir is not None:
            from_env = check_cache_directory(environment.cache_dir)
            resolved = None if from_env is None else Path(from_env)
        else:
            resolved = directory
        _set(self, "cache_mode", mode)
        _set(self, "_directory_argument", directory)
        _set(self, "cache_directory", resolved)
        _set(self, "cache_max_age_hours", hours)
        _set(self, "cache_max_age", timedelta(hours=hours))
        _set(self, "fallback_to_bundled", _flag("fallback_to_bundled", fallback_to_bundled))
        _set(self, "regions", regions)
        _set(self, "max_workers", max_workers)
        _set(self, "timeout", seconds)
        _set(self, "session", session)
        _set(self, "force_refresh", _flag("force_refresh", force_refresh))
        _set(self, "_offline_argument", offline)
        _set(self, "offline", environment.offline if offline is None else offline)
        _set(self, "endpoint_url", endpoint_url)
        _set(self, "clock", clock or system_clock)
        _set(self, "environment", environment)
        _set(self, "auth_manager", auth_manager)
        _set(self, "max_retries", max_retries)
        _set(self, "enable_fuzzy_matching", enable_fuzzy_matching)
        _set(self, "random", random)
        _set(self, "sleep", sleep)

    def _key(self) -> tuple[Any, ...]:
        return super()._values()  # the resolved options: what the catalog will do

    def _values(self) -> tuple[Any, ...]:
        # The arguments that rebuild these settings (``replace``, pickling): the environment is
        # read again then.
        values = list(super()._values())
        values[self._fields.index("offline")] = self._offline_argument
        values[self._fields.index("cache_directory")] = self._directory_argument
        return tuple(values)

    @property
    def offline_switch(self) -> str:
        """What made the catalog offline, for messages: ``offline=True``, the variable, or ''."""
        if not self.offline:
            return ""
        if self._offline_argument:
            return "offline=True"
        return f"{ENV_OFFLINE}={self.environment.offline_value}"
