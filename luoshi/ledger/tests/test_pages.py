"""Ledger pages through the test client: scoping as a matrix, query counts, errors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.ledger.tests.factories import make_matter

pytestmark = pytest.mark.django_db

# username → (ledger page, matter detail, assignment detail) status codes
MATRIX = {
    "office": (200, 200, 200),
    "inspector": (200, 200, 200),
    "leader": (200, 200, 200),
    "vleader": (200, 200, 200),
    "observer": (200, 200, 200),
    "liaison_a": (403, 200, 200),
    "head_a": (403, 200, 200),
    "liaison_b": (403, 404, 404),
    "head_b": (403, 404, 404),
    "sysadmin": (403, 404, 404),
    "secadmin": (403, 404, 404),
    "auditor": (403, 404, 404),
}


@pytest.mark.parametrize(("username", "codes"), sorted(MATRIX.items()))
def test_each_role_sees_exactly_what_it_should(client, users, units, now, username, codes) -> None:
    matter = make_matter(users, units, assigned=True)
    assignment = matter.assignments.get()
    client.force_login(users[username])
    got = (
        client.get("/ledger/").status_code,
        client.get(f"/ledger/{matter.pk}/").status_code,
        client.get(f"/tasks/{assignment.pk}/").status_code,
    )
    assert got == codes
    api = client.get(f"/api/v1/matters/{matter.pk}/")
    assert api.status_code == (200 if codes[1] == 200 else 404)


def test_a_unit_sees_only_its_own_assignments_of_a_matter(client, users, units, now) -> None:
    from datetime import date

    from luoshi.ledger import services

    matter = make_matter(users, units)
    services.assignment_add(
        users["office"], matter, task="生态环境局的秘密任务", lead_unit=units["市生态环境局"],
        responsible_leader="吴国平", responsible_person="周婷", due_date=date(2026, 12, 31),
        progress_requirement="每月报送",
    )  # fmt: skip
    services.matter_submit(users["office"], matter)
    services.matter_approve(users["vleader"], matter)
    services.matter_assign(users["office"], matter)
    client.force_login(users["liaison_a"])
    page = client.get(f"/ledger/{matter.pk}/").content.decode()
    assert "测试事项的任务" in page
    assert "生态环境局的秘密任务" not in page


def test_the_ledger_makes_the_same_queries_for_any_number_of_rows(
    client, users, units, now
) -> None:
    client.force_login(users["office"])
    make_matter(users, units, title="第一项", assigned=True)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/ledger/").status_code == 200
    for i in range(12):
        make_matter(users, units, title=f"更多事项{i}", assigned=i % 2 == 0)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/ledger/")
    assert page.content.decode().count("data-matter=") == 13
    assert len(many.captured_queries) == len(few.captured_queries)


def test_it_shows_errors_in_chinese_and_keeps_the_draft(client, users, units, now) -> None:
    client.force_login(users["office"])
    r = client.post(
        "/ledger/new/",
        {
            "title": "",
            "content": "",
            "source": "document",
            "category": "routine",
            "priority": "normal",
        },
    )
    body = r.content.decode()
    assert "该字段是必填项" in body
    matter = make_matter(users, units)
    r = client.post(f"/ledger/{matter.pk}/assign/", follow=True)
    assert "当前状态为“草稿”，不能变为“已交办”" in r.content.decode()
    r = client.post(
        f"/ledger/{matter.pk}/edit/",
        {"title": "改后的标题", "content": "内容", "source": "meeting", "category": "decision",
         "priority": "normal", "meeting_name": "会", "meeting_date": "2026-11-20",
         "stated_deadline": "2026-12-31", "version": matter.version - 1 or 99},
    )  # fmt: skip
    assert "已被他人修改" in r.content.decode()
    matter.refresh_from_db()
    assert matter.title == "测试事项"


def test_it_saves_the_office_policy(client, users, units) -> None:
    client.force_login(users["office"])
    r = client.post("/ledger/policy/", {"number_pattern": "{bad}", "result_report_workdays": 7,
                                        "default_workdays": 15, "assign_workdays": 2, "sign_workdays": 1, "yellow_workdays": 3})  # fmt: skip
    assert "编号格式无效" in r.content.decode()
    r = client.post("/ledger/policy/", {"number_pattern": "清督〔{year}〕{seq}号", "result_report_workdays": 5,
                                        "default_workdays": 10, "assign_workdays": 2, "sign_workdays": 1,
                                        "yellow_workdays": 5, "report_head_approval": "on"})  # fmt: skip
    assert r.status_code == 302
    from luoshi.ledger.rules import policy_for

    policy = policy_for(units["市政府督查室"])
    assert policy.result_report_workdays == 5 and policy.yellow_workdays == 5
    assert policy.report_head_approval and not policy.extension_leader_approval
