"""Name resolution (issue 2, section 4): every accepted spelling, the tie rules, no fuzzy hits."""

from __future__ import annotations

import re

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


def test_a_part_of_several_names_is_ambiguous_listing_only_the_names_that_hold_it() -> None:
    models = [
        fm("acme.rocket-lite-v1:0", "Rocket Lite", "Acme"),
        fm("acme.rocket-pro-v2:0", "Rocket Pro 2", "Acme"),
        fm("acme.sled-v1:0", "Sled", "Acme"),
    ]
    catalog = catalog_of(answer("us-east-1", models))
    with pytest.raises(AmbiguousModelError) as caught:
        catalog.resolve("rocket")  # far from both whole names, but a word of each
    assert caught.value.candidates == ("acme.rocket-lite-v1:0", "acme.rocket-pro-v2:0")


def test_a_misspelt_part_of_a_name_suggests_the_names_close_to_it() -> None:
    models = [
        fm("acme.rocket-lite-v1:0", "Rocket Lite", "Acme"),
        fm("acme.sled-v1:0", "Sled", "Acme"),
    ]
    catalog = catalog_of(answer("us-east-1", models))
    with pytest.raises(ModelNotFoundError) as caught:
        catalog.resolve("Rocket Lyte")
    assert caught.value.suggestions[0] == "Rocket Lite"


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
    opus = catalog.models[OPUS]
    plain = opus.replace(regions=dict(opus.regions))
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


# -- issue 13.4 / 11.16 / 11.18: names that forgive, and never pick wrong -------------------------
# The 2026-10 names, from the bundled catalog (package data, generated from the 2026-10 snapshot).


@pytest.fixture(scope="module")
def names_2026() -> Catalog:
    from bestehorn_llmmanager.bedrock.catalog import load_bundled

    return load_bundled()


@pytest.mark.parametrize(
    ("spelling", "model_id"),
    [
        ("Claude Sonnet 3.7", "anthropic.claude-3-7-sonnet-20250219-v1:0"),  # word order
        ("Claude 4.5 Haiku", "anthropic.claude-haiku-4-5-20251001-v1:0"),
        ("Claude Haiku 3", "anthropic.claude-3-haiku-20240307-v1:0"),
        ("Llama 3.3 70B", "meta.llama3-3-70b-instruct-v1:0"),  # a unique part, not its variant
        ("Llama 3.1 70B", "meta.llama3-1-70b-instruct-v1:0"),
        ("Claude3Haiku", "anthropic.claude-3-haiku-20240307-v1:0"),  # glued
        ("claude-3-haiku", "anthropic.claude-3-haiku-20240307-v1:0"),
        ("Claude Haiku 4 5 20251001", "anthropic.claude-haiku-4-5-20251001-v1:0"),  # 0.9's names
        ("Llama3 70b Instruct", "meta.llama3-70b-instruct-v1:0"),
        ("Anthropic Claude 3 5 Sonnet 20240620", "anthropic.claude-3-5-sonnet-20240620-v1:0"),
        ("Mistral Small", "mistral.mistral-small-2402-v1:0"),  # 0.9's documented aliases
        ("APAC Claude 3 Haiku", "anthropic.claude-3-haiku-20240307-v1:0"),
        ("EU Anthropic Claude 3 Haiku", "anthropic.claude-3-haiku-20240307-v1:0"),
        ("Claude 3.5 Sonnet", "anthropic.claude-3-5-sonnet-20240620-v1:0"),  # not its v2
        ("Claude 3.5 Sonnet v2", "anthropic.claude-3-5-sonnet-20241022-v2:0"),
        ("Claude Sonnet 4.\uff15", "anthropic.claude-sonnet-4-5-20250929-v1:0"),  # full-width 5
        (
            "Claude Sonnet \u0664.\u0665",
            "anthropic.claude-sonnet-4-5-20250929-v1:0",
        ),  # Arabic-Indic
        ("\uff23laude \uff13 \uff28aiku", "anthropic.claude-3-haiku-20240307-v1:0"),  # full-width
    ],
)
def test_a_forgiving_spelling_resolves_to_the_one_model_it_fits(
    names_2026: Catalog, spelling: str, model_id: str
) -> None:
    assert names_2026.resolve(spelling).model_id == model_id


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        (
            "claude haiku",
            {
                "anthropic.claude-3-haiku-20240307-v1:0",
                "anthropic.claude-haiku-4-5-20251001-v1:0",
                "anthropic.claude-haiku-5-5",
            },
        ),
        ("GPT 6.1", {"openai.gpt-6.1-sol", "openai.gpt-6.1-terra"}),
    ],
)
def test_a_vague_spelling_is_ambiguous_listing_only_the_models_that_fit(
    names_2026: Catalog, spelling: str, expected: set[str]
) -> None:
    with pytest.raises(AmbiguousModelError) as caught:
        names_2026.resolve(spelling)
    assert set(caught.value.candidates) == expected


def test_mistral_large_is_ambiguous_between_the_mistral_large_models(names_2026: Catalog) -> None:
    with pytest.raises(AmbiguousModelError) as caught:
        names_2026.resolve("Mistral Large")
    found = set(caught.value.candidates)
    assert {
        "mistral.mistral-large-2402-v1:0",
        "mistral.mistral-large-2407-v1:0",
        "mistral.mistral-large-3-675b-instruct",
    } <= found
    assert all(names_2026.models[m].provider == "Mistral AI" for m in found)


