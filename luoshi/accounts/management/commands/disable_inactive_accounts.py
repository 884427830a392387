from typing import Any

from django.core.management.base import BaseCommand

from luoshi.accounts import services
from luoshi.accounts.policy import current_policy
from luoshi.demo.guard import disable_demo_accounts, exposed_demo_accounts


class Command(BaseCommand):
    help = "停用超过安全策略规定天数未使用的账户；非演示模式下同时停用演示账户。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只列出，不停用")

    def handle(self, *args: Any, **options: Any) -> None:
        days = current_policy().inactive_days
        if options["dry_run"]:
            inactive, demo = services.inactive_accounts(), exposed_demo_accounts()
            verb = "将停用"
        else:
            inactive, demo = services.disable_inactive_accounts(), disable_demo_accounts()
            verb = "已停用"
        for user in inactive:
            self.stdout.write(f"{verb}（超过 {days} 天未使用）：{user.username} {user.name}")
        for user in demo:
            self.stdout.write(f"{verb}（演示账户）：{user.username} {user.name}")
        self.stdout.write(f"共{verb} {len(inactive) + len(demo)} 个账户。")
