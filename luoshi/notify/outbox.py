"""The outbox: queue messages in the cause's transaction, deliver them from a loop.

Queueing (``enqueue``, ``notify_user``, ``notify_robots``) only inserts rows, so it belongs
inside the service's ``transaction.atomic()``: a rolled-back change sends nothing. In-app
messages are delivered in the same insert (the bell is the database).

Delivery (``deliver_due``) claims due rows with a conditional update (PostgreSQL first
locks them with ``SELECT … FOR UPDATE SKIP LOCKED`` so runners do not queue behind each
other), sends each one, records the attempt, and retries with backoff. A claim older than
the lease belongs to a runner that crashed between claim and send: the row is taken again.
Before each send the runner renews its claim; if another runner has taken the row, it
skips it. Gateways receive the row's key as an idempotency id.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from luoshi.notify import quiet
from luoshi.notify.channels.config import sms_gateway
from luoshi.notify.models import (
    QUIET_CHANNELS,
    Channel,
    ChannelConfig,
    DeliveryAttempt,
    Notification,
    NotificationPreference,
    Outbox,
    OutboxStatus,
)
from luoshi.notify.rows import insert

log = logging.getLogger(__name__)
S = OutboxStatus
# Minutes to wait after the 1st, 2nd, 3rd … failed attempt.
BACKOFF_MINUTES = (1, 5, 30, 120, 360)
INAPP_DONE = "站内消息已写入"
CHUNK = 500  # keys per statement, well under SQLite's limit on parameters


def _insert(row: Outbox) -> bool:
    """Insert unless a row with the same key exists; True when this call inserted it."""
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return False
    return True


@dataclass
class Message:
    """One message for ``enqueue_many``: the arguments of ``enqueue``."""

    key: str
    channel: str
    kind: str
    subject: str
    body: str
    link: str = ""
    user: Any = None
    robot: ChannelConfig | None = None
    items: list[dict[str, str]] = field(default_factory=list)


def _columns(m: Message, now: datetime, opening: datetime | None = None) -> dict[str, Any]:
    """An outbox row's values but its recipient; ``opening`` is ``quiet.next_open(now)``
    when known."""
    if m.channel in QUIET_CHANNELS:
        not_before = opening if opening is not None else quiet.next_open(now)
    else:
        not_before = now
    values = {"key": m.key[:255], "channel": m.channel, "kind": m.kind,
              "subject": m.subject[:200], "body": m.body, "link": m.link,
              "not_before": not_before}  # fmt: skip
    if m.channel == Channel.INAPP:
        # The bell is the database: an in-app message is delivered by being written.
        values.update(status=S.SENT, sent_at=now, attempts=1)
    return values


def _row(m: Message, now: datetime) -> Outbox:
    return Outbox(user=m.user, robot=m.robot, **_columns(m, now))


def _notification(outbox_id: int, m: Message) -> dict[str, Any]:
    return {"user_id": m.user.pk, "outbox_id": outbox_id, "kind": m.kind,
            "title": m.subject[:200], "body": m.body, "link": m.link, "items": m.items}  # fmt: skip


def enqueue(
    *,
    key: str,
    channel: str,
    kind: str,
    subject: str,
    body: str,
    link: str = "",
    user: Any = None,
    robot: ChannelConfig | None = None,
    items: list[dict[str, str]] | None = None,
    now: datetime | None = None,
) -> Outbox | None:
    """Queue one message; None when the same key was queued before (never twice)."""
    m = Message(key, channel, kind, subject, body, link, user, robot, items or [])
    row = _row(m, now or timezone.now())
    if not _insert(row):
        return None
    if channel == Channel.INAPP:
        Notification.objects.create(**_notification(row.pk, m))
        DeliveryAttempt.objects.create(outbox=row, ok=True, detail=INAPP_DONE)
    return row


def enqueue_many(messages: list[Message], now: datetime | None = None) -> int:
    """``enqueue`` for many messages in a few statements (the daily digests); a key queued
    before is skipped. Returns how many rows were new when looked at."""
    now = now or timezone.now()
    opening = quiet.next_open(now)
    by_key = {m.key[:255]: m for m in messages}
    queued = 0
    keys = list(by_key)
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        before = set(Outbox.objects.filter(key__in=chunk).values_list("key", flat=True))
        fresh = [by_key[k] for k in chunk if k not in before]
        insert(Outbox, ({**_columns(m, now, opening), "user_id": _pk(m.user),
                         "robot_id": _pk(m.robot)} for m in fresh),
               ignore_conflicts=True)  # fmt: skip
        # Rows a concurrent transaction queued first are skipped by the unique key; their
        # in-app message comes with them, so only rows still without one are ours to write.
        inapp = Outbox.objects.filter(
            key__in=[m.key[:255] for m in fresh if m.channel == Channel.INAPP],
            notification__isnull=True,
        ).values_list("pk", "key")
        notes, attempts = [], []
        for pk, key in inapp:
            notes.append(_notification(pk, by_key[key]))
            attempts.append({"outbox_id": pk, "ok": True, "detail": INAPP_DONE})
        insert(Notification, notes)
        insert(DeliveryAttempt, attempts)
        queued += len(fresh)
    return queued


def _pk(obj: Any) -> Any:
    return obj.pk if obj is not None else None


def _channels(user: Any, pref: NotificationPreference | None, sms_ready: bool) -> list[str]:
    wanted = [Channel.INAPP.value]
    if user.email and (pref is None or pref.email):
        wanted.append(Channel.EMAIL.value)
    # Without a gateway an SMS could only fail: it is not queued at all.
    if user.phone and (pref is None or pref.sms) and sms_ready:
        wanted.append(Channel.SMS.value)
    return wanted


def channels_for(user: Any) -> list[str]:
    """The in-app bell always; e-mail and SMS when the person has an address and wants them
    (and, for SMS, a gateway is configured)."""
    return channel_plans([user])[user.pk]


def channel_plans(users: Iterable[Any]) -> dict[int, list[str]]:
    """``channels_for`` of many people with two queries (for the daily digests)."""
    people = {u.pk: u for u in users}
    prefs = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=people)}
    sms_ready = sms_gateway() is not None
    return {pk: _channels(u, prefs.get(pk), sms_ready) for pk, u in people.items()}


def notify_user(
    user: Any,
    *,
    key: str,
    kind: str,
    subject: str,
    body: str,
    link: str = "",
    items: list[dict[str, str]] | None = None,
    now: datetime | None = None,
) -> int:
    """Queue a message to one person on each channel they use; returns rows queued."""
    if not user.is_active:
        return 0
    queued = 0
    for channel in channels_for(user):
        row = enqueue(
            key=f"{key}:{channel}", channel=channel, kind=kind, subject=subject, body=body,
            link=link, user=user, items=items, now=now,
        )  # fmt: skip
        queued += row is not None
    return queued


def notify_users(users: Iterable[Any], *, key: str, **message: Any) -> int:
    """``notify_user`` for each distinct person; ``key`` is made per person."""
    seen: set[int] = set()
    queued = 0
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        queued += notify_user(user, key=f"{key}:u{user.pk}", **message)
    return queued


def robots_for(unit: Any) -> list[ChannelConfig]:
    return list(
        ChannelConfig.objects.filter(
            unit=unit, enabled=True, kind__in=[Channel.WECOM, Channel.DINGTALK]
        )
    )


def notify_robots(unit: Any, *, key: str, kind: str, subject: str, body: str, link: str = "",
                  now: datetime | None = None) -> int:  # fmt: skip
    """Queue a message to each enabled group robot of ``unit``'s work group."""
    queued = 0
    for robot in robots_for(unit):
        row = enqueue(
            key=f"{key}:r{robot.pk}", channel=robot.kind, kind=kind, subject=subject, body=body,
            link=link, robot=robot, now=now,
        )  # fmt: skip
        queued += row is not None
    return queued


