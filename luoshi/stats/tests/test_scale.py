"""What keeps the dashboard fast at province scale without changing a figure: the scope's
index-friendly conditions select exactly what the selectors and the ledger's filters do, the
overall figures are the sums of the units' rows, and a long ranking is cut to its head and
tail on the dashboard with the full ranking a page at a time."""

from datetime import date

import pytest
from django.urls import reverse

from luoshi.ledger.filters import assigned_q
from luoshi.ledger.models import Assignment
from luoshi.ledger.selectors import assignment_queryset_for
from luoshi.stats import ranking
from luoshi.stats.figures import RATE_NAMES, Scope, by_unit, overall, summary, tasks_in_scope
from luoshi.stats.tests.conftest import TODAY
from luoshi.stats.tests.dataset import _task

EXTRA_UNITS = ["市教育局", "市民政局", "市财政局", "市水利局"]


@pytest.fixture
def six_units(data, users, units):
    """The dataset's two units plus four more, one task each, in progress."""
    for i, lead in enumerate(EXTRA_UNITS):
        _task(users, units, f"追加{i}", lead, date(2026, 12, 31), status="in_progress",
              assigned_at=data["H3"].assigned_at)  # fmt: skip
    return data


def test_it_selects_the_tasks_the_selectors_allow(data, users) -> None:
    """Who sees what is the selectors' rule, for every role (one subquery, same rows)."""
    for name, user in users.items():
        expected = set(
            assignment_queryset_for(user).filter(assigned_q()).values_list("pk", flat=True)
        )
        assert set(tasks_in_scope(Scope(user)).values_list("pk", flat=True)) == expected, name
        in_2026 = {pk for pk in expected
                   if Assignment.objects.get(pk=pk).matter.year == 2026}  # fmt: skip
        got = set(tasks_in_scope(Scope(user, year=2026)).values_list("pk", flat=True))
        assert got == in_2026, name


def test_it_reads_a_period_as_local_days(data, users) -> None:
    """E2 was assigned at 00:30 on 1 October local time (30 September in UTC)."""
    office = users["office"]
    one_day = Scope(office, date_from=date(2026, 10, 1), date_to=date(2026, 10, 1))
    assert list(tasks_in_scope(one_day).values_list("pk", flat=True)) == [data["E2"].pk]
    day_before = Scope(office, date_from=date(2026, 9, 30), date_to=date(2026, 9, 30))
    assert not tasks_in_scope(day_before).exists()


def test_the_overall_figures_are_the_units_sums(six_units, users, units) -> None:
    office = users["office"]
    for scope in (Scope(office, year=2026), Scope(office),
                  Scope(office, year=2026, unit=units["市住房和城乡建设局"])):  # fmt: skip
        total, rows = summary(scope, TODAY)
        assert total == overall(scope, TODAY)
        assert rows == by_unit(scope, TODAY)
        assert total.tasks == sum(u.tasks for u in rows)
        for name in RATE_NAMES:
            rate = getattr(total, name)
            assert rate.numerator == sum(getattr(u, name).numerator for u in rows), name
            assert rate.denominator == sum(getattr(u, name).denominator for u in rows), name


def test_the_partial_indexes_hold_what_the_figures_count() -> None:
    """The reports' and reviews' indexes only serve queries whose condition implies theirs."""
    from django.db.models import Q

    from luoshi.followup.models import ProgressReport
    from luoshi.ledger.filters import REVIEW_ACTIONS
    from luoshi.ledger.models import MatterEvent

    reviews = {i.name: i for i in MatterEvent._meta.indexes}["event_task_reviews"]
    assert reviews.condition == Q(action__in=list(REVIEW_ACTIONS))
    reports = {i.name: i for i in ProgressReport._meta.indexes}["report_task_lead_late"]
    assert reports.condition == Q(kind=ProgressReport.LEAD)


def test_it_cuts_a_long_ranking_to_its_head_and_tail() -> None:
    assert ranking.on_dashboard(ranking.SHOW_ALL_UP_TO).hidden == 0
    shown = ranking.on_dashboard(1500)
    assert shown.ranks[: ranking.HEAD] == list(range(1, ranking.HEAD + 1))
    assert shown.ranks[-1] == 1500 and len(shown.ranks) == ranking.HEAD + ranking.TAIL
    assert shown.hidden == 1500 - ranking.HEAD - ranking.TAIL
    rows = ranking.mark_gaps([{"rank": r} for r in shown.ranks])
    gaps = [row["gap"] for row in rows if "gap" in row]
    assert gaps == [(ranking.HEAD + 1, 1500 - ranking.TAIL)]


@pytest.fixture
def small_ranking(monkeypatch):
    monkeypatch.setattr(ranking, "SHOW_ALL_UP_TO", 3)
    monkeypatch.setattr(ranking, "HEAD", 2)
    monkeypatch.setattr(ranking, "TAIL", 2)
    monkeypatch.setattr(ranking, "PAGE_SIZE", 4)


def test_the_dashboard_shows_head_and_tail_and_links_the_full_ranking(
    office_client, six_units, small_ranking
) -> None:
    html = office_client.get(reverse("stats:dashboard"), {"year": 2026}).content.decode()
    assert html.count("<tr data-unit=") == 4
    assert "第 3–4 名略" in html
    assert "共 6 个单位，此处列出前 2 名和后 2 名" in html
    assert f'href="{reverse("stats:ranking")}?year=2026"' in html


def test_the_full_ranking_pages_and_finds_a_unit(office_client, six_units, small_ranking) -> None:
    url = reverse("stats:ranking")
    first = office_client.get(url, {"year": 2026}).content.decode()
    assert first.count("<tr data-unit=") == 4
    assert "第 1 / 2 页，共 6 个单位" in first
    assert "year=2026&amp;page=2" in first
    second = office_client.get(url, {"year": 2026, "page": 2}).content.decode()
    assert second.count("<tr data-unit=") == 2
    assert "<td>6</td>" in second
    found = office_client.get(url, {"year": 2026, "name": "生态"}).content.decode()
    assert found.count("<tr data-unit=") == 1
    assert '<td>1</td><th scope="row">市生态环境局</th>' in found  # its rank in the whole list
    none = office_client.get(url, {"year": 2026, "name": "不存在"}).content.decode()
    assert "没有名称含“不存在”的单位。" in none


def test_the_full_ranking_explains_bad_filters(office_client) -> None:
    html = office_client.get(reverse("stats:ranking"), {"year": "abc"}).content.decode()
    assert "年度应为四位数字。" in html


@pytest.mark.parametrize("username", ["liaison_a", "sysadmin"])
def test_the_full_ranking_is_closed_to_units_and_admins(client, users, now, username) -> None:
    client.force_login(users[username])
    assert client.get(reverse("stats:ranking")).status_code == 403
