"""Evidence downloads: only for users who can see the file's task (a co-unit only its own
parts' files), under the original name, never sniffed into something the browser runs, and
only when the stored bytes still have the SHA-256 recorded at upload."""

from __future__ import annotations

from pathlib import PurePath
from typing import IO

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from luoshi.audit.events import Event
from luoshi.audit.services import audit
from luoshi.core import downloads
from luoshi.core.types import AuthedRequest
from luoshi.followup import selectors
from luoshi.followup.models import Attachment

# The stored file conflicts with its record; retrying will not help, restoring will.
INTEGRITY_STATUS = 409
REFUSALS = {
    "missing": "文件“{name}”在存储中找不到，无法下载。",
    "mismatch": "文件“{name}”与上传时记录的校验值（SHA-256）不一致，可能已被篡改或损坏，无法下载。",
}


def integrity_message(att: Attachment, reason: str) -> str:
    return REFUSALS[reason].format(name=att.name)


def open_or_refuse(request: object, att: Attachment) -> IO[bytes] | str:
    """The verified file, or the Chinese refusal (already written to the audit log)."""
    try:
        return downloads.open_verified(att.file, att.sha256)
    except downloads.FileIntegrityError as exc:
        message = integrity_message(att, exc.reason)
        audit(Event.FILE_INTEGRITY, request=request, obj=att, success=False,
              detail=f"{exc.reason}：{message}")  # fmt: skip
        return message


def attachment_response(handle: IO[bytes], att: Attachment, *, inline: bool) -> HttpResponseBase:
    suffix = PurePath(att.name).suffix.lower()
    fallback = f"evidence-{att.pk}{suffix if suffix.isascii() else ''}"
    return downloads.file_response(
        handle, att.name, att.content_type, inline=inline, fallback=fallback
    )


@require_GET
@login_required
def evidence_file(request: AuthedRequest, pk: int) -> HttpResponse | HttpResponseBase:
    att = selectors.attachment_get_for_user(request.user, pk)
    opened = open_or_refuse(request, att)
    if isinstance(opened, str):
        context = {"message": opened, "assignment_pk": att.assignment_id}
        return render(request, "core/file_refused.html", context, status=INTEGRITY_STATUS)
    inline = att.is_image and request.GET.get("download") != "1"
    return attachment_response(opened, att, inline=inline)
