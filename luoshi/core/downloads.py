"""Everything a file download goes out with: a safe ``Content-Disposition``, ``nosniff``, and
for stored evidence the SHA-256 recorded at upload checked before a byte is sent."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import PurePath
from typing import IO, Any
from urllib.parse import quote

from django.http import FileResponse

from luoshi.core.hashing import copy_hashed

CHUNK = 1024 * 1024
# Files up to this size are verified in memory; larger ones spill to a temporary file.
SPOOL = 4 * 1024 * 1024
INLINE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf")
_UNSAFE_ASCII = re.compile(r'[\x00-\x1f\x7f"\\/;]')


def may_inline(content_type: str) -> bool:
    """Only images and PDF open in the browser; everything else is saved."""
    return content_type.split(";")[0].strip().lower() in INLINE_TYPES


def _clean(name: str) -> str:
    """No control or format characters, no path: what the user's disk will be given."""
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"})
    return name.replace("/", "_").replace("\\", "_").strip() or "download"


def ascii_fallback(name: str) -> str:
    """The plain ``filename=`` for clients that do not read ``filename*``: the ASCII part
    of the name (quotes, separators, CR/LF made harmless), or ``download`` plus the
    extension when nothing readable is left."""
    plain = _UNSAFE_ASCII.sub("_", name)
    plain = re.sub(r"[^\x20-\x7e]+", "_", plain).strip(" _.")
    suffix = PurePath(name).suffix
    if not plain or plain == suffix.lstrip("."):
        ascii_suffix = suffix if suffix.isascii() and not _UNSAFE_ASCII.search(suffix) else ""
        plain = f"download{ascii_suffix}"
    return plain


def content_disposition(name: str, inline: bool = False, fallback: str | None = None) -> str:
    """RFC 6266 with an RFC 5987 ``filename*`` (Chinese names survive) and an ASCII
    ``filename`` that cannot break out of its quotes or name a folder."""
    name = _clean(name)
    plain = ascii_fallback(name if name.isascii() or not fallback else fallback)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_response(
    handle: IO[bytes],
    name: str,
    content_type: str,
    *,
    inline: bool = False,
    fallback: str | None = None,
    cache: str = "private, no-cache",
) -> FileResponse:
    """A file sent as it is: never sniffed into something the browser would run."""
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(
        name, inline=inline and may_inline(content_type), fallback=fallback
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    return response


class FileIntegrityError(Exception):
    """The stored file is gone (``missing``) or is not what was uploaded (``mismatch``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def open_verified(stored: Any, sha256: str) -> IO[bytes]:
    """A copy of the stored file, rewound, whose SHA-256 matched ``sha256``.

    The file is read once: hashed while it is copied, so the bytes sent are exactly the
    bytes checked (a file changed in between cannot slip through), and memory stays bounded
    (the copy spills to disk past ``SPOOL``). A row without a recorded hash (none is
    created so) is passed through unchecked."""
    try:
        source = stored.open("rb")
    except (OSError, ValueError):
        raise FileIntegrityError("missing") from None
    copy = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115 - returned open
    try:
        with source:
            _, digest = copy_hashed(source, copy, CHUNK)
    except OSError:
        copy.close()
        raise FileIntegrityError("missing") from None
    if sha256 and digest != sha256.lower():
        copy.close()
        raise FileIntegrityError("mismatch")
    copy.seek(0)
    return copy
