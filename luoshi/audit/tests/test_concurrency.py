"""Writers in several threads (each its own database connection) keep one chain."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from luoshi.audit.events import Event
from luoshi.audit.models import AuditRecord
from luoshi.audit.services import audit, verify_chain


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database")
def test_concurrent_writers_never_fork_the_chain():
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(10):
                audit(Event.WRITE, object_type="thread", object_id=f"{n}-{i}")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(AuditRecord.objects.values_list("seq", flat=True)) == list(range(1, 41))
    assert verify_chain() == (40, None)
