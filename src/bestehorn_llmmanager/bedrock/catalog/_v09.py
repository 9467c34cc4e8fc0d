"""Release 0.9's names for the catalog's own values: one type per concept, carrying both meanings.

``ModelInfo`` is 0.9's ``UnifiedModelInfo`` too, ``CatalogMetadata`` answers 0.9's metadata
fields, and ``ModelAccess`` answers 0.9's access flags: the mixins here add 0.9's attribute
names to those classes, computed from their fields (nothing stored twice). One 0.9 type needs its
own class, :class:`ModelAccessInfo`, because one name means something else there: its
``model_id`` is the *direct* model id (None without direct access), where ``ModelAccess.model_id``
is always the model's id. It also offers today's names (``direct_model_id``,
``invocation_id``...), so it can stand wherever a ``ModelAccess`` is read.

On the warm path (``_model`` and ``_metadata`` import the mixins): imports nothing heavy, no
``dataclasses``, ``logging`` or ``typing`` at run time. No I/O.
"""

from __future__ import annotations

import warnings
from enum import Enum

from ._access import AccessMethod
from ._value import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime
    from pathlib import Path
    from typing import Any, Protocol

    class _Access(Protocol):
        """What these views read of a ``ModelAccess``; declared here, for the type checker only,
        so that this module never imports ``_model`` (which imports the views)."""

        region: str
        model_id: str
        direct_model_id: str | None
        regional_profile_id: str | None
        regional_profile_ids: tuple[str, ...]
        global_profile_id: str | None
        destinations: tuple[tuple[str, tuple[str, ...]], ...]


_set = object.__setattr__

#: The release in which 0.9's deprecated access names go away (0.9 said "4.0.0" of its own
#: numbering; this package keeps them until its next major version).
_REMOVAL = "the next major version"


def _deprecated(old: str, new: str) -> None:
    warnings.warn(
        f"{old} is deprecated (since 0.9) and will be removed in {_REMOVAL}; use {new}",
        DeprecationWarning,
        stacklevel=3,
    )


class ModelAccessMethod(Enum):
    """0.9's access method of a model in a region (``AccessMethod`` is today's).

    ``CRIS_ONLY`` and ``BOTH`` were deprecated in 0.9 already; the orthogonal flags
    (``has_direct_access``, ``has_regional_cris``, ``has_global_cris``) replace them.
    """

    DIRECT = "direct"
    REGIONAL_CRIS = "regional_cris"
    GLOBAL_CRIS = "global_cris"
    CRIS_ONLY = "cris_only"
    BOTH = "both"


def _legacy_method(direct: bool, cris: bool) -> ModelAccessMethod:
    if direct and cris:
        return ModelAccessMethod.BOTH
    return ModelAccessMethod.CRIS_ONLY if cris else ModelAccessMethod.DIRECT


