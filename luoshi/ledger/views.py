"""Ledger pages: the list, creating and editing a matter, its detail, saved filters."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import modelform_factory
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi.accounts import access
from luoshi.core.decorators import role_required
from luoshi.core.errors import ServiceError
from luoshi.core.forms import add_service_error, is_htmx
from luoshi.core.navigation import LEDGER_READERS
from luoshi.core.types import AuthedRequest
from luoshi.ledger import filters, selectors, services, tally
from luoshi.ledger.choices import active_unit_choices, leader_by_pk, leader_choices
from luoshi.ledger.forms import AssignmentForm, FilterForm, MatterForm
from luoshi.ledger.models import LedgerPolicy, Matter, MatterEvent, SavedFilter
from luoshi.ledger.rules import matter_due_date, policy_for
from luoshi.ledger.states import OPEN_MATTER_STATES, MatterStatus
from luoshi.org.models import Unit

PAGE_SIZE = 30


def _filter_form(request: AuthedRequest) -> FilterForm:
    return FilterForm(
        request.GET or None, unit_choices=active_unit_choices(), leader_choices=leader_choices()
    )


@role_required(LEDGER_READERS)
def ledger(request: AuthedRequest) -> HttpResponse:
    form = _filter_form(request)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    visible = selectors.matter_queryset_for(request.user)
    unfiltered = filters.apply_filters(visible, data, with_status=False, with_light=False)
    grid = None
    # The selector leaves the matters unfiltered exactly when the user sees them all; then
    # the kept counts give the same figures without counting.
    if tally.answers(data) and not visible.query.has_filters():
        grid = tally.grid(data)
    counts, light_counts = filters.status_light_counts(unfiltered, data, grid)
    qs = unfiltered
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("light"):
        qs = qs.filter(light=data["light"])
    page = filters.keyset_page(
        filters.for_listing(qs), data.get("sort"), request.GET.get("after"), PAGE_SIZE
    )
    query = request.GET.copy()
    query.pop("after", None)
    status_links = []
    for value, label in MatterStatus.choices:
        q = query.copy()
        q["status"] = value
        status_links.append(
            {
                "value": value,
                "label": label,
                "count": counts.get(value, 0),
                "url": "?" + q.urlencode(),
                "active": data.get("status") == value,
            }
        )
    all_q = query.copy()
    all_q.pop("status", None)
    return render(
        request,
        "ledger/ledger.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "status_links": status_links,
            "all_url": "?" + all_q.urlencode(),
            "total": sum(counts.values()),
            "light_links": filters.light_links(request.user, data, request.GET, light_counts),
            "saved": SavedFilter.objects.filter(user=request.user),
            "can_create": access.has_role(request.user, services.OFFICE_ROLES),
        },
    )


@require_POST
@login_required
def saved_filter_save(request: AuthedRequest) -> HttpResponse:
    name = (request.POST.get("name") or "").strip()[:50]
    query = (request.POST.get("query") or "")[:1000]
    if not name:
        messages.error(request, "请为常用筛选起一个名称。")
    else:
        SavedFilter.objects.update_or_create(
            user=request.user, name=name, defaults={"query": query}
        )
        messages.success(request, f"已保存常用筛选“{name}”。")
    return redirect(f"/ledger/?{query}")


@require_POST
@login_required
def saved_filter_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    SavedFilter.objects.filter(user=request.user, pk=pk).delete()
    return redirect("ledger:ledger")


def _matter_form(request: AuthedRequest, initial: dict[str, Any] | None = None) -> MatterForm:
    form = MatterForm(request.POST or None, initial=initial)
    form.fields["supervising_leader"].choices = [("", "（无）"), *leader_choices()]  # type: ignore[attr-defined]
    return form


def _matter_data(form: MatterForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    data["supervising_leader"] = leader_by_pk(data.get("supervising_leader"))
    for text in (
        "meeting_name",
        "instructing_leader",
        "instruction_text",
        "doc_number",
        "doc_issuer",
    ):
        data[text] = data.get(text) or ""
    return data


def _office_of(user: Any) -> Unit:
    """The office a new matter belongs to: the creator's own unit (the 督查室)."""
    return user.unit


@role_required(services.OFFICE_ROLES)
def matter_create(request: AuthedRequest) -> HttpResponse:
    form = _matter_form(request, {"priority": "normal", "category": "decision"})
    if request.method == "POST" and form.is_valid():
        try:
            matter = services.matter_create(
                request.user, office=_office_of(request.user), **_matter_data(form)
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "已保存草稿，请分解承办任务。")
            return redirect("ledger:matter", pk=matter.pk)
    return render(request, "ledger/matter_form.html", {"form": form, "creating": True})


