from typing import Any

from django.core.management.base import BaseCommand, CommandError

from luoshi.core.errors import ServiceError
from luoshi.demo.data import DEMO_PASSWORD, USERS
from luoshi.demo.documents import seed_demo_documents
from luoshi.demo.services import seed_demo
from luoshi.org.models import Unit


class Command(BaseCommand):
    help = "加载演示数据（演示模式下；可重复运行，不会重复创建）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="仅当数据库中还没有任何单位时加载"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Unit.objects.exists():
            self.stdout.write("数据库已有数据，跳过演示数据。")
            return
        try:
            added = seed_demo()
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        documents = 0
        if added["matters"]:
            try:
                documents = seed_demo_documents()
            except ServiceError as exc:
                self.stderr.write(f"演示公文未生成：{exc.message}")
        self.stdout.write(
            f"演示数据已就绪：新增单位 {added['units']} 个，账户 {added['users']} 个，"
            f"事项 {added['matters']} 项，公开通报 {documents} 期。"
        )
        self.stdout.write(f"演示账户（密码均为 {DEMO_PASSWORD}）：")
        for username, name, unit, title, _role, _scope in USERS:
            self.stdout.write(f"  {username:<10} {name} · {unit} · {title}")
