"""Progress reports through the API: multipart evidence, every revision, the head's and the
office's decisions, and who sees which report."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from luoshi.followup.models import Attachment, ProgressReport
from luoshi.followup.tests.conftest import PDF, PNG, upload
from luoshi.ledger import services

pytestmark = pytest.mark.django_db
TEXT = "已完成 12 个小区的施工招标工作。"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def submit(client: APIClient, assignment, **extra):
    data = {"text": TEXT, "progress": 40, **extra}
    return client.post(f"/api/v1/assignments/{assignment.pk}/reports/", data, format="multipart")


def test_it_walks_a_report_through_return_resubmit_and_accept(users, running) -> None:
    milestone = running.milestones.create(due_date="2026-12-15", deliverable="完成招标")
    liaison = api(users["liaison_a"])
    r = submit(
        liaison, running, indicator_value="12.5", milestones=[milestone.pk],
        files=[upload("现场.png", PNG), upload("招标公告.pdf", PDF)],
    )  # fmt: skip
    assert r.status_code == 201, r.json()
    report = r.json()
    assert (report["status"], report["status_label"]) == ("pending_head", "待单位负责人审核")
    assert (report["kind"], report["unit_name"], report["revision"]) == (
        "lead",
        "市住房和城乡建设局",
        1,
    )
    rev = report["revisions"][0]
    assert rev["milestones"] == [milestone.pk] and rev["indicator_value"] == "12.50"
    assert [a["name"] for a in rev["attachments"]] == ["现场.png", "招标公告.pdf"]
    assert rev["attachments"][0]["is_image"] is True
    pk = report["id"]

    # The liaison cannot approve for the head; "approve" is the head's approval.
    r = liaison.post(f"/api/v1/reports/{pk}/approve/")
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    r = api(users["head_a"]).post(f"/api/v1/reports/{pk}/approve/", {"comment": "同意报送"})
    assert r.json()["status"] == "pending_review"

    office = api(users["office"])
    r = office.post(f"/api/v1/reports/{pk}/return/", {"comment": ""})
    assert r.status_code == 400
    assert r.json()["field"] == "comment" and "退回意见" in r.json()["detail"]
    r = office.post(f"/api/v1/reports/{pk}/return/", {"comment": "请补充资金到位情况。"})
    assert r.json()["status"] == "returned"
    assert r.json()["revisions"][0]["outcome"] == "returned"

    r = liaison.post(f"/api/v1/reports/{pk}/resubmit/", {
        "text": "已完成招标，资金已到位 3000 万元。", "progress": 45, "milestones": [milestone.pk],
        "files[]": [upload("资金到位.pdf", PDF)],
    }, format="multipart")  # fmt: skip
    assert r.status_code == 200, r.json()
    assert (r.json()["status"], r.json()["revision"]) == ("pending_head", 2)
    r = api(users["head_a"]).post(f"/api/v1/reports/{pk}/head-approve/")
    assert r.json()["status"] == "pending_review"
    r = office.post(f"/api/v1/reports/{pk}/accept/", {"comment": "情况属实"})
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "accepted" and body["accepted_at"]
    assert [(v["number"], v["outcome"]) for v in body["revisions"]] == [
        (1, "returned"),
        (2, "accepted"),
    ]
    assert body["revisions"][0]["text"] == TEXT
    assert [a["name"] for a in body["revisions"][1]["attachments"]] == ["资金到位.pdf"]
    milestone.refresh_from_db()
    assert milestone.reached_at is not None

    listed = office.get(f"/api/v1/assignments/{running.pk}/reports/").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == pk
    assert office.get(f"/api/v1/reports/{pk}/").json()["revision"] == 2


def test_it_serves_evidence_to_those_who_see_the_report(users, running) -> None:
    r = submit(api(users["liaison_a"]), running, files=[upload("现场.png", PNG)])
    att = r.json()["revisions"][0]["attachments"][0]
    assert att["download_url"] == f"/api/v1/attachments/{att['id']}/download/"
    r = api(users["office"]).get(att["download_url"])
    assert r.status_code == 200
    assert r.getvalue() == PNG
    assert r["Content-Type"] == "image/png"
    assert r["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E7%8E%B0%E5%9C%BA.png" in r["Content-Disposition"]
    assert api(users["office"]).get(f"/api/v1/attachments/{att['id']}/").json()["size"] == len(PNG)
    assert api(users["liaison_b"]).get(att["download_url"]).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.exe", b"MZ\x90\x00", "类型不允许"),
        ("a.pdf", b"MZ\x90\x00", "内容与扩展名不符"),
        ("空.png", b"", "空文件"),
    ],
)
def test_it_refuses_a_bad_file_and_saves_nothing(users, running, name, content, message) -> None:
    r = submit(
        api(users["liaison_a"]), running, files=[upload("现场.png", PNG), upload(name, content)]
    )
    assert r.status_code == 400
    assert r.json()["code"] == "invalid" and r.json()["field"] == "files"
    assert message in r.json()["detail"]
    assert not ProgressReport.objects.exists()
    assert not Attachment.objects.exists()


def test_it_answers_bad_fields_in_chinese(users, running) -> None:
    r = submit(api(users["liaison_a"]), running, progress=120)
    assert r.status_code == 400
    assert r.json() == {
        "detail": "完成进度须为 0 到 100 之间的整数。",
        "code": "invalid",
        "field": "progress",
    }
    r = api(users["liaison_a"]).post(
        f"/api/v1/assignments/{running.pk}/reports/", {}, format="multipart"
    )
    assert r.status_code == 400
    assert set(r.json()["errors"]) == {"text", "progress"}
    assert not ProgressReport.objects.exists()


def test_a_co_unit_sees_only_its_own_parts(users, units, running) -> None:
    co = services.assignment_extend(
        users["office"], running, units["市生态环境局"], "涉及污水管网改造"
    )
    services.co_unit_sign(users["liaison_b"], co)
    co_client = api(users["liaison_b"])
    r = submit(co_client, running, text="管网改造已完成设计工作。", files=[upload("设计.pdf", PDF)])
    assert r.status_code == 201, r.json()
    part = r.json()
    assert (part["kind"], part["status"]) == ("co", "pending_lead")
    lead = submit(api(users["liaison_a"]), running, files=[upload("现场.png", PNG)]).json()

    mine = co_client.get(f"/api/v1/assignments/{running.pk}/reports/").json()
    assert [x["id"] for x in mine["results"]] == [part["id"]]
    assert mine["results"][0]["status"] == "consolidated"
    assert co_client.get(f"/api/v1/reports/{lead['id']}/").status_code == 404
    lead_file = lead["revisions"][0]["attachments"][0]["download_url"]
    assert co_client.get(lead_file).status_code == 404
    own_file = part["revisions"][0]["attachments"][0]["download_url"]
    assert co_client.get(own_file).status_code == 200
    # The lead unit and the office see both.
    for who in ("liaison_a", "office"):
        seen = api(users[who]).get(f"/api/v1/assignments/{running.pk}/reports/").json()
        assert {x["id"] for x in seen["results"]} == {part["id"], lead["id"]}


def test_another_unit_gets_404_and_an_observer_reads_but_cannot_act(users, running) -> None:
    report = submit(api(users["liaison_a"]), running).json()
    stranger = api(users["liaison_b"])
    assert stranger.get(f"/api/v1/assignments/{running.pk}/reports/").status_code == 404
    assert submit(stranger, running).status_code == 404
    assert stranger.get(f"/api/v1/reports/{report['id']}/").status_code == 404
    assert (
        stranger.post(
            f"/api/v1/reports/{report['id']}/return/", {"comment": "不该看到"}
        ).status_code
        == 404
    )
    assert stranger.get("/api/v1/reports/abc/").status_code == 404

    observer = api(users["observer"])
    assert observer.get(f"/api/v1/reports/{report['id']}/").status_code == 200
    assert observer.get(f"/api/v1/assignments/{running.pk}/reports/").json()["count"] == 1
    r = observer.post(f"/api/v1/reports/{report['id']}/head-approve/")
    assert r.status_code == 403 and "负责人" in r.json()["detail"]
    r = submit(observer, running)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


def test_it_accepts_token_auth_and_refuses_anonymous(users, running) -> None:
    token = Token.objects.create(user=users["liaison_a"])
    client = APIClient()
    assert submit(client, running).status_code in (401, 403)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    r = submit(client, running, files=[upload("现场.png", PNG)])
    assert r.status_code == 201, r.json()
    assert client.get(f"/api/v1/assignments/{running.pk}/reports/").json()["count"] == 1
