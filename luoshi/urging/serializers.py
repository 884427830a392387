"""What the urging API shows and accepts."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from luoshi.ledger.serializers import StatusField, user_name
from luoshi.urging.models import UrgingNotice
from luoshi.urging.states import UrgingKind, UrgingStatus


class UrgingSerializer(serializers.ModelSerializer):
    kind = StatusField(UrgingKind, help_text="类型：urge 催办单，notice 督办通知")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status = StatusField(UrgingStatus, help_text="状态")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    overdue = serializers.BooleanField(read_only=True, help_text="逾期未回复")
    office_name = serializers.CharField(source="office.name", read_only=True)
    matter_title = serializers.CharField(source="matter.title", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    issued_by_name = serializers.SerializerMethodField(help_text="发出人")
    replied_by_name = serializers.SerializerMethodField(help_text="回复人")
    reviewed_by_name = serializers.SerializerMethodField(help_text="办结或退回的处理人")
    read_by_name = serializers.SerializerMethodField(help_text="签阅人")
    print_url = serializers.SerializerMethodField(help_text="打印页地址")

    class Meta:
        model = UrgingNotice
        fields = [
            "id",
            "office",
            "office_name",
            "kind",
            "kind_label",
            "year",
            "number",
            "assignment",
            "matter",
            "matter_title",
            "unit",
            "unit_name",
            "text",
            "reply_due",
            "status",
            "status_label",
            "overdue",
            "version",
            "issued_by",
            "issued_by_name",
            "issued_at",
            "reply_text",
            "replied_by",
            "replied_by_name",
            "replied_at",
            "replied_late",
            "returns",
            "review_comment",
            "reviewed_by",
            "reviewed_by_name",
            "reviewed_at",
            "cancel_reason",
            "cancelled_at",
            "read_at",
            "read_by_name",
            "print_url",
        ]
        read_only_fields = fields

    def get_issued_by_name(self, obj: UrgingNotice) -> str | None:
        return user_name(obj.issued_by)

    def get_replied_by_name(self, obj: UrgingNotice) -> str | None:
        return user_name(obj.replied_by) if obj.replied_by_id else None

    def get_reviewed_by_name(self, obj: UrgingNotice) -> str | None:
        return user_name(obj.reviewed_by) if obj.reviewed_by_id else None

    def get_read_by_name(self, obj: UrgingNotice) -> str | None:
        return user_name(obj.read_by) if obj.read_by_id else None

    def get_print_url(self, obj: UrgingNotice) -> str:
        return reverse("urging:print", args=[obj.pk])


class UrgingCreateSerializer(serializers.Serializer):
    assignment = serializers.IntegerField(help_text="承办任务 id（须为已交办、未办结的任务）")
    unit = serializers.IntegerField(help_text="被催办单位 id：任务的牵头单位或配合单位")
    kind = serializers.CharField(
        required=False,
        default=UrgingKind.URGE.value,
        help_text="urge 催办单（默认）；notice 督办通知",
    )
    text = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="催办要求（至少 10 个字）"
    )
    reply_due = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="回复时限（今天或以后的工作日；不填为 3 个工作日后）",
    )


class UrgingVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="读取时的版本；与当前版本不符时返回 409",
    )


class UrgingReplySerializer(UrgingVersionSerializer):
    text = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="回复内容（至少 10 个字）"
    )


class UrgingAcceptSerializer(UrgingVersionSerializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="办结意见（可不填）"
    )


class UrgingReturnSerializer(UrgingVersionSerializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="退回意见（至少 5 个字）"
    )
    reply_due = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="重新回复的时限（工作日；不填为 3 个工作日后）",
    )


class UrgingCancelSerializer(UrgingVersionSerializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="撤回原因（至少 5 个字）"
    )
