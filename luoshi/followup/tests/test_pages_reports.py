"""The task page's report forms through the test client: who may do what, refusals shown
beside the field with the input kept, every version on the page."""

import pytest

from luoshi.followup.models import ProgressReport
from luoshi.followup.states import ReportStatus as R
from luoshi.followup.tests.conftest import PDF, PNG, upload
from luoshi.ledger import services

pytestmark = pytest.mark.django_db

TEXT = "已完成 12 个小区的施工招标工作，3 个小区进场施工。"


def task_url(a) -> str:
    return f"/tasks/{a.pk}/"


def submit(client, a, follow=False, **extra):
    data = {"report-text": TEXT, "report-progress": "40", **extra}
    return client.post(f"/followup/tasks/{a.pk}/report/", data, follow=follow)


def test_it_walks_a_report_through_head_office_return_and_resubmission(
    client, users, running
) -> None:
    client.force_login(users["liaison_a"])
    page = client.get(task_url(running)).content.decode()
    assert 'data-testid="report-form"' in page
    assert 'accept=".doc,.docx' in page and "每个文件不超过 20 MB" in page
    r = submit(
        client,
        running,
        **{"report-files": [upload("现场照片.png", PNG), upload("招标公告.pdf", PDF)]},
    )
    assert r.status_code == 302
    report = ProgressReport.objects.get()
    assert report.status == R.PENDING_HEAD
    page = client.get(task_url(running)).content.decode()
    assert "现场照片.png" in page and "招标公告.pdf" in page
    assert "本期反馈正在审核或待修改" in page

    client.force_login(users["head_a"])
    page = client.get(task_url(running)).content.decode()
    assert 'data-testid="head-decision"' in page
    r = client.post(f"/followup/reports/{report.pk}/approve/", {f"r{report.pk}-comment": ""})
    assert r.status_code == 302

    client.force_login(users["office"])
    r = client.post(f"/followup/reports/{report.pk}/return/", {f"r{report.pk}-comment": "补"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "请填写退回意见（至少 5 个字）" in body and "field-error" in body
    assert ">\n补</textarea>" in body  # the typed opinion is kept
    client.post(
        f"/followup/reports/{report.pk}/return/", {f"r{report.pk}-comment": "请补充资金到位情况。"}
    )
    report.refresh_from_db()
    assert report.status == R.RETURNED

    client.force_login(users["liaison_a"])
    page = client.get(task_url(running)).content.decode()
    assert 'data-testid="resubmit-form"' in page
    assert f">\n{TEXT}</textarea>" in page  # prefilled with the returned version
    assert "请补充资金到位情况。" in page
    r = client.post(f"/followup/reports/{report.pk}/resubmit/",
                    {f"re{report.pk}-text": "已完成招标，资金已到位 3000 万元。", f"re{report.pk}-progress": "45"})  # fmt: skip
    assert r.status_code == 302
    client.force_login(users["head_a"])
    client.post(f"/followup/reports/{report.pk}/approve/", {})
    client.force_login(users["office"])
    r = client.post(
        f"/followup/reports/{report.pk}/accept/", {f"r{report.pk}-comment": "同意"}, follow=True
    )
    assert "已采纳该办理情况。" in r.content.decode()
    report.refresh_from_db()
    assert (report.status, report.revision) == (R.ACCEPTED, 2)
    page = r.content.decode()
    assert page.count('data-testid="revision"') == 2
    assert TEXT in page and "资金已到位 3000 万元" in page  # both versions stay on the page


def test_it_shows_refusals_beside_the_field_and_keeps_the_input(client, users, running) -> None:
    client.force_login(users["liaison_a"])
    r = submit(client, running, **{"report-progress": "120"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "完成进度须为 0 到 100 之间的整数。" in body
    assert TEXT in body and 'value="120"' in body
    r = submit(client, running, **{"report-files": [upload("病毒.exe", b"MZ\x90\x00")]})
    body = r.content.decode()
    assert "“病毒.exe”的类型不允许上传" in body and "请重新选择文件" in body
    r = submit(client, running, **{"report-text": "太短"})
    assert "请填写办理情况（至少 10 个字）" in r.content.decode()
    assert not ProgressReport.objects.exists()


def test_it_refuses_whoever_may_not_act(client, users, running) -> None:
    client.force_login(users["liaison_b"])  # another unit: the task does not exist for him
    assert client.get(task_url(running)).status_code == 404
    assert submit(client, running).status_code == 404
    client.force_login(users["office"])
    page = client.get(task_url(running)).content.decode()
    assert 'data-testid="report-form"' not in page
    assert submit(client, running).status_code == 403
    client.force_login(users["liaison_a"])
    submit(client, running)
    report = ProgressReport.objects.get()
    r = client.post(f"/followup/reports/{report.pk}/accept/", {})
    assert r.status_code == 403
    r = client.post(f"/followup/reports/{report.pk}/nonsense/", {})
    assert r.status_code == 404
    client.force_login(users["liaison_b"])
    assert client.post(f"/followup/reports/{report.pk}/approve/", {}).status_code == 404


def test_a_co_unit_reports_its_part_and_the_lead_can_send_it_back(
    client, users, units, running
) -> None:
    co = services.assignment_extend(
        users["office"], running, units["市生态环境局"], "涉及污水管网改造"
    )
    services.co_unit_sign(users["liaison_b"], co)
    client.force_login(users["liaison_b"])
    page = client.get(task_url(running)).content.decode()
    assert "报送配合材料" in page and "本期完成的节点" not in page
    r = client.post(f"/followup/tasks/{running.pk}/report/",
                    {"report-text": "管网改造已完成设计工作。", "report-progress": "30",
                     "report-files": [upload("管网设计.pdf", PDF)]})  # fmt: skip
    assert r.status_code == 302
    part = ProgressReport.objects.get()
    assert (part.kind, part.status) == ("co", R.PENDING_LEAD)
    client.force_login(users["liaison_a"])
    page = client.get(task_url(running)).content.decode()
    assert 'data-testid="co-return"' in page
    r = client.post(
        f"/followup/reports/{part.pk}/co-return/", {f"r{part.pk}-comment": "请附管网设计批复。"}
    )
    assert r.status_code == 302
    part.refresh_from_db()
    assert part.status == R.RETURNED
    client.force_login(users["liaison_b"])
    page = client.get(task_url(running)).content.decode()
    assert "请附管网设计批复。" in page and 'data-testid="resubmit-form"' in page


def test_it_offers_milestones_and_the_indicator_target(client, users, units, clock) -> None:
    from datetime import date

    from luoshi.ledger.tests.factories import make_matter

    matter = make_matter(users, units)
    a = matter.assignments.get()
    services.assignment_remove(users["office"], a)
    services.assignment_add(
        users["office"], matter, task="改造老旧小区", lead_unit=units["市住房和城乡建设局"],
        responsible_leader="孙立军", responsible_person="赵敏", due_date=date(2026, 12, 31),
        indicator_name="改造小区", indicator_target=20, indicator_unit="个",
        milestones=[(date(2026, 12, 15), "完成施工招标")],
    )  # fmt: skip
    services.matter_submit(users["office"], matter)
    services.matter_approve(users["vleader"], matter)
    services.matter_assign(users["office"], matter)
    a = matter.assignments.get(status="pending_sign")
    services.assignment_sign(users["liaison_a"], a)
    milestone = a.milestones.get()
    client.force_login(users["head_a"])
    page = client.get(task_url(a)).content.decode()
    assert "改造小区完成值（目标 20个）" in page and "2026-12-15 完成施工招标" in page
    r = client.post(f"/followup/tasks/{a.pk}/report/",
                    {"report-text": TEXT, "report-progress": "50", "report-indicator_value": "12",
                     "report-milestones": [milestone.pk]}, follow=True)  # fmt: skip
    page = r.content.decode()
    assert "12 / 目标 20个（60%）" in page
    report = ProgressReport.objects.get()
    assert report.status == R.PENDING_REVIEW  # the head reported himself
    assert list(report.revisions.get().milestones.all()) == [milestone]


def test_the_unit_head_sends_a_report_back_to_his_liaison(client, users, running) -> None:
    client.force_login(users["liaison_a"])
    submit(client, running)
    report = ProgressReport.objects.get()
    client.force_login(users["head_a"])
    r = client.post(f"/followup/reports/{report.pk}/head-return/", {f"r{report.pk}-comment": ""})
    assert r.status_code == 400 and "请填写退回意见（至少 5 个字）" in r.content.decode()
    assert "审核意见（退回时必填）" in r.content.decode()  # the same form, shown again
    r = client.post(
        f"/followup/reports/{report.pk}/head-return/",
        {f"r{report.pk}-comment": "数据需与台账核对。"},
    )
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.status == R.RETURNED
    assert client.post(f"/followup/reports/{report.pk}/accept/", {}).status_code == 403


def test_it_shows_a_late_report_and_the_lights(client, users, running, clock) -> None:
    client.force_login(users["liaison_a"])
    page = client.get(task_url(running)).content.decode()
    assert 'data-testid="next-report">2026年11月30日' in page and "逾期未报" not in page
    assert 'data-light="green"' in page
    clock.move_to("2026-12-01 09:00 +0800")
    from luoshi.ledger import lights

    lights.refresh_matter(running.matter)
    client.force_login(users["liaison_a"])  # the idle session ran out meanwhile
    page = client.get(task_url(running)).content.decode()
    assert 'data-testid="report-late">逾期未报' in page and 'data-light="yellow"' in page
    r = submit(client, running, follow=True)
    page = r.content.decode()
    assert "逾期未报" not in page and "逾期报送" in page
    assert 'data-testid="next-report">2026年12月31日' in page
    clock.move_to("2027-01-04 09:00 +0800")
    lights.refresh_matter(running.matter)
    client.force_login(users["liaison_a"])
    assert 'data-light="red"' in client.get(task_url(running)).content.decode()


def test_the_task_page_makes_the_same_queries_for_any_number_of_reports(
    client, users, running
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from luoshi.followup.services import reports

    def one_report() -> None:
        r = reports.report_submit(users["head_a"], running, text=TEXT, progress=10,
                                  files=[upload("现场.png", PNG)])  # fmt: skip
        reports.report_accept(users["office"], r)

    client.force_login(users["office"])
    one_report()
    with CaptureQueriesContext(connection) as few:
        client.get(task_url(running))
    for _ in range(4):
        one_report()
    with CaptureQueriesContext(connection) as many:
        page = client.get(task_url(running)).content.decode()
    assert page.count('data-testid="report"') == 5
    assert len(many.captured_queries) == len(few.captured_queries)
