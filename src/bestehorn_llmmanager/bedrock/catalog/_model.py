"""A model and how to call it from each region: ModelInfo, ModelAccess and the compact AccessMap.

Pure values; no I/O and no queries. On the warm path (a fresh process answering from a cache
file), so it imports only ``enum`` and ``collections.abc`` (both loaded by the interpreter
already) and the hand-written value base: never ``dataclasses``, ``logging`` or ``typing``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType

from ._access import AccessMethod
from ._v09 import AccessFlags, ModelView, access_method_of
from ._value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime
    from typing import Any


def _iso(moment: datetime) -> str:
    """UTC ISO 8601 to the second with a ``Z`` (the catalog file's time format)."""
    from datetime import timezone

    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


_EMPTY: Mapping[str, Any] = MappingProxyType({})
_set = object.__setattr__


class ModelAccess(AccessFlags, Value):
    """One model as seen from one source region: which ids can be sent to Converse from there.

    A hand-written frozen value (see ``_value``): it is built on the warm path.
    """

    __slots__ = (
        "destinations",
        "direct_model_id",
        "global_profile_id",
        "model_id",
        "region",
        "regional_profile_id",
        "regional_profile_ids",
    )
    _fields = (
        "model_id",
        "region",
        "direct_model_id",
        "regional_profile_id",
        "regional_profile_ids",
        "global_profile_id",
        "destinations",
    )

    model_id: str
    region: str
    direct_model_id: str | None
    regional_profile_id: str | None
    regional_profile_ids: tuple[str, ...]
    global_profile_id: str | None
    #: (profile id, destination regions) of each profile callable from ``region``: the regions
    #: a request through that profile may run in (its ``models`` ARNs). Empty when unknown.
    destinations: tuple[tuple[str, tuple[str, ...]], ...]

    def __init__(
        self,
        model_id: str,
        region: str,
        direct_model_id: str | None = None,
        regional_profile_id: str | None = None,
        regional_profile_ids: tuple[str, ...] = (),
        global_profile_id: str | None = None,
        destinations: tuple[tuple[str, tuple[str, ...]], ...] = (),
    ) -> None:
        _set(self, "destinations", destinations)
        _set(self, "model_id", model_id)
        _set(self, "region", region)
        _set(self, "direct_model_id", direct_model_id)
        _set(self, "regional_profile_id", regional_profile_id)
        _set(self, "regional_profile_ids", regional_profile_ids)
        _set(self, "global_profile_id", global_profile_id)

    def _key(self) -> tuple[Any, ...]:
        # The ids say how to call the model; destinations are facts of the profiles, so two
        # accesses with the same ids are equal whether or not their data knew the routes.
        return self._values()[:6]

    def destination_regions(self, method: AccessMethod | str | None = None) -> tuple[str, ...]:
        """The regions a request sent from ``region`` by ``method`` may run in, sorted.

        ``method`` defaults to the one ``invocation_id`` uses. Direct access runs in ``region``
        only; a profile runs in the regions its ARNs name (what data residency rules ask about).
        Empty when the method is not offered here, or for data without destinations (a file
        of schema 1). ValueError for an unknown method, as ``id_for``.
        """
        if method is None:
            methods = self.access_methods
            if not methods:
                return ()
            method = methods[0]
        profile_id = self.id_for(method)
        if profile_id is None:
            return ()
        if profile_id == self.direct_model_id and access_method_of(method) is AccessMethod.DIRECT:
            return (self.region,)
        return dict(self.destinations).get(profile_id, ())


class ProfileRoute(Value):
    """One inference profile of one model and the source regions it is callable from.

    A hand-written frozen value (see ``_value``): routes are parsed on the warm path.
    """

    __slots__ = ("destination_regions", "is_global", "profile_id", "source_regions")
    _fields = ("profile_id", "is_global", "source_regions", "destination_regions")

    profile_id: str
    is_global: bool
    source_regions: frozenset[str]
    #: The regions a request through the profile may run in (from its ``models`` ARNs).
    destination_regions: frozenset[str]

    def __init__(
        self,
        profile_id: str,
        is_global: bool,
        source_regions: frozenset[str],
        destination_regions: frozenset[str] = frozenset(),
    ) -> None:
        _set(self, "profile_id", profile_id)
        _set(self, "is_global", is_global)
        _set(self, "source_regions", source_regions)
        _set(self, "destination_regions", destination_regions)


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
                sources, _, destinations = item.partition(">")
                kind, profile_id, *regions = sources.split()
                parsed.append(
                    ProfileRoute(
                        profile_id, kind == "G", frozenset(regions), frozenset(destinations.split())
                    )
                )
            self._complete(frozenset(direct.split()), tuple(parsed))
            self._compact = None

    @classmethod
    def from_accesses(
        cls,
        model_id: str,
        accesses: Iterable[ModelAccess],
        destinations: Mapping[str, Iterable[str]] | None = None,
    ) -> AccessMap:
        """The compact form of explicit per-region accesses (exact, whatever their order).

        ``destinations`` maps profile ids to the regions they route to; without it, those of
        the accesses (``ModelAccess.destinations``) are kept.
        """
        items = [a for a in accesses if a.access_methods]
        routed: dict[str, frozenset[str]] = {}
        for access in items:
            for profile_id, regions in access.destinations:
                routed.setdefault(profile_id, frozenset(regions))
        for profile_id, routes_to in (destinations or {}).items():
            routed[profile_id] = frozenset(routes_to)
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
        empty: frozenset[str] = frozenset()
        routes = [
            ProfileRoute(pid, False, frozenset(sources[(pid, False)]), routed.get(pid, empty))
            for pid in order
        ]
        routes += [
            ProfileRoute(pid, True, frozenset(regions), routed.get(pid, empty))
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
        """The file form: ``"R <id> <source>... > <destination>...;G <id> <source>..."``."""
        return ";".join(
            " ".join(
                (
                    "G" if r.is_global else "R",
                    r.profile_id,
                    *sorted(r.source_regions),
                    *((">", *sorted(r.destination_regions)) if r.destination_regions else ()),
                )
            )
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
        callable_here = {*regional, global_id}
        access = ModelAccess(
            model_id=self._model_id,
            region=region,
            direct_model_id=self._model_id if region in self._direct else None,
            regional_profile_id=regional[0] if regional else None,
            regional_profile_ids=regional,
            global_profile_id=global_id,
            destinations=tuple(
                (r.profile_id, tuple(sorted(r.destination_regions)))
                for r in self._routes
                if r.profile_id in callable_here and r.destination_regions
            ),
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


class ModelInfo(ModelView, Value):
    """One model across all regions; ``regions`` holds only regions it is callable from.

    A hand-written frozen value (see ``_value``): the model a query returns is built on the warm
    path. Equal when every field is equal; hashed by its id (``regions`` is a mapping).
    """

    __slots__ = (
        "end_of_life_time",
        "inference_types",
        "input_modalities",
        "legacy_time",
        "lifecycle_status",
        "model_id",
        "name",
        "output_modalities",
        "provider",
        "public_extended_access_time",
        "regions",
        "start_of_life_time",
        "streaming_supported",
    )
    _fields = (
        "model_id",
        "name",
        "provider",
        "input_modalities",
        "output_modalities",
        "streaming_supported",
        "lifecycle_status",
        "inference_types",
        "regions",
        "start_of_life_time",
        "legacy_time",
        "public_extended_access_time",
        "end_of_life_time",
    )

    model_id: str
    name: str
    provider: str
    input_modalities: tuple[str, ...]
    output_modalities: tuple[str, ...]
    streaming_supported: bool | None
    lifecycle_status: str
    inference_types: tuple[str, ...]
    regions: Mapping[str, ModelAccess]
    #: ``modelLifecycle``'s dates, as ListFoundationModels gives them (None when it gives none):
    #: when the model became available, became LEGACY, entered public extended access, and
    #: reaches its end of life (calls fail after it).
    start_of_life_time: datetime | None
    legacy_time: datetime | None
    public_extended_access_time: datetime | None
    end_of_life_time: datetime | None

    def __init__(
        self,
        model_id: str,
        name: str,
        provider: str,
        input_modalities: tuple[str, ...] = (),
        output_modalities: tuple[str, ...] = (),
        streaming_supported: bool | None = None,
        lifecycle_status: str = "ACTIVE",
        inference_types: tuple[str, ...] = (),
        regions: Mapping[str, ModelAccess] = _EMPTY,
        start_of_life_time: datetime | None = None,
        legacy_time: datetime | None = None,
        public_extended_access_time: datetime | None = None,
        end_of_life_time: datetime | None = None,
    ) -> None:
        _set(self, "start_of_life_time", start_of_life_time)
        _set(self, "legacy_time", legacy_time)
        _set(self, "public_extended_access_time", public_extended_access_time)
        _set(self, "end_of_life_time", end_of_life_time)
        _set(self, "model_id", model_id)
        _set(self, "name", name)
        _set(self, "provider", provider)
        _set(self, "input_modalities", input_modalities)
        _set(self, "output_modalities", output_modalities)
        _set(self, "streaming_supported", streaming_supported)
        _set(self, "lifecycle_status", lifecycle_status)
        _set(self, "inference_types", inference_types)
        _set(self, "regions", regions)

    def __hash__(self) -> int:  # regions is a mapping; the id identifies a model
        return hash(self.model_id)

    @property
    def is_legacy(self) -> bool:
        return self.lifecycle_status.upper() == "LEGACY"

    @property
    def lifecycle(self) -> dict[str, str | None]:
        """The lifecycle as ListFoundationModels names it: ``status`` and the four dates
        (ISO 8601 UTC, or None), e.g. for ``--json`` output."""
        return {
            "status": self.lifecycle_status,
            **{
                key: None if value is None else _iso(value)
                for key, value in (
                    ("startOfLifeTime", self.start_of_life_time),
                    ("legacyTime", self.legacy_time),
                    ("publicExtendedAccessTime", self.public_extended_access_time),
                    ("endOfLifeTime", self.end_of_life_time),
                )
            },
        }

    @property
    def is_provisioned_only(self) -> bool:
        """True for variants such as ``...:0:8k`` that cannot be called on demand anywhere."""
        return bool(self.inference_types) and set(self.inference_types) == {"PROVISIONED"}
