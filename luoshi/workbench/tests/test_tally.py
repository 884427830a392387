"""The task counts the database keeps agree with counting the tasks, whatever wrote them."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.db.models import Count

from luoshi.core import tallies
from luoshi.ledger import selectors
from luoshi.ledger.models import Assignment
from luoshi.ledger.states import AssignmentStatus as A
from luoshi.ledger.states import Light
from luoshi.workbench import lights, tally, todo
from luoshi.workbench.models import TaskTally
from luoshi.workbench.tests.scenario import build

pytestmark = pytest.mark.django_db


def counted() -> dict[tuple[str, str], int]:
    rows = Assignment.objects.order_by().values_list("status", "light").annotate(n=Count("id"))
    return {(status, light): n for status, light, n in rows}


def counted_by_unit() -> dict[int | None, dict[str, int]]:
    rows = (
        Assignment.objects.order_by().values_list("lead_unit_id", "light").annotate(n=Count("id"))
    )
    found: dict[int | None, dict[str, int]] = {}
    for unit, light, n in rows:
        found.setdefault(unit, {})[light] = n
    return found


def agree() -> None:
    assert tally.read().counts == counted()
    assert tally.by_unit(A.values) == counted_by_unit()


def test_it_counts_what_the_services_write(users, units, clock) -> None:
    build(users, units, clock)
    assert sum(counted().values()) > 10
    agree()


def test_it_counts_bulk_writes_updates_and_deletes(users, units, clock) -> None:
    build(users, units, clock)
    tasks = Assignment.objects.order_by("id")
    first = tasks.first()
    assert first is not None
    Assignment.objects.filter(status=A.IN_PROGRESS).update(light=Light.RED)  # the nightly pass
    agree()
    first.lead_unit = units["市生态环境局"]
    first.save()  # every column written: only a changed one counts
    agree()
    copy = Assignment.objects.get(pk=first.pk)
    copy.pk = None
    copy.lead_unit = None
    Assignment.objects.bulk_create(
        [copy, Assignment.objects.get(pk=first.pk)], ignore_conflicts=True
    )
    agree()
    Assignment.objects.filter(pk=copy.pk).delete()
    tasks.filter(status=A.PENDING_SIGN).update(status=A.IN_PROGRESS, light=Light.GREEN)
    agree()


def test_folding_and_recounting_keep_the_counts(users, units, clock, monkeypatch) -> None:
    build(users, units, clock)
    Assignment.objects.filter(status=A.IN_PROGRESS).update(light=Light.YELLOW)
    tally.fold()
    agree()
    if connection.vendor == "postgresql":
        assert not TaskTally.objects.filter(folded=False).exists()
    monkeypatch.setattr(tallies, "FOLD_AFTER", 0)  # reading folds once rows pile up
    Assignment.objects.filter(status=A.IN_PROGRESS).update(light=Light.GREEN)
    tally.read()
    agree()
    if connection.vendor == "postgresql":
        assert not TaskTally.objects.filter(folded=False).exists()
    TaskTally.objects.all().delete()  # as a load with triggers off would leave it
    assert tally.read().counts == {}
    tally.rebuild()
    agree()


def page(client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]*"', "CSRF", html)


@pytest.mark.parametrize("url", ["/", "/work/", "/lights/", "/tasks/", "/tasks/?light=red",
                                 "/tasks/?status=in_progress&light=yellow"])  # fmt: skip
def test_the_tallied_pages_show_what_counting_shows(client, users, units, clock, monkeypatch,
                                                   url) -> None:  # fmt: skip
    build(users, units, clock)
    client.force_login(users["office"])
    tallied = page(client, url)
    # As for an office whose scope is not the whole tree: everything counted.
    for module in (selectors, todo, lights):
        monkeypatch.setattr(module, "covers_every_unit", lambda user, roles: False)
    assert page(client, url) == tallied
