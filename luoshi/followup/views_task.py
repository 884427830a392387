"""What the task page shows of the follow-through, and which forms this user may use now.

A form refused by a service comes back bound (``bound`` by key) so the page shows the
Chinese message next to its field with everything the user typed."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.utils import timezone

from luoshi.accounts import access
from luoshi.core.types import AuthedRequest
from luoshi.followup import selectors
from luoshi.followup.forms import (
    DECISION_OPINION,
    RETURN_OPINION,
    REVIEW_OPINION,
    CommentForm,
    CompletionForm,
    ExtensionForm,
    ReportForm,
    VerifyForm,
)
from luoshi.followup.models import ProgressReport, ReportRevision
from luoshi.followup.services.common import is_head, is_lead
from luoshi.followup.services.extensions import can_decide
from luoshi.followup.states import OPEN_EXTENSION_STATES
from luoshi.followup.states import ReportStatus as R
from luoshi.ledger.models import Assignment
from luoshi.ledger.services import OFFICE_ROLES, UNIT_ROLES
from luoshi.ledger.states import FINISHED_MATTER_STATES
from luoshi.ledger.states import AssignmentStatus as A
from luoshi.ledger.states import MatterStatus as M

OPEN_OWN = (R.PENDING_HEAD, R.PENDING_REVIEW, R.RETURNED, R.PENDING_LEAD)


class _Forms:
    """Hands out a bound form when one came back refused, else a fresh one."""

    def __init__(self, bound: dict[str, forms.Form]) -> None:
        self.bound = bound
        self.used: set[str] = set()

    def get(self, key: str, make: Any) -> forms.Form:
        self.used.add(key)
        return self.bound[key] if key in self.bound else make()


def resubmit_initial(rev: ReportRevision) -> dict[str, Any]:
    value = rev.indicator_value
    return {
        "text": rev.text,
        "progress": rev.progress,
        "indicator_value": "" if value is None else f"{value.normalize():f}",
        "milestones": [m.pk for m in rev.milestones.all()],
    }


def _decision(got: _Forms, key: str, prefix: str, label: str) -> forms.Form:
    return got.get(key, lambda: CommentForm(prefix=prefix, label=label))


def _report_panels(user: Any, a: Assignment, got: _Forms, live: bool) -> list[dict[str, Any]]:
    """Each report the user may read with its versions, and the decision he may take."""
    lead = is_lead(user, a)
    head = a.lead_unit is not None and is_head(user, a.lead_unit)
    office = access.covers(user, OFFICE_ROLES, a.matter.office)
    out = []
    for r in selectors.reports_for(user, a):
        revs = list(r.revisions.all())
        item: dict[str, Any] = {"r": r, "revisions": revs}
        out.append(item)
        if not live or not revs:
            continue
        pk, opinion = r.pk, REVIEW_OPINION
        if r.status == R.PENDING_HEAD and head and r.kind == ProgressReport.LEAD:
            item["head_form"] = _decision(got, f"head-{pk}", f"r{pk}", opinion)
        if r.status == R.PENDING_REVIEW and office:
            item["review_form"] = _decision(got, f"review-{pk}", f"r{pk}", opinion)
        if r.status == R.PENDING_LEAD and lead:
            item["co_return_form"] = _decision(got, f"coreturn-{pk}", f"r{pk}", RETURN_OPINION)
        if r.status == R.RETURNED and access.covers(user, UNIT_ROLES, r.unit):
            make = partial(
                ReportForm, prefix=f"re{pk}", assignment=a,
                lead=r.kind == ProgressReport.LEAD, initial=resubmit_initial(revs[-1]),
            )  # fmt: skip
            item["resubmit_form"] = got.get(f"resubmit-{pk}", make)
    return out


def _extension_panels(user: Any, a: Assignment, got: _Forms, live: bool) -> list[dict[str, Any]]:
    out = []
    for x in selectors.extensions_for(a):
        item: dict[str, Any] = {"x": x}
        out.append(item)
        if live and x.status in OPEN_EXTENSION_STATES:
            item["can_withdraw"] = is_lead(user, a)
            if can_decide(user, x):
                key, prefix = f"ext-{x.pk}", f"x{x.pk}"
                item["decide_form"] = _decision(got, key, prefix, DECISION_OPINION)
    return out


def task_context(
    request: AuthedRequest, a: Assignment, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    user = request.user
    matter = a.matter
    got = _Forms(bound or {})
    today = timezone.localdate()
    live = matter.status not in FINISHED_MATTER_STATES
    running = live and a.status == A.IN_PROGRESS
    lead = is_lead(user, a)
    reports = _report_panels(user, a, got, live)
    co_units = [] if lead else selectors.own_co_units(user, a)
    own = {u.pk for u in co_units}
    signed_co = [c for c in a.co_units.select_related("unit") if c.signed_at and c.unit_id in own]
    mine = {item["r"].unit_id for item in reports if item["r"].status in OPEN_OWN}
    report_form = None
    report_unit = a.lead_unit if lead else signed_co[0].unit if signed_co else None
    waiting = report_unit is not None and report_unit.pk in mine
    if running and report_unit is not None and not waiting:
        report_form = got.get(
            "report", lambda: ReportForm(prefix="report", assignment=a, lead=lead)
        )
    exts = _extension_panels(user, a, got, live)
    open_ext = any(item["x"].status in OPEN_EXTENSION_STATES for item in exts)
    extension_form = None
    if running and lead and not open_ext and a.due_date and today <= a.due_date:
        extension_form = got.get("extension", lambda: ExtensionForm(prefix="ext"))
    completion_form = None
    if running and lead and not open_ext:
        completion_form = got.get("completion", lambda: CompletionForm(prefix="done"))
    verify_form = None
    office = access.covers(user, OFFICE_ROLES, matter.office)
    if live and office and a.status == A.PENDING_VERIFICATION:
        verify_form = got.get("verify", lambda: VerifyForm(prefix="verify"))
    # A refusal whose form is no longer offered (say, someone decided first) still shows.
    for key, form in (bound or {}).items():
        if key not in got.used:
            for errors in form.errors.values():
                for e in errors:
                    messages.error(request, str(e))
    return {
        "live": live,
        "read_only": matter.status == M.ARCHIVED,
        "sees_everything": selectors.sees_everything(user, a),
        "report_late": bool(
            a.status == A.IN_PROGRESS and a.next_report_due and today > a.next_report_due
        ),
        "deadline_history": selectors.deadline_history(a),
        "reports": reports,
        "report_form": report_form,
        "report_waiting": running and waiting,
        "report_is_co": not lead and report_form is not None,
        "extensions": exts,
        "extension_form": extension_form,
        "extension_open": running and lead and open_ext,
        "completions": selectors.completions_for(a),
        "completion_form": completion_form,
        "verify_form": verify_form,
    }
