"""A model and how to call it from each region: ModelInfo, ModelAccess and the compact AccessMap.

Pure values; no I/O and no queries. On the warm path (a fresh process answering from a cache
file), so it imports only ``enum`` and ``collections.abc`` (both loaded by the interpreter
already) and the hand-written value base: never ``dataclasses``, ``logging`` or ``typing``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from enum import Enum
from types import MappingProxyType

from ._value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_EMPTY: Mapping[str, Any] = MappingProxyType({})
_set = object.__setattr__


class AccessMethod(str, Enum):
    """How a model is invoked from a region."""

    DIRECT = "direct"
    REGIONAL_PROFILE = "regional_profile"
    GLOBAL_PROFILE = "global_profile"


class ModelAccess(Value):
    """One model as seen from one source region: which ids can be sent to Converse from there.

    A hand-written frozen value (see ``_value``): it is built on the warm path.
    """

    __slots__ = (
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
    )

    model_id: str
    region: str
    direct_model_id: str | None
    regional_profile_id: str | None
    regional_profile_ids: tuple[str, ...]
    global_profile_id: str | None

    def __init__(
        self,
        model_id: str,
        region: str,
        direct_model_id: str | None = None,
        regional_profile_id: str | None = None,
        regional_profile_ids: tuple[str, ...] = (),
        global_profile_id: str | None = None,
    ) -> None:
        _set(self, "model_id", model_id)
        _set(self, "region", region)
        _set(self, "direct_model_id", direct_model_id)
        _set(self, "regional_profile_id", regional_profile_id)
        _set(self, "regional_profile_ids", regional_profile_ids)
        _set(self, "global_profile_id", global_profile_id)

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


class ProfileRoute(Value):
    """One inference profile of one model and the source regions it is callable from.

    A hand-written frozen value (see ``_value``): routes are parsed on the warm path.
    """

    __slots__ = ("is_global", "profile_id", "source_regions")
    _fields = ("profile_id", "is_global", "source_regions")

    profile_id: str
    is_global: bool
    source_regions: frozenset[str]

    def __init__(self, profile_id: str, is_global: bool, source_regions: frozenset[str]) -> None:
        _set(self, "profile_id", profile_id)
        _set(self, "is_global", is_global)
        _set(self, "source_regions", source_regions)


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


class ModelInfo(Value):
    """One model across all regions; ``regions`` holds only regions it is callable from.

    A hand-written frozen value (see ``_value``): the model a query returns is built on the warm
    path. Equal when every field is equal; hashed by its id (``regions`` is a mapping).
    """

    __slots__ = (
        "inference_types",
        "input_modalities",
        "lifecycle_status",
        "model_id",
        "name",
        "output_modalities",
        "provider",
        "regions",
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
    ) -> None:
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
    def is_provisioned_only(self) -> bool:
        """True for variants such as ``...:0:8k`` that cannot be called on demand anywhere."""
        return bool(self.inference_types) and set(self.inference_types) == {"PROVISIONED"}
