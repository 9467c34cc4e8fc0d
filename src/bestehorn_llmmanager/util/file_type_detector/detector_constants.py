"""0.9's path of the detector's signatures, extensions and confidence levels."""

from ..._messages._detect import DetectionConstants, FileExtensionConstants, MagicBytesConstants

__all__ = ["DetectionConstants", "FileExtensionConstants", "MagicBytesConstants"]
