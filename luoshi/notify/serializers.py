"""What the notification API shows and accepts: one's messages, the unread count and the
channel preferences."""

from __future__ import annotations

from rest_framework import serializers

from luoshi.notify.models import Notification, NotificationPreference


class NotificationItemSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="条目内容")
    link = serializers.CharField(allow_blank=True, required=False, help_text="条目链接（站内路径）")


class NotificationSerializer(serializers.ModelSerializer):
    items = NotificationItemSerializer(
        many=True, read_only=True, help_text="汇总消息的各个条目；普通消息为空"
    )
    unread = serializers.SerializerMethodField(help_text="是否未读")

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "items", "created_at", "read_at",
                  "unread"]  # fmt: skip
        read_only_fields = fields

    def get_unread(self, obj: Notification) -> bool:
        return obj.read_at is None


class NotificationUnreadCountSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="未读消息条数")


class NotificationReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="本次标为已读的条数")


class NotificationPreferenceSerializer(serializers.ModelSerializer):
    """The choices, with the addresses they go to (empty: not recorded, the choice sends
    nothing until an administrator records it)."""

    inapp = serializers.SerializerMethodField(help_text="站内消息：始终开启")
    email_address = serializers.SerializerMethodField(help_text="接收邮件的地址；空为未登记")
    phone = serializers.SerializerMethodField(help_text="接收短信的手机号码；空为未登记")

    class Meta:
        model = NotificationPreference
        fields = ["inapp", "email", "sms", "email_address", "phone"]
        read_only_fields = fields

    def get_inapp(self, obj: NotificationPreference) -> bool:
        return True

    def get_email_address(self, obj: NotificationPreference) -> str:
        return str(obj.user.email or "")

    def get_phone(self, obj: NotificationPreference) -> str:
        return str(obj.user.phone or "")


class NotificationPreferenceWriteSerializer(serializers.Serializer):
    email = serializers.BooleanField(help_text="通过电子邮件通知")
    sms = serializers.BooleanField(help_text="通过短信通知")
