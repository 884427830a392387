"""What the audit middleware and the sign-in signals record for real requests."""

from __future__ import annotations

import pytest
from django.test import Client

from luoshi.audit.events import Event
from luoshi.audit.models import AuditRecord
from luoshi.audit.services import verify_chain

pytestmark = pytest.mark.django_db


def _only(event: str) -> AuditRecord:
    records = list(AuditRecord.objects.filter(event=event))
    assert len(records) == 1, [(r.event, r.path) for r in AuditRecord.objects.all()]
    return records[0]


def test_it_records_a_login_with_who_where_and_the_request_id(users, now):
    client = Client(REMOTE_ADDR="10.1.2.3")
    response = client.post("/accounts/login/", {"username": "liaison_a", "password": "Luoshi@2026"})
    assert response.status_code == 302
    rec = _only(Event.LOGIN)
    assert (rec.username, rec.user_name, rec.unit_name) == (
        "liaison_a",
        "赵敏",
        "市住房和城乡建设局",
    )
    assert rec.roles == "liaison" and rec.address == "10.1.2.3" and rec.success
    assert rec.request_id == response["X-Request-ID"] and len(rec.request_id) == 32
    assert not AuditRecord.objects.filter(event=Event.WRITE).exists()  # one story per login


def test_it_records_a_failed_login_with_the_typed_name_and_never_the_password(users, now):
    Client(REMOTE_ADDR="10.9.9.9").post(
        "/accounts/login/", {"username": "nobody", "password": "Wrong#Pass1"}
    )
    rec = _only(Event.LOGIN_FAILED)
    assert not rec.success and rec.address == "10.9.9.9" and rec.object_repr == "nobody"
    assert "Wrong#Pass1" not in str(rec.after) + rec.detail + str(rec.before)


def test_it_records_a_logout(users, now, client):
    client.force_login(users["liaison_a"])
    client.post("/accounts/logout/")
    assert _only(Event.LOGOUT).username == "liaison_a"


def test_it_records_a_write_with_the_form_and_the_rows_it_changed(users, now, client):
    client.force_login(users["office"])
    response = client.post(
        "/ledger/new/",
        {"title": "城区积水点整治", "content": "汛前完成整治", "source": "meeting",
         "category": "decision", "priority": "normal", "meeting_name": "常务会议",
         "meeting_date": "2026-11-20"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    rec = _only(Event.WRITE)
    assert rec.after is not None
    assert rec.success and rec.status_code == 302 and rec.username == "office"
    assert rec.after["表单"]["title"] == "城区积水点整治"
    assert "csrfmiddlewaretoken" not in rec.after["表单"]
    matter_keys = [k for k in rec.after if k.startswith("ledger.Matter#")]
    assert matter_keys and rec.after[matter_keys[0]]["title"] == "城区积水点整治"
    assert verify_chain()[1] is None


def test_it_records_the_before_state_of_an_edit(users, now, client):
    from luoshi.ledger.services import matter_create

    matter = matter_create(users["office"], office=users["office"].unit, title="旧标题",
                           content="内容", source="meeting", category="decision",
                           priority="normal", meeting_name="常务会议",
                           meeting_date="2026-11-20")  # fmt: skip
    client.force_login(users["office"])
    response = client.get(f"/ledger/{matter.pk}/edit/")
    form = response.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(title="新标题", version=matter.version)
    client.post(f"/ledger/{matter.pk}/edit/", data)
    rec = _only(Event.WRITE)
    assert rec.after is not None
    # The ledger changes rows with conditional updates (no save signal); its own event row,
    # captured whole, carries the before and after of the edit.
    events = [v for k, v in rec.after.items() if k.startswith("ledger.MatterEvent#")]
    assert events and events[0]["changes"] == {"before": {"title": "旧标题"},
                                              "after": {"title": "新标题"}}  # fmt: skip
    assert rec.object_id == str(matter.pk) and rec.object_type == "ledger:matter_edit"


def test_it_records_denied_access_and_hidden_objects(users, now, client):
    client.force_login(users["liaison_a"])
    assert client.get("/accounts/users/").status_code == 403
    assert client.get("/ledger/999999/").status_code == 404
    denied = list(AuditRecord.objects.filter(event=Event.DENIED).order_by("seq"))
    assert [(r.status_code, r.success) for r in denied] == [(403, False), (404, False)]


def test_it_records_an_anonymous_visitor_sent_to_sign_in(db, client):
    assert client.get("/ledger/").status_code == 302
    rec = _only(Event.DENIED)
    assert rec.username == "" and rec.path == "/ledger/" and rec.status_code == 302


def test_it_records_downloads_and_exports_but_not_page_reads(users, now, client):
    client.force_login(users["office"])
    client.get("/ledger/")
    assert not AuditRecord.objects.exclude(event=Event.LOGIN).exists()
    response = client.get("/sheets/ledger.xlsx")
    assert response.status_code == 200
    rec = _only(Event.EXPORT)
    assert "attachment" in rec.detail and rec.username == "office"


def test_a_refusal_recorded_inside_a_rolled_back_transaction_is_kept(db):
    from django.contrib.auth.models import AnonymousUser
    from django.db import transaction
    from django.http import HttpResponse
    from django.test import RequestFactory

    from luoshi.audit.middleware import AuditMiddleware
    from luoshi.audit.services import audit
    from luoshi.core.errors import ServiceError

    def view(request):
        try:
            with transaction.atomic():
                audit(Event.FILE_REJECTED, request=request, success=False, detail="宏病毒")
                raise ServiceError("拒收")
        except ServiceError:
            return HttpResponse("拒收", status=400)

    request = RequestFactory().get("/evidence/")
    request.user = AnonymousUser()
    assert AuditMiddleware(view)(request).status_code == 400
    assert _only(Event.FILE_REJECTED).detail == "宏病毒"
