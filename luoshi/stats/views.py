"""统计分析 pages: the dashboard, the full unit ranking and the Excel export. Read-only: they
parse the filters, ask ``snapshot.get`` (the figures, live or as of a moment at province
scale) and render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from luoshi.core.decorators import role_required
from luoshi.core.downloads import content_disposition
from luoshi.core.navigation import LIGHT_READERS
from luoshi.core.types import AuthedRequest
from luoshi.stats import dashboard, export, ranking, snapshot
from luoshi.stats.figures import RATE_LABELS, RATE_NAMES
from luoshi.stats.forms import StatsFilterForm

OWN = ("name", "page", "refresh")  # the pages' own parameters, not filters


def _form(request: AuthedRequest) -> StatsFilterForm:
    today = timezone.localdate()
    data = request.GET if request.GET else {"year": str(today.year)}
    return StatsFilterForm(data, today=today)


def _filters_query(request: AuthedRequest) -> str:
    """The dashboard's filters of this request, without the ranking page's own parameters."""
    query = request.GET.copy()
    for own in OWN:
        query.pop(own, None)
    return query.urlencode()


@role_required(LIGHT_READERS)
def dashboard_page(request: AuthedRequest) -> HttpResponse:
    form = _form(request)
    context: dict = {"form": form, "query": _filters_query(request)}
    if form.is_valid():
        refresh = request.GET.get("refresh") == "1"
        served = snapshot.get(form.scope(request.user), form.today, refresh=refresh)
        d = served.dashboard
        shown = ranking.on_dashboard(len(d.units))
        context.update(
            d=d,
            as_of=served.as_of,
            fresh_minutes=snapshot.fresh_for().seconds // 60,
            cards=dashboard.rate_cards(d),
            units=ranking.mark_gaps(dashboard.unit_rows(d, shown.ranks)),
            shown=shown,
            rate_labels=[RATE_LABELS[n] for n in RATE_NAMES],
            months=dashboard.month_rows(d),
            charts=dashboard.chart_data(d),
            scope_text=export.scope_text(d),
        )
    return render(request, "stats/dashboard.html", context)


@role_required(LIGHT_READERS)
def ranking_page(request: AuthedRequest) -> HttpResponse:
    """Every unit of the ranking, a page at a time, optionally those whose name matches."""
    form = _form(request)
    name = request.GET.get("name", "")[:50]
    query = _filters_query(request)
    hidden = [(k, v) for k, values in request.GET.lists() if k not in OWN for v in values]
    context: dict = {"form": form, "query": query, "name": name, "hidden": hidden,
                     "rate_labels": [RATE_LABELS[n] for n in RATE_NAMES]}  # fmt: skip
    if form.is_valid():
        scope = form.scope(request.user)
        served = snapshot.get(scope, form.today)
        units = served.dashboard.units
        page = Paginator(ranking.matching(units, name), ranking.PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context.update(
            total=len(units),
            as_of=served.as_of,
            page=page,
            units=dashboard.ranking_rows(scope, units, page.object_list),
            scope_text=export.describe(scope, form.today),
            page_query="&".join(p for p in (query, urlencode({"name": name}) if name else "") if p),
        )
    return render(request, "stats/ranking.html", context)


@role_required(LIGHT_READERS)
def export_xlsx(request: AuthedRequest) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        # The page shows what is wrong beside the filter, with the input kept.
        return render(request, "stats/dashboard.html", {"form": form}, status=400)
    d = snapshot.get(form.scope(request.user), form.today).dashboard
    response = HttpResponse(
        export.workbook(d),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"督查督办统计-{d.scope.year or ''}-{d.today:%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