class AccessFlags:
    """What the three ids of one model in one region answer, today's names and 0.9's: the one
    home of that logic for ``ModelAccess`` and ``ModelAccessInfo`` (each has
    ``direct_model_id``, ``regional_profile_id`` and ``global_profile_id``)."""

    __slots__ = ()

    region: str
    direct_model_id: str | None
    regional_profile_id: str | None
    global_profile_id: str | None

    @property
    def access_methods(self) -> tuple[AccessMethod, ...]:
        """The methods offered from ``region``, in the order ``invocation_id`` prefers them."""

        found = (
            (self.direct_model_id, AccessMethod.DIRECT),
            (self.regional_profile_id, AccessMethod.REGIONAL_PROFILE),
            (self.global_profile_id, AccessMethod.GLOBAL_PROFILE),
        )
        return tuple(method for value, method in found if value is not None)

    @property
    def invocation_id(self) -> str:
        """The id to send to Converse from ``region``: direct, else regional, else global."""
        for candidate in (self.direct_model_id, self.regional_profile_id, self.global_profile_id):
            if candidate is not None:
                return candidate
        model = getattr(self, "base_model_id", None) or getattr(self, "model_id", "the model")
        raise ValueError(f"{model} has no access method in {self.region}")

    def id_for(self, method: AccessMethod | ModelAccessMethod | str) -> str | None:
        """The id to send for one access method, or None if that method is not offered here.

        ``method`` is an ``AccessMethod`` or its value ("direct", "regional_profile",
        "global_profile"; 0.9's "regional_cris"/"global_cris" too). Anything else raises
        ValueError: an unknown method must never fall through to the global profile.
        """

        chosen = access_method_of(method)
        if chosen is AccessMethod.DIRECT:
            return self.direct_model_id
        if chosen is AccessMethod.REGIONAL_PROFILE:
            return self.regional_profile_id
        return self.global_profile_id

    @property
    def has_direct_access(self) -> bool:
        """Callable by the bare model id from this region (ON_DEMAND there)."""
        return self.direct_model_id is not None

    @property
    def has_regional_cris(self) -> bool:
        """Callable through a geographic (regional) inference profile from this region."""
        return self.regional_profile_id is not None

    @property
    def has_global_cris(self) -> bool:
        """Callable through a ``global.`` inference profile from this region."""
        return self.global_profile_id is not None

    @property
    def regional_cris_profile_id(self) -> str | None:
        return self.regional_profile_id

    @property
    def global_cris_profile_id(self) -> str | None:
        return self.global_profile_id

    def has_any_cris_access(self) -> bool:
        return self.regional_profile_id is not None or self.global_profile_id is not None

    def get_cris_profile_ids(self) -> list[str]:
        """The regional profile id, then the global one, where they exist."""
        return [p for p in (self.regional_profile_id, self.global_profile_id) if p is not None]

    def get_access_summary(self) -> str:
        """E.g. ``"DIRECT + REGIONAL_CRIS"``."""
        flags = (
            (self.direct_model_id, "DIRECT"),
            (self.regional_profile_id, "REGIONAL_CRIS"),
            (self.global_profile_id, "GLOBAL_CRIS"),
        )
        return " + ".join(label for value, label in flags if value is not None)

    @property
    def inference_profile_id(self) -> str | None:
        """Deprecated (0.9): the regional profile id, else the global one."""
        _deprecated(
            "ModelAccessInfo.inference_profile_id",
            "regional_cris_profile_id/global_cris_profile_id",
        )
        return self.regional_profile_id or self.global_profile_id

    @property
    def access_method(self) -> ModelAccessMethod:
        """Deprecated (0.9): DIRECT, CRIS_ONLY or BOTH, folded from the flags."""
        _deprecated(
            "ModelAccessInfo.access_method",
            "has_direct_access, has_regional_cris and has_global_cris",
        )
        return _legacy_method(self.has_direct_access, self.has_any_cris_access())


