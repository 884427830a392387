"""The life of a matter from 立项 to 签收, on the official calendar."""

from datetime import date

import pytest

from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.ledger import services
from luoshi.ledger.models import Matter, MatterEvent
from luoshi.ledger.states import AssignmentStatus as A
from luoshi.ledger.states import MatterStatus as M

pytestmark = pytest.mark.django_db


def two_assignments(users, units, matter):
    first = services.assignment_add(
        users["office"], matter, task="查明加装电梯进度滞后原因并提出措施",
        lead_unit=units["市住房和城乡建设局"], responsible_leader="孙立军",
        responsible_person="赵敏", due_date=date(2026, 10, 9),
        indicator_name="完成加装电梯", indicator_target=120, indicator_unit="部",
        co_units=[units["市自然资源和规划局"]],
    )  # fmt: skip
    second = services.assignment_add(
        users["office"], matter, task="评估施工噪声对居民的影响",
        lead_unit=units["市教育局"], responsible_leader="某副局长",
        responsible_person="某科长", due_date=date(2026, 10, 9),
        progress_requirement="十日内形成评估报告",
    )  # fmt: skip
    return first, second


def test_it_walks_an_instruction_from_draft_to_signed(users, units, instruction, monday) -> None:
    first, second = two_assignments(users, units, instruction)
    services.matter_submit(users["office"], instruction)
    with pytest.raises(NotPermitted):
        services.matter_approve(users["liaison_a"], instruction)
    matter = services.matter_approve(users["vleader"], instruction)
    assert matter.status == M.APPROVED
    assert matter.number == "督〔2026〕0001号"
    # Received Wed Sep 23; 7 working days: 24, 28, 29, 30, Oct 8, 9 and the make-up Saturday
    # Oct 10 (Fri Sep 25 is 中秋节, Oct 1–7 国庆节).
    assert matter.due_date == date(2026, 10, 10)
    assert matter.assign_due == date(2026, 9, 28)

    services.matter_assign(users["office"], matter)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == A.PENDING_SIGN
    assert first.sign_due == date(2026, 9, 24)

    services.assignment_sign(users["liaison_a"], first)
    with pytest.raises(NotPermitted):
        services.assignment_sign(users["liaison_a"], second)  # not his unit
    services.assignment_return(_education_liaison(users, units), second, "本单位不承担此项职能")
    second.refresh_from_db()
    assert second.status == A.RETURNED
    matter.refresh_from_db()
    assert matter.status == M.ASSIGNED  # one assignment still out

    services.assignment_reassign(
        users["office"], second, units["市生态环境局"], "改由生态环境局牵头"
    )
    second.refresh_from_db()
    assert second.lead_unit == units["市生态环境局"]
    assert second.status == A.PENDING_SIGN
    services.assignment_sign(users["head_b"], second)
    matter.refresh_from_db()
    assert matter.status == M.IN_PROGRESS
    actions = list(MatterEvent.objects.filter(matter=matter).values_list("action", flat=True))
    for action in (
        "create",
        "submit",
        "approve",
        "assign",
        "sign",
        "return",
        "reassign",
        "all_signed",
    ):
        assert action in actions


def _education_liaison(users, units):
    from luoshi.accounts.services import role_grant, user_create

    user, _ = user_create(
        None,
        username="liaison_edu",
        name="教育局联络员",
        unit=units["市教育局"],
        password="Edu#2026pass",
    )
    role_grant(None, user, "liaison", units["市教育局"])
    return user


def test_it_uses_fifteen_days_without_a_stated_limit(users, units, instruction) -> None:
    Matter.objects.filter(pk=instruction.pk).update(result_required=False)
    instruction.refresh_from_db()
    two_assignments(users, units, instruction)
    services.matter_submit(users["office"], instruction)
    matter = services.matter_approve(users["vleader"], instruction)
    # Sep 23 + 15 working days: 24, 28, 29, 30, Oct 8, 9, 10 (Sat, worked), 12–16, 19, 20, 21.
    assert matter.due_date == date(2026, 10, 21)


def test_it_refuses_to_assign_incomplete_tasks_and_says_what_is_missing(
    users, units, instruction
) -> None:
    services.assignment_add(
        users["office"], instruction, task="不完整的任务", lead_unit=units["市教育局"]
    )
    services.matter_submit(users["office"], instruction)
    services.matter_approve(users["vleader"], instruction)
    with pytest.raises(
        ServiceError, match="第 1 项任务缺少：责任领导、责任人、完成时限、量化指标或进度要求"
    ):
        services.matter_assign(users["office"], instruction)
    instruction.refresh_from_db()
    assert instruction.status == M.APPROVED


def test_it_refuses_disallowed_transitions_and_changes_nothing(users, units, instruction) -> None:
    with pytest.raises(ServiceError, match="请至少分解一项"):
        services.matter_submit(users["office"], instruction)
    two_assignments(users, units, instruction)
    with pytest.raises(ServiceError, match="当前状态为“草稿”，不能变为“已交办”"):
        services.matter_assign(users["office"], instruction)
    instruction.refresh_from_db()
    assert instruction.status == M.DRAFT
    assert instruction.version == 1


def test_it_refuses_a_stale_edit(users, units, instruction) -> None:
    services.matter_update(users["office"], instruction, instruction.version, title="新标题")
    with pytest.raises(ServiceError, match="已被他人修改"):
        services.matter_update(users["inspector"], instruction, 1, title="旧版本上的修改")
    instruction.refresh_from_db()
    assert instruction.title == "新标题"
    event = MatterEvent.objects.filter(matter=instruction, action="update").get()
    assert event.changes["before"]["title"].startswith("关于老旧小区")
    assert event.changes["after"]["title"] == "新标题"


def test_it_requires_source_details(users, units, monday) -> None:
    with pytest.raises(ServiceError, match="须填写会议名称"):
        services.matter_create(
            users["office"], office=units["市政府督查室"], title="会议事项", content="内容",
            source="meeting", category="decision",
        )  # fmt: skip


def test_it_cancels_with_a_reason(users, units, instruction) -> None:
    first, _ = two_assignments(users, units, instruction)
    with pytest.raises(ServiceError, match="撤销须写明原因"):
        services.matter_cancel(users["office"], instruction, "")
    services.matter_cancel(users["office"], instruction, "领导批示已由其他事项覆盖")
    first.refresh_from_db()
    assert first.status == A.CANCELLED
    with pytest.raises(ServiceError):
        services.matter_submit(users["office"], instruction)


def test_events_are_append_only(instruction) -> None:
    event = MatterEvent.objects.filter(matter=instruction).first()
    assert event is not None
    with pytest.raises(ValueError, match="只能追加"):
        event.save()
    with pytest.raises(ValueError, match="只能追加"):
        event.delete()
