"""Fixtures of the upload, download and personal-data tests."""

from __future__ import annotations

import pytest

from luoshi.core.tests.tasking import PHONE
from luoshi.ledger import services
from luoshi.ledger.tests.factories import make_matter


@pytest.fixture
def task(users, units, now):
    """老旧小区改造, assigned to 市住建局 (liaison_a, head_a), 市财政局 co-operating; the
    responsible person has a mobile number."""
    matter = make_matter(users, units, title="老旧小区改造", assigned=True)
    a = matter.assignments.get()
    a.responsible_phone = PHONE
    a.save(update_fields=["responsible_phone"])
    services.assignment_sign(users["liaison_a"], a)
    a.refresh_from_db()
    return a
