"""Every URL the project serves, read from the resolver, never listed by hand.

An ``Endpoint`` is one URL pattern: its parameters and the methods its view accepts (from
``require_POST`` and friends, DRF routers and class-based views). An ``Op`` is an endpoint
with its slug parameters filled (``ledger/<pk>/approve/``): the unit the matrix tests, with
the kind of object its ``pk`` names. A pattern added tomorrow is picked up here by itself;
the tests then insist that it is protected and that the kind of its object is known."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# The object a parameter names, by the route with its slugs filled and its parameters
# written <name>. Order matters only where one prefix is inside another.
KIND_ROUTES: list[tuple[str, str]] = [
    (r"^(ledger|followup/matters|matters|api/v1/matters)/<pk>/", "matter"),
    (r"^(tasks|followup/tasks|api/v1/assignments|pii/assignment)/<pk>/", "assignment"),
    (r"^(followup/reports|api/v1/reports)/<pk>/", "report"),
    (r"^(followup/files|api/v1/attachments)/<pk>/", "attachment"),
    (r"^(followup/extensions|api/v1/extensions)/<pk>/", "extension"),
    (r"^(urging|documents/urging|api/v1/urgings)/<pk>/", "urging"),
    (r"^(notifications|api/v1/notifications)/<pk>/", "notification"),
    (r"^(documents|api/v1/documents)/<pk>/", "document"),
    (r"^public/<pk>/", "published"),
    (r"^ledger/filters/<pk>/", "saved_filter"),
    (r"^(accounts/users|pii/user)/<pk>/", "user"),
    (r"^accounts/grants/user/<user_pk>/", "user"),
    (r"^accounts/grants/<pk>/", "grant"),
    (r"^accounts/security/locks/<pk>/", "lock"),
    (r"^accounts/mfa/devices/<pk>/", "mfa_device"),
    (r"^audit/<seq>/", "audit_record"),
    (r"^org/units/<pk>/", "unit"),
    (r"^org/import/<pk>/", "org_import"),
    (r"^sheets/import/<pk>/", "sheet_import"),
    (r"^calendar/years/<year>/", "calendar_year"),
    (r"^notifications/admin/channels/<pk>/", "channel"),
    (r"^notifications/admin/outbox/<pk>/", "outbox"),
]
# Parameters that name no object, and the value a request uses.
PLAIN_VALUES = {"ext": "docx", "day": "2026-10-01"}


def _slug_values() -> dict[tuple[str, str], list[str]]:
    """The values of a view's slug parameter: read from the view's own table where it has
    one, so a new action there is covered without touching this file."""
    from luoshi.core import views_pii
    from luoshi.documents import views as documents_views
    from luoshi.followup import views_closing, views_reports
    from luoshi.ledger import services as ledger_services
    from luoshi.ledger import views_actions

    return {
        ("ledger:matter_action", "action"): list(ledger_services.MATTER_TRANSITIONS_BY_ACTION),
        ("ledger:assignment_action", "action"): [
            *views_actions.ASSIGNMENT_ACTIONS,
            "reassign",
            "extend",
            "co_sign",
        ],
        ("followup:report_decide", "action"): list(views_reports.DECISIONS),
        ("followup:extension_decide", "action"): ["approve", "reject", "withdraw"],
        ("followup:matter_closing", "action"): list(views_closing.ACTIONS),
        ("documents:action", "action"): list(documents_views.ACTIONS),
        ("urging:action", "action"): ["reply", "accept", "return", "cancel"],
        ("core:reveal_phone", "kind"): list(views_pii.KINDS),
    }


@dataclass(frozen=True)
class Endpoint:
    route: str  # normalised: "ledger/<pk>/<action>/", "api/v1/matters/<pk>/approve/"
    name: str  # "ledger:matter_action"; the route itself when the pattern has no name
    callback: Callable[..., Any] = field(compare=False, repr=False)
    params: tuple[str, ...]
    methods: frozenset[str] | None  # None: the view takes any method

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def reads(self) -> bool:
        return self.methods is None or "GET" in self.methods

    @property
    def write_methods(self) -> frozenset[str]:
        """The write methods the view declares, or POST for a view that takes any method
        (a form page, or a page that ignores a POST)."""
        if self.methods is None:
            return frozenset({"POST"})
        return self.methods & WRITE_METHODS

    def ops(self) -> list[Op]:
        table = _slug_values()
        slugs = [p for p in self.params if (self.name, p) in table]
        combos = itertools.product(*(table[(self.name, p)] for p in slugs))
        return [Op(self, tuple(zip(slugs, combo, strict=True))) for combo in combos]


@dataclass(frozen=True)
class Op:
    endpoint: Endpoint
    slugs: tuple[tuple[str, str], ...]

    @property
    def key(self) -> str:
        """ "ledger:matter_action:approve": what the policy tables name."""
        return ":".join([self.endpoint.name, *(v for _, v in self.slugs)])

    @property
    def route(self) -> str:
        route = self.endpoint.route
        for p, v in self.slugs:
            route = route.replace(f"<{p}>", v)
        return route

    @property
    def object_params(self) -> tuple[str, ...]:
        named = {p for p, _ in self.slugs} | set(PLAIN_VALUES)
        return tuple(p for p in self.endpoint.params if p not in named)

    @property
    def kind(self) -> str | None:
        if not self.object_params:
            return None
        for pattern, kind in KIND_ROUTES:
            if re.match(pattern, self.route):
                return kind
        return None

    def url(self, pk: Any = 1) -> str:
        values = dict(self.slugs)
        for p in self.endpoint.params:
            values.setdefault(p, PLAIN_VALUES.get(p, pk))
        e = self.endpoint
        if e.name != e.route:
            return reverse(e.name, kwargs=values)
        path = e.route
        for p in e.params:
            path = path.replace(f"<{p}>", str(values[p]))
        return "/" + path


def _normalise(route: str) -> str:
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)
    return re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", route)


def allowed_methods(callback: Callable[..., Any]) -> frozenset[str] | None:
    """The HTTP methods a view answers, read from how it is built; None when it does not
    restrict them (a plain function view)."""
    actions = getattr(callback, "actions", None)
    if actions:  # a DRF router route: {"get": "list", "post": "create"}
        return frozenset(m.upper() for m in actions)
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is not None:  # DRF APIView / @api_view, or a Django class-based view
        names = [m for m in cls.http_method_names if m not in ("options", "head")]
        return frozenset(m.upper() for m in names if hasattr(cls, m))
    fn: Any = callback
    while fn is not None:  # require_http_methods keeps its list in the wrapper's closure
        code = getattr(fn, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = fn.__closure__[code.co_freevars.index("request_method_list")]
            return frozenset(m.upper() for m in cell.cell_contents)
        fn = getattr(fn, "__wrapped__", None)
    return None


def _walk(patterns: list[Any], prefix: str = "", ns: str = "") -> Iterator[Endpoint]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = ns + (f"{p.namespace}:" if p.namespace else "")
            yield from _walk(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            route = _normalise(prefix + str(p.pattern))
            params = tuple(re.findall(r"<(\w+)>", route))
            name = f"{ns}{p.name}" if p.name else route
            yield Endpoint(route, name, p.callback, params, allowed_methods(p.callback))


@cache
def endpoints() -> tuple[Endpoint, ...]:
    return tuple(_walk(get_resolver().url_patterns))


def ops() -> list[Op]:
    return [op for e in endpoints() for op in e.ops()]
