from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi.accounts import access
from luoshi.accounts.roles import CALENDAR_EDITORS
from luoshi.core.decorators import role_required
from luoshi.core.errors import ServiceError
from luoshi.core.forms import add_service_error
from luoshi.workcal import calendar, selectors, services
from luoshi.workcal.forms import CalculatorForm, DaysForm, YearForm
from luoshi.workcal.models import CalendarDay, CalendarYear


@login_required
def index(request: HttpRequest) -> HttpResponse:
    can_edit = access.has_role(request.user, CALENDAR_EDITORS)
    year_form = YearForm(initial={"year": timezone.localdate().year + 1})
    return render(
        request,
        "workcal/index.html",
        {
            "years": selectors.year_rows(),
            "can_edit": can_edit,
            "year_form": year_form,
            "calc_form": CalculatorForm(initial={"start": timezone.localdate(), "days": 7}),
        },
    )


@require_POST
@role_required(CALENDAR_EDITORS)
def year_create(request: HttpRequest) -> HttpResponse:
    form = YearForm(request.POST)
    if form.is_valid():
        try:
            cy = services.calendar_year_create(
                request.user, form.cleaned_data["year"], form.cleaned_data["note"]
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已新增 {cy.year} 年，请录入放假和调休安排后发布。")
            return redirect("workcal:year", year=cy.year)
    else:
        messages.error(request, "请填写 2000 到 2100 之间的年份。")
    return redirect("workcal:index")


@login_required
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    cy = CalendarYear.objects.filter(year=year).first()
    if cy is None:
        raise Http404("该年份尚未建立")
    can_edit = access.has_role(request.user, CALENDAR_EDITORS)
    form = DaysForm(request.POST or None, initial={"start": date(year, 1, 1)})
    if request.method == "POST":
        if not can_edit:  # the page is open to everyone, editing it is not: 403
            raise PermissionDenied("只有系统管理员和督查室管理员可以修改工作日历。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                count = services.calendar_days_set(
                    request.user,
                    data["start"],
                    data["end"] or data["start"],
                    data["kind"],
                    data["name"],
                )
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, f"已设置 {count} 天。")
                return redirect("workcal:year", year=year)
    return render(
        request,
        "workcal/year.html",
        {
            "cy": cy,
            "months": selectors.year_months(year),
            "days": CalendarDay.objects.filter(year=cy),
            "form": form,
            "can_edit": can_edit,
        },
    )


@require_POST
@role_required(CALENDAR_EDITORS)
def year_status(request: HttpRequest, year: int) -> HttpResponse:
    status = request.POST.get("status", "")
    try:
        cy = services.calendar_year_set_status(request.user, year, status)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{cy.year} 年已设为“{cy.get_status_display()}”。")
    return redirect("workcal:year", year=year)


@require_POST
@role_required(CALENDAR_EDITORS)
def day_delete(request: HttpRequest, year: int, day: str) -> HttpResponse:
    try:
        the_day = date.fromisoformat(day)
        services.calendar_day_delete(request.user, the_day)
    except ValueError:
        raise Http404("日期无效") from None
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除 {the_day:%Y-%m-%d} 的调整。")
    return redirect("workcal:year", year=year)


@login_required
def calculator(request: HttpRequest) -> HttpResponse:
    """htmx fragment: the date N working days from a start date."""
    form = CalculatorForm(request.GET)
    context: dict[str, object] = {"form": form}
    if form.is_valid():
        start, days = form.cleaned_data["start"], form.cleaned_data["days"]
        try:
            context["result"] = calendar.add_workdays(start, days)
        except calendar.CalendarYearMissing as exc:
            context["error"] = str(exc)
    else:
        context["error"] = "请填写有效的起算日期和工作日数。"
    return render(request, "workcal/_calculator_result.html", context)
