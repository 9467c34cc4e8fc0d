"""File type detection for the message builder: magic bytes first, then the file name.

The content decides when it can (its bytes are what Bedrock will parse); the name decides only
where the content has no signature (CSV, TXT, Markdown) or where one signature covers two formats
and the content holds no further clue. When name and content disagree the content wins and the
disagreement is reported (a WARNING, and ``metadata["agreement"] = False``); when content of one
kind is offered as another (a PDF as an image) or the format cannot be told, the result is a
failure that says why. Nothing is guessed. Pure functions of bytes and a name: no file I/O, no
network, stdlib only (``zipfile`` for Office files, imported when one is seen).
"""

from __future__ import annotations

import io
import logging
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Final

from ._enums import DetectionMethodEnum
from ._limits import SupportedFormats

__all__ = [
    "BaseDetector",
    "DetectionConstants",
    "DetectionResult",
    "FileExtensionConstants",
    "FileTypeDetector",
    "MagicBytesConstants",
]

logger = logging.getLogger(__name__)


class DetectionConstants:
    """Confidence levels (0.9's values) and how much of the content is inspected."""

    HIGH_CONFIDENCE: Final[float] = 0.95
    MEDIUM_CONFIDENCE: Final[float] = 0.75
    LOW_CONFIDENCE: Final[float] = 0.50
    MIN_ACCEPTABLE_CONFIDENCE: Final[float] = 0.30
    #: Content and name disagree: the content's confidence times this factor.
    MISMATCH_PENALTY: Final[float] = 0.9
    MAGIC_BYTES_READ_SIZE: Final[int] = 64


class FileExtensionConstants:
    """File name extension -> Bedrock format token, per media kind (0.9's maps)."""

    IMAGE_EXTENSIONS: Final[dict[str, str]] = {
        ".jpg": "jpeg",
        ".jpeg": "jpeg",
        ".png": "png",
        ".gif": "gif",
        ".webp": "webp",
    }
    DOCUMENT_EXTENSIONS: Final[dict[str, str]] = {
        ".pdf": "pdf",
        ".doc": "doc",
        ".docx": "docx",
        ".xls": "xls",
        ".xlsx": "xlsx",
        ".csv": "csv",
        ".txt": "txt",
        ".html": "html",
        ".htm": "html",
        ".md": "md",
        ".markdown": "md",
    }
    VIDEO_EXTENSIONS: Final[dict[str, str]] = {
        ".mp4": "mp4",
        ".mov": "mov",
        ".webm": "webm",
        ".mkv": "mkv",
        ".flv": "flv",
        ".mpeg": "mpeg",
        ".mpg": "mpg",
        ".wmv": "wmv",
        ".3gp": "three_gp",
    }

    @classmethod
    def get_all_extensions(cls) -> set[str]:
        """Every extension the detector knows."""
        return {*cls.IMAGE_EXTENSIONS, *cls.DOCUMENT_EXTENSIONS, *cls.VIDEO_EXTENSIONS}


