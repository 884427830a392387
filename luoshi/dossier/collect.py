"""Everything one matter's file (一事一档) holds, read in a fixed number of queries whatever
the length of its history, and who may take it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from luoshi.core.errors import NotPermitted
from luoshi.followup.models import (
    Attachment,
    CompletionRequest,
    ExtensionRequest,
    ProgressReport,
    ReportRevision,
)
from luoshi.ledger.models import Assignment, Matter, MatterEvent
from luoshi.ledger.selectors import matter_get_for_user, sees_whole_matter
from luoshi.urging.models import UrgingNotice

REFUSED = (
    "一事一档包含事项全部承办任务的材料，只有督查室、分管领导和监督部门可以下载；"
    "本单位的办理情况请在事项页面查看。"
)


@dataclass
class Dossier:
    matter: Matter
    assignments: list[Assignment]
    reports: list[ProgressReport]  # oldest first, each with ``revisions`` prefetched
    extensions: list[ExtensionRequest]
    completions: list[CompletionRequest]
    urgings: list[UrgingNotice]
    events: list[MatterEvent]
    # Files attached to neither a revision nor a completion request.
    loose_files: list[Attachment] = field(default_factory=list)
    deadline_changes: dict[int, list[Any]] = field(default_factory=dict)

    def task_number(self, assignment_id: int | None) -> int:
        for number, a in enumerate(self.assignments, start=1):
            if a.pk == assignment_id:
                return number
        return 0


def matter_for_dossier(user: Any, pk: int) -> Matter:
    """The matter, if this user may take its whole file: a matter the user cannot see is a
    404; a unit that sees only its own tasks gets NotPermitted (403). A unit-scoped file
    would not be the 一事一档 (the complete record the assessment relies on), and the unit
    already reads its part on the matter page."""
    matter = matter_get_for_user(user, pk)
    if not sees_whole_matter(user, matter):
        raise NotPermitted(REFUSED)
    return matter


def can_download(user: Any, matter: Matter) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and sees_whole_matter(user, matter)


def gather(matter: Matter) -> Dossier:
    matter = (
        Matter.objects.select_related("office", "supervising_leader", "created_by")
        .filter(pk=matter.pk)
        .get()
    )
    files = Attachment.objects.order_by("uploaded_at", "id")
    assignments = list(
        Assignment.objects.filter(matter=matter)
        .select_related("lead_unit", "signed_by")
        .prefetch_related("co_units__unit", "milestones", "deadline_changes__by")
        .order_by("id")
    )
    ids = [a.pk for a in assignments]
    revisions = ReportRevision.objects.select_related("submitted_by", "decided_by")
    reports = list(
        ProgressReport.objects.filter(assignment__in=ids)
        .select_related("unit", "created_by")
        .prefetch_related(
            Prefetch("revisions", queryset=revisions.order_by("number")),
            "revisions__milestones",
            Prefetch("revisions__attachments", queryset=files),
        )
        .order_by("submitted_at", "id")
    )
    extensions = list(
        ExtensionRequest.objects.filter(assignment__in=ids)
        .select_related("requested_by", "office_by", "leader_by")
        .order_by("requested_at", "id")
    )
    completions = list(
        CompletionRequest.objects.filter(assignment__in=ids)
        .select_related("requested_by", "verified_by")
        .prefetch_related(Prefetch("attachments", queryset=files))
        .order_by("requested_at", "id")
    )
    urgings = list(
        UrgingNotice.objects.filter(matter=matter)
        .select_related("unit", "issued_by", "replied_by", "reviewed_by", "assignment__lead_unit")
        .order_by("issued_at", "id")
    )
    events = list(
        MatterEvent.objects.filter(matter=matter)
        .select_related("actor__unit", "assignment__lead_unit")
        .order_by("at", "id")
    )
    loose = list(files.filter(assignment__in=ids, revision__isnull=True, completion__isnull=True))
    return Dossier(
        matter=matter,
        assignments=assignments,
        reports=reports,
        extensions=extensions,
        completions=completions,
        urgings=urgings,
        events=events,
        loose_files=loose,
        deadline_changes={a.pk: list(a.deadline_changes.all()) for a in assignments},
    )