# --- delivery -------------------------------------------------------------------------


def _due(now: datetime) -> Q:
    lease = timedelta(seconds=settings.LUOSHI_OUTBOX_LEASE_SECONDS)
    return Q(status=S.PENDING, not_before__lte=now) | Q(
        status=S.SENDING, claimed_at__lt=now - lease
    )


def claim_due(
    limit: int = 20, now: datetime | None = None, token: str | None = None
) -> list[Outbox]:
    """Claim up to ``limit`` due rows for this runner; each row is won by one runner only."""
    now = now or timezone.now()
    token = token or uuid.uuid4().hex
    due = (
        Outbox.objects.filter(_due(now)).exclude(channel=Channel.INAPP).order_by("not_before", "id")
    )
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
        else:
            ids = list(due.values_list("pk", flat=True)[:limit])
        # The conditional update is the claim: a row another runner took meanwhile no longer
        # matches ``_due`` and is not updated.
        Outbox.objects.filter(_due(now), pk__in=ids).update(
            status=S.SENDING, claim_token=token, claimed_at=now
        )
    return list(
        Outbox.objects.filter(claim_token=token, status=S.SENDING).select_related("user", "robot")
    )


def _renew(row: Outbox, token: str, now: datetime) -> bool:
    return (
        Outbox.objects.filter(pk=row.pk, claim_token=token, status=S.SENDING).update(claimed_at=now)
        == 1
    )