@role_required(services.OFFICE_ROLES)
def matter_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    matter = selectors.matter_get_for_user(request.user, pk)
    initial = {f: getattr(matter, f) for f in services.MATTER_FIELDS}
    initial["supervising_leader"] = matter.supervising_leader_id
    initial["tags"] = "，".join(matter.tags)
    initial["version"] = matter.version
    form = _matter_form(request, initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.matter_update(
                request.user, matter, form.cleaned_data.get("version") or 0, **_matter_data(form)
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("ledger:matter", pk=matter.pk)
    return render(
        request, "ledger/matter_form.html", {"form": form, "creating": False, "matter": matter}
    )


def _assignment_form(request: AuthedRequest | None) -> AssignmentForm:
    form = AssignmentForm(request.POST if request is not None else None)
    units = active_unit_choices()
    form.fields["lead_unit"].choices = units  # type: ignore[attr-defined]
    form.fields["co_units"].choices = units  # type: ignore[attr-defined]
    return form


def matter_context(request: AuthedRequest, matter: Matter, **extra: Any) -> dict[str, Any]:
    user = request.user
    full = selectors.sees_whole_matter(user, matter)
    assignments = selectors.visible_assignments(user, matter)
    events = MatterEvent.objects.filter(matter=matter).select_related(
        "actor", "assignment__lead_unit"
    )
    if not full:
        events = events.filter(assignment__in=[a.pk for a in assignments]) | events.filter(
            assignment__isnull=True
        )
    is_office = access.covers(user, services.OFFICE_ROLES, matter.office)
    can_approve = matter.status == MatterStatus.PENDING_APPROVAL and services.can_approve(
        user, matter
    )
    due_preview: date | str | None = None
    if can_approve:
        try:
            due_preview = matter_due_date(matter, policy_for(matter.office), timezone.localdate())
        except ServiceError as exc:
            due_preview = exc.message
    from luoshi.followup import panel_closing, timeline

    return {
        **panel_closing.context(user, matter),
        **timeline.context(user, matter, assignments, whole=request.GET.get("timeline") == "all"),
        "matter": matter,
        "assignments": assignments,
        "events": events.order_by("at", "id"),
        "is_office": is_office,
        "editable": is_office and matter.status in services.EDITABLE,
        "can_approve": can_approve,
        "due_preview": due_preview,
        # Shown only while the matter is editable: its unit selects hold every unit.
        "assignment_form": extra.pop("assignment_form", None)
        or (
            _assignment_form(request) if is_office and matter.status in services.EDITABLE else None
        ),
        "open": matter.status in OPEN_MATTER_STATES,
        **extra,
    }


@login_required
def matter_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    matter = selectors.matter_get_for_user(request.user, pk)
    return render(request, "ledger/matter_detail.html", matter_context(request, matter))


@require_POST
@role_required(services.OFFICE_ROLES)
def assignment_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a task row in place (htmx) or by a plain post."""
    matter = selectors.matter_get_for_user(request.user, pk)
    form = _assignment_form(request)
    if form.is_valid():
        data = dict(form.cleaned_data)
        lead = Unit.objects.filter(pk=data.pop("lead_unit"), is_active=True).first()
        co_units = list(Unit.objects.filter(pk__in=data.pop("co_units"), is_active=True))
        milestones = data.pop("milestones")
        for text_field in ("responsible_leader", "responsible_person", "responsible_phone",
                           "due_override_reason", "indicator_name", "indicator_unit",
                           "progress_requirement"):  # fmt: skip
            data[text_field] = data.get(text_field) or ""
        try:
            if lead is None:
                raise ServiceError("请选择牵头单位。", field="lead_unit")
            services.assignment_add(
                request.user,
                matter,
                lead_unit=lead,
                co_units=co_units,
                milestones=milestones,
                **data,
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            if not is_htmx(request):
                messages.success(request, "已添加承办任务。")
                return redirect("ledger:matter", pk=matter.pk)
            form = _assignment_form(None)
    matter.refresh_from_db()
    context = matter_context(request, matter, assignment_form=form)
    template = "ledger/_assignments.html" if is_htmx(request) else "ledger/matter_detail.html"
    return render(request, template, context)


@require_POST
@role_required(services.OFFICE_ROLES)
def assignment_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_get_for_user(request.user, pk)
    try:
        services.assignment_remove(request.user, assignment)
    except ServiceError as exc:
        messages.error(request, exc.message)
    matter = assignment.matter
    matter.refresh_from_db()
    if is_htmx(request):
        return render(request, "ledger/_assignments.html", matter_context(request, matter))
    return redirect("ledger:matter", pk=matter.pk)


@role_required({"office_admin"})
def policy_edit(request: AuthedRequest) -> HttpResponse:
    office = request.user.unit
    if not access.covers(request.user, {"office_admin"}, office):
        raise Http404
    policy = policy_for(office)
    fields = [
        "number_pattern",
        "result_report_workdays",
        "default_workdays",
        "assign_workdays",
        "sign_workdays",
        "yellow_workdays",
        "report_head_approval",
        "extension_leader_approval",
    ]
    Form = modelform_factory(LedgerPolicy, fields=fields)
    form = Form(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        pattern = form.cleaned_data["number_pattern"]
        try:
            pattern.format(year=2026, seq=1)
        except (KeyError, ValueError, IndexError):
            form.add_error("number_pattern", "编号格式无效：可用 {year} 和 {seq:04d} 两个占位符。")
        else:
            form.save()
            if "yellow_workdays" in form.changed_data:
                from luoshi.ledger import lights

                lights.refresh_all(Matter.objects.filter(office=office))
            messages.success(request, "已保存台账规则。")
            return redirect("ledger:policy")
    return render(request, "ledger/policy.html", {"form": form, "office": office})
