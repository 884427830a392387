"""What the documents API shows and accepts."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from luoshi.documents.models import OfficialDocument
from luoshi.documents.states import DocKind, DocStatus
from luoshi.ledger.serializers import StatusField


class DocumentSerializer(serializers.ModelSerializer):
    kind = StatusField(
        DocKind, help_text="文种：circular 督查通报，brief 督查专报，notice 督办通知"
    )
    kind_label = serializers.CharField(read_only=True)
    status = StatusField(DocStatus, help_text="状态：draft 草稿，issued 已签发，published 已公开")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    office_name = serializers.CharField(source="office.name", read_only=True)
    docx_url = serializers.SerializerMethodField(help_text="DOCX 下载地址")
    pdf_url = serializers.SerializerMethodField(help_text="PDF 下载地址")

    class Meta:
        model = OfficialDocument
        fields = [
            "id", "office", "office_name", "kind", "kind_label", "year", "seq", "number",
            "title", "organ", "issue_date", "recipients", "copies", "body", "table",
            "signature", "printer", "print_date", "matter", "period_year", "period_month",
            "status", "status_label", "version", "issued_at", "published_at",
            "docx_url", "pdf_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_docx_url(self, obj: OfficialDocument) -> str:
        return reverse("api:document-download", args=[obj.pk, "docx"])

    def get_pdf_url(self, obj: OfficialDocument) -> str:
        return reverse("api:document-download", args=[obj.pk, "pdf"])


class DocumentCreateSerializer(serializers.Serializer):
    template = serializers.ChoiceField(
        choices=["blank", "monthly", "brief", "notice"],
        default="blank",
        help_text="blank 空白；monthly 月度督查通报（需 year、month）；brief 督查专报、"
        "notice 督办通知（需 matter）",
    )
    kind = serializers.CharField(required=False, default="", help_text="空白公文的文种")
    year = serializers.IntegerField(required=False, allow_null=True, default=None)
    month = serializers.IntegerField(required=False, allow_null=True, default=None)
    matter = serializers.IntegerField(required=False, allow_null=True, default=None,
                                      help_text="督查事项 id")  # fmt: skip


class DocumentUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="读取时的版本；不符时返回 409"
    )
    title = serializers.CharField(required=False, allow_blank=True)
    organ = serializers.CharField(required=False, allow_blank=True)
    recipients = serializers.CharField(required=False, allow_blank=True)
    copies = serializers.CharField(required=False, allow_blank=True)
    body = serializers.CharField(required=False, allow_blank=True)
    signature = serializers.CharField(required=False, allow_blank=True)
    printer = serializers.CharField(required=False, allow_blank=True)
    issue_date = serializers.DateField(required=False, allow_null=True)
    print_date = serializers.DateField(required=False, allow_null=True)
    table = serializers.JSONField(required=False, help_text='{"header": [...], "rows": [[...]]}')


class DocumentVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="读取时的版本；不符时返回 409"
    )
