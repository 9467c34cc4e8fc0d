"""0.9's import path of the streaming display utilities; the real code is in ``_display``."""

from .._display import (
    StreamingDisplayFormatter,
    display_recovery_information,
    display_streaming_response,
    display_streaming_summary,
)

__all__ = [
    "StreamingDisplayFormatter",
    "display_recovery_information",
    "display_streaming_response",
    "display_streaming_summary",
]
