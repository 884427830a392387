"""Pages: the ledger as .xlsx, and the 责任分解表 import (upload → preview → confirm)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi.accounts.roles import UNIT_ROLES
from luoshi.core import downloads, uploads
from luoshi.core.decorators import role_required
from luoshi.core.errors import ServiceError
from luoshi.core.forms import add_service_error
from luoshi.core.navigation import LEDGER_READERS
from luoshi.core.types import AuthedRequest
from luoshi.ledger.choices import active_unit_choices, leader_choices
from luoshi.ledger.forms import FilterForm
from luoshi.ledger.models import Matter
from luoshi.ledger.selectors import matter_queryset_for
from luoshi.sheets import exporting, services
from luoshi.sheets.forms import ImportForm
from luoshi.sheets.models import SheetImport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORTERS = frozenset(LEDGER_READERS | UNIT_ROLES)


def xlsx_response(user, params) -> FileResponse:
    """Shared by the page and the API: the user's ledger under the ledger page's filters."""
    form = FilterForm(params, unit_choices=active_unit_choices(), leader_choices=leader_choices())
    target = exporting.export_ledger(user, form, matter_queryset_for(user))
    name = f"督查事项台账_{timezone.localtime():%Y%m%d_%H%M}.xlsx"
    return downloads.file_response(target, name, XLSX, cache="private, no-store")


@role_required(EXPORTERS)
def ledger_export(request: AuthedRequest) -> FileResponse:
    return xlsx_response(request.user, request.GET)


@role_required(services.IMPORTERS)
def import_upload(request: AuthedRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            uploads.check(upload, uploads.IMPORT_XLSX)  # before it is read into memory
            batch = services.import_upload(
                request.user, data=upload.read(), filename=upload.name,
                year=form.cleaned_data["year"], source=form.cleaned_data["source"],
                category=form.cleaned_data["category"],
            )  # fmt: skip
        except ServiceError as exc:
            uploads.audit_rejection(exc, request=request)  # outside the rolled-back service
            add_service_error(form, exc)
        else:
            return redirect("sheets:preview", pk=batch.pk)
    batches = SheetImport.objects.filter(created_by=request.user)[:10]
    return render(request, "sheets/import_upload.html", {"form": form, "batches": batches})


def _own_batch(request: AuthedRequest, pk: int) -> SheetImport:
    batch = SheetImport.objects.filter(pk=pk, created_by=request.user).first()
    if batch is None:
        raise Http404("导入批次不存在")
    return batch


@role_required(services.IMPORTERS)
def import_preview(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    created = Matter.objects.filter(pk__in=batch.created_matters or []).order_by("id")
    return render(request, "sheets/import_preview.html",
                  {"batch": batch, "plan": batch.plan, "created": created})  # fmt: skip


@require_POST
@role_required(services.IMPORTERS)
def import_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    try:
        created = services.import_apply(request.user, batch)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已导入 {len(created)} 个事项（草稿），请逐项提交审批。")
    return redirect("sheets:preview", pk=batch.pk)


@require_POST
@role_required(services.IMPORTERS)
def import_discard(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    try:
        services.import_discard(request.user, batch)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("sheets:preview", pk=batch.pk)
    messages.success(request, "已放弃该批次，未导入任何事项。")
    return redirect("sheets:import")
