from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from luoshi.core.backup.manifest import vendor_label
from luoshi.core.backup.services import RestoreCancelled, backup_restore, other_connections
from luoshi.core.errors import ServiceError


class Command(BaseCommand):
    help = (
        "从 backup 生成的归档恢复数据库与上传文件。先校验整个归档，确认后覆盖当前数据；"
        "请先停止网站与后台循环。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", type=Path, help="备份文件（.tar.gz）")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接恢复")

    def handle(self, *args: Any, **options: Any) -> None:
        def confirm(data: dict[str, Any]) -> bool:
            rows = sum(data["row_counts"].values())
            media = sum(1 for name in data["files"] if name.startswith("media/"))
            self.stdout.write(
                f"备份文件校验通过：{options['archive']}\n"
                f"  备份时间：{data['created_at']}\n"
                f"  数据库：{vendor_label(data['vendor'])}，{len(data['row_counts'])} 张表，"
                f"共 {rows} 行\n"
                f"  上传文件：{media} 个"
            )
            others = other_connections()
            if others:
                self.stdout.write(
                    self.style.WARNING(
                        f"  注意：数据库还有 {others} 个其他连接（网站或后台循环仍在运行？），"
                        "恢复会等待它们释放。"
                    )
                )
            if options["yes"]:
                return True
            name = connection.settings_dict.get("NAME")
            self.stdout.write(
                f"恢复将覆盖当前数据库（{name}）和上传文件目录（{settings.MEDIA_ROOT}），"
                "备份之后的数据将全部丢失。"
            )
            try:
                answer = input("确认恢复请输入 yes：")
            except EOFError:
                answer = ""
            return answer.strip().lower() == "yes"

        try:
            result = backup_restore(options["archive"], confirm=confirm)
        except RestoreCancelled as exc:
            raise CommandError(exc.message) from None
        except ServiceError as exc:
            raise CommandError(f"恢复失败：{exc.message}") from None
        self.stdout.write(
            f"恢复完成：来自 {result.created_at} 的备份\n"
            f"  数据库：{result.tables} 张表，共 {result.rows} 行，行数与备份清单一致\n"
            f"  上传文件：{result.files} 个\n"
            f"  归档 SHA-256：{result.sha256}"
        )
        if result.needs_migrate:
            self.stdout.write(
                self.style.WARNING(
                    "备份的数据库结构比当前程序旧，请运行 python manage.py migrate 后再启动网站。"
                )
            )
