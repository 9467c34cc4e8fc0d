"""The catalog's data types, in one import: the raw snapshot of AWS answers lives here.

``RegionAnswer`` and ``FetchResult`` (what the API step hands to the transform) are frozen
dataclasses. The values a warm start builds live in ``_model`` (ModelInfo, ModelAccess,
AccessMap), ``_metadata`` (CatalogMetadata, RegionOutcome) and ``_fallback``, which never
import ``dataclasses``; they are re-exported here. Modules on the warm path import those two
directly, never this module. Pure values; no I/O and no queries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ._access import AccessMethod
from ._fallback import FallbackCause, FallbackReason
from ._metadata import (
    CatalogMetadata,
    CatalogSource,
    RegionOutcome,
    RegionStatus,
    describe_age,
)
from ._model import AccessMap, ModelAccess, ModelInfo, ProfileRoute

__all__ = [
    "AccessMap",
    "AccessMethod",
    "CatalogMetadata",
    "CatalogSource",
    "FallbackCause",
    "FallbackReason",
    "FetchResult",
    "ModelAccess",
    "ModelInfo",
    "ProfileRoute",
    "RegionAnswer",
    "RegionOutcome",
    "RegionStatus",
    "describe_age",
]


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
