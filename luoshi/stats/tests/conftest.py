from datetime import date

import pytest

from luoshi.stats.tests import dataset

TODAY = date(2026, 11, 23)


@pytest.fixture
def data(users, units, now):
    return dataset.build(users, units)


@pytest.fixture
def office_client(client, users, now):
    client.force_login(users["office"])
    return client
