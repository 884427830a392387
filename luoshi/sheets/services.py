"""Import of a 责任分解表: upload → checked batch → confirm (all or nothing, once) or discard."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from luoshi.accounts import access
from luoshi.accounts.roles import Role
from luoshi.core import uploads
from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.ledger.models import Category, Source
from luoshi.sheets import checking
from luoshi.sheets.models import SheetImport
from luoshi.sheets.reading import read_sheet

MAX_BYTES = uploads.IMPORT_XLSX.max_bytes
IMPORTERS = frozenset({Role.OFFICE_ADMIN})


def _office_of(actor: Any) -> Any:
    """Matters belong to the importer's own unit (the 督查室), as when created by hand."""
    office = getattr(actor, "unit", None)
    if office is None or not access.covers(actor, IMPORTERS, office):
        raise NotPermitted("只有督查室管理员可以导入责任分解表。")
    return office


def _check(actor: Any, batch: SheetImport) -> dict[str, Any]:
    plan = checking.check(batch.raw, year=batch.year, source=batch.default_source,
                          category=batch.default_category, office=batch.office)  # fmt: skip
    return checking.dry_run(actor, batch.office, plan)


@transaction.atomic
def import_upload(actor: Any, *, data: bytes, filename: str, year: int, source: str,
                  category: str) -> SheetImport:  # fmt: skip
    office = _office_of(actor)
    # By content: a renamed file, a macro workbook or a zip bomb never reaches openpyxl.
    filename = uploads.check_bytes(data, filename, uploads.IMPORT_XLSX).name
    if not 2000 <= year <= 2100:
        raise ServiceError("年度无效。", field="year")
    if source not in Source.values:
        raise ServiceError("请选择默认事项来源。", field="source")
    if category not in Category.values:
        raise ServiceError("请选择督查类别。", field="category")
    try:
        raw = read_sheet(data)
    except ServiceError as exc:
        raise ServiceError(exc.message, field="file") from None
    batch = SheetImport(created_by=actor, office=office, filename=filename[:255], year=year,
                        default_source=source, default_category=category, raw=raw)  # fmt: skip
    batch.plan = _check(actor, batch)
    batch.error_count = batch.plan["error_count"]
    batch.matter_count = len(batch.plan["matters"])
    batch.save()
    return batch


@transaction.atomic
def import_apply(actor: Any, batch: SheetImport) -> list[int]:
    """Create every matter of the batch as a draft, or none; a batch is applied only once."""
    office = _office_of(actor)
    if batch.created_by_id != actor.pk or batch.office_id != office.pk:
        raise NotPermitted("只能确认自己上传的导入批次。")
    won = SheetImport.objects.filter(pk=batch.pk, status=SheetImport.Status.PREVIEWED).update(
        status=SheetImport.Status.APPLIED, applied_at=timezone.now()
    )
    if won != 1:
        raise ServiceError("该批次已导入或已放弃，不能重复导入。")
    # Checked again against the database as it is now: units may have changed since.
    plan = checking.check(batch.raw, year=batch.year, source=batch.default_source,
                          category=batch.default_category, office=office)  # fmt: skip
    if plan["error_count"]:
        raise ServiceError(f"表格中有 {plan['error_count']} 处问题，未导入任何事项。")
    created = []
    for m in plan["matters"]:
        try:
            created.append(checking.create_matter(actor, office, m, batch.year).pk)
        except ServiceError as exc:
            raise ServiceError(
                f"{checking.row_label(m)}“{m['title']}”：{exc.message}未导入任何事项。"
            ) from None
    SheetImport.objects.filter(pk=batch.pk).update(created_matters=created, plan=plan)
    batch.refresh_from_db()
    return created


@transaction.atomic
def import_discard(actor: Any, batch: SheetImport) -> SheetImport:
    _office_of(actor)
    if batch.created_by_id != actor.pk:
        raise NotPermitted("只能放弃自己上传的导入批次。")
    won = SheetImport.objects.filter(pk=batch.pk, status=SheetImport.Status.PREVIEWED).update(
        status=SheetImport.Status.DISCARDED
    )
    if won != 1:
        raise ServiceError("该批次已导入或已放弃。")
    batch.refresh_from_db()
    return batch
