"""Every URL pattern, requested without logging in: only the public pages below answer;
every other page sends the visitor to the login page and every API answers 401/403.

The patterns come from the resolver, so a pattern added tomorrow is swept tomorrow; only
the public pages are listed here, each with why it is public."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from luoshi.core.tests.authz.catalogue import Op, endpoints, ops
from luoshi.core.tests.authz.dbguard import unchanged
from luoshi.core.tests.authz.policy import PUBLIC
from luoshi.core.tests.authz.requests import send, url_for
from luoshi.core.tests.authz.world import World

pytestmark = pytest.mark.django_db


def _requests() -> list[tuple[Op, str]]:
    """Each pattern once (with its first action), with every method its view takes."""
    cases = []
    for e in endpoints():
        if e.name in PUBLIC:
            continue
        op = e.ops()[0] if e.ops() else Op(e, ())
        if e.reads:
            cases.append((op, "GET"))
        cases.extend((op, m) for m in sorted(e.write_methods))
    return cases


CASES = _requests()


@pytest.mark.parametrize(("op", "method"), CASES, ids=[f"{op.key}-{m}" for op, m in CASES])
def test_it_turns_anonymous_visitors_away(
    op: Op, method: str, world: World, clients: dict[str, Client]
) -> None:
    url = url_for(op, world)
    with unchanged(f"anonymous {method} {url}"):
        r = send(clients[""], method, url, api=op.endpoint.is_api)
    if op.endpoint.is_api:
        assert r.status_code in (401, 403), (method, url, r.status_code)
        return
    assert r.status_code == 302, (method, url, r.status_code)
    assert urlsplit(r["Location"]).path == reverse("accounts:login"), (url, r["Location"])


def test_it_lists_only_public_pages_that_exist() -> None:
    names = {e.name for e in endpoints()}
    assert set(PUBLIC) <= names, f"no longer served, take off the list: {set(PUBLIC) - names}"


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_it_serves_the_public_pages_without_login(
    name: str, world: World, clients: dict[str, Client]
) -> None:
    op = next(op for op in ops() if op.endpoint.name == name)
    url = url_for(op, world)
    with unchanged(f"anonymous GET {url}"):
        r = clients[""].get(url)
    assert r.status_code == PUBLIC[name][1], (url, r.status_code)
    if name == "notify:unread_count":
        assert r.content == b""
