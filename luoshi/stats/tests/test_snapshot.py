"""统计快照: at province scale the dashboard is served as of a moment, recomputed on time."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from luoshi.ledger.models import Assignment
from luoshi.stats import dashboard, snapshot
from luoshi.stats.figures import Scope
from luoshi.stats.models import Snapshot
from luoshi.stats.tests.conftest import TODAY
from luoshi.stats.tests.dataset import HOUSING, _task

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(settings):
    """The threshold lowered so that the small data set counts as a province."""
    settings.STATS_SNAPSHOT_FROM_TASKS = 1
    settings.STATS_SNAPSHOT_SECONDS = 600


def _more_work(users, units, data) -> None:
    _task(users, units, "追加任务", HOUSING, date(2026, 12, 31), status="in_progress",
          assigned_at=data["H3"].assigned_at)  # fmt: skip


def test_below_the_threshold_every_dashboard_is_live(users, data) -> None:
    served = snapshot.get(Scope(users["office"], year=2026), TODAY)
    assert served.as_of is None
    assert not Snapshot.objects.exists()


def test_a_snapshot_holds_exactly_what_was_computed(users, data, province) -> None:
    scope = Scope(users["office"], year=2026)
    served = snapshot.get(scope, TODAY)
    assert served.as_of is not None and Snapshot.objects.count() == 1
    again = snapshot.get(scope, TODAY)
    assert again.as_of == served.as_of  # read back, not recomputed
    assert snapshot.dump(again.dashboard) == snapshot.dump(dashboard.build(scope, TODAY))
    assert again.dashboard.trend[0].start == date(2026, 1, 1)


def test_it_is_recomputed_when_stale_or_asked(users, units, data, province) -> None:
    scope = Scope(users["office"], year=2026)
    first = snapshot.get(scope, TODAY)
    tasks = first.dashboard.overall.tasks
    _more_work(users, units, data)
    assert snapshot.get(scope, TODAY).dashboard.overall.tasks == tasks  # as of its moment
    assert snapshot.get(scope, TODAY, refresh=True).dashboard.overall.tasks == tasks + 1
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        later = snapshot.get(scope, TODAY)
    assert later.as_of is not None and first.as_of is not None and later.as_of > first.as_of


def test_viewers_whose_grants_differ_never_share_figures(users, data, province) -> None:
    assert snapshot.viewer(users["office"]) == "all"
    assert snapshot.viewer(users["liaison_a"]) == f"user{users['liaison_a'].pk}"
    whole = snapshot.get(Scope(users["office"], year=2026), TODAY).dashboard.overall.tasks
    own = snapshot.get(Scope(users["liaison_a"], year=2026), TODAY).dashboard.overall.tasks
    assert own == dashboard.build(Scope(users["liaison_a"], year=2026), TODAY).overall.tasks
    assert own < whole
    assert Snapshot.objects.count() == 2


def test_the_loop_keeps_the_city_figures_fresh(users, data, province) -> None:
    assert snapshot.refresh_loop() == f"已重算：{timezone.localdate().year}、全部年度"
    assert snapshot.refresh_loop() == "快照仍新鲜"
    with time_machine.travel(timezone.now() + timedelta(minutes=9), tick=False):
        assert snapshot.refresh_loop().startswith("已重算")  # two minutes before expiry


def test_the_loop_computes_nothing_below_the_threshold(users, data) -> None:
    assert snapshot.refresh_loop() == "任务数未达快照门槛，统计实时计算"
    assert not Snapshot.objects.exists()


def test_the_page_and_the_api_say_as_of_when(client, users, units, data, province) -> None:
    client.force_login(users["office"])
    page = client.get("/stats/?year=2026").content.decode()
    assert "数据截至" in page and "refresh=1" in page
    body = client.get("/api/v1/stats/?year=2026").json()
    assert body["as_of"] is not None
    _more_work(users, units, data)
    assert (
        client.get("/api/v1/stats/?year=2026").json()["overall"]["tasks"]
        == (body["overall"]["tasks"])
    )
    client.get("/stats/?year=2026&refresh=1")
    fresh = client.get("/api/v1/stats/?year=2026").json()
    assert fresh["overall"]["tasks"] == body["overall"]["tasks"] + 1
    assert Assignment.objects.exists()
