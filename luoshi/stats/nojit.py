"""PostgreSQL's just-in-time compilation, turned off around the statistics' queries.

PostgreSQL compiles a query's expressions to machine code when its estimated cost passes
``jit_above_cost``. The dashboard's grouped counts over a province's tasks pass it easily
and then run for well under a second, while the compilation alone took 0.3 s a query on
the full benchmark data set: for these queries it costs more than it saves. ``SET LOCAL``
lasts until the end of the transaction, so nothing else on the connection is affected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar

from django.db import connection, transaction

F = TypeVar("F", bound=Callable[..., Any])


_inside: ContextVar[bool] = ContextVar("stats_without_jit", default=False)


@contextmanager
def without_jit() -> Iterator[None]:
    """Nested uses (the dashboard around each of its parts) set it once."""
    if connection.vendor != "postgresql" or _inside.get():
        yield
        return
    token = _inside.set(True)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
            yield
    finally:
        _inside.reset(token)


def no_jit(func: F) -> F:
    @wraps(func)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with without_jit():
            return func(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
