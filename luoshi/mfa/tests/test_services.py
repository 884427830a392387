"""The second factor's rules, at the service level: enrolment, codes, replay, drift,
recovery codes, renewal, removal, the 安全管理员's reset, and who must use it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine

from luoshi.accounts.models import RoleGrant, User
from luoshi.accounts.roles import Role
from luoshi.audit.events import Event
from luoshi.audit.models import AuditRecord
from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.mfa import recovery, services, totp
from luoshi.mfa.models import RecoveryCode, TotpDevice
from luoshi.mfa.policy import required_for
from luoshi.mfa.tests.conftest import SECRET, code, enrol, fresh_step

pytestmark = pytest.mark.django_db


def _audit_text() -> str:
    rows = AuditRecord.objects.values("before", "after", "detail", "object_repr")
    return json.dumps(list(rows), ensure_ascii=False, default=str)


def test_it_enrols_with_a_current_code_and_stores_only_hashes(office) -> None:
    device = services.enrolment_start(office)
    assert not device.confirmed and len(device.secret) == 32
    # Coming back before confirming shows the same secret (the app already has it).
    assert services.enrolment_start(office).secret == device.secret
    codes = services.enrolment_confirm(office, totp.code_now(device.secret))

    device.refresh_from_db()
    assert device.confirmed_at is not None
    assert device.last_used_step == totp.current_step()
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(recovery.normalise(c)) == 10 for c in codes)
    stored = list(RecoveryCode.objects.filter(user=office).values_list("code_hash", flat=True))
    assert len(stored) == 10
    assert not any(recovery.normalise(c) in h for c in codes for h in stored)
    assert AuditRecord.objects.filter(event=Event.MFA_ENROLLED, user_id=office.pk).count() == 1
    text = _audit_text()
    assert device.secret not in text and not any(c in text for c in codes)
    assert device.secret not in str(device) and device.secret not in repr(device)
    with pytest.raises(ServiceError, match="已绑定"):
        services.enrolment_start(office)


def test_it_refuses_a_wrong_code_at_enrolment_and_audits_it(office) -> None:
    device = services.enrolment_start(office)
    wrong = "000000" if totp.code_now(device.secret) != "000000" else "111111"
    with pytest.raises(services.WrongCode, match="动态口令不正确"):
        services.enrolment_confirm(office, wrong)
    device.refresh_from_db()
    assert not device.confirmed and not RecoveryCode.objects.filter(user=office).exists()
    failed = AuditRecord.objects.get(event=Event.MFA_FAILED)
    assert failed.user_id == office.pk and not failed.success


def test_it_accepts_one_step_either_side_and_no_further(office) -> None:
    enrol(office)
    for offset, ok in ((-2, False), (2, False), (-1, True), (1, True)):
        fresh_step(office)
        if ok:
            assert services.login_verify(office, code(offset)) == "totp"
        else:
            with pytest.raises(services.WrongCode):
                services.login_verify(office, code(offset))


def test_it_never_accepts_the_same_step_twice(office) -> None:
    enrol(office)  # used the current step
    with pytest.raises(services.WrongCode, match="已经使用过"):
        services.login_verify(office, code())
    # The next step is fine, once; then an older step is refused as well.
    assert services.login_verify(office, code(1)) == "totp"
    with pytest.raises(services.WrongCode, match="已经使用过"):
        services.login_verify(office, code(1))
    with pytest.raises(services.WrongCode):
        services.login_verify(office, code())
    # Half a minute later the new current code works.
    with time_machine.travel(timedelta(seconds=60), tick=False):
        assert services.login_verify(office, code()) == "totp"
    assert AuditRecord.objects.filter(event=Event.MFA_FAILED).count() == 3


def test_it_uses_a_recovery_code_once(office) -> None:
    codes = enrol(office)
    typed = codes[3].upper().replace("-", " ")  # capitals and spaces are forgiven
    assert services.login_verify(office, typed) == "recovery"
    assert services.recovery_codes_left(office) == 9
    with pytest.raises(services.WrongCode, match="动态口令或恢复码不正确"):
        services.login_verify(office, codes[3])
    with pytest.raises(services.WrongCode):
        services.login_verify(office, "abcde-fghjk")
    assert AuditRecord.objects.filter(event=Event.MFA_RECOVERY_USED).count() == 1
    assert codes[3] not in _audit_text()


def test_it_renews_recovery_codes_with_a_current_code_only(office) -> None:
    old = enrol(office)
    with pytest.raises(services.WrongCode):
        services.recovery_codes_renew(office, old[0])  # a recovery code is not enough
    fresh_step(office)
    new = services.recovery_codes_renew(office, code())
    assert set(new).isdisjoint(old) and services.recovery_codes_left(office) == 10
    with pytest.raises(services.WrongCode):
        services.login_verify(office, old[1])
    assert AuditRecord.objects.filter(event=Event.MFA_RECOVERY_RENEWED).count() == 1


def test_it_lets_an_optional_user_remove_the_device_but_not_a_required_one(
    users, office, now
) -> None:
    liaison = users["liaison_a"]
    enrol(liaison)
    enrol(office)
    fresh_step(office)
    with pytest.raises(NotPermitted, match="必须使用动态口令"):
        services.device_remove(office, code())
    fresh_step(liaison)
    with pytest.raises(services.WrongCode):
        services.device_remove(liaison, "123456" if code() != "123456" else "654321")
    services.device_remove(liaison, code())
    assert not TotpDevice.objects.filter(user=liaison).exists()
    assert not RecoveryCode.objects.filter(user=liaison).exists()
    assert TotpDevice.objects.filter(user=office).exists()
    reset = AuditRecord.objects.get(event=Event.MFA_RESET)
    assert reset.user_id == liaison.pk and reset.after == {"bound": False}


def test_it_lets_the_secadmin_reset_a_device_in_scope(users, units, office) -> None:
    secadmin = users["secadmin"]
    enrol(office)
    with pytest.raises(NotPermitted):
        services.device_reset(users["sysadmin"], office, reason="手机丢失")
    with pytest.raises(ServiceError, match="重置原因"):
        services.device_reset(secadmin, office, reason=" ")
    with pytest.raises(ServiceError, match="不能重置自己"):
        services.device_reset(secadmin, secadmin, reason="手机丢失")
    services.device_reset(secadmin, office, reason="手机丢失")
    assert not TotpDevice.objects.filter(user=office).exists()
    assert not RecoveryCode.objects.filter(user=office).exists()
    record = AuditRecord.objects.get(event=Event.MFA_RESET)
    assert record.username == "secadmin" and record.object_id == str(office.pk)
    assert "手机丢失" in record.detail and (record.before or {}).get("bound") is True
    with pytest.raises(ServiceError, match="尚未绑定"):
        services.device_reset(secadmin, office, reason="手机丢失")

    # A 安全管理员 of one bureau reaches only that bureau's users.
    housing = units["市住房和城乡建设局"]
    local = User.objects.create_user("sec_housing", name="局安全员", unit=housing)
    RoleGrant.objects.create(user=local, role=Role.SECADMIN, unit=housing)
    enrol(users["liaison_b"])
    with pytest.raises(NotPermitted):
        services.device_reset(local, users["liaison_b"], reason="手机丢失")
    enrol(users["liaison_a"])
    services.device_reset(local, users["liaison_a"], reason="更换手机")


def test_it_requires_the_roles_of_the_policy(users, now) -> None:
    required = {name for name, user in users.items() if required_for(user)}
    assert required == {"office", "sysadmin", "secadmin", "auditor"}
    from luoshi.accounts.policy import current_policy

    policy = current_policy()
    policy.mfa_roles = "inspector"  # the level-3 roles stay required whatever is stored
    policy.save()
    required = {name for name, user in users.items() if required_for(User.objects.get(pk=user.pk))}
    assert required == {"office", "inspector", "sysadmin", "secadmin", "auditor"}


def test_it_formats_the_secret_and_the_qr_code() -> None:
    assert totp.grouped(SECRET) == "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"
    assert totp.is_code_shape("012345") and not totp.is_code_shape("01234")
    assert not totp.is_code_shape("１２３４５６")  # full-width digits are not a code
    uri = totp.provisioning_uri(SECRET, "office")
    assert uri.startswith("otpauth://totp/") and "issuer=" in uri and "office" in uri
    svg = totp.qr_svg(uri)
    assert svg.startswith("<svg") and "viewBox" in svg and "<script" not in svg
