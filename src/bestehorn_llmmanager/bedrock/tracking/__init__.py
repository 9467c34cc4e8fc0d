"""0.9's ``bedrock.tracking`` package; the real code is in ``_tracking``."""

from ..._tracking import AccessMethodTracker, ParameterCompatibilityTracker

__all__ = ["AccessMethodTracker", "ParameterCompatibilityTracker"]
