"""消息渠道 (gateways and group robots) and 消息投递 (the outbox): for the system administrator."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from luoshi.accounts.roles import Role
from luoshi.core.decorators import role_required
from luoshi.core.types import AuthedRequest
from luoshi.notify import outbox, selectors_admin
from luoshi.notify.forms_admin import ChannelConfigForm
from luoshi.notify.models import Channel, ChannelConfig, Outbox, OutboxStatus

ADMINS = {Role.SYSADMIN}
PAGE_SIZE = 30
STATUS_TAGS = {
    OutboxStatus.PENDING: "warn",
    OutboxStatus.SENDING: "warn",
    OutboxStatus.SENT: "ok",
    OutboxStatus.FAILED: "bad",
    OutboxStatus.CANCELLED: "",
}
TEST_QUEUED = "测试消息已排队，稍后在“消息投递”查看结果。"


def breakable(text: str) -> SafeString:
    """``text`` escaped, with a line-break opportunity after each / ? & : = (long URLs and
    keys must not widen the page on a phone)."""
    parts = re.split(r"(?<=[/?&:=])", text)
    return mark_safe("<wbr>".join(escape(part) for part in parts))  # noqa: S308 - each part escaped


# --- 消息渠道 -------------------------------------------------------------------------


@role_required(ADMINS)
def channels(request: AuthedRequest) -> HttpResponse:
    configs = list(selectors_admin.channel_configs())
    for config in configs:
        config.masked_url = breakable(selectors_admin.mask_url(config.url))  # type: ignore[attr-defined]
    sms = selectors_admin.sms_source()
    sms["env_url"] = breakable(sms["env_url"])
    return render(request, "notify/admin/channels.html", {"configs": configs, "sms": sms})


@role_required(ADMINS)
def channel_add(request: AuthedRequest) -> HttpResponse:
    form = ChannelConfigForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        config = form.save()
        messages.success(request, f"已新增消息渠道“{config}”。")
        return redirect("notify_admin:channels")
    return render(request, "notify/admin/channel_form.html", {"form": form, "creating": True})


@role_required(ADMINS)
def channel_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    config = get_object_or_404(ChannelConfig, pk=pk)
    form = ChannelConfigForm(request.POST or None, instance=config)
    if request.method == "POST" and form.is_valid():
        config = form.save()
        messages.success(request, f"已保存消息渠道“{config}”。")
        return redirect("notify_admin:channels")
    return render(
        request,
        "notify/admin/channel_form.html",
        {"form": form, "creating": False, "config": config},
    )


@require_POST
@role_required(ADMINS)
def channel_disable(request: AuthedRequest, pk: int) -> HttpResponse:
    """删除 keeps the row (the delivery history points at it) and only disables it."""
    config = get_object_or_404(ChannelConfig, pk=pk)
    if config.enabled:
        config.enabled = False
        config.save(update_fields=["enabled", "updated_at"])
        messages.success(request, f"已停用消息渠道“{config}”，历史投递记录保留。")
    else:
        messages.info(request, f"消息渠道“{config}”已是停用状态。")
    return redirect("notify_admin:channels")


@require_POST
@role_required(ADMINS)
def channel_test(request: AuthedRequest, pk: int) -> HttpResponse:
    config = get_object_or_404(ChannelConfig, pk=pk)
    if not config.enabled:
        messages.error(request, f"消息渠道“{config}”已停用，请先启用再发送测试消息。")
        return redirect("notify_admin:channels")
    admin = request.user
    if config.kind == Channel.SMS and not admin.phone.strip():
        messages.error(
            request, "您的账户没有手机号码，无法接收测试短信。请先在用户管理中填写手机号码。"
        )
        return redirect("notify_admin:channels")
    now = timezone.now()
    with transaction.atomic():
        row = outbox.enqueue(
            key=f"test:{config.pk}:{timezone.localtime(now):%Y%m%d%H%M%S%f}",
            channel=config.kind,
            kind="test",
            subject="测试消息",
            body=(
                f"这是“落实”督查督办平台发出的测试消息，由{admin.display_name}于"
                f"{timezone.localtime(now):%Y-%m-%d %H:%M} 通过“{config.name}”发送，无需处理。"
            ),
            link=reverse("workbench:home"),
            user=admin if config.kind == Channel.SMS else None,
            robot=config,
            now=now,
        )
    if row is None:
        messages.error(request, "测试消息已在排队，请勿重复提交。")
        return redirect("notify_admin:channels")
    messages.success(request, TEST_QUEUED)
    if row.not_before > now:
        messages.info(
            request,
            f"现在不是工作时间，短信和群机器人消息将于 "
            f"{timezone.localtime(row.not_before):%Y-%m-%d %H:%M} 发送。",
        )
    return redirect("notify_admin:channels")


# --- 消息投递 -------------------------------------------------------------------------


def _choice(value: str, choices: Iterable[tuple[str, Any]]) -> str:
    return value if value in {v for v, _ in choices} else ""


@role_required(ADMINS)
def outbox_list(request: AuthedRequest) -> HttpResponse:
    status = _choice(request.GET.get("status", ""), OutboxStatus.choices)
    channel = _choice(request.GET.get("channel", ""), Channel.choices)
    counts = selectors_admin.outbox_counts()
    channel_query = {"channel": channel} if channel else {}
    tabs = [
        {
            "value": "",
            "label": "全部",
            "count": sum(counts.values()),
            "query": urlencode(channel_query),
            "tag": "",
        }
    ] + [
        {
            "value": value,
            "label": label,
            "count": counts[value],
            "query": urlencode({"status": value, **channel_query}),
            "tag": STATUS_TAGS[OutboxStatus(value)],
        }
        for value, label in OutboxStatus.choices
    ]
    page = Paginator(selectors_admin.outbox_rows(status, channel), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    filters = {k: v for k, v in (("status", status), ("channel", channel)) if v}
    return render(
        request,
        "notify/admin/outbox.html",
        {
            "page": page,
            "tabs": tabs,
            "status": status,
            "channel": channel,
            "statuses": OutboxStatus.choices,
            "channels": Channel.choices,
            "filter_query": urlencode(filters),
        },
    )


@role_required(ADMINS)
def outbox_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(Outbox.objects.select_related("user", "robot", "robot__unit"), pk=pk)
    return render(
        request,
        "notify/admin/outbox_detail.html",
        {
            "row": row,
            "attempts": row.attempt_log.all(),
            "tag": STATUS_TAGS[OutboxStatus(row.status)],
            "masked_robot_url": breakable(selectors_admin.mask_url(row.robot.url))
            if row.robot
            else "",
            "key": breakable(row.key),
        },
    )


@require_POST
@role_required(ADMINS)
def outbox_retry(request: AuthedRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(Outbox, pk=pk)
    if outbox.retry(row):
        messages.success(request, "已重新排队。")
    else:
        row.refresh_from_db()
        messages.error(
            request,
            f"只有发送失败的消息可以重新发送，这条消息的状态是“{row.get_status_display()}”。",
        )
    return redirect("notify_admin:outbox_detail", pk=row.pk)
