"""Pages × users: another unit's object is a 404 on every page that names one, and a
read-only user's POST to any page that changes data is a 403 that changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from luoshi.core.tests.authz.cases import Cell, check, for_this_database, read_cells, write_cells
from luoshi.core.tests.authz.world import World

pytestmark = pytest.mark.django_db

READS = for_this_database(read_cells(api=False))
WRITES = for_this_database(write_cells(api=False))


@pytest.mark.parametrize("cell", READS, ids=[c.id for c in READS])
def test_it_hides_other_units_pages(cell: Cell, world: World, clients: dict[str, Client]) -> None:
    check(cell, world, clients)


@pytest.mark.parametrize("cell", WRITES, ids=[c.id for c in WRITES])
def test_it_refuses_writes_on_pages(cell: Cell, world: World, clients: dict[str, Client]) -> None:
    check(cell, world, clients)
