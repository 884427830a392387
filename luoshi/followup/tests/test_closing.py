from datetime import date

import pytest

from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.followup.models import CompletionRequest, DeadlineChange
from luoshi.followup.services import closing, reports
from luoshi.followup.states import CompletionStatus as C
from luoshi.followup.tests.conftest import PDF, upload
from luoshi.ledger import services
from luoshi.ledger.states import AssignmentStatus as A
from luoshi.ledger.states import MatterStatus as M
from luoshi.ledger.tests.factories import make_matter

pytestmark = pytest.mark.django_db
RESULT = "已完成全部 36 个老旧小区的改造任务，居民满意度调查达 95%。"


def _status(obj) -> str:
    obj.refresh_from_db()
    return obj.status


def test_it_walks_completion_verification_report_continue_and_close(users, running, clock) -> None:
    matter = running.matter
    office, leader, unit = users["office"], users["vleader"], users["liaison_a"]
    closing.request_completion(unit, running, RESULT, files=[upload("验收报告.pdf", PDF)])
    assert (_status(running), _status(matter)) == (A.PENDING_VERIFICATION, M.PENDING_VERIFICATION)
    with pytest.raises(ServiceError, match="至少 5 个字"):
        closing.verify(office, running, accept=False, comment="")
    closing.verify(office, running, accept=False, comment="第 3 个小区尚未完成验收。")
    assert (_status(running), _status(matter)) == (A.IN_PROGRESS, M.IN_PROGRESS)
    closing.request_completion(unit, running, RESULT)
    with pytest.raises(ServiceError, match="同时填写"):
        closing.verify(office, running, accept=True, onsite_on=date(2026, 11, 23))
    closing.verify(office, running, accept=True, comment="经核查属实", onsite_on=date(2026, 11, 23),
                   onsite_by="李明、王强", onsite_findings="抽查 5 个小区，改造到位。")  # fmt: skip
    assert (_status(running), _status(matter)) == (A.COMPLETED, M.VERIFIED)
    assert list(CompletionRequest.objects.order_by("id").values_list("status", flat=True)) == [
        C.RETURNED, C.ACCEPTED
    ]  # fmt: skip
    with pytest.raises(ServiceError, match="已呈报"):
        closing.close(leader, matter)  # not reported to him yet
    closing.report_to_leader(office, matter, "请审阅")
    with pytest.raises(NotPermitted):
        closing.close(office, matter)
    closing.continue_work(leader, matter, requirement="建立长效管护机制并报送制度文件。",
                          due_date=date(2026, 12, 18))  # fmt: skip
    running.refresh_from_db()
    assert (running.status, running.due_date, running.original_due_date) == (
        A.IN_PROGRESS, date(2026, 12, 18), date(2026, 12, 31)
    )  # fmt: skip
    assert running.progress_requirement.startswith("建立长效管护机制")
    assert DeadlineChange.objects.get().cause == "continue"
    assert _status(matter) == M.IN_PROGRESS
    closing.request_completion(unit, running, "长效管护机制已建立，制度文件已印发。")
    closing.verify(office, running, accept=True)
    closing.report_to_leader(office, matter)
    closing.close(leader, matter, "同意销号")
    assert _status(matter) == M.CLOSED
    closing.archive(office, matter)
    assert _status(matter) == M.ARCHIVED
    with pytest.raises(ServiceError, match="已归档"):
        reports.report_submit(unit, running, text="归档后不能再报送材料", progress=100)


def test_a_matter_follows_all_its_tasks(users, units, clock) -> None:
    matter = make_matter(users, units, assigned=False)
    services.assignment_add(
        users["office"], matter, task="第二项任务", lead_unit=units["市生态环境局"],
        responsible_leader="吴国平", responsible_person="周婷", due_date=date(2026, 12, 31),
        progress_requirement="按月报送",
    )  # fmt: skip
    services.matter_submit(users["office"], matter)
    services.matter_approve(users["vleader"], matter)
    services.matter_assign(users["office"], matter)
    a, b = matter.assignments.order_by("id")
    services.assignment_sign(users["liaison_a"], a)
    services.assignment_sign(users["liaison_b"], b)
    closing.request_completion(users["liaison_a"], a, RESULT)
    assert _status(matter) == M.IN_PROGRESS  # b is still working
    closing.verify(users["office"], a, accept=True)
    assert _status(matter) == M.IN_PROGRESS
    closing.request_completion(users["liaison_b"], b, RESULT)
    assert _status(matter) == M.PENDING_VERIFICATION
    closing.verify(users["office"], b, accept=True)
    assert _status(matter) == M.VERIFIED


