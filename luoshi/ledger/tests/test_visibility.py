"""Who sees what, as a matrix of roles × objects; another unit's object is a 404."""

from datetime import date

import pytest
from django.http import Http404

from luoshi.ledger import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(users, units, instruction):
    housing = services.assignment_add(
        users["office"], instruction, task="住建任务", lead_unit=units["市住房和城乡建设局"],
        responsible_leader="孙立军", responsible_person="赵敏", due_date=date(2026, 10, 9),
        progress_requirement="按周报告进展",
    )  # fmt: skip
    services.matter_submit(users["office"], instruction)
    services.matter_approve(users["vleader"], instruction)
    services.matter_assign(users["office"], instruction)
    return instruction, housing


MATRIX = {
    "office": True,
    "inspector": True,
    "leader": True,
    "vleader": True,
    "observer": True,
    "liaison_a": True,
    "head_a": True,
    "liaison_b": False,
    "head_b": False,
    "sysadmin": False,
    "secadmin": False,
    "auditor": False,
}


@pytest.mark.parametrize(("username", "sees"), sorted(MATRIX.items()))
def test_it_scopes_matters_and_assignments(users, running, username, sees) -> None:
    matter, housing = running
    user = users[username]
    assert selectors.matter_queryset_for(user).filter(pk=matter.pk).exists() is sees
    assert selectors.assignment_queryset_for(user).filter(pk=housing.pk).exists() is sees
    if not sees:
        with pytest.raises(Http404):
            selectors.matter_get_for_user(user, matter.pk)
        with pytest.raises(Http404):
            selectors.assignment_get_for_user(user, housing.pk)


def test_a_co_unit_sees_its_assignment(users, units, running) -> None:
    _, housing = running
    services.assignment_extend(users["office"], housing, units["市生态环境局"], "涉及施工扬尘治理")
    assert selectors.assignment_queryset_for(users["liaison_b"]).filter(pk=housing.pk).exists()
    co = housing.co_units.get(unit=units["市生态环境局"])
    services.co_unit_sign(users["liaison_b"], co)
    co.refresh_from_db()
    assert co.signed_by == users["liaison_b"]
