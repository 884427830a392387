"""What a refused write is sent with: a body that would pass validation (so the refusal is
the permission's, not the form's) and, where a service checks the state first, an object
in a state where the action is open.

One body serves every endpoint: the field names the project's forms and serializers use,
each with a valid value, also under the prefixes the task and matter pages give their
forms. Forms and serializers ignore what they do not declare, so a new endpoint that uses
the usual names is covered without touching this file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps

from luoshi.core.tests.authz.world import World

if TYPE_CHECKING:
    from luoshi.core.tests.authz.cases import Cell

# op key → the world's named object (of the op's kind) the visible cell is requested with,
# for services that check the object's state before the user's permission.
TARGETS: dict[str, str] = {
    "followup:report_resubmit": "returned_report",
    "api:report-resubmit": "returned_report",
    "followup:matter_closing:continue": "reported_matter",
    "api:matter-followup-continue-": "reported_matter",
    "ledger:assignment_action:co_sign": "co_assignment",
    "api:assignment-co-sign": "co_assignment",
}
# op key → query string the view reads its object from.
QUERIES: dict[str, str] = {"urging:new": "?assignment={assignment}"}
# Ops without an object in their URL that name one in the query or body (unit A's task):
# a user who cannot see that gets a 404.
REFERS: dict[str, tuple[str, str]] = {
    "urging:new": ("assignment", "A"),
    "api:urging-list": ("assignment", "A"),
}

LONG = "受汛期施工条件限制，主体工程需顺延，申请延期以保证质量。"  # ≥ 20 characters
DUE = "2026-12-31"
PREFIXES = ("report", "ext", "done", "verify", "close", "cont", "review")
PK_PREFIXES = ("re{pk}", "r{pk}", "x{pk}")
MODELS = {
    "matter": "ledger.Matter",
    "assignment": "ledger.Assignment",
    "urging": "urging.UrgingNotice",
    "document": "documents.OfficialDocument",
}


def target(cell: Cell, world: World) -> int | None:
    kind = cell.op.kind
    if kind is None:
        return None
    name = TARGETS.get(cell.op.key)
    if name is not None and cell.owner == "A":
        return world.named[name]
    return world.pk(kind, cell.owner)


def _version(kind: str | None, pk: int | None) -> int:
    if kind not in MODELS or pk is None:
        return 1
    model = apps.get_model(MODELS[kind])
    return int(model.objects.filter(pk=pk).values_list("version", flat=True).first() or 1)


def _assignments_of(kind: str | None, pk: int | None) -> list[int]:
    if kind != "matter" or pk is None:
        return []
    model = apps.get_model("ledger.Assignment")
    return list(model.objects.filter(matter_id=pk).values_list("pk", flat=True))


def body(cell: Cell, world: World, pk: int | None) -> tuple[dict[str, Any], dict[str, str]]:
    kind = cell.op.kind
    version = _version(kind, pk)
    running = world.pk("assignment", "A")
    base: dict[str, Any] = {
        "comment": LONG, "reason": LONG, "requirement": LONG, "text": LONG, "result": LONG,
        "reply_text": LONG, "task": LONG, "title": "授权测试", "content": LONG,
        "progress": 50, "new_due": DUE, "due_date": DUE, "next_due": DUE,
        "reply_due": "2026-11-30", "decision": "accept", "template": "blank", "kind": "brief",
        "version": version, "assignment": running, "unit": world.named["unit_b"],
        "lead_unit": world.named["unit_b"], "assignments": _assignments_of(kind, pk),
        "email": True, "sms": False, "co_unit": world.named["co_unit"],
    }  # fmt: skip
    data = dict(base)
    prefixes = [*PREFIXES, *(p.format(pk=pk) for p in PK_PREFIXES)]
    for prefix in prefixes:
        data.update({f"{prefix}-{k}": v for k, v in base.items()})
    headers = {"If-Match": f'"{version}"'} if kind == "matter" else {}
    return data, headers


def query(cell: Cell, world: World) -> str:
    template = QUERIES.get(cell.op.key, "")
    return template.format(assignment=world.pk("assignment", "A"))
