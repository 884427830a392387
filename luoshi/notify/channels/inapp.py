"""In-app messages are written when queued (see ``outbox.enqueue``); nothing to send."""

from __future__ import annotations

from luoshi.notify.channels import Result
from luoshi.notify.models import Notification, Outbox


def send(row: Outbox) -> Result:
    if row.user is None:
        return Result(ok=False, error="站内消息没有收件人。", permanent=True)
    if Notification.objects.filter(outbox=row).exists():
        return Result(ok=True, detail="站内消息已写入")
    Notification.objects.create(
        user=row.user, outbox=row, kind=row.kind, title=row.subject, body=row.body, link=row.link
    )
    return Result(ok=True, detail="站内消息已写入")
