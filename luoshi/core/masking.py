"""Personal data on screen, in the API and in exports: the rules in one place.

Phone numbers are shown masked (``138****5678``) to everyone. Those who need the number
reveal it, one at a time, and each reveal is written to the audit log:

- a task's responsible person's phone (``Assignment.responsible_phone``): the supervision
  office over the matter (OFFICE_ROLES), who must be able to call the person;
- a user's own phone (``User.phone``): the person themself, and the system administrator
  managing that user (USER_MANAGERS), who maintains it.

An export that carries unmasked numbers is audited once per export (``audit_export``)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from luoshi.accounts import access
from luoshi.accounts.roles import OFFICE_ROLES, USER_MANAGERS
from luoshi.audit.events import Event
from luoshi.audit.services import audit

MASK = "****"


def mask_phone(value: str | None) -> str:
    """``13812345678`` → ``138****5678``; shorter numbers keep only their last 4 digits
    (``****5678``), and four characters or fewer show nothing."""
    text = (value or "").strip()
    if not text:
        return ""
    if len(text) >= 11:
        return text[:3] + MASK + text[-4:]
    if len(text) > 4:
        return MASK + text[-4:]
    return MASK


def may_see_responsible_phones(user: Any, matter: Any) -> bool:
    """The supervision office over the matter sees its tasks' responsible persons' phones."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return access.covers(user, OFFICE_ROLES, matter.office)


def may_see_phone(user: Any, obj: Any) -> bool:
    """Whether ``user`` may see the phone number on ``obj`` (an Assignment or a User)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    label = obj._meta.label
    if label == "ledger.Assignment":
        return may_see_responsible_phones(user, obj.matter)
    if label == "accounts.User":
        if obj.pk == user.pk:
            return True
        unit = getattr(obj, "unit", None)
        if unit is None:
            return access.has_role(user, USER_MANAGERS)
        return access.covers(user, USER_MANAGERS, unit)
    return False


def phone_field(obj: Any) -> str:
    return "responsible_phone" if obj._meta.label == "ledger.Assignment" else "phone"


def phone_of(obj: Any) -> str:
    return str(getattr(obj, phone_field(obj), "") or "")


def reveal(request: Any, obj: Any) -> str:
    """The full number for someone allowed to see it, written to the audit log."""
    field = phone_field(obj)
    audit(Event.PII_VIEW, request=request, obj=obj, detail=field)
    return phone_of(obj)


def for_export(user: Any, obj: Any, revealed: list[Any], allowed: bool | None = None) -> str:
    """The number as an export writes it: in full for those allowed (then ``obj`` joins
    ``revealed`` for ``audit_export``), masked otherwise. ``allowed`` saves the check when
    the caller knows it for a whole list."""
    value = phone_of(obj)
    if value and (may_see_phone(user, obj) if allowed is None else allowed):
        revealed.append(obj)
        return value
    return mask_phone(value)


def audit_export(actor: Any, revealed: list[Any], what: str, obj: Any = None) -> None:
    """One record for an export that carried unmasked numbers, naming whose."""
    if not revealed:
        return
    fields = sorted({phone_field(o) for o in revealed})
    ids = ", ".join(f"{o._meta.label}#{o.pk}" for o in revealed)
    audit(Event.PII_VIEW, actor=actor, obj=obj,
          detail=f"{what}：{'、'.join(fields)}（{ids}）")  # fmt: skip


class MaskedPhoneField(serializers.ReadOnlyField):
    """A phone number as the API gives it in lists and details: always masked; the full
    number comes from the object's reveal endpoint, for those allowed, audited."""

    def to_representation(self, value: Any) -> str:
        return mask_phone(value)