class ModelAccessInfo(AccessFlags, Value):
    """0.9's access information of one model in one region (orthogonal access flags).

    Built by the 0.9 methods (``get_model_info``, ``get_model_access_info``,
    ``UnifiedModelInfo.region_access``) from a ``ModelAccess``; constructible as in 0.9, with the
    same consistency rules (ValueError). ``model_id`` is the direct model id, as in 0.9: None
    when the model is callable from ``region`` only through a profile (``base_model_id`` is the
    model's id then). The keyword-only extras say what 0.9's docs promised and its class never
    held: ``supports_streaming`` and the modalities.

    Args:
        region: the source region.
        has_direct_access, has_regional_cris, has_global_cris: the access flags.
        model_id: the direct model id (required with ``has_direct_access``, else None).
        regional_cris_profile_id, global_cris_profile_id: the profile ids of the flags.
        base_model_id: the model's id, whatever the access (None when constructed by hand).
        regional_cris_profile_ids: every regional profile callable from there, best first.
        supports_streaming, input_modalities, output_modalities: the model's.
    """

    __slots__ = (
        "base_model_id",
        "global_cris_profile_id_",
        "has_direct_access_",
        "has_global_cris_",
        "has_regional_cris_",
        "input_modalities",
        "model_id",
        "output_modalities",
        "region",
        "regional_cris_profile_id_",
        "regional_cris_profile_ids",
        "supports_streaming",
    )
    _fields = (
        "region",
        "has_direct_access",
        "has_regional_cris",
        "has_global_cris",
        "model_id",
        "regional_cris_profile_id",
        "global_cris_profile_id",
        "base_model_id",
        "regional_cris_profile_ids",
        "supports_streaming",
        "input_modalities",
        "output_modalities",
    )

    region: str
    model_id: str | None
    base_model_id: str | None
    regional_cris_profile_ids: tuple[str, ...]
    supports_streaming: bool | None
    input_modalities: tuple[str, ...]
    output_modalities: tuple[str, ...]

    def __init__(
        self,
        region: str,
        has_direct_access: bool = False,
        has_regional_cris: bool = False,
        has_global_cris: bool = False,
        model_id: str | None = None,
        regional_cris_profile_id: str | None = None,
        global_cris_profile_id: str | None = None,
        *,
        base_model_id: str | None = None,
        regional_cris_profile_ids: tuple[str, ...] = (),
        supports_streaming: bool | None = None,
        input_modalities: tuple[str, ...] = (),
        output_modalities: tuple[str, ...] = (),
    ) -> None:
        if not (has_direct_access or has_regional_cris or has_global_cris):
            raise ValueError("ModelAccessInfo: at least one access method must be enabled")
        for flag, value, name in (
            (has_direct_access, model_id, "model_id"),
            (has_regional_cris, regional_cris_profile_id, "regional_cris_profile_id"),
            (has_global_cris, global_cris_profile_id, "global_cris_profile_id"),
        ):
            if bool(flag) != bool(value):
                state = "set" if value else "missing"
                raise ValueError(
                    f"ModelAccessInfo: {name} is {state} but its access flag is {bool(flag)}"
                )
        _set(self, "region", region)
        _set(self, "has_direct_access_", bool(has_direct_access))
        _set(self, "has_regional_cris_", bool(has_regional_cris))
        _set(self, "has_global_cris_", bool(has_global_cris))
        _set(self, "model_id", model_id or None)
        _set(self, "regional_cris_profile_id_", regional_cris_profile_id or None)
        _set(self, "global_cris_profile_id_", global_cris_profile_id or None)
        _set(self, "base_model_id", base_model_id if base_model_id is not None else model_id)
        ranked = tuple(regional_cris_profile_ids)
        if regional_cris_profile_id and not ranked:
            ranked = (regional_cris_profile_id,)
        _set(self, "regional_cris_profile_ids", ranked)
        _set(self, "supports_streaming", supports_streaming)
        _set(self, "input_modalities", tuple(input_modalities))
        _set(self, "output_modalities", tuple(output_modalities))

    @classmethod
    def from_access(cls, access: _Access, model: Any = None) -> ModelAccessInfo:
        """0.9's view of one ``ModelAccess``; ``model`` (a ``ModelInfo``) adds its facts."""
        return cls(
            access.region,
            access.direct_model_id is not None,
            access.regional_profile_id is not None,
            access.global_profile_id is not None,
            access.direct_model_id,
            access.regional_profile_id,
            access.global_profile_id,
            base_model_id=access.model_id,
            regional_cris_profile_ids=access.regional_profile_ids,
            supports_streaming=None if model is None else model.streaming_supported,
            input_modalities=() if model is None else model.input_modalities,
            output_modalities=() if model is None else model.output_modalities,
        )

    @classmethod
    def from_legacy(
        cls,
        access_method: ModelAccessMethod,
        region: str,
        model_id: str | None = None,
        inference_profile_id: str | None = None,
    ) -> ModelAccessInfo:
        """0.9's factory from a legacy method (``BOTH`` and ``CRIS_ONLY`` mean regional CRIS)."""
        if access_method in (ModelAccessMethod.CRIS_ONLY, ModelAccessMethod.BOTH):
            _deprecated(f"ModelAccessMethod.{access_method.name}", "the orthogonal access flags")
        if access_method is ModelAccessMethod.DIRECT:
            return cls(region, has_direct_access=True, model_id=model_id)
        if access_method in (ModelAccessMethod.CRIS_ONLY, ModelAccessMethod.REGIONAL_CRIS):
            return cls(
                region, has_regional_cris=True, regional_cris_profile_id=inference_profile_id
            )
        if access_method is ModelAccessMethod.GLOBAL_CRIS:
            return cls(region, has_global_cris=True, global_cris_profile_id=inference_profile_id)
        if access_method is ModelAccessMethod.BOTH:
            return cls(
                region,
                has_direct_access=True,
                has_regional_cris=True,
                model_id=model_id,
                regional_cris_profile_id=inference_profile_id,
            )
        raise ValueError(f"unknown access method: {access_method!r}")

    # The 0.9 flags are stored (a hand-built value may set them); AccessFlags reads the ids.
    @property
    def has_direct_access(self) -> bool:
        return bool(self.has_direct_access_)  # type: ignore[attr-defined]

    @property
    def has_regional_cris(self) -> bool:
        return bool(self.has_regional_cris_)  # type: ignore[attr-defined]

    @property
    def has_global_cris(self) -> bool:
        return bool(self.has_global_cris_)  # type: ignore[attr-defined]

    @property
    def regional_cris_profile_id(self) -> str | None:
        return self.regional_cris_profile_id_  # type: ignore[attr-defined,no-any-return]

    @property
    def global_cris_profile_id(self) -> str | None:
        return self.global_cris_profile_id_  # type: ignore[attr-defined,no-any-return]

    # Today's names, so a ModelAccessInfo reads like a ModelAccess.
    @property
    def direct_model_id(self) -> str | None:  # type: ignore[override]
        return self.model_id

    @property
    def regional_profile_id(self) -> str | None:  # type: ignore[override]
        return self.regional_cris_profile_id

    @property
    def regional_profile_ids(self) -> tuple[str, ...]:
        return self.regional_cris_profile_ids

    @property
    def global_profile_id(self) -> str | None:  # type: ignore[override]
        return self.global_cris_profile_id

    def to_dict(self) -> dict[str, Any]:
        """0.9's serialised form of one region's access (with its legacy fields)."""
        cris = self.has_regional_cris or self.has_global_cris
        return {
            "region": self.region,
            "has_direct_access": self.has_direct_access,
            "has_regional_cris": self.has_regional_cris,
            "has_global_cris": self.has_global_cris,
            "model_id": self.model_id,
            "regional_cris_profile_id": self.regional_cris_profile_id,
            "global_cris_profile_id": self.global_cris_profile_id,
            "access_method": _legacy_method(self.has_direct_access, cris).value,
            "inference_profile_id": self.regional_cris_profile_id or self.global_cris_profile_id,
        }


