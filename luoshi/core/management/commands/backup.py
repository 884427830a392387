from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from luoshi.core.backup.manifest import vendor_label
from luoshi.core.backup.services import backup_create, default_dir
from luoshi.core.errors import ServiceError


def human_size(size: float) -> str:
    for unit in ("字节", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "字节" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"  # pragma: no cover (the loop always returns)


class Command(BaseCommand):
    help = "备份数据库与上传文件到一个归档文件（网站运行时也可执行）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output", type=Path, default=None, help=f"备份目录（默认 {default_dir()}）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_create(options["output"])
        except ServiceError as exc:
            raise CommandError(f"备份失败：{exc.message}") from None
        self.stdout.write(
            f"备份完成：{result.path}\n"
            f"  大小：{human_size(result.size)}（文件权限 0600）\n"
            f"  数据库：{vendor_label(result.vendor)}，{result.tables} 张表，"
            f"共 {result.rows} 行\n"
            f"  上传文件：{result.files} 个，{human_size(result.media_bytes)}\n"
            f"  SHA-256：{result.sha256}\n"
            f"  请把备份文件复制到另一台机器或离线介质保存。"
        )
