"""The catalog's data: enums and frozen dataclasses. Pure values; no I/O and no queries."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import Any

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def describe_age(age: timedelta) -> str:
    """A short human age for messages: "42 min", "5.5 h", "47 days" (negative reads "0 min")."""
    seconds = max(0, int(age.total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds // 86400} days"


class AccessMethod(str, Enum):
    """How a model is invoked from a region."""

    DIRECT = "direct"
    REGIONAL_PROFILE = "regional_profile"
    GLOBAL_PROFILE = "global_profile"


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


@dataclass(frozen=True, slots=True)
class ModelAccess:
    """One model as seen from one source region: which ids can be sent to Converse from there."""

    model_id: str
    region: str
    direct_model_id: str | None = None
    regional_profile_id: str | None = None
    regional_profile_ids: tuple[str, ...] = ()
    global_profile_id: str | None = None

    @property
    def access_methods(self) -> tuple[AccessMethod, ...]:
        methods = []
        if self.direct_model_id is not None:
            methods.append(AccessMethod.DIRECT)
        if self.regional_profile_id is not None:
            methods.append(AccessMethod.REGIONAL_PROFILE)
        if self.global_profile_id is not None:
            methods.append(AccessMethod.GLOBAL_PROFILE)
        return tuple(methods)

    @property
    def invocation_id(self) -> str:
        """The id to send to Converse from ``region``: direct, else regional, else global."""
        for candidate in (self.direct_model_id, self.regional_profile_id, self.global_profile_id):
            if candidate is not None:
                return candidate
        raise ValueError(f"{self.model_id} has no access method in {self.region}")

    def id_for(self, method: AccessMethod) -> str | None:
        """The id to send for one access method, or None if that method is not offered here."""
        if method is AccessMethod.DIRECT:
            return self.direct_model_id
        if method is AccessMethod.REGIONAL_PROFILE:
            return self.regional_profile_id
        return self.global_profile_id


@dataclass(frozen=True, slots=True)
class ProfileRoute:
    """One inference profile of one model and the source regions it is callable from."""

    profile_id: str
    is_global: bool
    source_regions: frozenset[str]


class AccessMap(Mapping[str, ModelAccess]):
    """Region -> ModelAccess of one model, derived on demand from its direct regions and routes.

    This compact form is what the catalog file stores. A map decoded from a file keeps the
    file's strings and parses them on first use, and ModelAccess objects are built on first
    access, so loading a catalog costs little more than parsing its JSON. Regional routes are
    kept in rank order (the preferred profile first); ``overrides`` records a region whose own
    order differs, so any catalog round-trips exactly. Never mutated after it is complete:
    concurrent first uses compute equal values, and the last write wins harmlessly.
    """

    __slots__ = (
        "_built",
        "_compact",
        "_direct",
        "_keys",
        "_keyset",
        "_model_id",
        "_overrides",
        "_routes",
    )

    def __init__(
        self,
        model_id: str,
        direct_regions: Iterable[str] = (),
        routes: Iterable[ProfileRoute] = (),
        overrides: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self._model_id = model_id
        self._compact: tuple[str, str] | None = None
        self._overrides = dict(overrides or {})
        self._built: dict[str, ModelAccess] = {}
        self._complete(frozenset(direct_regions), tuple(routes))

    @classmethod
    def from_compact(
        cls,
        model_id: str,
        direct: str,
        routes: str,
        overrides: Mapping[str, tuple[str, ...]] | None = None,
    ) -> AccessMap:
        """A map over the file's form (see ``compact_routes``), parsed on first use."""
        self = cls.__new__(cls)
        self._model_id = model_id
        self._compact = (direct, routes)
        self._overrides = dict(overrides or {})
        self._built = {}
        return self

    def _complete(self, direct: frozenset[str], routes: tuple[ProfileRoute, ...]) -> None:
        self._direct = direct
        self._routes = routes
        self._keyset = direct.union(*(r.source_regions for r in routes))
        self._keys = tuple(sorted(self._keyset))

    def _parse(self) -> None:
        compact = self._compact
        if compact is not None:
            direct, routes = compact
            parsed = []
            for item in routes.split(";") if routes else ():
                kind, profile_id, *regions = item.split()
                parsed.append(ProfileRoute(profile_id, kind == "G", frozenset(regions)))
            self._complete(frozenset(direct.split()), tuple(parsed))
            self._compact = None

    @classmethod
    def from_accesses(cls, model_id: str, accesses: Iterable[ModelAccess]) -> AccessMap:
        """The compact form of explicit per-region accesses (exact, whatever their order)."""
        items = [a for a in accesses if a.access_methods]
        direct = [a.region for a in items if a.direct_model_id is not None]
        sources: dict[tuple[str, bool], set[str]] = {}
        after: dict[str, set[str]] = {}  # profile id -> ids some region ranks below it
        for access in items:
            ids = access.regional_profile_ids
            for position, profile_id in enumerate(ids):
                sources.setdefault((profile_id, False), set()).add(access.region)
                after.setdefault(profile_id, set()).update(ids[position + 1 :])
            if access.global_profile_id is not None:
                sources.setdefault((access.global_profile_id, True), set()).add(access.region)
        order = _rank_order(after)
        rank = {pid: i for i, pid in enumerate(order)}
        overrides = {
            a.region: a.regional_profile_ids
            for a in items
            if list(a.regional_profile_ids) != sorted(a.regional_profile_ids, key=rank.__getitem__)
        }
        routes = [ProfileRoute(pid, False, frozenset(sources[(pid, False)])) for pid in order]
        routes += [
            ProfileRoute(pid, True, frozenset(regions))
            for (pid, is_global), regions in sorted(sources.items())
            if is_global
        ]
        return cls(model_id, direct, routes, overrides)

    @property
    def direct_regions(self) -> frozenset[str]:
        self._parse()
        return self._direct

    @property
    def routes(self) -> tuple[ProfileRoute, ...]:
        self._parse()
        return self._routes

    @property
    def overrides(self) -> Mapping[str, tuple[str, ...]]:
        return MappingProxyType(self._overrides)

    def profile_ids(self) -> tuple[str, ...]:
        """Every profile id of this model, without parsing regions or building ModelAccess."""
        compact = self._compact
        if compact is not None:
            # "R <id> <region>...;G <id> ...": the id is each item's second word.
            return tuple(item.split(None, 2)[1] for item in compact[1].split(";") if item)
        return tuple(r.profile_id for r in self.routes)

    def compact_routes(self) -> str:
        """The file form of the routes: ``"R <id> <region>...;G <id> <region>..."``."""
        return ";".join(
            " ".join(("G" if r.is_global else "R", r.profile_id, *sorted(r.source_regions)))
            for r in self.routes
        )

    def _build(self, region: str) -> ModelAccess:
        regional = self._overrides.get(region)
        if regional is None:
            regional = tuple(
                r.profile_id for r in self._routes if not r.is_global and region in r.source_regions
            )
        global_id = next(
            (r.profile_id for r in self._routes if r.is_global and region in r.source_regions),
            None,
        )
        access = ModelAccess(
            model_id=self._model_id,
            region=region,
            direct_model_id=self._model_id if region in self._direct else None,
            regional_profile_id=regional[0] if regional else None,
            regional_profile_ids=regional,
            global_profile_id=global_id,
        )
        self._built[region] = access
        return access

    def __getitem__(self, region: str) -> ModelAccess:
        access = self._built.get(region)
        if access is not None:
            return access
        self._parse()
        if region not in self._keyset:
            raise KeyError(region)
        return self._build(region)

    def get(self, region: str, default: Any = None) -> Any:
        access = self._built.get(region)
        if access is not None:
            return access
        self._parse()
        # No KeyError round trip: "not callable from here" is a common answer of get().
        if region not in self._keyset:
            return default
        return self._build(region)

    def __contains__(self, region: object) -> bool:
        self._parse()
        return region in self._keyset

    def __iter__(self) -> Iterator[str]:
        self._parse()
        return iter(self._keys)

    def __len__(self) -> int:
        self._parse()
        return len(self._keys)

    def __repr__(self) -> str:
        return f"AccessMap({self._model_id!r}, regions={list(self)!r})"


