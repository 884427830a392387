"""Evidence files: what may be uploaded, checked by extension, size and content signature.

The browser's content type is not trusted: the first bytes must match the extension
(a renamed executable is refused), and files are stored under random names.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from typing import Any

from django.conf import settings

from luoshi.core.errors import ServiceError
from luoshi.followup.models import Attachment

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.ppt (and WPS)
ZIP = b"PK\x03\x04"  # .docx/.xlsx/.pptx

# extension → (content type, accepted leading bytes)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".doc": ("application/msword", (OLE,)),
    ".xls": ("application/vnd.ms-excel", (OLE,)),
    ".ppt": ("application/vnd.ms-powerpoint", (OLE,)),
    ".wps": ("application/vnd.ms-works", (OLE,)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (ZIP,),
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (ZIP,),
    ),
    ".ofd": ("application/ofd", (ZIP,)),
}
ACCEPT = ",".join(sorted(ALLOWED))
ALLOWED_LABEL = "图片（jpg、png、gif、webp）、PDF、OFD、Word、Excel、PowerPoint、WPS"


def max_bytes() -> int:
    return int(settings.LUOSHI_UPLOAD_MAX_MB) * 1024 * 1024


def max_files() -> int:
    return int(settings.LUOSHI_UPLOAD_MAX_FILES)


def check_files(files: list[Any]) -> None:
    """Refuse the whole submission, naming the file, before anything is saved."""
    if len(files) > max_files():
        raise ServiceError(f"一次最多上传 {max_files()} 个文件。", field="files")
    for f in files:
        name = PurePath(f.name or "").name
        ext = PurePath(name).suffix.lower()
        if ext not in ALLOWED:
            raise ServiceError(
                f"“{name}”的类型不允许上传，只能上传{ALLOWED_LABEL}。", field="files"
            )
        if f.size == 0:
            raise ServiceError(f"“{name}”是空文件。", field="files")
        if f.size > max_bytes():
            raise ServiceError(
                f"“{name}”超过 {settings.LUOSHI_UPLOAD_MAX_MB} MB，请压缩后再上传。",
                field="files",
            )
        f.seek(0)
        head = f.read(16)
        f.seek(0)
        if not any(head.startswith(sig) for sig in ALLOWED[ext][1]):
            raise ServiceError(f"“{name}”的内容与扩展名不符，无法上传。", field="files")


def save_files(files: list[Any], assignment: Any, actor: Any, **owner: Any) -> list[Attachment]:
    """Store already-checked files for ``assignment``; ``owner`` is revision= or completion=."""
    saved = []
    for f in files:
        name = PurePath(f.name or "").name[:255]
        digest = hashlib.sha256()
        for chunk in f.chunks():
            digest.update(chunk)
        f.seek(0)
        att = Attachment(
            assignment=assignment, name=name, size=f.size,
            content_type=ALLOWED[PurePath(name).suffix.lower()][0],
            sha256=digest.hexdigest(), uploaded_by=actor, **owner,
        )  # fmt: skip
        att.file.save(name, f, save=False)
        att.save()
        saved.append(att)
    return saved
