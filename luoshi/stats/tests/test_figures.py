"""Every figure of the hand-built dataset (see dataset.py), its scope filters, who may see
what, and the number of queries (fixed, whatever the data)."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.stats import breakdowns, dashboard
from luoshi.stats.figures import Rate, Scope, by_unit, overall
from luoshi.stats.tests.conftest import TODAY


def rates(f):
    return {
        "completion": (f.completion.numerator, f.completion.denominator, f.completion.percent),
        "on_time": (f.on_time.numerator, f.on_time.denominator, f.on_time.percent),
        "overdue_rate": (f.overdue_rate.numerator, f.overdue_rate.denominator,
                         f.overdue_rate.percent),
        "sign_on_time": (f.sign_on_time.numerator, f.sign_on_time.denominator,
                         f.sign_on_time.percent),
        "report_on_time": (f.report_on_time.numerator, f.report_on_time.denominator,
                           f.report_on_time.percent),
        "returned": (f.returned.numerator, f.returned.denominator, f.returned.percent),
    }  # fmt: skip


def test_it_rounds_rates_and_shows_a_dash_without_a_denominator() -> None:
    assert Rate(2, 3).percent == 66.7
    assert Rate(2, 3).display == "66.7%"
    assert Rate(1, 1).display == "100%"
    assert Rate(0, 0).percent is None
    assert Rate(0, 0).display == "—"


def test_it_computes_every_overall_figure(data, users) -> None:
    f = overall(Scope(users["office"], year=2026), TODAY)
    assert (f.tasks, f.completed, f.overdue) == (6, 3, 3)
    assert rates(f) == {
        "completion": (3, 6, 50.0),
        "on_time": (2, 3, 66.7),  # H2 finished on the 11th local time (the 10th in UTC)
        "overdue_rate": (3, 6, 50.0),  # H2 late, H3 and E2 open past their deadline
        "sign_on_time": (4, 5, 80.0),  # H2 signed on the 4th local time
        "report_on_time": (2, 4, 50.0),  # lead reports only
        "returned": (2, 5, 40.0),  # the office's decisions only
    }
    assert f.lights == {"red": 2, "yellow": 0, "green": 1}


def test_it_ranks_the_units(data, users, units) -> None:
    rows = by_unit(Scope(users["office"], year=2026), TODAY)
    assert [r.unit_name for r in rows] == ["市生态环境局", "市住房和城乡建设局"]
    eco, housing = rows
    assert eco.unit_id == units["市生态环境局"].pk
    assert (eco.tasks, eco.completed, eco.overdue) == (2, 1, 1)
    assert rates(eco) == {
        "completion": (1, 2, 50.0), "on_time": (1, 1, 100.0), "overdue_rate": (1, 2, 50.0),
        "sign_on_time": (1, 1, 100.0), "report_on_time": (0, 1, 0.0), "returned": (1, 1, 100.0),
    }  # fmt: skip
    assert (housing.tasks, housing.completed, housing.overdue) == (4, 2, 2)
    assert rates(housing) == {
        "completion": (2, 4, 50.0), "on_time": (1, 2, 50.0), "overdue_rate": (2, 4, 50.0),
        "sign_on_time": (3, 4, 75.0), "report_on_time": (2, 3, 66.7), "returned": (1, 4, 25.0),
    }  # fmt: skip
    assert housing.lights == {"red": 1, "yellow": 0, "green": 1}


def test_it_filters_by_year_period_leader_and_unit_subtree(data, users, units) -> None:
    office = users["office"]
    assert overall(Scope(office), TODAY).tasks == 8  # every year
    assert overall(Scope(office, year=2025), TODAY).tasks == 2
    # October by local date: E2 was assigned at 00:30 on 1 October (30 September in UTC).
    october = Scope(office, year=2026, date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
    f = overall(october, TODAY)
    assert (f.tasks, f.completed, f.overdue) == (4, 3, 2)
    assert overall(Scope(office, year=2026, leader_id=users["leader"].pk), TODAY).tasks == 1
    housing = overall(Scope(office, year=2026, unit=units["市住房和城乡建设局"]), TODAY)
    assert housing.tasks == 4
    district = Scope(office, year=2025, unit=units["东湖区"])
    assert overall(district, TODAY).tasks == 1
    assert [u.unit_name for u in by_unit(district, TODAY)] == ["湖滨街道"]
    assert overall(Scope(office, year=2026, unit=units["清河市人民政府"]), TODAY).tasks == 6


def test_it_counts_matters_by_dimension(data, users, units) -> None:
    t = breakdowns.totals(Scope(users["office"], year=2026))
    counts = {name: {b.key: b.count for b in buckets} for name, buckets in t.items()}
    assert counts["status"]["closed"] == 3
    assert counts["status"]["in_progress"] == 4
    assert counts["status"]["draft"] == 1
    assert counts["source"] == {**dict.fromkeys(counts["source"], 0), "instruction": 1,
                                "meeting": 7}  # fmt: skip
    assert counts["category"]["special"] == 1
    assert counts["priority"]["key"] == 1
    # The unit subtree: matters with a live task of the unit (H5 was cancelled).
    t = breakdowns.totals(Scope(users["office"], year=2026, unit=units["市住房和城乡建设局"]))
    assert sum(b.count for b in t["status"]) == 4
    october = Scope(users["office"], year=2026, date_from=date(2026, 10, 1),
                    date_to=date(2026, 10, 31))  # fmt: skip
    assert sum(b.count for b in breakdowns.totals(october)["status"]) == 4


def test_it_builds_the_monthly_trend_in_local_time(data, users) -> None:
    months = breakdowns.trend(Scope(users["office"], year=2026), TODAY)
    assert len(months) == 12
    october, november = months[9], months[10]
    assert (october.assigned, november.assigned) == (4, 2)
    assert (november.completed, november.on_time) == (3, 2)
    assert (months[8].approved, october.approved) == (0, 7)  # H1: 1 October local
    assert november.closed == 3
    assert sum(m.assigned for m in months) == 6


def test_it_never_exceeds_what_the_user_may_see(data, users) -> None:
    office = overall(Scope(users["office"], year=2026), TODAY)
    observer = overall(Scope(users["observer"], year=2026), TODAY)
    assert rates(observer) == rates(office)
    liaison = overall(Scope(users["liaison_a"], year=2026), TODAY)
    assert liaison.tasks == 4  # its own unit's tasks only (H1–H4)
    assert {u.unit_name for u in by_unit(Scope(users["liaison_a"], year=2026), TODAY)} == {
        "市住房和城乡建设局"
    }


def _queries(scope: Scope) -> int:
    with CaptureQueriesContext(connection) as ctx:
        dashboard.build(scope, TODAY)
    return len(ctx.captured_queries)


def test_it_uses_a_fixed_number_of_queries(data, users, units, django_assert_max_num_queries):
    from luoshi.stats.tests.dataset import _task

    scope = Scope(users["office"], year=2026, unit=units["清河市人民政府"])
    before = _queries(scope)
    for i, lead in enumerate(["市教育局", "市民政局", "市财政局", "市水利局"]):
        _task(users, units, f"追加{i}", lead, date(2026, 12, 31), status="in_progress")
    assert len(by_unit(scope, TODAY)) == 6
    with django_assert_max_num_queries(before):
        dashboard.build(scope, TODAY)
    assert before <= 20
