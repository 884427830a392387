"""Workflow as data for 催办单 and 督办通知: their kinds, states and allowed transitions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UrgingKind(models.TextChoices):
    URGE = "urge", _("催办单")
    NOTICE = "notice", _("督办通知")


# The number of each kind, per office and year (``ledger.services.next_number``).
NUMBER_PATTERNS = {
    UrgingKind.URGE: "催办〔{year}〕第{seq}号",
    UrgingKind.NOTICE: "督办〔{year}〕第{seq}号",
}


class UrgingStatus(models.TextChoices):
    ISSUED = "issued", _("待回复")
    REPLIED = "replied", _("已回复")
    ACCEPTED = "accepted", _("已办结")
    RETURNED = "returned", _("被退回")
    CANCELLED = "cancelled", _("已撤回")


U = UrgingStatus
URGING_TRANSITIONS: dict[str, frozenset[str]] = {
    # The unit replies; the office withdraws a notice sent by mistake (with a reason).
    U.ISSUED: frozenset({U.REPLIED, U.CANCELLED}),
    # The office accepts the reply or returns it for a better one.
    U.REPLIED: frozenset({U.ACCEPTED, U.RETURNED}),
    U.RETURNED: frozenset({U.REPLIED, U.CANCELLED}),
    U.ACCEPTED: frozenset(),
    U.CANCELLED: frozenset(),
}
# Waiting for the unit: past ``reply_due`` these are 逾期未回复.
AWAITING_REPLY = frozenset({U.ISSUED, U.RETURNED})
# Replied and not sent back: counted as replies (on time or late).
REPLIED_STATES = frozenset({U.REPLIED, U.ACCEPTED})
