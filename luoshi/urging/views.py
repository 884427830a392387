"""催办督办 pages: the list, a new notice from the task page, one notice with the reply
and the office's decisions, the printable document, and the counts per unit.

Views parse and render only: every change is a service call through ``run_form``, so a
refusal comes back beside its field with the input kept, and a user the service does not
permit gets a 403 (one who cannot see the notice at all, a 404)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi.accounts import access
from luoshi.accounts.roles import OFFICE_ROLES
from luoshi.core.decorators import role_required
from luoshi.core.errors import ServiceError
from luoshi.core.types import AuthedRequest
from luoshi.followup.views_common import run_form
from luoshi.ledger.models import ACTION_LABELS
from luoshi.ledger.selectors import OVERSIGHT, assignment_get_for_user
from luoshi.ledger.states import FINISHED_MATTER_STATES
from luoshi.urging import selectors, services
from luoshi.urging.forms import CancelForm, FilterForm, NoticeForm, ReplyForm, ReviewForm
from luoshi.urging.models import UrgingNotice
from luoshi.urging.states import UrgingKind, UrgingStatus

U = UrgingStatus
STATUS_TABS = [
    ("", "全部", "total"),
    (U.ISSUED, "待回复", "issued"),
    ("overdue", "逾期未回复", "overdue"),
    (U.REPLIED, "已回复", "replied"),
    (U.RETURNED, "被退回", "returned"),
    (U.ACCEPTED, "已办结", "accepted"),
]


@role_required(selectors.READERS)
def notice_list(request: AuthedRequest) -> HttpResponse:
    base = selectors.notice_queryset_for(request.user)
    units = sorted(set(base.order_by().values_list("unit_id", "unit__name")), key=lambda u: u[1])
    form = FilterForm(request.GET, years=selectors.year_choices(base), units=units)
    chosen = form.cleaned_data if form.is_valid() else {}
    qs = base
    if chosen.get("kind"):
        qs = qs.filter(kind=chosen["kind"])
    if chosen.get("year"):
        qs = qs.filter(year=chosen["year"])
    if chosen.get("unit"):
        qs = qs.filter(unit_id=chosen["unit"])
    today = timezone.localdate()
    counts = selectors.status_counts(qs, today)
    status = chosen.get("status") or ""
    if status == "overdue":
        qs = qs.filter(selectors.overdue_q(today))
    elif status:
        qs = qs.filter(status=status)
    qs = qs.select_related("unit", "matter").order_by("-issued_at", "-id")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("status", None)
    rest = query.urlencode()
    tabs = [
        {
            "value": value,
            "label": label,
            "count": counts[key],
            "url": "?" + "&".join(p for p in (rest, f"status={value}" if value else "") if p),
            "active": status == value,
            "bad": value == "overdue",
        }
        for value, label, key in STATUS_TABS
    ]
    query["status"] = status
    return render(
        request,
        "urging/list.html",
        {
            "page": page,
            "form": form,
            "tabs": tabs,
            "query": query.urlencode(),
            "can_stats": access.has_role(request.user, OVERSIGHT),
        },
    )


def _assignment_param(request: AuthedRequest) -> Any:
    raw = request.GET.get("assignment", "")
    if not raw.isdigit():
        raise Http404("任务不存在")
    return assignment_get_for_user(request.user, int(raw))


@login_required
def notice_new(request: AuthedRequest) -> HttpResponse:
    """From the task page's 催办 button: kind, unit, demand and reply deadline."""
    a = _assignment_param(request)
    if not access.covers(request.user, OFFICE_ROLES, a.matter.office):
        raise PermissionDenied("只有督查室可以催办。")
    units = services.task_units(a)
    made: dict[str, UrgingNotice] = {}
    status = 200
    if request.method == "POST":
        form = NoticeForm(request.POST, units=units)

        def issue(d: dict[str, Any]) -> None:
            unit = next((u for u in units if u.pk == d["unit"]), None)
            made["n"] = services.urging_issue(
                request.user,
                a,
                unit=unit,
                text=d["text"],
                reply_due=d["reply_due"],
                kind=d["kind"],
            )

        def done() -> str:
            n = made["n"]
            return f"已发出{n.title}，编号 {n.number}。"

        refused = run_form(request, form, issue, done)
        if refused is None:
            return redirect("urging:detail", pk=made["n"].pk)
        status = refused
    else:
        try:
            due = services.default_reply_due()
        except ServiceError:  # the calendar does not know the coming days yet
            due = None
        form = NoticeForm(units=units, initial={"reply_due": due})
    return render(
        request,
        "urging/new.html",
        {"a": a, "matter": a.matter, "form": form, "open": services.can_urge(request.user, a)},
        status=status,
    )


def _events(n: UrgingNotice) -> list[dict[str, Any]]:
    rows = []
    for e in selectors.notice_events(n):
        to = (e.changes or {}).get("to", "")
        try:
            to_label = str(U(to).label)
        except ValueError:
            to_label = ""
        rows.append(
            {
                "at": e.at,
                "actor": e.actor,
                "label": ACTION_LABELS.get(e.action, e.action),
                "to": to,
                "to_label": to_label,
                "comment": e.comment,
                "text": e.changes.get("text", "") if e.action == "urge_reply" else "",
            }
        )
    return rows


