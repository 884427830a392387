from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi.accounts import access
from luoshi.accounts.roles import UNIT_MANAGERS, USER_MANAGERS
from luoshi.audit.events import Event
from luoshi.audit.services import audit
from luoshi.core import uploads
from luoshi.core.decorators import role_required
from luoshi.core.downloads import content_disposition
from luoshi.core.errors import ServiceError
from luoshi.core.forms import add_service_error
from luoshi.core.types import AuthedRequest
from luoshi.org import importing, selectors, services
from luoshi.org.forms import ImportUploadForm, UnitCreateForm, UnitForm, UnitMoveForm
from luoshi.org.models import ImportBatch


@login_required
def unit_list(request: AuthedRequest) -> HttpResponse:
    show_inactive = request.GET.get("inactive") == "1"
    units = selectors.unit_queryset_for(request.user)
    if not show_inactive:
        units = units.filter(is_active=True)
    rows = selectors.tree_rows(units, with_counts=True)
    can_manage = access.has_role(request.user, UNIT_MANAGERS)
    managed = set(selectors.managed_units_for(request.user).values_list("pk", flat=True))
    for row in rows:
        row.can_manage = row.pk in managed  # type: ignore[attr-defined]
    return render(
        request,
        "org/unit_list.html",
        {"rows": rows, "can_manage": can_manage, "show_inactive": show_inactive},
    )


def _parent_choices(request: AuthedRequest) -> list[tuple[int, str]]:
    return selectors.unit_choices(selectors.managed_units_for(request.user).filter(is_active=True))


@role_required(UNIT_MANAGERS)
def unit_create(request: AuthedRequest) -> HttpResponse:
    initial = {"parent": request.GET.get("parent"), "order": 100}
    form = UnitCreateForm(request.POST or None, initial=initial)
    form.fields["parent"].choices = _parent_choices(request)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.unit_create(
                request.user,
                name=data["name"],
                short_name=data["short_name"],
                kind=data["kind"],
                parent=selectors.unit_get_for_manager(request.user, data["parent"]),
                order=data["order"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已新增单位“{unit.name}”。")
            return redirect("org:unit_list")
    return render(request, "org/unit_form.html", {"form": form, "creating": True})


@role_required(UNIT_MANAGERS)
def unit_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get_for_manager(request.user, pk)
    form = UnitForm(
        request.POST or None,
        initial={
            "name": unit.name,
            "short_name": unit.short_name,
            "kind": unit.kind,
            "order": unit.order,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(request.user, unit, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已保存单位“{form.cleaned_data['name']}”。")
            return redirect("org:unit_list")
    move_form = UnitMoveForm(initial={"parent": unit.parent_id})
    move_form.fields["parent"].choices = [  # type: ignore[attr-defined]
        (pk_, label) for pk_, label in _parent_choices(request) if pk_ != unit.pk
    ]
    return render(
        request,
        "org/unit_form.html",
        {"form": form, "move_form": move_form, "unit": unit, "creating": False},
    )


@require_POST
@role_required(UNIT_MANAGERS)
def unit_move(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get_for_manager(request.user, pk)
    form = UnitMoveForm(request.POST)
    form.fields["parent"].choices = _parent_choices(request)  # type: ignore[attr-defined]
    if not form.is_valid():
        messages.error(request, "请选择新的上级单位。")
        return redirect("org:unit_edit", pk=unit.pk)
    try:
        target = selectors.unit_get_for_manager(request.user, form.cleaned_data["parent"])
        services.unit_move(request.user, unit, target)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("org:unit_edit", pk=unit.pk)
    messages.success(request, f"已将“{unit.name}”移到“{target.name}”之下。")
    return redirect("org:unit_list")


@require_POST
@role_required(UNIT_MANAGERS)
def unit_toggle(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get_for_manager(request.user, pk)
    try:
        if unit.is_active:
            services.unit_deactivate(request.user, unit)
            messages.success(request, f"已停用单位“{unit.name}”。")
        else:
            services.unit_activate(request.user, unit)
            messages.success(request, f"已启用单位“{unit.name}”。")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("org:unit_list")


@role_required(USER_MANAGERS)
def import_upload(request: AuthedRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            checked = uploads.check(upload, uploads.IMPORT_XLSX, request=request)
        except uploads.UploadRejected as exc:
            form.add_error("file", exc.message)
        else:
            plan = importing.parse_workbook(upload.read())
            if not plan.file_errors:
                importing.check_plan(plan)
            batch = ImportBatch.objects.create(
                created_by=request.user,
                filename=checked.name,
                rows=plan.as_json(),
                error_count=plan.error_count,
            )
            return redirect("org:import_preview", pk=batch.pk)
    batches = ImportBatch.objects.filter(created_by=request.user)[:10]
    return render(request, "org/import_upload.html", {"form": form, "batches": batches})


def _own_batch(request: AuthedRequest, pk: int) -> ImportBatch:
    batch = ImportBatch.objects.filter(pk=pk, created_by=request.user).first()
    if batch is None:
        raise Http404("导入批次不存在")
    return batch


@role_required(USER_MANAGERS)
def import_preview(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    users = (batch.rows or {}).get("users", []) if isinstance(batch.rows, dict) else []
    if any(row.get("手机号码") for row in users):
        # The sheet's phone numbers are shown in full to the administrator who imports them.
        audit(Event.PII_VIEW, request=request, obj=batch, detail="phone：导入预览")
    return render(request, "org/import_preview.html", {"batch": batch, "plan": batch.rows})


@require_POST
@role_required(USER_MANAGERS)
def import_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        batch = (
            ImportBatch.objects.select_for_update().filter(pk=pk, created_by=request.user).first()
        )
        if batch is None:
            raise Http404("导入批次不存在")
        if batch.status != ImportBatch.Status.PREVIEWED:
            messages.error(request, "该批次已处理，不能重复导入。")
            return redirect("org:import_preview", pk=batch.pk)
        # Re-check against the database as it is now: it may have changed since the preview.
        plan = importing.check_plan(importing.Plan.from_json(batch.rows))
        if plan.error_count:
            batch.rows = plan.as_json()
            batch.error_count = plan.error_count
            batch.save(update_fields=["rows", "error_count"])
            messages.error(request, "数据有误，未导入任何内容。请修改文件后重新上传。")
            return redirect("org:import_preview", pk=batch.pk)
        try:
            units, users = importing.apply_plan(request.user, plan)
        except ServiceError as exc:
            messages.error(request, f"导入失败，未保存任何内容：{exc.message}")
            return redirect("org:import_preview", pk=batch.pk)
        batch.status = ImportBatch.Status.APPLIED
        batch.applied_at = timezone.now()
        batch.summary = f"新增单位 {units} 个，用户 {len(users)} 个"
        batch.save(update_fields=["status", "applied_at", "summary"])
    return render(request, "org/import_done.html", {"batch": batch, "users": users})


@require_POST
@role_required(USER_MANAGERS)
def import_discard(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    if batch.status == ImportBatch.Status.PREVIEWED:
        batch.status = ImportBatch.Status.DISCARDED
        batch.save(update_fields=["status"])
        messages.success(request, "已放弃该批次。")
    return redirect("org:import_upload")


@role_required(USER_MANAGERS)
def import_template(request: AuthedRequest) -> HttpResponse:
    response = HttpResponse(
        importing.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition("单位用户导入模板.xlsx")
    response["X-Content-Type-Options"] = "nosniff"
    return response
