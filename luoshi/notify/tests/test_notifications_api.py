"""/api/v1/notifications/: one's own messages, unread count, marking read, preferences; the
OpenAPI schema still generates without a warning."""

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

from luoshi.notify import outbox
from luoshi.notify.models import Channel, Notification

pytestmark = pytest.mark.django_db

ITEMS = [{"text": "事项一：反馈今天到期", "link": "/tasks/1/"},
         {"text": "事项二：已逾期", "link": "/tasks/2/"}]  # fmt: skip


def note(user, title: str, **extra) -> Notification:
    row = outbox.enqueue(key=f"api-test:{user.pk}:{title}", channel="inapp", kind="test",
                         subject=title, body="内容", user=user, **extra)  # fmt: skip
    assert row is not None
    return Notification.objects.get(outbox=row)


@pytest.fixture
def api(users) -> APIClient:
    client = APIClient()
    client.force_authenticate(users["liaison_a"])
    return client


def test_the_list_is_the_users_own_with_digest_items(api, users) -> None:
    me = users["liaison_a"]
    note(me, "普通消息", link="/tasks/9/")
    digest = note(me, "每日汇总", items=ITEMS)
    read = note(me, "已读消息")
    Notification.objects.filter(pk=read.pk).update(read_at="2026-11-20T10:00+08:00")
    note(users["liaison_b"], "别人的消息")
    body = api.get("/api/v1/notifications/").json()
    assert body["count"] == 3
    assert {r["title"] for r in body["results"]} == {"普通消息", "每日汇总", "已读消息"}
    row = next(r for r in body["results"] if r["id"] == digest.pk)
    assert row["items"] == ITEMS
    assert row["unread"] is True and row["read_at"] is None
    unread = api.get("/api/v1/notifications/", {"unread": "1"}).json()
    assert {r["title"] for r in unread["results"]} == {"普通消息", "每日汇总"}


def test_retrieve_and_someone_elses_is_not_found(api, users) -> None:
    mine = note(users["liaison_a"], "我的消息", link="/tasks/3/")
    theirs = note(users["liaison_b"], "别人的消息")
    response = api.get(f"/api/v1/notifications/{mine.pk}/")
    assert response.status_code == 200
    assert response.json()["link"] == "/tasks/3/"
    mine.refresh_from_db()
    assert mine.read_at is None  # reading through the API does not mark it
    assert api.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert api.get("/api/v1/notifications/abc/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_read_all_and_the_unread_count(api, users) -> None:
    me = users["liaison_a"]
    a, _b, _c = note(me, "一"), note(me, "二"), note(me, "三")
    note(users["liaison_b"], "别人的")
    assert api.get("/api/v1/notifications/unread-count/").json() == {"count": 3}
    response = api.post(f"/api/v1/notifications/{a.pk}/read/")
    assert response.status_code == 200
    assert response.json()["unread"] is False and response.json()["read_at"]
    assert api.get("/api/v1/notifications/unread-count/").json() == {"count": 2}
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    assert api.get("/api/v1/notifications/unread-count/").json() == {"count": 0}
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 0}
    assert Notification.objects.filter(read_at__isnull=True).count() == 1  # the other's


def test_preferences_read_and_write(api, users) -> None:
    me = users["liaison_a"]
    me.email = "zhaomin@qinghe.gov.cn"
    me.save()
    assert api.get("/api/v1/notifications/preferences/").json() == {
        "inapp": True, "email": True, "sms": True,
        "email_address": "zhaomin@qinghe.gov.cn", "phone": "",
    }  # fmt: skip
    response = api.put("/api/v1/notifications/preferences/", {"email": False, "sms": True},
                       format="json")  # fmt: skip
    assert response.status_code == 200
    assert response.json()["email"] is False and response.json()["sms"] is True
    assert outbox.channels_for(me) == [Channel.INAPP]  # no phone recorded: SMS sends nothing
    response = api.put("/api/v1/notifications/preferences/", {"email": True}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    api.put("/api/v1/notifications/preferences/", {"email": True, "sms": False}, format="json")
    assert outbox.channels_for(me) == [Channel.INAPP, Channel.EMAIL]


def test_signed_out_clients_get_nothing(demo) -> None:
    client = APIClient()
    for url in ("/api/v1/notifications/", "/api/v1/notifications/unread-count/",
                "/api/v1/notifications/preferences/"):  # fmt: skip
        assert client.get(url).status_code in (401, 403)


def test_the_schema_describes_the_notification_api(tmp_path) -> None:
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    paths = yaml.safe_load(out.read_text(encoding="utf-8"))["paths"]
    assert paths["/api/v1/notifications/"]["get"]["summary"] == "我的消息"
    assert any(p["name"] == "unread" for p in paths["/api/v1/notifications/"]["get"]["parameters"])
    assert paths["/api/v1/notifications/{id}/read/"]["post"]["summary"] == "标为已读"
    assert paths["/api/v1/notifications/read-all/"]["post"]["summary"] == "全部标为已读"
    assert paths["/api/v1/notifications/unread-count/"]["get"]["summary"] == "未读消息条数"
    assert {"get", "put"} <= set(paths["/api/v1/notifications/preferences/"])
    assert "/api/v1/notifications/{id}/" in paths
