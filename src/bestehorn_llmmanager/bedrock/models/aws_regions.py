"""0.9's import path of the region constants and lists; the real code is in ``_discovery``."""

from ..._discovery import (
    AWSRegions,
    RegionSuffixes,
    get_all_regions,
    get_commercial_regions,
    is_cross_region_inference,
    normalize_region_name,
)

__all__ = [
    "AWSRegions",
    "RegionSuffixes",
    "get_all_regions",
    "get_commercial_regions",
    "is_cross_region_inference",
    "normalize_region_name",
]
