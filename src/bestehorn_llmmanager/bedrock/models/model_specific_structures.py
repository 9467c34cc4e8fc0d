"""0.9's path of ``ModelSpecificConfig``; it lives in ``bestehorn_llmmanager._llm``."""

from ..._llm import ModelSpecificConfig, ModelSpecificFields

__all__ = ["ModelSpecificConfig", "ModelSpecificFields"]
