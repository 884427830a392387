"""The security policy in force: one row, created with the level-3 defaults on first use.

Read it through ``current_policy()``. Inside a request (``PolicyScopeMiddleware``) the row
is read once and shared by the validators, the middleware and the views; outside one
(loops, commands, tests) every call reads the database, so a change is seen at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

from luoshi.accounts.security_models import SecurityPolicy

_scope: ContextVar[dict[str, SecurityPolicy] | None] = ContextVar("luoshi_policy", default=None)


def current_policy() -> SecurityPolicy:
    """The policy row, created with the defaults when missing."""
    cache = _scope.get()
    if cache is not None and "policy" in cache:
        return cache["policy"]
    policy = SecurityPolicy.objects.order_by("pk").first()
    if policy is None:
        policy, _ = SecurityPolicy.objects.get_or_create(pk=1)
    if cache is not None:
        cache["policy"] = policy
    return policy


def remember(policy: SecurityPolicy) -> None:
    """After an edit, the rest of the request sees the new values."""
    cache = _scope.get()
    if cache is not None:
        cache["policy"] = policy


@contextmanager
def request_scope() -> Iterator[None]:
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


class PolicyScopeMiddleware:
    """Reads the policy at most once per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_scope():
            return self.get_response(request)
