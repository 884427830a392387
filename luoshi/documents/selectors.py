"""Who reads which documents: the office's staff, leaders and observers within their scope
(anything else is a 404); the public sees published documents only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from luoshi.accounts import access
from luoshi.accounts.roles import Role
from luoshi.documents.models import OfficialDocument
from luoshi.documents.states import DocStatus
from luoshi.org.models import Unit, UnitKind

READERS = frozenset({Role.OFFICE_ADMIN, Role.INSPECTOR, Role.LEADER, Role.OBSERVER})
FILES = ("docx_file", "pdf_file")


def document_queryset_for(user: Any) -> QuerySet[OfficialDocument]:
    return OfficialDocument.objects.filter(access.scope_q(user, READERS, "office__path")).defer(
        *FILES
    )


def document_get_for_user(user: Any, pk: int) -> OfficialDocument:
    doc = document_queryset_for(user).filter(pk=pk).select_related("office", "matter").first()
    if doc is None:
        raise Http404("公文不存在")
    return doc


def public_queryset() -> QuerySet[OfficialDocument]:
    return (
        OfficialDocument.objects.filter(status=DocStatus.PUBLISHED)
        .defer(*FILES)
        .order_by("-issue_date", "-id")
    )


def public_get(pk: int) -> OfficialDocument:
    doc = OfficialDocument.objects.filter(pk=pk, status=DocStatus.PUBLISHED).first()
    if doc is None:
        raise Http404("公文不存在")
    return doc


def offices_for(user: Any) -> list[Unit]:
    """The supervision offices this user writes documents for."""
    return list(
        Unit.objects.filter(access.scope_q(user, {Role.OFFICE_ADMIN}, "path"))
        .filter(kind=UnitKind.OFFICE)
        .order_by("depth", "order", "id")
    )


def year_choices(qs: QuerySet[OfficialDocument]) -> list[int]:
    years = set(qs.order_by().values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)
