"""Bedrock support: the model catalog, and the deprecated managers (loaded on first use only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .deprecated import CRISManager, ModelManager, UnifiedModelManager

__all__ = ["CRISManager", "ModelManager", "UnifiedModelManager"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import deprecated

        return getattr(deprecated, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
