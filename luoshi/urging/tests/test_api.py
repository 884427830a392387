"""The urging API: the same services and scoping as the pages; errors in the project's
format (Chinese ``detail``, machine ``code``, the refused ``field``)."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

from luoshi.notify.models import Notification
from luoshi.urging.tests.conftest import REPLY, TEXT

pytestmark = pytest.mark.django_db
URL = "/api/v1/urgings/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def create(client: APIClient, running, unit, **extra):
    body = {"assignment": running.pk, "unit": unit.pk, "text": TEXT, **extra}
    return client.post(URL, body, format="json")


def test_the_office_issues_and_the_unit_is_told(users, units, running) -> None:
    housing = units["市住房和城乡建设局"]
    r = create(api(users["office"]), running, housing, kind="notice", reply_due="2026-11-30")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert (body["number"], body["kind"], body["kind_label"]) == (
        "督办〔2026〕第1号",
        "notice",
        "督办通知",
    )
    assert (body["status"], body["status_label"], body["reply_due"]) == (
        "issued",
        "待回复",
        "2026-11-30",
    )
    assert body["unit_name"] == housing.name and body["matter"] == running.matter_id
    assert body["print_url"] == f"/urging/{body['id']}/print/" and body["overdue"] is False
    assert Notification.objects.filter(user=users["liaison_a"], kind="urging").count() == 1
    r = create(api(users["office"]), running, housing)
    assert r.json()["number"] == "催办〔2026〕第1号" and r.json()["reply_due"] == "2026-11-26"


def test_create_refusals(users, units, running) -> None:
    housing = units["市住房和城乡建设局"]
    office = api(users["office"])
    r = create(office, running, housing, text="请加快")
    assert r.status_code == 400 and (r.json()["code"], r.json()["field"]) == ("invalid", "text")
    r = create(office, running, units["市生态环境局"])
    assert r.status_code == 400 and r.json()["field"] == "unit"
    r = create(office, running, housing, reply_due="2026-11-28")
    assert r.status_code == 400 and "不是工作日" in r.json()["detail"]
    r = office.post(URL, {"text": TEXT}, format="json")
    assert r.status_code == 400 and "assignment" in r.json()["errors"]
    for username in ("liaison_a", "observer"):
        r = create(api(users[username]), running, housing)
        assert r.status_code == 403 and r.json()["code"] == "forbidden", username
    assert create(api(users["liaison_b"]), running, housing).status_code == 404


def test_reading_is_scoped(users, units, running, notice) -> None:
    api(users["office"]).post(
        URL, {"assignment": running.pk, "unit": units["市财政局"].pk, "text": TEXT}, format="json"
    )
    ids = lambda username: [n["id"] for n in api(users[username]).get(URL).json()["results"]]  # noqa: E731
    assert len(ids("office")) == 2 and len(ids("observer")) == 2 and len(ids("vleader")) == 2
    assert ids("liaison_a") == [notice.pk] and ids("liaison_b") == []
    r = api(users["liaison_b"]).get(f"{URL}{notice.pk}/")
    assert r.status_code == 404
    assert (
        api(users["liaison_b"]).post(f"{URL}{notice.pk}/reply/", {"text": REPLY}).status_code == 404
    )
    r = api(users["office"]).get(f"{URL}{notice.pk}/")
    assert r.status_code == 200 and r.json()["read_at"] is None
    r = api(users["liaison_a"]).get(f"{URL}{notice.pk}/")
    assert r.json()["read_by_name"] == users["liaison_a"].display_name
    office = api(users["office"])
    assert [
        n["id"] for n in office.get(URL, {"kind": "urge", "unit": notice.unit_id}).json()["results"]
    ] == [notice.pk]
    assert office.get(URL, {"status": "overdue"}).json()["count"] == 0
    r = office.get(URL, {"status": "lost"})
    assert r.status_code == 400 and r.json()["field"] == "status"
    assert office.get(URL, {"year": "x"}).status_code == 400
    assert office.get(f"{URL}abc/").status_code == 404


def test_the_actions(users, notice) -> None:
    pk = notice.pk
    unit, office = api(users["liaison_a"]), api(users["office"])
    r = unit.post(f"{URL}{pk}/reply/", {"text": "已办理"}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "reply_text"
    assert api(users["observer"]).post(f"{URL}{pk}/reply/", {"text": REPLY}).status_code == 403
    r = unit.post(f"{URL}{pk}/reply/", {"text": REPLY, "version": 1}, format="json")
    assert r.status_code == 200 and (r.json()["status"], r.json()["version"]) == ("replied", 2)
    assert r.json()["replied_late"] is False
    for action in ("accept", "return", "cancel"):
        r = api(users["observer"]).post(f"{URL}{pk}/{action}/", {"comment": "观察员的意见"})
        assert r.status_code == 403, action
    assert unit.post(f"{URL}{pk}/accept/").status_code == 403
    r = office.post(
        f"{URL}{pk}/return/", {"comment": "请写明完成时间。", "version": 1}, format="json"
    )
    assert r.status_code == 409 and r.json()["code"] == "conflict"
    r = office.post(
        f"{URL}{pk}/return/",
        {"comment": "请写明完成时间。", "reply_due": "2026-12-01"},
        format="json",
    )
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["returns"], r.json()["reply_due"]) == (
        "returned",
        1,
        "2026-12-01",
    )
    r = office.post(f"{URL}{pk}/accept/")
    assert r.status_code == 400 and "不能变为" in r.json()["detail"]
    unit.post(f"{URL}{pk}/reply/", {"text": REPLY}, format="json")
    r = office.post(f"{URL}{pk}/accept/", {"comment": "同意"}, format="json")
    assert (r.json()["status"], r.json()["reviewed_by_name"]) == (
        "accepted",
        users["office"].display_name,
    )
    r = office.post(f"{URL}{pk}/cancel/", {"reason": "不再需要回复"}, format="json")
    assert r.status_code == 400


def test_cancel(users, notice) -> None:
    office = api(users["office"])
    r = office.post(f"{URL}{notice.pk}/cancel/", {"reason": ""}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "reason"
    r = office.post(f"{URL}{notice.pk}/cancel/", {"reason": "误发，任务已办理"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"


def test_the_schema_documents_urging_without_warnings(tmp_path) -> None:
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text(encoding="utf-8"))
    paths = schema["paths"]
    assert paths["/api/v1/urgings/"]["post"]["summary"] == "发出催办单或督办通知"
    for action in ("reply", "accept", "return", "cancel"):
        assert paths[f"/api/v1/urgings/{{id}}/{action}/"]["post"]["description"]
    assert {"UrgingStatusEnum", "UrgingKindEnum"} <= set(schema["components"]["schemas"])
