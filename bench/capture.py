"""The same queries as raw SQL: what a request reads, replayed without the application.

``capture(user, method, path, data)`` runs the request once in-process (Django's test
client, the whole middleware stack) and records every statement with its parameters as the
driver received them. ``replay(statements)`` runs the reading statements (SELECT/WITH)
again on a bare DB-API cursor, fetching every row, and returns the seconds: the database's
share of the request, with no ORM, templates or HTTP around it. Writes are not replayed
(they would change the data)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


class Recorder:
    def __init__(self) -> None:
        self.statements: list[tuple[str, Any]] = []
        self.writes = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool,
                 context: Any) -> Any:  # fmt: skip
        head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if head in {"SELECT", "WITH"} and not many:
            self.statements.append((sql, params))
        elif head not in {"SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK"}:
            self.writes += 1
        return execute(sql, params, many, context)


def capture(user: Any, method: str, path: str, data: Any = None) -> tuple[int, Recorder]:
    from django.db import connection
    from django.test import Client

    client = Client(raise_request_exception=True)
    client.force_login(user)
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        response = client.get(path) if method == "GET" else client.post(path, data)
        if hasattr(response, "streaming_content"):
            for _chunk in response.streaming_content:
                pass
    return response.status_code, recorder


def replay(statements: list[tuple[str, Any]]) -> float:
    from django.db import connection

    with connection.cursor() as c:
        raw = c.cursor  # the driver's cursor (SQLite: Django's thin %s → ? wrapper)
        t = time.perf_counter()
        for sql, params in statements:
            raw.execute(sql, params)
            raw.fetchall()
        return time.perf_counter() - t