def access_method_of(method: object) -> AccessMethod:
    """``method`` as an ``AccessMethod``: one, its string value, or 0.9's equivalent.

    ``"direct"``, ``"regional_profile"``, ``"global_profile"``, ``ModelAccessMethod.DIRECT``,
    ``.REGIONAL_CRIS``, ``.GLOBAL_CRIS`` and their values ``"regional_cris"``, ``"global_cris"``.
    Anything else raises ValueError: an unknown method must never fall through to the global
    profile, which can send a request to any region in the world.
    """

    if isinstance(method, AccessMethod):
        return method
    if isinstance(method, ModelAccessMethod):
        method = method.value
    if isinstance(method, str):
        found = _METHODS.get(method.strip().lower())
        if found is not None:
            return AccessMethod(found)
    accepted = ", ".join(repr(v) for v in _METHODS)
    raise ValueError(
        f"access method: expected an AccessMethod or one of {accepted}, got {method!r}"
    )


_METHODS = {
    "direct": "direct",
    "regional_profile": "regional_profile",
    "global_profile": "global_profile",
    "regional_cris": "regional_profile",
    "global_cris": "global_profile",
}


class AccessRecommendation(Value):
    """0.9's recommended access for a model in a region, why, and the other ways in."""

    __slots__ = ("alternatives", "rationale", "recommended_access")
    _fields = ("recommended_access", "rationale", "alternatives")

    recommended_access: ModelAccessInfo
    rationale: str
    alternatives: list[ModelAccessInfo]

    def __init__(
        self,
        recommended_access: ModelAccessInfo,
        rationale: str,
        alternatives: list[ModelAccessInfo],
    ) -> None:
        _set(self, "recommended_access", recommended_access)
        _set(self, "rationale", rationale)
        _set(self, "alternatives", list(alternatives))


#: Why the recommended access was chosen (0.9's three cases).
_DIRECT_RATIONALE = (
    "direct access: the request is served in the source region, with no cross-region routing"
)
_CRIS_RATIONALE = (
    "inference profile only: the model is not callable on demand by its id from this region"
)


def recommend(info: ModelAccessInfo) -> AccessRecommendation:
    """0.9's recommendation: direct access when offered (the profiles are the alternative),
    else the profiles' access as it is."""
    if not info.has_direct_access:
        return AccessRecommendation(info, _CRIS_RATIONALE, [])
    facts: dict[str, Any] = {
        "base_model_id": info.base_model_id,
        "supports_streaming": info.supports_streaming,
        "input_modalities": info.input_modalities,
        "output_modalities": info.output_modalities,
    }
    direct = ModelAccessInfo(info.region, True, model_id=info.model_id, **facts)
    if not info.has_any_cris_access():
        return AccessRecommendation(direct, _DIRECT_RATIONALE, [])
    cris = ModelAccessInfo(
        info.region,
        has_regional_cris=info.has_regional_cris,
        has_global_cris=info.has_global_cris,
        regional_cris_profile_id=info.regional_cris_profile_id,
        global_cris_profile_id=info.global_cris_profile_id,
        regional_cris_profile_ids=info.regional_cris_profile_ids,
        **facts,
    )
    return AccessRecommendation(direct, _DIRECT_RATIONALE, [cris])


