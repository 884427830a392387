"""Kinds and states of official documents (督查公文) and the transitions allowed between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.urging.states import NUMBER_PATTERNS as URGING_PATTERNS
from luoshi.urging.states import UrgingKind


class DocKind(models.TextChoices):
    CIRCULAR = "circular", _("督查通报")
    BRIEF = "brief", _("督查专报")
    NOTICE = "notice", _("督办通知")


# The sequence each kind draws from (``ledger.services.next_number``) and how its number
# reads. 督办通知 shares the urging app's sequence and format: one office never issues two
# different 督办通知 with the same number, whichever page wrote them.
NUMBER_KEYS = {
    DocKind.CIRCULAR: "doc_circular",
    DocKind.BRIEF: "doc_brief",
    DocKind.NOTICE: str(UrgingKind.NOTICE.value),
}
NUMBER_PATTERNS = {
    DocKind.CIRCULAR: "〔{year}〕第{seq}期",
    DocKind.BRIEF: "〔{year}〕第{seq}期",
    DocKind.NOTICE: URGING_PATTERNS[UrgingKind.NOTICE],
}
DEFAULT_COPIES = {DocKind.CIRCULAR: "市纪委监委、市考核办、市新闻办"}


class DocStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已签发")
    PUBLISHED = "published", _("已公开")
    CANCELLED = "cancelled", _("已作废")


D = DocStatus
DOC_TRANSITIONS: dict[str, frozenset[str]] = {
    D.DRAFT: frozenset({D.ISSUED, D.CANCELLED}),
    # An issued document is frozen; it may go on the public site and be taken off again.
    D.ISSUED: frozenset({D.PUBLISHED}),
    D.PUBLISHED: frozenset({D.ISSUED}),
    D.CANCELLED: frozenset(),
}
