"""One world for the whole package: built once inside a transaction that is rolled back at
the end, so each test (in its own savepoint) starts from the same objects in a second."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client

from conftest import DEFAULT_NOW
from luoshi.core.tests.authz.world import World, build_world


@pytest.fixture(scope="package")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    from luoshi.accounts.models import User
    from luoshi.demo.services import seed_demo
    from luoshi.documents import convert
    from luoshi.documents import services as documents
    from luoshi.org.models import Unit
    from luoshi.workcal import calendar
    from luoshi.workcal.services import calendar_seed_from_package

    # The frozen clock stays for every request: sessions are dated by it.
    with django_db_blocker.unblock(), time_machine.travel(DEFAULT_NOW, tick=False) as clock:
        atomic = transaction.atomic()
        atomic.__enter__()
        # A LibreOffice conversion costs a second: PDFs (and ZIPs holding them) say why not.
        pdf_on_issue, soffice = documents.PDF_ON_ISSUE, convert.soffice
        documents.PDF_ON_ISSUE, convert.soffice = False, lambda: None
        try:
            calendar_seed_from_package()
            calendar.invalidate()
            seed_demo(with_matters=False)
            users = {u.username: u for u in User.objects.all()}
            units = {u.name: u for u in Unit.objects.all()}
            built = build_world(users, units, clock)
            clock.move_to(DEFAULT_NOW)
            yield built
        finally:
            documents.PDF_ON_ISSUE, convert.soffice = pdf_on_issue, soffice
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            calendar.invalidate()


@pytest.fixture(scope="package")
def clients(world: World, django_db_blocker: Any) -> dict[str, Client]:
    """A logged-in client per user of the world, and an anonymous one under ``""``."""
    made = {"": Client()}
    with django_db_blocker.unblock():
        for username, user in world.users.items():
            c = Client()
            c.force_login(user)
            made[username] = c
    return made
