"""0.9's path of ``FileTypeDetector``."""

from ..._messages._detect import DetectionResult, FileTypeDetector

__all__ = ["DetectionResult", "FileTypeDetector"]
