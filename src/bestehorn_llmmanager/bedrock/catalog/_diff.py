"""What changed between two catalogs: models, (model, region) access and region outcomes.

A pure function over two ``Catalog`` values; it never reads files or calls AWS, and it never
formats for people (the CLI renders the result as Markdown, ``as_dict()`` serves ``--json``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ._catalog import Catalog
from ._fileformat import format_time
from ._types import ModelAccess, ModelInfo, RegionStatus

#: The model fields compared: every field but the id and the per-region access (compared on its
#: own, pair by pair), taken from ModelInfo so that a new field is compared too.
COMPARED_FIELDS = tuple(f for f in ModelInfo._fields if f not in ("model_id", "regions"))

#: The sections of a diff, in the order a summary lists them.
SECTIONS = (
    "models_added",
    "models_removed",
    "models_changed",
    "access_added",
    "access_removed",
    "access_changed",
    "regions_added",
    "regions_removed",
    "regions_status_changed",
)


@dataclass(frozen=True, slots=True)
class CatalogDiff:
    """The changes from ``old`` to ``new``, each section a tuple of plain JSON-ready dicts.

    Args:
        old, new: a summary of each side (retrieved_at, models, region counts).
        models_added, models_removed: brief rows (model_id, name, provider, regions).
        models_changed: model_id, name and ``changes`` {field: [old, new]}.
        access_added, access_removed: one row per (model, region) pair with its ids.
        access_changed: model_id, region, ``old`` and ``new`` access rows.
        regions_added, regions_removed: regions that answered (status ok) on one side only.
        regions_status_changed: region, old and new status (None: not asked) and the reason.
    """

    old: Mapping[str, Any]
    new: Mapping[str, Any]
    models_added: tuple[Mapping[str, Any], ...] = ()
    models_removed: tuple[Mapping[str, Any], ...] = ()
    models_changed: tuple[Mapping[str, Any], ...] = ()
    access_added: tuple[Mapping[str, Any], ...] = ()
    access_removed: tuple[Mapping[str, Any], ...] = ()
    access_changed: tuple[Mapping[str, Any], ...] = ()
    regions_added: tuple[str, ...] = ()
    regions_removed: tuple[str, ...] = ()
    regions_status_changed: tuple[Mapping[str, Any], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, section) for section in SECTIONS)

    def counts(self) -> dict[str, int]:
        """Section -> number of entries, for the non-empty sections."""
        return {s: len(getattr(self, s)) for s in SECTIONS if getattr(self, s)}

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"old": dict(self.old), "new": dict(self.new)}
        for section in SECTIONS:
            result[section] = [
                item if isinstance(item, str) else dict(item) for item in getattr(self, section)
            ]
        return result


def access_row(access: ModelAccess) -> dict[str, Any]:
    """The ids one region offers for one model, as plain data."""
    return {
        "converse_id": access.invocation_id,
        "access_methods": [m.value for m in access.access_methods],
        "direct_model_id": access.direct_model_id,
        "regional_profile_id": access.regional_profile_id,
        "regional_profile_ids": list(access.regional_profile_ids),
        "global_profile_id": access.global_profile_id,
    }


def catalog_diff(old: Catalog, new: Catalog) -> CatalogDiff:
    """What changed from ``old`` to ``new``."""
    added = sorted(set(new.models) - set(old.models))
    removed = sorted(set(old.models) - set(new.models))
    changed: list[Mapping[str, Any]] = []
    access_added: list[Mapping[str, Any]] = []
    access_removed: list[Mapping[str, Any]] = []
    access_changed: list[Mapping[str, Any]] = []
    for model_id in sorted(set(old.models) & set(new.models)):
        before, after = old.models[model_id], new.models[model_id]
        fields = {
            f: [_plain(getattr(before, f)), _plain(getattr(after, f))]
            for f in COMPARED_FIELDS
            if getattr(before, f) != getattr(after, f)
        }
        if fields:
            changed.append({"model_id": model_id, "name": after.name, "changes": fields})
        for region in sorted(set(before.regions) | set(after.regions)):
            a, b = before.regions.get(region), after.regions.get(region)
            if a is None and b is not None:
                access_added.append({"model_id": model_id, "region": region, **access_row(b)})
            elif b is None and a is not None:
                access_removed.append({"model_id": model_id, "region": region, **access_row(a)})
            elif a is not None and b is not None and _access_key(a) != _access_key(b):
                access_changed.append(
                    {
                        "model_id": model_id,
                        "region": region,
                        "old": access_row(a),
                        "new": access_row(b),
                    }
                )
    before_outcomes = old.metadata.region_outcomes
    after_outcomes = new.metadata.region_outcomes
    ok_before = {r for r, o in before_outcomes.items() if o.status is RegionStatus.OK}
    ok_after = {r for r, o in after_outcomes.items() if o.status is RegionStatus.OK}
    # "Added" means a region that now answers with data, not one that was merely asked: a newly
    # asked region that is unavailable (or failed) is a status change from "not asked".
    regions_added = sorted(ok_after - set(before_outcomes))
    regions_removed = sorted(ok_before - set(after_outcomes))
    status_changed: list[Mapping[str, Any]] = []
    for region in sorted(set(before_outcomes) | set(after_outcomes)):
        if region in regions_added or region in regions_removed:
            continue
        was, now = before_outcomes.get(region), after_outcomes.get(region)
        if was is not None and now is not None and was.status is now.status:
            continue
        status_changed.append(
            {
                "region": region,
                "old": None if was is None else was.status.value,
                "new": None if now is None else now.status.value,
                "reason": (now.reason if now is not None else "") or None,
            }
        )
    return CatalogDiff(
        old=_summary(old),
        new=_summary(new),
        models_added=tuple(_brief(new.models[m]) for m in added),
        models_removed=tuple(_brief(old.models[m]) for m in removed),
        models_changed=tuple(changed),
        access_added=tuple(access_added),
        access_removed=tuple(access_removed),
        access_changed=tuple(access_changed),
        regions_added=tuple(regions_added),
        regions_removed=tuple(regions_removed),
        regions_status_changed=tuple(status_changed),
    )


def _summary(catalog: Catalog) -> dict[str, Any]:
    meta = catalog.metadata
    return {
        "retrieved_at": format_time(meta.retrieved_at),
        "models": len(catalog),
        "regions_ok": len(meta.regions_ok),
        "regions_unavailable": len(meta.regions_unavailable),
        "regions_failed": len(meta.regions_failed),
    }


def _brief(model: ModelInfo) -> dict[str, Any]:
    return {
        "model_id": model.model_id,
        "name": model.name,
        "provider": model.provider,
        "regions": sorted(model.regions),
    }


def _access_key(access: ModelAccess) -> tuple[Any, ...]:
    return (access.direct_model_id, access.regional_profile_ids, access.global_profile_id)


def _plain(value: Any) -> Any:
    """A field value as JSON-ready data (tuples as lists, times in the catalog's format)."""
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, datetime):
        return format_time(value)
    return value
