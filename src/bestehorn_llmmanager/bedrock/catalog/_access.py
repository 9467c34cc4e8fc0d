"""How a model is invoked from a region: the one ``AccessMethod`` enum.

A leaf module, so that the model values (``_model``) and their 0.9 views (``_v09``) both read it
without importing each other. On the warm path: imports only ``enum``.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["AccessMethod"]


class AccessMethod(str, Enum):
    """How a model is invoked from a region."""

    DIRECT = "direct"
    REGIONAL_PROFILE = "regional_profile"
    GLOBAL_PROFILE = "global_profile"
