from datetime import date

import pytest
import time_machine

from luoshi.ledger import services
from luoshi.ledger.tests.factories import make_matter


@pytest.fixture
def clock():
    """A controllable frozen clock starting on Monday 2026-11-23 09:30."""
    with time_machine.travel("2026-11-23 09:30 +0800", tick=False) as traveller:
        yield traveller


@pytest.fixture
def running(users, units, clock):
    """A matter assigned to 市住建局 (with 市财政局 co-operating), signed by both."""
    matter = make_matter(users, units, title="老旧小区改造", assigned=True)
    a = matter.assignments.get()
    services.assignment_sign(users["liaison_a"], a)
    a.refresh_from_db()
    return a


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
PDF = b"%PDF-1.4\n%test\n"
DUE = date(2026, 12, 31)
