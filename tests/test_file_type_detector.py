"""FileTypeDetector on real files of every accepted format: content first, then the name."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bestehorn_llmmanager.message_builder_enums import DetectionMethodEnum
from bestehorn_llmmanager.util.file_type_detector import DetectionResult, FileTypeDetector
from tests import media_files as media

DETECTOR = FileTypeDetector()


def detect(kind: str, data: bytes, name: str | None = None) -> DetectionResult:
    method = getattr(DETECTOR, f"detect_{kind}_format")
    result: DetectionResult = method(data, name)
    return result


@pytest.mark.parametrize(("kind", "fmt", "name", "data"), media.EVERY_FORMAT)
def test_every_format_with_its_own_name_is_detected(
    kind: str, fmt: str, name: str, data: bytes
) -> None:
    result = detect(kind, data, name)
    assert result.is_successful, result.error_message
    assert result.detected_format == fmt
    if fmt in media.TEXT_FORMATS:
        # No signature: the name alone decides, at 0.9's extension confidence.
        assert (result.detection_method, result.confidence) == (DetectionMethodEnum.EXTENSION, 0.75)
    else:
        assert (result.detection_method, result.confidence) == (DetectionMethodEnum.COMBINED, 0.95)
        assert result.metadata is not None and result.metadata["agreement"] is True
    assert not result.name_mismatch


@pytest.mark.parametrize(
    ("kind", "fmt", "name", "data"),
    [row for row in media.EVERY_FORMAT if row[1] not in media.TEXT_FORMATS and row[1] != "mpg"],
)
def test_every_binary_format_is_detected_from_content_alone(
    kind: str, fmt: str, name: str, data: bytes
) -> None:
    result = detect(kind, data)
    assert (result.detected_format, result.detection_method, result.confidence) == (
        fmt,
        DetectionMethodEnum.CONTENT,
        0.95,
    )


def test_jpeg_variants_0_9_missed_are_detected() -> None:
    # 0.9 knew only the e0/e1/db markers; Adobe (ee) and ICC (e2) JPEGs are just as common.
    for marker in (b"\xee", b"\xe2", b"\xed"):
        assert detect("image", media.jpeg(marker)).detected_format == "jpeg"


def test_mp4_brands_0_9_missed_are_detected() -> None:
    # 0.9 matched only "ftypmp4" at three box sizes; ffmpeg writes "isom", phones "mp42".
    for brand in (b"isom", b"mp42", b"avc1", b"M4V "):
        assert detect("video", media.iso_media(brand)).detected_format == "mp4"


def test_xlsx_is_not_mistaken_for_docx() -> None:
    # Both are ZIPs with [Content_Types].xml; 0.9 looked only for that and said docx.
    assert detect("document", media.xlsx()).detected_format == "xlsx"
    assert detect("document", media.docx()).detected_format == "docx"


def test_a_name_content_mismatch_uses_the_content_and_is_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="bestehorn_llmmanager"):
        result = detect("image", media.png(), "photo.jpg")
    assert result.detected_format == "png"
    assert result.detection_method is DetectionMethodEnum.COMBINED
    assert result.confidence == pytest.approx(0.95 * 0.9)
    assert result.name_mismatch
    assert result.metadata is not None
    assert (result.metadata["extension_format"], result.metadata["content_format"]) == (
        "jpeg",
        "png",
    )
    [record] = [r for r in caplog.records if "mismatch" in r.getMessage()]
    assert "photo.jpg" in record.getMessage() and "png" in record.getMessage()


def test_content_of_another_kind_is_refused_with_the_kind_it_is() -> None:
    result = detect("image", media.pdf(), "scan.png")
    assert not result.is_successful
    assert "is pdf" in str(result.error_message)
    assert "not an image; add it as a document instead" in str(result.error_message)


@pytest.mark.parametrize(
    ("kind", "data", "what"),
    [
        ("video", media.avi(), "avi"),
        ("document", media.pptx(), "pptx"),
        ("image", media.iso_media(b"heic"), "heic"),
    ],
)
def test_recognised_formats_bedrock_refuses_are_named(kind: str, data: bytes, what: str) -> None:
    result = detect(kind, data, f"file.{what}")
    assert not result.is_successful
    assert what in str(result.error_message)


def test_one_signature_two_formats_without_a_clue_is_not_guessed() -> None:
    # An OLE2 file with neither a WordDocument nor a Workbook stream: 0.9 said "doc".
    bare = media.ole(None)
    refused = detect("document", bare)
    assert not refused.is_successful
    assert ".doc" in str(refused.error_message) and ".xls" in str(refused.error_message)
    chosen = detect("document", bare, "budget.xls")
    assert (chosen.detected_format, chosen.confidence) == ("xls", 0.75)
    assert chosen.metadata is not None and chosen.metadata["candidates"] == ["doc", "xls"]
    # The same holds for an EBML header without a DocType (webm or mkv).
    assert not detect("video", media.ebml(None)).is_successful
    assert detect("video", media.ebml(None), "x.mkv").detected_format == "mkv"


def test_content_with_no_signature_falls_back_to_the_name() -> None:
    # 0.9's caching example sends b"<simulated image 1 data>" named gothic1.jpg.
    result = detect("image", b"<simulated image 1 data>", "gothic1.jpg")
    assert (result.detected_format, result.detection_method, result.confidence) == (
        "jpeg",
        DetectionMethodEnum.EXTENSION,
        0.75,
    )
    assert result.metadata == {"extension": ".jpg"}


def test_no_signature_and_no_usable_name_fails_and_lists_the_extensions() -> None:
    result = detect("document", media.CSV, "data.bin")
    assert not result.is_successful
    assert result.detected_format == "unknown" and result.confidence == 0.0
    assert ".csv" in str(result.error_message)


@pytest.mark.parametrize("bad", [b"", "text", None])
def test_empty_or_non_bytes_content_fails_without_raising(bad: object) -> None:
    result = detect("image", bad, "a.png")  # type: ignore[arg-type]
    assert not result.is_successful
    assert result.detection_method is DetectionMethodEnum.CONTENT


def test_truncated_office_file_is_still_read_from_its_local_headers() -> None:
    truncated = media.xlsx()[:-200]  # the central directory is gone
    assert detect("document", truncated, "s.xlsx").detected_format == "xlsx"


def test_result_type_keeps_0_9_properties() -> None:
    result = detect("image", media.gif(), "a.gif")
    assert result.is_high_confidence
    assert str(result) == "DetectionResult(successful: gif, confidence=0.95, method=combined)"


def test_text_that_happens_to_spell_a_box_name_is_not_video() -> None:
    # Bytes 4-8 of "I'm free..." are "free", a QuickTime atom name; the size before it is not.
    text = b"I'm free to talk.\nftyp is a word here.\n"
    assert detect("document", text, "notes.txt").detected_format == "txt"
    assert detect("document", b"abcdftypisom and more", "notes.md").detected_format == "md"


_PREFIXES = [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\x1a\x45\xdf\xa3", b"RIFF"]


@given(
    st.sampled_from(["image", "document", "video"]),
    st.sampled_from(_PREFIXES),
    st.binary(max_size=300),
    st.none() | st.text(max_size=30),
)
def test_any_bytes_and_name_give_a_result_never_an_exception(
    kind: str, prefix: bytes, data: bytes, name: str | None
) -> None:
    result = detect(kind, prefix + data, name)
    assert result.is_successful == (result.error_message is None)
    if result.is_successful:
        assert (
            result.detected_format
            in {
                "image": {"jpeg", "png", "gif", "webp"},
                "document": {"pdf", "csv", "doc", "docx", "xls", "xlsx", "html", "txt", "md"},
                "video": {"mp4", "mov", "webm", "mkv", "flv", "mpeg", "mpg", "wmv", "three_gp"},
            }[kind]
        )
