"""0.9's path of the prompt-cache settings; they live in ``bestehorn_llmmanager._llm``."""

from ..._llm import CacheConfig, CacheErrorHandling, CacheMetrics, CacheStrategy

__all__ = ["CacheConfig", "CacheErrorHandling", "CacheMetrics", "CacheStrategy"]
