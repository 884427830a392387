"""What a file really is, decided from its bytes: images, PDF, legacy Office (OLE2), Office
Open XML and OFD packages. Packages are judged from the ZIP central directory (sizes, ratios,
names) without extracting anything; only the small ``[Content_Types].xml`` and embedded Office
packages of bounded size are read, to find the main part and any macros."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO

import olefile  # type: ignore[import-untyped]
from django.conf import settings
from lxml import etree  # type: ignore[import-untyped]


class Refusal(Exception):
    """The file may not be stored; ``reason`` is a code for the audit log, ``text`` the
    Chinese clause that follows the file's name."""

    def __init__(self, reason: str, text: str) -> None:
        super().__init__(reason)
        self.reason, self.text = reason, text


@dataclass(frozen=True)
class Kind:
    key: str
    # extension → content type; the file's extension must be one of these
    content_types: dict[str, str] = field(hash=False)


WORD_TYPE = "application/msword"
OOXML = "application/vnd.openxmlformats-officedocument"
KINDS = {
    k.key: k
    for k in (
        Kind("jpeg", {".jpg": "image/jpeg", ".jpeg": "image/jpeg"}),
        Kind("png", {".png": "image/png"}),
        Kind("gif", {".gif": "image/gif"}),
        Kind("webp", {".webp": "image/webp"}),
        Kind("pdf", {".pdf": "application/pdf"}),
        Kind("doc", {".doc": WORD_TYPE, ".wps": "application/vnd.ms-works"}),
        Kind("xls", {".xls": "application/vnd.ms-excel"}),
        Kind("ppt", {".ppt": "application/vnd.ms-powerpoint"}),
        # An OLE2 file that is none of the above: only a WPS document may look like that.
        Kind("ole", {".wps": "application/vnd.ms-works"}),
        Kind("docx", {".docx": f"{OOXML}.wordprocessingml.document"}),
        Kind("xlsx", {".xlsx": f"{OOXML}.spreadsheetml.sheet"}),
        Kind("pptx", {".pptx": f"{OOXML}.presentationml.presentation"}),
        Kind("ofd", {".ofd": "application/ofd"}),
    )
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# The main part's content type names the package; templates and add-ins are not accepted.
OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
}
# Storage names that hold VBA in Word, Excel and embedded objects.
OLE_MACRO_PARTS = {"macros", "_vba_project_cur", "_vba_project", "vba"}
ARCHIVE_SUFFIXES = {".zip", ".rar", ".7z", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".cab",
                    ".jar", ".iso", ".arj", ".lzh", ".z"}  # fmt: skip
# Charts keep their data in an embedded workbook: such packages are inspected one level deep.
EMBEDDED_PACKAGES = {".docx", ".xlsx", ".pptx", ".docm", ".xlsm", ".pptm", ".xlsb"}
EMBEDDED_OLE = {".bin", ".doc", ".xls", ".ppt"}
CONTENT_TYPES_MAX = 1024 * 1024
NESTED_MAX = 10 * 1024 * 1024
# Small parts (XML of a few kilobytes) legitimately compress very well; the ratio limit is
# for entries big enough to hurt.
RATIO_FLOOR = 1024 * 1024

# (reason, text) of the common refusals; each raise makes a fresh exception.
DAMAGED = ("damaged", "已损坏或格式无法识别，无法上传。")
MACRO = (
    "macro",
    "含有宏（VBA 代码），为安全起见不能上传，请另存为不含宏的格式（如 .docx、.xlsx）后再上传。",
)
ENCRYPTED = ("encrypted", "是加密文件，系统无法检查其内容，请取消密码保护后再上传。")
NESTED = ("nested_archive", "内含压缩包或多层嵌套的文件，不能上传。")
UNSAFE_PATH = ("unsafe_path", "内含不安全的文件路径，不能上传。")


