"""The way back into a 安全管理员 or 审计管理员 account (or any account) when nobody inside
the application may do it: run on the server by the operator, and audited."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from luoshi.accounts.models import User
from luoshi.accounts.services import user_reset_password
from luoshi.audit.events import Event
from luoshi.audit.services import audit


class Command(BaseCommand):
    help = "在服务器上重置账户密码（三员分立下，安全管理员、审计管理员的账户只能这样重置）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="重置原因（记入审计日志）")
        parser.add_argument("--mfa", action="store_true", help="同时清除动态口令，登录时重新绑定")
        parser.add_argument("--enable", action="store_true", help="同时启用被停用的账户")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"账户“{options['username']}”不存在。")
        reason = " ".join(options["reason"].split())
        if len(reason) < 2:
            raise CommandError("请用 --reason 写明重置原因。")
        with transaction.atomic():
            password = user_reset_password(None, user)
            done = ["密码"]
            if options["mfa"]:
                from luoshi.mfa.services import device_clear

                device_clear(user)
                done.append("动态口令")
            if options["enable"] and not user.is_active:
                User.objects.filter(pk=user.pk).update(is_active=True)
                done.append("启用")
            audit(Event.PASSWORD_CHANGED, obj=user, after={"重置": done},
                  detail=f"服务器命令重置：{reason}")  # fmt: skip
        self.stdout.write(f"已重置 {user.username}（{user.display_name}）的{'、'.join(done)}。")
        self.stdout.write(f"临时密码（仅显示这一次，首次登录须修改）：{password}")
