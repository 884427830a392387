"""The only code that changes a person's messages and channel choices: marking read and
saving the preferences. Each works on the user's own rows only."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from luoshi.notify import selectors
from luoshi.notify.models import Notification, NotificationPreference


def notification_mark_read(user: Any, pk: int) -> Notification:
    """Mark one of the user's messages read (404 for anyone else's); read stays read."""
    note = selectors.notification_get_for_user(user, pk)
    if note.read_at is None:
        now = timezone.now()
        # Conditional: a second tab marking it too keeps the first reading time.
        if Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=now):
            note.read_at = now
        else:
            note.refresh_from_db(fields=["read_at"])
    return note


def notifications_mark_all_read(user: Any) -> int:
    """Mark every unread message of the user read; returns how many were unread."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preference_set(user: Any, *, email: bool, sms: bool) -> NotificationPreference:
    """Save which channels the person wants besides the in-app bell (always on).

    A channel without an address on the account is saved as chosen but sends nothing
    (``outbox.channels_for``) until an administrator records the address.
    """
    pref, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email": bool(email), "sms": bool(sms)}
    )
    return pref
