"""Turns raw per-region AWS answers into an immutable Catalog; pure: no network, no disk.

The rules here are the truth of the product (see the data-core issue): direct access comes from
ListFoundationModels' ``inferenceTypesSupported``, profile access from each ACTIVE SYSTEM_DEFINED
profile's model ARNs (which also name the regions a request through it may run in), and
metadata, the lifecycle status and dates included, from the answer most regions agree on.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any

from ._catalog import Catalog
from ._constants import UNKNOWN_LIFECYCLE
from ._types import (
    AccessMap,
    CatalogMetadata,
    CatalogSource,
    FetchResult,
    ModelAccess,
    ModelInfo,
    RegionStatus,
)

logger = logging.getLogger(__name__)

_FOUNDATION_MODEL = ":foundation-model/"
# The file's compact routes separate items with ";" and destinations with ">".
_UNSAFE_ID = re.compile(r"[\s;>]")
# What a region in an ARN must look like before it is kept as a destination (lower-case words
# and digits joined by "-": never a separator of the file's compact routes).
_REGION = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
#: modelLifecycle's date fields (current botocore) -> ModelInfo's attribute names.
LIFECYCLE_DATES = (
    ("startOfLifeTime", "start_of_life_time"),
    ("legacyTime", "legacy_time"),
    ("publicExtendedAccessTime", "public_extended_access_time"),
    ("endOfLifeTime", "end_of_life_time"),
)


@dataclass(frozen=True, slots=True)
class _Profile:
    profile_id: str
    model_ids: frozenset[str]
    is_global: bool
    destinations: frozenset[str]


@dataclass(slots=True)
class _Votes:
    """What the regions said about one model: each distinct answer, with how many regions gave it.

    Regions almost always agree, so a model's answers are one or two distinct tuples however many
    regions list it: each region costs one hash, and the per-field tallies are built once, from
    the distinct answers only.
    """

    answers: Counter[tuple[tuple[str, Any], ...]] = field(default_factory=Counter)
    inference_types: set[str] = field(default_factory=set)

    def add(self, fields: Mapping[str, Any]) -> None:
        self.answers[tuple(fields.items())] += 1  # values are str, bool or tuples of str

    def winners(self) -> dict[str, Any]:
        """Each field's value most regions gave (ties: the smallest JSON text); absent: none."""
        if len(self.answers) == 1:  # every region agrees: nothing to count
            return dict(next(iter(self.answers)))
        tallies: dict[str, Counter[str]] = defaultdict(Counter)
        for answer, regions in self.answers.items():
            for key, value in answer:
                # JSON text is hashable, total-ordered and distinguishes None/False/[]: a
                # deterministic tie-break key for free.
                tallies[key][json.dumps(value, sort_keys=True)] += regions
        return {
            key: json.loads(min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0])
            for key, counter in tallies.items()
        }


def _lifecycle_time(value: Any) -> str:
    """A lifecycle date as UTC ISO text: botocore gives datetimes; a raw body, text or epochs."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        moment = datetime.fromtimestamp(value, timezone.utc)
    else:
        raise TypeError(f"not a time: {value!r}")
    if moment.tzinfo is None:  # botocore's are aware; a naive text is read as UTC, as AWS means
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_lifecycle_time(text: str | None) -> datetime | None:
    if text is None:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _str_tuple(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("expected a list of strings")
    return tuple(value)


def _parse_model_summary(summary: Any) -> tuple[str, dict[str, Any], tuple[str, ...] | None]:
    """Validate one ListFoundationModels entry; return (id, metadata fields, inference types)."""
    if not isinstance(summary, dict) and not isinstance(summary, Mapping):
        raise TypeError("entry is not an object")
    model_id = summary.get("modelId")
    if not isinstance(model_id, str) or not model_id:
        raise TypeError("missing modelId")
    fields: dict[str, Any] = {}
    for key, out in (("modelName", "name"), ("providerName", "provider")):
        text = summary.get(key)
        if text is not None:
            if not isinstance(text, str):
                raise TypeError(f"{key} is not a string")
            fields[out] = text
    for key, out in (("inputModalities", "input"), ("outputModalities", "output")):
        if key in summary:
            fields[out] = _str_tuple(summary[key])
    streaming = summary.get("responseStreamingSupported")
    if streaming is not None:
        if not isinstance(streaming, bool):
            raise TypeError("responseStreamingSupported is not a boolean")
        fields["streaming"] = streaming
    lifecycle = summary.get("modelLifecycle")
    if lifecycle is not None:
        status = lifecycle.get("status") if isinstance(lifecycle, Mapping) else None
        if not isinstance(status, str):
            raise TypeError("modelLifecycle.status is not a string")
        fields["lifecycle"] = status
        for key, out in LIFECYCLE_DATES:
            when = lifecycle.get(key)
            if when is not None:
                try:
                    fields[out] = _lifecycle_time(when)
                except (TypeError, ValueError, OverflowError, OSError):
                    raise TypeError(f"modelLifecycle.{key} is not a time: {when!r}") from None
    types = summary.get("inferenceTypesSupported")
    inference_types = None if types is None else _str_tuple(types)
    return model_id, fields, inference_types


def _model_id_from_arn(arn: Any) -> tuple[str, str]:
    """Return (region, base model id) of a foundation-model ARN; region is "" for global ARNs."""
    if not isinstance(arn, str) or _FOUNDATION_MODEL not in arn:
        raise TypeError(f"not a foundation-model ARN: {arn!r}")
    head, model_id = arn.split(_FOUNDATION_MODEL, 1)
    parts = head.split(":")
    if len(parts) < 4 or not model_id:
        raise TypeError(f"not a foundation-model ARN: {arn!r}")
    return parts[3], model_id


def _model_arn(arn: Any) -> tuple[str, str]:
    """(destination region, base model id) of a profile's model ARN, the region checked."""
    region, model_id = _model_id_from_arn(arn)
    if region and not _REGION.fullmatch(region):
        raise TypeError(f"not a region in a model ARN: {region!r}")
    return region, model_id


