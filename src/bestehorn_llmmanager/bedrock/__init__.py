"""Bedrock support: the model catalog, and the deprecated managers (loaded on first use only)."""

from __future__ import annotations

import sys
import types

TYPE_CHECKING = False  # not typing's: the catalog's warm path passes through this package
if TYPE_CHECKING:
    from typing import Any

    from ._deprecated import CRISManager, ModelManager, UnifiedModelManager

__all__ = ["CRISManager", "ModelManager", "UnifiedModelManager"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import _deprecated as deprecated

        return getattr(deprecated, name)
    if name == "BedrockModelCatalog":  # 0.9's migration guide imported it from here
        from .catalog import BedrockModelCatalog

        return BedrockModelCatalog
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Package(types.ModuleType):
    """Keeps ``bedrock.ModelManager`` (and the other two) the class, not 0.9.0's old module.

    0.9.0 code imports ``bestehorn_llmmanager.bedrock.ModelManager`` as a module; importing a
    submodule binds its name on the package, which would shadow the lazy class above.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in __all__ and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
