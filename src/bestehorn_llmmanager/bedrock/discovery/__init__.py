"""0.9's ``bedrock.discovery`` package; the real code is in ``_discovery``."""

from ..._discovery import BedrockRegionDiscovery, RegionDiscoveryError

__all__ = ["BedrockRegionDiscovery", "RegionDiscoveryError"]
