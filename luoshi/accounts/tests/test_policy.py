"""The security policy: defaults, ranges, who may change it, and its audit trail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.accounts import services
from luoshi.accounts.models import SecurityPolicy
from luoshi.accounts.policy import current_policy, request_scope
from luoshi.accounts.tests.helpers import audit_events
from luoshi.audit.events import Event
from luoshi.core.errors import NotPermitted, ServiceError

pytestmark = pytest.mark.django_db
URL = "/accounts/security/"


def test_it_creates_the_level_3_defaults_on_first_use() -> None:
    assert not SecurityPolicy.objects.exists()
    policy = current_policy()
    assert (policy.min_length, policy.min_classes, policy.max_age_days, policy.history) == (
        8, 3, 90, 5,
    )  # fmt: skip
    assert (policy.lockout_threshold, policy.lockout_minutes, policy.rate_limit) == (5, 30, 20)
    assert (policy.idle_minutes, policy.absolute_hours, policy.inactive_days) == (30, 12, 90)
    assert policy.mfa_role_set == {"office_admin", "sysadmin", "secadmin", "auditor"}
    assert current_policy().pk == policy.pk
    assert SecurityPolicy.objects.count() == 1


def test_it_reads_the_policy_once_per_request() -> None:
    current_policy()
    with request_scope(), CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            current_policy()
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        current_policy()
        current_policy()
    assert len(queries) == 2  # outside a request every read sees the latest row


def test_it_refuses_to_weaken_the_policy_below_level_3(users) -> None:
    secadmin = users["secadmin"]
    cases = {
        "min_length": (7, "密码最小长度须在 8 到 64 之间"),
        "min_classes": (2, "密码字符种类须在 3 到 4 之间"),
        "max_age_days": (91, "密码有效期（天）须在 1 到 90 之间"),
        "history": (4, "须在 5 到 24 之间"),
        "lockout_threshold": (6, "须在 3 到 5 之间"),
        "lockout_minutes": (0, "须在 1 到 1440 之间"),
        "idle_minutes": (31, "空闲超时（分钟）须在 5 到 30 之间"),
        "absolute_hours": (13, "须在 1 到 12 之间"),
        "inactive_days": (91, "须在 30 到 90 之间"),
        "rate_limit": (101, "须在 5 到 100 之间"),
    }
    for field, (value, message) in cases.items():
        with pytest.raises(ServiceError, match=message) as err:
            services.policy_update(secadmin, **{field: value})
        assert err.value.field == field
    with pytest.raises(ServiceError, match="不能取消：审计管理员"):
        services.policy_update(secadmin, mfa_roles=["office_admin", "sysadmin", "secadmin"])
    assert audit_events(Event.POLICY_CHANGED) == []
    assert current_policy().min_length == 8


def test_it_lets_only_the_security_administrator_change_it(users) -> None:
    for name in ("sysadmin", "auditor", "office"):
        with pytest.raises(NotPermitted):
            services.policy_update(users[name], min_length=10)
    services.policy_update(users["secadmin"], min_length=12, mfa_roles="leader,office_admin,"
                           "sysadmin,secadmin,auditor")  # fmt: skip
    policy = current_policy()
    assert policy.min_length == 12
    assert "leader" in policy.mfa_role_set
    [record] = audit_events(Event.POLICY_CHANGED)
    assert record.username == "secadmin"
    assert record.before["min_length"] == 8
    assert record.after["min_length"] == 12
    assert "lockout_minutes" not in record.after  # only what changed


def test_it_edits_the_policy_on_its_page(client, users, now) -> None:
    client.force_login(users["secadmin"])
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "允许范围 8–64，默认 8" in html
    form = {
        "min_length": "6", "min_classes": "3", "max_age_days": "60", "history": "5",
        "lockout_threshold": "5", "lockout_minutes": "30", "rate_limit": "20",
        "idle_minutes": "15", "absolute_hours": "8", "inactive_days": "90",
        "mfa_roles": ["office_admin", "sysadmin", "secadmin", "auditor"],
    }  # fmt: skip
    r = client.post(URL, form)
    assert r.status_code == 200
    html = r.content.decode()
    assert "密码最小长度不能小于 8（等保三级不允许低于默认要求）。" in html
    assert 'value="60"' in html  # the other input is kept
    assert current_policy().max_age_days == 90
    r = client.post(URL, {**form, "min_length": "10"})
    assert r.status_code == 302
    policy = current_policy()
    assert (policy.min_length, policy.max_age_days, policy.idle_minutes) == (10, 60, 15)
    assert policy.updated_by == users["secadmin"]
    assert len(audit_events(Event.POLICY_CHANGED)) == 1


def test_it_hides_the_page_from_other_roles(client, users, now) -> None:
    for name in ("sysadmin", "auditor", "office", "liaison_a"):
        client.force_login(users[name])
        assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302
