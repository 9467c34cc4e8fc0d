"""Which cached catalog may serve a question: region coverage, freshness, the future, partial age.

Pure decisions over catalogs already read: no I/O, no clock of its own (every function takes
``now``), no logging except the reason a candidate was passed over. The stores ask :func:`pick`;
the facade asks :func:`serves` (does a catalog it holds answer for these regions).
"""

from __future__ import annotations

from .._clock import timedelta
from .._constants import PARTIAL_CACHE_MAX_AGE
from .._metadata import CatalogSource, RegionStatus, describe_age
from .._regions import region_set_key
from ._base import log, process_state

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime

    from .._catalog import Catalog

__all__ = ["FUTURE_SKEW", "freshness", "invalidity", "key", "pick", "serves"]

#: A catalog dated up to this far in the future (clock skew between hosts sharing a cache) is
#: taken as written now. Anything later has no meaningful age: the file is invalid, so it can
#: neither serve as fresh nor, as an "expired cache newer than the bundle", beat the bundle forever.
FUTURE_SKEW = timedelta(minutes=5)


#: The canonical form of a region set (sorted, without duplicates; None stays None): the one
#: rule of ``_regions``, which is light (``re`` only) and on the warm path anyway.
key = region_set_key


def describe(regions: Sequence[str] | None) -> str:
    return "the default regions" if regions is None else ", ".join(regions) or "no regions"


def serves(catalog: Catalog, regions: Sequence[str] | None) -> bool:
    """Whether ``catalog`` answers for ``regions`` as a fetch of exactly them would.

    - The default set (None) is served only by a catalog fetched for the default set.
    - Explicit regions are served by any catalog holding real data for each of them: the region
      answered (``ok``) or kept its older data (``stale``). A catalog fetched for one, three or all
      regions serves a question about any one of them. A region that failed with no older data,
      or was unavailable there, would read as "no models" and is a miss, except when the catalog
      was fetched for exactly these regions: then it *is* their answer (kept only briefly).
    """
    meta = catalog.metadata
    if regions is None:
        return meta.requested_regions is None
    wanted = key(regions)
    assert wanted is not None
    outcomes = meta.region_outcomes
    if meta.requested_regions is not None and key(meta.requested_regions) == wanted:
        return all(region in outcomes for region in wanted)
    stale = meta.stale_regions
    return all(
        (outcome := outcomes.get(region)) is not None
        and (outcome.status is RegionStatus.OK or region in stale)
        for region in wanted
    )


def is_partial(catalog: Catalog) -> bool:
    meta = catalog.metadata
    return bool(meta.stale_regions) or bool(meta.regions_failed)


def invalidity(catalog: Catalog, now: datetime) -> str:
    """Why ``catalog`` cannot be used at all at ``now`` (empty when it can): dated in the future."""
    retrieved = catalog.metadata.retrieved_at
    if retrieved - now > FUTURE_SKEW:
        return (
            f"it claims to be retrieved in the future ({retrieved.isoformat()}, "
            f"{describe_age(retrieved - now)} ahead of this clock)"
        )
    return ""


def freshness(catalog: Catalog, max_age: timedelta, now: datetime) -> str:
    """Empty when ``catalog`` is fresh at ``now``, else why it is expired (or invalid)."""
    invalid = invalidity(catalog, now)
    if invalid:
        return invalid
    age = now - catalog.metadata.retrieved_at
    # A catalog missing some regions is kept only briefly, so the next run retries them soon.
    limit = min(max_age, PARTIAL_CACHE_MAX_AGE) if is_partial(catalog) else max_age
    if age >= limit:
        partial = " (partial catalog: some regions failed)" if limit < max_age else ""
        return f"it is {describe_age(age)} old, older than {describe_age(limit)}{partial}"
    return ""


def pick(
    found: Iterable[tuple[Catalog, str]],
    regions: Sequence[str] | None,
    max_age: timedelta,
    now: datetime,
    allow_expired: bool,
) -> Catalog | None:
    """The first fresh catalog that serves ``regions``; else, if allowed, the first expired one.

    ``found`` yields (catalog, where) pairs, best first; ``where`` is only for the log.
    """
    expired: Catalog | None = None
    for catalog, where in found:
        if not serves(catalog, regions):
            log().debug(
                "catalog cache %s covers %s, not %s: a miss",
                where,
                describe(catalog.metadata.requested_regions),
                describe(regions),
            )
            continue
        invalid = invalidity(catalog, now)
        if invalid:
            process_state.warn_once(
                f"future:{where}", "ignoring the catalog cache %s: %s", where, invalid, logger=log()
            )
            continue
        why = freshness(catalog, max_age, now)
        if not why:
            return catalog
        log().info("catalog cache %s is expired: %s", where, why)
        if allow_expired and expired is None:
            expired = catalog
    if expired is not None:
        return expired.with_metadata(source=CatalogSource.STALE_CACHE)
    return None
