"""REST API for one's own messages: the list (all or unread), one message, marking read, the
unread count for a client's bell, and the channel preferences. Everything is the requesting
user's own: another person's message is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from luoshi.notify import selectors, services
from luoshi.notify.models import Notification
from luoshi.notify.serializers import (
    NotificationPreferenceSerializer,
    NotificationPreferenceWriteSerializer,
    NotificationReadAllSerializer,
    NotificationSerializer,
    NotificationUnreadCountSerializer,
)

# Ids are numbers: anything else is not found at all, rather than an error in a lookup.
ID = r"[0-9]+"
UNREAD = OpenApiParameter(
    "unread", OpenApiTypes.STR, enum=["1"], required=False,
    description="为 1 时只列出未读消息",
)  # fmt: skip


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes"}


class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """消息通知：本人的站内消息、未读条数、标为已读、通知渠道设置。"""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # reads go through the scoped selectors
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Notification.objects.none()
        unread = _truthy(self.request.query_params.get("unread"))
        return selectors.notifications_for(self.request.user, unread=unread)

    def get_object(self) -> Notification:
        note = selectors.notification_get_for_user(self.request.user, int(self.kwargs["pk"]))
        self.check_object_permissions(self.request, note)
        return note

    @extend_schema(
        parameters=[UNREAD], summary="我的消息",
        description="本人的站内消息，最新的在前；汇总消息的各条目在 items 中。",
    )  # fmt: skip
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="读取一条消息", description="只读取，不改变已读状态。")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=None, responses=NotificationSerializer, summary="标为已读",
        description="把一条消息标为已读；已读的消息保留首次阅读时间。",
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        note = services.notification_mark_read(request.user, int(pk or 0))
        return Response(NotificationSerializer(note, context={"request": request}).data)

    @extend_schema(
        request=None, responses=NotificationReadAllSerializer, summary="全部标为已读",
        description="把本人所有未读消息标为已读，返回本次标记的条数。",
    )  # fmt: skip
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"marked": services.notifications_mark_all_read(request.user)})

    @extend_schema(
        responses=NotificationUnreadCountSerializer, summary="未读消息条数",
        description="客户端的消息提醒角标用这个数。",
    )  # fmt: skip
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request: Request) -> Response:
        return Response({"count": selectors.unread_count(request.user)})

    @extend_schema(
        methods=["GET"], responses=NotificationPreferenceSerializer, summary="通知渠道设置",
        description="站内消息始终开启；电子邮件、短信按本人选择发送，账户上未登记地址的渠道"
        "不发送。短信和群机器人消息只在工作日的工作时间发送。",
    )  # fmt: skip
    @extend_schema(
        methods=["PUT"], request=NotificationPreferenceWriteSerializer,
        responses=NotificationPreferenceSerializer, summary="修改通知渠道设置",
        description="选择是否同时通过电子邮件、短信接收通知。",
    )  # fmt: skip
    @action(detail=False, methods=["get", "put"])
    def preferences(self, request: Request) -> Response:
        if request.method == "PUT":
            ser = NotificationPreferenceWriteSerializer(data=request.data)
            ser.is_valid(raise_exception=True)
            services.preference_set(request.user, **ser.validated_data)
        pref = selectors.preference_for(request.user)
        return Response(NotificationPreferenceSerializer(pref).data)
