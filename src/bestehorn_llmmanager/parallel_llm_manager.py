"""0.9's import path of ``ParallelLLMManager``; the real code is in ``_parallel``."""

from ._parallel._manager import ParallelLLMManager
from ._parallel._structures import (
    BedrockConverseRequest,
    FailureHandlingStrategy,
    ParallelExecutionStats,
    ParallelProcessingConfig,
    ParallelResponse,
    RegionAssignment,
)

__all__ = [
    "BedrockConverseRequest",
    "FailureHandlingStrategy",
    "ParallelExecutionStats",
    "ParallelLLMManager",
    "ParallelProcessingConfig",
    "ParallelResponse",
    "RegionAssignment",
]