def _rank_order(after: Mapping[str, set[str]]) -> list[str]:
    """One order consistent with every region's ranking (Kahn, ties by id); cycles by id."""
    blockers = {pid: 0 for pid in after}
    for below in after.values():
        for pid in below:
            blockers[pid] += 1
    ready = sorted(pid for pid, count in blockers.items() if count == 0)
    order: list[str] = []
    while ready:
        pid = ready.pop(0)
        order.append(pid)
        for nxt in sorted(after[pid]):
            blockers[nxt] -= 1
            if blockers[nxt] == 0:
                ready.append(nxt)
                ready.sort()
    if len(order) != len(blockers):  # regions disagree in a cycle: overrides keep it exact
        order += sorted(set(blockers) - set(order))
    return order


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """One model across all regions; ``regions`` holds only regions it is callable from."""

    model_id: str
    name: str
    provider: str
    input_modalities: tuple[str, ...] = ()
    output_modalities: tuple[str, ...] = ()
    streaming_supported: bool | None = None
    lifecycle_status: str = "ACTIVE"
    inference_types: tuple[str, ...] = ()
    regions: Mapping[str, ModelAccess] = field(default_factory=lambda: _EMPTY)

    def __hash__(self) -> int:  # regions is a mapping; the id identifies a model
        return hash(self.model_id)

    @property
    def is_legacy(self) -> bool:
        return self.lifecycle_status.upper() == "LEGACY"

    @property
    def is_provisioned_only(self) -> bool:
        """True for variants such as ``...:0:8k`` that cannot be called on demand anywhere."""
        return bool(self.inference_types) and set(self.inference_types) == {"PROVISIONED"}


