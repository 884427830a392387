"""Who sees which notices (one scoped queryset; anything else is a 404) and the counts.

Oversight (office, inspectors, leaders, observers) sees the notices of the offices in its
scope; a unit sees only the notices sent to it, not those sent to the task's other units."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from luoshi.accounts import access
from luoshi.accounts.roles import UNIT_ROLES, Role
from luoshi.ledger.models import Assignment, MatterEvent
from luoshi.ledger.selectors import OVERSIGHT, sees_whole_matter
from luoshi.org.models import Unit, UnitKind
from luoshi.urging.models import UrgingNotice
from luoshi.urging.services import can_urge
from luoshi.urging.states import AWAITING_REPLY, REPLIED_STATES, UrgingStatus

U = UrgingStatus
READERS = frozenset(OVERSIGHT | UNIT_ROLES)


def notice_queryset_for(user: Any) -> QuerySet[UrgingNotice]:
    q = access.scope_q(user, OVERSIGHT, "office__path") | access.scope_q(
        user, UNIT_ROLES, "unit__path"
    )
    if access.has_role(user, {Role.LEADER}):
        q |= Q(matter__supervising_leader=user)
    return UrgingNotice.objects.filter(q)


def notice_get_for_user(user: Any, pk: int) -> UrgingNotice:
    notice = (
        notice_queryset_for(user)
        .filter(pk=pk)
        .select_related(
            "office",
            "unit",
            "matter__supervising_leader",
            "assignment__lead_unit",
            "issued_by",
            "replied_by",
            "reviewed_by",
            "cancelled_by",
            "read_by",
        )
        .first()
    )
    if notice is None:
        raise Http404("催办单不存在")
    return notice


def overdue_q(today: date) -> Q:
    """逾期未回复: waiting for the unit and past the reply deadline."""
    return Q(status__in=AWAITING_REPLY, reply_due__lt=today)


def status_counts(qs: QuerySet[UrgingNotice], today: date | None = None) -> dict[str, int]:
    """The figures at the top of the list, in one aggregate query."""
    today = today or timezone.localdate()
    return qs.aggregate(
        total=Count("id"),
        issued=Count("id", filter=Q(status=U.ISSUED)),
        replied=Count("id", filter=Q(status=U.REPLIED)),
        returned=Count("id", filter=Q(status=U.RETURNED)),
        accepted=Count("id", filter=Q(status=U.ACCEPTED)),
        overdue=Count("id", filter=overdue_q(today)),
    )


def unit_counts(office: Unit, year: int, today: date | None = None) -> list[dict[str, Any]]:
    """Per urged unit, for the office and year (withdrawn notices left out): issued,
    replied (on time, late), overdue without a reply, and notices returned at least once.
    One grouped aggregate query; the assessment scores read these."""
    today = today or timezone.localdate()
    replied = Q(status__in=REPLIED_STATES)
    rows = (
        UrgingNotice.objects.filter(office=office, year=year)
        .exclude(status=U.CANCELLED)
        .order_by()
        .values("unit_id", "unit__name", "unit__depth", "unit__order")
        .annotate(
            issued=Count("id"),
            replied=Count("id", filter=replied),
            replied_on_time=Count("id", filter=replied & Q(replied_late=False)),
            replied_late=Count("id", filter=replied & Q(replied_late=True)),
            overdue_unreplied=Count("id", filter=overdue_q(today)),
            returned=Count("id", filter=Q(returns__gt=0)),
        )
        .order_by("unit__depth", "unit__order", "unit_id")
    )
    return [
        {
            "unit_id": r["unit_id"],
            "unit_name": r["unit__name"],
            "issued": r["issued"],
            "replied": r["replied"],
            "replied_on_time": r["replied_on_time"],
            "replied_late": r["replied_late"],
            "overdue_unreplied": r["overdue_unreplied"],
            "returned": r["returned"],
        }
        for r in rows
    ]


def offices_for(user: Any) -> list[Unit]:
    """The supervision offices whose statistics this user may read."""
    has_notices = Q(pk__in=UrgingNotice.objects.values("office_id"))
    return list(
        Unit.objects.filter(access.scope_q(user, OVERSIGHT, "path"))
        .filter(Q(kind=UnitKind.OFFICE) | has_notices)
        .order_by("depth", "order", "id")
    )


def year_choices(qs: QuerySet[UrgingNotice]) -> list[int]:
    years = set(qs.order_by().values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def notice_events(notice: UrgingNotice) -> list[MatterEvent]:
    """The notice's history: the task's events that name it."""
    return list(
        MatterEvent.objects.filter(assignment_id=notice.assignment_id, changes__urging=notice.pk)
        .select_related("actor")
        .order_by("at", "id")
    )


def task_panel(user: Any, assignment: Assignment) -> dict[str, Any]:
    """催办记录 on the task page: the task's notices this user may see, and the 催办 button
    for the office while the task is open."""
    qs = notice_queryset_for(user).filter(assignment=assignment)
    if not sees_whole_matter(user, assignment.matter):
        qs = qs.filter(access.scope_q(user, UNIT_ROLES, "unit__path"))
    notices = list(qs.select_related("unit").order_by("-issued_at", "-id"))
    urge = can_urge(user, assignment)
    return {
        "urgings": notices,
        "can_urge": urge,
        "urge_url": f"{reverse('urging:new')}?assignment={assignment.pk}" if urge else "",
    }
