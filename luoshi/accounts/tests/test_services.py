import pytest

from luoshi.accounts import access, services
from luoshi.accounts.models import RoleGrant, User
from luoshi.core.errors import NotPermitted, ServiceError

pytestmark = pytest.mark.django_db


def test_it_keeps_the_three_administrators_separate(users, units) -> None:
    city = units["清河市人民政府"]
    for role in ("secadmin", "auditor"):
        with pytest.raises(ServiceError, match="三员分立"):
            services.role_grant(None, users["sysadmin"], role, city)
    # The database refuses it too, whatever code path tries.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=users["auditor"], role="sysadmin", unit=city)


def test_it_lets_only_the_security_administrator_grant_roles(users, units) -> None:
    new, _ = services.user_create(
        users["sysadmin"], username="newcomer", name="新同志", unit=units["市教育局"]
    )
    for username in ("sysadmin", "office", "auditor"):
        with pytest.raises(NotPermitted):
            services.role_grant(users[username], new, "liaison", units["市教育局"])
    grant = services.role_grant(users["secadmin"], new, "liaison", units["市教育局"])
    assert access.roles_of(User.objects.get(pk=new.pk)) == {"liaison"}
    with pytest.raises(ServiceError, match="已存在"):
        services.role_grant(users["secadmin"], new, "liaison", units["市教育局"])
    with pytest.raises(ServiceError, match="本单位范围"):
        services.role_grant(users["secadmin"], new, "unit_head", units["市财政局"])
    with pytest.raises(ServiceError, match="不能给自己授权"):
        services.role_grant(users["secadmin"], users["secadmin"], "observer", units["市教育局"])
    services.role_revoke(users["secadmin"], grant)
    assert not RoleGrant.objects.filter(user=new).exists()


def test_it_scopes_roles_to_a_subtree(users, units) -> None:
    liaison = users["liaison_a"]
    assert access.covers(liaison, {"liaison"}, units["市住房和城乡建设局"])
    assert not access.covers(liaison, {"liaison"}, units["市生态环境局"])
    assert access.covers(users["office"], {"office_admin"}, units["白沙镇"])


def test_it_creates_users_with_a_one_time_password(users, units) -> None:
    user, password = services.user_create(
        users["sysadmin"],
        username="zhang.san",
        name="张三",
        unit=units["市教育局"],
        phone="13800000000",
    )
    assert user.must_change_password
    assert user.check_password(password)
    with pytest.raises(ServiceError, match="已被使用"):
        services.user_create(
            users["sysadmin"], username="ZHANG.SAN", name="重复", unit=units["市教育局"]
        )
    with pytest.raises(ServiceError, match="手机号码格式"):
        services.user_create(
            users["sysadmin"], username="lisi", name="李", unit=units["市教育局"], phone="abc"
        )
    with pytest.raises(ServiceError, match="用户名须为"):
        services.user_create(users["sysadmin"], username="a b", name="李", unit=units["市教育局"])


def test_it_changes_passwords_with_clear_errors(users) -> None:
    user = users["liaison_a"]
    with pytest.raises(ServiceError, match="原密码不正确"):
        services.password_change(user, "wrong", "Another#2026x")
    with pytest.raises(ServiceError) as err:
        services.password_change(user, "Luoshi@2026", "12345678")
    assert err.value.field == "new_password"
    services.password_change(user, "Luoshi@2026", "Another#2026x")
    assert User.objects.get(pk=user.pk).check_password("Another#2026x")


def test_it_never_deactivates_yourself(users) -> None:
    with pytest.raises(ServiceError, match="不能停用自己"):
        services.user_set_active(users["sysadmin"], users["sysadmin"], False)
    services.user_set_active(users["sysadmin"], users["liaison_b"], False)
    assert not User.objects.get(username="liaison_b").is_active
