"""Evidence files: what may be uploaded (checked by content in ``luoshi.core.uploads``), and
how they are stored: under random names, with the SHA-256 checked again on every download.

The services call these inside their transaction, so a refusal is audited by whoever turns
it into a response (``views_common.run_form`` and the API's exception handler)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings

from luoshi.core import uploads
from luoshi.core.errors import ServiceError
from luoshi.followup.models import Attachment

EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".pdf", ".ofd", ".doc",
                        ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps"})  # fmt: skip
ACCEPT = ",".join(sorted(EXTENSIONS))
ALLOWED_LABEL = "图片（jpg、png、gif、webp）、PDF、OFD、Word、Excel、PowerPoint、WPS"


def max_bytes() -> int:
    return int(settings.LUOSHI_UPLOAD_MAX_MB) * 1024 * 1024


def max_files() -> int:
    return int(settings.LUOSHI_UPLOAD_MAX_FILES)


def policy() -> uploads.Policy:
    return uploads.Policy(EXTENSIONS, max_bytes(), ALLOWED_LABEL, field="files")


def check_files(files: list[Any]) -> list[uploads.Checked]:
    """Refuse the whole submission, naming the file, before anything is saved."""
    if len(files) > max_files():
        raise ServiceError(f"一次最多上传 {max_files()} 个文件。", field="files")
    rules = policy()
    return [uploads.check(f, rules) for f in files]


def save_files(files: list[Any], assignment: Any, actor: Any, **owner: Any) -> list[Attachment]:
    """Store files for ``assignment``; ``owner`` is revision= or completion=. Each is
    checked again here, so no caller can store a file that skipped the check."""
    saved = []
    for f, checked in zip(files, check_files(files), strict=True):
        digest = hashlib.sha256()
        for chunk in f.chunks():
            digest.update(chunk)
        f.seek(0)
        att = Attachment(
            assignment=assignment, name=checked.name, size=f.size,
            content_type=checked.content_type, sha256=digest.hexdigest(), uploaded_by=actor,
            **owner,
        )  # fmt: skip
        # The stored name is random (models._upload_to); only the extension is taken over.
        att.file.save(f"upload{checked.extension}", f, save=False)
        att.save()
        saved.append(att)
    return saved
