from datetime import date

import pytest

from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.followup.models import ProgressReport
from luoshi.followup.services import reports
from luoshi.followup.states import ReportStatus as R
from luoshi.followup.tests.conftest import PDF, PNG, upload
from luoshi.ledger import services

pytestmark = pytest.mark.django_db


def test_it_sets_the_first_report_due_on_the_cycle(running) -> None:
    # Signed Monday 23 November on a monthly cycle: due on the month's last working day.
    assert running.next_report_due == date(2026, 11, 30)


def test_it_walks_a_report_through_head_office_return_and_resubmission(
    users, running, clock
) -> None:
    report = reports.report_submit(
        users["liaison_a"], running, text="已完成 12 个小区的施工招标工作。", progress=40,
        files=[upload("现场.png", PNG), upload("招标公告.pdf", PDF)],
    )  # fmt: skip
    assert report.status == R.PENDING_HEAD
    assert report.revisions.get().attachments.count() == 2
    running.refresh_from_db()
    assert running.next_report_due == date(2026, 12, 31)  # the next monthly period
    with pytest.raises(NotPermitted):
        reports.report_head_approve(users["liaison_a"], report)
    reports.report_head_approve(users["head_a"], report)
    assert report.status == R.PENDING_REVIEW
    with pytest.raises(ServiceError, match="退回意见"):
        reports.report_return(users["office"], report, "")
    reports.report_return(users["office"], report, "请补充资金到位情况。")
    assert report.status == R.RETURNED
    with pytest.raises(ServiceError, match="尚未处理完毕"):
        reports.report_submit(users["liaison_a"], running, text="另起一份反馈的内容", progress=40)
    reports.report_resubmit(
        users["head_a"], report, text="已完成招标，资金已到位 3000 万元。", progress=45
    )
    assert report.status == R.PENDING_REVIEW  # the head resubmitted himself
    reports.report_accept(users["office"], report)
    assert report.status == R.ACCEPTED
    revs = list(report.revisions.order_by("number"))
    assert [(r.number, r.outcome) for r in revs] == [(1, "returned"), (2, "accepted")]
    assert revs[0].text.startswith("已完成 12 个")


def test_it_refuses_bad_input_without_saving(users, running) -> None:
    with pytest.raises(ServiceError, match="0 到 100"):
        reports.report_submit(
            users["liaison_a"], running, text="十个字以上的办理情况说明", progress=120
        )
    with pytest.raises(ServiceError, match="类型不允许"):
        reports.report_submit(users["liaison_a"], running, text="十个字以上的办理情况说明",
                              progress=10, files=[upload("a.exe", b"MZ")])  # fmt: skip
    with pytest.raises(ServiceError, match="内容与扩展名不符"):
        reports.report_submit(users["liaison_a"], running, text="十个字以上的办理情况说明",
                              progress=10, files=[upload("a.pdf", b"MZ\x90\x00")])  # fmt: skip
    assert not ProgressReport.objects.exists()


def test_it_consolidates_co_unit_parts_into_the_lead_report(users, units, running) -> None:
    co = services.assignment_extend(
        users["office"], running, units["市生态环境局"], "涉及污水管网改造"
    )
    with pytest.raises(ServiceError, match="先签收"):
        reports.report_submit(users["liaison_b"], running, text="管网改造已完成设计。", progress=30)
    services.co_unit_sign(users["liaison_b"], co)
    part = reports.report_submit(
        users["liaison_b"], running, text="管网改造已完成设计工作。", progress=30
    )
    assert (part.kind, part.status) == ("co", R.PENDING_LEAD)
    lead = reports.report_submit(
        users["liaison_a"], running, text="汇总：招标完成，管网设计完成。", progress=40
    )
    part.refresh_from_db()
    assert (part.status, part.consolidated_into) == (R.CONSOLIDATED, lead)


def test_it_marks_a_late_report_and_turns_the_light_yellow(users, running, clock) -> None:
    clock.move_to("2026-12-01 09:00 +0800")
    from luoshi.ledger import lights

    lights.refresh_matter(running.matter)
    running.refresh_from_db()
    assert running.light == "yellow"  # the November report is overdue
    report = reports.report_submit(
        users["head_a"], running, text="十一月办理情况迟报说明。", progress=20
    )
    assert report.late and report.status == R.PENDING_REVIEW
    running.refresh_from_db()
    assert running.light == "green" and running.next_report_due == date(2026, 12, 31)


def test_a_head_cannot_approve_a_report_the_office_returned(users, running) -> None:
    report = reports.report_submit(
        users["liaison_a"], running, text="已完成施工招标工作。", progress=40
    )
    reports.report_head_approve(users["head_a"], report)
    reports.report_return(users["office"], report, "请补充资金到位情况。")
    with pytest.raises(ServiceError, match="不需要单位负责人审核"):
        reports.report_head_approve(users["head_a"], report)
    assert report.status == R.RETURNED
