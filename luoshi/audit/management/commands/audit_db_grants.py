"""Grants for the application's PostgreSQL role: everything it needs, and no way to
rewrite the audit log. Run by the database owner after each migrate."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

AUDIT_TABLES = ("audit_auditrecord",)


def grant_statements(role: str) -> list[str]:
    quoted = connection.ops.quote_name(role)
    stmts = [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
    ]
    for table in AUDIT_TABLES:
        stmts.append(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {quoted}")
    return stmts


class Command(BaseCommand):
    help = "为应用的 PostgreSQL 账号授权：业务表可读写，审计记录只能新增和查询。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("role", help="应用连接数据库所用的账号（角色）")
        parser.add_argument("--print", action="store_true", help="只打印 SQL，不执行")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("该命令仅适用于 PostgreSQL。")
        stmts = grant_statements(options["role"])
        if options["print"]:
            self.stdout.write(";\n".join(stmts) + ";")
            return
        with connection.cursor() as cursor:
            for stmt in stmts:
                cursor.execute(stmt)
        self.stdout.write(f"已为 {options['role']} 授权；审计记录表对其只读可增。")