def _fresh_version(form: forms.Form, n: UrgingNotice) -> forms.Form:
    """A form shown again carries the version now on the page (the user has seen it)."""
    if form.is_bound and "version" in form.fields:
        data = {key: form.data.get(key) for key in form.data}
        data["version"] = str(n.version)
        form.data = data
    return form


def detail_context(
    request: AuthedRequest, n: UrgingNotice, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    user = request.user
    bound = {k: _fresh_version(f, n) for k, f in (bound or {}).items()}
    live = n.matter.status not in FINISHED_MATTER_STATES
    is_unit = services.is_urged_unit(user, n)
    is_office = access.covers(user, OFFICE_ROLES, n.office)
    used: set[str] = set()

    def get(key: str, make: Any) -> forms.Form:
        used.add(key)
        return bound[key] if key in bound else make()

    version = {"version": n.version}
    reply_form = review_form = cancel_form = None
    if is_unit and live and n.awaiting_reply:
        initial = {**version, "reply_text": n.reply_text if n.status == U.RETURNED else ""}
        reply_form = get("reply", lambda: ReplyForm(initial=initial))
    if is_office and n.status == U.REPLIED:
        review_form = get("review", lambda: ReviewForm(initial=version))
    if is_office and n.awaiting_reply:
        cancel_form = get("cancel", lambda: CancelForm(initial=version))
    # A refusal whose form is no longer offered (someone decided first) still shows.
    for key, form in bound.items():
        if key not in used:
            for errors in form.errors.values():
                for e in errors:
                    messages.error(request, str(e))
    return {
        "n": n,
        "matter": n.matter,
        "a": n.assignment,
        "live": live,
        "is_unit": is_unit,
        "is_office": is_office,
        "reply_form": reply_form,
        "review_form": review_form,
        "cancel_form": cancel_form,
        "events": _events(n),
    }


def render_detail(
    request: AuthedRequest,
    n: UrgingNotice,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(request, "urging/detail.html", detail_context(request, n, bound), status=status)


@login_required
def notice_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    n = selectors.notice_get_for_user(request.user, pk)
    services.mark_read(request.user, n)
    return render_detail(request, n)


@require_POST
@login_required
def notice_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    n = selectors.notice_get_for_user(request.user, pk)
    user = request.user
    form: forms.Form
    if action == "reply":
        key, form, done = "reply", ReplyForm(request.POST), "已回复，等待督查室确认。"

        def call(d: dict[str, Any]) -> Any:
            return services.urging_reply(user, n, d["reply_text"], d["version"])
    elif action == "accept":
        key, form, done = "review", ReviewForm(request.POST), "已确认回复，该催办已办结。"

        def call(d: dict[str, Any]) -> Any:
            return services.urging_accept(user, n, d["comment"], d["version"])
    elif action == "return":
        key, form, done = "review", ReviewForm(request.POST), "已退回，等待单位重新回复。"

        def call(d: dict[str, Any]) -> Any:
            return services.urging_return(user, n, d["comment"], d["reply_due"], d["version"])
    elif action == "cancel":
        key, form, done = "cancel", CancelForm(request.POST), f"已撤回该{n.title}。"

        def call(d: dict[str, Any]) -> Any:
            return services.urging_cancel(user, n, d["reason"], d["version"])
    else:
        raise Http404
    status = run_form(request, form, call, done)
    if status is None:
        return redirect("urging:detail", pk=n.pk)
    n.refresh_from_db()
    return render_detail(request, n, {key: form}, status=status)


@login_required
def notice_print(request: AuthedRequest, pk: int) -> HttpResponse:
    """The document as issued, on A4 (a standalone page: nothing of the app is printed)."""
    n = selectors.notice_get_for_user(request.user, pk)
    units = services.task_units(n.assignment)
    copies = [u.name for u in units if u.pk != n.unit_id]
    leader = n.matter.supervising_leader
    if leader is not None:
        copies.insert(0, f"{leader.name}{leader.title}" if leader.title else leader.name)
    role = "牵头承办" if n.unit_id == n.assignment.lead_unit_id else "配合承办"
    return render(
        request,
        "urging/print.html",
        {
            "n": n,
            "matter": n.matter,
            "copies": copies,
            "role": role,
            "verb": "督办" if n.kind == UrgingKind.NOTICE else "催办",
            "paragraphs": [p.strip() for p in n.text.splitlines() if p.strip()],
        },
    )


@role_required(OVERSIGHT)
def notice_stats(request: AuthedRequest) -> HttpResponse:
    """Per urged unit: issued, replied on time or late, overdue, returned; by office and year."""
    offices = selectors.offices_for(request.user)
    raw_office = request.GET.get("office", "")
    office = next((o for o in offices if str(o.pk) == raw_office), offices[0] if offices else None)
    years = selectors.year_choices(selectors.notice_queryset_for(request.user))
    raw_year = request.GET.get("year", "")
    chosen = int(raw_year) if raw_year.isdigit() else None
    year = chosen if chosen in years else timezone.localdate().year
    rows = selectors.unit_counts(office, year) if office is not None else []
    keys = ("issued", "replied", "replied_on_time", "replied_late", "overdue_unreplied", "returned")
    total = {k: sum(r[k] for r in rows) for k in keys}
    return render(
        request,
        "urging/stats.html",
        {
            "offices": offices,
            "office": office,
            "years": years,
            "year": year,
            "rows": rows,
            "total": total,
        },
    )
