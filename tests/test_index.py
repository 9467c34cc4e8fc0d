"""Queries on a Catalog (issue 2, section 5) and the derived fields of ModelAccess."""

from __future__ import annotations

import pytest

from bestehorn_llmmanager.bedrock.catalog import AccessMethod, ModelAccess, ModelNotFoundError
from bestehorn_llmmanager.bedrock.catalog._catalog import Catalog
from bestehorn_llmmanager.bedrock.catalog._types import RegionStatus
from tests.core_worlds import answer, catalog_of, fm, profile

HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
SONNET = "anthropic.claude-sonnet-4-20250514-v1:0"
NOVA = "amazon.nova-pro-v1:0"
EMBED = "amazon.titan-embed-text-v2:0"
LLAMA = "meta.llama3-8b-instruct-v1:0"
JAMBA = "ai21.jamba-1-5-large-v1:0"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return catalog_of(
        answer(
            "us-east-1",
            [
                fm(HAIKU, "Claude 3 Haiku", inputs=["TEXT", "IMAGE"]),
                fm(SONNET, "Claude Sonnet 4", types=["INFERENCE_PROFILE"]),
                fm(NOVA, "Nova Pro", "Amazon", inputs=["TEXT", "IMAGE", "VIDEO"]),
                fm(
                    EMBED,
                    "Titan Text Embeddings V2",
                    "Amazon",
                    streaming=False,
                    outputs=["EMBEDDING"],
                ),
                fm(LLAMA, "Llama 3 8B Instruct", "Meta", lifecycle="LEGACY"),
                fm(JAMBA, "Jamba 1.5 Large", "AI21 Labs", streaming=None),
            ],
            [
                profile(f"us.{SONNET}", SONNET, ["us-east-1", "us-west-2"]),
                profile(f"global.{SONNET}", SONNET, ["us-east-1"], is_global=True),
            ],
        ),
        answer("eu-west-1", [fm(HAIKU, "Claude 3 Haiku", region="eu-west-1")]),
        answer(
            "eu-central-2",
            [],
            [profile(f"global.{SONNET}", SONNET, ["eu-central-2"], is_global=True)],
        ),
        answer("ap-south-2", status=RegionStatus.FAILED, error_code="ThrottlingException"),
    )


# --- get -------------------------------------------------------------------------------------


def test_get_returns_the_access_of_a_callable_model(catalog: Catalog) -> None:
    assert catalog.get("Claude 3 Haiku", "eu-west-1") == ModelAccess(
        HAIKU, "eu-west-1", direct_model_id=HAIKU
    )
    assert catalog.get(HAIKU, "us-east-1") is catalog.get("claude-3-haiku", "us-east-1")


def test_get_returns_none_for_a_known_model_not_callable_from_a_valid_region(
    catalog: Catalog,
) -> None:
    assert catalog.get(NOVA, "eu-west-1") is None
    assert catalog.get(NOVA, "ap-south-2") is None  # a region that failed: still a region
    assert catalog.get(NOVA, "xx-newregion-9") is None  # unseen, but shaped like a region


def test_get_raises_model_not_found_for_an_unknown_name(catalog: Catalog) -> None:
    with pytest.raises(ModelNotFoundError):
        catalog.get("Claude 9 Hyper", "us-east-1")


@pytest.mark.parametrize(
    "region", ["us-east", "US-EAST-1", "global", "", "us_east_1", " us-east-1", "us-east-1\n"]
)
def test_get_raises_value_error_naming_a_string_that_is_no_region(
    catalog: Catalog, region: str
) -> None:
    with pytest.raises(ValueError, match="is not an AWS region name") as caught:
        catalog.get(HAIKU, region)
    assert repr(region) in str(caught.value)
    assert not isinstance(caught.value, LookupError)


def test_get_suggests_the_lowercase_region_for_an_uppercase_one(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="did you mean 'us-east-1'"):
        catalog.get(NOVA, "US-EAST-1")


def test_get_accepts_profile_ids_and_arns(catalog: Catalog) -> None:
    access = catalog.get(f"global.{SONNET}", "eu-central-2")
    assert access is not None and access.invocation_id == f"global.{SONNET}"
    arn = f"arn:aws:bedrock:us-east-1::foundation-model/{SONNET}"
    assert catalog.get(arn, "us-east-1") == catalog.get(SONNET, "us-east-1")


