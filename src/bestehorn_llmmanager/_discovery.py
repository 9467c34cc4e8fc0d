"""Region discovery: 0.9's ``AWSRegions`` constants, ``get_all_regions`` and
``BedrockRegionDiscovery``, served by the region knowledge the catalog already has.

``BedrockRegionDiscovery`` asks botocore which regions have a ``bedrock`` endpoint (the same list
the catalog fetches by default, from ``bedrock.catalog._regions``: one home for that fact) and,
when it is given a catalog, drops the regions whose last fetch said the account cannot use them.
It keeps its answer in memory for ``cache_ttl_hours``. It never writes a file (0.9 wrote
``bedrock_regions.json`` next to its sources) and never calls AWS: botocore's list is data shipped
with botocore. Importing this module imports neither boto3 nor botocore.
"""

from __future__ import annotations

import logging
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from ._errors import RegionDiscoveryError

logger = logging.getLogger(__name__)

__all__ = [
    "AWSRegions",
    "BedrockRegionDiscovery",
    "RegionDiscoveryError",
    "RegionSuffixes",
    "get_all_regions",
    "get_commercial_regions",
    "is_cross_region_inference",
    "normalize_region_name",
]

#: 0.9's default time-to-live of a discovery answer.
DEFAULT_CACHE_TTL_HOURS: Final = 24


class AWSRegions:
    """AWS region name constants (0.9's set; any other region name works everywhere too)."""

    US_EAST_1: Final = "us-east-1"
    US_EAST_2: Final = "us-east-2"
    US_WEST_1: Final = "us-west-1"
    US_WEST_2: Final = "us-west-2"
    US_GOV_EAST_1: Final = "us-gov-east-1"
    US_GOV_WEST_1: Final = "us-gov-west-1"
    AP_NORTHEAST_1: Final = "ap-northeast-1"  # Tokyo
    AP_NORTHEAST_2: Final = "ap-northeast-2"  # Seoul
    AP_NORTHEAST_3: Final = "ap-northeast-3"  # Osaka
    AP_SOUTH_1: Final = "ap-south-1"  # Mumbai
    AP_SOUTH_2: Final = "ap-south-2"  # Hyderabad
    AP_SOUTHEAST_1: Final = "ap-southeast-1"  # Singapore
    AP_SOUTHEAST_2: Final = "ap-southeast-2"  # Sydney
    AP_SOUTHEAST_3: Final = "ap-southeast-3"  # Jakarta
    AP_SOUTHEAST_4: Final = "ap-southeast-4"  # Melbourne
    EU_CENTRAL_1: Final = "eu-central-1"  # Frankfurt
    EU_CENTRAL_2: Final = "eu-central-2"  # Zurich
    EU_NORTH_1: Final = "eu-north-1"  # Stockholm
    EU_SOUTH_1: Final = "eu-south-1"  # Milan
    EU_SOUTH_2: Final = "eu-south-2"  # Spain
    EU_WEST_1: Final = "eu-west-1"  # Ireland
    EU_WEST_2: Final = "eu-west-2"  # London
    EU_WEST_3: Final = "eu-west-3"  # Paris
    CA_CENTRAL_1: Final = "ca-central-1"
    SA_EAST_1: Final = "sa-east-1"  # Sao Paulo


class RegionSuffixes:
    """The marker 0.9's documentation parser used for cross-region inference."""

    CROSS_REGION_INDICATOR: Final = "*"


# The order 0.9's get_all_regions() returned; GovCloud is the only non-commercial partition here.
_ALL: Final = tuple(
    value for name, value in vars(AWSRegions).items() if name.isupper() and isinstance(value, str)
)
_GOVCLOUD: Final = frozenset({AWSRegions.US_GOV_EAST_1, AWSRegions.US_GOV_WEST_1})
# 0.9's commercial list left out two regions without Bedrock at the time; kept for equality.
_NOT_IN_09_COMMERCIAL: Final = frozenset({AWSRegions.AP_SOUTH_2, AWSRegions.EU_CENTRAL_2})


def get_all_regions() -> list[str]:
    """0.9's static list of region names (25, GovCloud included); a new list on each call."""
    return list(_ALL)


def get_commercial_regions() -> list[str]:
    """0.9's static list of commercial region names (no GovCloud); a new list on each call."""
    return [r for r in _ALL if r not in _GOVCLOUD and r not in _NOT_IN_09_COMMERCIAL]


def normalize_region_name(region_text: str) -> str:
    """``" us-east-1* "`` -> ``"us-east-1"``: strip spaces and the cross-region marker."""
    return region_text.strip().rstrip(RegionSuffixes.CROSS_REGION_INDICATOR)


