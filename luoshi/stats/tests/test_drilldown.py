"""The list behind each figure holds exactly the rows the figure counted."""

from datetime import date
from urllib.parse import urlsplit

from django.http import QueryDict

from luoshi.accounts.models import User
from luoshi.ledger.filters import TaskFilter
from luoshi.ledger.selectors import assignment_queryset_for
from luoshi.org.models import Unit
from luoshi.stats import dashboard
from luoshi.stats.figures import RATE_NAMES, Scope
from luoshi.stats.tests.conftest import TODAY
from luoshi.workbench.tests import scenario


def listed(user, url: str) -> int:
    params = QueryDict(urlsplit(url).query)
    return TaskFilter.from_query(params).apply(assignment_queryset_for(user), TODAY).count()


def check_every_task_figure(user, scope: Scope) -> None:
    d = dashboard.build(scope, TODAY)
    for card in dashboard.rate_cards(d):
        assert listed(user, card["den_url"]) == card["rate"].denominator or card["name"] in {
            "report_on_time", "returned"  # reports and reviews: the list shows their tasks
        }, card["name"]  # fmt: skip
        if card["name"] not in {"report_on_time", "returned"}:
            assert listed(user, card["num_url"]) == card["rate"].numerator, card["name"]
    for row in dashboard.unit_rows(d):
        u = row["u"]
        assert listed(user, row["tasks_url"]) == u.tasks
        assert listed(user, row["completed_url"]) == u.completed
        assert listed(user, row["overdue_url"]) == u.overdue
        for name, (_label, rate, url) in zip(RATE_NAMES, row["rates"], strict=True):
            if name not in {"report_on_time", "returned"}:
                assert listed(user, url) == rate.numerator, (u.unit_name, name)
    charts = dashboard.chart_data(d)
    for item in charts["lights"]:
        assert listed(user, item["url"]) == item["value"]
    for key in ("assigned", "completed", "on_time"):
        for item in charts["trend"][key]:
            assert listed(user, item["url"]) == item["value"]


def test_it_links_each_task_figure_to_exactly_its_tasks(data, users, units) -> None:
    office = users["office"]
    check_every_task_figure(office, Scope(office, year=2026))
    check_every_task_figure(office, Scope(office, year=2026, unit=units["市住房和城乡建设局"]))
    check_every_task_figure(office, Scope(office, year=2026, leader_id=users["vleader"].pk))


def test_it_links_report_figures_to_the_tasks_they_concern(data, users) -> None:
    office = users["office"]
    d = dashboard.build(Scope(office, year=2026), TODAY)
    cards = {c["name"]: c for c in dashboard.rate_cards(d)}
    assert listed(office, cards["report_on_time"]["den_url"]) == 3  # H3, H4, E1
    assert listed(office, cards["report_on_time"]["num_url"]) == 2  # H3, H4
    assert listed(office, cards["returned"]["num_url"]) == 2  # H3, E1
    assert listed(office, cards["returned"]["den_url"]) == 3  # H3, H4, E1


def test_it_agrees_with_the_lists_on_a_ledger_built_through_the_services(users, units, now):
    import time_machine

    with time_machine.travel("2026-11-02 09:00 +0800", tick=False) as clock:
        scenario.build(users, units, clock)
    office = users["office"]
    check_every_task_figure(office, Scope(office, year=2026))
    f = dashboard.build(Scope(office, year=2026), TODAY).overall
    # The scenario: 15 tasks assigned (not the one waiting for approval; the cancellation
    # is only requested), three verified, the red one overdue, one report returned.
    assert (f.tasks, f.completed) == (15, 3)
    assert f.overdue == 1
    assert (f.returned.numerator, f.returned.denominator) == (1, 1)


def test_the_task_list_page_shows_the_counted_rows(office_client, data, users) -> None:
    d = dashboard.build(Scope(users["office"], year=2026), TODAY)
    housing = next(r for r in dashboard.unit_rows(d) if r["u"].unit_name == "市住房和城乡建设局")
    response = office_client.get(housing["overdue_url"])
    html = response.content.decode()
    assert html.count("data-assignment=") == 2
    assert "逾期（超期未办结或逾期办结）" in html
    assert data["H2"].task in html and data["H3"].task in html


def test_the_ledger_shows_the_counted_matters(office_client, data, users) -> None:
    d = dashboard.build(Scope(users["office"], year=2026), TODAY)
    for item in dashboard.chart_data(d)["status"]:
        if item["value"]:
            html = office_client.get(item["url"]).content.decode()
            assert html.count("data-matter=") == item["value"], item["key"]


def listed_matters(user, url: str) -> int:
    from luoshi.ledger.filters import apply_filters
    from luoshi.ledger.forms import FilterForm
    from luoshi.ledger.selectors import matter_queryset_for

    # Every unit and every user is a valid choice (the links may name any of them); only
    # the existing ones, since Django normalises the whole list on each assignment.
    form = FilterForm(QueryDict(urlsplit(url).query), unit_choices=[], leader_choices=[])
    units = Unit.objects.values_list("pk", flat=True)
    leaders = User.objects.values_list("pk", flat=True)
    form.fields["lead_unit"].choices = [("", "")] + [(str(u), u) for u in units]  # type: ignore[attr-defined]
    form.fields["leader"].choices = [("", "")] + [(str(u), u) for u in leaders]  # type: ignore[attr-defined]
    assert form.is_valid(), form.errors
    return apply_filters(matter_queryset_for(user), form.cleaned_data).count()


def test_it_links_matter_figures_of_a_period_and_the_trend_to_exactly_their_matters(
    users, units, now
) -> None:
    import time_machine

    with time_machine.travel("2026-11-02 09:00 +0800", tick=False) as clock:
        scenario.build(users, units, clock)
    office = users["office"]
    for scope in (
        Scope(office, year=2026),
        Scope(office, year=2026, date_from=date(2026, 11, 1), date_to=date(2026, 11, 30)),
        Scope(office, year=2026, date_from=date(2026, 1, 1), date_to=date(2026, 10, 31)),
    ):
        d = dashboard.build(scope, TODAY)
        charts = dashboard.chart_data(d)
        for name in ("status", "source", "category", "priority"):
            for item in charts[name]:
                assert listed_matters(office, item["url"]) == item["value"], (name, item)
        for key in ("approved", "closed"):
            for item in charts["trend"][key]:
                assert listed_matters(office, item["url"]) == item["value"], (key, item)
    # The built ledger has matters approved in November; the trend links find them.
    november = dashboard.chart_data(dashboard.build(Scope(office, year=2026), TODAY))
    assert november["trend"]["approved"][10]["value"] > 0
