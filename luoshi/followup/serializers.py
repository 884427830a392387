"""What the follow-through API shows and accepts: reports with every revision and their
evidence, extension requests, completion requests with the verification, deadlines."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from luoshi.followup.models import (
    Attachment,
    CompletionRequest,
    DeadlineChange,
    ExtensionRequest,
    ProgressReport,
    ReportRevision,
)
from luoshi.followup.states import CompletionStatus, ExtensionStatus, ReportStatus
from luoshi.ledger.models import Milestone
from luoshi.ledger.serializers import StatusField, user_name


class AttachmentSerializer(serializers.ModelSerializer):
    is_image = serializers.BooleanField(read_only=True, help_text="是否图片")
    download_url = serializers.SerializerMethodField(help_text="下载地址（须登录或带令牌）")

    class Meta:
        model = Attachment
        # The uploader is the revision's (or request's) submitter, named there.
        fields = ["id", "name", "size", "content_type", "sha256", "is_image", "uploaded_by",
                  "uploaded_at", "download_url"]  # fmt: skip
        read_only_fields = fields

    def get_download_url(self, obj: Attachment) -> str:
        return reverse("api:attachment-download", args=[obj.pk])


class ReportRevisionSerializer(serializers.ModelSerializer):
    milestones: serializers.PrimaryKeyRelatedField[Milestone] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="本版报告达成的节点"
    )
    submitted_by_name = serializers.SerializerMethodField(help_text="报送人")
    decided_by_name = serializers.SerializerMethodField(help_text="处理人")
    outcome = serializers.CharField(
        read_only=True, help_text="处理结果：空（未处理）、returned 退回、accepted 采纳"
    )
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = ReportRevision
        fields = ["number", "text", "progress", "indicator_value", "milestones", "submitted_by",
                  "submitted_by_name", "submitted_at", "outcome", "comment", "decided_by",
                  "decided_by_name", "decided_at", "attachments"]  # fmt: skip
        read_only_fields = fields

    def get_submitted_by_name(self, obj: ReportRevision) -> str | None:
        return user_name(obj.submitted_by)

    def get_decided_by_name(self, obj: ReportRevision) -> str | None:
        return user_name(obj.decided_by) if obj.decided_by_id else None


class ReportSerializer(serializers.ModelSerializer):
    status = StatusField(ReportStatus, help_text="反馈状态")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    matter = serializers.IntegerField(source="assignment.matter_id", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    created_by_name = serializers.SerializerMethodField(help_text="首次报送人")
    revisions = ReportRevisionSerializer(many=True, read_only=True, help_text="每一次报送的版本")

    class Meta:
        model = ProgressReport
        fields = ["id", "assignment", "matter", "unit", "unit_name", "kind", "kind_label",
                  "period_due", "status", "status_label", "version", "text", "progress",
                  "indicator_value", "revision", "late", "consolidated_into", "created_by",
                  "created_by_name", "submitted_at", "accepted_at", "revisions"]  # fmt: skip
        read_only_fields = fields

    def get_created_by_name(self, obj: ProgressReport) -> str | None:
        return user_name(obj.created_by)


class EvidenceFilesField(serializers.ListField):
    """Uploaded files, passed on untouched: the evidence rules (type by content, size,
    count) are the service's, so their refusals read the same on the page and the API."""

    child = serializers.FileField(allow_empty_file=True, use_url=False)


class ReportWriteSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="办理情况（至少 10 个字）")
    progress = serializers.IntegerField(help_text="完成进度，0 到 100 的整数")
    indicator_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, help_text="指标完成值"
    )
    milestones = serializers.ListField(child=serializers.IntegerField(), required=False,
                                       help_text="本次达成的节点 id")  # fmt: skip
    files = EvidenceFilesField(
        required=False,
        help_text="佐证材料（图片、PDF、OFD、Office、WPS 文件；可多个，字段名 files 或 files[]）",
    )


class ExtensionSerializer(serializers.ModelSerializer):
    status = StatusField(ExtensionStatus, help_text="延期申请状态")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    matter = serializers.IntegerField(source="assignment.matter_id", read_only=True)
    assignment_due_date = serializers.DateField(source="assignment.due_date", read_only=True,
                                                help_text="任务现在的完成时限")  # fmt: skip
    requested_by_name = serializers.SerializerMethodField(help_text="申请人")
    office_by_name = serializers.SerializerMethodField(help_text="督查室审核人")
    leader_by_name = serializers.SerializerMethodField(help_text="审批领导")
    can_decide = serializers.SerializerMethodField(help_text="当前用户能否审批这一步")

    class Meta:
        model = ExtensionRequest
        fields = ["id", "assignment", "matter", "status", "status_label", "version",
                  "current_due", "new_due", "assignment_due_date", "reason", "requested_by",
                  "requested_by_name", "requested_at", "office_by", "office_by_name", "office_at",
                  "office_comment", "leader_by", "leader_by_name", "leader_at", "leader_comment",
                  "can_decide"]  # fmt: skip
        read_only_fields = fields

    def get_requested_by_name(self, obj: ExtensionRequest) -> str | None:
        return user_name(obj.requested_by)

    def get_office_by_name(self, obj: ExtensionRequest) -> str | None:
        return user_name(obj.office_by) if obj.office_by_id else None

    def get_leader_by_name(self, obj: ExtensionRequest) -> str | None:
        return user_name(obj.leader_by) if obj.leader_by_id else None

    def get_can_decide(self, obj: ExtensionRequest) -> bool:
        from luoshi.followup.services.extensions import can_decide

        request = self.context.get("request")
        return request is not None and can_decide(request.user, obj)


