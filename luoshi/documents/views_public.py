"""The public site (公开): published circulars and results, readable without logging in.
It shows the documents' own text and files and nothing else: no matters, no drafts, no
user names; any id that is not published is a 404."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from luoshi.documents import blocks, selectors
from luoshi.documents.views import download


def public_index(request: HttpRequest) -> HttpResponse:
    qs = selectors.public_queryset().only(
        "id", "kind", "number", "title", "organ", "issue_date", "status"
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "documents/public_index.html", {"page": page})


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    doc = selectors.public_get(pk)
    has_table = blocks.table_ok(doc.table) and bool(doc.table.get("rows"))
    return render(
        request,
        "documents/public_detail.html",
        {
            "doc": doc,
            "blocks": blocks.parse(doc.body, has_table),
            "dated": blocks.cn_date(doc.issue_date),
            "printed": blocks.cn_date(doc.print_date or doc.issue_date),
        },
    )


def public_download(request: HttpRequest, pk: int, ext: str) -> HttpResponse:
    if ext not in ("docx", "pdf"):
        raise Http404
    doc = selectors.public_get(pk)
    return download(doc, ext, reverse("public:detail", args=[doc.pk]))