def deliver_one(row: Outbox, token: str, runner: str = "") -> bool | None:
    """Send one claimed row; True sent, False failed this time, None skipped."""
    from luoshi.notify import channels

    now = timezone.now()
    if row.channel in QUIET_CHANNELS:
        opening = quiet.next_open(now)
        if opening != now:
            # Claimed outside working hours (a retry, or the calendar learned of a holiday):
            # hand it back until the next opening without counting an attempt.
            Outbox.objects.filter(pk=row.pk, claim_token=token).update(
                status=S.PENDING, not_before=opening, claim_token="", claimed_at=None
            )
            return None
    if not _renew(row, token, now):
        return None
    started = time.monotonic()
    try:
        result = channels.send(row)
    except Exception as exc:  # a channel bug must not stop the other messages
        log.exception("消息 %s 发送异常", row.pk)
        result = channels.Result(ok=False, error=f"{type(exc).__name__}: {exc}")
    elapsed = int((time.monotonic() - started) * 1000)
    attempts = row.attempts + 1
    DeliveryAttempt.objects.create(
        outbox=row, ok=result.ok, detail=result.detail[:255], error=result.error,
        duration_ms=elapsed, runner=runner[:64],
    )  # fmt: skip
    mine = Outbox.objects.filter(pk=row.pk, claim_token=token)
    if result.ok:
        mine.update(status=S.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1,
                    last_error="", claim_token="")  # fmt: skip
        return True
    if result.permanent or attempts >= settings.LUOSHI_OUTBOX_MAX_ATTEMPTS:
        mine.update(status=S.FAILED, attempts=F("attempts") + 1, last_error=result.error,
                    claim_token="")  # fmt: skip
        log.warning("消息 %s 发送失败（已尝试 %s 次）：%s", row.pk, attempts, result.error)
        return False
    wait = BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1]
    mine.update(status=S.PENDING, attempts=F("attempts") + 1, last_error=result.error,
                not_before=timezone.now() + timedelta(minutes=wait), claim_token="",
                claimed_at=None)  # fmt: skip
    return False


def deliver_due(limit: int = 20, runner: str = "") -> dict[str, int]:
    """Claim and send due messages until none is left or ``limit`` batches were sent."""
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    for _ in range(50):
        token = uuid.uuid4().hex
        rows = claim_due(limit, token=token)
        if not rows:
            break
        for row in rows:
            outcome = deliver_one(row, token, runner)
            counts["sent" if outcome else "skipped" if outcome is None else "failed"] += 1
    return counts


def deliver_loop() -> str:
    counts = deliver_due(runner="runloops")
    return f"发送 {counts['sent']} 条，失败 {counts['failed']} 条，顺延 {counts['skipped']} 条"


def retry(row: Outbox) -> bool:
    """An administrator sends a failed message again."""
    return (
        Outbox.objects.filter(pk=row.pk, status=S.FAILED).update(
            status=S.PENDING, attempts=0, not_before=timezone.now(), last_error=""
        )
        == 1
    )
