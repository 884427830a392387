"""The bell in the top bar: exactly the user's unread count, 99+ above 99, refreshed by htmx
from /notifications/unread/, and one indexed COUNT per page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.notify import outbox
from luoshi.notify.models import Notification

pytestmark = pytest.mark.django_db


def note(user, n: int, **extra) -> None:
    outbox.enqueue(key=f"bell-test:{user.pk}:{n}", channel="inapp", kind="test",
                   subject=f"消息 {n}", body="内容", user=user, **extra)  # fmt: skip


def bell(html: str) -> str:
    found = re.search(
        r'<a href="/notifications/" class="bell[^"]*" data-testid="bell".*?</a>', html, re.S
    )
    assert found, "no bell on the page"
    return found.group(0)


def count_in(html: str) -> str | None:
    found = re.search(r'data-testid="bell-count">([^<]*)</span>', bell(html))
    return found.group(1) if found else None


def test_the_bell_counts_exactly_the_users_unread(client, users) -> None:
    me, other = users["liaison_a"], users["liaison_b"]
    for n in range(3):
        note(me, n)
    note(me, 9)
    Notification.objects.filter(user=me, title="消息 9").update(read_at="2026-11-20T10:00+08:00")
    for n in range(5):
        note(other, n)
    client.force_login(me)
    html = client.get("/").content.decode()
    assert count_in(html) == "3"
    assert 'aria-label="消息通知（3 条未读）"' in bell(html)
    assert "<svg" in bell(html)  # an inline icon, no icon font
    client.force_login(other)
    assert count_in(client.get("/").content.decode()) == "5"


def test_no_count_without_unread_and_99_plus_above_99(client, users) -> None:
    me = users["liaison_a"]
    client.force_login(me)
    html = client.get("/").content.decode()
    assert count_in(html) is None
    assert 'aria-label="消息通知（0 条未读）"' in bell(html)
    Notification.objects.bulk_create(
        [Notification(user=me, kind="test", title=f"消息 {n}") for n in range(120)]
    )
    html = client.get("/").content.decode()
    assert count_in(html) == "99+"
    assert 'aria-label="消息通知（120 条未读）"' in bell(html)


def test_htmx_refreshes_the_bell_from_the_same_fragment(client, users) -> None:
    me = users["liaison_a"]
    note(me, 1)
    client.force_login(me)
    on_page = bell(client.get("/").content.decode())
    assert 'hx-get="/notifications/unread/"' in on_page
    assert 'hx-trigger="every 60s"' in on_page
    assert 'hx-swap="outerHTML"' in on_page
    response = client.get("/notifications/unread/")
    assert response.status_code == 200
    assert response.content.decode().strip() == on_page
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    note(me, 2)
    assert count_in(client.get("/notifications/unread/").content.decode()) == "2"


def test_the_fragment_stops_polling_once_signed_out(client) -> None:
    response = client.get("/notifications/unread/")
    assert response.status_code == 286  # htmx: stop polling
    assert response.content == b""


def test_no_bell_when_signed_out(client, demo) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert 'data-testid="bell"' not in html


@pytest.mark.parametrize("url", ["/", "/notifications/", "/notifications/preferences/"])
def test_one_indexed_count_per_page(client, users, url) -> None:
    me = users["liaison_a"]
    note(me, 1)
    client.force_login(me)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    counts = [q["sql"] for q in ctx.captured_queries
              if "notify_notification" in q["sql"] and "COUNT(" in q["sql"].upper()
              and "read_at" in q["sql"] and "IS NULL" in q["sql"].upper()]  # fmt: skip
    assert len(counts) == 1, counts
    assert "user_id" in counts[0]


def test_the_context_processor_counts_once_and_only_for_the_bell(
    rf, users, django_assert_num_queries
) -> None:
    from django.template import engines

    from luoshi.core.context_processors import shell

    me = users["liaison_a"]
    note(me, 1)
    request = rf.get("/")
    request.user = me
    context = shell(request)
    engine = engines["django"]
    with django_assert_num_queries(0):
        engine.from_string("{{ user }}").render({"user": me})
    with django_assert_num_queries(1) as ctx:
        html = engine.from_string(
            '{% include "notify/_bell.html" %}{% include "notify/_bell.html" %}{{ bell.shown }}'
        ).render(context)
    assert "notify_notification" in ctx.captured_queries[0]["sql"]
    assert html.count('data-testid="bell-count">1</span>') == 2
    # Another template rendered for the same request shares the count.
    with django_assert_num_queries(0):
        engine.from_string('{% include "notify/_bell.html" %}').render(shell(request))
