"""Bootstrap a new installation: the root unit (if none) and the three administrators.

No Django superuser is ever needed: from here on the 系统管理员 manages units and users,
the 安全管理员 grants roles, the 审计管理员 reads the audit log.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from luoshi.accounts.models import RoleGrant, User
from luoshi.accounts.roles import SEPARATED_ADMIN_ROLES, Role
from luoshi.accounts.services import role_grant, user_create
from luoshi.audit.events import Event
from luoshi.audit.services import audit
from luoshi.core.errors import ServiceError
from luoshi.org.models import Unit, UnitKind
from luoshi.org.services import unit_create

ADMINS = (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR)


class Command(BaseCommand):
    help = (
        "新系统初始化：数据库中没有单位时先建根单位，再创建系统管理员、安全管理员、审计管理员"
        "三个账户（随机初始密码只显示一次，首次登录须修改）。已有三员账户时拒绝执行。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--unit-name", required=True, help="三员账户所属单位，如“市政府督查室”")
        parser.add_argument(
            "--root-name",
            default="",
            help="数据库为空时新建的根单位，如“清河市人民政府”；不填则所属单位本身作为根单位",
        )
        for role in ADMINS:
            parser.add_argument(f"--{role.value}", default=role.value, help=f"{role.label}的用户名")

    def handle(self, *args: Any, **options: Any) -> None:
        held = RoleGrant.objects.filter(role__in=SEPARATED_ADMIN_ROLES).select_related("user")
        if held.exists():
            names = "、".join(sorted({g.user.username for g in held}))
            raise CommandError(f"已有三员账户（{names}），不再初始化。请由安全管理员在系统中授权。")
        usernames = {role: options[role.value].strip() for role in ADMINS}
        if len(set(usernames.values())) != len(ADMINS):
            raise CommandError("三个账户须使用不同的用户名（三员分立）。")
        try:
            with transaction.atomic():
                unit, root, created = self._units(options["unit_name"], options["root_name"])
                accounts = [self._admin(role, usernames[role], unit, root) for role in ADMINS]
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        for made in created:
            self.stdout.write(f"已创建单位“{made.name}”。")
        self.stdout.write("已创建三员账户。初始密码只显示这一次，请分别当面交给本人；")
        self.stdout.write("首次登录须修改密码并绑定动态口令。")
        for role, user, password in accounts:
            self.stdout.write(f"  {role.label}  用户名 {user.username}  初始密码 {password}")

    def _units(self, unit_name: str, root_name: str) -> tuple[Unit, Unit, list[Unit]]:
        unit_name, root_name = unit_name.strip(), root_name.strip()
        if not Unit.objects.exists():
            if root_name and root_name != unit_name:
                root = unit_create(None, name=root_name, kind=UnitKind.CITY, parent=None)
                unit = unit_create(None, name=unit_name, kind=UnitKind.OFFICE, parent=root)
                return unit, root, [root, unit]
            root = unit_create(None, name=unit_name, kind=UnitKind.CITY, parent=None)
            return root, root, [root]
        found = list(Unit.objects.filter(name=unit_name, is_active=True)[:2])
        if len(found) != 1:
            why = "找不到" if not found else "有多个同名的"
            raise CommandError(f"数据库中已有单位，但{why}在用单位“{unit_name}”。")
        unit = found[0]
        root = Unit.objects.get(pk=int(unit.path.strip("/").split("/")[0]))
        return unit, root, []

    def _admin(self, role: Role, username: str, unit: Unit, root: Unit) -> tuple[Role, User, str]:
        user, password = user_create(None, username=username, name=str(role.label), unit=unit)
        # Over the whole tree: the administrators look after every unit.
        role_grant(None, user, role, root)
        audit(
            Event.WRITE,
            obj=user,
            detail=f"manage.py init_admins 创建{role.label}账户",
            after={"username": user.username, "role": role.value, "scope": root.name},
        )
        return role, user, password
