"""The auditor's pages: search the log, read one record, check the chain, export."""

from __future__ import annotations

import json

from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi.accounts.roles import Role
from luoshi.audit import selectors
from luoshi.audit.export import write_xlsx
from luoshi.audit.forms import AuditFilterForm
from luoshi.audit.models import AuditRecord
from luoshi.audit.services import verify_chain
from luoshi.core.decorators import role_required
from luoshi.core.errors import ServiceError
from luoshi.core.types import AuthedRequest

# 三员分立: only the audit administrator reads the log; the system and security
# administrators whose actions it records cannot.
AUDIT_READERS = frozenset({Role.AUDITOR})


def _form(request: AuthedRequest) -> AuditFilterForm:
    data = {k: v for k, v in request.GET.items() if k not in ("before",)}
    return AuditFilterForm(data or None)


def _query(request: AuthedRequest) -> str:
    params = request.GET.copy()
    params.pop("before", None)
    return params.urlencode()


@role_required(AUDIT_READERS)
def record_list(request: AuthedRequest) -> HttpResponse:
    form = _form(request)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    try:
        before = int(request.GET["before"]) if request.GET.get("before") else None
    except ValueError:
        before = None
    rows, next_before = selectors.page_before(selectors.filtered(data), before)
    return render(request, "audit/list.html", {
        "form": form, "rows": rows, "next_before": next_before, "query": _query(request),
        "paged": before is not None,
    })  # fmt: skip


@role_required(AUDIT_READERS)
def record_detail(request: AuthedRequest, seq: int) -> HttpResponse:
    record = AuditRecord.objects.filter(seq=seq).first()
    if record is None:
        raise Http404("审计记录不存在")
    pretty = {
        name: json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
        for name, value in (("before", record.before), ("after", record.after))
        if value is not None
    }
    return render(request, "audit/detail.html", {"r": record, "pretty": pretty})


@role_required(AUDIT_READERS)
@require_POST
def chain_check(request: AuthedRequest) -> HttpResponse:
    checked, broken = verify_chain()
    return render(request, "audit/_chain.html", {
        "checked": checked, "broken": broken, "at": timezone.localtime(),
    })  # fmt: skip


@role_required(AUDIT_READERS)
def record_export(request: AuthedRequest) -> HttpResponseBase:
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/list.html", {"form": form, "rows": [], "query": ""},
                      status=400)  # fmt: skip
    data = form.cleaned_data if form.is_bound else {}
    try:
        handle = write_xlsx(selectors.filtered(data))
    except ServiceError as exc:
        context = {"form": form, "rows": [], "query": _query(request), "export_error": exc.message}
        return render(request, "audit/list.html", context, status=400)
    name = f"审计记录-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        handle, as_attachment=True, filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )  # fmt: skip
