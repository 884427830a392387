"""The matter's one timeline: every record in the order it happened, scoped per user."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.followup import timeline
from luoshi.followup.services import closing, extensions, reports
from luoshi.followup.tests.conftest import PDF, PNG, upload
from luoshi.ledger import services
from luoshi.ledger.models import Matter
from luoshi.ledger.selectors import visible_assignments
from luoshi.ledger.tests.factories import make_matter

pytestmark = pytest.mark.django_db

TEXT = "已完成 12 个小区的施工招标工作。"
REASON = "受汛期施工条件限制，主体工程需顺延，申请延期以保证质量。"


def entries_for(user, matter):
    matter = Matter.objects.get(pk=matter.pk)
    return timeline.entries(user, matter, visible_assignments(user, matter))


def labels(entries):
    return [e.label for e in entries]


def walk(users, units, running):
    """A co-unit part, a report returned by the head and corrected, then accepted, and an
    extension request — all at the same frozen instant."""
    office, head = users["office"], users["head_a"]
    co = services.assignment_extend(office, running, units["市生态环境局"], "涉及污水管网改造")
    services.co_unit_sign(users["liaison_b"], co)
    reports.report_submit(users["liaison_b"], running, text="管网改造已完成设计工作。", progress=30)
    report = reports.report_submit(users["liaison_a"], running, text=TEXT, progress=40,
                                   files=[upload("现场.png", PNG)])  # fmt: skip
    reports.report_return(head, report, "请补充资金到位情况。")
    reports.report_resubmit(users["liaison_a"], report, text=TEXT + "资金已到位。", progress=45)
    reports.report_head_approve(head, report)
    reports.report_accept(office, report, "情况属实。")
    return extensions.extension_request(users["liaison_a"], running, date(2026, 12, 31), REASON)


@pytest.fixture
def walked(users, units, clock):
    matter = make_matter(users, units, title="老旧小区改造", assigned=True)
    # Due mid-December so that an extension to the year end is possible.
    a = matter.assignments.get()
    type(a).objects.filter(pk=a.pk).update(due_date=date(2026, 12, 15),
                                          original_due_date=date(2026, 12, 15))  # fmt: skip
    services.assignment_sign(users["liaison_a"], a)
    a.refresh_from_db()
    ext = walk(users, units, a)
    extensions.extension_approve(users["office"], ext, "同意。")
    extensions.extension_approve(users["vleader"], ext, "同意延至年底。")
    closing.request_completion(users["liaison_a"], a, "改造全部完成并通过验收。",
                               files=[upload("验收报告.pdf", PDF)])  # fmt: skip
    closing.verify(users["office"], a, accept=False, comment="缺少竣工验收备案材料。")
    closing.request_completion(users["head_a"], a, "改造全部完成，补充了竣工验收备案材料。")
    closing.verify(users["office"], a, accept=True, comment="核查属实。")
    return matter


def test_it_merges_every_record_in_the_order_it_happened(users, walked) -> None:
    got = labels(entries_for(users["office"], walked))
    tail = got[got.index("配合单位报送（第1版）") :]
    assert tail == [
        "配合单位报送（第1版）",
        "报送办理情况（第1版）",
        "单位负责人退回反馈",
        "报送办理情况（第2版）",
        "单位负责人审核通过",
        "采纳办理情况",
        "申请延期",
        "督查室同意延期",
        "批准延期",
        "申请办结",
        "随任务状态变化",  # the matter waits for verification with its only task
        "核查退回",
        "随任务状态变化",
        "申请办结",
        "随任务状态变化",
        "核查通过",
        "全部办结，待呈报",
    ]
    assert got[:3] == ["新建事项", "分解任务", "提交审批"]
    assert "报送办理情况" not in got  # the bare submit events gave way to their versions


def test_each_version_shows_its_outcome_comment_and_evidence(users, walked) -> None:
    found = entries_for(users["office"], walked)
    first, second = [e for e in found if e.kind == "revision" and e.label.startswith("报送")]
    assert (first.outcome, first.tone) == ("被退回", "bad")
    assert "请补充资金到位情况。" in first.outcome_note and "孙立军" in first.outcome_note
    assert [f.name for f in first.files] == ["现场.png"]
    assert first.files[0].url.startswith("/followup/files/")
    assert "完成进度 40%" in first.facts
    assert (second.outcome, second.outcome_note.endswith("情况属实。")) == ("已采纳", True)
    ext = next(e for e in found if e.kind == "extension")
    assert ext.facts == ["完成时限由 2026-12-15 延至 2026-12-31"]
    assert ext.outcome == "已批准"
    done = [e for e in found if e.kind == "completion"]
    assert [d.outcome for d in done] == ["核查退回", "核查通过"]
    assert [f.name for f in done[0].files] == ["验收报告.pdf"]
    returned = next(e for e in found if e.label == "核查退回")
    assert returned.comment == "缺少竣工验收备案材料。"
    assert returned.status == "办理中"
    approved = next(e for e in found if e.label == "批准延期")
    assert approved.facts == ["申请延至 2026-12-31"] and approved.status == "已批准"


def test_the_lead_unit_sees_its_co_units_parts(users, walked) -> None:
    got = labels(entries_for(users["liaison_a"], walked))
    assert "配合单位报送（第1版）" in got and "报送办理情况（第2版）" in got


def test_a_co_unit_sees_only_its_own_part(users, walked) -> None:
    found = entries_for(users["liaison_b"], walked)
    got = labels(found)
    assert "配合单位报送（第1版）" in got
    for hidden in ("报送办理情况（第1版）", "报送办理情况（第2版）", "单位负责人退回反馈",
                   "单位负责人审核通过", "采纳办理情况"):  # fmt: skip
        assert hidden not in got
    # The task's course is theirs to see; the lead unit's evidence is not.
    assert got.count("申请办结") == 2
    assert all(not e.files for e in found if e.kind == "completion")


def test_a_unit_sees_nothing_of_another_units_task(users, units, clock) -> None:
    matter = make_matter(users, units, title="两家单位的事项")
    services.assignment_add(
        users["office"], matter, task="监测水质", lead_unit=units["市生态环境局"],
        responsible_leader="吴国平", responsible_person="周婷", due_date=date(2026, 12, 31),
        progress_requirement="每月报送",
    )  # fmt: skip
    services.matter_submit(users["office"], matter)
    services.matter_approve(users["vleader"], matter)
    services.matter_assign(users["office"], matter)
    mine, theirs = matter.assignments.order_by("id")
    services.assignment_sign(users["liaison_a"], mine)
    services.assignment_sign(users["liaison_b"], theirs)
    reports.report_submit(users["head_a"], mine, text=TEXT, progress=10)
    reports.report_submit(users["head_b"], theirs, text="水质监测点位已布设完毕。", progress=20)
    housing = entries_for(users["liaison_a"], matter)
    ecology = entries_for(users["liaison_b"], matter)
    assert {e.task for e in housing if e.task} == {"市住房和城乡建设局"}
    assert {e.task for e in ecology if e.task} == {"市生态环境局"}
    assert any(e.text == TEXT for e in housing) and not any(e.text == TEXT for e in ecology)
    both = entries_for(users["observer"], matter)
    assert {e.task for e in both if e.task} == {"市住房和城乡建设局", "市生态环境局"}


def test_it_reads_the_history_in_a_fixed_number_of_queries(users, running) -> None:
    def count() -> int:
        matter = Matter.objects.get(pk=running.matter_id)
        tasks = visible_assignments(users["office"], matter)
        with CaptureQueriesContext(connection) as q:
            timeline.context(users["office"], matter, tasks)
        return len(q.captured_queries)

    reports.report_submit(users["head_a"], running, text=TEXT, progress=10,
                          files=[upload("a.png", PNG)])  # fmt: skip
    few = count()
    report = running.reports.get()
    for i in range(3):
        reports.report_return(users["office"], report, "请补充更多材料。")
        reports.report_resubmit(users["head_a"], report, text=f"{TEXT}第{i}次补充。", progress=20,
                                files=[upload("b.png", PNG)])  # fmt: skip
    assert count() == few
