"""消息通知 pages: tabs, digests, opening (marks read, follows only local links), marking
read, someone else's message, and the channel preferences with their effect on delivery."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from luoshi.notify import outbox
from luoshi.notify.models import Channel, Notification, NotificationPreference

pytestmark = pytest.mark.django_db

DIGEST = [
    {"text": "关于老旧小区改造的督办事项：反馈今天到期", "link": "/tasks/1/"},
    {"text": "关于城市内涝治理的督办事项：已逾期 2 个工作日", "link": "/tasks/2/"},
]


def note(user, title: str, *, link: str = "", items=None, minutes_ago: int = 0, read=False):
    row = outbox.enqueue(key=f"page-test:{user.pk}:{title}", channel="inapp", kind="test",
                         subject=title, body=f"{title}的内容", link=link, user=user,
                         items=items)  # fmt: skip
    assert row is not None
    n = Notification.objects.get(outbox=row)
    at = timezone.now() - timedelta(minutes=minutes_ago)
    Notification.objects.filter(pk=n.pk).update(created_at=at, read_at=at if read else None)
    n.refresh_from_db()
    return n


def titles(html: str) -> list[str]:
    return re.findall(
        r'class="(?:link )?notice-title">(?:<span class="sr">未读：</span>)?([^<]*)<', html
    )


@pytest.fixture
def me(client, users, now):
    # On the tests' clock (Monday 09:30): "1 小时前" is still today; on the real clock shortly
    # after midnight it was yesterday's time instead.
    client.force_login(users["liaison_a"])
    return users["liaison_a"]


def test_the_list_opens_on_unread_newest_first_and_shows_all_on_the_other_tab(client, me) -> None:
    note(me, "较早的消息", minutes_ago=90)
    note(me, "最新的消息", minutes_ago=5)
    note(me, "已读的消息", minutes_ago=30, read=True)
    html = client.get("/notifications/").content.decode()
    assert titles(html) == ["最新的消息", "较早的消息"]
    assert 'aria-current="page">未读（2）</a>' in html
    assert html.count('class="notice unread"') == 2
    assert "5 分钟前" in html and "1 小时前" in html
    html = client.get("/notifications/?tab=all").content.decode()
    assert titles(html) == ["最新的消息", "已读的消息", "较早的消息"]
    assert html.count('class="notice unread"') == 2
    assert 'aria-current="page">全部</a>' in html
    assert 'action="/notifications/read-all/"' in html
    assert 'href="/notifications/preferences/"' in html


def test_with_nothing_unread_the_list_opens_on_all(client, me, users) -> None:
    note(users["liaison_b"], "别人的消息")
    html = client.get("/notifications/").content.decode()
    assert 'aria-current="page">全部</a>' in html
    assert "还没有收到消息" in html
    assert "别人的消息" not in html
    note(me, "看过的消息", read=True)
    html = client.get("/notifications/").content.decode()
    assert titles(html) == ["看过的消息"]
    assert 'action="/notifications/read-all/"' not in html  # nothing to mark
    html = client.get("/notifications/?tab=unread").content.decode()
    assert "没有未读消息" in html


def test_a_digest_lists_its_items_as_links(client, me) -> None:
    items = [*DIGEST, {"text": "外部链接的条目", "link": "https://evil.example/x"},
             {"text": "脚本链接的条目", "link": "javascript:alert(1)"}]  # fmt: skip
    note(me, "今日督办提醒", items=items)
    html = client.get("/notifications/").content.decode()
    assert f'<a href="/tasks/1/">{DIGEST[0]["text"]}</a>' in html
    assert f'<a href="/tasks/2/">{DIGEST[1]["text"]}</a>' in html
    # Links that leave the site are shown as text only.
    assert "<li>外部链接的条目</li>" in html and "evil.example" not in html
    assert "<li>脚本链接的条目</li>" in html and "javascript:" not in html


def test_opening_marks_read_and_goes_to_the_link(client, me) -> None:
    n = note(me, "反馈待审核", link="/tasks/7/")
    assert client.get(f"/notifications/{n.pk}/open/").status_code == 405
    response = client.post(f"/notifications/{n.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == "/tasks/7/"
    n.refresh_from_db()
    assert n.read_at is not None
    first = n.read_at
    client.post(f"/notifications/{n.pk}/open/")
    n.refresh_from_db()
    assert n.read_at == first  # read stays read, with the first reading time


@pytest.mark.parametrize(
    "link", ["https://evil.example/phish", "//evil.example/phish", "javascript:alert(1)", ""]
)
def test_opening_does_not_follow_a_link_off_the_site(client, me, link) -> None:
    n = note(me, "可疑链接", link=link)
    response = client.post(f"/notifications/{n.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_one_read_and_mark_all_read(client, me, users) -> None:
    a = note(me, "第一条")
    note(me, "第二条")
    note(me, "第三条")
    theirs = note(users["liaison_b"], "别人的未读")
    response = client.post(f"/notifications/{a.pk}/read/", {"next": "/notifications/?tab=all"})
    assert response["Location"] == "/notifications/?tab=all"
    a.refresh_from_db()
    assert a.read_at is not None
    response = client.post(f"/notifications/{a.pk}/read/", {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"
    response = client.post("/notifications/read-all/", follow=True)
    assert "已将 2 条消息标为已读。" in response.content.decode()
    assert not Notification.objects.filter(user=me, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.get("/notifications/read-all/").status_code == 405


def test_someone_elses_message_is_not_found(client, me, users) -> None:
    theirs = note(users["liaison_b"], "别人的消息", link="/tasks/1/")
    assert client.post(f"/notifications/{theirs.pk}/open/").status_code == 404
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_is_paginated(client, me) -> None:
    for n in range(25):
        note(me, f"消息{n:02d}", minutes_ago=n)
    html = client.get("/notifications/").content.decode()
    assert len(titles(html)) == 20
    assert titles(html)[0] == "消息00"
    assert "第 1 / 2 页，共 25 条" in html
    assert 'href="?tab=unread&page=2"' in html
    html = client.get("/notifications/?tab=unread&page=2").content.decode()
    assert titles(html) == [f"消息{n:02d}" for n in range(20, 25)]


def test_signed_out_people_are_sent_to_log_in(client, demo) -> None:
    for url in ("/notifications/", "/notifications/preferences/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_menu_has_the_entry(client, me) -> None:
    html = client.get("/").content.decode()
    assert '<a href="/notifications/">消息通知</a>' in html


def test_preferences_show_addresses_or_ask_for_them(client, me) -> None:
    html = client.get("/notifications/preferences/").content.decode()
    assert '<input type="checkbox" checked disabled> 站内消息' in html
    assert html.count("未登记，请联系系统管理员") == 2
    assert "勾选此项不起作用" in html
    assert "08:30–17:30" in html and "工作日" in html
    assert "每天汇总为一条摘要" in html
    # Both channels are on until the person chooses.
    assert re.search(r'<input type="checkbox" name="email"[^>]*checked', html)
    assert re.search(r'<input type="checkbox" name="sms"[^>]*checked', html)
    me.email, me.phone = "zhaomin@qinghe.gov.cn", "13800000001"
    me.save()
    html = client.get("/notifications/preferences/").content.decode()
    assert '发送到 <span class="nowrap">zhaomin@qinghe.gov.cn</span>' in html
    assert "13800000001" in html
    assert "未登记" not in html


def test_saving_preferences_changes_the_channels_used(client, me) -> None:
    me.email, me.phone = "zhaomin@qinghe.gov.cn", "13800000001"
    me.save()
    assert outbox.channels_for(me) == [Channel.INAPP, Channel.EMAIL, Channel.SMS]
    response = client.post("/notifications/preferences/", {"email": "on"}, follow=True)
    assert "通知设置已保存。" in response.content.decode()
    pref = NotificationPreference.objects.get(user=me)
    assert (pref.email, pref.sms) == (True, False)
    assert outbox.channels_for(me) == [Channel.INAPP, Channel.EMAIL]
    html = response.content.decode()
    assert re.search(r'<input type="checkbox" name="email"[^>]*checked', html)
    assert not re.search(r'<input type="checkbox" name="sms"[^>]*checked', html)
    client.post("/notifications/preferences/", {})
    assert outbox.channels_for(me) == [Channel.INAPP]
    assert NotificationPreference.objects.filter(user=me).count() == 1
    client.post("/notifications/preferences/", {"email": "on", "sms": "on"})
    assert outbox.channels_for(me) == [Channel.INAPP, Channel.EMAIL, Channel.SMS]


def test_the_services_work_on_the_users_own_rows(users) -> None:
    from django.http import Http404

    from luoshi.notify import services

    me, other = users["liaison_a"], users["liaison_b"]
    mine = [note(me, f"我的{n}") for n in range(3)]
    theirs = note(other, "别人的")
    assert services.notification_mark_read(me, mine[0].pk).read_at is not None
    with pytest.raises(Http404):
        services.notification_mark_read(me, theirs.pk)
    assert services.notifications_mark_all_read(me) == 2
    assert services.notifications_mark_all_read(me) == 0
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    pref = services.preference_set(me, email=False, sms=True)
    assert (pref.email, pref.sms) == (False, True)
    assert services.preference_set(me, email=True, sms=True).pk == pref.pk


def test_preferences_say_when_no_sms_gateway_is_connected(client, users, settings):
    settings.LUOSHI_SMS_URL = ""
    client.force_login(users["liaison_a"])
    page = client.get("/notifications/preferences/").content.decode()
    assert "尚未接入短信网关" in page


def test_a_digest_shows_its_items_once(client, users):
    from luoshi.notify import outbox

    me = users["liaison_a"]
    outbox.enqueue(
        key="digest-once", channel="inapp", kind="digest", subject="督办提醒：2 项",
        body="1. 第一项提醒\n2. 第二项提醒", user=me,
        items=[{"text": "第一项提醒", "link": "/tasks/1/"}, {"text": "第二项提醒", "link": ""}],
    )  # fmt: skip
    client.force_login(me)
    page = client.get("/notifications/").content.decode()
    assert page.count("第一项提醒") == 1 and page.count("第二项提醒") == 1
