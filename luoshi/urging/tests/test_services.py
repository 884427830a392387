"""催办单 / 督办通知 services: numbering, who may do what, the transitions, stale writes,
late and overdue replies, the counts per unit, the event log and the notifications."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from luoshi.core.errors import NotPermitted, ServiceError, StaleObject
from luoshi.ledger import services as ledger
from luoshi.ledger.models import MatterEvent
from luoshi.ledger.tests.factories import make_matter
from luoshi.notify.models import Channel, ChannelConfig, Notification, Outbox
from luoshi.urging import selectors, services
from luoshi.urging.models import UrgingNotice
from luoshi.urging.states import UrgingStatus as U
from luoshi.urging.tests.conftest import REPLY, TEXT

pytestmark = pytest.mark.django_db
HOUSING = "市住房和城乡建设局"


def issue(users, units, a, unit=HOUSING, **kw):
    return services.urging_issue(users["office"], a, unit=units[unit], text=TEXT, **kw)


def test_it_numbers_per_kind_and_year(users, units, running, year_2027) -> None:
    first = issue(users, units, running)
    second = issue(users, units, running, unit="市财政局")
    notice = issue(users, units, running, kind="notice")
    assert [first.number, second.number, notice.number] == [
        "催办〔2026〕第1号",
        "催办〔2026〕第2号",
        "督办〔2026〕第1号",
    ]
    assert (first.office.name, first.year, first.matter_id) == (
        "市政府督查室",
        2026,
        running.matter_id,
    )
    assert notice.title == "督办通知" and first.title == "催办单"
    with time_machine.travel("2027-01-04 10:00 +0800", tick=False):
        later = issue(users, units, running)
    assert (later.number, later.year) == ("催办〔2027〕第1号", 2027)


def test_it_defaults_to_three_working_days_and_checks_the_deadline(users, units, running) -> None:
    n = issue(users, units, running)
    assert n.reply_due == date(2026, 11, 26)
    assert n.status == U.ISSUED and n.version == 1
    with pytest.raises(ServiceError) as exc:
        issue(users, units, running, reply_due=date(2026, 11, 28))  # a Saturday
    assert exc.value.field == "reply_due" and "不是工作日" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        issue(users, units, running, reply_due=date(2026, 11, 20))
    assert exc.value.field == "reply_due" and "不能早于今天" in exc.value.message
    assert issue(users, units, running, reply_due=date(2026, 11, 23)).reply_due == date(
        2026, 11, 23
    )


def test_it_refuses_short_text_and_units_outside_the_task(users, units, running) -> None:
    with pytest.raises(ServiceError) as exc:
        services.urging_issue(users["office"], running, unit=units[HOUSING], text="请加快")
    assert exc.value.field == "text" and "至少 10 个字" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        issue(users, units, running, unit="市生态环境局")
    assert exc.value.field == "unit"
    with pytest.raises(ServiceError) as exc:
        services.urging_issue(users["office"], running, unit=None, text=TEXT)
    assert exc.value.field == "unit"
    with pytest.raises(ServiceError) as exc:
        issue(users, units, running, kind="memo")
    assert exc.value.field == "kind"
    assert issue(users, units, running, unit="市财政局").unit == units["市财政局"]  # a co-unit
    assert UrgingNotice.objects.count() == 1


@pytest.mark.parametrize("username", ["liaison_a", "head_a", "observer", "leader", "liaison_b"])
def test_only_the_office_issues(users, units, running, username) -> None:
    with pytest.raises(NotPermitted):
        services.urging_issue(users[username], running, unit=units[HOUSING], text=TEXT)
    assert services.urging_issue(users["inspector"], running, unit=units[HOUSING], text=TEXT)


def test_only_open_tasks_are_urged(users, units, now) -> None:
    draft = make_matter(users, units, title="未交办事项").assignments.get()
    with pytest.raises(ServiceError, match="不能催办"):
        issue(users, units, draft)
    assert not services.can_urge(users["office"], draft)
    matter = make_matter(users, units, title="撤销的事项", assigned=True)
    a = matter.assignments.get()
    assert services.can_urge(users["office"], a)  # waiting for the unit to sign: urgeable
    ledger.matter_cancel(users["vleader"], matter, "事项已由其他部门办理")
    a.refresh_from_db()
    with pytest.raises(ServiceError, match="已撤销"):
        issue(users, units, a)
    assert not services.can_urge(users["office"], a)


def test_it_walks_reply_return_reply_accept(users, units, notice) -> None:
    with pytest.raises(ServiceError, match="不能变为"):
        services.urging_accept(users["office"], notice)  # nothing to accept yet
    with pytest.raises(NotPermitted):
        services.urging_reply(users["liaison_b"], notice, REPLY)
    with pytest.raises(NotPermitted):
        services.urging_reply(users["office"], notice, REPLY)
    with pytest.raises(ServiceError) as exc:
        services.urging_reply(users["liaison_a"], notice, "已办理")
    assert exc.value.field == "reply_text"

    services.urging_reply(users["liaison_a"], notice, REPLY)
    assert (notice.status, notice.reply_text, notice.replied_by) == (
        U.REPLIED,
        REPLY,
        users["liaison_a"],
    )
    assert notice.replied_late is False and notice.read_by == users["liaison_a"]
    with pytest.raises(NotPermitted):
        services.urging_return(users["liaison_a"], notice, "回复过于简单")
    with pytest.raises(ServiceError) as exc:
        services.urging_return(users["office"], notice, "不行")
    assert exc.value.field == "comment"
    services.urging_return(users["office"], notice, "请写明整改措施的时间节点。")
    assert (notice.status, notice.returns, notice.reply_due) == (U.RETURNED, 1, date(2026, 11, 26))
    with pytest.raises(ServiceError, match="不能变为"):
        services.urging_accept(users["office"], notice)

    services.urging_reply(users["head_a"], notice, REPLY + "12月15日前完成。")
    assert notice.status == U.REPLIED and notice.replied_by == users["head_a"]
    with pytest.raises(NotPermitted):
        services.urging_accept(users["observer"], notice)
    services.urging_accept(users["office"], notice, "回复符合要求")
    assert (notice.status, notice.review_comment, notice.reviewed_by) == (
        U.ACCEPTED,
        "回复符合要求",
        users["office"],
    )
    with pytest.raises(ServiceError):
        services.urging_cancel(users["office"], notice, "不再需要回复")

    events = selectors.notice_events(notice)
    assert [(e.action, e.changes["from"], e.changes["to"]) for e in events] == [
        ("urge", "", "issued"),
        ("urge_reply", "issued", "replied"),
        ("urge_return", "replied", "returned"),
        ("urge_reply", "returned", "replied"),
        ("urge_accept", "replied", "accepted"),
    ]
    assert all(e.assignment_id == notice.assignment_id for e in events)
    assert (
        events[0].comment == "催办〔2026〕第1号（市住建局）" and events[1].changes["text"] == REPLY
    )
    assert events[2].comment == "请写明整改措施的时间节点。"
    assert events[0].action_label == "催办" and events[4].action_label == "催办办结"


def test_it_withdraws_with_a_reason(users, units, notice) -> None:
    with pytest.raises(NotPermitted):
        services.urging_cancel(users["liaison_a"], notice, "发错单位了")
    with pytest.raises(ServiceError) as exc:
        services.urging_cancel(users["office"], notice, "错")
    assert exc.value.field == "reason"
    services.urging_cancel(users["office"], notice, "误发，任务已签收办理")
    assert (notice.status, notice.cancel_reason) == (U.CANCELLED, "误发，任务已签收办理")
    with pytest.raises(ServiceError):
        services.urging_reply(users["liaison_a"], notice, REPLY)
    assert MatterEvent.objects.filter(action="urge_cancel", changes__urging=notice.pk).exists()


def test_a_stale_decision_is_refused(users, units, notice) -> None:
    services.urging_reply(users["liaison_a"], notice, REPLY)
    mine = UrgingNotice.objects.get(pk=notice.pk)
    theirs = UrgingNotice.objects.get(pk=notice.pk)
    services.urging_accept(users["office"], mine)
    with pytest.raises(StaleObject) as exc:
        services.urging_return(users["inspector"], theirs, "请补充整改时间表。")
    assert exc.value.status == 409
    again = UrgingNotice.objects.get(pk=notice.pk)
    assert again.status == U.ACCEPTED and again.returns == 0
    # The version the page showed: a decision taken on an old page is refused.
    other = issue(users, units, notice.assignment)
    with pytest.raises(StaleObject):
        services.urging_reply(users["liaison_a"], other, REPLY, version=other.version + 1)
    assert services.urging_reply(users["liaison_a"], other, REPLY, version=other.version)


def test_it_marks_late_replies_and_overdue_notices(users, units, notice) -> None:
    assert not notice.overdue
    with time_machine.travel("2026-11-27 09:00 +0800", tick=False):
        assert notice.overdue  # past 2026-11-26 and not replied
        rows = selectors.unit_counts(notice.office, 2026)
        assert rows[0]["overdue_unreplied"] == 1
        services.urging_reply(users["liaison_a"], notice, REPLY)
    assert notice.replied_late is True and not notice.overdue
    late_event = selectors.notice_events(notice)[-1]
    assert late_event.changes["late"] is True and late_event.comment == "逾期回复"


def test_it_counts_per_unit_in_sql(users, units, running, django_assert_num_queries) -> None:
    office = users["office"]
    replied_on_time = issue(users, units, running)
    services.urging_reply(users["liaison_a"], replied_on_time, REPLY)
    returned = issue(users, units, running)
    services.urging_reply(users["liaison_a"], returned, REPLY)
    services.urging_return(office, returned, "请补充整改时间表。")
    waiting = issue(users, units, running, reply_due=date(2026, 11, 24))
    withdrawn = issue(users, units, running)
    services.urging_cancel(office, withdrawn, "误发，不再需要")
    co = issue(users, units, running, unit="市财政局")
    with time_machine.travel("2026-11-30 09:00 +0800", tick=False):
        late = issue(users, units, running, unit="市财政局", kind="notice")
    the_office = units["市政府督查室"]
    with time_machine.travel("2026-12-10 09:00 +0800", tick=False):
        services.urging_reply(users["liaison_a"], waiting, REPLY)  # late
        with django_assert_num_queries(1):
            rows = selectors.unit_counts(the_office, 2026)
    assert co.unit == late.unit
    by_unit = {r["unit_name"]: r for r in rows}
    assert by_unit[HOUSING] == {
        "unit_id": units[HOUSING].pk,
        "unit_name": HOUSING,
        "issued": 3,
        "replied": 2,
        "replied_on_time": 1,
        "replied_late": 1,
        "overdue_unreplied": 1,  # the returned one, past its new deadline
        "returned": 1,
    }
    assert by_unit["市财政局"]["issued"] == 2
    assert by_unit["市财政局"]["overdue_unreplied"] == 2
    assert by_unit["市财政局"]["replied"] == 0
    assert selectors.unit_counts(the_office, 2025) == []


def test_issue_notifies_the_units_liaison_and_head(users, units, running) -> None:
    robot = ChannelConfig.objects.create(
        kind=Channel.WECOM, name="住建局工作群", url="https://example.invalid/hook",
        unit=units[HOUSING],
    )  # fmt: skip
    n = issue(users, units, running)
    bells = Notification.objects.filter(kind="urging")
    assert {b.user.username for b in bells} == {"liaison_a", "head_a"}
    bell = bells.get(user=users["liaison_a"])
    assert bell.title == "催办单催办〔2026〕第1号：老旧小区改造" and bell.read_at is None
    assert bell.link == f"/urging/{n.pk}/" and "2026年11月26日前" in bell.body
    assert Outbox.objects.filter(
        key=f"urging:{n.pk}:issue:u{users['liaison_a'].pk}:inapp", user=users["liaison_a"]
    ).exists()
    assert Outbox.objects.filter(robot=robot, key=f"urging:{n.pk}:issue:r{robot.pk}").exists()
    assert not Notification.objects.filter(user__username__in=["liaison_b", "office"]).exists()


def test_each_step_notifies_once(users, units, notice) -> None:
    office = users["office"]

    def bells(username: str) -> list[str]:
        return list(
            Notification.objects.filter(user=users[username], kind="urging")
            .order_by("id")
            .values_list("title", flat=True)
        )

    services.urging_reply(users["liaison_a"], notice, REPLY)
    assert bells("office") == ["催办单催办〔2026〕第1号已回复：老旧小区改造"]
    services.urging_return(office, notice, "请补充整改时间表。")
    services.urging_reply(users["liaison_a"], notice, REPLY)
    services.urging_return(office, notice, "时间表仍不具体。")
    returns = [t for t in bells("liaison_a") if "退回" in t]
    assert len(returns) == 2  # each return notifies once
    assert len(bells("office")) == 2  # each reply too
    services.urging_reply(users["liaison_a"], notice, REPLY)
    services.urging_accept(office, notice)
    assert bells("head_a")[-1] == "催办单催办〔2026〕第1号已办结：老旧小区改造"


def test_a_refused_step_writes_nothing(users, units, running) -> None:
    with pytest.raises(ServiceError):
        issue(users, units, running, reply_due=date(2026, 11, 28))
    assert not UrgingNotice.objects.exists()
    assert not Outbox.objects.filter(kind="urging").exists()
    assert not MatterEvent.objects.filter(action="urge").exists()
    n = issue(users, units, running)
    assert n.number == "催办〔2026〕第1号"  # the refused attempt used no number


def test_the_unit_reads_it_first(users, units, notice) -> None:
    assert not services.mark_read(users["office"], notice)
    assert not services.mark_read(users["liaison_b"], notice)
    assert notice.read_at is None
    assert services.mark_read(users["head_a"], notice)
    assert notice.read_by == users["head_a"] and notice.version == 1
    assert not services.mark_read(users["liaison_a"], notice)
    notice.refresh_from_db()
    assert notice.read_by == users["head_a"]


def test_cancelling_the_matter_withdraws_its_unanswered_notices(users, units, now) -> None:
    matter = make_matter(users, units, title="撤销后催办事项", assigned=True)
    a = matter.assignments.get()
    waiting = issue(users, units, a)
    ledger.matter_cancel(users["vleader"], matter, "事项已由其他部门办理")
    waiting.refresh_from_db()
    assert waiting.status == U.CANCELLED
    assert waiting.cancel_reason == "事项已撤销：事项已由其他部门办理"
