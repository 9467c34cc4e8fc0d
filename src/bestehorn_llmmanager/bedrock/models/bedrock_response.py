"""0.9's path of the response types; they live in ``bestehorn_llmmanager._llm``."""

from ..._llm import BedrockResponse, StreamingResponse

__all__ = ["BedrockResponse", "StreamingResponse"]