def is_cross_region_inference(region_text: str) -> bool:
    """True when the text ends with the cross-region marker (``"us-east-1*"``)."""
    return region_text.strip().endswith(RegionSuffixes.CROSS_REGION_INDICATOR)


class BedrockRegionDiscovery:
    """The regions where Amazon Bedrock has an endpoint, sorted.

    Args:
        cache_dir: accepted for 0.9 compatibility and ignored with one warning: the answer is
            kept in memory, never in a file.
        cache_ttl_hours: how long an answer is reused before botocore is asked again.
        session: a ``boto3.Session`` whose partition is used (default: a new session).
        catalog: a ``BedrockModelCatalog``; regions its last fetch found unavailable to this
            account (opt-in not enabled, access denied) are left out, each named in an INFO log.
        clock: seconds, monotonic; injected by tests.
    """

    def __init__(
        self,
        cache_dir: Path | str | None = None,
        cache_ttl_hours: float = DEFAULT_CACHE_TTL_HOURS,
        *,
        session: Any = None,
        catalog: Any = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if isinstance(cache_ttl_hours, bool) or not isinstance(cache_ttl_hours, (int, float)):
            raise TypeError(f"cache_ttl_hours: expected a number, got {cache_ttl_hours!r}")
        if not cache_ttl_hours >= 0:
            raise ValueError(f"cache_ttl_hours: must be >= 0, got {cache_ttl_hours!r}")
        if cache_dir is not None:
            warnings.warn(
                "BedrockRegionDiscovery(cache_dir=...) is ignored: discovered regions are kept "
                "in memory (botocore ships the region list), no cache file is written",
                DeprecationWarning,
                stacklevel=2,
            )
        self._cache_dir = Path(cache_dir) if cache_dir is not None else None
        self._ttl_seconds = float(cache_ttl_hours) * 3600.0
        self._ttl_hours = cache_ttl_hours
        self._session = session
        self._catalog = catalog
        self._clock = clock
        self._lock = threading.Lock()
        self._regions: tuple[str, ...] | None = None
        self._found_at = 0.0

    def get_bedrock_regions(self, force_refresh: bool = False) -> list[str]:
        """The Bedrock regions, sorted; ``force_refresh`` asks botocore again.

        Raises:
            RegionDiscoveryError: botocore knows no Bedrock region (a broken or very old
                botocore), or the session cannot be created.
        """
        with self._lock:
            if not force_refresh and self._fresh():
                assert self._regions is not None
                return list(self._regions)
            regions = self._discover()
            self._regions, self._found_at = regions, self._clock()
            logger.debug("discovered %d Bedrock regions", len(regions))
            return list(regions)

    def clear_cache(self) -> None:
        """Forget the remembered answer; the next call asks botocore again."""
        with self._lock:
            self._regions = None

    def get_cache_info(self) -> dict[str, Any]:
        """0.9's keys: ``cache_file`` is always None (there is no file), ``cache_exists`` says
        whether an answer is remembered; ``source`` names where regions come from."""
        with self._lock:
            info: dict[str, Any] = {
                "cache_file": None,
                "cache_exists": self._regions is not None,
                "cache_ttl_hours": self._ttl_hours,
                "source": "botocore" if self._catalog is None else "botocore+catalog",
            }
            if self._regions is not None:
                info["cache_age_hours"] = (self._clock() - self._found_at) / 3600.0
                info["cache_valid"] = self._fresh()
                info["cached_region_count"] = len(self._regions)
            return info

    def _fresh(self) -> bool:
        return self._regions is not None and self._clock() - self._found_at < self._ttl_seconds

    def _discover(self) -> tuple[str, ...]:
        from .bedrock.catalog._regions import default_regions

        try:
            regions = default_regions(self._session)
        except Exception as exc:  # boto3 missing, a broken session: say what failed
            raise RegionDiscoveryError(
                f"could not list Bedrock regions from botocore ({type(exc).__name__}: {exc}); "
                "pass regions explicitly, or use get_all_regions()"
            ) from exc
        if not regions:
            raise RegionDiscoveryError(
                "botocore lists no Bedrock region for this session's partition; upgrade "
                "botocore, or pass regions explicitly (get_all_regions() has a static list)"
            )
        if self._catalog is not None:
            unavailable = self._catalog.metadata.regions_unavailable
            for region in sorted(set(regions) & set(unavailable)):
                logger.info("leaving out %s: %s", region, unavailable[region])
            regions = tuple(r for r in regions if r not in unavailable)
        return tuple(sorted(regions))

    def __repr__(self) -> str:
        return f"BedrockRegionDiscovery(cache_ttl_hours={self._ttl_hours})"
