"""延期申请 from the task page: asked by the lead unit, decided by the office then the
leader; refusals beside the field with the input kept; every deadline on the page."""

import pytest

from luoshi.followup.models import ExtensionRequest
from luoshi.followup.states import ExtensionStatus as X

pytestmark = pytest.mark.django_db
REASON = "受冬季施工条件限制，外墙保温工程须待气温回升后施工，申请延期。"


def ask(client, a, new_due="2027-01-29", reason=REASON):
    return client.post(
        f"/followup/tasks/{a.pk}/extension/", {"ext-new_due": new_due, "ext-reason": reason}
    )


def decide(client, ext, action, comment=""):
    return client.post(f"/followup/extensions/{ext.pk}/{action}/", {f"x{ext.pk}-comment": comment})


def test_it_grants_an_extension_after_the_office_and_the_leader(
    client, users, running, year_2027
) -> None:
    client.force_login(users["liaison_a"])
    page = client.get(f"/tasks/{running.pk}/").content.decode()
    assert 'data-testid="extension-form"' in page and 'data-count-min="20"' in page
    assert ask(client, running).status_code == 302
    ext = ExtensionRequest.objects.get()
    page = client.get(f"/tasks/{running.pk}/").content.decode()
    assert 'data-testid="extension-form"' not in page  # one open request at a time
    assert "撤回延期申请" in page and "有待审批的延期申请" in page

    client.force_login(users["vleader"])  # the office decides first
    assert (
        'data-testid="extension-decision"'
        not in client.get(f"/tasks/{running.pk}/").content.decode()
    )
    assert decide(client, ext, "approve").status_code == 403
    client.force_login(users["office"])
    r = decide(client, ext, "approve", "情况属实")
    assert r.status_code == 302
    assert "报分管领导审批" in client.get(r["Location"]).content.decode()

    client.force_login(users["vleader"])
    assert (
        'data-testid="extension-decision"' in client.get(f"/tasks/{running.pk}/").content.decode()
    )
    r = decide(client, ext, "approve", "同意")
    page = client.get(r["Location"]).content.decode()
    assert "已批准延期，完成时限改为2027年1月29日。" in page
    assert 'data-testid="task-due">2027年1月29日' in page
    assert "原定 2026年12月31日" in page
    assert "批准延期：2026年12月31日 → <b>2027年1月29日</b>" in page  # the deadline history
    assert "督查室（陈志远" in page and "情况属实" in page


def test_it_keeps_the_typed_reason_when_refused(client, users, running, year_2027) -> None:
    client.force_login(users["liaison_a"])
    r = ask(client, running, reason="理由太短")
    assert r.status_code == 400
    body = r.content.decode()
    assert "请填写延期理由（至少 20 个字）" in body and ">\n理由太短</textarea>" in body
    assert 'value="2027-01-29"' in body and '<details class="card" open>' in body
    r = ask(client, running, new_due="2027-01-01")
    assert "2027年01月01日不是工作日，请另选日期。" in r.content.decode()
    r = ask(client, running, new_due="不是日期")
    assert r.status_code == 400 and "有效的日期" in r.content.decode()
    assert not ExtensionRequest.objects.exists()


def test_a_refusal_needs_a_reason_and_keeps_the_deadline(client, users, running, year_2027) -> None:
    client.force_login(users["liaison_a"])
    ask(client, running)
    ext = ExtensionRequest.objects.get()
    client.force_login(users["office"])
    r = decide(client, ext, "reject")
    assert r.status_code == 400
    assert "请填写不同意延期的理由（至少 5 个字）" in r.content.decode()
    r = decide(client, ext, "reject", "年底前必须完成，不予延期。")
    page = client.get(r["Location"]).content.decode()
    assert "已不同意延期，完成时限不变。" in page
    assert 'data-testid="task-due">2026年12月31日' in page and "deadline-history" not in page
    ext.refresh_from_db()
    assert ext.status == X.REJECTED
    r = decide(client, ext, "approve")  # decided already: said as a message
    assert "不能再审批" in r.content.decode()


def test_the_lead_unit_withdraws_and_others_cannot(client, users, running, year_2027) -> None:
    client.force_login(users["liaison_a"])
    ask(client, running)
    ext = ExtensionRequest.objects.get()
    client.force_login(users["office"])
    assert decide(client, ext, "withdraw").status_code == 403
    client.force_login(users["liaison_b"])
    assert decide(client, ext, "withdraw").status_code == 404
    assert ask(client, running).status_code == 404
    client.force_login(users["head_a"])
    assert decide(client, ext, "withdraw").status_code == 302
    ext.refresh_from_db()
    assert ext.status == X.WITHDRAWN
    assert decide(client, ext, "bogus").status_code == 404
