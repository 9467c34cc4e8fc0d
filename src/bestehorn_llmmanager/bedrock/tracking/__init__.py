"""0.9's ``bedrock.tracking`` package; the real code is in ``_tracking``."""

from ..._tracking import ParameterCompatibilityTracker

__all__ = ["ParameterCompatibilityTracker"]