def _parse_profile(summary: Any, arns: dict[str, tuple[str, str]] | None = None) -> _Profile | None:
    """Validate one profile; None for profiles that grant nothing (inactive, not system-defined).

    ``arns`` memoises ``_model_arn`` over one transform: each region's profiles name the same
    few dozen model ARNs, so each is split and checked once, not once per region and profile.
    """
    if not isinstance(summary, dict) and not isinstance(summary, Mapping):
        raise TypeError("entry is not an object")
    profile_id = summary.get("inferenceProfileId")
    if not isinstance(profile_id, str) or not profile_id:
        arn = summary.get("inferenceProfileArn")
        if isinstance(arn, str) and "inference-profile/" in arn:
            profile_id = arn.rsplit("inference-profile/", 1)[1]
        else:
            raise TypeError("missing inferenceProfileId")
    if _UNSAFE_ID.search(profile_id):
        # AWS ids never hold these; the file's compact routes use them as separators.
        raise TypeError(f"inferenceProfileId {profile_id!r} contains whitespace or ';'")
    status = summary.get("status", "ACTIVE")
    profile_type = summary.get("type", "SYSTEM_DEFINED")
    if status != "ACTIVE" or profile_type != "SYSTEM_DEFINED":
        return None
    models = summary.get("models")
    if not isinstance(models, list) or not models:
        raise TypeError("missing models")
    model_ids: set[str] = set()
    destinations: set[str] = set()
    is_global = False
    for entry in models:
        arn = entry.get("modelArn") if isinstance(entry, Mapping) else None
        if arns is None or not isinstance(arn, str):
            known = _model_arn(arn)  # raises for anything but a foundation-model ARN
        else:
            known = arns.get(arn) or arns.setdefault(arn, _model_arn(arn))
        region, model_id = known
        model_ids.add(model_id)
        if region:
            destinations.add(region)
        else:
            is_global = True  # "arn:aws:bedrock:::foundation-model/..." routes anywhere
    return _Profile(profile_id, frozenset(model_ids), is_global, frozenset(destinations))


def _entries(region: str, what: str, entries: Iterable[Any], parse: Any) -> Iterable[Any]:
    for position, entry in enumerate(entries):
        try:
            yield parse(entry)
        except (TypeError, AttributeError, KeyError) as exc:
            # One bad entry must never cost the rest of the region.
            logger.warning("skipping malformed %s entry #%d in %s: %s", what, position, region, exc)


