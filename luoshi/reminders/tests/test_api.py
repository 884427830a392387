from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from luoshi.reminders.models import ReminderPolicy
from luoshi.reminders.rules import Rule
from luoshi.reminders.tests.conftest import sweep_on
from luoshi.workbench.tests import scenario

BODY = {
    "enabled": True, "deadline_stages": "5,2,0", "sign_after": 1, "report_before": 2,
    "overdue_every": 2, "escalate_after": 4, "milestone_before": 2, "review_after": 2,
    "extension_after": 2, "recipients": {rule: ["liaison", "office"] for rule in Rule.values},
}  # fmt: skip


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_office_staff_read_the_rules_and_the_admin_replaces_them(users, units, clock):
    got = api(users["inspector"]).get("/api/v1/reminder-policy/")
    assert got.status_code == 200 and got.json()["deadline_stages"] == "3,1,0"
    assert got.json()["recipients"]["escalate"] == ["leader", "office"]
    assert (
        api(users["inspector"]).put("/api/v1/reminder-policy/", BODY, format="json").status_code
        == 403
    )
    put = api(users["office"]).put("/api/v1/reminder-policy/", BODY, format="json")
    assert put.status_code == 200, put.json()
    assert ReminderPolicy.objects.get().overdue_every == 2


def test_bad_rules_are_refused_in_chinese_and_nothing_changes(users, units, clock):
    bad = {**BODY, "deadline_stages": "三天"}
    response = api(users["office"]).put("/api/v1/reminder-policy/", bad, format="json")
    assert response.status_code == 400
    assert "提醒节点" in str(response.json())
    assert not ReminderPolicy.objects.exists()


@pytest.mark.parametrize("role", ["liaison_a", "leader", "observer"])
def test_the_rules_and_log_are_the_office_s(users, role, clock):
    assert api(users[role]).get("/api/v1/reminder-policy/").status_code == 403
    assert api(users[role]).get("/api/v1/reminders/").status_code == 403


def test_the_log_lists_reminders_of_a_day(users, units, clock):
    scenario.build(users, units, clock)
    sweep_on(clock, date(2026, 11, 24))
    body = api(users["office"]).get("/api/v1/reminders/?day=2026-11-24&rule=sign").json()
    assert body["count"] == 4  # two tasks not signed (one waiting for its 撤销 decision)
    assert {r["recipient"] for r in body["results"]} == {"赵敏", "孙立军"}
    assert all(r["delivered"] for r in body["results"])
    assert api(users["office"]).get("/api/v1/reminders/?day=昨天").status_code == 400