class ModelView:
    """0.9's ``UnifiedModelInfo`` names on ``ModelInfo`` (read from its fields)."""

    __slots__ = ()

    model_id: str
    name: str
    provider: str
    input_modalities: tuple[str, ...]
    output_modalities: tuple[str, ...]
    streaming_supported: bool | None
    regions: Mapping[str, _Access]

    #: 0.9 scraped these from the documentation pages; the APIs have no such field.
    inference_parameters_link: str | None = None
    hyperparameters_link: str | None = None

    @property
    def model_name(self) -> str:
        """The API's name of the model (0.9's key of its model dicts)."""
        return self.name

    @property
    def region_access(self) -> dict[str, ModelAccessInfo]:
        """Region -> 0.9's access info, for every region the model is callable from."""
        return {
            region: ModelAccessInfo.from_access(access, self)
            for region, access in sorted(self.regions.items())
        }

    def get_supported_regions(self) -> list[str]:
        return sorted(self.regions)

    def get_direct_access_regions(self) -> list[str]:
        return sorted(r for r, a in self.regions.items() if a.direct_model_id is not None)

    def get_cris_access_regions(self) -> list[str]:
        return sorted(
            r
            for r, a in self.regions.items()
            if a.regional_profile_id is not None or a.global_profile_id is not None
        )

    def get_cris_only_regions(self) -> list[str]:
        return sorted(
            r
            for r, a in self.regions.items()
            if a.direct_model_id is None
            and (a.regional_profile_id is not None or a.global_profile_id is not None)
        )

    def get_access_info_for_region(self, region: str) -> ModelAccessInfo | None:
        access = self.regions.get(region)
        return None if access is None else ModelAccessInfo.from_access(access, self)

    def is_available_in_region(self, region: str) -> bool:
        return region in self.regions

    def get_recommended_access_for_region(self, region: str) -> ModelAccessInfo | None:
        """Direct access when offered there (0.9's rule), else the region's access info."""
        info = self.get_access_info_for_region(region)
        return None if info is None else recommend(info).recommended_access

    def get_inference_profiles(self) -> list[str]:
        """Every profile id of the model, from any region, sorted."""
        found: set[str] = set()
        for access in self.regions.values():
            found.update(access.regional_profile_ids)
            if access.global_profile_id is not None:
                found.add(access.global_profile_id)
        return sorted(found)

    # 0.9's ModelManager record (BedrockModelInfo) and CRISManager record (CRISModelInfo).

    @property
    def regions_supported(self) -> list[str]:
        """Every region the model is callable from, sorted (0.9's BedrockModelInfo)."""
        return sorted(self.regions)

    @property
    def inference_types_supported(self) -> list[str] | None:
        inference_types: tuple[str, ...] = getattr(self, "inference_types", ())
        return list(inference_types) or None

    @property
    def inference_profile_id(self) -> str | None:
        """The model's primary profile as 0.9's CRISModelInfo chose it: the first ``us.``
        profile, else ``eu.``, else ``apac.``, else any (e.g. ``global.``); None without one."""
        profiles = self.get_inference_profiles()
        for prefixes in (("us.",), ("eu.",), ("apac.", "ap.")):
            for profile_id in profiles:
                if profile_id.startswith(prefixes):
                    return profile_id
        return profiles[0] if profiles else None

    @property
    def region_mappings(self) -> dict[str, list[str]]:
        """Source region -> the regions its profiles may route a request to (CRISModelInfo)."""
        return {
            region: self.get_destinations_for_source(region)
            for region in self.get_cris_access_regions()
        }

    def get_source_regions(self) -> list[str]:
        """The regions from which a profile of the model is callable."""
        return self.get_cris_access_regions()

    def get_destination_regions(self) -> list[str]:
        """Every region some profile of the model may route a request to."""
        found: set[str] = set()
        for access in self.regions.values():
            for _, destinations in access.destinations:
                found.update(destinations)
        return sorted(found)

    def get_destinations_for_source(self, source_region: str) -> list[str]:
        """The regions a request sent through a profile from ``source_region`` may run in."""
        access = self.regions.get(source_region)
        if access is None:
            return []
        return sorted({r for _, destinations in access.destinations for r in destinations})

    def can_route_from_source(self, source_region: str) -> bool:
        return source_region in self.get_cris_access_regions()

    def can_route_to_destination(self, destination_region: str) -> bool:
        return destination_region in self.get_destination_regions()

    def to_dict(self) -> dict[str, Any]:
        """0.9's serialised form (``UnifiedModelInfo.to_dict``)."""
        return {
            "model_name": self.name,
            "provider": self.provider,
            "model_id": self.model_id,
            "input_modalities": list(self.input_modalities),
            "output_modalities": list(self.output_modalities),
            "streaming_supported": self.streaming_supported is True,
            "inference_parameters_link": None,
            "hyperparameters_link": None,
            "region_access": {r: a.to_dict() for r, a in self.region_access.items()},
        }


