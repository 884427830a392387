from datetime import date

import pytest
import time_machine

from conftest import DEFAULT_NOW
from luoshi.core.tests.demo_city import built_once, copy_built
from luoshi.stats.tests import dataset

TODAY = date(2026, 11, 23)


def _build_now(users, units):
    with time_machine.travel(DEFAULT_NOW, tick=True):
        return dataset.build(users, units)


@pytest.fixture(scope="module")
def data_once(_demo_city, django_db_blocker):
    """The dataset built once for a test file (see ``built_once``)."""
    yield from built_once(_demo_city, django_db_blocker, _build_now)


@pytest.fixture
def data(data_once, users, units, now):
    if data_once is None:
        return dataset.build(users, units)
    return copy_built(data_once, users, units)


@pytest.fixture
def office_client(client, users, now):
    client.force_login(users["office"])
    return client