# --- ModelAccess -----------------------------------------------------------------------------


def test_access_methods_and_invocation_id_prefer_direct_then_regional_then_global() -> None:
    full = ModelAccess("m", "us-east-1", "m", "us.m", ("us.m",), "global.m")
    regional = ModelAccess("m", "us-east-1", None, "us.m", ("us.m",), "global.m")
    global_only = ModelAccess("m", "us-east-1", global_profile_id="global.m")
    none = ModelAccess("m", "us-east-1")

    assert full.access_methods == (
        AccessMethod.DIRECT,
        AccessMethod.REGIONAL_PROFILE,
        AccessMethod.GLOBAL_PROFILE,
    )
    assert full.invocation_id == "m"
    assert regional.access_methods == (AccessMethod.REGIONAL_PROFILE, AccessMethod.GLOBAL_PROFILE)
    assert regional.invocation_id == "us.m"
    assert global_only.access_methods == (AccessMethod.GLOBAL_PROFILE,)
    assert global_only.invocation_id == "global.m"
    assert none.access_methods == ()
    with pytest.raises(ValueError):
        _ = none.invocation_id


def test_id_for_gives_the_id_of_each_method() -> None:
    access = ModelAccess("m", "us-east-1", None, "us.m", ("us.m", "amer.m"), "global.m")

    assert access.id_for(AccessMethod.DIRECT) is None
    assert access.id_for(AccessMethod.REGIONAL_PROFILE) == "us.m"
    assert access.id_for(AccessMethod.GLOBAL_PROFILE) == "global.m"


def test_catalog_accesses_only_exist_for_regions_with_a_method(catalog: Catalog) -> None:
    for model in catalog.models.values():
        for region, access in model.regions.items():
            assert access.region == region and access.model_id == model.model_id
            assert access.access_methods


# --- list_models -----------------------------------------------------------------------------


def _ids(models: list) -> list[str]:  # type: ignore[type-arg]
    return [m.model_id for m in models]


def test_list_models_sorts_by_provider_then_name(catalog: Catalog) -> None:
    assert _ids(catalog.list_models()) == [JAMBA, NOVA, EMBED, HAIKU, SONNET, LLAMA]


def test_list_models_filters_by_region(catalog: Catalog) -> None:
    assert _ids(catalog.list_models(region="eu-west-1")) == [HAIKU]
    assert _ids(catalog.list_models(region="eu-central-2")) == [SONNET]
    assert catalog.list_models(region="sa-east-1") == []


def test_list_models_rejects_a_non_region(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="'eu-west'"):
        catalog.list_models(region="eu-west")


@pytest.mark.parametrize("provider", ["Amazon", "amazon", "AMAZON"])
def test_list_models_matches_provider_case_insensitively(catalog: Catalog, provider: str) -> None:
    assert _ids(catalog.list_models(provider=provider)) == [NOVA, EMBED]


def test_list_models_streaming_only_keeps_models_known_to_stream(catalog: Catalog) -> None:
    # Jamba's streaming is unknown (None): it is not claimed to stream.
    assert _ids(catalog.list_models(streaming_only=True)) == [NOVA, HAIKU, SONNET, LLAMA]


def test_list_models_filters_by_modalities_case_insensitively(catalog: Catalog) -> None:
    assert _ids(catalog.list_models(input_modality="image")) == [NOVA, HAIKU]
    assert _ids(catalog.list_models(input_modality="VIDEO")) == [NOVA]
    assert _ids(catalog.list_models(output_modality="embedding")) == [EMBED]
    assert _ids(catalog.list_models(input_modality="IMAGE", output_modality="EMBEDDING")) == []


def test_list_models_can_drop_legacy_models(catalog: Catalog) -> None:
    assert LLAMA in _ids(catalog.list_models())
    assert LLAMA not in _ids(catalog.list_models(include_legacy=False))


def test_list_models_combines_filters(catalog: Catalog) -> None:
    found = catalog.list_models(
        region="us-east-1", provider="anthropic", streaming_only=True, input_modality="TEXT"
    )
    assert _ids(found) == [HAIKU, SONNET]


