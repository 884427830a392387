from datetime import date

import pytest

from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.followup.models import DeadlineChange, ExtensionRequest
from luoshi.followup.services import extensions
from luoshi.followup.states import ExtensionStatus as X
from luoshi.ledger.rules import policy_for

pytestmark = pytest.mark.django_db
REASON = "受冬季施工条件限制，外墙保温工程须待气温回升后施工，申请延期。"


def test_it_grants_an_extension_after_office_and_leader(users, running, year_2027) -> None:
    ext = extensions.extension_request(users["liaison_a"], running, date(2027, 1, 29), REASON)
    assert ext.status == X.PENDING_OFFICE
    with pytest.raises(NotPermitted):
        extensions.extension_approve(users["vleader"], ext)  # the office decides first
    extensions.extension_approve(users["office"], ext, "情况属实")
    assert ext.status == X.PENDING_LEADER
    running.refresh_from_db()
    assert running.due_date == date(2026, 12, 31)  # not until the leader approves
    with pytest.raises(NotPermitted):
        extensions.extension_approve(users["office"], ext)
    extensions.extension_approve(users["vleader"], ext, "同意")
    running.refresh_from_db()
    assert (ext.status, running.due_date, running.original_due_date) == (
        X.APPROVED, date(2027, 1, 29), date(2026, 12, 31)
    )  # fmt: skip
    running.matter.refresh_from_db()
    assert running.matter.due_date == date(2027, 1, 29)
    change = DeadlineChange.objects.get()
    assert (change.previous, change.due_date, change.extension) == (
        date(2026, 12, 31),
        date(2027, 1, 29),
        ext,
    )


def test_it_lets_the_office_grant_alone_when_its_rules_say_so(users, running, year_2027) -> None:
    policy = policy_for(running.matter.office)
    policy.extension_leader_approval = False
    policy.save()
    ext = extensions.extension_request(users["liaison_a"], running, date(2027, 1, 29), REASON)
    extensions.extension_approve(users["office"], ext)
    assert ext.status == X.APPROVED


def test_it_keeps_the_deadline_when_refused(users, running, year_2027) -> None:
    ext = extensions.extension_request(users["liaison_a"], running, date(2027, 1, 29), REASON)
    with pytest.raises(ServiceError, match="至少 5 个字"):
        extensions.extension_reject(users["office"], ext, "")
    extensions.extension_approve(users["office"], ext)
    extensions.extension_reject(users["vleader"], ext, "年底前必须完成，不予延期。")
    running.refresh_from_db()
    assert ext.status == X.REJECTED
    assert running.due_date == date(2026, 12, 31)
    assert extensions.deadline_for_scoring(running) == date(2026, 12, 31)
    assert not DeadlineChange.objects.exists()


@pytest.mark.parametrize(
    ("new_due", "reason", "message"),
    [
        (date(2027, 1, 29), "理由太短", "至少 20 个字"),
        (date(2026, 12, 30), REASON, "须晚于"),
        (date(2027, 1, 30), REASON, "不是工作日"),  # a Saturday
        (None, REASON, "请填写申请延至"),
    ],
)
def test_it_refuses_a_bad_request(users, running, year_2027, new_due, reason, message) -> None:
    with pytest.raises(ServiceError, match=message):
        extensions.extension_request(users["liaison_a"], running, new_due, reason)
    assert not ExtensionRequest.objects.exists()


def test_it_refuses_after_the_deadline_and_a_second_open_request(
    users, running, clock, year_2027
) -> None:
    extensions.extension_request(users["liaison_a"], running, date(2027, 1, 29), REASON)
    with pytest.raises(ServiceError, match="已有待审批"):
        extensions.extension_request(users["liaison_a"], running, date(2027, 1, 28), REASON)
    clock.move_to("2027-01-04 09:00 +0800")
    ExtensionRequest.objects.update(status=X.WITHDRAWN)
    with pytest.raises(ServiceError, match="已超过完成时限"):
        extensions.extension_request(users["liaison_a"], running, date(2027, 1, 29), REASON)


def test_only_the_lead_unit_asks_and_may_withdraw(users, running, year_2027) -> None:
    with pytest.raises(NotPermitted):
        extensions.extension_request(users["liaison_b"], running, date(2027, 1, 29), REASON)
    ext = extensions.extension_request(users["head_a"], running, date(2027, 1, 29), REASON)
    extensions.extension_withdraw(users["liaison_a"], ext)
    assert ext.status == X.WITHDRAWN
    with pytest.raises(ServiceError, match="不能再审批"):
        extensions.extension_approve(users["office"], ext)


def test_it_says_when_next_years_calendar_is_missing(users, running) -> None:
    with pytest.raises(ServiceError, match="2027 年的节假日安排尚未录入"):
        extensions.extension_request(users["liaison_a"], running, date(2027, 1, 29), REASON)
