from typing import Any

from django.core.management.base import BaseCommand, CommandError

from luoshi.audit.services import MIN_RETENTION_DAYS, purge, retention_days
from luoshi.core.errors import ServiceError


class Command(BaseCommand):
    help = f"清理超过保存期限的审计记录（保存期限不少于 {MIN_RETENTION_DAYS} 天）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=None, help="保存天数（默认取配置）")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else retention_days()
        try:
            removed = purge(days)
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"已清理 {days} 天前的审计记录 {removed} 条。")