class MagicBytesConstants:
    """The leading signatures the detector reads (0.9's names, our complete values)."""

    JPEG_SIGNATURE: Final[bytes] = b"\xff\xd8\xff"
    PNG_SIGNATURE: Final[bytes] = b"\x89PNG\r\n\x1a\n"
    GIF_SIGNATURES: Final[tuple[bytes, ...]] = (b"GIF87a", b"GIF89a")
    WEBP_SIGNATURE: Final[bytes] = b"RIFF"
    WEBP_FORMAT_SIGNATURE: Final[bytes] = b"WEBP"
    PDF_SIGNATURE: Final[bytes] = b"%PDF-"
    ZIP_SIGNATURE: Final[bytes] = b"PK\x03\x04"
    #: OLE2 compound file: legacy .doc and .xls share it.
    OLE_SIGNATURE: Final[bytes] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    DOC_SIGNATURE: Final[bytes] = OLE_SIGNATURE
    XLS_SIGNATURE: Final[bytes] = OLE_SIGNATURE
    HTML_SIGNATURES: Final[tuple[bytes, ...]] = (b"<!doctype html", b"<html")
    #: EBML: Matroska and WebM share it; the DocType element tells them apart.
    EBML_SIGNATURE: Final[bytes] = b"\x1a\x45\xdf\xa3"
    WEBM_SIGNATURE: Final[bytes] = EBML_SIGNATURE
    MKV_SIGNATURE: Final[bytes] = EBML_SIGNATURE
    FLV_SIGNATURE: Final[bytes] = b"FLV\x01"
    MPEG_SIGNATURES: Final[tuple[bytes, ...]] = (b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3")
    ASF_SIGNATURE: Final[bytes] = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")


@dataclass(frozen=True, slots=True)
class DetectionResult:
    """What the detector found.

    Args:
        detected_format: the Bedrock format token (``"jpeg"``...); ``"unknown"`` on failure.
        confidence: 0.0 (failed) to 1.0.
        detection_method: content, extension, both (``COMBINED``), or ``MANUAL`` for a failure
            before any method ran.
        filename: the name it was given.
        error_message: why detection failed; ``None`` on success.
        metadata: the evidence (magic bytes, extension, agreement, candidates).
    """

    detected_format: str
    confidence: float
    detection_method: DetectionMethodEnum
    filename: str | None = None
    error_message: str | None = None
    metadata: dict[str, Any] | None = None

    @property
    def is_successful(self) -> bool:
        """True when a format was found."""
        return self.error_message is None and self.confidence > 0.0

    @property
    def is_high_confidence(self) -> bool:
        """True when the confidence is at least 0.8."""
        return self.confidence >= 0.8

    @property
    def name_mismatch(self) -> bool:
        """True when the file name named another format than the content holds."""
        return (self.metadata or {}).get("agreement") is False

    def __str__(self) -> str:
        status = "successful" if self.is_successful else "failed"
        return (
            f"DetectionResult({status}: {self.detected_format}, "
            f"confidence={self.confidence:.2f}, method={self.detection_method.value})"
        )


@dataclass(frozen=True, slots=True)
class _Sniff:
    """What the content alone says: a format (or several candidates) of one media kind."""

    kind: str  # "image" | "document" | "video" | "audio" | "archive"
    candidates: tuple[str, ...]
    confidence: float
    evidence: str

    @property
    def format(self) -> str:
        return self.candidates[0]


_IMAGE, _DOCUMENT, _VIDEO = "image", "document", "video"
_KIND_EXTENSIONS: Final[Mapping[str, Mapping[str, str]]] = {
    _IMAGE: FileExtensionConstants.IMAGE_EXTENSIONS,
    _DOCUMENT: FileExtensionConstants.DOCUMENT_EXTENSIONS,
    _VIDEO: FileExtensionConstants.VIDEO_EXTENSIONS,
}
_KIND_FORMATS: Final[Mapping[str, list[str]]] = {
    _IMAGE: SupportedFormats.IMAGE_FORMATS,
    _DOCUMENT: SupportedFormats.DOCUMENT_FORMATS,
    _VIDEO: SupportedFormats.VIDEO_FORMATS,
}
_A_KIND: Final[Mapping[str, str]] = {
    _IMAGE: "an image",
    _DOCUMENT: "a document",
    _VIDEO: "a video",
    "audio": "audio",
    "archive": "an archive",
}
#: Tokens that name the same container, so a ``.mpg`` name and MPEG content agree.
_SAME_FORMAT: Final[Mapping[str, frozenset[str]]] = {
    "mpeg": frozenset({"mpeg", "mpg"}),
    "mpg": frozenset({"mpeg", "mpg"}),
}
_HIGH = DetectionConstants.HIGH_CONFIDENCE
_MEDIUM = DetectionConstants.MEDIUM_CONFIDENCE

#: ISO base media ``ftyp`` major brands that are not video Bedrock takes.
_FTYP_IMAGE_BRANDS: Final[Mapping[bytes, str]] = {
    b"heic": "heic",
    b"heix": "heic",
    b"mif1": "heif",
    b"msf1": "heif",
    b"avif": "avif",
}
_FTYP_AUDIO_BRANDS: Final[frozenset[bytes]] = frozenset({b"M4A ", b"M4B ", b"M4P "})
#: Top-level QuickTime atoms a ``.mov`` without an ``ftyp`` box may start with.
_QUICKTIME_ATOMS: Final[frozenset[bytes]] = frozenset({b"moov", b"mdat", b"wide", b"free", b"pnot"})


def _sniff_ole(content: bytes) -> _Sniff:
    # The directory of a compound file names its streams in UTF-16LE; Word keeps its text in
    # "WordDocument", Excel its sheets in "Workbook" (BIFF8) or "Book" (BIFF5).
    if "WordDocument".encode("utf-16-le") in content:
        return _Sniff(_DOCUMENT, ("doc",), _HIGH, "OLE2 compound file with a WordDocument stream")
    if any(n.encode("utf-16-le") in content for n in ("Workbook", "Book\x00")):
        return _Sniff(_DOCUMENT, ("xls",), _HIGH, "OLE2 compound file with a Workbook stream")
    return _Sniff(_DOCUMENT, ("doc", "xls"), _MEDIUM, "OLE2 compound file (doc or xls)")


def _zip_names(content: bytes) -> list[str]:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        # A truncated archive has no central directory; its local headers still carry names.
        names: list[str] = []
        start = 0
        while (at := content.find(MagicBytesConstants.ZIP_SIGNATURE, start)) != -1:
            name_length = int.from_bytes(content[at + 26 : at + 28], "little")
            names.append(content[at + 30 : at + 30 + name_length].decode("utf-8", "replace"))
            start = at + 4
        return names


def _sniff_zip(content: bytes) -> _Sniff:
    names = _zip_names(content)
    if any(n.startswith("word/") for n in names):
        return _Sniff(_DOCUMENT, ("docx",), _HIGH, "ZIP (Office Open XML) with word/")
    if any(n.startswith("xl/") for n in names):
        return _Sniff(_DOCUMENT, ("xlsx",), _HIGH, "ZIP (Office Open XML) with xl/")
    if any(n.startswith("ppt/") for n in names):
        return _Sniff(_DOCUMENT, ("pptx",), _HIGH, "ZIP (Office Open XML) with ppt/")
    return _Sniff("archive", ("zip",), _HIGH, "ZIP archive")


def _sniff_ebml(head: bytes) -> _Sniff:
    # The EBML header's DocType element (id 0x4282) holds "webm" or "matroska".
    if b"webm" in head:
        return _Sniff(_VIDEO, ("webm",), _HIGH, "EBML header, DocType webm")
    if b"matroska" in head:
        return _Sniff(_VIDEO, ("mkv",), _HIGH, "EBML header, DocType matroska")
    return _Sniff(_VIDEO, ("webm", "mkv"), _MEDIUM, "EBML header (webm or mkv)")


def _sniff_ftyp(head: bytes) -> _Sniff:
    brand = head[8:12]
    if brand == b"qt  ":
        return _Sniff(_VIDEO, ("mov",), _HIGH, "ftyp box, brand qt")
    if brand.startswith(b"3g"):
        return _Sniff(_VIDEO, ("three_gp",), _HIGH, f"ftyp box, brand {brand.decode('latin-1')}")
    if brand in _FTYP_IMAGE_BRANDS:
        return _Sniff(_IMAGE, (_FTYP_IMAGE_BRANDS[brand],), _HIGH, "ftyp box, image brand")
    if brand in _FTYP_AUDIO_BRANDS:
        return _Sniff("audio", ("m4a",), _HIGH, "ftyp box, audio brand")
    return _Sniff(_VIDEO, ("mp4",), _HIGH, f"ftyp box, brand {brand.decode('latin-1').strip()}")


def _plausible_box(content: bytes) -> bool:
    # An ISO/QuickTime box starts with its big-endian size: 0 (to the end), 1 (64-bit size
    # follows) or 8..file length. Text such as "I'm free" has "free" at bytes 4-8 too, but its
    # first four bytes read as a size of about a gigabyte.
    size = int.from_bytes(content[:4], "big")
    return size in (0, 1) or 8 <= size <= len(content)


def _sniff(content: bytes) -> _Sniff | None:
    """What the leading bytes say, whatever kind is expected; ``None`` if they say nothing."""
    head = content[: DetectionConstants.MAGIC_BYTES_READ_SIZE]
    magic = MagicBytesConstants
    if head.startswith(magic.JPEG_SIGNATURE):
        return _Sniff(_IMAGE, ("jpeg",), _HIGH, "JPEG SOI marker")
    if head.startswith(magic.PNG_SIGNATURE):
        return _Sniff(_IMAGE, ("png",), _HIGH, "PNG signature")
    if head.startswith(magic.GIF_SIGNATURES):
        return _Sniff(_IMAGE, ("gif",), _HIGH, "GIF signature")
    if head.startswith(magic.WEBP_SIGNATURE) and len(head) >= 12:
        riff_type = head[8:12]
        if riff_type == magic.WEBP_FORMAT_SIGNATURE:
            return _Sniff(_IMAGE, ("webp",), _HIGH, "RIFF WEBP")
        if riff_type == b"AVI ":
            return _Sniff(_VIDEO, ("avi",), _HIGH, "RIFF AVI")
        if riff_type == b"WAVE":
            return _Sniff("audio", ("wav",), _HIGH, "RIFF WAVE")
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return _Sniff(_IMAGE, ("tiff",), _HIGH, "TIFF byte-order mark")
    if head.startswith(magic.PDF_SIGNATURE):
        return _Sniff(_DOCUMENT, ("pdf",), _HIGH, "%PDF- header")
    if head.startswith(magic.ZIP_SIGNATURE):
        return _sniff_zip(content)
    if head.startswith(magic.OLE_SIGNATURE):
        return _sniff_ole(content)
    if head.startswith(magic.EBML_SIGNATURE):
        return _sniff_ebml(head)
    if head[4:8] == b"ftyp" and _plausible_box(content):
        return _sniff_ftyp(head)
    if head[4:8] in _QUICKTIME_ATOMS and _plausible_box(content):
        return _Sniff(_VIDEO, ("mov",), _MEDIUM, f"QuickTime {head[4:8].decode('latin-1')} atom")
    if head.startswith(magic.FLV_SIGNATURE):
        return _Sniff(_VIDEO, ("flv",), _HIGH, "FLV signature")
    if head.startswith(magic.MPEG_SIGNATURES):
        return _Sniff(_VIDEO, ("mpeg",), _HIGH, "MPEG start code")
    if head.startswith(magic.ASF_SIGNATURE):
        return _Sniff(_VIDEO, ("wmv",), _HIGH, "ASF header GUID")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(magic.HTML_SIGNATURES):
        return _Sniff(_DOCUMENT, ("html",), _HIGH, "HTML start tag")
    return None


def content_format(content: bytes) -> tuple[str, str, str] | None:
    """``(kind, format, evidence)`` when the bytes alone name one format; for the builder's check
    of an explicit ``format=`` against the content."""
    sniff = _sniff(bytes(content))
    if sniff is None or len(sniff.candidates) > 1:
        return None
    return sniff.kind, sniff.format, sniff.evidence


def same_format(a: str, b: str) -> bool:
    """True when two format tokens name the same container (``mpeg`` and ``mpg``)."""
    return a == b or b in _SAME_FORMAT.get(a, ())


def _extension_format(filename: str | None, kind: str) -> tuple[str, str] | None:
    """``(extension, format)`` when the name's extension is one of ``kind``'s."""
    if not filename:
        return None
    extension = PurePath(filename).suffix.lower()
    detected = _KIND_EXTENSIONS[kind].get(extension)
    return (extension, detected) if detected else None


class BaseDetector(ABC):
    """The detector interface 0.9 exposed: one method per media kind."""

    @abstractmethod
    def detect_image_format(self, content: bytes, filename: str | None = None) -> DetectionResult:
        """The image format of ``content`` (named ``filename``)."""

    @abstractmethod
    def detect_document_format(
        self, content: bytes, filename: str | None = None
    ) -> DetectionResult:
        """The document format of ``content`` (named ``filename``)."""

    @abstractmethod
    def detect_video_format(self, content: bytes, filename: str | None = None) -> DetectionResult:
        """The video format of ``content`` (named ``filename``)."""


class FileTypeDetector(BaseDetector):
    """Detects the Bedrock format of image, document and video bytes.

    Results and confidences are 0.9's: the content alone 0.95 (0.75 where one signature covers
    two formats and the name chose between them), the name alone 0.75, both agreeing 0.95 via
    ``COMBINED``, disagreeing 0.95 x 0.9 with the content's format and ``agreement: False``.
    """

    def detect_image_format(self, content: bytes, filename: str | None = None) -> DetectionResult:
        """The image format of ``content`` (named ``filename``)."""
        return self._detect(content, filename, _IMAGE)

    def detect_document_format(
        self, content: bytes, filename: str | None = None
    ) -> DetectionResult:
        """The document format of ``content`` (named ``filename``)."""
        return self._detect(content, filename, _DOCUMENT)

    def detect_video_format(self, content: bytes, filename: str | None = None) -> DetectionResult:
        """The video format of ``content`` (named ``filename``)."""
        return self._detect(content, filename, _VIDEO)

    def _detect(self, content: bytes, filename: str | None, kind: str) -> DetectionResult:
        label = filename or "unnamed_file"
        if not isinstance(content, (bytes, bytearray, memoryview)) or not content:
            got = "empty content" if isinstance(content, (bytes, bytearray)) else type(content)
            return _failure(
                f"Failed to read content for detection: expected non-empty bytes, got {got}",
                filename,
                DetectionMethodEnum.CONTENT,
            )
        by_name = _extension_format(filename, kind)
        sniff = _sniff(bytes(content))
        result = _combine(kind, filename, by_name, sniff)
        if result.name_mismatch:
            meta = result.metadata or {}
            logger.warning(
                "Format mismatch for '%s': the name says %s, the content is %s (%s); using %s. "
                "Rename the file or pass format= to silence this.",
                label,
                meta.get("extension_format"),
                meta.get("content_format"),
                meta.get("evidence"),
                result.detected_format,
            )
        elif result.is_successful:
            logger.debug(
                "Detected %s for '%s' (method: %s, confidence: %.2f)",
                result.detected_format,
                label,
                result.detection_method.value,
                result.confidence,
            )
        return result


def _failure(
    message: str, filename: str | None, method: DetectionMethodEnum, **metadata: Any
) -> DetectionResult:
    return DetectionResult(
        detected_format="unknown",
        confidence=0.0,
        detection_method=method,
        filename=filename,
        error_message=message,
        metadata=metadata or None,
    )


def _combine(
    kind: str, filename: str | None, by_name: tuple[str, str] | None, sniff: _Sniff | None
) -> DetectionResult:
    label = filename or "unnamed_file"
    supported = _KIND_FORMATS[kind]
    if sniff is None:
        if by_name is None:
            return _failure(
                f"All detection methods failed for '{label}': the content has no {kind} "
                f"signature and the name has no {kind} extension "
                f"({', '.join(sorted(_KIND_EXTENSIONS[kind]))})",
                filename,
                DetectionMethodEnum.COMBINED,
            )
        extension, detected = by_name
        return DetectionResult(
            detected,
            _MEDIUM,
            DetectionMethodEnum.EXTENSION,
            filename,
            None,
            {"extension": extension},
        )
    evidence = {"evidence": sniff.evidence}
    unsupported = len(sniff.candidates) == 1 and sniff.format not in supported
    if sniff.kind != kind or unsupported:
        what = f"{sniff.format} ({sniff.evidence})"
        if sniff.kind != kind:
            fix = (
                f"add it as {_A_KIND[sniff.kind]} instead"
                if sniff.kind in _KIND_FORMATS and sniff.format in _KIND_FORMATS[sniff.kind]
                else "Bedrock does not take this kind of file"
            )
            problem = f"the content of '{label}' is {what}, not {_A_KIND[kind]}; {fix}"
        else:
            problem = (
                f"the content of '{label}' is {what}, which Bedrock does not accept as a {kind} "
                f"(supported: {', '.join(supported)}); convert it"
            )
        return _failure(
            problem, filename, DetectionMethodEnum.CONTENT, content_format=sniff.format, **evidence
        )
    if len(sniff.candidates) > 1:
        # One signature, two formats, and the bytes hold no clue: only the name can choose.
        if by_name is not None and by_name[1] in sniff.candidates:
            return DetectionResult(
                by_name[1],
                _MEDIUM,
                DetectionMethodEnum.COMBINED,
                filename,
                None,
                {"extension": by_name[0], "candidates": list(sniff.candidates), **evidence},
            )
        return _failure(
            f"the content of '{label}' is a {sniff.evidence} and its name does not say which; "
            f"name the file with one of {', '.join('.' + c for c in sniff.candidates)} "
            "or pass format=",
            filename,
            DetectionMethodEnum.CONTENT,
            candidates=list(sniff.candidates),
            **evidence,
        )
    content_meta = {"magic_bytes": sniff.evidence, **evidence}
    if by_name is None:
        return DetectionResult(
            sniff.format,
            sniff.confidence,
            DetectionMethodEnum.CONTENT,
            filename,
            None,
            content_meta,
        )
    extension, named = by_name
    if same_format(sniff.format, named):
        return DetectionResult(
            named,
            _HIGH,
            DetectionMethodEnum.COMBINED,
            filename,
            None,
            {
                "extension_confidence": _MEDIUM,
                "content_confidence": sniff.confidence,
                "agreement": True,
                **evidence,
            },
        )
    return DetectionResult(
        sniff.format,
        sniff.confidence * DetectionConstants.MISMATCH_PENALTY,
        DetectionMethodEnum.COMBINED,
        filename,
        None,
        {
            "extension_format": named,
            "content_format": sniff.format,
            "agreement": False,
            "chosen_method": "content",
            **evidence,
        },
    )
