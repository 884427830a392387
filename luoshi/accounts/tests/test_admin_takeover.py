"""三员分立: the system administrator cannot take over the security or audit administrator's
account; the operator on the server can restore access, on the record."""

import pytest
from django.core.management import call_command

from luoshi.accounts import services
from luoshi.audit.events import Event
from luoshi.audit.models import AuditRecord
from luoshi.core.errors import ServiceError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("target", ["secadmin", "auditor"])
def test_the_sysadmin_cannot_reset_disable_or_edit_another_administrator(users, now, target):
    sysadmin, account = users["sysadmin"], users[target]
    for attempt in (
        lambda: services.user_reset_password(sysadmin, account),
        lambda: services.user_set_active(sysadmin, account, False),
        lambda: services.user_update(sysadmin, account, name="改名"),
    ):
        with pytest.raises(ServiceError, match="三员分立"):
            attempt()
    account.refresh_from_db()
    assert account.is_active and account.name != "改名" and account.check_password("Luoshi@2026")


def test_the_sysadmin_still_manages_business_accounts(users, now):
    assert services.user_reset_password(users["sysadmin"], users["liaison_a"])


def test_the_operator_resets_an_administrator_on_the_server(users, now, capsys):
    from luoshi.mfa.models import TotpDevice

    TotpDevice.objects.create(user=users["auditor"], secret="JBSWY3DPEHPK3PXP")
    call_command("reset_admin_password", "auditor", "--reason", "手机丢失", "--mfa")
    out = capsys.readouterr().out
    password = out.rsplit("：", 1)[1].strip()
    users["auditor"].refresh_from_db()
    assert users["auditor"].check_password(password) and users["auditor"].must_change_password
    assert not TotpDevice.objects.filter(user=users["auditor"]).exists()
    rec = AuditRecord.objects.filter(event=Event.PASSWORD_CHANGED, detail__contains="手机丢失")
    assert rec.count() == 1
