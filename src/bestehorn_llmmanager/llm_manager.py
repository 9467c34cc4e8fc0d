"""0.9's import path of LLMManager; the code lives in ``bestehorn_llmmanager._llm``.

Also keeps the names this path exported before the 0.9 surface arrived: ``ConverseResponse`` is
now ``BedrockResponse``, ``ConverseStream`` is ``StreamingResponse`` and ``Attempt`` is
``RequestAttempt`` (one type each, under both names).
"""

from ._errors import AllTargetsFailedError, RequestError, StreamInterruptedError
from ._llm import (
    DEFAULT_ACCESS_PREFERENCE,
    FAILOVER_MODES,
    BedrockResponse,
    LLMManager,
    RequestAttempt,
    StreamingResponse,
    Target,
    build_request,
)

ConverseResponse = BedrockResponse
ConverseStream = StreamingResponse
Attempt = RequestAttempt

__all__ = [
    "DEFAULT_ACCESS_PREFERENCE",
    "FAILOVER_MODES",
    "AllTargetsFailedError",
    "Attempt",
    "BedrockResponse",
    "ConverseResponse",
    "ConverseStream",
    "LLMManager",
    "RequestAttempt",
    "RequestError",
    "StreamInterruptedError",
    "StreamingResponse",
    "Target",
    "build_request",
]
