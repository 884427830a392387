from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from luoshi.core.loops import loop_by_name, run_due_loops, run_one
from luoshi.core.models import LoopHeartbeat
from luoshi.workcal.models import CalendarYear

pytestmark = pytest.mark.django_db


def test_it_runs_each_loop_once_per_interval(calendar_seeded) -> None:
    # A fixed morning: an hour later no daily loop's time of day has come round (on the
    # real clock this failed when run within an hour before 00:05, the lights' time).
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False) as clock:
        first = run_due_loops()
        assert set(first) == {
            "calendar_sync", "sessions_cleanup", "lights_daily", "reminders_daily", "outbox",
            "accounts_inactive", "audit_purge", "stats_snapshots",
        }  # fmt: skip
        assert run_due_loops() == {}  # nothing due again straight away
        loop = loop_by_name("sessions_cleanup")
        clock.shift(timedelta(seconds=loop.interval_seconds + 1))
        # The outbox (15 s) and the statistics snapshots (5 min) are due again too.
        assert set(run_due_loops()) == {"sessions_cleanup", "outbox", "stats_snapshots"}
    assert LoopHeartbeat.objects.get(name="sessions_cleanup").runs == 2


def test_it_runs_a_daily_loop_at_its_time_of_day(calendar_seeded) -> None:
    with time_machine.travel("2026-11-23 15:00 +0800", tick=False):
        assert "lights_daily" in run_due_loops()
        hb = LoopHeartbeat.objects.get(name="lights_daily")
        assert timezone.localtime(hb.next_run_at).isoformat() == "2026-11-24T00:05:00+08:00"
    with time_machine.travel("2026-11-24 00:04 +0800", tick=False):
        assert "lights_daily" not in run_due_loops()
    with time_machine.travel("2026-11-24 00:05 +0800", tick=False):
        assert "lights_daily" in run_due_loops()


def test_it_lets_only_one_runner_claim_a_step(calendar_seeded) -> None:
    run_due_loops()
    LoopHeartbeat.objects.update(next_run_at=timezone.now() - timedelta(seconds=1))
    loop = loop_by_name("calendar_sync")
    assert run_one(loop) is not None
    assert run_one(loop) is None  # a second runner finds it already claimed


def test_it_adds_years_a_newer_package_knows(calendar_seeded) -> None:
    CalendarYear.objects.filter(year=2026).delete()
    with time_machine.travel("2026-11-23 09:00 +0800"):
        summary = run_one(loop_by_name("calendar_sync"))
    assert summary is not None
    assert "新增 2026 年" in summary
    assert "2027 年安排尚未录入" in summary


def test_it_records_a_failure_and_keeps_going(calendar_seeded, monkeypatch) -> None:
    def boom() -> str:
        raise RuntimeError("模拟故障")

    monkeypatch.setattr("luoshi.core.housekeeping.sessions_cleanup", boom)
    results = run_due_loops()
    assert results["sessions_cleanup"].startswith("失败")
    assert "模拟故障" in LoopHeartbeat.objects.get(name="sessions_cleanup").last_error
    assert LoopHeartbeat.objects.get(name="calendar_sync").last_ok_at is not None


def test_a_loop_that_talks_to_the_outside_commits_as_it_goes(calendar_seeded) -> None:
    # Delivery claims rows and records attempts outside one big transaction, so a crash
    # in the middle leaves the claims and attempts visible to other runners.
    assert loop_by_name("outbox").atomic is False
    assert loop_by_name("reminders_daily").atomic is True
    assert "outbox" in run_due_loops()


def test_it_runs_once_from_the_command(calendar_seeded, capsys) -> None:
    call_command("runloops", "--once")
    assert "[calendar_sync]" in capsys.readouterr().out


def test_it_runs_only_the_named_loops_in_a_separate_process(calendar_seeded, capsys) -> None:
    call_command("runloops", "--once", "--only", "outbox")
    out = capsys.readouterr().out
    assert "[outbox]" in out and "[calendar_sync]" not in out
    assert not LoopHeartbeat.objects.filter(name="calendar_sync").exists()


def test_it_refuses_an_unknown_loop_name(calendar_seeded) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有这些循环：mail"):
        call_command("runloops", "--once", "--only", "mail")