class ExtensionWriteSerializer(serializers.Serializer):
    new_due = serializers.DateField(allow_null=True, help_text="申请延至（须为工作日）")
    reason = serializers.CharField(help_text="延期理由（至少 20 个字）")


class CompletionSerializer(serializers.ModelSerializer):
    status = StatusField(CompletionStatus, help_text="办结申请状态")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    requested_by_name = serializers.SerializerMethodField(help_text="申请人")
    verified_by_name = serializers.SerializerMethodField(help_text="核查人")
    attachments = serializers.SerializerMethodField(
        help_text="佐证材料（配合单位看不到牵头单位的材料，此处为空）"
    )

    class Meta:
        model = CompletionRequest
        fields = ["id", "assignment", "status", "status_label", "version", "result",
                  "requested_by", "requested_by_name", "requested_at", "verified_by",
                  "verified_by_name", "verified_at", "verify_comment", "onsite_on", "onsite_by",
                  "onsite_findings", "attachments"]  # fmt: skip
        read_only_fields = fields

    def get_requested_by_name(self, obj: CompletionRequest) -> str | None:
        return user_name(obj.requested_by)

    def get_verified_by_name(self, obj: CompletionRequest) -> str | None:
        return user_name(obj.verified_by) if obj.verified_by_id else None

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, obj: CompletionRequest) -> Any:
        if self.context.get("files_hidden"):
            return []
        return AttachmentSerializer(obj.attachments.all(), many=True, context=self.context).data


class CompletionWriteSerializer(serializers.Serializer):
    result = serializers.CharField(help_text="办理结果（至少 10 个字）")
    files = EvidenceFilesField(required=False, help_text="佐证材料（字段名 files 或 files[]）")


class VerifySerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        [("accept", "核查通过"), ("return", "退回继续办理")],
        help_text="accept 核查通过；return 退回继续办理（须写明理由）",
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="",
                                    help_text="核查意见；退回时必填（至少 5 个字）")  # fmt: skip
    onsite_on = serializers.DateField(required=False, allow_null=True, default=None,
                                      help_text="实地核查日期（记录实地核查时必填）")  # fmt: skip
    onsite_by = serializers.CharField(required=False, allow_blank=True, default="",
                                      help_text="实地核查人员")  # fmt: skip
    onsite_findings = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="实地核查情况（记录实地核查时必填）"
    )


class DeadlineSerializer(serializers.Serializer):
    due_date = serializers.DateField(allow_null=True, help_text="时限")
    previous = serializers.DateField(allow_null=True, help_text="此前的时限")
    cause = serializers.CharField(
        help_text="来源：original 交办时的原定时限、extension 批准延期、continue 续办、"
        "year_review 年终评估顺延"
    )
    cause_label = serializers.CharField()
    comment = serializers.CharField(help_text="理由或要求")
    extension = serializers.IntegerField(allow_null=True, help_text="批准的延期申请 id")
    by_name = serializers.CharField(allow_null=True, help_text="决定人")
    at = serializers.DateTimeField(allow_null=True, help_text="变更时间")


class DeadlinesSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    original_due_date = serializers.DateField(allow_null=True, help_text="交办时的原定完成时限")
    due_date = serializers.DateField(allow_null=True, help_text="现在的完成时限")
    deadlines = DeadlineSerializer(many=True, help_text="任务有过的每一个时限，按时间先后")


def deadline_rows(assignment: Any, changes: list[DeadlineChange]) -> dict[str, Any]:
    """The original deadline first, then each change, for ``DeadlinesSerializer``."""
    original = assignment.original_due_date or (changes[0].previous if changes else None)
    rows: list[dict[str, Any]] = [{
        "due_date": original, "previous": None, "cause": "original", "cause_label": "原定时限",
        "comment": "", "extension": None, "by_name": None, "at": assignment.assigned_at,
    }]  # fmt: skip
    rows += [{
        "due_date": c.due_date, "previous": c.previous, "cause": c.cause,
        "cause_label": c.get_cause_display(), "comment": c.comment, "extension": c.extension_id,
        "by_name": user_name(c.by) if c.by_id else None, "at": c.at,
    } for c in changes]  # fmt: skip
    return {"assignment": assignment.pk, "original_due_date": original,
            "due_date": assignment.due_date, "deadlines": rows}  # fmt: skip


class ContinueSerializer(serializers.Serializer):
    requirement = serializers.CharField(help_text="续办要求（至少 5 个字）")
    due_date = serializers.DateField(allow_null=True, help_text="续办完成时限（晚于今天的工作日）")
    assignments = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="续办的任务 id；不填为全部已办结任务",
    )


class YearReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(help_text="评估意见（至少 10 个字）")
    next_due = serializers.DateField(required=False, allow_null=True, default=None,
                                     help_text="顺延办理中任务的完成时限（可不填）")  # fmt: skip
