"""The matrix's cells, generated from the URL catalogue, the policy and the world's owners,
and how one cell is requested and judged."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponseBase
from django.test import Client

from luoshi.core.tests.authz import payloads, policy
from luoshi.core.tests.authz.catalogue import Op, ops
from luoshi.core.tests.authz.dbguard import unchanged
from luoshi.core.tests.authz.requests import send
from luoshi.core.tests.authz.world import KIND_OWNERS, World

# The kinds whose objects belong to a unit (or a person): their reads are in the matrix.
SCOPED_KINDS = (*policy.UNIT_KINDS, "document", "notification")
SEEN = frozenset({-1})  # "anything but 404": the viewer's proof that the URL is right
MISSING = 987654321  # a pk no object has


@dataclass(frozen=True)
class Cell:
    user: str
    op: Op
    method: str
    owner: str  # "" for an endpoint without an object
    expect: frozenset[int]

    @property
    def id(self) -> str:
        tail = f"-{self.owner}" if self.owner else ""
        return f"{self.user}-{self.op.key}-{self.method}{tail}"


def _owners(user: str, kind: str | None) -> list[tuple[str, bool]]:
    """(owner, visible) pairs to try: one owner the user must not see and the first one he
    sees. One hidden owner is enough: a unit's objects are hidden from another by the same
    scoped query, whichever unit or office owns them."""
    if kind is None:
        return [("", True)]
    owners = KIND_OWNERS[kind]
    hidden = [o for o in owners if not policy.sees(user, kind, o)]
    visible = [o for o in owners if policy.sees(user, kind, o)]
    return [(o, False) for o in hidden[:1]] + [(o, True) for o in visible[:1]]


def for_this_database(cells: list[Cell]) -> list[Cell]:
    """Every cell on SQLite; every third on PostgreSQL.

    Who may see and do what is decided in Python and in the same scoped queries on both
    databases; the second run re-checks a fixed third of the cells (spread over every
    endpoint and user) to catch a query that behaves differently there, at a third of the
    cost, so the whole suite stays well under its time limit on two cores.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return cells
    return cells[::3]


def _testable(op: Op) -> bool:
    return op.endpoint.name not in policy.PUBLIC


def write_cells(api: bool) -> list[Cell]:
    cells = []
    for turn, op in enumerate(ops()):
        if op.endpoint.is_api != api or not _testable(op):
            continue
        kind = op.kind
        for method in sorted(op.endpoint.write_methods):
            for user in policy.users_for(op, turn):
                for owner, visible in _owners(user, kind):
                    if visible:
                        if user not in policy.READ_ONLY or policy.allowed(user, op):
                            continue
                        expect = frozenset({403})
                        refers = payloads.REFERS.get(op.key)
                        if refers and not policy.sees(user, *refers):
                            expect = frozenset({403, 404})
                    else:
                        assert kind is not None
                        expect = policy.hidden_status(user, kind, KIND_OWNERS[kind])
                    cells.append(Cell(user, op, method, owner, expect))
    return cells


def read_cells(api: bool) -> list[Cell]:
    cells = []
    for turn, op in enumerate(ops()):
        kind = op.kind
        e = op.endpoint
        if e.is_api != api or not e.reads or kind not in SCOPED_KINDS or not _testable(op):
            continue
        assert kind is not None
        owners = KIND_OWNERS[kind]
        for owner in owners:
            cells.append(Cell(policy.viewer(kind, owner), op, "GET", owner, SEEN))
        for user in policy.users_for(op, turn):
            for owner, visible in _owners(user, kind):
                if not visible:
                    cells.append(
                        Cell(user, op, "GET", owner, policy.hidden_status(user, kind, owners))
                    )
    return cells


def _answer(cell: Cell, world: World, client: Client) -> tuple[str, HttpResponseBase]:
    op = cell.op
    pk = payloads.target(cell, world)
    url = (op.url(pk) if pk is not None else op.url()) + payloads.query(cell, world)
    data, headers = payloads.body(cell, world, pk)
    api = op.endpoint.is_api
    return url, send(client, cell.method, url, api=api, data=data, headers=headers)


def check(cell: Cell, world: World, clients: dict[str, Client]) -> None:
    client = clients[cell.user]
    if cell.expect == SEEN:  # the viewer may well change something (签阅 a notice)
        url, r = _answer(cell, world, client)
        assert r.status_code != 404, f"{cell.id}: {url} is a 404 for its viewer"
        return
    e = cell.op.endpoint
    with unchanged(cell.id):
        url, r = _answer(cell, world, client)
        if r.status_code in cell.expect:
            return
        # A role check before the object is fetched answers 403 for any object, existing or
        # not, own or another unit's: that tells nothing, so it stands for the 404.
        if r.status_code == 403 and 404 in cell.expect:
            missing = send(client, cell.method, cell.op.url(MISSING), api=e.is_api)
            assert missing.status_code == 403, (
                f"{cell.id}: 403 here but {missing.status_code} for no object"
            )
            return
        # A view that takes any method may be a page that ignores a POST: harmless when the
        # user may read it anyway and nothing was written (checked on leaving the block).
        if e.methods is None and cell.method == "POST" and r.status_code in (200, 400):
            page = client.get(url)
            assert page.status_code == 200, f"{cell.id}: {url} answered {r.status_code}"
            return
    detail = getattr(r, "data", None) or getattr(r, "content", b"")[:300].decode(errors="replace")
    raise AssertionError(
        f"{cell.id}: {cell.method} {url} answered {r.status_code}, "
        f"expected {sorted(cell.expect)}: {detail}"
    )
