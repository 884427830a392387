"""Scoped reads of follow-through records. Whoever cannot see the task gets a 404, and a
co-unit sees only its own parts of a task: not the lead unit's reports or evidence."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404

from luoshi.accounts import access
from luoshi.followup.models import (
    Attachment,
    CompletionRequest,
    DeadlineChange,
    ExtensionRequest,
    ProgressReport,
    ReportRevision,
)
from luoshi.followup.services.common import is_lead
from luoshi.ledger.models import Assignment
from luoshi.ledger.selectors import assignment_get_for_user, sees_whole_matter
from luoshi.ledger.services import UNIT_ROLES
from luoshi.org.models import Unit


def sees_everything(user: Any, assignment: Assignment) -> bool:
    """Oversight over the matter, the supervising leader, and the lead unit see every report
    and file of the task; co-units only their own."""
    return sees_whole_matter(user, assignment.matter) or is_lead(user, assignment)


def own_co_units(user: Any, assignment: Assignment) -> list[Unit]:
    return [
        co.unit
        for co in assignment.co_units.select_related("unit")
        if access.covers(user, UNIT_ROLES, co.unit)
    ]


def reports_for(user: Any, assignment: Assignment) -> list[ProgressReport]:
    """The reports this user may read, newest first, each with its revisions in order."""
    revisions = ReportRevision.objects.select_related("submitted_by", "decided_by")
    revisions = revisions.prefetch_related("milestones", "attachments").order_by("number")
    qs = (
        assignment.reports.select_related("unit", "created_by", "consolidated_into")
        .prefetch_related(Prefetch("revisions", queryset=revisions))
        .order_by("-submitted_at", "-id")
    )
    if not sees_everything(user, assignment):
        qs = qs.filter(unit__in=own_co_units(user, assignment))
    return list(qs)


def extensions_for(assignment: Assignment) -> list[ExtensionRequest]:
    return list(
        assignment.extensions.select_related(
            "requested_by", "office_by", "leader_by", "assignment__matter__office"
        ).order_by("-requested_at", "-id")
    )


def completions_for(assignment: Assignment) -> list[CompletionRequest]:
    return list(
        assignment.completions.select_related("requested_by", "verified_by")
        .prefetch_related("attachments")
        .order_by("-requested_at", "-id")
    )


def deadline_history(assignment: Assignment) -> list[DeadlineChange]:
    return list(assignment.deadline_changes.select_related("by").order_by("at", "id"))


def report_get_for_user(user: Any, pk: int) -> ProgressReport:
    report = ProgressReport.objects.select_related("assignment__matter", "unit").filter(pk=pk)
    found = report.first()
    if found is None:
        raise Http404("反馈不存在")
    assignment = assignment_get_for_user(user, found.assignment_id)
    if not sees_everything(user, assignment) and found.unit not in own_co_units(user, assignment):
        raise Http404("反馈不存在")
    return found


def extension_get_for_user(user: Any, pk: int) -> ExtensionRequest:
    ext = ExtensionRequest.objects.select_related("assignment__matter__office").filter(pk=pk)
    found = ext.first()
    if found is None:
        raise Http404("延期申请不存在")
    assignment_get_for_user(user, found.assignment_id)
    return found


def attachment_get_for_user(user: Any, pk: int) -> Attachment:
    """A file of a task the user can see; a co-unit user gets only its own parts' files."""
    att = (
        Attachment.objects.select_related("revision__report__unit", "completion")
        .filter(pk=pk)
        .first()
    )
    if att is None:
        raise Http404("文件不存在")
    assignment = assignment_get_for_user(user, att.assignment_id)
    if sees_everything(user, assignment):
        return att
    report = att.revision.report if att.revision is not None else None
    if report is None or not access.covers(user, UNIT_ROLES, report.unit):
        raise Http404("文件不存在")
    return att
