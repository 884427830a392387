from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from luoshi.accounts.models import User


class Command(BaseCommand):
    help = "为对接系统的账户签发（或用 --rotate 更换）API 令牌。令牌与该账户的角色和范围相同。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="作废旧令牌并签发新令牌")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"找不到在用账户“{options['username']}”。")
        if options["rotate"]:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
        self.stderr.write("已签发新令牌。" if created else "沿用已有令牌。")