@pytest.mark.parametrize(
    "spelling", ["Claude 3.5 Sonnet v3", "Claude Opus 4.9", "Claude Sonnet 45", "Sonnet 2"]
)
def test_a_version_that_does_not_exist_never_resolves_to_a_neighbour(
    names_2026: Catalog, spelling: str
) -> None:
    with pytest.raises(ModelNotFoundError) as caught:
        names_2026.resolve(spelling)
    assert not isinstance(caught.value, AmbiguousModelError)


def test_suggestions_are_computed_only_when_read(
    names_2026: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = NameIndex(names_2026.models)
    calls: list[str] = []
    real = NameIndex.suggest

    def counting(self: NameIndex, text: str, limit: int = 5) -> list[str]:
        calls.append(text)
        return real(self, text, limit)

    monkeypatch.setattr(NameIndex, "suggest", counting)
    with pytest.raises(ModelNotFoundError) as caught:
        index.resolve("Claude Opus 4.9")
    assert calls == []
    assert "Claude Opus 4.8" in caught.value.suggestions
    assert calls == ["Claude Opus 4.9"]
    assert "Claude Opus 4.8" in str(caught.value)
    assert calls == ["Claude Opus 4.9"]  # computed once


def test_an_absurdly_long_name_is_refused_before_any_work(names_2026: Catalog) -> None:
    index = NameIndex(names_2026.models)
    with pytest.raises(ModelNotFoundError) as caught:
        index.resolve("Claude 3 Haiku " + "x" * 32_768)
    assert caught.value.suggestions == ()
    assert len(str(caught.value)) < 200  # the name is not copied into the message
    assert index._words is None  # no index was even built


def test_the_memo_of_resolved_spellings_is_bounded(names_2026: Catalog) -> None:
    catalog = Catalog(list(names_2026.models.values()), names_2026.metadata)
    limit = catalog._resolved.limit  # type: ignore[attr-defined]
    for n in range(limit * 3):
        catalog.resolve(" " * (n % 100) + "Nova Pro" + " " * (n // 100))
    assert len(catalog._resolved) == limit
    assert catalog.resolve("Nova Pro").model_id == "amazon.nova-pro-v1:0"


def test_every_alias_holds_only_numbers_of_its_model() -> None:
    from bestehorn_llmmanager.bedrock.catalog._names import ALIASES, fold

    for spelling, model_id in ALIASES.items():
        assert set(re.findall(r"\d+", fold(spelling))) <= set(re.findall(r"\d+", model_id)), (
            spelling
        )


_DIGITS = st.sampled_from("0123456789\uff10\uff11\uff15\uff19\u0660\u0665\u0669")
_ASCII_DIGITS = {"\uff10": "0", "\uff11": "1", "\uff15": "5", "\uff19": "9"}


def _number_tokens(text: str) -> set[str]:
    from bestehorn_llmmanager.bedrock.catalog._names import fold

    return set(re.findall(r"[0-9]+", fold(text)))


@st.composite
def _spellings(draw: st.DrawFn, names: list[str]) -> str:
    """A model name mangled: words dropped, reordered, glued, re-cased, numbers added or changed."""
    words = re.findall(r"[A-Za-z]+|[0-9]+", draw(st.sampled_from(names)))
    words = [w for w in words if draw(st.integers(0, 4))]  # drop some words
    if draw(st.booleans()):
        words = draw(st.permutations(words))
    for _ in range(draw(st.integers(0, 2))):  # add or replace a number
        number = "".join(draw(st.lists(_DIGITS, min_size=1, max_size=3)))
        if words and draw(st.booleans()):
            words[draw(st.integers(0, len(words) - 1))] = number
        else:
            words.insert(draw(st.integers(0, len(words))), number)
    glue = draw(st.sampled_from([" ", "-", "", ".", "  "]))
    text = glue.join(words)
    return text.upper() if draw(st.booleans()) else text


def test_no_spelling_resolves_to_a_model_lacking_one_of_its_numbers(names_2026: Catalog) -> None:
    names = sorted({m.name for m in names_2026.models.values()})

    @settings(max_examples=1500, deadline=None)
    @given(_spellings(names))
    def check(spelling: str) -> None:
        try:
            model = names_2026.resolve(spelling)
        except ModelNotFoundError:
            return
        own = _number_tokens(model.name) | _number_tokens(model.model_id)
        missing = _number_tokens(spelling) - own
        assert not missing, f"{spelling!r} -> {model.model_id} lacks {missing}"

    check()


def _name_09(model_id: str) -> str:
    """The name 0.9's transformer made from a model id (its documented rule)."""
    part = model_id.split(".", 1)[1] if "." in model_id else model_id
    if ":" in part:
        part = part.rsplit(":", 1)[0]
    part = re.sub(r"-v\d+(\.\d+)?$", "", part)
    return " ".join(word.capitalize() for word in part.split("-") if word)


def test_every_name_0_9_generated_resolves_to_its_model(names_2026: Catalog) -> None:
    # 0.9 reported these names (e.g. "Claude Haiku 4 5 20251001"), and named profiles
    # "<Provider> <name>" with the id's provider word ("Zai Glm 4.7"); 0.9 code passes them on.
    generated: dict[str, set[str]] = {}
    for model_id in names_2026.models:
        base = _name_09(model_id)
        for spelling in (base, f"{model_id.split('.')[0].capitalize()} {base}"):
            generated.setdefault(spelling, set()).add(model_id)
    for spelling, model_ids in generated.items():
        on_demand = {m for m in model_ids if not names_2026.models[m].is_provisioned_only}
        if len(on_demand) > 1:  # 0.9 gave two models one name: only ambiguity is honest
            with pytest.raises(AmbiguousModelError) as caught:
                names_2026.resolve(spelling)
            assert set(caught.value.candidates) == on_demand
        else:
            assert names_2026.resolve(spelling).model_id in model_ids, spelling
