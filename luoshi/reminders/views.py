from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from luoshi.accounts import access
from luoshi.accounts.roles import OFFICE_ROLES, Role
from luoshi.core.decorators import role_required
from luoshi.core.errors import ServiceError
from luoshi.core.forms import add_service_error
from luoshi.notify.models import Outbox
from luoshi.reminders import selectors
from luoshi.reminders.forms import PolicyForm
from luoshi.reminders.rules import Rule
from luoshi.reminders.services import reminder_policy_set
from luoshi.reminders.sweep import digest_key, policy_for


@role_required({Role.OFFICE_ADMIN})
def policy_edit(request: HttpRequest) -> HttpResponse:
    office = request.user.unit  # type: ignore[union-attr]
    if not access.covers(request.user, {Role.OFFICE_ADMIN}, office):
        raise Http404
    policy = policy_for(office)
    form = PolicyForm(request.POST or None, policy=policy)
    if request.method == "POST" and form.is_valid():
        try:
            reminder_policy_set(request.user, office, form.data_for_service())
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "已保存提醒规则，今天起按新规则提醒。")
            return redirect("reminders:policy")
    return render(request, "reminders/policy.html", {"form": form, "office": office})


@role_required(OFFICE_ROLES)
def reminder_log(request: HttpRequest) -> HttpResponse:
    office = request.user.unit  # type: ignore[union-attr]
    raw_day = request.GET.get("day", "")
    day: date | None
    try:
        day = date.fromisoformat(raw_day) if raw_day else selectors.last_day(office)
    except ValueError:
        messages.error(request, "日期格式应为 YYYY-MM-DD。")
        day = selectors.last_day(office)
    rule = request.GET.get("rule", "")
    if rule not in Rule.values:
        rule = ""
    q = request.GET.get("q", "").strip()
    qs = selectors.office_log(office, day=day, rule=rule, q=q)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    wanted = {
        digest_key(r.digest_key, r.recipient_id, c): (r.digest_key, r.recipient_id)
        for r in page
        if r.digest_key
        for c in ("inapp", "email", "sms")
    }
    sent: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for key, channel, status in Outbox.objects.filter(key__in=list(wanted)).values_list(
        "key", "channel", "status"
    ):
        sent.setdefault(wanted[key], []).append((channel, status))
    rows = [(r, sent.get((r.digest_key, r.recipient_id), [])) for r in page]
    return render(
        request,
        "reminders/log.html",
        {
            "page": page, "rows": rows, "day": day, "rule": rule, "q": q,
            "rules": Rule.choices,
            "can_edit_policy": access.has_role(request.user, {Role.OFFICE_ADMIN}),
            "counts": selectors.counts_by_rule(
                selectors.office_log(office, day=day, q=q)
            ),
        },
    )  # fmt: skip
