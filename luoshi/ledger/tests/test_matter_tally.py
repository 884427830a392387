"""The kept matter counts agree with counting the matters, whatever wrote them, and the
ledger's tabs read them only when they answer the filters exactly."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from luoshi.core import tallies
from luoshi.ledger import filters, tally
from luoshi.ledger.models import Matter, MatterTally
from luoshi.ledger.states import Light, MatterStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel("2026-11-23 09:30 +0800", tick=False) as traveller:
        yield traveller


FILTERS: list[dict[str, Any]] = [{}, {"year": 2026}, {"year": 2025}, {"category": "routine"},
           {"year": 2026, "source": "meeting", "priority": "key"},
           {"status": MatterStatus.IN_PROGRESS}, {"light": Light.RED, "sort": "title"}]  # fmt: skip


def agree() -> None:
    for data in FILTERS:
        unfiltered = filters.apply_filters(Matter.objects.all(), data, with_status=False,
                                           with_light=False)  # fmt: skip
        counted = filters.status_light_counts(unfiltered, data)
        assert filters.status_light_counts(unfiltered, data, tally.grid(data)) == counted, data


def test_it_counts_what_the_services_write(scene) -> None:
    assert Matter.objects.count() > 5
    agree()


def test_it_counts_bulk_updates_saves_and_deletes(scene) -> None:
    Matter.objects.filter(status=MatterStatus.IN_PROGRESS).update(light=Light.RED)  # lights pass
    agree()
    m = Matter.objects.order_by("id").first()
    assert m is not None
    m.year, m.priority = 2025, "key"
    m.save()
    agree()
    m.save()  # nothing counted changed
    agree()
    Matter.objects.filter(pk=m.pk).delete()
    agree()


def test_rebuild_recounts_after_a_load_the_triggers_did_not_see(scene) -> None:
    MatterTally.objects.all().delete()
    tally.recount()
    agree()


def test_folding_keeps_the_counts(scene) -> None:
    Matter.objects.update(light=Light.YELLOW)
    Matter.objects.update(light=Light.GREEN)
    tallies.fold(tally.SPEC)
    agree()


@pytest.mark.parametrize(("data", "answers"), [
    ({}, True), ({"year": 2026, "status": "in_progress", "sort": "title"}, True),
    ({"q": "安全生产"}, False), ({"lead_unit": 3}, False), ({"due_from": "2026-01-01"}, False),
    ({"q": "", "lead_unit": None}, True),
])  # fmt: skip
def test_it_answers_only_the_filters_it_holds(data, answers) -> None:
    assert tally.answers(data) is answers


def test_the_office_ledger_reads_the_tally_and_a_unit_counts(client, users, units,
                                                             scene) -> None:  # fmt: skip
    from luoshi.accounts.models import RoleGrant, User

    # An inspector of one department only: its view is not the whole ledger.
    housing = units["市住房和城乡建设局"]
    narrow = User.objects.create_user("narrow_inspector", password="x", name="单位督查员",
                                      unit=housing)  # fmt: skip
    RoleGrant.objects.create(user=narrow, role="inspector", unit=housing)
    users["narrow_inspector"] = narrow
    for username, reads_tally in (("office", True), ("narrow_inspector", False)):
        client.force_login(users[username])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/ledger/").status_code == 200
        used = any("ledger_mattertally" in q["sql"] for q in ctx.captured_queries)
        assert used is reads_tally, username
    client.force_login(users["office"])
    with CaptureQueriesContext(connection) as ctx:
        client.get("/ledger/?q=任务")
    assert not any("ledger_mattertally" in q["sql"] for q in ctx.captured_queries)


def test_counted_grid_matches_a_plain_count(scene) -> None:
    plain = dict(Matter.objects.order_by().values_list("status").annotate(n=Count("id")))
    by_status, _lights = filters.status_light_counts(Matter.objects.all(), {}, tally.grid({}))
    assert by_status == plain
