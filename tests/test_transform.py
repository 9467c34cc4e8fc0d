"""The transform rules (issue 2, section 3), one test per rule, on small in-code worlds."""

from __future__ import annotations

import logging
import random

import pytest

from bestehorn_llmmanager.bedrock.catalog import build_catalog
from bestehorn_llmmanager.bedrock.catalog._constants import UNKNOWN_LIFECYCLE
from bestehorn_llmmanager.bedrock.catalog._fileformat import encode
from bestehorn_llmmanager.bedrock.catalog._types import ModelAccess, RegionStatus
from tests.core_worlds import AS_OF, answer, catalog_of, fm, profile, world

HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
SONNET = "anthropic.claude-sonnet-4-20250514-v1:0"
NOVA = "amazon.nova-pro-v1:0"


# --- direct access ---------------------------------------------------------------------------


def test_on_demand_model_is_directly_callable_by_its_bare_id() -> None:
    catalog = catalog_of(answer("us-east-1", [fm(HAIKU, "Claude 3 Haiku")]))

    assert catalog.get(HAIKU, "us-east-1") == ModelAccess(HAIKU, "us-east-1", direct_model_id=HAIKU)


def test_absent_inference_types_field_means_on_demand() -> None:
    catalog = catalog_of(answer("us-east-1", [fm(HAIKU, types=None)]))

    access = catalog.get(HAIKU, "us-east-1")
    assert access is not None and access.direct_model_id == HAIKU
    assert catalog.models[HAIKU].inference_types == ("ON_DEMAND",)


def test_inference_profile_only_model_is_not_callable_by_bare_id() -> None:
    catalog = catalog_of(
        answer("us-east-1", [fm(SONNET, "Claude Sonnet 4", types=["INFERENCE_PROFILE"])])
    )

    assert catalog.get(SONNET, "us-east-1") is None
    assert catalog.models[SONNET].regions == {}
    assert catalog.models[SONNET].inference_types == ("INFERENCE_PROFILE",)


def test_inference_profile_only_model_is_callable_through_its_profile_only() -> None:
    catalog = catalog_of(
        answer(
            "us-east-1",
            [fm(SONNET, "Claude Sonnet 4", types=["INFERENCE_PROFILE"])],
            [profile(f"us.{SONNET}", SONNET, ["us-east-1", "us-west-2"])],
        )
    )

    access = catalog.get(SONNET, "us-east-1")
    assert access is not None
    assert access.direct_model_id is None
    assert access.invocation_id == f"us.{SONNET}"


def test_provisioned_only_variant_is_never_callable_and_never_wins_a_name_lookup() -> None:
    variant = f"{HAIKU}:200k"
    catalog = catalog_of(
        answer(
            "us-east-1",
            # The variant comes first and sorts after the base: neither order may matter.
            [fm(variant, "Claude 3 Haiku", types=["PROVISIONED"]), fm(HAIKU, "Claude 3 Haiku")],
        ),
        answer("us-west-2", [fm(variant, "Claude 3 Haiku", types=["PROVISIONED"])]),
    )

    assert catalog.models[variant].regions == {}
    assert catalog.models[variant].is_provisioned_only
    assert catalog.get(variant, "us-east-1") is None
    assert catalog.get(variant, "us-west-2") is None
    for spelling in ("Claude 3 Haiku", "claude-3-haiku", "Anthropic Claude 3 Haiku"):
        assert catalog.resolve(spelling).model_id == HAIKU
    assert catalog.regions_for(variant) == []
    assert all(m.model_id != variant for m in catalog.list_models(region="us-east-1"))


def test_empty_inference_types_list_is_not_on_demand() -> None:
    catalog = catalog_of(answer("us-east-1", [fm(HAIKU, types=[])]))

    assert catalog.get(HAIKU, "us-east-1") is None


# --- profile access --------------------------------------------------------------------------


def test_active_system_profile_grants_access_where_foundation_models_lacks_the_model() -> None:
    catalog = catalog_of(
        answer("us-east-1", [fm(SONNET, "Claude Sonnet 4")]),
        # us-east-2 does not list the model at all, but lists a profile routing to it.
        answer("us-east-2", [], [profile(f"us.{SONNET}", SONNET, ["us-east-1", "us-west-2"])]),
    )

    access = catalog.get(SONNET, "us-east-2")
    assert access == ModelAccess(
        SONNET,
        "us-east-2",
        regional_profile_id=f"us.{SONNET}",
        regional_profile_ids=(f"us.{SONNET}",),
    )
    assert catalog.regions_for(SONNET) == ["us-east-1", "us-east-2"]