def build_catalog(
    result: FetchResult,
    *,
    source: CatalogSource = CatalogSource.API,
) -> Catalog:
    """Apply the transform rules to every region's answers and index the result."""
    votes: dict[str, _Votes] = defaultdict(_Votes)
    direct: dict[str, set[str]] = defaultdict(set)  # model id -> regions with ON_DEMAND
    regional: dict[tuple[str, str], list[_Profile]] = defaultdict(list)
    global_: dict[tuple[str, str], list[str]] = defaultdict(list)
    profiled: dict[str, str] = {}
    # Profile id -> every region its ARNs name, in any region's answer: the regions a request
    # through it may run in (a union, so a residency check never misses one).
    routes_to: dict[str, set[str]] = defaultdict(set)
    arns: dict[str, tuple[str, str]] = {}  # _parse_profile's memo: model ARN -> (region, id)

    for region in sorted(result.answers):
        answer = result.answers[region]
        if answer.outcome.status is not RegionStatus.OK:
            continue
        listed: set[str] = set()
        for model_id, fields, types in _entries(
            region, "ListFoundationModels", answer.model_summaries, _parse_model_summary
        ):
            if model_id in listed:
                # A repeated entry (e.g. a page served twice) must not vote twice: votes
                # count regions. The first entry is the region's answer.
                logger.warning(
                    "ignoring repeated ListFoundationModels entry %s in %s", model_id, region
                )
                continue
            listed.add(model_id)
            tally = votes[model_id]
            tally.add(fields)
            # Older answers omit inferenceTypesSupported; the API then meant on-demand.
            effective = ("ON_DEMAND",) if types is None else types
            tally.inference_types.update(effective)
            if "ON_DEMAND" in effective:
                direct[model_id].add(region)
        seen: set[str] = set()
        for profile in _entries(
            region,
            "ListInferenceProfiles",
            answer.profile_summaries,
            lambda summary: _parse_profile(summary, arns),
        ):
            if profile is None or profile.profile_id in seen:
                continue
            seen.add(profile.profile_id)
            routes_to[profile.profile_id].update(profile.destinations)
            for model_id in profile.model_ids:
                profiled.setdefault(model_id, profile.profile_id)
                if profile.is_global:
                    global_[(model_id, region)].append(profile.profile_id)
                else:
                    regional[(model_id, region)].append(profile)

    accesses: dict[str, dict[str, ModelAccess]] = defaultdict(dict)
    for model_id, region in sorted(
        {(m, r) for m, regs in direct.items() for r in regs} | set(regional) | set(global_)
    ):
        ranked = sorted(regional.get((model_id, region), ()), key=_profile_rank)
        globals_ = sorted(global_.get((model_id, region), ()))
        accesses[model_id][region] = ModelAccess(
            model_id=model_id,
            region=region,
            direct_model_id=model_id if region in direct.get(model_id, ()) else None,
            regional_profile_id=ranked[0].profile_id if ranked else None,
            regional_profile_ids=tuple(p.profile_id for p in ranked),
            global_profile_id=globals_[0] if globals_ else None,
        )

    models: list[ModelInfo] = []
    for model_id in sorted(set(votes) | set(profiled)):
        found = votes.get(model_id)
        own = accesses.get(model_id, {}).values()
        profile_ids = {p for a in own for p in (*a.regional_profile_ids, a.global_profile_id) if p}
        regions = AccessMap.from_accesses(
            model_id, own, destinations={p: routes_to[p] for p in profile_ids if routes_to.get(p)}
        )
        if found is None:
            # Known only through profiles: keep what we know, invent nothing.
            models.append(
                ModelInfo(
                    model_id=model_id,
                    name=model_id,
                    provider=model_id.split(".", 1)[0],
                    lifecycle_status=UNKNOWN_LIFECYCLE,
                    regions=regions,
                )
            )
            continue
        won = found.winners()
        models.append(
            ModelInfo(
                model_id=model_id,
                name=won.get("name", model_id),
                provider=won.get("provider", model_id.split(".", 1)[0]),
                input_modalities=tuple(won.get("input", ())),
                output_modalities=tuple(won.get("output", ())),
                streaming_supported=won.get("streaming"),
                lifecycle_status=won.get("lifecycle", UNKNOWN_LIFECYCLE),
                inference_types=tuple(sorted(found.inference_types)),
                regions=regions,
                **{out: _parse_lifecycle_time(won.get(out)) for _, out in LIFECYCLE_DATES},
            )
        )

    metadata = CatalogMetadata(
        source=source,
        # Catalog files keep whole seconds: every process then reports the same time.
        retrieved_at=result.retrieved_at.replace(microsecond=0),
        # RegionOutcome has masked account ids in the messages of denied regions already.
        region_outcomes=MappingProxyType(dict(sorted(result.outcomes.items()))),
        requested_regions=result.requested_regions,
    )
    return Catalog(models, metadata)


def _profile_rank(profile: _Profile) -> tuple[int, str]:
    # The narrowest geography first: fewer destinations keeps data closest to the caller.
    return (len(profile.destinations), profile.profile_id)
