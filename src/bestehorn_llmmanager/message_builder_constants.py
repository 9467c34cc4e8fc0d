"""0.9's path of the message builder constants; they live in ``bestehorn_llmmanager._messages``."""

from ._messages._limits import (
    MessageBuilderConfig,
    MessageBuilderErrorMessages,
    MessageBuilderFields,
    MessageBuilderLogMessages,
    SupportedFormats,
)

__all__ = [
    "MessageBuilderConfig",
    "MessageBuilderErrorMessages",
    "MessageBuilderFields",
    "MessageBuilderLogMessages",
    "SupportedFormats",
]
