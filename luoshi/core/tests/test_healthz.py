from datetime import timedelta

import pytest
from django.utils import timezone

from luoshi.core.loops import LOOPS, run_due_loops
from luoshi.core.models import LoopHeartbeat

pytestmark = pytest.mark.django_db


def test_it_reports_the_database_and_loops(client, calendar_seeded) -> None:
    body = client.get("/healthz").json()
    assert body["database"]["ok"] is True
    assert body["status"] == "degraded"  # no loop has ever run
    assert {loop["name"] for loop in body["loops"]} == {loop.name for loop in LOOPS}
    run_due_loops()
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert all(loop["last_heartbeat"] for loop in body["loops"])


def test_it_flags_a_stopped_loop(client, calendar_seeded) -> None:
    run_due_loops()
    LoopHeartbeat.objects.filter(name="sessions_cleanup").update(
        last_beat_at=timezone.now() - timedelta(hours=5)
    )
    body = client.get("/healthz").json()
    stale = {loop["name"]: loop["stale"] for loop in body["loops"]}
    assert stale == {loop.name: loop.name == "sessions_cleanup" for loop in LOOPS}
    assert body["status"] == "degraded"
