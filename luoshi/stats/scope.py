"""What the statistics count: the tasks and matters a ``Scope`` selects, as SQL conditions
that an index can serve.

The figures and the lists behind them must agree (``luoshi.ledger.filters``), so these are
the same conditions written so that the database can use its indexes at province scale:
a 交办 period is a range of instants (the local day's midnights) rather than a date
computed from every row, and who-sees-what is one subquery on the matters (filtered by
year and leader in the same pass) rather than a list of every visible matter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from luoshi.accounts import access
from luoshi.accounts.roles import UNIT_ROLES
from luoshi.ledger.filters import assigned_q
from luoshi.ledger.models import Assignment, Matter
from luoshi.ledger.selectors import assignment_queryset_for, matter_queryset_for
from luoshi.ledger.states import AssignmentStatus
from luoshi.org.models import Unit


@dataclass(frozen=True)
class Scope:
    user: Any  # figures never exceed what this user may see
    year: int | None = None  # Matter.year
    date_from: date | None = None  # 交办 (assigned_at, local date) on or after
    date_to: date | None = None  # … and on or before
    leader_id: int | None = None  # Matter.supervising_leader
    unit: Unit | None = None  # lead unit subtree (Unit.path prefix)


def day_start(day: date) -> datetime:
    """The first instant of ``day`` in the current time zone (where ``__date`` is taken)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def period_q(field: str, start: date | None, end: date | None) -> Q:
    """``field``'s local date within [start, end], as a range of instants."""
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": day_start(start)})
    if end is not None:
        q &= Q(**{f"{field}__lt": day_start(end + timedelta(days=1))})
    return q


def prefixed(q: Q, prefix: str) -> Q:
    """``q`` applied through a relation: every lookup and ``F()`` gets ``prefix``."""
    if not prefix:
        return q
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            out.children.append(prefixed(child, prefix))
        else:
            lookup, value = child  # type: ignore[misc]
            if isinstance(value, F):
                value = F(prefix + str(value.name))  # type: ignore[attr-defined]
            out.children.append((prefix + lookup, value))
    return out


def _matter_filters(scope: Scope) -> Q:
    q = Q()
    if scope.year is not None:
        q &= Q(year=scope.year)
    if scope.leader_id is not None:
        q &= Q(supervising_leader_id=scope.leader_id)
    return q


def task_q(scope: Scope) -> Q:
    """The assigned tasks (not waiting for 交办, not cancelled) in scope that the user may see,
    as a condition on Assignment (``prefixed`` applies it from a report or an event)."""
    if access.has_role(scope.user, UNIT_ROLES):
        # A unit sees its own tasks of a matter, not the matter's every task.
        matters = Matter.objects.filter(_matter_filters(scope))
        q = Q(pk__in=assignment_queryset_for(scope.user).values("pk"))
    else:
        # Oversight roles and leaders see whole matters: the selector's own rule, met in the
        # same pass over the matters as the year and the leader.
        matters = matter_queryset_for(scope.user).filter(_matter_filters(scope))
        q = Q()
    if matters.query.has_filters():
        # (The city's office over every year: no condition on the matters at all.)
        q &= Q(matter__in=matters.values("pk"))
    q &= assigned_q()
    if scope.unit is not None:
        subtree = Unit.objects.filter(path__startswith=scope.unit.path).values("pk")
        q &= Q(lead_unit__in=subtree)
    return q & period_q("assigned_at", scope.date_from, scope.date_to)


def tasks_in_scope(scope: Scope) -> QuerySet[Assignment]:
    return Assignment.objects.filter(task_q(scope))


def matters_in_scope(scope: Scope) -> QuerySet[Matter]:
    """Matters the user may see, as the ledger filters them: the unit subtree means a live
    (not cancelled) task led there; the period means a task assigned in it."""
    qs = matter_queryset_for(scope.user).filter(_matter_filters(scope))
    live = Assignment.objects.exclude(status=AssignmentStatus.CANCELLED)
    if scope.unit is not None:
        subtree = Unit.objects.filter(path__startswith=scope.unit.path).values("pk")
        qs = qs.filter(pk__in=live.filter(lead_unit__in=subtree).values("matter_id"))
    if scope.date_from is not None or scope.date_to is not None:
        period = live.filter(period_q("assigned_at", scope.date_from, scope.date_to))
        qs = qs.filter(pk__in=period.values("matter_id"))
    return qs
