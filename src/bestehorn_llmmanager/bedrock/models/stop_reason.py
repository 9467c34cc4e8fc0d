"""0.9's path of the stop-reason vocabulary; it lives in ``bestehorn_llmmanager._content``."""

from ..._content import StopReasonCategory, StopReasonClassifier, StopReasonEnum

__all__ = ["StopReasonCategory", "StopReasonClassifier", "StopReasonEnum"]
