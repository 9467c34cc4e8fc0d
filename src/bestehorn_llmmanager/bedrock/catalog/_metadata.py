"""Where a catalog came from: its source, each region's outcome, and (``_fallback``) why a
fallback was taken.

Pure values; no I/O and no queries. On the warm path (a fresh process answering from a cache
file), so it imports only ``enum``, the account-id mask and the hand-written value base: never
``dataclasses``, ``logging``, ``datetime`` or ``typing``.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType

from ..._redact import ACCOUNT_ID_RE, mask_account_ids
from ._v09 import MetadataView
from ._value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime, timedelta
    from pathlib import Path
    from typing import Any

    from ._fallback import FallbackReason

_EMPTY: Mapping[str, Any] = MappingProxyType({})
_set = object.__setattr__


def describe_age(age: timedelta) -> str:
    """A short human age for messages: "42 min", "5.5 h", "47 days" (negative reads "0 min")."""
    seconds = max(0, int(age.total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds // 86400} days"


class RegionStatus(str, Enum):
    """How one region's API answer went."""

    OK = "ok"
    UNAVAILABLE = "unavailable"  # access denied, opt-in region not enabled: normal, never retried
    FAILED = "failed"  # throttling, 5xx, timeouts, deadline: worth retrying later


class CatalogSource(str, Enum):
    """Where the catalog in use came from."""

    CACHE = "cache"
    API = "api"
    STALE_CACHE = "stale_cache"
    BUNDLED = "bundled"


class RegionOutcome(Value):
    """How one region's fetch ended, with the AWS error code and message when it did not.

    A hand-written frozen value (see ``_value``): every cached region's outcome is decoded on the
    warm path. Account ids in ``message`` are masked here, where every outcome is made.
    """

    __slots__ = ("error_code", "message", "region", "status")
    _fields = ("region", "status", "error_code", "message")

    region: str
    status: RegionStatus
    error_code: str | None
    message: str | None

    def __init__(
        self,
        region: str,
        status: RegionStatus,
        error_code: str | None = None,
        message: str | None = None,
    ) -> None:
        # AccessDenied messages quote the caller's ARN. Masked here, where every outcome is
        # made, so no account id reaches a catalog, a cache or bundle file, an error or a log.
        if message is not None and ACCOUNT_ID_RE.search(message):
            message = mask_account_ids(message)
        _set(self, "region", region)
        _set(self, "status", status)
        _set(self, "error_code", error_code)
        _set(self, "message", message)

    @property
    def reason(self) -> str:
        """A one-line reason, e.g. ``ThrottlingException: Rate exceeded``; empty when ok."""
        if self.status is RegionStatus.OK:
            return ""
        parts = [p for p in (self.error_code, self.message) if p]
        return ": ".join(parts) or self.status.value


