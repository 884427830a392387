"""The matrix's own tables stay true: every URL's object kind is known, the world holds
what the matrix asks for, and no entry of the policy names a URL that is gone."""

from __future__ import annotations

from fnmatch import fnmatchcase

import pytest

from luoshi.core.tests.authz import payloads, policy
from luoshi.core.tests.authz.catalogue import KIND_ROUTES, WRITE_METHODS, endpoints, ops
from luoshi.core.tests.authz.world import KIND_OWNERS, World


def test_it_knows_the_object_of_every_url() -> None:
    unknown = [
        (op.key, op.endpoint.route)
        for op in ops()
        if op.object_params and (op.kind is None or len(op.object_params) > 1)
    ]
    # A new URL with an id: add its prefix to catalogue.KIND_ROUTES (and an object of that
    # kind to the world); a new slug parameter: its values to catalogue._slug_values.
    assert unknown == []


def test_it_has_an_object_of_every_kind() -> None:
    assert {kind for _, kind in KIND_ROUTES} <= set(KIND_OWNERS)


@pytest.mark.django_db
def test_it_built_the_objects_the_matrix_asks_for(world: World) -> None:
    expected = {(kind, owner) for kind, owners in KIND_OWNERS.items() for owner in owners}
    assert set(world.objects) == expected


def test_it_reads_the_methods_each_view_takes() -> None:
    methods = {e.name: e.methods for e in endpoints()}
    assert methods["ledger:matter_action"] == {"POST"}  # require_POST
    assert methods["followup:file"] == {"GET"}  # require_GET under login_required
    assert methods["api:matter-list"] == {"GET", "POST"}  # a DRF router route
    assert methods["api:reminder_policy"] == {"GET", "PUT"}  # @api_view
    assert methods["ledger:matter_edit"] is None  # a form page
    posting = [e for e in endpoints() if e.methods and e.methods & WRITE_METHODS]
    assert len(posting) > 80


def test_it_names_only_urls_that_exist() -> None:
    keys = {op.key for op in ops()}
    globs = [*policy.PERSONAL, *(g for gs in policy.ALLOWED.values() for g in gs)]
    stale = [g for g in globs if not any(fnmatchcase(k, g) for k in keys)]
    stale += [k for k in (*payloads.TARGETS, *payloads.QUERIES, *payloads.REFERS) if k not in keys]
    stale += [name for name in policy.PUBLIC if name not in {e.name for e in endpoints()}]
    assert stale == []


def test_it_gives_every_action_its_values() -> None:
    empty = [e.name for e in endpoints() if "action" in e.params and not e.ops()[0].slugs]
    assert empty == []