# A 12-digit AWS account id, e.g. inside "User: arn:aws:iam::123456789012:user/x is not authorized".
_ACCOUNT_ID = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")


def redact_account_ids(text: str) -> str:
    """``text`` with every 12-digit account id masked."""
    return _ACCOUNT_ID.sub("************", text)


@dataclass(frozen=True, slots=True)
class RegionOutcome:
    """How one region's fetch ended, with the AWS error code and message when it did not."""

    region: str
    status: RegionStatus
    error_code: str | None = None
    message: str | None = None

    def __post_init__(self) -> None:
        # AccessDenied messages quote the caller's ARN. Masked here, where every outcome is
        # made, so no account id reaches a catalog, a cache or bundle file, an error or a log.
        message = self.message
        if message is not None and _ACCOUNT_ID.search(message):
            object.__setattr__(self, "message", redact_account_ids(message))

    @property
    def reason(self) -> str:
        """A one-line reason, e.g. ``ThrottlingException: Rate exceeded``; empty when ok."""
        if self.status is RegionStatus.OK:
            return ""
        parts = [p for p in (self.error_code, self.message) if p]
        return ": ".join(parts) or self.status.value


@dataclass(frozen=True, slots=True)
class RegionAnswer:
    """The raw answers of one region: ListFoundationModels summaries and profile summaries."""

    region: str
    outcome: RegionOutcome
    model_summaries: tuple[Mapping[str, Any], ...] = ()
    profile_summaries: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A raw snapshot: every region's answers and outcome, and when AWS answered.

    ``requested_regions`` is None when the default region set was asked for.
    """

    retrieved_at: datetime
    answers: Mapping[str, RegionAnswer]
    requested_regions: tuple[str, ...] | None = None

    @property
    def outcomes(self) -> dict[str, RegionOutcome]:
        return {region: answer.outcome for region, answer in self.answers.items()}

    @property
    def any_ok(self) -> bool:
        return any(a.outcome.status is RegionStatus.OK for a in self.answers.values())


@dataclass(frozen=True, slots=True)
class CatalogMetadata:
    """Where a catalog came from, when AWS answered, and how each region's answer went."""

    source: CatalogSource
    retrieved_at: datetime
    region_outcomes: Mapping[str, RegionOutcome] = field(default_factory=lambda: _EMPTY)
    requested_regions: tuple[str, ...] | None = None
    stale_regions: tuple[str, ...] = ()
    cache_path: Path | None = None
    bundled_version: str | None = None
    generated_at: datetime | None = None
    package_version: str | None = None
    schema_version: int | None = None
    #: Why the live API was not used, when the source is STALE_CACHE or BUNDLED.
    fallback_reason: str | None = None

    @property
    def age(self) -> timedelta:
        return datetime.now(timezone.utc) - self.retrieved_at

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