def test_only_the_lead_unit_requests_and_only_while_in_progress(users, running) -> None:
    with pytest.raises(NotPermitted):
        closing.request_completion(users["liaison_b"], running, RESULT)
    with pytest.raises(ServiceError, match="至少 10 个字"):
        closing.request_completion(users["liaison_a"], running, "完成了")
    closing.request_completion(users["liaison_a"], running, RESULT)
    with pytest.raises(ServiceError, match="不能申请办结"):
        closing.request_completion(users["liaison_a"], running, RESULT)


def test_continue_needs_a_requirement_and_a_working_day(users, running) -> None:
    matter = running.matter
    closing.request_completion(users["liaison_a"], running, RESULT)
    closing.verify(users["office"], running, accept=True)
    closing.report_to_leader(users["office"], matter)
    with pytest.raises(ServiceError, match="续办要求"):
        closing.continue_work(users["vleader"], matter, requirement="", due_date=date(2026, 12, 18))
    with pytest.raises(ServiceError, match="不是工作日"):
        closing.continue_work(users["vleader"], matter, requirement="继续巩固改造成果",
                              due_date=date(2026, 12, 19))  # fmt: skip
    with pytest.raises(ServiceError, match="晚于今天"):
        closing.continue_work(users["vleader"], matter, requirement="继续巩固改造成果",
                              due_date=date(2026, 11, 20))  # fmt: skip
    assert _status(matter) == M.REPORTED


def test_cancelling_an_assigned_matter_needs_the_leader(users, running) -> None:
    matter = running.matter
    services.matter_cancel(users["office"], matter, "上级已统一部署，本事项不再单独督办")
    assert _status(matter) == M.IN_PROGRESS and matter.cancel_requested_at is not None
    with pytest.raises(NotPermitted):
        services.matter_cancel_approve(users["office"], matter)
    services.matter_cancel_refuse(users["vleader"], matter, "继续督办")
    matter.refresh_from_db()
    assert matter.cancel_requested_at is None and matter.status == M.IN_PROGRESS
    services.matter_cancel(users["office"], matter, "上级已统一部署，本事项不再单独督办")
    services.matter_cancel_approve(users["vleader"], matter, "同意")
    assert _status(matter) == M.CANCELLED
    assert _status(running) == A.CANCELLED


def test_a_long_term_matter_is_reviewed_at_year_end(users, running, clock, year_2027) -> None:
    from luoshi.ledger.models import Matter

    matter = running.matter
    Matter.objects.filter(pk=matter.pk).update(long_term=True)
    matter.refresh_from_db()
    assert not closing.year_review_due(matter, date(2026, 11, 23))
    assert closing.year_review_due(matter, date(2026, 12, 1))
    clock.move_to("2026-12-21 10:00 +0800")
    closing.year_review(users["office"], matter, "全年按月报送，进度符合预期，转入下一年度继续跟踪。",
                        next_due=date(2027, 12, 31))  # fmt: skip
    running.refresh_from_db()
    assert running.due_date == date(2027, 12, 31)
    assert matter.last_reviewed_year == 2026
    assert not closing.year_review_due(matter, date(2026, 12, 22))


def test_cancelling_closes_pending_requests(users, running, year_2027) -> None:
    from luoshi.followup.models import ExtensionRequest
    from luoshi.followup.services import extensions

    reason = "受冬季施工条件限制，外墙保温工程须待气温回升后施工，申请延期。"
    ext = extensions.extension_request(users["liaison_a"], running, date(2027, 1, 29), reason)
    services.matter_cancel(users["vleader"], running.matter, "会议决定不再执行该事项")
    ext.refresh_from_db()
    assert ext.status == "withdrawn" and "事项已撤销" in ext.office_comment
    assert not ExtensionRequest.objects.filter(status="pending_office").exists()
