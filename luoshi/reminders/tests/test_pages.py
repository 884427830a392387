from __future__ import annotations

from datetime import date

import pytest

from luoshi.ledger.models import Assignment
from luoshi.reminders.models import ReminderPolicy
from luoshi.reminders.rules import Rule
from luoshi.reminders.tests.conftest import sweep_on
from luoshi.workbench.tests import scenario

FORM = {
    "enabled": "on", "deadline_stages": "5,1,0", "sign_after": 2, "report_before": 2,
    "overdue_every": 3, "escalate_after": 5, "milestone_before": 2, "review_after": 2,
    "extension_after": 2,
    **{f"to_{rule}": ["liaison"] for rule in Rule.values},
}  # fmt: skip


@pytest.fixture
def office_client(client, users, clock):
    client.force_login(users["office"])
    return client


def test_it_shows_the_policy_with_defaults(office_client):
    page = office_client.get("/reminders/policy/").content.decode()
    assert "完成时限前提醒节点" in page and 'value="3,1,0"' in page
    assert "逾期报告责任领导" in page


@pytest.mark.parametrize("role", ["inspector", "liaison_a", "leader", "sysadmin"])
def test_only_the_office_admin_edits_the_policy(client, users, role):
    client.force_login(users[role])
    assert client.get("/reminders/policy/").status_code == 403


def test_it_saves_the_policy_and_looks_at_open_tasks_again(office_client, users, units, clock):
    made = scenario.build(users, units, clock)
    Assignment.objects.update(next_remind_on=date(2026, 12, 31))
    response = office_client.post("/reminders/policy/", FORM)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response.url == "/reminders/policy/", response.url
    policy = ReminderPolicy.objects.get(office=units["市政府督查室"])
    assert policy.deadline_stages == "5,1,0" and policy.sign_after == 2
    assert policy.groups(Rule.OVERDUE) == ["liaison"]
    made["red"].refresh_from_db()
    assert made["red"].next_remind_on == date(2026, 11, 23)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"deadline_stages": "三天"}, "提醒节点应为以逗号分隔的工作日数"),
        ({"deadline_stages": "3,99"}, "0 到 30 之间"),
        ({"sign_after": 0}, "2"),
        ({"to_overdue": []}, "请为“逾期提醒”至少选择一类提醒对象"),
    ],
)
def test_it_refuses_bad_input_in_chinese_and_keeps_the_saved_policy(
    office_client, units, change, message
):
    ReminderPolicy.objects.create(office=units["市政府督查室"], deadline_stages="3,1,0")
    data = {**FORM, **change}
    if "to_overdue" in change and not change["to_overdue"]:
        data.pop("to_overdue")
    response = office_client.post("/reminders/policy/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "field-error" in page or "banner error" in page
    if message != "2":
        assert message in page
    assert ReminderPolicy.objects.get().deadline_stages == "3,1,0"


def test_the_log_lists_what_was_sent_to_whom(client, users, units, clock):
    scenario.build(users, units, clock)
    sweep_on(clock, date(2026, 11, 24))
    client.force_login(users["inspector"])
    page = client.get("/reminders/log/?day=2026-11-24").content.decode()
    assert "【待签收】" in page and "赵敏" in page and "站内·已发" in page
    only_sign = client.get("/reminders/log/?day=2026-11-24&rule=overdue").content.decode()
    assert "【待签收】" not in only_sign and "【逾期】" in only_sign
    assert "日期格式" in client.get("/reminders/log/?day=昨天", follow=True).content.decode()


@pytest.mark.parametrize("role", ["liaison_a", "leader", "observer"])
def test_the_log_is_for_the_office(client, users, role):
    client.force_login(users[role])
    assert client.get("/reminders/log/").status_code == 403
