"""0.9's import path of ``ParameterCompatibilityTracker``; the real code is in ``_tracking``."""

from ..._tracking import ParameterCompatibilityTracker

__all__ = ["ParameterCompatibilityTracker"]
