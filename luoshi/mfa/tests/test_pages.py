"""动态口令 (one's own device) and 动态口令管理 (the 安全管理员's list and reset) pages."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY

from luoshi.audit.events import Event
from luoshi.audit.models import AuditRecord
from luoshi.mfa import services, totp
from luoshi.mfa.models import TotpDevice
from luoshi.mfa.tests.conftest import code, enrol, fresh_step

pytestmark = pytest.mark.django_db


def test_it_lets_an_optional_user_enrol_renew_and_remove(client, users, now) -> None:
    liaison = users["liaison_a"]
    client.force_login(liaison)
    page = client.get("/accounts/mfa/").content.decode()
    assert "未绑定" in page and "可选" in page
    enrol_page = client.get("/accounts/mfa/enrol/").content.decode()
    secret = TotpDevice.objects.get(user=liaison).secret
    assert totp.grouped(secret) in enrol_page
    r = client.post("/accounts/mfa/enrol/", {"code": totp.code_now(secret)})
    assert r.content.decode().count('<li class="secret">') == 10
    page = client.get("/accounts/mfa/").content.decode()
    assert "已绑定" in page and "剩余 10 个" in page and "解除绑定" in page

    fresh_step(liaison)
    r = client.post("/accounts/mfa/recovery-codes/", {"renew-code": code(secret=secret)})
    assert r.content.decode().count('<li class="secret">') == 10
    r = client.post("/accounts/mfa/remove/", {"remove-code": code(secret=secret)})
    assert "已经使用过" in r.content.decode()  # the same step as the renewal
    r = client.post("/accounts/mfa/remove/", {"remove-code": code(1, secret=secret)}, follow=True)
    assert "已解除绑定动态口令" in r.content.decode()
    assert not TotpDevice.objects.filter(user=liaison).exists()


def test_it_does_not_offer_removal_to_a_required_role(client, office) -> None:
    enrol(office)
    fresh_step(office)
    client.force_login(office)
    page = client.get("/accounts/mfa/").content.decode()
    assert "必须使用动态口令" in page and 'data-testid="mfa-remove-form"' not in page
    r = client.post("/accounts/mfa/remove/", {"remove-code": code()}, follow=True)
    assert "不能解除绑定" in r.content.decode()
    assert TotpDevice.objects.filter(user=office).exists()


def test_it_logs_out_after_five_wrong_codes_on_the_settings_page(client, office) -> None:
    enrol(office)
    client.force_login(office)
    wrong = "000000" if code(1) != "000000" else "111111"
    for _ in range(4):
        r = client.post("/accounts/mfa/recovery-codes/", {"renew-code": wrong})
        assert r.status_code == 200
    r = client.post("/accounts/mfa/recovery-codes/", {"renew-code": wrong})
    assert r["Location"] == "/accounts/login/" and SESSION_KEY not in client.session
    assert AuditRecord.objects.filter(event=Event.MFA_FAILED).count() == 5


def test_it_lists_users_with_their_status_for_the_secadmin(client, users, office) -> None:
    enrol(office)
    client.force_login(users["secadmin"])
    page = client.get("/accounts/mfa/devices/").content.decode()
    assert "动态口令管理" in page and "office" in page and "liaison_a" in page
    missing = client.get("/accounts/mfa/devices/?status=missing").content.decode()
    assert "sysadmin" in missing and "auditor" in missing
    assert ">office<" not in missing and "liaison_a" not in missing
    bound = client.get("/accounts/mfa/devices/?status=bound&q=陈").content.decode()
    assert "office" in bound and "sysadmin" not in bound
    for who in ("sysadmin", "auditor", "office", "liaison_a"):
        client.force_login(users[who])
        assert client.get("/accounts/mfa/devices/").status_code == 403
        assert client.get(f"/accounts/mfa/devices/{office.pk}/").status_code == 403


def test_it_lets_the_secadmin_reset_a_device_from_the_user_page(client, users, office) -> None:
    enrol(office)
    client.force_login(users["secadmin"])
    url = f"/accounts/mfa/devices/{office.pk}/"
    assert "已绑定" in client.get(url).content.decode()
    r = client.post(url, {"reason": ""})
    assert "请填写重置原因" in r.content.decode()
    r = client.post(url, {"reason": "手机丢失"}, follow=True)
    assert "其下次登录时须重新绑定" in r.content.decode()
    assert not TotpDevice.objects.filter(user=office).exists()
    assert AuditRecord.objects.filter(event=Event.MFA_RESET, success=True).count() == 1
    own = client.get(f"/accounts/mfa/devices/{users['secadmin'].pk}/").content.decode()
    assert "不能重置自己的动态口令" in own
    assert services.confirmed_device_of(office) is None


def test_it_answers_404_for_a_user_outside_the_secadmin_scope(client, users, units, now) -> None:
    from luoshi.accounts.models import RoleGrant, User
    from luoshi.accounts.roles import Role

    housing = units["市住房和城乡建设局"]
    local = User.objects.create_user("sec_housing", name="局安全员", unit=housing)
    RoleGrant.objects.create(user=local, role=Role.SECADMIN, unit=housing)
    client.force_login(local)
    assert client.get(f"/accounts/mfa/devices/{users['liaison_a'].pk}/").status_code == 200
    assert client.get(f"/accounts/mfa/devices/{users['liaison_b'].pk}/").status_code == 404
    assert "liaison_b" not in client.get("/accounts/mfa/devices/").content.decode()
