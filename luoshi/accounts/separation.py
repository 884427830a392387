"""三员分立: the system, security and audit administrators are separate from each other and
from the business.

Three rules, enforced here:

* Grants: an account holds at most one of the three administrator roles (also a database
  constraint), and an administrator account holds no business role, nor a business account
  an administrator role. Otherwise an 督查室管理员 who is also 安全管理员 could grant
  himself any scope, or an auditor who also works on the ledger would audit his own work.
* Accounts: the system administrator cannot reset, disable or edit the security or audit
  administrator's account (``check_account_change``).
* Pages and API: an administrator account opens its administration pages and what every
  signed-in person needs (messages, password, second factor, the unit directory, the
  calendar) and nothing else. A business page added later is closed to them by default,
  whatever a view's own role check would say.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from luoshi.accounts import access
from luoshi.accounts.roles import BUSINESS_ROLES, SEPARATED_ADMIN_ROLES, Role
from luoshi.core.errors import NotPermitted, ServiceError

DENIED = "三员分立：系统管理员、安全管理员和审计管理员账户不能访问业务功能。"

# URL namespaces and view names an administrator account may open; their own pages check
# which administrator (users and units: 系统管理员; grants and policy: 安全管理员; the
# audit log: 审计管理员).
ADMIN_NAMESPACES = frozenset(
    {"accounts", "mfa", "audit", "org", "workcal", "notify", "notify_admin", "public"}
)
ADMIN_VIEWS = frozenset(
    {
        "workbench:home",
        "core:loops",
        "core:reveal_phone",  # a user's phone on the user pages; the view checks the object
        "healthz",
        "schema",
        "api_docs",
        "api:me",
        "api:units",
        "api:add_workdays",
        "api:workdays_between",
        "api:is_workday",
    }
)
ADMIN_VIEW_PREFIXES = ("api:notification-", "api:audit")


def is_separated_admin(user: Any) -> bool:
    return access.has_role(user, SEPARATED_ADMIN_ROLES)


def admin_may_open(view_name: str) -> bool:
    namespace = view_name.split(":", 1)[0] if ":" in view_name else ""
    return (
        namespace in ADMIN_NAMESPACES
        or view_name in ADMIN_VIEWS
        or view_name.startswith(ADMIN_VIEW_PREFIXES)
    )


def check_grant(user: Any, role: str) -> None:
    """Raise ``ServiceError`` when granting ``role`` to ``user`` would break 三员分立."""
    held = {Role(r) for r in user.grants.values_list("role", flat=True)}
    label = Role(role).label
    if role in SEPARATED_ADMIN_ROLES:
        admin = sorted(held & SEPARATED_ADMIN_ROLES)
        if admin:
            raise ServiceError(
                f"三员分立：该账户已是{admin[0].label}，不能再兼任{label}。", field="role"
            )
        business = sorted(held & BUSINESS_ROLES)
        if business:
            names = "、".join(str(r.label) for r in business)
            raise ServiceError(
                f"三员分立：该账户持有业务角色（{names}），不能再授予{label}；"
                "管理员须使用不办理业务的专用账户。",
                field="role",
            )
    else:
        admin = sorted(held & SEPARATED_ADMIN_ROLES)
        if admin:
            raise ServiceError(
                f"三员分立：该账户是{admin[0].label}，不能再授予业务角色{label}；"
                "请为其办理业务另开账户。",
                field="role",
            )


def check_account_change(actor: Any, user: Any) -> None:
    """The system administrator manages accounts, but not the security or audit
    administrator's: resetting their password or disabling them would let one
    administrator take over another's duties. Those go through
    ``manage.py reset_admin_password`` on the server, which is audited."""
    if actor is None or actor.pk == user.pk:
        return
    guarded = (Role.SECADMIN, Role.AUDITOR)
    held = sorted(set(user.grants.filter(role__in=guarded).values_list("role", flat=True)))
    if held:
        label = "、".join(str(Role(r).label) for r in held)
        raise ServiceError(
            f"三员分立：不能在此修改{label}的账户，请由运维人员在服务器上执行 "
            "manage.py reset_admin_password 办理。"
        )


def out_of_sight(request: Any, match: Any) -> bool:
    """Reading one business object: 404, as for any object the account cannot see (its
    existence is not told). Lists, forms and every write are business functions: 403."""
    return bool(match.kwargs) and request.method in ("GET", "HEAD")


class SeparationOfDutiesMiddleware:
    """Closes every non-administration page to the three administrators (sessions)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if getattr(view_func, "cls", None) is not None:
            # A DRF view (DRF marks them with ``cls``): SeparationOfDuties answers there,
            # after DRF has authenticated tokens too.
            return None
        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or not is_separated_admin(user) or admin_may_open(match.view_name):
            return None
        if out_of_sight(request, match):
            raise Http404("页面不存在")
        raise PermissionDenied(DENIED)


class SeparationOfDuties(BasePermission):
    """The same rule for the API, whether signed in by session or by token."""

    def has_permission(self, request: Any, view: Any) -> bool:
        match = request._request.resolver_match
        if match is None or not is_separated_admin(request.user):
            return True
        if admin_may_open(match.view_name):
            return True
        if out_of_sight(request, match):
            raise NotFound()
        raise NotPermitted(DENIED)
