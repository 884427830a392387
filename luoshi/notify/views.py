"""消息通知: the bell's count, the list of one's messages, opening and marking them read, and
the choice of channels. A message of someone else is a 404, never a 403."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from luoshi.core.types import AuthedRequest
from luoshi.notify import selectors, services
from luoshi.notify.channels.config import sms_gateway
from luoshi.notify.forms import PreferenceForm
from luoshi.notify.models import Notification

TABS = {"unread": "未读", "all": "全部"}
PAGE_SIZE = 20
# htmx stops polling on this status (the session ended: the bell is removed).
HTMX_STOP_POLLING = 286


def _entry(note: Notification, host: str, now: Any) -> dict[str, Any]:
    """A message as the list shows it; links leaving the site are shown as plain text."""
    items = []
    for item in note.items if isinstance(note.items, list) else []:
        if isinstance(item, dict) and item.get("text"):
            link = selectors.local_link(str(item.get("link") or ""), host)
            items.append({"text": str(item["text"]), "link": link})
    return {
        "note": note,
        "unread": note.read_at is None,
        "has_link": bool(selectors.local_link(note.link, host)),
        "items": items,
        "when": selectors.when(note.created_at, now),
        "at": timezone.localtime(note.created_at).strftime("%Y-%m-%d %H:%M"),
    }


@login_required
def notification_list(request: AuthedRequest) -> HttpResponse:
    bell = selectors.bell_for(request)  # the same count the top bar shows: one query
    tab = request.GET.get("tab")
    if tab not in TABS:
        tab = "unread" if bell.unread else "all"
    qs = selectors.notifications_for(request.user, unread=tab == "unread")
    paginator = Paginator(qs, PAGE_SIZE)
    if tab == "unread":
        paginator.count = bell.unread  # the bell's count is this list's length: count once
    page = paginator.get_page(request.GET.get("page"))
    host, now = request.get_host(), timezone.now()
    return render(
        request,
        "notify/list.html",
        {
            "tab": tab,
            "tabs": TABS,
            "page": page,
            "entries": [_entry(n, host, now) for n in page],
        },
    )


@never_cache
@require_GET
def unread_count(request: HttpRequest) -> HttpResponse:
    """The bell alone, for htmx to swap in every minute."""
    if not request.user.is_authenticated:
        return HttpResponse(status=HTMX_STOP_POLLING)
    html = render_to_string("notify/_bell.html", {"bell": selectors.Bell(request.user)})
    return HttpResponse(html)


@login_required
@require_POST
def open_notification(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark the message read and go where it points; a link off this site is not followed."""
    note = services.notification_mark_read(request.user, pk)
    target = selectors.local_link(note.link, request.get_host())
    return HttpResponseRedirect(target or reverse("notify:list"))


@login_required
@require_POST
def mark_read(request: AuthedRequest, pk: int) -> HttpResponse:
    services.notification_mark_read(request.user, pk)
    back = selectors.local_link(request.POST.get("next", ""), request.get_host())
    return HttpResponseRedirect(back or reverse("notify:list"))


@login_required
@require_POST
def mark_all_read(request: AuthedRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(request.user)
    if count:
        messages.success(request, f"已将 {count} 条消息标为已读。")
    else:
        messages.info(request, "没有未读消息。")
    return HttpResponseRedirect(reverse("notify:list") + "?tab=all")


@login_required
def preferences(request: AuthedRequest) -> HttpResponse:
    pref = selectors.preference_for(request.user)
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"email": pref.email, "sms": pref.sms},
    )
    if request.method == "POST" and form.is_valid():
        services.preference_set(
            request.user, email=form.cleaned_data["email"], sms=form.cleaned_data["sms"]
        )
        messages.success(request, "通知设置已保存。")
        return redirect("notify:preferences")
    start, end = settings.LUOSHI_WORK_HOURS
    return render(
        request,
        "notify/preferences.html",
        {
            "form": form,
            "work_start": f"{start:%H:%M}",
            "work_end": f"{end:%H:%M}",
            "sms_available": sms_gateway() is not None,
        },
    )
