"""The one check every uploaded file passes (evidence, 责任分解表, unit/user import).

The type is decided by the content (``filetypes.sniff``) and the name's extension must agree;
what the browser says the type is never counts. Size, emptiness, macros, encryption and
archives that expand too far are refused with a Chinese message naming the file, and each
refusal is written to the audit log where it is turned into a response (outside the
service's transaction, which rolls back)."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from luoshi.audit.events import Event
from luoshi.audit.services import audit
from luoshi.core import filetypes
from luoshi.core.errors import ServiceError

NAME_MAX = 120
IMPORT_MAX_MB = 10
# Control, format (bidi overrides such as U+202E), private-use and separator characters: a
# name must read on screen as it is stored.
_HIDDEN = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}


@dataclass(frozen=True)
class Policy:
    """What one kind of upload accepts."""

    extensions: frozenset[str]
    max_bytes: int
    label: str  # the accepted types in words, for the refusal
    field: str = "file"


@dataclass(frozen=True)
class Checked:
    name: str  # cleaned for display
    extension: str
    content_type: str  # from the sniffed type, never from the browser
    kind: str


class UploadRejected(ServiceError):
    """A refused file; ``reason`` is the audit log's code for why."""

    def __init__(self, name: str, reason: str, message: str, *, field: str | None) -> None:
        super().__init__(message, field=field)
        self.name, self.reason, self.audited = name, reason, False


IMPORT_XLSX = Policy(
    frozenset({".xlsx"}), IMPORT_MAX_MB * 1024 * 1024, " .xlsx 格式的 Excel 工作簿"
)


def clean_name(raw: str | None, limit: int = NAME_MAX) -> str:
    """The name as shown and offered back on download: no folders, no hidden characters,
    no trailing dots or spaces (which Windows drops), at most ``limit`` characters with the
    extension kept."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _HIDDEN)
    name = name.strip().rstrip(". ").strip()
    if not name or name.startswith("."):
        name = "未命名文件" + name
    if len(name) > limit:
        suffix = PurePath(name).suffix
        suffix = suffix if len(suffix) <= 16 else ""
        name = name[: limit - len(suffix)].rstrip(". ") + suffix
    return name


def _refuse(name: str, reason: str, text: str, policy: Policy) -> UploadRejected:
    return UploadRejected(name, reason, f"“{name}”{text}", field=policy.field)


def check(upload: Any, policy: Policy, *, request: Any = None, actor: Any = None) -> Checked:
    """Check one uploaded file (a Django ``UploadedFile`` or any named, seekable binary
    file with ``size``); raise UploadRejected, audited when ``request`` or ``actor`` is
    given (callers inside a transaction pass neither and audit when they answer)."""
    try:
        return _check(upload, policy)
    except UploadRejected as exc:
        if request is not None or actor is not None:
            audit_rejection(exc, request=request, actor=actor)
        raise


def check_bytes(data: bytes, filename: str, policy: Policy, **who: Any) -> Checked:
    stream = io.BytesIO(data)
    stream.name = filename
    stream.size = len(data)  # type: ignore[attr-defined]
    return check(stream, policy, **who)


def _check(upload: Any, policy: Policy) -> Checked:
    name = clean_name(getattr(upload, "name", ""))
    ext = PurePath(name).suffix.lower()
    if ext not in policy.extensions:
        text = f"的类型不允许上传，只能上传{policy.label}。"
        raise _refuse(name, "type_not_allowed", text, policy)
    size = int(getattr(upload, "size", 0) or 0)
    if size == 0:
        raise _refuse(name, "empty", "是空文件。", policy)
    if size > policy.max_bytes:
        mb = policy.max_bytes // (1024 * 1024)
        raise _refuse(name, "too_large", f"超过 {mb} MB，请压缩后再上传。", policy)
    stream: IO[bytes] = upload
    try:
        kind = filetypes.sniff(stream)
    except filetypes.Refusal as exc:
        raise _refuse(name, exc.reason, exc.text, policy) from None
    finally:
        stream.seek(0)
    if ext not in kind.content_types:
        raise _refuse(name, "mismatch", "的内容与扩展名不符，无法上传。", policy)
    return Checked(name=name, extension=ext, content_type=kind.content_types[ext], kind=kind.key)


def audit_rejection(exc: Exception, *, request: Any = None, actor: Any = None) -> None:
    """Write the refusal to the audit log once; anything but UploadRejected is ignored, so
    a view may pass every ServiceError it catches."""
    if not isinstance(exc, UploadRejected) or exc.audited:
        return
    exc.audited = True
    audit(
        Event.FILE_REJECTED, request=request, actor=actor, object_type="upload",
        object_repr=exc.name, success=False, detail=f"{exc.reason}：{exc.message}",
    )  # fmt: skip
