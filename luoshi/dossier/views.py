"""The 一事一档 download: parse, check, hand the ZIP over as a file."""

from __future__ import annotations

from typing import IO

from django.contrib.auth.decorators import login_required
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from luoshi.core import downloads
from luoshi.core.errors import NotPermitted
from luoshi.core.types import AuthedRequest
from luoshi.dossier import build, collect


def zip_response(handle: IO[bytes], name: str, fallback: str) -> HttpResponseBase:
    """The ZIP as an attachment; FileResponse closes (and so deletes) the temporary file
    once it is sent."""
    return downloads.file_response(
        handle, name, "application/zip", fallback=fallback, cache="private, no-store"
    )


@require_GET
@login_required
def matter_zip(request: AuthedRequest, pk: int) -> HttpResponseBase:
    try:
        matter = collect.matter_for_dossier(request.user, pk)
    except NotPermitted as exc:
        # The reason in words, not the generic 403 page: the unit may read its part.
        context = {"message": exc.message, "matter_pk": pk}
        return render(request, "dossier/refused.html", context, status=403)
    handle = build.build(matter, request.user)
    return zip_response(handle, build.zip_name(matter), f"dossier-{matter.pk}.zip")
