"""Evidence downloads: only for users who can see the file's task (a co-unit only its own
parts' files), under the original name, never sniffed into something the browser runs."""

from __future__ import annotations

from pathlib import PurePath
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from luoshi.core.types import AuthedRequest
from luoshi.followup import selectors


def disposition(kind: str, name: str, fallback: str) -> str:
    """RFC 6266 with an RFC 5987 ``filename*`` for Chinese names, and a plain ASCII name
    for clients that do not read it."""
    plain = (
        name.replace("\\", "_").replace('"', "_")
        if name.isascii() and name.isprintable()
        else fallback
    )
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


@require_GET
@login_required
def evidence_file(request: AuthedRequest, pk: int) -> FileResponse:
    att = selectors.attachment_get_for_user(request.user, pk)
    try:
        handle = att.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("文件不存在") from None
    inline = att.is_image and request.GET.get("download") != "1"
    response = FileResponse(handle, content_type=att.content_type)
    suffix = PurePath(att.name).suffix.lower()
    response["Content-Disposition"] = disposition(
        "inline" if inline else "attachment", att.name, f"evidence-{att.pk}{suffix}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response
