from typing import Any

from django.core.management.base import BaseCommand, CommandError

from luoshi.audit.services import verify_chain


class Command(BaseCommand):
    help = "校验审计记录的哈希链，报告第一处断裂（记录被修改或删除）。"

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"审计链在第 {broken.seq} 条处断裂：{broken.reason}（此前 {checked} 条完好）"
            )
        self.stdout.write(f"审计链完好：共校验 {checked} 条记录。")
