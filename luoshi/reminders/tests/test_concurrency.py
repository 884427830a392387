"""Two sweeps at once (two loop processes, or a runner restarted mid-sweep) fire each
reminder once and send each person one digest."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import time_machine
from django.db import connection

from luoshi.notify.models import Notification
from luoshi.reminders.models import Reminder
from luoshi.reminders.sweep import sweep
from luoshi.workbench.tests import scenario


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="threads need a server database")
def test_two_sweeps_at_once_fire_each_reminder_once(calendar_seeded, users, units):
    with time_machine.travel("2026-11-23 09:30 +0800", tick=False) as clock:
        scenario.build(users, units, clock)
    with time_machine.travel("2026-11-25 08:00 +0800", tick=True):
        start = threading.Barrier(2)
        results: list[object] = []

        def run() -> None:
            try:
                start.wait()
                results.append(sweep())
            except Exception as exc:  # a sweep that lost the race rolls back and says so
                results.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        sweep()  # whatever the loser left undone, the next run finishes
    assert len(results) == 2
    keys = list(
        Reminder.objects.values_list("object_type", "object_id", "rule", "due_date", "stage",
                                     "recipient_id")
    )  # fmt: skip
    assert keys and len(keys) == len(set(keys))
    per_person = Notification.objects.filter(kind="digest").values_list("user_id", flat=True)
    assert len(per_person) == len(set(per_person))
    assert not Reminder.objects.filter(digest_key="").exists()


def test_a_sweep_that_crashed_is_rolled_back_and_redone(users, units, monkeypatch):
    with time_machine.travel("2026-11-23 09:30 +0800", tick=False) as clock:
        scenario.build(users, units, clock)
        clock.move_to("2026-11-25 08:00 +0800")

        def crash(today):
            raise RuntimeError("进程被终止")

        monkeypatch.setattr("luoshi.reminders.sweep.send_digests", crash)
        with pytest.raises(RuntimeError):
            sweep()
        assert not Reminder.objects.exists()  # nothing half-done
        monkeypatch.undo()
        first = sweep()
        assert first["reminders"] > 0 and first["digests"] > 0
        assert sweep()["reminders"] == 0
    assert Notification.objects.filter(kind="digest").count() == first["digests"]
    assert date(2026, 11, 25) in set(Reminder.objects.values_list("fired_on", flat=True))