def test_base_model_comes_from_the_arns_not_from_stripping_the_prefix() -> None:
    # The profile id's text after the prefix differs from the model its ARNs route to.
    catalog = catalog_of(
        answer(
            "us-east-1",
            [fm(NOVA, "Nova Pro", "Amazon")],
            [profile("us.amazon.nova-pro-latest", NOVA, ["us-east-1", "us-west-2"])],
        )
    )

    assert "amazon.nova-pro-latest" not in catalog.models
    access = catalog.get(NOVA, "us-east-1")
    assert access is not None
    assert access.regional_profile_id == "us.amazon.nova-pro-latest"
    assert catalog.resolve("us.amazon.nova-pro-latest").model_id == NOVA


def test_profile_with_an_empty_region_arn_is_global() -> None:
    catalog = catalog_of(
        answer(
            "eu-west-1",
            [fm(SONNET)],
            [profile(f"global.{SONNET}", SONNET, ["eu-west-1"], is_global=True)],
        )
    )

    access = catalog.get(SONNET, "eu-west-1")
    assert access is not None
    assert access.global_profile_id == f"global.{SONNET}"
    assert access.regional_profile_id is None and access.regional_profile_ids == ()


def test_profile_named_global_without_an_empty_region_arn_is_regional() -> None:
    # Global-ness is read from the ARNs; the "global." text is just an opaque prefix.
    catalog = catalog_of(
        answer("eu-west-1", [fm(SONNET)], [profile(f"global.{SONNET}", SONNET, ["eu-west-1"])])
    )

    access = catalog.get(SONNET, "eu-west-1")
    assert access is not None
    assert access.global_profile_id is None
    assert access.regional_profile_id == f"global.{SONNET}"


@pytest.mark.parametrize("prefix", ["amer", "in", "ca", "zz", "apac"])
def test_new_geography_prefixes_work_with_no_code_change(prefix: str) -> None:
    profile_id = f"{prefix}.{SONNET}"
    catalog = catalog_of(
        answer("ca-central-1", [], [profile(profile_id, SONNET, ["ca-central-1", "ca-west-1"])])
    )

    access = catalog.get(SONNET, "ca-central-1")
    assert access is not None and access.regional_profile_id == profile_id
    assert catalog.resolve(profile_id).model_id == SONNET
    assert list(catalog.models) == [SONNET]


def test_fewest_destinations_wins_among_regional_profiles_and_all_are_listed() -> None:
    catalog = catalog_of(
        answer(
            "us-east-1",
            [fm(SONNET)],
            [
                profile(f"amer.{SONNET}", SONNET, ["us-east-1", "us-west-2", "ca-central-1"]),
                profile(f"us.{SONNET}", SONNET, ["us-east-1", "us-west-2"]),
                profile(f"aa.{SONNET}", SONNET, ["us-east-1", "us-west-2", "sa-east-1", "x-y-1"]),
            ],
        )
    )

    access = catalog.get(SONNET, "us-east-1")
    assert access is not None
    assert access.regional_profile_id == f"us.{SONNET}"
    assert access.regional_profile_ids == (f"us.{SONNET}", f"amer.{SONNET}", f"aa.{SONNET}")


def test_regional_profiles_with_equal_destination_counts_tie_by_id() -> None:
    catalog = catalog_of(
        answer(
            "us-east-1",
            [],
            [
                profile(f"zz.{SONNET}", SONNET, ["us-east-1", "us-west-2"]),
                profile(f"us.{SONNET}", SONNET, ["us-east-1", "us-east-2"]),
            ],
        )
    )

    access = catalog.get(SONNET, "us-east-1")
    assert access is not None
    assert access.regional_profile_ids == (f"us.{SONNET}", f"zz.{SONNET}")
    assert access.regional_profile_id == f"us.{SONNET}"


def test_several_global_profiles_pick_the_smallest_id() -> None:
    catalog = catalog_of(
        answer(
            "us-east-1",
            [],
            [
                profile(f"global.{SONNET}", SONNET, ["us-east-1"], is_global=True),
                profile(f"earth.{SONNET}", SONNET, ["us-east-1"], is_global=True),
            ],
        )
    )

    access = catalog.get(SONNET, "us-east-1")
    assert access is not None
    assert access.global_profile_id == f"earth.{SONNET}"
    assert access.regional_profile_ids == ()