class MetadataView:
    """0.9's ``CatalogMetadata`` names on ``CatalogMetadata`` (read from its fields)."""

    __slots__ = ()

    source: Enum  # CatalogSource
    retrieved_at: datetime
    requested_regions: tuple[str, ...] | None
    region_outcomes: Mapping[str, object]  # RegionOutcome
    cache_path: Path | None

    if TYPE_CHECKING:  # CatalogMetadata's own property

        @property
        def bundled_version(self) -> str | None: ...

    @property
    def retrieval_timestamp(self) -> datetime:
        """When AWS answered (timezone-aware UTC; 0.9's was naive local time)."""
        return self.retrieved_at

    @property
    def api_regions_queried(self) -> list[str]:
        """The regions the data was fetched from (asked for, or every region that was asked)."""
        if self.requested_regions is not None:
            return list(self.requested_regions)
        return sorted(self.region_outcomes)

    @property
    def bundled_data_version(self) -> str | None:
        """The bundle's data time when the bundled data is in use (0.9: "if used"), else None."""
        return self.bundled_version if self.source.value == "bundled" else None

    @property
    def cache_file_path(self) -> Path | None:
        """The cache file the data was read from or written to (None for memory and none)."""
        return self.cache_path

    def to_dict(self) -> dict[str, Any]:
        """0.9's serialised form (``CatalogMetadata.to_dict``)."""
        return {
            "source": self.source.value,
            "retrieval_timestamp": self.retrieved_at.isoformat(),
            "api_regions_queried": self.api_regions_queried,
            "bundled_data_version": self.bundled_data_version,
            "cache_file_path": None if self.cache_path is None else str(self.cache_path),
        }


class CatalogView:
    """0.9's ``UnifiedCatalog`` names on ``Catalog`` (``models`` stays keyed by model id)."""

    __slots__ = ()

    models: Mapping[str, Any]
    metadata: Any

    if TYPE_CHECKING:  # Catalog's own methods, used below

        def list_models(
            self,
            region: str | None = None,
            provider: str | None = None,
            streaming_only: bool = False,
        ) -> list[Any]: ...
        def resolve(self, name: str) -> Any: ...
        def providers(self) -> list[str]: ...

    @property
    def model_count(self) -> int:
        return len(self.models)

    def get_model(self, name: str) -> Any:
        """The model ``name`` means (any spelling, id or ARN), or None (0.9: by exact name)."""
        try:
            return self.resolve(name)
        except LookupError as exc:  # ModelNotFoundError is one: its module loads on a miss only
            from ..._errors import ModelNotFoundError

            if not isinstance(exc, ModelNotFoundError):
                raise
            return None

    def filter_models(
        self, region: str | None = None, provider: str | None = None, streaming_only: bool = False
    ) -> list[Any]:
        return self.list_models(region=region, provider=provider, streaming_only=streaming_only)

    def get_all_regions(self) -> list[str]:
        """Every region some model is callable from, sorted."""
        found: set[str] = set()
        for model in self.models.values():
            found.update(model.regions)
        return sorted(found)

    def get_all_providers(self) -> list[str]:
        return self.providers()

    def to_dict(self) -> dict[str, Any]:
        """0.9's serialised form: models by name (the first of each name), and the metadata."""
        named: dict[str, Any] = {}
        for model in self.list_models():
            if model.regions and model.name not in named:
                named[model.name] = model.to_dict()
        return {"models": named, "metadata": self.metadata.to_dict()}
