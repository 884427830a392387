import pytest

from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.org import services
from luoshi.org.models import Unit

pytestmark = pytest.mark.django_db


def test_it_creates_a_unit_with_its_path(users, units) -> None:
    district = units["东湖区"]
    unit = services.unit_create(
        users["sysadmin"],
        name="东湖区财政局",
        kind="department",
        parent=district,
        short_name="区财政局",
    )
    assert unit.path == f"{district.path}{unit.pk}/"
    assert unit.depth == district.depth + 1
    assert unit.is_descendant_of(units["清河市人民政府"])


def test_it_refuses_duplicates_and_bad_kinds(users, units) -> None:
    city = units["清河市人民政府"]
    with pytest.raises(ServiceError, match="已有名为“市教育局”"):
        services.unit_create(users["sysadmin"], name="市教育局", kind="department", parent=city)
    with pytest.raises(ServiceError, match="类型无效"):
        services.unit_create(users["sysadmin"], name="市新局", kind="bogus", parent=city)
    with pytest.raises(ServiceError, match="请填写单位名称"):
        services.unit_create(users["sysadmin"], name="  ", kind="department", parent=city)


def test_it_lets_only_system_administrators_manage_units(users, units) -> None:
    for username in ("office", "secadmin", "auditor", "liaison_a", "leader"):
        with pytest.raises(NotPermitted):
            services.unit_create(
                users[username], name="某局", kind="department", parent=units["清河市人民政府"]
            )


def test_it_moves_a_subtree(users, units) -> None:
    town = units["湖滨街道"]
    office = services.unit_create(users["sysadmin"], name="党政办", kind="office", parent=town)
    services.unit_move(users["sysadmin"], town, units["西山区"])
    town.refresh_from_db()
    office.refresh_from_db()
    assert town.parent == units["西山区"]
    assert town.path == f"{units['西山区'].path}{town.pk}/"
    assert office.path == f"{town.path}{office.pk}/"
    assert office.depth == town.depth + 1
    with pytest.raises(ServiceError, match="自己或它的下级"):
        services.unit_move(users["sysadmin"], town, office)
    with pytest.raises(ServiceError, match="顶层单位不能移动"):
        services.unit_move(users["sysadmin"], units["清河市人民政府"], units["西山区"])


def test_it_deactivates_only_empty_units(users, units) -> None:
    with pytest.raises(ServiceError, match="在用账户"):
        services.unit_deactivate(users["sysadmin"], units["市住房和城乡建设局"])
    with pytest.raises(ServiceError, match="下级单位"):
        services.unit_deactivate(users["sysadmin"], units["南川区"])
    town = services.unit_deactivate(users["sysadmin"], units["白沙镇"])
    assert town.is_active is False
    with pytest.raises(ServiceError, match="已停用"):
        services.unit_create(users["sysadmin"], name="办公室", kind="office", parent=town)
    assert services.unit_activate(users["sysadmin"], town).is_active is True
    assert Unit.objects.filter(is_active=False).count() == 0


def test_it_seeds_the_demo_city(units) -> None:
    kinds: dict[str, int] = {}
    for unit in units.values():
        kinds[unit.kind] = kinds.get(unit.kind, 0) + 1
    assert kinds["city"] == 1
    assert kinds["district"] == 4
    assert kinds["department"] == 20
    assert kinds["township"] == 10
    assert "市政府督查室" in units
