"""督查公文 pages: the list, a new draft (blank or from data), editing, the paper-like
preview with 签发 / 公开 / 撤回公开 / 作废, and the DOCX and PDF downloads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_POST

from luoshi.core.decorators import role_required
from luoshi.core.downloads import content_disposition
from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.core.forms import add_service_error
from luoshi.core.types import AuthedRequest
from luoshi.documents import (
    blocks,
    generators,
    monthly,
    selectors,
    services,
)
from luoshi.documents.forms import EditForm, FilterForm, NewForm, VersionForm
from luoshi.documents.models import OfficialDocument
from luoshi.documents.states import DocStatus
from luoshi.ledger.models import Matter
from luoshi.ledger.selectors import matter_queryset_for

READERS = selectors.READERS
EDIT_FIELDS = ("title", "organ", "recipients", "body", "signature", "issue_date", "copies",
               "printer", "print_date")  # fmt: skip


@role_required(READERS)
def document_list(request: AuthedRequest) -> HttpResponse:
    base = selectors.document_queryset_for(request.user)
    form = FilterForm(request.GET, years=selectors.year_choices(base))
    chosen = form.cleaned_data if form.is_valid() else {}
    qs = base
    for name in ("kind", "year", "status"):
        if chosen.get(name):
            qs = qs.filter(**{name: chosen[name]})
    qs = qs.select_related("office").order_by("-year", "-id")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "documents/list.html",
        {
            "page": page,
            "form": form,
            "query": query.urlencode(),
            "can_write": bool(selectors.offices_for(request.user)),
        },
    )


def _matter(user: Any, raw: str) -> Matter:
    raw = (raw or "").strip()
    qs = matter_queryset_for(user)
    found = qs.filter(pk=int(raw)).first() if raw.isdigit() else qs.filter(number=raw).first()
    if found is None:
        raise ServiceError("找不到该督查事项，请填写事项编号。", field="matter")
    return found


def _create(user: Any, data: dict[str, Any]) -> OfficialDocument:
    offices = selectors.offices_for(user)
    if not offices:
        raise NotPermitted("只有督查室管理员可以新建督查公文。")
    template = data["template"]
    if template == "monthly":
        raw = (data.get("period") or "").strip()
        try:
            year, month = (int(x) for x in raw.split("-"))
        except ValueError:
            raise ServiceError("请选择通报月份，如 2026-10。", field="period") from None
        return monthly.circular_for_month(user, offices[0], year, month)
    if template in ("brief", "notice"):
        matter = _matter(user, data.get("matter") or "")
        if template == "brief":
            return generators.brief_from_matter(user, matter)
        return generators.notice_from_matter(user, matter)
    return services.document_create(user, offices[0], data.get("kind") or "")


@role_required(READERS)
def document_new(request: AuthedRequest) -> HttpResponse:
    if not selectors.offices_for(request.user):
        raise PermissionDenied("只有督查室管理员可以新建督查公文。")
    status = 200
    if request.method == "POST":
        form = NewForm(request.POST)
        if form.is_valid():
            try:
                doc = _create(request.user, form.cleaned_data)
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from None
            except ServiceError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, "已生成公文草稿，请修改正文后签发。")
                return redirect("documents:edit", pk=doc.pk)
        else:
            status = 400
    else:
        today = timezone.localdate()
        last = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
        template = request.GET.get("template", "blank")
        matter = request.GET.get("matter", "")
        if matter.isdigit():
            found = matter_queryset_for(request.user).filter(pk=int(matter)).first()
            matter = (found.number or str(found.pk)) if found else ""
        form = NewForm(initial={"template": template, "period": last, "matter": matter})
    return render(request, "documents/new.html", {"form": form}, status=status)


def _doc_context(request: AuthedRequest, doc: OfficialDocument) -> dict[str, Any]:
    has_table = blocks.table_ok(doc.table) and bool(doc.table.get("rows"))
    dated = blocks.cn_date(doc.issue_date)
    return {
        "doc": doc,
        "blocks": blocks.parse(doc.body, has_table),
        "dated": dated,
        "printed": blocks.cn_date(doc.print_date or doc.issue_date),
        "can_write": services.can_write(request.user, doc.office),
    }


@role_required(READERS)
def document_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    doc = selectors.document_get_for_user(request.user, pk)
    ctx = _doc_context(request, doc)
    ctx["version_form"] = VersionForm(initial={"version": doc.version})
    return render(request, "documents/detail.html", ctx)


@role_required(READERS)
def document_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    doc = selectors.document_get_for_user(request.user, pk)
    if not services.can_write(request.user, doc.office):
        raise PermissionDenied("只有督查室管理员可以编辑督查公文。")
    if doc.status != DocStatus.DRAFT:
        messages.error(request, "公文签发后不能再修改。")
        return redirect("documents:detail", pk=doc.pk)
    status = 200
    if request.method == "POST":
        form = EditForm(request.POST)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in EDIT_FIELDS}
            try:
                services.document_update(request.user, doc, form.cleaned_data["version"], **data)
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from None
            except ServiceError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, "已保存。")
                return redirect("documents:detail", pk=doc.pk)
        else:
            status = 400
    else:
        form = EditForm(
            initial={"version": doc.version, **{k: getattr(doc, k) for k in EDIT_FIELDS}}
        )
    ctx = _doc_context(request, doc)
    ctx["form"] = form
    return render(request, "documents/edit.html", ctx, status=status)


ACTIONS = {
    "issue": (services.document_issue, "已签发，编号 {number}。"),
    "publish": (services.document_publish, "已公开，公众可在公开页面查看。"),
    "unpublish": (services.document_unpublish, "已撤回公开。"),
    "cancel": (services.document_cancel, "已作废该草稿。"),
}


@require_POST
@role_required(READERS)
def document_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    doc = selectors.document_get_for_user(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    call, done = ACTIONS[action]
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        call(request.user, doc, version)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done.format(number=doc.number))
    return redirect("documents:detail", pk=doc.pk)


def filename(doc: OfficialDocument, ext: str) -> str:
    name = f"{doc.number}{doc.title}" if doc.number else doc.title
    return "".join(c for c in name if c not in '\\/:*?"<>|\r\n')[:120] + f".{ext}"


def file_response(doc: OfficialDocument, data: bytes, ext: str) -> HttpResponse:
    types = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf",
    }
    response = HttpResponse(data, content_type=types[ext])
    name = filename(doc, ext)
    # RFC 6266 / 5987: an ASCII fallback, and the Chinese title for browsers that read it.
    response["Content-Disposition"] = content_disposition(name, fallback=f"document-{doc.pk}.{ext}")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download(doc: OfficialDocument, ext: str, back: str) -> HttpResponse:
    """The file, or (PDF without LibreOffice) a page that says why in Chinese."""
    full = OfficialDocument.objects.get(pk=doc.pk)
    try:
        data = services.docx_bytes(full) if ext == "docx" else services.pdf_bytes(full)
    except ServiceError as exc:
        return HttpResponse(
            f'<!DOCTYPE html><html lang="zh-Hans"><meta charset="utf-8"><title>无法生成 PDF</title>'
            f'<p role="alert">{escape(exc.message)}</p>'
            f'<p><a href="{escape(back)}">返回</a></p></html>',
            status=503,
            content_type="text/html; charset=utf-8",
        )
    return file_response(doc, data, ext)


@role_required(READERS)
def document_download(request: AuthedRequest, pk: int, ext: str) -> HttpResponse:
    doc = selectors.document_get_for_user(request.user, pk)
    if ext not in ("docx", "pdf"):
        raise Http404
    return download(doc, ext, reverse("documents:detail", args=[doc.pk]))
