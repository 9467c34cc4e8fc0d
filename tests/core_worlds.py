"""Builders of small raw Bedrock answers for the catalog-core tests (never the real snapshot)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any

from bestehorn_llmmanager.bedrock.catalog import build_catalog
from bestehorn_llmmanager.bedrock.catalog._catalog import Catalog
from bestehorn_llmmanager.bedrock.catalog._types import (
    FetchResult,
    RegionAnswer,
    RegionOutcome,
    RegionStatus,
)

ACCOUNT = "111122223333"
AS_OF = datetime(2026, 10, 10, tzinfo=timezone.utc)


def fm(
    model_id: str,
    name: str | None = None,
    provider: str | None = "Anthropic",
    *,
    region: str = "us-east-1",
    types: Any = ("ON_DEMAND",),
    streaming: bool | None = True,
    lifecycle: str | None = "ACTIVE",
    inputs: Sequence[str] = ("TEXT",),
    outputs: Sequence[str] = ("TEXT",),
) -> dict[str, Any]:
    """One ListFoundationModels summary; ``types=None`` omits inferenceTypesSupported."""
    summary: dict[str, Any] = {
        "modelArn": f"arn:aws:bedrock:{region}::foundation-model/{model_id}",
        "modelId": model_id,
        "modelName": name if name is not None else model_id,
        "inputModalities": list(inputs),
        "outputModalities": list(outputs),
    }
    if provider is not None:
        summary["providerName"] = provider
    if streaming is not None:
        summary["responseStreamingSupported"] = streaming
    if types is not None:
        summary["inferenceTypesSupported"] = list(types)
    if lifecycle is not None:
        summary["modelLifecycle"] = {"status": lifecycle}
    return summary


def profile(
    profile_id: str,
    model_id: str | Sequence[str],
    destinations: Iterable[str],
    *,
    source: str = "us-east-1",
    is_global: bool = False,
    status: str = "ACTIVE",
    kind: str = "SYSTEM_DEFINED",
) -> dict[str, Any]:
    """One ListInferenceProfiles summary as listed in ``source`` (its ARN carries an account id)."""
    models = [model_id] if isinstance(model_id, str) else list(model_id)
    arns = [
        {"modelArn": f"arn:aws:bedrock:{region}::foundation-model/{m}"}
        for m in models
        for region in destinations
    ]
    if is_global:
        arns += [{"modelArn": f"arn:aws:bedrock:::foundation-model/{m}"} for m in models]
    return {
        "inferenceProfileName": profile_id.upper(),
        "inferenceProfileArn": (
            f"arn:aws:bedrock:{source}:{ACCOUNT}:inference-profile/{profile_id}"
        ),
        "inferenceProfileId": profile_id,
        "models": arns,
        "status": status,
        "type": kind,
    }


def answer(
    region: str,
    models: Sequence[Any] = (),
    profiles: Sequence[Any] = (),
    *,
    status: RegionStatus = RegionStatus.OK,
    error_code: str | None = None,
    message: str | None = None,
) -> RegionAnswer:
    return RegionAnswer(
        region=region,
        outcome=RegionOutcome(region, status, error_code, message),
        model_summaries=tuple(models),
        profile_summaries=tuple(profiles),
    )


def world(*answers: RegionAnswer, retrieved_at: datetime = AS_OF) -> FetchResult:
    return FetchResult(retrieved_at, MappingProxyType({a.region: a for a in answers}))


def catalog_of(*answers: RegionAnswer) -> Catalog:
    return build_catalog(world(*answers))