# --- regions_for, providers, regions ---------------------------------------------------------


def test_regions_for_lists_the_sorted_regions_a_model_is_callable_from(catalog: Catalog) -> None:
    assert catalog.regions_for("Claude 3 Haiku") == ["eu-west-1", "us-east-1"]
    assert catalog.regions_for(f"us.{SONNET}") == ["eu-central-2", "us-east-1"]
    with pytest.raises(ModelNotFoundError):
        catalog.regions_for("nope")


def test_providers_are_sorted_case_insensitively(catalog: Catalog) -> None:
    assert catalog.providers() == ["AI21 Labs", "Amazon", "Anthropic", "Meta"]


def test_regions_are_the_regions_that_answered_or_serve_a_model(catalog: Catalog) -> None:
    assert catalog.regions() == ["eu-central-2", "eu-west-1", "us-east-1"]
    assert "ap-south-2" not in catalog.regions()  # it failed
    assert catalog.metadata.regions_failed == {"ap-south-2": "ThrottlingException"}


def test_len_and_repr_describe_the_catalog(catalog: Catalog) -> None:
    assert len(catalog) == 6
    assert "6 models" in repr(catalog) and "3 regions" in repr(catalog)


def test_with_metadata_keeps_models_and_changes_only_metadata(catalog: Catalog) -> None:
    from bestehorn_llmmanager.bedrock.catalog import CatalogSource

    other = catalog.with_metadata(source=CatalogSource.BUNDLED)

    assert other.metadata.source is CatalogSource.BUNDLED
    assert catalog.metadata.source is CatalogSource.API
    assert other.models == catalog.models
    assert other.get("Claude 3 Haiku", "us-east-1") == catalog.get(HAIKU, "us-east-1")


def test_with_metadata_leaves_the_name_index_to_the_first_lookup() -> None:
    from bestehorn_llmmanager.bedrock.catalog import CatalogSource

    fresh = catalog_of(answer("us-east-1", [fm(HAIKU, "Claude 3 Haiku")]))
    clone = fresh.with_metadata(source=CatalogSource.BUNDLED)

    assert clone._names is None and fresh._names is None  # loading pays no index
    assert clone.get("Claude 3 Haiku", "us-east-1") is not None
    assert clone._names is not None


# -- the hand-written frozen values of the warm path (issue 10) ---------------------------------


def test_warm_path_values_behave_as_frozen_dataclasses(catalog: Catalog) -> None:
    import copy
    import pickle

    model = catalog.resolve(NOVA)
    access = model.regions["us-east-1"]
    meta = catalog.metadata
    for value in (model, access, meta, next(iter(meta.region_outcomes.values()))):
        with pytest.raises(AttributeError, match="immutable"):
            value.region = "x"  # type: ignore[misc, union-attr]
        with pytest.raises(AttributeError, match="immutable"):
            del value.source  # type: ignore[union-attr]
        assert copy.copy(value) == value
        assert pickle.loads(pickle.dumps(value)) == value
        assert repr(value).startswith(type(value).__name__ + "(")
    # replace() is dataclasses.replace for them: a changed copy, the original untouched.
    slower = model.replace(streaming_supported=False)
    assert slower.streaming_supported is False and model.streaming_supported is True
    assert slower != model and slower.model_id == model.model_id
    assert hash(slower) == hash(model)  # a model is hashed by its id
    with pytest.raises(TypeError, match="no field 'colour'"):
        model.replace(colour="red")
    same = ModelAccess(
        access.model_id,
        access.region,
        access.direct_model_id,
        access.regional_profile_id,
        access.regional_profile_ids,
        access.global_profile_id,
    )
    assert same == access and hash(same) == hash(access) and same is not access
    assert access != "not an access"


def test_metadata_equality_ignores_the_clock_it_measures_ages_with(catalog: Catalog) -> None:
    from datetime import timedelta

    meta = catalog.metadata
    later = meta.retrieved_at + timedelta(hours=5)
    timed = meta.replace(clock=lambda: later)
    assert timed == meta
    assert timed.age == timedelta(hours=5) and timed.clock is not None
    assert timed.age_at(later + timedelta(hours=1)) == timedelta(hours=6)
    assert "clock" not in repr(timed)
