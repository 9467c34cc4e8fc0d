"""Region names: validation, and the default region set (the only part that may import botocore)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# AWS region names: a partition/geo prefix, one to three words, a number ("us-gov-west-1",
# "ap-southeast-7", "eu-central-2"). Deliberately a shape check, not a list: new regions appear
# every year and must work with no code change.
_REGION_RE = re.compile(r"^[a-z]{2,3}(?:-[a-z]+){1,3}-\d{1,2}$")
_VALID_CACHE: set[str] = set()


def is_region_name(value: object) -> bool:
    """True when ``value`` has the shape of an AWS region name such as ``us-east-1``."""
    if not isinstance(value, str):
        return False
    if value in _VALID_CACHE:
        return True
    # fullmatch, not match: "$" also matches before a trailing newline ("us-east-1\n").
    if _REGION_RE.fullmatch(value):
        _VALID_CACHE.add(value)
        return True
    return False


def validate_region(region: object, *, argument: str = "region") -> str:
    """Return ``region`` unchanged, or raise ValueError naming the bad value and the fix."""
    if is_region_name(region):
        return region  # type: ignore[return-value]
    hint = ""
    if isinstance(region, str) and is_region_name(region.strip().lower()):
        hint = f"; did you mean {region.strip().lower()!r}?"
    raise ValueError(
        f"{argument}: {region!r} is not an AWS region name (expected e.g. 'us-east-1'){hint}"
    )


def validate_regions(
    regions: Iterable[str] | None, *, argument: str = "regions"
) -> tuple[str, ...] | None:
    """Validate an explicit region list (deduplicated, order kept); None means the default set."""
    if regions is None:
        return None
    if isinstance(regions, str):
        raise ValueError(f"{argument}: pass a list of region names, not the string {regions!r}")
    result: list[str] = []
    for region in regions:
        validate_region(region, argument=argument)
        if region not in result:
            result.append(region)
    if not result:
        raise ValueError(f"{argument}: the region list is empty; pass None for every region")
    return tuple(result)


def default_regions(session: Any = None) -> tuple[str, ...]:
    """Every region where botocore knows a ``bedrock`` endpoint in the session's partition.

    Imports boto3; only the live path calls it.
    """
    if session is None:
        import boto3

        session = boto3.session.Session()
    partition = "aws"
    region = getattr(session, "region_name", None)
    if region:
        try:
            partition = session.get_partition_for_region(region)
        except Exception:  # an unknown region: keep the commercial partition
            partition = "aws"
    return tuple(sorted(session.get_available_regions("bedrock", partition_name=partition)))