@pytest.mark.parametrize(
    ("status", "kind"),
    [("INACTIVE", "SYSTEM_DEFINED"), ("ACTIVE", "APPLICATION"), ("INACTIVE", "APPLICATION")],
)
def test_inactive_or_application_profiles_grant_nothing(status: str, kind: str) -> None:
    catalog = catalog_of(
        answer(
            "us-east-1",
            [fm(SONNET, types=["INFERENCE_PROFILE"])],
            [profile(f"us.{SONNET}", SONNET, ["us-east-1"], status=status, kind=kind)],
        )
    )

    assert catalog.get(SONNET, "us-east-1") is None


def test_profile_grants_access_only_from_the_region_that_lists_it() -> None:
    # Destinations are not sources: us-west-2 is a destination, but did not list the profile.
    catalog = catalog_of(
        answer("us-east-1", [], [profile(f"us.{SONNET}", SONNET, ["us-east-1", "us-west-2"])]),
        answer("us-west-2", []),
    )

    assert catalog.get(SONNET, "us-west-2") is None
    assert catalog.regions_for(SONNET) == ["us-east-1"]


def test_direct_and_both_profile_kinds_combine_in_one_access() -> None:
    catalog = catalog_of(
        answer(
            "us-east-1",
            [fm(SONNET)],
            [
                profile(f"us.{SONNET}", SONNET, ["us-east-1", "us-west-2"]),
                profile(f"global.{SONNET}", SONNET, ["us-east-1"], is_global=True),
            ],
        )
    )

    access = catalog.get(SONNET, "us-east-1")
    assert access == ModelAccess(
        SONNET,
        "us-east-1",
        direct_model_id=SONNET,
        regional_profile_id=f"us.{SONNET}",
        regional_profile_ids=(f"us.{SONNET}",),
        global_profile_id=f"global.{SONNET}",
    )


# --- metadata --------------------------------------------------------------------------------


def _disagreeing_answers() -> list:  # type: ignore[type-arg]
    return [
        answer("us-east-1", [fm(HAIKU, "Claude 3 Haiku", streaming=True, lifecycle="ACTIVE")]),
        answer("us-west-2", [fm(HAIKU, "Claude 3 Haiku", streaming=True, lifecycle="LEGACY")]),
        answer("eu-west-1", [fm(HAIKU, "Claude Haiku 3", streaming=False, lifecycle="LEGACY")]),
        answer("eu-west-2", [fm(HAIKU, "Claude Haiku 3", streaming=False, lifecycle="ACTIVE")]),
        answer("ap-south-1", [fm(HAIKU, "Claude 3 Haiku", streaming=True, lifecycle="LEGACY")]),
        answer("sa-east-1", [fm(HAIKU, "Claude 3 Haiku", streaming=None, lifecycle=None)]),
    ]


def test_metadata_takes_the_answer_most_regions_gave() -> None:
    model = catalog_of(*_disagreeing_answers()).models[HAIKU]

    assert model.name == "Claude 3 Haiku"  # 4 regions against 2
    assert model.streaming_supported is True  # 3 against 2; the region that omits it abstains
    assert model.lifecycle_status == "LEGACY"  # 3 against 2


def test_metadata_ties_break_the_same_way_whatever_the_region_order() -> None:
    tied = [
        answer("ca-central-1", [fm(HAIKU, "B", "Prov B", streaming=True, inputs=["IMAGE"])]),
        answer("ca-west-1", [fm(HAIKU, "A", "Prov A", streaming=False, inputs=["TEXT"])]),
        answer("mx-central-1", [fm(HAIKU, "B", "Prov A", streaming=False, inputs=["IMAGE"])]),
        answer("il-central-1", [fm(HAIKU, "A", "Prov B", streaming=True, inputs=["TEXT"])]),
    ]
    encodings = set()
    models = set()
    for seed in range(8):
        shuffled = [*tied, answer("us-east-1", [fm(SONNET)]), answer("us-west-2", [fm(SONNET)])]
        random.Random(seed).shuffle(shuffled)
        catalog = build_catalog(world(*shuffled))
        encodings.add(encode(catalog, generated_at=AS_OF))
        model = catalog.models[HAIKU]
        models.add((model.name, model.provider, model.streaming_supported, model.input_modalities))
    assert len(encodings) == 1
    assert len(models) == 1


