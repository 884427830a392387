"""One way every follow-through form is handled: parse, call the service, then either go
back to the page with a success message or show the page again with the refusal next to
the field and the input kept. A user the service does not permit gets a 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from luoshi.core import uploads
from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.core.forms import add_service_error
from luoshi.core.types import AuthedRequest
from luoshi.ledger.models import Assignment


def run_form(
    request: AuthedRequest,
    form: forms.Form,
    call: Callable[[dict[str, Any]], Any],
    done: str | Callable[[], str],
) -> int | None:
    """Run the service on a valid form. None when it was done (the success message is
    queued); otherwise the status to show the page again with, the refusal on the form."""
    if not form.is_valid():
        return 400
    try:
        call(form.cleaned_data)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    except ServiceError as exc:
        # A refused file is logged here: the service's transaction rolled its record back.
        uploads.audit_rejection(exc, request=request)
        add_service_error(form, exc)
        return exc.status
    messages.success(request, done if isinstance(done, str) else done())
    return None


def act(
    request: AuthedRequest,
    assignment: Assignment,
    key: str,
    form: forms.Form,
    call: Callable[[dict[str, Any]], Any],
    done: str | Callable[[], str],
    anchor: str = "",
) -> HttpResponse:
    from luoshi.ledger.views_tasks import render_task

    status = run_form(request, form, call, done)
    if status is None:
        url = reverse("ledger:assignment", args=[assignment.pk])
        return redirect(url + (f"#{anchor}" if anchor else ""))
    assignment.refresh_from_db()
    return render_task(request, assignment, {key: form}, status=status)
