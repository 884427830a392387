"""A 催办单 / 督办通知 of the urging app as DOCX / PDF in the documents' GB/T 9704 layout;
nothing is stored (the urging notice is the record)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from luoshi.core.errors import ServiceError
from luoshi.core.types import AuthedRequest
from luoshi.documents import blocks, convert, docx_render, services
from luoshi.documents.models import OfficialDocument
from luoshi.documents.states import DocStatus
from luoshi.documents.views import file_response
from luoshi.urging.selectors import notice_get_for_user
from luoshi.urging.services import task_units
from luoshi.urging.states import UrgingKind


def urging_document(n: Any) -> OfficialDocument:
    """A 催办单 / 督办通知 of the urging app as an (unsaved) document, for the same layout."""
    # The same text as the urging app's print page (``urging/print.html``).
    copies = [u.name for u in task_units(n.assignment) if u.pk != n.unit_id]
    leader = n.matter.supervising_leader
    if leader is not None:
        copies.insert(0, f"{leader.name}{leader.title}" if leader.title else leader.name)
    role = "牵头承办" if n.unit_id == n.assignment.lead_unit_id else "配合承办"
    verb = "督办" if n.kind == UrgingKind.NOTICE else "催办"
    matter = n.matter
    lead = f"你单位{role}的“{matter.title}”（事项编号：{matter.number}）"
    if n.assignment.due_date:
        lead += f"，完成时限为{blocks.cn_date(n.assignment.due_date)}"
    paragraphs = [p.strip() for p in n.text.splitlines() if p.strip()]
    body = [f"{lead}。现就有关事项{verb}如下：", *paragraphs]
    body.append(f"请于{blocks.cn_date(n.reply_due)}前将办理情况通过系统回复。")
    organ = services.default_organ(n.office)
    return OfficialDocument(
        office=n.office,
        kind="notice",
        number=n.number,
        title=f"关于“{matter.title}”的{n.title}",
        organ=organ,
        signature=organ,
        printer=organ,
        issue_date=timezone.localtime(n.issued_at).date(),
        recipients=n.unit.name,
        copies="、".join(copies),
        body="\n".join(body),
        status=DocStatus.ISSUED,
    )


@login_required
def urging_download(request: AuthedRequest, pk: int, ext: str) -> HttpResponse:
    """The urging notice as DOCX / PDF, for whoever may read the notice."""
    if ext not in ("docx", "pdf"):
        raise Http404
    n = notice_get_for_user(request.user, pk)
    doc = urging_document(n)
    name_doc = OfficialDocument(pk=n.pk, number=n.number, title=doc.title)
    try:
        data = docx_render.render(doc)
        if ext == "pdf":
            data = convert.docx_to_pdf(data)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("urging:detail", pk=n.pk)
    return file_response(name_doc, data, ext)
