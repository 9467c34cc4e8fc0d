"""Name resolution (issue 2, section 4): every accepted spelling, the tie rules, no fuzzy hits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bestehorn_llmmanager.bedrock.catalog import (
    AmbiguousModelError,
    CatalogError,
    ModelNotFoundError,
)
from bestehorn_llmmanager.bedrock.catalog._catalog import Catalog
from bestehorn_llmmanager.bedrock.catalog._names import (
    NameIndex,
    _normalize_all,
    model_id_from_arn,
    normalize,
)
from bestehorn_llmmanager.bedrock.catalog._types import AccessMap
from tests.core_worlds import ACCOUNT, answer, catalog_of, fm, profile

HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
OPUS = "anthropic.claude-opus-4-8-v1:0"
TITAN_LOWER = "amazon.titan-embed-g1-text-02"
TITAN_UPPER = "amazon.titan-embed-text-v2:0"
OLD_LLAMA = "meta.llama3-8b-instruct-v1:0"
NEW_LLAMA = "meta.llama3-8b-instruct-v2:0"
TWIN_A = "acme.twin-a-v1:0"
TWIN_B = "acme.twin-b-v1:0"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return catalog_of(
        answer(
            "us-east-1",
            [
                fm(HAIKU, "Claude 3 Haiku"),
                fm(f"{HAIKU}:200k", "Claude 3 Haiku", types=["PROVISIONED"]),
                fm(f"{HAIKU}:48k", "Claude 3 Haiku", types=["PROVISIONED"]),
                fm(OPUS, "Claude Opus 4.8", types=["INFERENCE_PROFILE"]),
                fm(TITAN_LOWER, "Titan Text Embeddings v2", "Amazon"),
                fm(TITAN_UPPER, "Titan Text Embeddings V2", "Amazon"),
                fm(OLD_LLAMA, "Llama 3 8B Instruct", "Meta", lifecycle="LEGACY"),
                fm(NEW_LLAMA, "Llama 3 8B Instruct", "Meta"),
                fm(TWIN_A, "Twin", "Acme"),
                fm(TWIN_B, "Twin", "Acme"),
            ],
            [
                profile(f"us.{OPUS}", OPUS, ["us-east-1", "us-west-2"]),
                profile(f"global.{OPUS}", OPUS, ["us-east-1"], is_global=True),
                profile("apac.anthropic.claude-opus-latest", OPUS, ["us-east-1"]),
            ],
        ),
        answer("us-west-2", [fm(HAIKU, "Claude 3 Haiku")]),
    )


# --- ids, profile ids, ARNs ------------------------------------------------------------------


def test_base_model_id_resolves_to_itself(catalog: Catalog) -> None:
    assert catalog.resolve(HAIKU).model_id == HAIKU
    assert catalog.resolve(f"  {HAIKU} ").model_id == HAIKU
    assert catalog.resolve(HAIKU.upper()).model_id == HAIKU


@pytest.mark.parametrize(
    "profile_id",
    [f"us.{OPUS}", f"global.{OPUS}", f"GLOBAL.{OPUS}", "apac.anthropic.claude-opus-latest"],
)
def test_known_profile_id_resolves_to_its_base_model(catalog: Catalog, profile_id: str) -> None:
    assert catalog.resolve(profile_id).model_id == OPUS


@pytest.mark.parametrize("prefix", ["amer", "in", "ca", "eu", "us-gov", "mx2"])
def test_profile_id_with_an_unseen_prefix_resolves_to_its_base_model(
    catalog: Catalog, prefix: str
) -> None:
    assert catalog.resolve(f"{prefix}.{HAIKU}").model_id == HAIKU


def test_unseen_prefix_never_strips_into_a_different_model(catalog: Catalog) -> None:
    with pytest.raises(ModelNotFoundError):
        catalog.resolve("us.anthropic.claude-opus-4-9-v1:0")
    with pytest.raises(ModelNotFoundError):
        catalog.resolve("claude-3-haiku-20240307-v1:0")  # the vendor is not an opaque prefix


def test_foundation_model_arn_resolves_to_its_model(catalog: Catalog) -> None:
    arn = f"arn:aws:bedrock:us-west-2::foundation-model/{HAIKU}"
    assert catalog.resolve(arn).model_id == HAIKU


@pytest.mark.parametrize("profile_id", [f"us.{OPUS}", f"global.{OPUS}", f"amer.{OPUS}"])
def test_inference_profile_arn_with_an_account_id_resolves_to_its_base_model(
    catalog: Catalog, profile_id: str
) -> None:
    arn = f"arn:aws:bedrock:us-east-1:{ACCOUNT}:inference-profile/{profile_id}"
    assert catalog.resolve(arn).model_id == OPUS


def test_model_id_from_arn_reads_only_bedrock_model_and_profile_arns() -> None:
    assert model_id_from_arn(f"arn:aws:bedrock:::foundation-model/{HAIKU}") == HAIKU
    assert model_id_from_arn(f"arn:aws:bedrock:eu-west-1:1:inference-profile/eu.{HAIKU}") == (
        f"eu.{HAIKU}"
    )
    assert model_id_from_arn(HAIKU) is None
    assert model_id_from_arn("arn:aws:bedrock:us-east-1:1:foundation-model/") is None


# --- API names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        "Claude 3 Haiku",
        "claude-3-haiku",
        "CLAUDE 3 HAIKU",
        "claude_3_haiku",
        "  Claude   3 Haiku ",
        "Anthropic Claude 3 Haiku",
        "anthropic-claude-3-haiku",
    ],
)
def test_api_name_resolves_whatever_the_case_and_punctuation(
    catalog: Catalog, spelling: str
) -> None:
    assert catalog.resolve(spelling).model_id == HAIKU


def test_normalize_folds_case_and_punctuation_but_keeps_digits_apart() -> None:
    assert normalize("Claude-3 Haiku") == normalize("claude 3  HAIKU") == "claude 3 haiku"
    assert normalize("Claude Opus 4.9") != normalize("Claude Opus 4.8")
    assert normalize("Claude 3.5") != normalize("Claude 35")


# --- ties ------------------------------------------------------------------------------------


def test_exact_case_name_wins_between_two_models_differing_only_in_case(catalog: Catalog) -> None:
    assert catalog.resolve("Titan Text Embeddings v2").model_id == TITAN_LOWER
    assert catalog.resolve("Titan Text Embeddings V2").model_id == TITAN_UPPER
    assert catalog.resolve("Amazon Titan Text Embeddings V2").model_id == TITAN_UPPER


def test_case_folded_name_matching_two_models_is_ambiguous(catalog: Catalog) -> None:
    with pytest.raises(AmbiguousModelError) as caught:
        catalog.resolve("titan text embeddings v2")
    assert set(caught.value.candidates) == {TITAN_LOWER, TITAN_UPPER}
    assert TITAN_LOWER in str(caught.value) and TITAN_UPPER in str(caught.value)


def test_active_wins_over_legacy_with_the_same_name(catalog: Catalog) -> None:
    assert catalog.resolve("Llama 3 8B Instruct").model_id == NEW_LLAMA
    assert catalog.resolve("llama-3-8b-instruct").model_id == NEW_LLAMA
    assert catalog.resolve(OLD_LLAMA).model_id == OLD_LLAMA  # its id still reaches it


def test_base_model_wins_over_its_provisioned_variants(catalog: Catalog) -> None:
    assert catalog.resolve("claude 3 haiku").model_id == HAIKU
    assert catalog.resolve(f"{HAIKU}:200k").model_id == f"{HAIKU}:200k"  # by id, it is itself


def test_provisioned_variant_loses_even_when_the_base_is_legacy() -> None:
    catalog = catalog_of(
        answer(
            "us-east-1",
            [
                fm(f"{HAIKU}:200k", "Claude 3 Haiku", types=["PROVISIONED"], lifecycle="ACTIVE"),
                fm(HAIKU, "Claude 3 Haiku", lifecycle="LEGACY"),
            ],
        )
    )

    assert catalog.resolve("Claude 3 Haiku").model_id == HAIKU


def test_still_ambiguous_names_raise_listing_every_candidate(catalog: Catalog) -> None:
    with pytest.raises(AmbiguousModelError) as caught:
        catalog.resolve("Twin")
    error = caught.value
    assert error.candidates == (TWIN_A, TWIN_B)
    assert isinstance(error, ModelNotFoundError) and isinstance(error, CatalogError)
    assert "pass one of these model ids" in str(error)


# --- misses ----------------------------------------------------------------------------------


def test_miss_raises_model_not_found_a_lookup_error_and_catalog_error(catalog: Catalog) -> None:
    with pytest.raises(ModelNotFoundError) as caught:
        catalog.resolve("Claude 3 Hiaku")
    error = caught.value
    assert isinstance(error, LookupError) and isinstance(error, CatalogError)
    assert error.name == "Claude 3 Hiaku"
    assert error.suggestions[0] == "Claude 3 Haiku"
    assert len(error.suggestions) <= 5
    assert "'Claude 3 Haiku'" in str(error)


def test_close_version_never_resolves_to_another_version(catalog: Catalog) -> None:
    with pytest.raises(ModelNotFoundError) as caught:
        catalog.resolve("Claude Opus 4.9")
    assert "Claude Opus 4.8" in caught.value.suggestions  # suggested, never returned


def test_suggestions_are_at_most_five_and_skip_provisioned_variants() -> None:
    models = [fm(f"acme.model-{i}-v1:0", f"Model {i}", "Acme") for i in range(12)]
    models.append(fm("acme.model-1-v1:0:8k", "Model 1", "Acme", types=["PROVISIONED"]))
    catalog = catalog_of(answer("us-east-1", models))

    with pytest.raises(ModelNotFoundError) as caught:
        catalog.resolve("Model 1x")
    suggestions = caught.value.suggestions
    assert 1 <= len(suggestions) <= 5
    assert "acme.model-1-v1:0:8k" not in suggestions
    assert len(set(suggestions)) == len(suggestions)


def test_a_part_of_a_name_suggests_the_names_that_hold_it() -> None:
    models = [
        fm("acme.rocket-lite-v1:0", "Rocket Lite", "Acme"),
        fm("acme.rocket-pro-v2:0", "Rocket Pro 2", "Acme"),
        fm("acme.sled-v1:0", "Sled", "Acme"),
    ]
    catalog = catalog_of(answer("us-east-1", models))
    with pytest.raises(ModelNotFoundError) as caught:
        catalog.resolve("rocket")  # far from both whole names, but a word of each
    assert caught.value.suggestions == ("Rocket Lite", "Rocket Pro 2")


def test_nothing_close_gives_no_suggestions_and_a_hint(catalog: Catalog) -> None:
    with pytest.raises(ModelNotFoundError) as caught:
        catalog.resolve("zzzzqqqq")
    assert caught.value.suggestions == ()
    assert "bedrock-catalog list" in str(caught.value)


@pytest.mark.parametrize("text", ["", "   ", ".", "arn:", "arn:aws:bedrock:::foundation-model/"])
def test_empty_or_degenerate_text_is_a_miss(catalog: Catalog, text: str) -> None:
    with pytest.raises(ModelNotFoundError):
        catalog.resolve(text)


def test_non_string_is_a_type_error(catalog: Catalog) -> None:
    with pytest.raises(TypeError):
        catalog.resolve(42)  # type: ignore[arg-type]


def test_name_index_works_on_models_with_plain_dict_regions(catalog: Catalog) -> None:
    from dataclasses import replace

    opus = catalog.models[OPUS]
    plain = replace(opus, regions=dict(opus.regions))
    index = NameIndex({plain.model_id: plain})

    assert index.resolve(f"global.{OPUS}").model_id == OPUS
    assert index.resolve("Claude Opus 4.8") is plain


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(st.text(max_size=20), max_size=6))
def test_batch_normalization_equals_normalizing_each_text(texts: list[str]) -> None:
    assert _normalize_all(texts) == [normalize(t) for t in texts]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.text(st.sampled_from("aZ09 -._/:\t\r\x0b\x1f"), max_size=12), max_size=8))
def test_batch_normalization_of_ascii_equals_normalizing_each_text(texts: list[str]) -> None:
    # ASCII names (all of AWS's) take the translate-and-squeeze path: runs of punctuation and
    # spaces, leading and trailing ones, and empty texts must come out as normalize() has them.
    assert _normalize_all(texts) == [normalize(t) for t in texts]


def test_profile_ids_of_a_decoded_map_equal_those_of_its_parsed_routes(catalog: Catalog) -> None:
    from bestehorn_llmmanager.bedrock.catalog._fileformat import decode, encode

    for model in decode(encode(catalog)).models.values():
        regions = model.regions
        assert isinstance(regions, AccessMap)
        lazy = regions.profile_ids()  # from the file's strings
        assert lazy == tuple(r.profile_id for r in regions.routes)  # after parsing
        assert regions.profile_ids() == lazy


def test_whitespace_in_a_query_means_a_name_never_an_id(catalog: Catalog) -> None:
    assert catalog.resolve(f"\t{HAIKU}\n").model_id == HAIKU  # surrounding space is trimmed
    with pytest.raises(ModelNotFoundError):
        catalog.resolve(f"us. {OPUS}")