def test_metadata_tie_between_two_regions_is_deterministic() -> None:
    first = answer("us-east-1", [fm(HAIKU, "B name", streaming=True)])
    second = answer("us-west-2", [fm(HAIKU, "A name", streaming=False)])

    one = build_catalog(world(first, second))
    other = build_catalog(world(second, first))

    assert one.models[HAIKU] == other.models[HAIKU]
    assert encode(one, generated_at=AS_OF) == encode(other, generated_at=AS_OF)


def test_inference_types_are_the_union_across_regions() -> None:
    catalog = catalog_of(
        answer("us-east-1", [fm(SONNET, types=["INFERENCE_PROFILE"])]),
        answer("us-west-2", [fm(SONNET, types=["ON_DEMAND", "PROVISIONED"])]),
    )

    assert catalog.models[SONNET].inference_types == (
        "INFERENCE_PROFILE",
        "ON_DEMAND",
        "PROVISIONED",
    )
    assert catalog.regions_for(SONNET) == ["us-west-2"]


def test_profile_only_model_keeps_its_id_as_name_and_invents_nothing() -> None:
    model_id = "writer.palmyra-x5-v1:0"
    catalog = catalog_of(
        answer("us-west-2", [], [profile(f"us.{model_id}", model_id, ["us-west-2", "us-east-1"])])
    )

    model = catalog.models[model_id]
    assert model.name == model_id
    assert model.provider == "writer"
    assert model.streaming_supported is None
    assert model.input_modalities == () and model.output_modalities == ()
    assert model.inference_types == ()
    assert model.lifecycle_status == UNKNOWN_LIFECYCLE
    assert catalog.list_models(streaming_only=True) == []


def test_model_summary_without_streaming_field_leaves_streaming_unknown() -> None:
    catalog = catalog_of(answer("us-east-1", [fm(HAIKU, streaming=None)]))

    assert catalog.models[HAIKU].streaming_supported is None


# --- account ids -----------------------------------------------------------------------------


def test_account_ids_reach_neither_the_catalog_nor_the_encoded_bytes() -> None:
    catalog = catalog_of(
        answer(
            "us-east-1",
            [fm(SONNET)],
            [
                profile(f"us.{SONNET}", SONNET, ["us-east-1", "us-west-2"]),
                profile(f"global.{SONNET}", SONNET, ["us-east-1"], is_global=True),
            ],
        ),
        answer(
            "eu-west-3",
            status=RegionStatus.UNAVAILABLE,
            error_code="AccessDeniedException",
            message=(
                "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: "
                "bedrock:ListFoundationModels"
            ),
        ),
    )

    data = encode(catalog, generated_at=AS_OF)
    assert b"111122223333" not in data
    assert "111122223333" not in repr(catalog.metadata)
    assert "111122223333" not in repr([dict(m.regions) for m in catalog.models.values()])
    # The reason stays useful, only the account is masked.
    reason = catalog.metadata.regions_unavailable["eu-west-3"]
    assert reason.startswith("AccessDeniedException: User: arn:aws:iam::")
    assert "not authorized" in reason


def test_profile_without_an_id_takes_it_from_the_arn_and_drops_the_account() -> None:
    entry = profile(f"us.{SONNET}", SONNET, ["us-east-1"])
    del entry["inferenceProfileId"]
    catalog = catalog_of(answer("us-east-1", [], [entry]))

    access = catalog.get(SONNET, "us-east-1")
    assert access is not None and access.regional_profile_id == f"us.{SONNET}"
    assert b"111122223333" not in encode(catalog, generated_at=AS_OF)


# --- malformed entries -----------------------------------------------------------------------


