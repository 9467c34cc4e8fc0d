"""Catalog: the immutable, indexed set of models with its metadata, and the queries on it.

Pure in-memory data; building a new Catalog is how the library "changes" one. On the warm path:
imports no ``dataclasses``, ``logging`` or ``typing`` at run time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType

from ._metadata import CatalogMetadata
from ._model import ModelAccess, ModelInfo
from ._names import NameIndex, NameMemo
from ._regions import validate_region
from ._v09 import CatalogView

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _list_order(model: ModelInfo) -> tuple[str, str, str]:
    """The order of every listing: provider, then name (case-insensitive), then id."""
    return (model.provider.casefold(), model.name.casefold(), model.model_id)


class ModelTable(Mapping[str, ModelInfo]):
    """Model id -> ModelInfo, each built from its decoded file row on first access.

    Loading a catalog file then costs little more than parsing its JSON; a query touches only
    the models it asks for. Concurrent first accesses build equal values; the last one stays.
    """

    __slots__ = ("_build", "_built", "_ids", "_rows")

    def __init__(self, rows: Mapping[str, Any], build: Callable[[Any], ModelInfo]) -> None:
        self._rows = rows
        self._ids = sorted(rows)
        self._build = build
        self._built: dict[str, ModelInfo] = {}

    def __getitem__(self, model_id: str) -> ModelInfo:
        model = self._built.get(model_id)
        if model is None:
            model = self._built[model_id] = self._build(self._rows[model_id])
        return model

    def get(self, model_id: str, default: Any = None) -> Any:
        model = self._built.get(model_id)
        if model is not None:
            return model
        return self[model_id] if model_id in self._rows else default

    def __contains__(self, model_id: object) -> bool:
        return model_id in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


class Catalog(CatalogView):
    """Every known model, the metadata of where it came from, and the queries users ask."""

    __slots__ = ("_by_region", "_labels", "_listed", "_names", "_resolved", "metadata", "models")

    models: Mapping[str, ModelInfo]
    metadata: CatalogMetadata

    def __init__(
        self,
        models: Iterable[ModelInfo] | ModelTable,
        metadata: CatalogMetadata,
        *,
        labels: tuple[Sequence[str], Sequence[str], Sequence[str]] | None = None,
    ) -> None:
        """``models`` as ModelInfo objects, or a ModelTable with the columns of its labels.

        ``labels`` are the ids, names and providers of a ModelTable's models, in one order.
        """
        if isinstance(models, ModelTable):
            self.models = models
        else:
            ordered = sorted(models, key=lambda m: m.model_id)
            self.models = MappingProxyType({m.model_id: m for m in ordered})
        self.metadata = metadata
        self._labels = labels  # lets the name index skip building every ModelInfo
        self._names: NameIndex | None = None  # built on the first lookup by name
        # Memo of resolved spellings: get() is on every LLMManager call and must stay O(1);
        # bounded, so a stream of distinct spellings cannot grow the process.
        self._resolved: dict[str, ModelInfo] = NameMemo()
        # Listings sorted once, on first use: all models, and each region's (list_models(region=)).
        self._listed: tuple[ModelInfo, ...] | None = None
        self._by_region: dict[str, tuple[ModelInfo, ...]] = {}

    def __repr__(self) -> str:
        return (
            f"Catalog({len(self.models)} models, {len(self.regions())} regions, "
            f"source={self.metadata.source.value}, retrieved_at={self.metadata.retrieved_at})"
        )

    def __len__(self) -> int:
        return len(self.models)

    def with_metadata(self, **changes: object) -> Catalog:
        """A catalog with the same models and updated metadata (e.g. another source)."""
        clone = object.__new__(Catalog)
        clone.models = self.models
        clone._labels = self._labels
        clone._names = self._names  # shared if built; else built on the clone's first lookup
        clone._resolved = self._resolved
        clone._listed = self._listed
        clone._by_region = self._by_region  # same models, same listings
        clone.metadata = self.metadata.replace(**changes)
        return clone

    def _names_index(self) -> NameIndex:
        names = self._names
        if names is None:
            # Concurrent first lookups may each build one; they are equal, the last one stays.
            names = self._names = NameIndex(self.models, self._labels)
        return names

    def resolve(self, name: str) -> ModelInfo:
        """The model that ``name`` (id, profile id, ARN or API name) means."""
        found = self._resolved.get(name)
        if found is None:
            found = self.models.get(name) or self._names_index().resolve(name)
            self._resolved[name] = found
        return found

    def get(self, name: str, region: str) -> ModelAccess | None:
        """How to call ``name`` from ``region``; None if the model is not callable there."""
        model = self._resolved.get(name) or self.resolve(name)
        try:
            access = model.regions.get(region)
        except TypeError:  # an unhashable "region": report it as the bad value it is
            access = None
        if access is None:
            validate_region(region)
        return access

    def list_models(
        self,
        region: str | None = None,
        provider: str | None = None,
        streaming_only: bool = False,
        input_modality: str | None = None,
        output_modality: str | None = None,
        include_legacy: bool = True,
    ) -> list[ModelInfo]:
        """Models matching every given filter, sorted by provider, then name.

        ValueError for a filter of the wrong type, or a provider or modality no model has.
        """
        self._names_index().check_filters(
            provider,
            input_modality,
            output_modality,
            streaming_only=streaming_only,
            include_legacy=include_legacy,
        )
        candidates = self._listing(region)
        if (
            provider is None
            and not streaming_only
            and input_modality is None
            and output_modality is None
            and include_legacy
        ):
            return list(candidates)
        wanted_provider = provider.casefold() if provider is not None else None
        wanted_in = input_modality.upper() if input_modality is not None else None
        wanted_out = output_modality.upper() if output_modality is not None else None
        return [
            m
            for m in candidates
            if (wanted_provider is None or m.provider.casefold() == wanted_provider)
            and (not streaming_only or m.streaming_supported is True)
            and (wanted_in is None or wanted_in in (x.upper() for x in m.input_modalities))
            and (wanted_out is None or wanted_out in (x.upper() for x in m.output_modalities))
            and (include_legacy or not m.is_legacy)
        ]

    def _listing(self, region: str | None) -> tuple[ModelInfo, ...]:
        """Every model (or those callable from ``region``) in list order, sorted once.

        Concurrent first calls compute equal tuples; the last one stays.
        """
        if region is not None:
            try:
                found = self._by_region.get(region)
            except TypeError:  # an unhashable "region": report it as the bad value it is
                found = None
            if found is not None:
                return found
            validate_region(region)
        listed = self._listed
        if listed is None:
            listed = self._listed = tuple(sorted(self.models.values(), key=_list_order))
        if region is None:
            return listed
        found = tuple(m for m in listed if region in m.regions)
        if found or region in self.metadata.region_outcomes:
            # Kept only for regions this catalog knows: any number of well-formed but unknown
            # names must not grow the process.
            self._by_region[region] = found
        return found

    def regions_for(self, name: str) -> list[str]:
        """Sorted regions from which ``name`` is callable."""
        return sorted(self.resolve(name).regions)

    def providers(self) -> list[str]:
        """Sorted provider names."""
        return sorted({m.provider for m in self.models.values()}, key=str.casefold)

    def regions(self) -> list[str]:
        """Sorted regions that answered, plus any region a model is callable from."""
        found = set(self.metadata.regions_ok)
        for model in self.models.values():
            found.update(model.regions)
        return sorted(found)
