"""The sweep reads and writes in batches: its statements do not grow with the tasks due.

It reads only the columns ``plan`` needs; a column it forgot would be loaded task by task
(``SELECT … WHERE id = … LIMIT 21``), silently, which this catches."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.reminders.models import Reminder
from luoshi.reminders.tests.conftest import sweep_on
from luoshi.workbench.tests import scenario

ONE_ROW = re.compile(r'WHERE "\w+"\."id" = \d+ LIMIT \d+')


@pytest.fixture
def built(users, units, clock):
    made = scenario.build(users, units, clock)
    # More tasks due on the 24th (deadline day, and one the day after), for another unit too.
    for i, (lead, due) in enumerate([("市住房和城乡建设局", date(2026, 11, 24)),
                                     ("市生态环境局", date(2026, 11, 24)),
                                     ("市生态环境局", date(2026, 11, 25))]):  # fmt: skip
        scenario.make_task(users, units, f"到期事项{i}", due, cycle="once", lead=lead)
    return made


def test_it_sweeps_in_a_bounded_number_of_statements(users, built, clock):
    with CaptureQueriesContext(connection) as ctx:
        counts = sweep_on(clock, date(2026, 11, 24))
    assert counts["tasks"] >= 5 and counts["reminders"] > counts["tasks"]
    statements = [q["sql"] for q in ctx.captured_queries]
    assert [s for s in statements if ONE_ROW.search(s)] == []
    assert len(statements) <= 40, len(statements)  # 26 when written
    assert Reminder.objects.filter(fired_on=date(2026, 11, 24)).count() == counts["reminders"]
