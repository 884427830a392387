"""The only code that writes audit records, and the retention purge.

Records are appended through the chain head row, which is locked for the append, so the
chain stays a single line under concurrent writers on both databases.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from luoshi.audit import chain, context
from luoshi.audit.events import Event
from luoshi.audit.models import AuditHead, AuditRecord
from luoshi.core.client import client_ip
from luoshi.core.errors import ServiceError

# The law (网络安全法 art. 21) asks for at least six months of logs.
MIN_RETENTION_DAYS = 180
SECRET_KEYS = ("password", "secret", "token", "code", "csrf", "key", "otp")


def _plain(value: Any) -> Any:
    """JSON-safe, and identical after a round trip through the database's JSON column."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def redact(data: dict[str, Any] | None) -> dict[str, Any] | None:
    if data is None:
        return None
    out: dict[str, Any] = {}
    for key, value in data.items():
        lowered = str(key).lower()
        if any(word in lowered for word in SECRET_KEYS):
            out[key] = "***"
        elif isinstance(value, dict):
            out[key] = redact(value)
        else:
            out[key] = value
    return out


def _who(user: Any) -> dict[str, Any]:
    if user is None or not getattr(user, "is_authenticated", False):
        return {"user_id": None, "username": "", "user_name": "", "unit_name": "", "roles": ""}
    from luoshi.accounts import access

    unit = getattr(user, "unit", None)
    return {
        "user_id": user.pk,
        "username": user.get_username(),
        "user_name": getattr(user, "name", "")[:50],
        "unit_name": (getattr(unit, "name", "") or "")[:200],
        "roles": ",".join(sorted(access.roles_of(user)))[:200],
    }


def audit(
    event: str,
    *,
    request: Any = None,
    actor: Any = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    success: bool = True,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: str = "",
    status_code: int | None = None,
) -> AuditRecord | None:
    """Append one record. ``actor`` defaults to the request's user; without either, the
    record is the system's (a loop or a management command).

    A failure recorded inside a transaction of a request (a refused login, a locked
    account, a rejected file) is held until the request ends: the transaction is likely to
    roll back, and the record of the refusal must not go with it. Returns None then.
    """
    state = context.for_request(request)
    if request is None and state is not None:
        request = state.request
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    fields: dict[str, Any] = {
        **_who(actor),
        "address": client_ip(request) if request is not None else "",
        "request_id": state.request_id if state is not None else "",
        "method": (getattr(request, "method", "") or "")[:10],
        "path": (getattr(request, "path", "") or "")[:500],
        "event": event,
        "object_type": object_type[:100],
        "object_id": str(object_id)[:64],
        "object_repr": object_repr[:300],
        "success": bool(success),
        "status_code": status_code,
        "before": _plain(redact(before)),
        "after": _plain(redact(after)),
        "detail": detail,
    }
    if state is not None and not success and connection.in_atomic_block:
        state.deferred.append({**fields, "at": timezone.now()})
        return None
    return _append(fields)


def flush_deferred(state: context.RequestAudit) -> None:
    """Write the failures held back during the request, once its transactions are over."""
    pending, state.deferred = state.deferred, []
    for fields in pending:
        _append(fields)


def _append(fields: dict[str, Any]) -> AuditRecord:
    with transaction.atomic():
        # The UPDATE takes the row (and on SQLite the database) lock before anything is
        # read, so no other writer can chain to the same predecessor.
        if not AuditHead.objects.filter(pk=1).update(seq=F("seq")):
            AuditHead.objects.get_or_create(pk=1, defaults={"last_hash": chain.GENESIS})
        head = AuditHead.objects.select_for_update().get(pk=1)
        fields = {**fields, "seq": head.seq + 1, "at": fields.get("at") or timezone.now()}
        record_hash = chain.digest(head.last_hash, fields)
        record = AuditRecord.objects.create(**fields, prev_hash=head.last_hash, hash=record_hash)
        AuditHead.objects.filter(pk=1).update(seq=record.seq, last_hash=record_hash)
    return record


def retention_days() -> int:
    return max(int(getattr(settings, "LUOSHI_AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS)),
               MIN_RETENTION_DAYS)  # fmt: skip


def purge(days: int | None = None) -> int:
    """Remove records older than the retention period (never fewer than 180 days), oldest
    first, and record the purge with the last removed hash so the chain can be checked."""
    keep = retention_days() if days is None else days
    if keep < MIN_RETENTION_DAYS:
        raise ServiceError(f"审计记录至少保存 {MIN_RETENTION_DAYS} 天，不能清理更近的记录。")
    cutoff = timezone.now() - timedelta(days=keep)
    with transaction.atomic():
        AuditHead.objects.filter(pk=1).update(seq=F("seq"))
        old = AuditRecord.objects.filter(at__lt=cutoff).order_by("-seq").first()
        if old is None:
            return 0
        # Only a prefix of the chain goes, so what remains is still one unbroken line.
        removed, _ = AuditRecord.objects.filter(seq__lte=old.seq).delete()
        audit(
            Event.AUDIT_PURGE,
            detail=f"清理 {cutoff:%Y-%m-%d} 之前的审计记录 {removed} 条",
            after={"through_seq": old.seq, "last_hash": old.hash, "removed": removed,
                   "retention_days": keep},
        )  # fmt: skip
    return removed


def anchors() -> dict[int, str]:
    found: dict[int, str] = {}
    for after in AuditRecord.objects.filter(event=Event.AUDIT_PURGE).values_list(
        "after", flat=True
    ):
        if isinstance(after, dict) and "through_seq" in after:
            found[int(after["through_seq"])] = str(after.get("last_hash", ""))
    return found


def verify_chain() -> tuple[int, chain.Break | None]:
    """Check every record, and that the newest one is the head the writers last saw."""
    records = AuditRecord.objects.order_by("seq").iterator(chunk_size=2000)
    checked, broken = chain.verify(records, anchors())
    if broken is not None:
        return checked, broken
    head = AuditHead.objects.filter(pk=1).first()
    last = AuditRecord.objects.order_by("-seq").first()
    if head is None or not head.seq:
        return checked, None
    if last is None or last.seq != head.seq or last.hash != head.last_hash:
        seq = (last.seq + 1) if last is not None else head.seq
        return checked, chain.Break(seq, f"最新的记录应为第 {head.seq} 条，已缺失（被删除）。")
    return checked, None
