"""Extension requests through the API: the office's step, the leader's, refusal, withdrawal,
and every deadline the task had."""

import pytest
from rest_framework.test import APIClient

from luoshi.followup.models import ExtensionRequest

pytestmark = pytest.mark.django_db
REASON = "受冬季施工条件限制，外墙保温工程须待气温回升后施工，申请延期。"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ask(client: APIClient, assignment, new_due: str = "2027-01-29", reason: str = REASON):
    return client.post(
        f"/api/v1/assignments/{assignment.pk}/extensions/",
        {"new_due": new_due, "reason": reason},
        format="json",
    )


def test_it_grants_an_extension_after_office_and_leader(users, running, year_2027) -> None:
    r = ask(api(users["liaison_a"]), running)
    assert r.status_code == 201, r.json()
    ext = r.json()
    assert (ext["status"], ext["current_due"], ext["new_due"]) == (
        "pending_office",
        "2026-12-31",
        "2027-01-29",
    )
    assert ext["requested_by_name"] and ext["can_decide"] is False
    pk = ext["id"]
    office, leader = api(users["office"]), api(users["vleader"])
    assert office.get(f"/api/v1/extensions/{pk}/").json()["can_decide"] is True

    r = leader.post(f"/api/v1/extensions/{pk}/approve/")
    assert r.status_code == 403  # the office decides first
    r = office.post(f"/api/v1/extensions/{pk}/approve/", {"comment": "情况属实"})
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["office_comment"]) == ("pending_leader", "情况属实")
    assert r.json()["assignment_due_date"] == "2026-12-31"  # not until the leader approves
    r = leader.post(f"/api/v1/extensions/{pk}/approve/", {"comment": "同意"})
    assert (r.json()["status"], r.json()["leader_by_name"]) == (
        "approved",
        users["vleader"].display_name,
    )
    assert r.json()["assignment_due_date"] == "2027-01-29"

    task = office.get(f"/api/v1/assignments/{running.pk}/").json()
    assert (task["due_date"], task["original_due_date"]) == ("2027-01-29", "2026-12-31")
    r = api(users["liaison_a"]).get(f"/api/v1/assignments/{running.pk}/deadlines/")
    assert r.status_code == 200
    body = r.json()
    assert (body["original_due_date"], body["due_date"]) == ("2026-12-31", "2027-01-29")
    assert [(d["cause"], d["due_date"]) for d in body["deadlines"]] == [
        ("original", "2026-12-31"), ("extension", "2027-01-29"),
    ]  # fmt: skip
    assert body["deadlines"][1]["extension"] == pk
    assert body["deadlines"][1]["cause_label"] == "批准延期"
    listed = office.get(f"/api/v1/assignments/{running.pk}/extensions/").json()
    assert [x["id"] for x in listed["results"]] == [pk]


def test_it_keeps_the_deadline_when_refused(users, running, year_2027) -> None:
    pk = ask(api(users["liaison_a"]), running).json()["id"]
    office = api(users["office"])
    r = office.post(f"/api/v1/extensions/{pk}/reject/", {"comment": ""})
    assert r.status_code == 400 and r.json()["field"] == "comment"
    office.post(f"/api/v1/extensions/{pk}/approve/")
    r = api(users["vleader"]).post(
        f"/api/v1/extensions/{pk}/reject/", {"comment": "年底前必须完成，不予延期。"}
    )
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["assignment_due_date"]) == ("rejected", "2026-12-31")
    r = office.post(f"/api/v1/extensions/{pk}/approve/")
    assert r.status_code == 400 and "不能再审批" in r.json()["detail"]
    body = office.get(f"/api/v1/assignments/{running.pk}/deadlines/").json()
    assert [d["cause"] for d in body["deadlines"]] == ["original"]


def test_the_office_refuses_and_the_lead_unit_withdraws(users, running, year_2027) -> None:
    liaison = api(users["liaison_a"])
    first = ask(liaison, running).json()["id"]
    r = api(users["office"]).post(
        f"/api/v1/extensions/{first}/reject/", {"comment": "理由不充分。"}
    )
    assert r.json()["status"] == "rejected"
    second = ask(liaison, running).json()["id"]
    assert ask(liaison, running).status_code == 400  # one open request at a time
    assert api(users["head_b"]).post(f"/api/v1/extensions/{second}/withdraw/").status_code == 404
    r = liaison.post(f"/api/v1/extensions/{second}/withdraw/")
    assert r.json()["status"] == "withdrawn"


@pytest.mark.parametrize(
    ("new_due", "reason", "field", "message"),
    [
        ("2027-01-29", "时间不够", "reason", "至少 20 个字"),
        ("2026-12-30", REASON, "new_due", "晚于现在的完成时限"),
        ("2027-01-01", REASON, "new_due", "不是工作日"),
    ],
)
def test_it_refuses_a_bad_request_with_the_field(
    users, running, year_2027, new_due, reason, field, message
) -> None:
    r = ask(api(users["liaison_a"]), running, new_due, reason)
    assert r.status_code == 400
    assert r.json()["field"] == field and message in r.json()["detail"]
    assert not ExtensionRequest.objects.exists()


def test_it_scopes_extensions(users, units, running, year_2027) -> None:
    pk = ask(api(users["liaison_a"]), running).json()["id"]
    stranger = api(users["liaison_b"])
    assert stranger.get(f"/api/v1/extensions/{pk}/").status_code == 404
    assert stranger.get(f"/api/v1/assignments/{running.pk}/extensions/").status_code == 404
    assert stranger.get(f"/api/v1/assignments/{running.pk}/deadlines/").status_code == 404
    assert stranger.post(f"/api/v1/extensions/{pk}/approve/").status_code == 404
    assert ask(stranger, running).status_code == 404
    observer = api(users["observer"])
    assert observer.get(f"/api/v1/extensions/{pk}/").status_code == 200
    assert observer.post(f"/api/v1/extensions/{pk}/approve/").status_code == 403
    assert observer.post(f"/api/v1/extensions/{pk}/withdraw/").status_code == 403
    assert ask(observer, running).status_code == 403
