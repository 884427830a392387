"""Sign-ins and sign-outs, and the model changes a request makes, for the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.forms.models import model_to_dict

from luoshi.audit import context
from luoshi.audit.events import Event
from luoshi.audit.services import audit, redact

# Tables that change on every request or are the log itself: their churn is not news.
IGNORED_MODELS = frozenset({
    "audit.AuditRecord", "audit.AuditHead", "sessions.Session", "core.LoopHeartbeat",
    "accounts.LoginAttempt", "mfa.TotpDevice",
})  # fmt: skip


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _mark_handled(request)
    audit(Event.LOGIN, request=request, actor=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _mark_handled(request)
    if user is not None:
        audit(Event.LOGOUT, request=request, actor=user)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    _mark_handled(request)
    username = str(credentials.get("username", ""))[:150]
    # The typed name is kept (an attack shows as many names from one address), never the
    # password.
    audit(
        Event.LOGIN_FAILED, request=request, actor=None, success=False,
        object_type="accounts.User", object_repr=username, detail=f"用户名：{username}",
    )  # fmt: skip


def _mark_handled(request: Any) -> None:
    state = context.for_request(request)
    if state is not None:
        state.handled = True


def _snapshot(instance: Any) -> dict[str, Any]:
    try:
        data = model_to_dict(instance)
    except Exception:  # a model whose fields model_to_dict cannot read
        return {}
    for name, value in list(data.items()):
        if hasattr(value, "name") and hasattr(value, "url"):  # file fields
            data[name] = getattr(value, "name", "")
        elif isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
    return redact(data) or {}


@receiver(pre_save)
def _saving(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """Remember the stored row before a write request changes it (one read per save)."""
    state = context.current.get()
    if (
        state is None or raw or instance._state.adding or instance.pk is None
        or sender._meta.label in IGNORED_MODELS
        or getattr(state.request, "method", "GET") in ("GET", "HEAD", "OPTIONS")
    ):  # fmt: skip
        return
    stored = sender._base_manager.filter(pk=instance.pk).first()
    if stored is not None:
        instance._audit_before = _snapshot(stored)


@receiver(post_save)
def _saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    state = context.current.get()
    if state is None or raw or sender._meta.label in IGNORED_MODELS:
        return
    state.changes.append({
        "model": sender._meta.label, "pk": instance.pk,
        "action": "created" if created else "updated",
        "before": getattr(instance, "_audit_before", None), "after": _snapshot(instance),
    })  # fmt: skip


@receiver(post_delete)
def _deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    state = context.current.get()
    if state is None or sender._meta.label in IGNORED_MODELS:
        return
    state.changes.append({"model": sender._meta.label, "pk": instance.pk, "action": "deleted",
                          "before": _snapshot(instance), "after": None})  # fmt: skip
