"""What happens to a cancelled matter's pending requests: nobody may decide them any more,
so they are closed with the cancellation on record."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone

from luoshi.followup.models import CompletionRequest, ExtensionRequest
from luoshi.followup.states import OPEN_EXTENSION_STATES, CompletionStatus, ExtensionStatus
from luoshi.ledger.models import Matter


def close_open_requests(actor: Any, matter: Matter, reason: str) -> None:
    note = f"事项已撤销：{reason}"[:1000]
    now = timezone.now()
    ExtensionRequest.objects.filter(
        assignment__matter=matter, status__in=OPEN_EXTENSION_STATES
    ).update(status=ExtensionStatus.WITHDRAWN, office_comment=note, version=F("version") + 1)
    CompletionRequest.objects.filter(
        assignment__matter=matter, status=CompletionStatus.PENDING
    ).update(
        status=CompletionStatus.RETURNED, verify_comment=note, verified_by=actor,
        verified_at=now, version=F("version") + 1,
    )  # fmt: skip
    # Urging notices about the matter can no longer be answered either.
    from luoshi.urging.models import UrgingNotice
    from luoshi.urging.states import AWAITING_REPLY, UrgingStatus

    UrgingNotice.objects.filter(matter=matter, status__in=AWAITING_REPLY).update(
        status=UrgingStatus.CANCELLED, cancel_reason=note, cancelled_by=actor, cancelled_at=now,
        version=F("version") + 1,
    )  # fmt: skip
