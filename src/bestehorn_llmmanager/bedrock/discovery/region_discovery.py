"""0.9's import path of ``BedrockRegionDiscovery``; the real code is in ``_discovery``."""

from ..._discovery import BedrockRegionDiscovery, RegionDiscoveryError

__all__ = ["BedrockRegionDiscovery", "RegionDiscoveryError"]
