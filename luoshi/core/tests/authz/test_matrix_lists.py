"""Lists × users: a list never shows another unit's object, in the page nor in the API, and
shows the user's own (so an empty list cannot pass for a scoped one)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from luoshi.core.tests.authz import policy
from luoshi.core.tests.authz.world import KIND_OWNERS, World

pytestmark = pytest.mark.django_db

# list page → (kind, the url name each row links to)
PAGES = {
    "ledger:ledger": ("matter", "ledger:matter"),
    "ledger:assignments": ("assignment", "ledger:assignment"),
    "urging:list": ("urging", "urging:detail"),
    "documents:list": ("document", "documents:detail"),
    "notify:list": ("notification", "notify:open"),
}
APIS = {
    "api:matter-list": "matter",
    "api:assignment-list": "assignment",
    "api:urging-list": "urging",
    "api:document-list": "document",
    "api:notification-list": "notification",
}
# Those who see some of a kind's objects and not others; the city's oversight sees all.
USERS = ["liaison_a", "head_a", "liaison_b", "office_d", "office"]


def _split(user: str, kind: str) -> tuple[list[str], list[str]]:
    owners = KIND_OWNERS[kind]
    return (
        [o for o in owners if policy.sees(user, kind, o)],
        [o for o in owners if not policy.sees(user, kind, o)],
    )


PAGE_CASES = [(u, n) for n in PAGES for u in USERS if _split(u, PAGES[n][0])[1]]
API_CASES = [(u, n) for n in APIS for u in USERS if _split(u, APIS[n])[1]]


@pytest.mark.parametrize(("user", "name"), PAGE_CASES, ids=[f"{u}-{n}" for u, n in PAGE_CASES])
def test_it_lists_only_what_the_user_may_see(
    user: str, name: str, world: World, clients: dict[str, Client]
) -> None:
    kind, row = PAGES[name]
    r = clients[user].get(reverse(name))
    if r.status_code == 403:  # the list is not for this role at all
        return
    assert r.status_code == 200
    html = r.content.decode()
    seen, hidden = _split(user, kind)
    for owner in hidden:
        assert f'"{reverse(row, args=[world.pk(kind, owner)])}' not in html, owner
    for owner in seen:
        assert f'"{reverse(row, args=[world.pk(kind, owner)])}' in html, owner


@pytest.mark.parametrize(("user", "name"), API_CASES, ids=[f"{u}-{n}" for u, n in API_CASES])
def test_it_returns_only_what_the_user_may_see(
    user: str, name: str, world: World, clients: dict[str, Client]
) -> None:
    kind = APIS[name]
    r = clients[user].get(reverse(name), {"page_size": 500})
    if r.status_code == 403:
        return
    assert r.status_code == 200
    body = r.json()
    ids = {row["id"] for row in (body["results"] if isinstance(body, dict) else body)}
    seen, hidden = _split(user, kind)
    assert not ids & {world.pk(kind, o) for o in hidden}
    assert {world.pk(kind, o) for o in seen} <= ids
