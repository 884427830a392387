"""The demo city (units, users, role grants) and the calendar, seeded cheaply for the tests.

Seeding the city through the services costs some 460 queries, and about 600 database tests
ask for it. Those tests run one after another (``order_items``): before the first of them
the city is seeded inside a transaction that stays open around them, each test runs in a
savepoint of it as before, and after the last one the transaction is rolled back. So each
of them starts from the city and nothing else, and every other test sees the database
exactly as it would without the city.

Transactional tests (live server) commit, and the tables are emptied after each of them
(``fast_flush``), so they put the city and the calendar in themselves (``Seeding``): the
first time through the services, then by copying the same rows back (a few queries)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

# Set while a session runs: the node ids of the tests that run on the shared city, the city
# once the first of them asked for it, and the test being set up.
_block: set[str] = set()
_city: DemoCity | None = None
_current: list[str] = [""]


def _seeding_clock() -> Any:
    """A fixed moment (the day before the tests' clock), not the real clock: the dates
    stamped while seeding (date joined, password changed) are the same on every run."""
    import time_machine

    from conftest import DEFAULT_NOW

    return time_machine.travel(DEFAULT_NOW - timedelta(days=1))


def _seed_city() -> None:
    from luoshi.demo.services import seed_demo

    seed_demo(with_matters=False)  # each test builds the matters it needs


def _seed_calendar() -> None:
    from luoshi.workcal.services import calendar_seed_from_package

    calendar_seed_from_package()


class DemoCity:
    def __init__(self, blocker: Any) -> None:
        self.blocker = blocker
        self.atomic: Any = None
        if _current[0] in _block:
            self.open()

    @property
    def is_open(self) -> bool:
        return self.atomic is not None

    def open(self) -> None:
        from django.db import transaction

        from luoshi.workcal import calendar

        if self.atomic is not None:
            return
        with self.blocker.unblock(), _seeding_clock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            try:
                _seed_calendar()
                _seed_city()
            except BaseException:
                self.close()
                raise
        calendar.invalidate()

    def close(self) -> None:
        from django.db import transaction

        from luoshi.workcal import calendar

        if self.atomic is None:
            return
        atomic, self.atomic = self.atomic, None
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
        calendar.invalidate()


class Seeding:
    """The rows ``seed`` adds to empty tables, copied back the next time they are empty.
    ``probe`` (a model label) has rows once seeded: then ``seed`` just runs (as it would)."""

    def __init__(self, seed: Callable[[], None], probe: str) -> None:
        self.seed, self.probe = seed, probe
        self.rows: dict[Any, list[Any]] | None = None

    def run(self) -> None:
        from django.apps import apps

        if apps.get_model(self.probe)._base_manager.exists():
            self.seed()
        elif self.rows is not None and not any(m._base_manager.exists() for m in self.rows):
            with _seeding_clock():
                self._restore(self.rows)
        else:
            before = self._counts()
            with _seeding_clock():
                self.seed()
            grown = [m for m, n in before.items() if m._base_manager.count() > n]
            if not any(before[m] for m in grown):
                self.rows = {m: list(m._base_manager.order_by("pk")) for m in grown}

    @staticmethod
    def _counts() -> dict[Any, int]:
        from django.apps import apps

        return {
            m: m._base_manager.count()
            for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy and not m._meta.parents
        }

    @staticmethod
    def _restore(rows: dict[Any, list[Any]]) -> None:
        from django.core.management.color import no_style
        from django.db import connection, transaction

        with transaction.atomic():  # foreign keys are checked at the commit
            # The same instances each time (copying them costs more than the insert): no
            # test ever sees them, it reads its own from the database.
            for model, instances in rows.items():
                model._base_manager.bulk_create(instances)
            # PostgreSQL: the ids were given, so move each sequence past them.
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(rows)):
                    cursor.execute(sql)


CALENDAR = Seeding(_seed_calendar, probe="workcal.CalendarYear")
CITY = Seeding(_seed_city, probe="org.Unit")


def register(city: DemoCity | None) -> None:
    global _city
    _city = city


def _order(item: pytest.Item) -> tuple[int, int]:
    """pytest-django's order (database tests, transactional tests, the rest), and within
    the database tests those on the demo city last."""
    from pytest_django.plugin import validate_django_db

    fixtures = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transactional, uses_db = False, "db" in fixtures
    if marker is not None:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        transactional, uses_db = bool(transaction or reset_sequences), True
    if transactional or "transactional_db" in fixtures or "live_server" in fixtures:
        return (1, 0)
    if uses_db:
        return (0, int("demo" in fixtures))
    return (2, 0)


def order_items(items: list[pytest.Item]) -> None:
    """Stable: files keep their order within each group. Within a file on the city, the
    tests using something built once for the file (a ``*_once`` fixture, ``built_once``)
    come last, so that what was built is there for them only."""
    files: dict[str, int] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::")[0], len(files))

    def key(item: pytest.Item) -> tuple[tuple[int, int], int, bool]:
        group = _order(item)
        once = any(f.endswith("_once") for f in getattr(item, "fixturenames", ()))
        return group, files[item.nodeid.split("::")[0]], group == (0, 1) and once

    items.sort(key=key)
    _block.clear()
    _block.update(item.nodeid for item in items if _order(item) == (0, 1))


def before_setup(item: pytest.Item) -> None:
    _current[0] = item.nodeid
    if _city is not None and item.nodeid in _block:
        _city.open()


def after_teardown(nextitem: pytest.Item | None) -> None:
    if _city is not None and (nextitem is None or nextitem.nodeid not in _block):
        _city.close()


def built_once(
    city: DemoCity, blocker: Any, build: Callable[[dict[str, Any], dict[str, Any]], Any]
) -> Iterator[Any]:
    """For a module-scoped fixture: ``build(users, units)`` run once, in a savepoint of the
    demo city rolled back after the module's last test, so each test (in a savepoint of its
    own) starts from what was built. Yields None when the city is not shared (transactional
    tests): the test then builds for itself. Hand each test ``copy_built(...)``."""
    from django.db import transaction

    from luoshi.accounts.models import User
    from luoshi.org.models import Unit
    from luoshi.workcal import calendar

    if not city.is_open:
        yield None
        return
    with blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            users = {u.username: u for u in User.objects.all()}
            units = {u.name: u for u in Unit.objects.all()}
            made = build(users, units)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield users, units, made
    finally:
        with blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
        calendar.invalidate()


def copy_built(once: Any, users: dict[str, Any], units: dict[str, Any]) -> Any:
    """A test's own copy of what ``built_once`` built (a test may change the objects it
    gets), in the state building leaves it in, as if the test had built it itself: the
    test's ``users`` and ``units`` become the instances the build used (with what they
    cached, such as a user's grants), and the working-day calendar is loaded (a page's
    number of queries counts on both)."""
    from luoshi.workcal import calendar

    built_users, built_units, made = copy.deepcopy(once)
    users.clear()
    users.update(built_users)
    units.clear()
    units.update(built_units)
    calendar.get_snapshot()
    return made