def sniff(stream: IO[bytes]) -> Kind:
    """The file's kind from its content, or Refusal; the stream is left at its start."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    try:
        if head.startswith(b"\xff\xd8\xff"):
            return KINDS["jpeg"]
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return KINDS["png"]
        if head[:6] in (b"GIF87a", b"GIF89a"):
            return KINDS["gif"]
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return KINDS["webp"]
        if head.startswith(b"%PDF-"):
            return KINDS["pdf"]
        if head.startswith(OLE_MAGIC):
            return KINDS[ole_kind(stream)]
        if head.startswith(ZIP_MAGIC):
            return KINDS[package_kind(stream)]
    finally:
        stream.seek(0)
    raise Refusal("mismatch", "的内容与扩展名不符，无法上传。")


def ole_kind(stream: IO[bytes]) -> str:
    """doc, xls, ppt or ole (a WPS document); refuses macros and encrypted OOXML."""
    try:
        with olefile.OleFileIO(stream) as ole:
            entries = ole.listdir(streams=True, storages=True)
    except Exception:
        # olefile raises OSError, struct errors, IndexError … for a broken compound file.
        raise Refusal(*DAMAGED) from None
    parts = {part.lower() for entry in entries for part in entry}
    top = {entry[0].lower() for entry in entries if len(entry) == 1}
    if "encryptedpackage" in top or "encryptioninfo" in top:
        raise Refusal(*ENCRYPTED)
    if parts & OLE_MACRO_PARTS:
        raise Refusal(*MACRO)
    if "worddocument" in top:
        return "doc"
    if "workbook" in top or "book" in top:
        return "xls"
    if "powerpoint document" in top:
        return "ppt"
    return "ole"


def _limits() -> tuple[int, int, int]:
    return (
        int(settings.LUOSHI_ARCHIVE_MAX_MB) * 1024 * 1024,
        int(settings.LUOSHI_ARCHIVE_MAX_RATIO),
        int(settings.LUOSHI_ARCHIVE_MAX_ENTRIES),
    )


def check_archive(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """Refuse what would expand too far or write outside its folder, from the central
    directory alone (the sizes a decompressor will stop at)."""
    max_total, max_ratio, max_entries = _limits()
    infos = zf.infolist()
    if len(infos) > max_entries:
        raise Refusal(
            "archive_entries", f"内含文件超过 {max_entries} 个，可能是恶意文件，不能上传。"
        )
    total = 0
    for info in infos:
        name = info.filename
        path = PurePosixPath(name)
        if (
            "\\" in name
            or name.startswith("/")
            or (len(name) > 1 and name[1] == ":")
            or ".." in path.parts
        ):
            raise Refusal(*UNSAFE_PATH)
        if info.flag_bits & 0x1:
            raise Refusal(*ENCRYPTED)
        total += info.file_size
        if total > max_total:
            raise Refusal(
                "archive_too_large",
                f"解压后超过 {max_total // (1024 * 1024)} MB，可能是恶意文件，不能上传。",
            )
        if info.file_size > RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            raise Refusal("archive_ratio", "压缩比异常，可能是恶意文件（“压缩炸弹”），不能上传。")
        if path.suffix.lower() in ARCHIVE_SUFFIXES:
            raise Refusal(*NESTED)
    return infos


def _content_types(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> list[str]:
    if info.file_size > CONTENT_TYPES_MAX:
        raise Refusal(*DAMAGED)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(zf.read(info), parser)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Refusal(*DAMAGED) from None
    return [str(el.get("ContentType") or "") for el in root.iter() if el.get("ContentType")]


def _embedded(zf: zipfile.ZipFile, info: zipfile.ZipInfo, depth: int) -> None:
    """An embedded object: an Office package is inspected like the file itself (once, not
    recursively); an OLE object may not carry macros."""
    suffix = PurePosixPath(info.filename).suffix.lower()
    if suffix not in EMBEDDED_PACKAGES | EMBEDDED_OLE:
        return
    if info.file_size > NESTED_MAX:
        raise Refusal(*NESTED)
    try:
        data = zf.read(info)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Refusal(*DAMAGED) from None
    if data.startswith(OLE_MAGIC):
        ole_kind(io.BytesIO(data))
    elif data.startswith(ZIP_MAGIC):
        if depth >= 1:
            raise Refusal(*NESTED)
        _inspect_package(io.BytesIO(data), depth + 1)


def _inspect_package(stream: IO[bytes], depth: int) -> str:
    try:
        zf = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise Refusal(*DAMAGED) from None
    with zf:
        infos = check_archive(zf)
        by_name = {info.filename: info for info in infos}
        for info in infos:
            if "vbaproject" in PurePosixPath(info.filename).name.lower():
                raise Refusal(*MACRO)
        if "[Content_Types].xml" in by_name:
            types = _content_types(zf, by_name["[Content_Types].xml"])
            lowered = [t.lower() for t in types]
            if any("macroenabled" in t or "vbaproject" in t for t in lowered):
                raise Refusal(*MACRO)
            for info in infos:
                if "/embeddings/" in f"/{info.filename.lower()}":
                    _embedded(zf, info, depth)
            found = {OOXML_MAIN[t] for t in types if t in OOXML_MAIN}
            if len(found) != 1:
                raise Refusal("mismatch", "的内容与扩展名不符，无法上传。")
            return found.pop()
        if any(name.lower() == "ofd.xml" for name in by_name):
            return "ofd"
    raise Refusal("mismatch", "的内容与扩展名不符，无法上传。")


def package_kind(stream: IO[bytes]) -> str:
    """docx, xlsx, pptx (by the main part in ``[Content_Types].xml``) or ofd (by its
    ``OFD.xml``); a plain ZIP is not accepted."""
    return _inspect_package(stream, 0)
