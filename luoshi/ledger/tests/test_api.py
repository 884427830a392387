"""The ledger API: the same walk, ETag/If-Match, token auth, JSON errors with codes."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from luoshi.ledger.tests.factories import make_matter

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_it_walks_a_matter_through_the_api(users, units, now) -> None:
    office = api(users["office"])
    r = office.post("/api/v1/matters/", {
        "title": "接口创建的事项", "content": "内容", "source": "instruction", "category": "decision",
        "instructing_leader": "张建国", "instruction_text": "请报结果", "received_on": "2026-11-23",
        "result_required": True, "supervising_leader": users["vleader"].pk,
    }, format="json")  # fmt: skip
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    r = office.post(f"/api/v1/matters/{pk}/assignments/", {
        "task": "任务一", "lead_unit": units["市住房和城乡建设局"].pk, "responsible_leader": "孙立军",
        "responsible_person": "赵敏", "due_date": "2026-12-02", "progress_requirement": "每周报送",
        "co_units": [units["市财政局"].pk], "milestones": [{"due_date": "2026-11-30", "deliverable": "完成排查"}],
    }, format="json")  # fmt: skip
    assert r.status_code == 201, r.json()
    assignment = r.json()["id"]
    assert office.post(f"/api/v1/matters/{pk}/submit/").status_code == 200
    r = api(users["vleader"]).post(f"/api/v1/matters/{pk}/approve/", {"comment": "同意"})
    assert r.json()["due_date"] == "2026-12-02"
    assert r.json()["number"] == "督〔2026〕0001号"
    assert office.post(f"/api/v1/matters/{pk}/assign/").json()["status"] == "assigned"
    r = api(users["liaison_a"]).post(f"/api/v1/assignments/{assignment}/sign/")
    assert r.json()["status"] == "in_progress"
    assert office.get(f"/api/v1/matters/{pk}/").json()["status"] == "in_progress"


def test_it_requires_if_match_to_edit(users, units, now) -> None:
    matter = make_matter(users, units)
    office = api(users["office"])
    r = office.get(f"/api/v1/matters/{matter.pk}/")
    etag = r["ETag"]
    r = office.patch(f"/api/v1/matters/{matter.pk}/", {"title": "无条件修改"}, format="json")
    assert r.status_code == 428
    assert r.json()["code"] == "precondition_required"
    r = office.patch(
        f"/api/v1/matters/{matter.pk}/", {"title": "第一次修改"}, format="json", HTTP_IF_MATCH=etag
    )
    assert r.status_code == 200
    assert r["ETag"] != etag
    r = office.patch(
        f"/api/v1/matters/{matter.pk}/", {"title": "过期的修改"}, format="json", HTTP_IF_MATCH=etag
    )
    assert r.status_code == 412
    assert "已被他人修改" in r.json()["detail"]


def test_it_answers_errors_in_chinese_with_a_code(users, units, now) -> None:
    matter = make_matter(users, units)
    r = api(users["office"]).post(f"/api/v1/matters/{matter.pk}/assign/")
    assert r.status_code == 400
    assert r.json() == {
        "detail": "当前状态为“草稿”，不能变为“已交办”。",
        "code": "invalid",
        "field": "status",
    }
    r = api(users["liaison_a"]).post(f"/api/v1/matters/{matter.pk}/approve/")
    assert r.status_code == 403
    assert r.json()["code"] == "forbidden"
    r = api(users["liaison_b"]).get(f"/api/v1/matters/{matter.pk}/")
    assert r.status_code == 404


def test_it_accepts_token_auth_and_filters(users, units, now) -> None:
    make_matter(users, units, title="安全生产专项整治")
    make_matter(users, units, title="城市绿化")
    token = Token.objects.create(user=users["office"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    r = client.get("/api/v1/matters/", {"q": "安全生产"})
    assert r.status_code == 200
    assert [m["title"] for m in r.json()["results"]] == ["安全生产专项整治"]
    r = client.get("/api/v1/matters/", {"status": "nonsense"})
    assert r.status_code == 400
    assert r.json()["code"] == "invalid"


def test_it_scopes_assignment_lists(users, units, now) -> None:
    make_matter(users, units, assigned=True)
    assert api(users["liaison_a"]).get("/api/v1/assignments/").json()["count"] == 1
    assert api(users["liaison_b"]).get("/api/v1/assignments/").json()["count"] == 0


def test_it_serves_the_schema_and_docs(client, users) -> None:
    client.force_login(users["office"])
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/matters/{id}/approve/" in schema.content
    assert client.get("/api/docs/").status_code == 200
