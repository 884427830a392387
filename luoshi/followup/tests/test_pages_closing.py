"""申请办结 → 核查 → 呈报 → 续办 / 销号 → 归档 through the pages, 撤销 with the leader's
approval, and the year-end review of a long-term matter."""

import pytest

from luoshi.followup.models import CompletionRequest, DeadlineChange
from luoshi.followup.tests.conftest import PDF, upload
from luoshi.ledger.models import Matter
from luoshi.ledger.states import AssignmentStatus as A
from luoshi.ledger.states import MatterStatus as M

pytestmark = pytest.mark.django_db
RESULT = "全部 20 个小区改造完成并通过竣工验收。"


def ask_completion(client, a, result=RESULT, files=()):
    return client.post(f"/followup/tasks/{a.pk}/completion/",
                       {"done-result": result, "done-files": list(files)})  # fmt: skip


def verify(client, a, decision, **fields):
    data = {"decision": decision, **{f"verify-{k}": v for k, v in fields.items()}}
    return client.post(f"/followup/tasks/{a.pk}/verify/", data)


def closing(client, matter, action, **fields):
    return client.post(f"/followup/matters/{matter.pk}/{action}/", fields)


def test_it_walks_completion_verification_continuation_closing_and_archiving(
    client, users, running
) -> None:
    a, matter = running, running.matter
    client.force_login(users["liaison_a"])
    r = ask_completion(client, a, result="完成了")
    assert r.status_code == 400 and "请填写办理结果（至少 10 个字）" in r.content.decode()
    assert ask_completion(client, a, files=[upload("验收报告.pdf", PDF)]).status_code == 302

    client.force_login(users["office"])
    page = client.get(f"/tasks/{a.pk}/").content.decode()
    assert 'data-testid="verify-form"' in page and "验收报告.pdf" in page
    r = verify(client, a, "return", comment="")
    assert r.status_code == 400 and "请填写退回理由（至少 5 个字）" in r.content.decode()
    r = verify(client, a, "accept", onsite_on="2026-11-23", onsite_by="李明")
    body = r.content.decode()
    assert "记录实地核查须同时填写核查日期和核查情况。" in body and 'value="李明"' in body
    assert verify(client, a, "return", comment="3 个小区外墙未完工。").status_code == 302
    a.refresh_from_db()
    assert a.status == A.IN_PROGRESS

    client.force_login(users["liaison_a"])
    ask_completion(client, a)
    client.force_login(users["office"])
    r = verify(client, a, "accept", comment="情况属实", onsite_on="2026-11-23",
               onsite_by="李明、王芳", onsite_findings="现场查看 5 个小区，已完工。")  # fmt: skip
    page = client.get(r["Location"]).content.decode()
    assert "核查通过，任务已办结。" in page
    assert "实地核查 2026年11月23日（李明、王芳）：现场查看 5 个小区，已完工。" in page
    assert page.count('data-testid="completion"') == 2

    page = client.get(f"/ledger/{matter.pk}/").content.decode()
    assert 'data-testid="report-to-leader"' in page
    client.force_login(users["vleader"])
    assert closing(client, matter, "report").status_code == 403
    client.force_login(users["office"])
    r = closing(client, matter, "report", **{"report-comment": "请领导审定。"})
    assert r.status_code == 302

    client.force_login(users["vleader"])
    page = client.get(f"/ledger/{matter.pk}/").content.decode()
    assert 'data-testid="close-form"' in page and 'data-testid="continue-form"' in page
    assert f'value="{a.pk}"' in page and "checked" in page  # every task chosen by default
    r = closing(
        client,
        matter,
        "continue",
        **{"cont-requirement": "巩固成效", "cont-due_date": "2026-12-25"},
    )
    body = r.content.decode()
    assert (
        r.status_code == 400 and "请选择要续办的任务。" in body and ">\n巩固成效</textarea>" in body
    )
    r = closing(client, matter, "continue", **{"cont-requirement": "巩固改造成效", "cont-due_date": "2026-12-26",
                                               "cont-assignments": [a.pk]})  # fmt: skip
    assert "2026年12月26日不是工作日" in r.content.decode()
    r = closing(client, matter, "continue", **{"cont-requirement": "对剩余 3 个小区开展回头看。",
                                               "cont-due_date": "2026-12-25", "cont-assignments": [a.pk]})  # fmt: skip
    assert r.status_code == 302
    a.refresh_from_db()
    assert (a.status, str(a.due_date)) == (A.IN_PROGRESS, "2026-12-25")
    assert DeadlineChange.objects.get().cause == "continue"

    client.force_login(users["liaison_a"])
    ask_completion(client, a)
    client.force_login(users["office"])
    verify(client, a, "accept")
    closing(client, matter, "report")
    client.force_login(users["vleader"])
    r = closing(client, matter, "close", **{"close-comment": "同意销号"})
    assert client.get(r["Location"]).content.decode().count("已销号。") == 1
    client.force_login(users["office"])
    page = client.get(f"/ledger/{matter.pk}/").content.decode()
    assert 'data-testid="archive"' in page
    r = closing(client, matter, "archive")
    page = client.get(r["Location"]).content.decode()
    assert "已归档，事项转为只读。" in page and 'data-testid="read-only"' in page
    assert '<button type="submit"' not in page.split('<main class="content">')[1]
    page = client.get(f"/tasks/{a.pk}/").content.decode()
    assert "本事项已归档，只能查看，不能再办理。" in page
    assert '<button type="submit"' not in page.split('<main class="content">')[1]
    r = closing(client, matter, "archive")  # twice: said as a message, nothing changes
    assert "只有已销号的事项才能归档。" in r.content.decode()
    assert CompletionRequest.objects.count() == 3


