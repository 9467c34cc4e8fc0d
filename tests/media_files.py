"""Real files of every format the message builder accepts, made from the standard library only.

Images are complete, decodable files (PNG with real zlib data and CRCs, a 1x1 GIF, a lossless
WebP, a baseline JPEG); PDF, DOCX and XLSX are minimal valid documents; legacy .doc/.xls are OLE2
compound files with the stream names Word and Excel write; videos are their real container
headers (ISO base media ``ftyp`` boxes, EBML with DocType, FLV, MPEG-PS, ASF). Used by the
detector and builder tests; no Pillow, no fixtures on disk.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png() -> bytes:
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    idat = zlib.compress(b"\x00\xff\x00\x00")  # filter byte + one red pixel
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def gif() -> bytes:
    # 1x1 GIF89a, two-colour global table, one LZW-coded pixel.
    return bytes.fromhex(
        "4749463839610100010080000000000000ffffff21f90401000000002c00000000010001000002024401003b"
    )


def webp() -> bytes:
    # A 1x1 lossless (VP8L) WebP.
    vp8l = bytes.fromhex("2f00000010071011118888fe0700")
    chunk = b"VP8L" + struct.pack("<I", len(vp8l)) + vp8l
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def jpeg(app: bytes = b"\xe0") -> bytes:
    """A JPEG whose first segment is APPn ``app`` (JFIF e0, EXIF e1, Adobe ee...)."""
    segment = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    body = b"\xff" + app + struct.pack(">H", len(segment) + 2) + segment
    sof = b"\xff\xc0\x00\x0b\x08\x00\x01\x00\x01\x01\x01\x11\x00"
    return b"\xff\xd8" + body + sof + b"\xff\xd9"


def pdf() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (4, xref))
    return out.getvalue()


def _ooxml(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/officeDocument" Target="{target}"/></Relationships>'
)


def docx() -> bytes:
    return _ooxml(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.'
            'openxmlformats.org/package/2006/content-types"><Override PartName="/word/'
            'document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
            "_rels/.rels": _RELS.format(target="word/document.xml"),
            "word/document.xml": '<?xml version="1.0"?><w:document xmlns:w="http://schemas.'
            'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hello</w:t>'
            "</w:r></w:p></w:body></w:document>",
        }
    )


def xlsx() -> bytes:
    return _ooxml(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.'
            'openxmlformats.org/package/2006/content-types"><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/></Types>',
            "_rels/.rels": _RELS.format(target="xl/workbook.xml"),
            "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.'
            'openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S" sheetId="1"/>'
            "</sheets></workbook>",
            "xl/worksheets/sheet1.xml": "<worksheet/>",
        }
    )


def pptx() -> bytes:
    return _ooxml({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"})


def ole(stream: str | None) -> bytes:
    """An OLE2 compound file: a 512-byte header, then one directory sector naming ``stream``."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x18:0x1A] = struct.pack("<H", 0x3E)  # minor version
    header[0x1A:0x1C] = struct.pack("<H", 3)  # major version 3: 512-byte sectors
    header[0x1C:0x1E] = b"\xfe\xff"  # little-endian byte order mark
    header[0x1E:0x20] = struct.pack("<H", 9)
    directory = bytearray(512)
    for index, name in enumerate(["Root Entry", *([stream] if stream else [])]):
        encoded = (name + "\x00").encode("utf-16-le")
        entry = index * 128
        directory[entry : entry + len(encoded)] = encoded
        directory[entry + 64 : entry + 66] = struct.pack("<H", len(encoded))
        directory[entry + 66] = 5 if index == 0 else 2
    return bytes(header + directory)


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def iso_media(brand: bytes, compatible: bytes = b"isomiso2") -> bytes:
    """An ISO base media file (MP4, MOV, 3GP...): ``ftyp`` with ``brand``, an empty ``moov``."""
    ftyp = _box(b"ftyp", brand + b"\x00\x00\x02\x00" + compatible)
    return ftyp + _box(b"moov", _box(b"mvhd", bytes(100))) + _box(b"mdat", bytes(64))


def quicktime_without_ftyp() -> bytes:
    return _box(b"wide", b"") + _box(b"mdat", bytes(64))


def _ebml_element(element_id: bytes, data: bytes) -> bytes:
    return element_id + bytes([0x80 | len(data)]) + data


def ebml(doctype: str | None) -> bytes:
    """A Matroska/WebM file start: the EBML header (with DocType unless None), a Segment id."""
    fields = _ebml_element(b"\x42\x86", b"\x01") + _ebml_element(b"\x42\xf7", b"\x01")
    if doctype is not None:
        fields += _ebml_element(b"\x42\x82", doctype.encode())
    fields += _ebml_element(b"\x42\x87", b"\x04") + _ebml_element(b"\x42\x85", b"\x02")
    return (
        b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(fields)]) + fields + b"\x18\x53\x80\x67" + bytes(32)
    )


def flv() -> bytes:
    return b"FLV\x01\x05\x00\x00\x00\x09\x00\x00\x00\x00" + bytes(32)


def mpeg_ps() -> bytes:
    return b"\x00\x00\x01\xba\x44\x00\x04\x00\x04\x01\x01\x89\xc3\xf8" + bytes(32)


def asf() -> bytes:
    guid = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
    return guid + struct.pack("<QIBB", 30, 0, 1, 2) + bytes(32)


def avi() -> bytes:
    return b"RIFF" + struct.pack("<I", 100) + b"AVI LIST" + bytes(88)


def html() -> bytes:
    return b"\xef\xbb\xbf\n<!DOCTYPE html>\n<html><body><p>Hello</p></body></html>\n"


CSV = b"city,temp\nOslo,4\nLima,19\n"
TXT = b"Plain notes.\nSecond line.\n"
MD = b"# Title\n\n- a point\n"

#: (kind, Bedrock format, file name, content) for every format the builder accepts.
EVERY_FORMAT: list[tuple[str, str, str, bytes]] = [
    ("image", "png", "chart.png", png()),
    ("image", "jpeg", "photo.jpg", jpeg()),
    ("image", "jpeg", "scan.jpeg", jpeg(b"\xe1")),
    ("image", "gif", "anim.gif", gif()),
    ("image", "webp", "pic.webp", webp()),
    ("document", "pdf", "report.pdf", pdf()),
    ("document", "docx", "letter.docx", docx()),
    ("document", "xlsx", "sheet.xlsx", xlsx()),
    ("document", "doc", "old.doc", ole("WordDocument")),
    ("document", "xls", "old.xls", ole("Workbook")),
    ("document", "html", "page.html", html()),
    ("document", "csv", "data.csv", CSV),
    ("document", "txt", "notes.txt", TXT),
    ("document", "md", "readme.md", MD),
    ("video", "mp4", "clip.mp4", iso_media(b"isom")),
    ("video", "mov", "clip.mov", iso_media(b"qt  ", b"qt  ")),
    ("video", "three_gp", "clip.3gp", iso_media(b"3gp4", b"3gp4isom")),
    ("video", "mkv", "clip.mkv", ebml("matroska")),
    ("video", "webm", "clip.webm", ebml("webm")),
    ("video", "flv", "clip.flv", flv()),
    ("video", "mpeg", "clip.mpeg", mpeg_ps()),
    ("video", "mpg", "clip.mpg", mpeg_ps()),
    ("video", "wmv", "clip.wmv", asf()),
]

#: Formats with no signature: only the file name can say what they are.
TEXT_FORMATS = {"csv", "txt", "md"}
