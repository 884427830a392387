"""The only code that writes 督查公文; each function is one transaction.

A draft is made blank or from data (``generators``), edited by the office admin, then
签发: numbered per office, kind and year from the ledger's sequences, frozen, its DOCX
stored (and its PDF when LibreOffice is there). An issued document may be published on
the public site and taken off again; a draft may be cancelled."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from luoshi.accounts import access
from luoshi.accounts.roles import Role
from luoshi.core.errors import NotPermitted, ServiceError, StaleObject
from luoshi.documents import blocks, convert, docx_render
from luoshi.documents.models import OfficialDocument
from luoshi.documents.states import (
    DEFAULT_COPIES,
    DOC_TRANSITIONS,
    NUMBER_KEYS,
    NUMBER_PATTERNS,
    DocKind,
    DocStatus,
)
from luoshi.ledger.services import next_number
from luoshi.ledger.states import check_transition
from luoshi.org.models import Unit

D = DocStatus
WRITERS = frozenset({Role.OFFICE_ADMIN})
STALE = "该公文已被他人修改，请刷新页面后重试。"
# Tests turn this off to keep LibreOffice runs few; the PDF is then made on request.
PDF_ON_ISSUE = True
TEXT_FIELDS = ("title", "organ", "recipients", "copies", "body", "signature", "printer")
DATE_FIELDS = ("issue_date", "print_date")
LIMITS = {"title": 200, "organ": 100, "signature": 100, "printer": 100}
LABELS = {
    "title": "标题",
    "organ": "发文机关",
    "signature": "落款",
    "printer": "印发机关",
}


def can_write(actor: Any, office: Unit) -> bool:
    return access.covers(actor, WRITERS, office)


def require_writer(actor: Any, office: Unit) -> None:
    if not can_write(actor, office):
        raise NotPermitted("只有督查室管理员可以编辑、签发和公开督查公文。")


def default_organ(office: Unit) -> str:
    """The office's full name: "市政府督查室" under "清河市人民政府" reads
    "清河市人民政府督查室"; otherwise the office's own name."""
    parent = office.parent
    if parent is not None and parent.name.endswith("人民政府") and office.name.startswith("市政府"):
        return parent.name + office.name.removeprefix("市政府")
    return office.name


def format_number(kind: str, year: int, seq: int) -> str:
    return NUMBER_PATTERNS[DocKind(kind)].format(year=year, seq=seq)


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if name in fields:
            value = (fields[name] or "").replace("\r\n", "\n").strip()
            limit = LIMITS.get(name)
            if limit and len(value) > limit:
                raise ServiceError(f"{LABELS[name]}不能超过 {limit} 个字。", field=name)
            data[name] = value
    for name in DATE_FIELDS:
        if name in fields:
            value = fields[name]
            if value is not None and not isinstance(value, date):
                raise ServiceError("日期格式无效。", field=name)
            data[name] = value
    if "table" in fields:
        table = fields["table"] or {}
        if table and not blocks.table_ok(table):
            raise ServiceError("表格须包含表头（header）和行（rows）。", field="table")
        data["table"] = table
    if "title" in data and not data["title"]:
        raise ServiceError("请填写标题。", field="title")
    if "organ" in data and not data["organ"]:
        raise ServiceError("请填写发文机关。", field="organ")
    return data


@transaction.atomic
def document_create(
    actor: Any, office: Unit, kind: str, *, title: str = "", **fields: Any
) -> OfficialDocument:
    """A draft: blank, or filled by a generator; nothing is numbered yet."""
    require_writer(actor, office)
    if kind not in DocKind.values:
        raise ServiceError("请选择文种：督查通报、督查专报或督办通知。", field="kind")
    organ = default_organ(office)
    defaults: dict[str, Any] = {
        "title": title or f"关于××的{DocKind(kind).label}",
        "organ": organ,
        "copies": DEFAULT_COPIES.get(DocKind(kind), ""),
        "signature": organ,
        "printer": organ,
    }
    defaults.update({k: v for k, v in fields.items() if k in (*TEXT_FIELDS, *DATE_FIELDS, "table")})
    data = _clean(defaults)
    links = {k: fields[k] for k in ("matter", "period_year", "period_month") if k in fields}
    return OfficialDocument.objects.create(
        office=office,
        kind=kind,
        year=timezone.localdate().year,
        created_by=actor,
        **data,
        **links,
    )