def test_malformed_entries_are_skipped_with_a_warning_and_the_rest_kept(
    caplog: pytest.LogCaptureFixture,
) -> None:
    good_profile = profile(f"us.{SONNET}", SONNET, ["us-east-1"])
    bad_arn = profile("us.broken", "x", ["us-east-1"])
    bad_arn["models"] = [{"modelArn": "arn:aws:bedrock:us-east-1::custom-model/nope"}]
    no_models = profile("us.empty", "x", ["us-east-1"])
    no_models["models"] = "not a list"
    missing_id = fm("x")
    del missing_id["modelId"]
    wrong_name = fm("bad.name-v1", name=None)
    wrong_name["modelName"] = 42
    wrong_types = fm("bad.types-v1")
    wrong_types["inferenceTypesSupported"] = "ON_DEMAND"
    wrong_modalities = fm("bad.modalities-v1")
    wrong_modalities["inputModalities"] = [1, 2]
    wrong_lifecycle = fm("bad.lifecycle-v1")
    wrong_lifecycle["modelLifecycle"] = "ACTIVE"
    caplog.set_level(logging.WARNING, logger="bestehorn_llmmanager.bedrock.catalog._transform")

    catalog = catalog_of(
        answer(
            "us-east-1",
            [
                missing_id,
                "not an object",
                None,
                fm(HAIKU, "Claude 3 Haiku"),
                wrong_name,
                wrong_types,
                wrong_modalities,
                wrong_lifecycle,
                {"modelId": 7},
            ],
            [bad_arn, 12, no_models, good_profile, {"models": []}],
        )
    )

    assert sorted(catalog.models) == [HAIKU, SONNET]
    assert catalog.get(HAIKU, "us-east-1") is not None
    assert catalog.get(SONNET, "us-east-1") is not None
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 8 + 4
    assert all("us-east-1" in r.getMessage() for r in warnings)
    assert any("#0" in r.getMessage() and "modelId" in r.getMessage() for r in warnings)


def test_failed_and_unavailable_regions_contribute_nothing_but_are_recorded() -> None:
    catalog = catalog_of(
        answer("us-east-1", [fm(HAIKU)]),
        # Whatever a failed region carried must not be trusted.
        answer(
            "us-west-2",
            [fm(NOVA, "Nova Pro", "Amazon")],
            status=RegionStatus.FAILED,
            error_code="ThrottlingException",
            message="Rate exceeded",
        ),
        answer(
            "eu-south-2",
            [],
            [profile(f"eu.{SONNET}", SONNET, ["eu-south-2"])],
            status=RegionStatus.UNAVAILABLE,
            error_code="UnrecognizedClientException",
        ),
    )

    assert list(catalog.models) == [HAIKU]
    meta = catalog.metadata
    assert meta.regions_ok == ("us-east-1",)
    assert dict(meta.regions_failed) == {"us-west-2": "ThrottlingException: Rate exceeded"}
    assert dict(meta.regions_unavailable) == {"eu-south-2": "UnrecognizedClientException"}
    assert catalog.regions() == ["us-east-1"]


def test_build_records_when_aws_answered() -> None:
    catalog = catalog_of(answer("us-east-1", [fm(HAIKU)]))

    assert catalog.metadata.retrieved_at == AS_OF


@pytest.mark.parametrize("bad_id", ["us.x y", "us.x;G y", "us.x\ty", " "])
def test_profile_id_with_whitespace_or_semicolon_is_skipped_as_malformed(
    bad_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    catalog = catalog_of(
        answer(
            "us-east-1",
            [],
            [
                profile(bad_id, SONNET, ["us-east-1"]),
                profile(f"us.{SONNET}", SONNET, ["us-east-1"]),
            ],
        )
    )

    access = catalog.get(SONNET, "us-east-1")
    assert access is not None and access.regional_profile_ids == (f"us.{SONNET}",)
    assert "contains whitespace" in caplog.text


def test_a_model_listed_twice_in_one_region_votes_once() -> None:
    catalog = catalog_of(
        answer(
            "us-east-1", [fm(HAIKU, "A repeated"), fm(HAIKU, "A repeated", types=["PROVISIONED"])]
        ),
        answer("us-west-2", [fm(HAIKU, "B name")]),
        answer("eu-west-1", [fm(HAIKU, "B name")]),
    )

    model = catalog.models[HAIKU]
    # Two regions against one; counting entries would tie 2-2 and "A repeated" sorts first.
    assert model.name == "B name"
    assert model.inference_types == ("ON_DEMAND",)  # the repeat is ignored entirely


def test_retrieved_at_keeps_whole_seconds_like_the_file_so_every_process_agrees() -> None:
    from datetime import timedelta

    moment = AS_OF + timedelta(seconds=5, microseconds=123456)
    catalog = build_catalog(world(answer("us-east-1", [fm("a.m-v1:0")]), retrieved_at=moment))
    assert catalog.metadata.retrieved_at == AS_OF + timedelta(seconds=5)
