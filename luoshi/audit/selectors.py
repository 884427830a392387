"""Reading the audit log: the auditor's filters, newest first, by ``seq`` pages."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from luoshi.audit.models import AuditRecord

PAGE_SIZE = 50


def _local_midnight(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered(data: dict[str, Any]) -> QuerySet[AuditRecord]:
    qs = AuditRecord.objects.all()
    if q := (data.get("q") or "").strip():
        qs = qs.filter(Q(username__icontains=q) | Q(user_name__icontains=q))
    if event := data.get("event"):
        qs = qs.filter(event=event)
    if outcome := data.get("outcome"):
        qs = qs.filter(success=outcome == "ok")
    if start := data.get("date_from"):
        qs = qs.filter(at__gte=_local_midnight(start))
    if end := data.get("date_to"):
        qs = qs.filter(at__lt=_local_midnight(end + timedelta(days=1)))
    if address := (data.get("address") or "").strip():
        qs = qs.filter(address__startswith=address)
    if request_id := (data.get("request_id") or "").strip():
        qs = qs.filter(request_id=request_id)
    if target := (data.get("target") or "").strip():
        qs = qs.filter(
            Q(object_type__icontains=target)
            | Q(object_id=target)
            | Q(object_repr__icontains=target)
            | Q(path__icontains=target)
        )
    return qs.order_by("-seq")


def page_before(
    qs: QuerySet[AuditRecord], before: int | None
) -> tuple[list[AuditRecord], int | None]:
    """One page of records older than ``before`` (keyset: no count over a long log)."""
    if before is not None:
        qs = qs.filter(seq__lt=before)
    rows = list(qs[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, (rows[-1].seq if more and rows else None)
