"""0.9's import path of the parallel data structures; the real code is in ``_parallel``."""

from ..._parallel._structures import (
    BedrockConverseRequest,
    FailureEntry,
    FailureHandlingStrategy,
    LoadBalancingStrategy,
    ParallelExecutionStats,
    ParallelProcessingConfig,
    ParallelResponse,
    RegionAssignment,
)

__all__ = [
    "BedrockConverseRequest",
    "FailureEntry",
    "FailureHandlingStrategy",
    "LoadBalancingStrategy",
    "ParallelExecutionStats",
    "ParallelProcessingConfig",
    "ParallelResponse",
    "RegionAssignment",
]