def _claim(doc: OfficialDocument, version: int | None, before: str, **changes: Any) -> None:
    if version is not None and version != doc.version:
        raise StaleObject(STALE)
    won = OfficialDocument.objects.filter(pk=doc.pk, status=before, version=doc.version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if won != 1:
        raise StaleObject(STALE)
    doc.refresh_from_db()


@transaction.atomic
def document_update(
    actor: Any, doc: OfficialDocument, version: int | None = None, **fields: Any
) -> OfficialDocument:
    require_writer(actor, doc.office)
    if doc.status != D.DRAFT:
        raise ServiceError("公文签发后不能再修改。")
    _claim(doc, version, D.DRAFT, **_clean(fields))
    return doc


def _move(
    actor: Any, doc: OfficialDocument, target: str, version: int | None, **changes: Any
) -> None:
    check_transition(DOC_TRANSITIONS, DocStatus, doc.status, target)
    _claim(doc, version, doc.status, status=target, **changes)


@transaction.atomic
def document_issue(
    actor: Any, doc: OfficialDocument, version: int | None = None
) -> OfficialDocument:
    """签发: draw the number, freeze the text, store the DOCX (and the PDF when it can)."""
    require_writer(actor, doc.office)
    if version is not None and version != doc.version:
        raise StaleObject(STALE)
    check_transition(DOC_TRANSITIONS, DocStatus, doc.status, D.ISSUED)
    if not doc.body.strip():
        raise ServiceError("请填写正文后再签发。", field="body")
    issued_on = doc.issue_date or timezone.localdate()
    year = issued_on.year
    raw = next_number(doc.office, NUMBER_KEYS[DocKind(doc.kind)], year, "{seq}")
    seq = int(raw)
    doc.issue_date, doc.year, doc.seq = issued_on, year, seq
    doc.number = format_number(doc.kind, year, seq)
    docx = docx_render.render(doc)
    pdf = None
    if PDF_ON_ISSUE and convert.available():
        try:
            pdf = convert.docx_to_pdf(docx)
        except ServiceError:
            pdf = None  # made on request later; the DOCX is what is frozen
    _move(
        actor,
        doc,
        D.ISSUED,
        version,
        issue_date=issued_on,
        year=year,
        seq=seq,
        number=doc.number,
        docx_file=docx,
        pdf_file=pdf,
        issued_by=actor,
        issued_at=timezone.now(),
    )
    return doc


@transaction.atomic
def document_publish(
    actor: Any, doc: OfficialDocument, version: int | None = None
) -> OfficialDocument:
    require_writer(actor, doc.office)
    _move(actor, doc, D.PUBLISHED, version, published_at=timezone.now(), published_by=actor)
    return doc


@transaction.atomic
def document_unpublish(
    actor: Any, doc: OfficialDocument, version: int | None = None
) -> OfficialDocument:
    require_writer(actor, doc.office)
    _move(actor, doc, D.ISSUED, version)
    return doc


@transaction.atomic
def document_cancel(
    actor: Any, doc: OfficialDocument, version: int | None = None
) -> OfficialDocument:
    require_writer(actor, doc.office)
    _move(actor, doc, D.CANCELLED, version)
    return doc


def docx_bytes(doc: OfficialDocument) -> bytes:
    """The stored file of an issued document; a draft's is made now."""
    stored = doc.docx_file
    return bytes(stored) if doc.frozen and stored else docx_render.render(doc)


def pdf_bytes(doc: OfficialDocument) -> bytes:
    """The stored PDF, else converted now (ServiceError in Chinese without LibreOffice)."""
    stored = doc.pdf_file
    if doc.frozen and stored:
        return bytes(stored)
    return convert.docx_to_pdf(docx_bytes(doc))
