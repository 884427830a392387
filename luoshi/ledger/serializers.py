from __future__ import annotations

from typing import Any

from rest_framework import serializers

from luoshi.ledger.models import Assignment, Matter, Milestone
from luoshi.ledger.selectors import visible_assignments


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["due_date", "deliverable", "reached_at"]


class AssignmentSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True, default=None)
    co_units = serializers.SerializerMethodField()
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id", "matter", "task", "lead_unit", "lead_unit_name", "co_units",
            "responsible_leader", "responsible_person", "responsible_phone", "due_date",
            "due_override_reason", "indicator_name", "indicator_target", "indicator_unit",
            "progress_requirement", "report_cycle", "status", "status_label", "version",
            "assigned_at", "sign_due", "signed_at", "return_reason", "milestones",
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
    status_label = serializers.CharField(source="get_status_display", read_only=True)
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
            "assigned_on_time", "cancel_reason", "assignments",
        ]  # fmt: skip
        read_only_fields = fields

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
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class UnitCommentSerializer(CommentSerializer):
    unit = serializers.IntegerField()
