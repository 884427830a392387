"""Checks shared by the follow-through services (the office check is the ledger's
``require_office``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from luoshi.accounts import access
from luoshi.accounts.roles import Role
from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.ledger.models import Assignment, Matter
from luoshi.ledger.services import UNIT_ROLES, can_approve
from luoshi.ledger.states import FINISHED_MATTER_STATES
from luoshi.ledger.states import MatterStatus as M
from luoshi.org.models import Unit


def require_leader(actor: Any, matter: Matter) -> None:
    if not can_approve(actor, matter):
        raise NotPermitted("只有分管领导或主要领导可以作出此决定。")


def is_lead(actor: Any, assignment: Assignment) -> bool:
    return assignment.lead_unit is not None and access.covers(
        actor, UNIT_ROLES, assignment.lead_unit
    )


def require_lead(actor: Any, assignment: Assignment) -> None:
    if not is_lead(actor, assignment):
        raise NotPermitted("只有牵头单位的联络员或负责人可以办理此项。")


def is_head(actor: Any, unit: Unit) -> bool:
    return access.covers(actor, {Role.UNIT_HEAD}, unit)


def require_open(matter: Matter, what: str = "再办理") -> None:
    """Closed, archived and cancelled matters are read-only (their labels read 已…)."""
    if matter.status in FINISHED_MATTER_STATES:
        raise ServiceError(f"事项{M(matter.status).label}，不能{what}。")


def clean_text(value: Any, label: str, field: str, minimum: int) -> str:
    text = str(value or "").strip()
    if len(text) < minimum:
        raise ServiceError(f"请填写{label}（至少 {minimum} 个字）。", field=field)
    return text


def extend_matter_deadline(matter: Matter, due: date) -> None:
    """A task's deadline moved past the matter's (extension, year-end review): the matter's
    moves with it."""
    Matter.objects.filter(pk=matter.pk, due_date__lt=due).update(due_date=due)
