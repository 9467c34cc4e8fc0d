"""The parallel layer: ``ParallelLLMManager`` and its data, on the one LLMManager engine.

The door of the package; the manager (which imports the LLMManager) loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._structures import (
    BedrockConverseRequest,
    FailureEntry,
    FailureHandlingStrategy,
    LoadBalancingStrategy,
    ParallelExecutionStats,
    ParallelProcessingConfig,
    ParallelResponse,
    RegionAssignment,
)

if TYPE_CHECKING:
    from ._manager import ParallelLLMManager

__all__ = [
    "BedrockConverseRequest",
    "FailureEntry",
    "FailureHandlingStrategy",
    "LoadBalancingStrategy",
    "ParallelExecutionStats",
    "ParallelLLMManager",
    "ParallelProcessingConfig",
    "ParallelResponse",
    "RegionAssignment",
]


def __getattr__(name: str) -> Any:
    if name == "ParallelLLMManager":
        from ._manager import ParallelLLMManager

        return ParallelLLMManager
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
