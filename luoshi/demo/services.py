"""Loading the demo data, idempotently: existing rows are kept, missing ones added."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

from luoshi.accounts.models import RoleGrant, User
from luoshi.accounts.services import role_grant, user_create
from luoshi.core.errors import ServiceError
from luoshi.demo import data
from luoshi.demo.matters import seed_demo_matters
from luoshi.org.models import Unit, UnitKind
from luoshi.org.services import unit_create

log = logging.getLogger(__name__)


def _unit(name: str, kind: str, parent: Unit | None, order: int, short: str = "") -> Unit:
    found = Unit.objects.filter(name=name, parent=parent).first()
    if found is not None:
        return found
    return unit_create(None, name=name, kind=kind, parent=parent, short_name=short, order=order)


@transaction.atomic
def seed_demo(*, with_matters: bool = True) -> dict[str, int]:
    if not settings.LUOSHI_DEMO:
        raise ServiceError("演示数据只能在演示模式下加载：请设置环境变量 LUOSHI_DEMO=1。")
    before_units, before_users = Unit.objects.count(), User.objects.count()
    city = _unit(data.CITY, UnitKind.CITY, None, 0, "市政府")
    units = {data.CITY: city}
    units[data.OFFICE] = _unit(data.OFFICE, UnitKind.OFFICE, city, 1, "督查室")
    for i, (name, short) in enumerate(data.DEPARTMENTS, start=10):
        units[name] = _unit(name, UnitKind.DEPARTMENT, city, i, short)
    for i, (name, short) in enumerate(data.OTHERS, start=50):
        units[name] = _unit(name, UnitKind.OTHER, city, i, short)
    for i, (district, towns) in enumerate(data.DISTRICTS.items(), start=60):
        parent = units[district] = _unit(district, UnitKind.DISTRICT, city, i)
        for j, town in enumerate(towns, start=1):
            units[town] = _unit(town, UnitKind.TOWNSHIP, parent, j)
    for username, name, unit_name, title, role, scope in data.USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user, _ = user_create(
                None,
                username=username,
                name=name,
                unit=units[unit_name],
                title=title,
                password=data.DEMO_PASSWORD,
            )
        scope_unit = units[scope] if scope else city
        if not RoleGrant.objects.filter(user=user, role=role, unit=scope_unit).exists():
            role_grant(None, user, role, scope_unit)
    users = {u.username: u for u in User.objects.filter(username__in=[u[0] for u in data.USERS])}
    matters = 0
    if with_matters:
        try:
            with transaction.atomic():
                matters = seed_demo_matters(users, units)
        except ServiceError as exc:
            # Typically a year missing from the calendar: the demo starts without matters.
            log.warning("演示事项未加载：%s", exc.message)
    return {
        "units": Unit.objects.count() - before_units,
        "users": User.objects.count() - before_users,
        "matters": matters,
    }
