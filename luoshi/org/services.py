"""The only code that writes units. Each function runs in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from luoshi.accounts import access
from luoshi.accounts.roles import UNIT_MANAGERS
from luoshi.core.errors import ServiceError
from luoshi.org.models import Unit, UnitKind


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写单位名称。", field="name")
    if len(name) > 100:
        raise ServiceError("单位名称不能超过 100 个字。", field="name")
    return name


def _check_kind(kind: str) -> str:
    if kind not in UnitKind.values:
        raise ServiceError("单位类型无效。", field="kind")
    return kind


def _check_sibling_name(name: str, parent: Unit | None, exclude: Unit | None = None) -> None:
    siblings = Unit.objects.filter(parent=parent, name=name)
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    if siblings.exists():
        where = f"“{parent.name}”下" if parent else "顶层"
        raise ServiceError(f"{where}已有名为“{name}”的单位。", field="name")


def _set_path(unit: Unit) -> None:
    prefix = unit.parent.path if unit.parent else "/"
    unit.path = f"{prefix}{unit.pk}/"
    unit.depth = unit.parent.depth + 1 if unit.parent else 0
    unit.save(update_fields=["path", "depth"])


@transaction.atomic
def unit_create(
    actor: Any,
    *,
    name: str,
    kind: str,
    parent: Unit | None,
    short_name: str = "",
    order: int = 100,
) -> Unit:
    """Create a unit under ``parent``; a root unit (no parent) only by a system command."""
    if parent is None:
        if actor is not None:
            raise ServiceError("请选择上级单位。", field="parent")
    else:
        if actor is not None:
            access.require(actor, UNIT_MANAGERS, parent)
        if not parent.is_active:
            raise ServiceError(f"上级单位“{parent.name}”已停用，不能在其下新增单位。")
    name = _clean_name(name)
    _check_sibling_name(name, parent)
    unit = Unit.objects.create(
        name=name,
        short_name=(short_name or "").strip()[:30],
        kind=_check_kind(kind),
        parent=parent,
        order=order,
    )
    _set_path(unit)
    return unit


@transaction.atomic
def unit_update(actor: Any, unit: Unit, **fields: Any) -> Unit:
    """Change name, short name, kind or order; the place in the tree changes by ``unit_move``."""
    access.require(actor, UNIT_MANAGERS, unit)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if "name" in fields:
        unit.name = _clean_name(fields["name"])
        _check_sibling_name(unit.name, unit.parent, exclude=unit)
    if "short_name" in fields:
        unit.short_name = (fields["short_name"] or "").strip()[:30]
    if "kind" in fields:
        unit.kind = _check_kind(fields["kind"])
    if "order" in fields:
        unit.order = int(fields["order"])
    unit.save()
    return unit


@transaction.atomic
def unit_move(actor: Any, unit: Unit, new_parent: Unit) -> Unit:
    """Put ``unit`` and its whole subtree under ``new_parent``."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    new_parent = Unit.objects.get(pk=new_parent.pk)
    if unit.parent is None:
        raise ServiceError("顶层单位不能移动。")
    access.require(actor, UNIT_MANAGERS, unit)
    access.require(actor, UNIT_MANAGERS, new_parent)
    if new_parent.path.startswith(unit.path):
        raise ServiceError("不能把单位移到它自己或它的下级单位之下。", field="parent")
    if not new_parent.is_active:
        raise ServiceError(f"目标单位“{new_parent.name}”已停用。", field="parent")
    if new_parent.pk == unit.parent_id:
        return unit
    _check_sibling_name(unit.name, new_parent, exclude=unit)
    old_path = unit.path
    new_path = f"{new_parent.path}{unit.pk}/"
    delta = new_parent.depth + 1 - unit.depth
    Unit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + delta,
    )
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()
    return unit


@transaction.atomic
def unit_deactivate(actor: Any, unit: Unit) -> Unit:
    """Stop using a unit; refused while it still has active sub-units or accounts."""
    access.require(actor, UNIT_MANAGERS, unit)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.parent is None:
        raise ServiceError("顶层单位不能停用。")
    active_children = unit.children.filter(is_active=True).count()
    if active_children:
        raise ServiceError(f"该单位还有 {active_children} 个启用的下级单位，请先停用或移走。")
    active_users = unit.users.filter(is_active=True).count()
    if active_users:
        raise ServiceError(f"该单位还有 {active_users} 个在用账户，请先停用或调整其所属单位。")
    unit.is_active = False
    unit.save(update_fields=["is_active", "updated_at"])
    return unit


@transaction.atomic
def unit_activate(actor: Any, unit: Unit) -> Unit:
    access.require(actor, UNIT_MANAGERS, unit)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.parent is not None and not unit.parent.is_active:
        raise ServiceError(f"上级单位“{unit.parent.name}”已停用，请先启用上级单位。")
    unit.is_active = True
    unit.save(update_fields=["is_active", "updated_at"])
    return unit
