"""0.9's import path of the access method types; the real code is in ``bedrock.catalog._v09``.

``ModelAccessInfo.model_id`` is the direct model id, as in 0.9 (see docs/migration.md).
"""

from ..catalog._v09 import AccessRecommendation, ModelAccessInfo, ModelAccessMethod

__all__ = ["AccessRecommendation", "ModelAccessInfo", "ModelAccessMethod"]