class CatalogMetadata(MetadataView, Value):
    """Where a catalog came from, when AWS answered, and how each region's answer went.

    A hand-written frozen value (see ``_value``): decoded on the warm path. ``age`` is measured
    with the clock of the ``BedrockModelCatalog`` that loaded it (``clock=``), or the system clock
    for metadata made elsewhere; ``age_at(now)`` measures against any time.
    """

    __slots__ = (
        "_bundled_version",
        "_clock",
        "cache_path",
        "fallback",
        "generated_at",
        "package_version",
        "region_outcomes",
        "requested_regions",
        "retrieved_at",
        "schema_version",
        "source",
        "stale_regions",
    )
    _fields = (
        "source",
        "retrieved_at",
        "region_outcomes",
        "requested_regions",
        "stale_regions",
        "cache_path",
        "bundled_version",
        "generated_at",
        "package_version",
        "schema_version",
        "fallback",
        "clock",
    )

    source: CatalogSource
    retrieved_at: datetime
    region_outcomes: Mapping[str, RegionOutcome]
    requested_regions: tuple[str, ...] | None
    stale_regions: tuple[str, ...]
    cache_path: Path | None
    generated_at: datetime | None
    package_version: str | None
    schema_version: int | None
    #: Why the live API was not used, when the source is STALE_CACHE or BUNDLED.
    fallback: FallbackReason | None
    _bundled_version: str | Callable[[], str | None] | None
    _clock: Callable[[], datetime] | None

    def __init__(
        self,
        source: CatalogSource,
        retrieved_at: datetime,
        region_outcomes: Mapping[str, RegionOutcome] = _EMPTY,
        requested_regions: tuple[str, ...] | None = None,
        stale_regions: tuple[str, ...] = (),
        cache_path: Path | None = None,
        bundled_version: str | Callable[[], str | None] | None = None,
        generated_at: datetime | None = None,
        package_version: str | None = None,
        schema_version: int | None = None,
        fallback: FallbackReason | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        _set(self, "source", source)
        _set(self, "retrieved_at", retrieved_at)
        _set(self, "region_outcomes", region_outcomes)
        _set(self, "requested_regions", requested_regions)
        _set(self, "stale_regions", stale_regions)
        _set(self, "cache_path", cache_path)
        _set(self, "_bundled_version", bundled_version)
        _set(self, "generated_at", generated_at)
        _set(self, "package_version", package_version)
        _set(self, "schema_version", schema_version)
        _set(self, "fallback", fallback)
        _set(self, "_clock", clock)

    def _values(self) -> tuple[Any, ...]:
        # The stored bundled version, not the property (which may read the package).
        return (
            self.source,
            self.retrieved_at,
            self.region_outcomes,
            self.requested_regions,
            self.stale_regions,
            self.cache_path,
            self._bundled_version,
            self.generated_at,
            self.package_version,
            self.schema_version,
            self.fallback,
            self._clock,
        )

    def _key(self) -> tuple[Any, ...]:
        # The clock is how ages are measured, not part of the value: equal metadata stay equal.
        return self._values()[:-1]

    def __reduce__(self) -> tuple[Any, ...]:
        # A mappingproxy cannot be pickled: the outcomes travel as a read-only copy's contents.
        values = self._values()
        return (_restore, (values[:2], dict(self.region_outcomes), values[3:]))

    @property
    def clock(self) -> Callable[[], datetime] | None:
        """The clock ``age`` is measured with (None: the system clock)."""
        return self._clock

    @property
    def bundled_version(self) -> str | None:
        """When the data of the bundle shipped with this package was retrieved (its version).

        Given as a string, or as a function that reads it on first use: a catalog loaded from a
        cache never reads the bundle unless this is asked for.
        """
        stamp = self._bundled_version
        return stamp() if callable(stamp) else stamp

    @property
    def fallback_reason(self) -> str | None:
        """``fallback.detail``: why the live API was not used (None when it was, or not tried)."""
        fallback = self.fallback
        return None if fallback is None else fallback.detail

    def age_at(self, now: datetime) -> timedelta:
        """How old the data is at ``now``: ``now - retrieved_at``."""
        return now - self.retrieved_at

    @property
    def age(self) -> timedelta:
        """How old the data is now, by the loading catalog's clock (see the class docstring)."""
        clock = self._clock
        if clock is None:
            from ._clock import system_clock

            clock = system_clock
        return clock() - self.retrieved_at

    @property
    def regions_ok(self) -> tuple[str, ...]:
        return tuple(
            sorted(r for r, o in self.region_outcomes.items() if o.status is RegionStatus.OK)
        )

    @property
    def regions_unavailable(self) -> Mapping[str, str]:
        """Region -> reason, for regions the account cannot use (opt-in, access denied)."""
        return self._reasons(RegionStatus.UNAVAILABLE)

    @property
    def regions_failed(self) -> Mapping[str, str]:
        """Region -> reason, for regions whose answer failed (throttling, 5xx, deadline)."""
        return self._reasons(RegionStatus.FAILED)

    def _reasons(self, status: RegionStatus) -> Mapping[str, str]:
        return MappingProxyType(
            {r: o.reason for r, o in sorted(self.region_outcomes.items()) if o.status is status}
        )


def _restore(
    head: tuple[Any, ...], outcomes: dict[str, RegionOutcome], tail: tuple[Any, ...]
) -> Any:
    """Unpickle a CatalogMetadata (see its ``__reduce__``)."""
    values: list[Any] = [*head, MappingProxyType(outcomes), *tail]
    return CatalogMetadata(*values)
