"""Region names: the one validator of region arguments, the one "same region set" rule, and the
default region set (the only part that may import botocore, and only when called).

Every layer that takes regions (the catalog facade, the fetch, LLMManager, the CLI) calls
``normalise_regions`` (lists) or ``normalise_region`` (one name) once, at its boundary, and passes
the result on; nothing downstream validates or deduplicates again. Queries take a region that must
already be exact (``validate_region``), because a lookup must never silently answer for a
different spelling than the one cached.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TYPE_CHECKING = False  # not typing's: this module is on the warm path
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "MAX_REGION_NAME_LENGTH",
    "RegionsKey",
    "default_regions",
    "is_region_name",
    "normalise_region",
    "normalise_regions",
    "region_set_key",
    "same_region_set",
    "validate_region",
    "validate_regions",
]

# AWS region names: a partition/geo prefix, one to three words, a number ("us-gov-west-1",
# "ap-southeast-7", "eusc-de-east-1"). Deliberately a shape check, not a list: new regions appear
# every year and must work with no code change. ASCII only: `[0-9]`, never `\d`, which would let
# "us-east-" + a full-width digit one through to botocore and the cache key.
_REGION_RE = re.compile(r"[a-z]{2,4}(?:-[a-z]+){1,3}-[0-9]{1,2}", re.ASCII)

#: The longest string looked at as a region name. The longest real one is 14 characters; anything
#: longer than this is rejected before any regex runs or anything is remembered.
MAX_REGION_NAME_LENGTH = 32

#: A normalised region set as a cache key: sorted, without repeats; None means "the default set".
RegionsKey = tuple[str, ...] | None


#: How many valid names are remembered (the same few are checked on every query).
_KNOWN_MAX = 256
_KNOWN: set[str] = set()


def is_region_name(value: object) -> bool:
    """True when ``value`` is exactly an AWS region name such as ``us-east-1`` (no normalising)."""
    # A plain set, not lru_cache: this runs on every query, and a set lookup is ~4x cheaper.
    # Only valid names are remembered, and the set is emptied when full: distinct inputs (a
    # fuzzer, user input) never grow memory.
    if type(value) is str and value in _KNOWN:
        return True
    if not isinstance(value, str) or len(value) > MAX_REGION_NAME_LENGTH:
        return False
    # fullmatch, not match: "$" also matches before a trailing newline ("us-east-1\n").
    if _REGION_RE.fullmatch(value) is None:
        return False
    if len(_KNOWN) >= _KNOWN_MAX:
        _KNOWN.clear()
    _KNOWN.add(str(value))
    return True


def _problem(value: str) -> str:
    if not value.isascii():
        bad = sorted({c for c in value if not c.isascii()})
        shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in bad[:3])
        return f"it contains non-ASCII characters {shown}; region names use ASCII only"
    return "expected e.g. 'us-east-1'"


def normalise_region(value: object, *, argument: str = "region") -> str:
    """Return ``value`` as an exact region name, correcting what is safe to correct.

    Surrounding whitespace is dropped and ASCII letters are lower-cased (``' US-EAST-1 '`` ->
    ``'us-east-1'``). Nothing else is changed: a name with a non-ASCII character (such as a
    full-width digit) is refused, never converted. Raises ValueError naming ``argument``, the
    value and the fix.
    """
    if not isinstance(value, str):
        raise ValueError(
            f"{argument}: {value!r} is not an AWS region name (expected a string such as "
            f"'us-east-1', got {type(value).__name__})"
        )
    if len(value) > MAX_REGION_NAME_LENGTH * 4:
        raise ValueError(
            f"{argument}: a {len(value)}-character string is not an AWS region name "
            f"(region names are at most {MAX_REGION_NAME_LENGTH} characters)"
        )
    candidate = value.strip()
    if candidate.isascii():
        candidate = candidate.lower()
    if is_region_name(candidate):
        return candidate
    raise ValueError(f"{argument}: {value!r} is not an AWS region name ({_problem(candidate)})")


def normalise_regions(
    regions: Iterable[str] | str | None, *, argument: str = "regions"
) -> tuple[str, ...] | None:
    """THE validator of a region-list argument: normalised, deduplicated (order kept), non-empty.

    ``None`` means the default region set and is returned as None. A bare string (even one naming
    a single region) is refused with the list to pass instead. Each name goes through
    ``normalise_region``. Raises ValueError naming ``argument`` and the bad value.
    """
    if regions is None:
        return None
    if isinstance(regions, str):
        # Refused, not guessed: a string is also an iterable of characters, and one rule for every
        # layer means LLMManager, the catalog and the fetch all answer the same way.
        parts = [p for p in re.split(r"[\s,]+", regions[: MAX_REGION_NAME_LENGTH * 64]) if p]
        raise ValueError(
            f"{argument}: pass a list of region names, not the string {regions!r:.100} "
            f"(e.g. {parts[:3]!r})"
        )
    if not isinstance(regions, Iterable) or isinstance(regions, (bytes, dict)):
        raise ValueError(
            f"{argument}: expected a list of region names, got {type(regions).__name__}"
        )
    result: dict[str, None] = {}
    for region in regions:
        result[normalise_region(region, argument=argument)] = None
    if not result:
        raise ValueError(f"{argument}: the region list is empty; pass None for every region")
    return tuple(result)


def region_set_key(regions: Iterable[str] | None) -> RegionsKey:
    """The region set as a key: sorted, without repeats; None (the default set) stays None."""
    return None if regions is None else tuple(sorted(set(regions)))


def same_region_set(a: Iterable[str] | None, b: Iterable[str] | None) -> bool:
    """THE "same region set" rule: equal as sets; None (the default set) equals only None.

    The default set is never resolved to names here (that needs botocore), so a list that happens
    to equal today's default set is still a different set: it will not grow with new regions.
    """
    return region_set_key(a) == region_set_key(b)


def validate_region(region: object, *, argument: str = "region") -> str:
    """Return ``region`` unchanged when it is exact, or raise ValueError naming it and the fix.

    For queries, which must not guess: ``'US-EAST-1'`` is refused with "did you mean
    'us-east-1'?". Constructor arguments go through ``normalise_region`` instead.
    """
    if is_region_name(region):
        return region  # type: ignore[return-value]
    if not isinstance(region, str) or len(region) > MAX_REGION_NAME_LENGTH * 4:
        normalise_region(region, argument=argument)  # raises its own, precise message
    assert isinstance(region, str)
    hint = ""
    try:
        hint = f"; did you mean {normalise_region(region, argument=argument)!r}?"
    except ValueError:
        if not region.isascii():
            raise
    raise ValueError(
        f"{argument}: {region!r} is not an AWS region name (expected e.g. 'us-east-1'){hint}"
    )


def validate_regions(
    regions: Iterable[str] | None, *, argument: str = "regions"
) -> tuple[str, ...] | None:
    """Deprecated name of ``normalise_regions``, kept until every caller has switched."""
    return normalise_regions(regions, argument=argument)


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
