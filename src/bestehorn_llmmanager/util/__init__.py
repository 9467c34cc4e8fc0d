"""0.9's ``util`` package: general helpers, loaded on first use (importing this is cheap)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .file_type_detector import DetectionResult, FileTypeDetector
    from .streaming_display import (
        StreamingDisplayFormatter,
        display_recovery_information,
        display_streaming_response,
        display_streaming_summary,
    )

__all__ = [
    "DetectionResult",
    "FileTypeDetector",
    "StreamingDisplayFormatter",
    "display_recovery_information",
    "display_streaming_response",
    "display_streaming_summary",
]

_LAZY = {
    "DetectionResult": ".file_type_detector",
    "FileTypeDetector": ".file_type_detector",
    "StreamingDisplayFormatter": ".streaming_display",
    "display_recovery_information": ".streaming_display",
    "display_streaming_response": ".streaming_display",
    "display_streaming_summary": ".streaming_display",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)
