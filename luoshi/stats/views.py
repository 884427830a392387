"""统计分析 pages: the dashboard and its Excel export. Read-only: they parse the filters,
ask ``dashboard.build`` and render."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from luoshi.core.decorators import role_required
from luoshi.core.downloads import content_disposition
from luoshi.core.navigation import LIGHT_READERS
from luoshi.core.types import AuthedRequest
from luoshi.stats import dashboard, export
from luoshi.stats.forms import StatsFilterForm


def _form(request: AuthedRequest) -> StatsFilterForm:
    today = timezone.localdate()
    data = request.GET if request.GET else {"year": str(today.year)}
    return StatsFilterForm(data, today=today)


@role_required(LIGHT_READERS)
def dashboard_page(request: AuthedRequest) -> HttpResponse:
    form = _form(request)
    context: dict = {"form": form, "query": request.GET.urlencode()}
    if form.is_valid():
        d = dashboard.build(form.scope(request.user), form.today)
        context.update(
            d=d,
            cards=dashboard.rate_cards(d),
            units=dashboard.unit_rows(d),
            months=dashboard.month_rows(d),
            charts=dashboard.chart_data(d),
            scope_text=export.scope_text(d),
        )
    return render(request, "stats/dashboard.html", context)


@role_required(LIGHT_READERS)
def export_xlsx(request: AuthedRequest) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        # The page shows what is wrong beside the filter, with the input kept.
        return render(request, "stats/dashboard.html", {"form": form}, status=400)
    d = dashboard.build(form.scope(request.user), form.today)
    response = HttpResponse(
        export.workbook(d),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"督查督办统计-{d.scope.year or ''}-{d.today:%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
