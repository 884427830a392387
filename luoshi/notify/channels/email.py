"""E-mail through Django's configured backend (SMTP, or the log when no host is set)."""

from __future__ import annotations

import smtplib
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage

from luoshi.notify.channels import Result
from luoshi.notify.links import absolute
from luoshi.notify.models import Outbox


def send(row: Outbox) -> Result:
    if row.user is None or not row.user.email:
        return Result(ok=False, error="收件人没有电子邮箱。", permanent=True)
    body = row.body
    if row.link:
        body += f"\n\n查看：{absolute(row.link)}"
    body += "\n\n—— 落实 督查督办平台（系统邮件，请勿直接回复）"
    message = EmailMessage(
        subject=f"【督查督办】{row.subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.user.email],
        # The key makes the Message-ID stable: a resend after a crash is the same message.
        headers={"Message-ID": make_msgid(idstring=f"luoshi-{row.pk}"), "X-Luoshi-Key": row.key},
    )
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as exc:
        return Result(ok=False, error=f"邮件发送失败：{exc}")
    return Result(ok=True, detail=f"已发往 {row.user.email}")
