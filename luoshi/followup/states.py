"""States of reports, extension requests and completion requests, and their transitions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    PENDING_LEAD = "pending_lead", _("待牵头单位汇总")
    CONSOLIDATED = "consolidated", _("已汇总")
    PENDING_HEAD = "pending_head", _("待单位负责人审核")
    PENDING_REVIEW = "pending_review", _("待督查室审核")
    RETURNED = "returned", _("被退回")
    ACCEPTED = "accepted", _("已采纳")


R = ReportStatus
REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    # A co-unit's part waits for the lead unit, which consolidates it or sends it back.
    R.PENDING_LEAD: frozenset({R.CONSOLIDATED, R.RETURNED}),
    R.CONSOLIDATED: frozenset(),
    R.PENDING_HEAD: frozenset({R.PENDING_REVIEW, R.RETURNED}),
    R.PENDING_REVIEW: frozenset({R.ACCEPTED, R.RETURNED}),
    # A returned report is corrected and submitted again (a new revision).
    R.RETURNED: frozenset({R.PENDING_HEAD, R.PENDING_REVIEW, R.PENDING_LEAD}),
    R.ACCEPTED: frozenset(),
}


class ExtensionStatus(models.TextChoices):
    PENDING_OFFICE = "pending_office", _("待督查室审核")
    PENDING_LEADER = "pending_leader", _("待领导审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")
    WITHDRAWN = "withdrawn", _("已撤回")


X = ExtensionStatus
EXTENSION_TRANSITIONS: dict[str, frozenset[str]] = {
    X.PENDING_OFFICE: frozenset({X.PENDING_LEADER, X.APPROVED, X.REJECTED, X.WITHDRAWN}),
    X.PENDING_LEADER: frozenset({X.APPROVED, X.REJECTED, X.WITHDRAWN}),
    X.APPROVED: frozenset(),
    X.REJECTED: frozenset(),
    X.WITHDRAWN: frozenset(),
}
OPEN_EXTENSION_STATES = frozenset({X.PENDING_OFFICE, X.PENDING_LEADER})


class CompletionStatus(models.TextChoices):
    PENDING = "pending", _("待核查")
    RETURNED = "returned", _("核查退回")
    ACCEPTED = "accepted", _("核查通过")


C = CompletionStatus
COMPLETION_TRANSITIONS: dict[str, frozenset[str]] = {
    C.PENDING: frozenset({C.ACCEPTED, C.RETURNED}),
    C.RETURNED: frozenset(),
    C.ACCEPTED: frozenset(),
}


class DeadlineCause(models.TextChoices):
    EXTENSION = "extension", _("批准延期")
    CONTINUE = "continue", _("续办")
    YEAR_REVIEW = "year_review", _("年终评估")
