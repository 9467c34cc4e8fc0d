"""0.9's path of the file type detector; the code lives in ``bestehorn_llmmanager._messages``."""

from ..._messages._detect import BaseDetector, DetectionResult, FileTypeDetector
from ..._messages._enums import DetectionMethodEnum

__all__ = ["BaseDetector", "DetectionMethodEnum", "DetectionResult", "FileTypeDetector"]
