from __future__ import annotations

from typing import Any

from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

from luoshi.core.masking import MaskedPhoneField
from luoshi.ledger.models import Assignment, Matter, Milestone
from luoshi.ledger.selectors import visible_assignments
from luoshi.ledger.states import AssignmentStatus, Light, MatterStatus


class StatusField(serializers.ChoiceField):
    """A read-only status whose OpenAPI enum is named after its choice class
    (MatterStatus → ``MatterStatusEnum``): many models have a ``status``, and the schema
    generator would otherwise give their different choice sets colliding names."""

    def __init__(self, choices_class: type[models.TextChoices], **kwargs: Any) -> None:
        self.choices_class = choices_class
        kwargs.setdefault("read_only", True)
        super().__init__(choices=choices_class.choices, **kwargs)


class StatusFieldSchema(OpenApiSerializerFieldExtension):
    target_class = StatusField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        choices = self.target.choices_class
        name = f"{choices.__name__}Enum"
        lines = "\n".join(f"* `{value}` - {label}" for value, label in choices.choices)
        component = ResolvedComponent(
            name=name,
            type=ResolvedComponent.SCHEMA,
            object=name,
            schema={"type": "string", "enum": list(choices.values), "description": lines},
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


def user_name(user: Any) -> str | None:
    return user.display_name if user is not None else None


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["due_date", "deliverable", "reached_at"]


class AssignmentSerializer(serializers.ModelSerializer):
    status = StatusField(AssignmentStatus, help_text="任务状态")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    light = serializers.ChoiceField(Light.choices, read_only=True, help_text="红黄绿灯")
    light_label = serializers.CharField(source="get_light_display", read_only=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True, default=None)
    co_units = serializers.SerializerMethodField()
    milestones = MilestoneSerializer(many=True, read_only=True)
    responsible_phone = MaskedPhoneField(
        help_text="责任人电话，遮蔽显示（138****5678）；督查室可由 "
        "GET /api/v1/assignments/{id}/responsible-phone/ 取得完整号码（记入审计日志）"
    )

    class Meta:
        model = Assignment
        fields = [
            "id", "matter", "task", "lead_unit", "lead_unit_name", "co_units",
            "responsible_leader", "responsible_person", "responsible_phone", "due_date",
            "due_override_reason", "indicator_name", "indicator_target", "indicator_unit",
            "progress_requirement", "report_cycle", "status", "status_label", "version",
            "assigned_at", "sign_due", "signed_at", "return_reason", "milestones", "light",
            "light_label", "original_due_date", "next_report_due", "completion_requested_at",
            "completed_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_co_units(self, obj: Assignment) -> list[dict[str, Any]]:
        return [
            {
                "unit": c.unit_id,
                "name": c.unit.name,
                "signed_at": c.signed_at,
                "extended": c.extended,
            }
            for c in obj.co_units.all()
        ]


class MatterSerializer(serializers.ModelSerializer):
    status = StatusField(MatterStatus, help_text="事项状态")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    light = serializers.ChoiceField(
        Light.choices, read_only=True, help_text="红黄绿灯（最差的任务灯）"
    )
    light_label = serializers.CharField(source="get_light_display", read_only=True)
    cancel_requested_by_name = serializers.SerializerMethodField(help_text="申请撤销人")
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    assignments = serializers.SerializerMethodField()

    class Meta:
        model = Matter
        fields = [
            "id", "office", "year", "number", "title", "content", "source", "source_label",
            "category", "priority", "supervising_leader", "meeting_name", "meeting_date",
            "instructing_leader", "instruction_text", "received_on", "result_required",
            "doc_number", "doc_issuer", "stated_deadline", "due_date", "long_term", "tags",
            "status", "status_label", "version", "approved_at", "assign_due", "assigned_at",
            "assigned_on_time", "cancel_reason", "cancel_requested_at", "cancel_requested_by",
            "cancel_requested_by_name", "light", "light_label", "reported_at", "closed_at",
            "archived_at", "last_reviewed_year", "assignments",
        ]  # fmt: skip
        read_only_fields = fields

    def get_cancel_requested_by_name(self, obj: Matter) -> str | None:
        # Checked on the id first: a list of matters without requests costs no query.
        return user_name(obj.cancel_requested_by) if obj.cancel_requested_by_id else None

    def get_assignments(self, obj: Matter) -> list[dict[str, Any]]:
        user = self.context["request"].user
        return AssignmentSerializer(visible_assignments(user, obj), many=True).data  # type: ignore[return-value]


class MatterListSerializer(MatterSerializer):
    class Meta(MatterSerializer.Meta):
        fields = [f for f in MatterSerializer.Meta.fields if f != "assignments"]
        read_only_fields = fields


class MatterWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    content = serializers.CharField(required=False)
    source = serializers.CharField(required=False)  # type: ignore[assignment]
    category = serializers.CharField(required=False)
    priority = serializers.CharField(required=False)
    supervising_leader = serializers.IntegerField(required=False, allow_null=True)
    meeting_name = serializers.CharField(required=False, allow_blank=True)
    meeting_date = serializers.DateField(required=False, allow_null=True)
    instructing_leader = serializers.CharField(required=False, allow_blank=True)
    instruction_text = serializers.CharField(required=False, allow_blank=True)
    received_on = serializers.DateField(required=False, allow_null=True)
    result_required = serializers.BooleanField(required=False)
    doc_number = serializers.CharField(required=False, allow_blank=True)
    doc_issuer = serializers.CharField(required=False, allow_blank=True)
    stated_deadline = serializers.DateField(required=False, allow_null=True)
    long_term = serializers.BooleanField(required=False)
    tags = serializers.ListField(child=serializers.CharField(), required=False)


class AssignmentWriteSerializer(serializers.Serializer):
    task = serializers.CharField()
    lead_unit = serializers.IntegerField()
    co_units = serializers.ListField(child=serializers.IntegerField(), required=False)
    responsible_leader = serializers.CharField(required=False, allow_blank=True, default="")
    responsible_person = serializers.CharField(required=False, allow_blank=True, default="")
    responsible_phone = serializers.CharField(required=False, allow_blank=True, default="")
    due_date = serializers.DateField(required=False, allow_null=True)
    due_override_reason = serializers.CharField(required=False, allow_blank=True, default="")
    indicator_name = serializers.CharField(required=False, allow_blank=True, default="")
    indicator_target = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    indicator_unit = serializers.CharField(required=False, allow_blank=True, default="")
    progress_requirement = serializers.CharField(required=False, allow_blank=True, default="")
    report_cycle = serializers.CharField(required=False, default="monthly")
    milestones = MilestoneSerializer(many=True, required=False)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="意见或理由（退回、不同意时必填）"
    )


class CancelSerializer(CommentSerializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="撤销原因（至少 5 个字；也可写在 comment）",
    )


class UnitCommentSerializer(CommentSerializer):
    unit = serializers.IntegerField()