def test_closing_actions_are_for_the_right_people_only(client, users, running) -> None:
    matter = running.matter
    client.force_login(users["liaison_a"])
    assert closing(client, matter, "report").status_code == 403
    assert closing(client, matter, "close").status_code == 403
    client.force_login(users["liaison_b"])
    assert closing(client, matter, "archive").status_code == 404
    client.force_login(users["office"])
    assert closing(client, matter, "bogus").status_code == 404
    r = closing(client, matter, "report")
    assert "只有核查通过（全部任务已办结）的事项才能呈报领导。" in r.content.decode()
    client.force_login(users["liaison_b"])
    assert verify(client, running, "accept").status_code == 404
    client.force_login(users["head_a"])
    assert verify(client, running, "accept").status_code == 403


def test_cancelling_an_assigned_matter_waits_for_the_leader(client, users, running) -> None:
    matter = running.matter
    client.force_login(users["office"])
    page = client.get(f"/ledger/{matter.pk}/").content.decode()
    assert "申请撤销事项" in page and "撤销须经领导同意" in page
    r = client.post(
        f"/ledger/{matter.pk}/cancel/", {"comment": "市政府调整了工作安排。"}, follow=True
    )
    page = r.content.decode()
    assert "已提交撤销申请，等待领导审批。" in page and "等待领导审批" in page
    assert 'data-testid="cancel-request"' in page and "申请撤销事项" not in page

    client.force_login(users["vleader"])
    page = client.get(f"/ledger/{matter.pk}/").content.decode()
    assert "市政府调整了工作安排。" in page and "同意撤销" in page
    r = client.post(f"/ledger/{matter.pk}/cancel_refuse/", {"comment": "继续办"}, follow=True)
    assert "已不同意撤销，事项继续办理。" in r.content.decode()
    matter.refresh_from_db()
    assert matter.status == M.IN_PROGRESS and matter.cancel_requested_at is None

    client.force_login(users["office"])
    client.post(f"/ledger/{matter.pk}/cancel/", {"comment": "市政府调整了工作安排。"})
    client.force_login(users["vleader"])
    r = client.post(f"/ledger/{matter.pk}/cancel_approve/", {"comment": ""}, follow=True)
    assert "已同意撤销，事项已撤销。" in r.content.decode()
    matter.refresh_from_db()
    assert matter.status == M.CANCELLED


def test_a_draft_is_cancelled_at_once(client, users, units, clock) -> None:
    from luoshi.ledger.tests.factories import make_matter

    matter = make_matter(users, units)
    client.force_login(users["office"])
    r = client.post(
        f"/ledger/{matter.pk}/cancel/", {"comment": "重复立项，予以撤销。"}, follow=True
    )
    assert "已撤销该事项。" in r.content.decode()


def test_a_long_term_matter_gets_its_year_end_review(client, users, running, clock) -> None:
    matter = running.matter
    Matter.objects.filter(pk=matter.pk).update(long_term=True)
    clock.move_to("2026-12-10 10:00 +0800")
    client.force_login(users["office"])
    page = client.get(f"/ledger/{matter.pk}/").content.decode()
    assert 'data-testid="year-review"' in page and "本年度待评估" in page
    r = closing(client, matter, "year-review", **{"review-comment": "太短"})
    assert r.status_code == 400 and "请填写评估意见（至少 10 个字）" in r.content.decode()
    r = closing(client, matter, "year-review",
                **{"review-comment": "全年推进顺利，明年继续跟踪改造成效。", "review-next_due": "2027-06-30"})  # fmt: skip
    assert r.status_code == 302
    matter.refresh_from_db()
    running.refresh_from_db()
    assert matter.last_reviewed_year == 2026 and str(running.due_date) == "2027-06-30"
    page = client.get(f"/ledger/{matter.pk}/").content.decode()
    assert "本年度待评估" not in page and "最近评估：2026年" in page
    client.force_login(users["liaison_a"])
    assert 'data-testid="year-review"' not in client.get(f"/ledger/{matter.pk}/").content.decode()
