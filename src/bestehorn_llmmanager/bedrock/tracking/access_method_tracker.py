"""0.9's import path of ``AccessMethodTracker``; the real code is in ``_tracking``."""

from ..._tracking import AccessMethodPreference, AccessMethodTracker

__all__ = ["AccessMethodPreference", "AccessMethodTracker"]
