"""Follow-through records: progress reports with their revisions, extension requests,
completion requests with their verification, every deadline a task had, and evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from luoshi.followup.states import (
    CompletionStatus,
    DeadlineCause,
    ExtensionStatus,
    ReportStatus,
)

USER = settings.AUTH_USER_MODEL


class ProgressReport(models.Model):
    """办理情况反馈 for one period of a task: the lead unit's report, or a co-unit's part
    which the lead unit consolidates into its own."""

    LEAD = "lead"
    CO = "co"
    KINDS = [(LEAD, "牵头单位反馈"), (CO, "配合单位材料")]

    assignment = models.ForeignKey(
        "ledger.Assignment", on_delete=models.CASCADE, related_name="reports"
    )
    unit = models.ForeignKey("org.Unit", verbose_name="报送单位", on_delete=models.PROTECT,
                             related_name="+")  # fmt: skip
    kind = models.CharField("类型", max_length=8, choices=KINDS, default=LEAD)
    period_due = models.DateField("所属反馈时限", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=ReportStatus.choices)
    version = models.PositiveIntegerField(default=1)
    # The current revision's content, copied for lists; every revision is kept below.
    text = models.TextField("办理情况")
    progress = models.PositiveSmallIntegerField("完成进度（%）", default=0)
    indicator_value = models.DecimalField(
        "指标完成值", max_digits=14, decimal_places=2, null=True, blank=True
    )
    revision = models.PositiveSmallIntegerField("版本", default=1)
    late = models.BooleanField("逾期报送", default=False)
    consolidated_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="parts"
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("报送时间")
    accepted_at = models.DateTimeField("采纳时间", null=True, blank=True)

    class Meta:
        verbose_name = "办理情况反馈"
        verbose_name_plural = verbose_name
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["assignment", "status"]),
            # The reminder sweep finds reports waiting for review by status.
            models.Index(fields=["status", "submitted_at"], name="report_status_submitted"),
            # 统计分析's 反馈及时率: lead reports per task, counted from the index alone.
            models.Index(
                fields=["assignment", "late"],
                condition=models.Q(kind="lead"),
                name="report_task_lead_late",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} 反馈 {self.submitted_at:%Y-%m-%d} 第{self.revision}版"


class ReportRevision(models.Model):
    """One submitted version of a report and what became of it; never changed afterwards
    except to record the decision on it."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField("版本")
    text = models.TextField("办理情况")
    progress = models.PositiveSmallIntegerField("完成进度（%）")
    indicator_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    milestones = models.ManyToManyField("ledger.Milestone", blank=True, related_name="+")
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    outcome = models.CharField("处理结果", max_length=16, blank=True)
    comment = models.TextField("处理意见", blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "反馈版本"
        verbose_name_plural = verbose_name
        ordering = ["report_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_revision_unique")
        ]

    def __str__(self) -> str:
        return f"第{self.number}版"


class ExtensionRequest(models.Model):
    """延期申请: asked before the deadline with a written reason; decided by the office and
    (per the office's rules) the supervising leader."""

    assignment = models.ForeignKey(
        "ledger.Assignment", on_delete=models.CASCADE, related_name="extensions"
    )
    status = models.CharField("状态", max_length=16, choices=ExtensionStatus.choices)
    version = models.PositiveIntegerField(default=1)
    current_due = models.DateField("原完成时限")
    new_due = models.DateField("申请延至")
    reason = models.TextField("延期理由")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间")
    office_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    office_at = models.DateTimeField("督查室审核时间", null=True, blank=True)
    office_comment = models.TextField("督查室意见", blank=True)
    leader_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    leader_at = models.DateTimeField("领导审批时间", null=True, blank=True)
    leader_comment = models.TextField("领导意见", blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = verbose_name
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["assignment", "status"]),
            models.Index(fields=["status", "requested_at"], name="extension_status_requested"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} 延期至 {self.new_due}"


class CompletionRequest(models.Model):
    """申请办结 with the result, and the office's 核查 (optionally on site)."""

    assignment = models.ForeignKey(
        "ledger.Assignment", on_delete=models.CASCADE, related_name="completions"
    )
    status = models.CharField("状态", max_length=16, choices=CompletionStatus.choices)
    version = models.PositiveIntegerField(default=1)
    result = models.TextField("办理结果")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间")
    verified_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField("核查时间", null=True, blank=True)
    verify_comment = models.TextField("核查意见", blank=True)
    onsite_on = models.DateField("实地核查日期", null=True, blank=True)
    onsite_by = models.CharField("核查人员", max_length=200, blank=True)
    onsite_findings = models.TextField("实地核查情况", blank=True)

    class Meta:
        verbose_name = "办结申请"
        verbose_name_plural = verbose_name
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.assignment_id} 申请办结 {self.requested_at:%Y-%m-%d}"


class DeadlineChange(models.Model):
    """Every deadline a task ever had, in order; scoring reads the original from here."""

    assignment = models.ForeignKey(
        "ledger.Assignment", on_delete=models.CASCADE, related_name="deadline_changes"
    )
    previous = models.DateField("原时限", null=True, blank=True)
    due_date = models.DateField("新时限", null=True, blank=True)
    cause = models.CharField("原因", max_length=16, choices=DeadlineCause.choices)
    extension = models.ForeignKey(
        ExtensionRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField("说明", blank=True)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "时限变更"
        verbose_name_plural = verbose_name
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.previous} → {self.due_date}"


def _upload_to(instance: Attachment, filename: str) -> str:
    # A random stored name: the original name is kept in the row, never trusted on disk.
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evidence/{instance.assignment_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """Evidence (photos, PDF, Office files) attached to a report revision or a completion
    request; served only through a permission-checked view."""

    assignment = models.ForeignKey(
        "ledger.Assignment", on_delete=models.CASCADE, related_name="attachments"
    )
    revision = models.ForeignKey(
        ReportRevision, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    completion = models.ForeignKey(
        CompletionRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(upload_to=_upload_to, max_length=255)
    name = models.CharField("文件名", max_length=255)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = verbose_name
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
