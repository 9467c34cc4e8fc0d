"""Region-name validation and the default region set."""

from __future__ import annotations

from typing import Any

import pytest

from bestehorn_llmmanager.bedrock.catalog._regions import (
    default_regions,
    is_region_name,
    validate_region,
    validate_regions,
)


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


@pytest.mark.parametrize(("value", "message"), [("us-east-1", "not the string"), ([], "empty")])
def test_a_string_or_an_empty_list_is_not_a_region_list(value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_regions(value)


def test_default_regions_are_botocores_bedrock_regions_of_the_partition() -> None:
    import boto3

    regions = default_regions(boto3.session.Session(region_name="us-east-1"))
    assert "us-east-1" in regions and "eu-central-1" in regions
    assert all(is_region_name(r) for r in regions)
    assert not any(r.startswith("us-gov-") or r.startswith("cn-") for r in regions)
    assert list(regions) == sorted(regions)
