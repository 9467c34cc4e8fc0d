"""Region-name validation and the default region set."""

from __future__ import annotations

from typing import Any

import pytest

from bestehorn_llmmanager.bedrock.catalog import _regions
from bestehorn_llmmanager.bedrock.catalog._regions import (
    MAX_REGION_NAME_LENGTH,
    default_regions,
    is_region_name,
    normalise_region,
    normalise_regions,
    region_set_key,
    same_region_set,
    validate_region,
    validate_regions,
)

FULLWIDTH_ONE = "\uff11"
ARABIC_INDIC_ONE = "\u0661"


@pytest.mark.parametrize(
    "name",
    [
        "us-east-1",
        "ap-southeast-7",
        "eu-central-2",
        "us-gov-west-1",
        "il-central-1",
        "mx-central-1",
    ],
)
def test_real_region_names_are_accepted(name: str) -> None:
    assert is_region_name(name)
    assert validate_region(name) == name


@pytest.mark.parametrize(
    "value",
    [
        "us-east",
        "global",
        "US-EAST-1",
        "us-east-1\n",
        " us-east-1",
        "",
        "us_east_1",
        None,
        1,
        ["us-east-1"],
    ],
)
def test_anything_else_is_rejected_without_crashing(value: Any) -> None:
    assert not is_region_name(value)
    with pytest.raises(ValueError, match="not an AWS region name"):
        validate_region(value)


def test_the_error_names_the_argument_and_suggests_the_lower_case_name() -> None:
    with pytest.raises(ValueError, match=r"^regions: 'US-EAST-1' .*did you mean 'us-east-1'"):
        validate_region("US-EAST-1", argument="regions")


def test_region_lists_keep_order_and_drop_repeats() -> None:
    assert validate_regions(["us-west-2", "us-east-1", "us-west-2"]) == ("us-west-2", "us-east-1")
    assert validate_regions(None) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("us-east-1", "not the string"),
        ("us-east-1,us-west-2", "not the string"),
        ("us-east-1 us-west-2", "not the string"),
        ([], "empty"),
    ],
)
def test_a_string_of_several_regions_or_an_empty_list_is_not_a_region_list(
    value: Any, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        normalise_regions(value)


def test_a_bare_string_is_refused_with_the_list_to_pass() -> None:
    with pytest.raises(ValueError, match=r"\['us-east-1', 'us-west-2'\]"):
        normalise_regions("us-east-1, us-west-2")


@pytest.mark.parametrize(
    ("given", "normalised"),
    [("US-EAST-1", "us-east-1"), (" us-west-2", "us-west-2"), ("Eu-Central-1\n", "eu-central-1")],
)
def test_a_region_the_library_can_correct_is_normalised(given: str, normalised: str) -> None:
    assert normalise_region(given) == normalised
    assert normalise_regions([given, normalised]) == (normalised,)


@pytest.mark.parametrize("digit", [FULLWIDTH_ONE, ARABIC_INDIC_ONE, "\U0001d7cf"])
def test_a_non_ascii_digit_is_refused_everywhere_and_named(digit: str) -> None:
    name = "us-east-" + digit
    assert not is_region_name(name)
    for check in (normalise_region, validate_region):
        with pytest.raises(ValueError, match="non-ASCII") as caught:
            check(name)
        assert f"U+{ord(digit):04X}" in str(caught.value)
    with pytest.raises(ValueError, match="non-ASCII"):
        normalise_regions(["us-west-2", name])


def test_a_bad_region_anywhere_in_the_list_names_that_region() -> None:
    with pytest.raises(ValueError, match=r"^regions: 'nowhere' is not an AWS region name"):
        normalise_regions(["nowhere", "us-east-1"])


def test_one_rule_for_the_same_region_set() -> None:
    assert same_region_set(["us-west-2", "us-east-1"], ("us-east-1", "us-west-2", "us-east-1"))
    assert not same_region_set(["us-east-1"], ["us-east-1", "us-west-2"])
    assert same_region_set(None, None)
    assert not same_region_set(None, ["us-east-1"])
    assert region_set_key(["us-west-2", "us-east-1", "us-west-2"]) == ("us-east-1", "us-west-2")
    assert region_set_key(None) is None


def test_the_old_validate_regions_name_is_the_one_validator() -> None:
    assert validate_regions(["US-EAST-1", "us-east-1"]) == normalise_regions(["us-east-1"])


def test_absurdly_long_input_is_refused_early_and_never_remembered() -> None:
    _regions._KNOWN.clear()
    huge = "us-east-1" * 4000
    for check in (normalise_region, validate_region):
        with pytest.raises(ValueError, match="not an AWS region name") as caught:
            check(huge)
        assert len(str(caught.value)) < 200
    assert not is_region_name("a" * (MAX_REGION_NAME_LENGTH + 1))
    assert not _regions._KNOWN


def test_the_validation_memo_stays_bounded_over_many_distinct_inputs() -> None:
    _regions._KNOWN.clear()
    for n in range(5000):
        assert is_region_name(f"xx-test-{n % 100}")
        assert not is_region_name(f"not a region {n}")
        assert len(_regions._KNOWN) <= _regions._KNOWN_MAX
    for n in range(5000):  # valid but distinct: still bounded
        is_region_name(f"xx-{chr(97 + n % 26)}{chr(97 + n // 26 % 26)}-{n % 10}")
        assert len(_regions._KNOWN) <= _regions._KNOWN_MAX


def test_default_regions_are_botocores_bedrock_regions_of_the_partition() -> None:
    import boto3

    regions = default_regions(boto3.session.Session(region_name="us-east-1"))
    assert "us-east-1" in regions and "eu-central-1" in regions
    assert all(is_region_name(r) for r in regions)
    assert not any(r.startswith("us-gov-") or r.startswith("cn-") for r in regions)
    assert list(regions) == sorted(regions)
