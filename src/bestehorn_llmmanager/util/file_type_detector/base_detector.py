"""0.9's path of the detector interface and its result type."""

from ..._messages._detect import BaseDetector, DetectionResult

__all__ = ["BaseDetector", "DetectionResult"]
