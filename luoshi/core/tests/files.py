"""Test files built in memory: real Office packages, OLE2 documents, zip bombs."""

from __future__ import annotations

import io
import zipfile

from luoshi.core.tests import cfb

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\0" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
GIF = b"GIF89a" + b"\0" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\0" * 32
PDF = b"%PDF-1.4\n%test\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 56

MAIN = {
    "docx": ("word/document.xml",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "docm": ("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
    "xlsx": ("xl/workbook.xml",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "pptx": ("ppt/presentation.xml",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
}  # fmt: skip


def content_types(*overrides: tuple[str, str]) -> str:
    parts = "".join(f'<Override PartName="/{p}" ContentType="{t}"/>' for p, t in overrides)
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org'
        '/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
        f"{parts}</Types>"
    )


def package(kind: str = "docx", extra: dict[str, bytes] | None = None,
            types: list[tuple[str, str]] | None = None) -> bytes:  # fmt: skip
    """A minimal Office Open XML package of ``kind`` with ``extra`` parts."""
    part, ctype = MAIN[kind]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", content_types((part, ctype), *(types or [])))
        z.writestr(part, "<doc/>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def ofd() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>')
        z.writestr("Doc_0/Document.xml", "<x/>")
    return buf.getvalue()


def plain_zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def doc(*, macros: bool = False) -> bytes:
    """A legacy Word document; with ``macros`` it has the Macros/VBA storage Word writes."""
    paths: dict[str, bytes | None] = {"WordDocument": b"\xec\xa5", "\x01CompObj": b""}
    if macros:
        paths["Macros/VBA/dir"] = b"\x01"
        paths["Macros/PROJECT"] = b"ID="
    return cfb.build(paths)


def xls(*, macros: bool = False) -> bytes:
    paths: dict[str, bytes | None] = {"Workbook": b"\x09\x08"}
    if macros:
        paths["_VBA_PROJECT_CUR/VBA/dir"] = b"\x01"
    return cfb.build(paths)


def encrypted_ooxml() -> bytes:
    """What Office writes for a password-protected .docx: an OLE2 wrapper."""
    return cfb.build({"EncryptionInfo": b"\x04\x00", "EncryptedPackage": b"\x10"})


def bomb_by_ratio(megabytes: int = 5) -> bytes:
    """One entry of zeros: a few kilobytes that would expand a thousandfold."""
    return package("docx", {"word/media/big.bin": b"\0" * (megabytes * 1024 * 1024)})
