from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.ledger.states import AssignmentStatus, Light, MatterStatus


class Source(models.TextChoices):
    MEETING = "meeting", _("会议议定")
    INSTRUCTION = "instruction", _("领导批示")
    WORK_REPORT = "work_report", _("政府工作报告")
    DOCUMENT = "document", _("上级文件")
    PROPOSAL = "proposal", _("建议提案")
    PUBLIC = "public", _("群众诉求")
    SPECIAL = "special", _("专项督查")
    OTHER = "other", _("其他")


class Category(models.TextChoices):
    DECISION = "decision", _("决策督查")
    SPECIAL = "special", _("专项督查")
    ROUTINE = "routine", _("常规督查")


class Priority(models.TextChoices):
    KEY = "key", _("重点")
    NORMAL = "normal", _("一般")


class ReportCycle(models.TextChoices):
    ONCE = "once", _("一次性")
    WEEKLY = "weekly", _("每周")
    HALF_MONTHLY = "half_monthly", _("每半月")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")


class LedgerPolicy(models.Model):
    """An office's rules; the defaults are those of the supervision offices' practice."""

    office = models.OneToOneField(
        "org.Unit", on_delete=models.CASCADE, related_name="ledger_policy"
    )
    number_pattern = models.CharField("编号格式", max_length=64, default="督〔{year}〕{seq:04d}号")
    result_report_workdays = models.PositiveSmallIntegerField(
        "要求报结果的批示办理时限（工作日）", default=7
    )
    default_workdays = models.PositiveSmallIntegerField(
        "未明确时限的办理时限（工作日）", default=15
    )
    assign_workdays = models.PositiveSmallIntegerField("立项后交办时限（工作日）", default=2)
    sign_workdays = models.PositiveSmallIntegerField("签收时限（工作日）", default=1)
    yellow_workdays = models.PositiveSmallIntegerField("临近到期亮黄灯（工作日内）", default=3)
    report_head_approval = models.BooleanField("反馈须经单位负责人审核", default=True)
    extension_leader_approval = models.BooleanField("延期须经分管领导审批", default=True)

    class Meta:
        verbose_name = "台账规则"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.office} 台账规则"


class NumberSequence(models.Model):
    """The last number issued per office, kind and year; bumped with a conditional update."""

    office = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "kind", "year"], name="numberseq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.kind}/{self.year}: {self.last}"


class Matter(models.Model):
    """One supervised item on the ledger (督查事项)."""

    office = models.ForeignKey(
        "org.Unit", verbose_name="督查机构", on_delete=models.PROTECT, related_name="matters"
    )
    year = models.PositiveSmallIntegerField("年度")
    number = models.CharField("事项编号", max_length=64, blank=True)
    title = models.CharField("事项名称", max_length=200)
    content = models.TextField("内容及要求")
    source = models.CharField("事项来源", max_length=16, choices=Source.choices)
    category = models.CharField("督查类别", max_length=16, choices=Category.choices)
    priority = models.CharField(
        "重要程度", max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    supervising_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="分管领导",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_matters",
    )
    # Source details (each source fills its own).
    meeting_name = models.CharField("会议名称", max_length=200, blank=True)
    meeting_date = models.DateField("会议日期", null=True, blank=True)
    instructing_leader = models.CharField("批示领导", max_length=50, blank=True)
    instruction_text = models.TextField("批示内容", blank=True)
    received_on = models.DateField("收到日期", null=True, blank=True)
    result_required = models.BooleanField("要求报送结果", default=False)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    doc_issuer = models.CharField("发文机关", max_length=100, blank=True)
    # Deadlines: the stated one, and the one computed on approval.
    stated_deadline = models.DateField("明确的完成时限", null=True, blank=True)
    due_date = models.DateField("完成时限", null=True, blank=True, db_index=True)
    long_term = models.BooleanField("长期跟踪", default=False)
    tags = models.JSONField("标签", default=list, blank=True)
    status = models.CharField(
        "状态", max_length=24, choices=MatterStatus.choices, default=MatterStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    approved_at = models.DateTimeField("立项时间", null=True, blank=True)
    assign_due = models.DateField("交办时限", null=True, blank=True)
    assigned_at = models.DateTimeField("交办时间", null=True, blank=True)
    assigned_on_time = models.BooleanField("按时交办", null=True, blank=True)
    cancel_reason = models.TextField("撤销原因", blank=True)
    cancel_requested_at = models.DateTimeField("申请撤销时间", null=True, blank=True)
    cancel_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    light = models.CharField(
        "亮灯", max_length=8, choices=Light.choices, default=Light.NONE, blank=True, db_index=True
    )
    reported_at = models.DateTimeField("呈报时间", null=True, blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)
    last_reviewed_year = models.PositiveSmallIntegerField("最近年终评估年度", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "督查事项"
        verbose_name_plural = verbose_name
        ordering = ["-year", "-id"]
        indexes = [
            models.Index(fields=["office", "status", "year"]),
            # The 工作台's lists and counts by status over every office, in their order.
            models.Index(fields=["status", "id"], name="matter_status_id"),
            models.Index(fields=["status", "closed_at"], name="matter_status_closed"),
            # The ledger's status × light tabs counted from the index alone (one GROUP BY
            # over 200,000 matters read the whole table on SQLite: 1.6 s).
            models.Index(fields=["status", "light", "year"], name="matter_status_light_year"),
            # 统计分析 by year: the year's matters without reading the others.
            models.Index(fields=["year"], name="matter_year"),
            models.Index(
                fields=["cancel_requested_at"],
                condition=models.Q(cancel_requested_at__isnull=False),
                name="matter_cancel_requested",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "number"],
                condition=~models.Q(number=""),
                name="matter_unique_number_per_office",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number or '（未编号）'} {self.title}"


class Assignment(models.Model):
    """The part of a matter given to one lead unit (承办任务: 定责任单位、人、时限、标准)."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="assignments")
    task = models.TextField("任务内容")
    lead_unit = models.ForeignKey(
        "org.Unit",
        verbose_name="牵头单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_assignments",
    )
    responsible_leader = models.CharField("责任领导", max_length=50, blank=True)
    responsible_person = models.CharField("责任人", max_length=50, blank=True)
    responsible_phone = models.CharField("责任人电话", max_length=20, blank=True)
    due_date = models.DateField("完成时限", null=True, blank=True, db_index=True)
    due_override_reason = models.CharField("超出事项时限的理由", max_length=255, blank=True)
    indicator_name = models.CharField("指标名称", max_length=100, blank=True)
    indicator_target = models.DecimalField(
        "目标值", max_digits=14, decimal_places=2, null=True, blank=True
    )
    indicator_unit = models.CharField("计量单位", max_length=20, blank=True)
    progress_requirement = models.TextField("进度要求", blank=True)
    report_cycle = models.CharField(
        "反馈周期", max_length=16, choices=ReportCycle.choices, default=ReportCycle.MONTHLY
    )
    status = models.CharField(
        "状态", max_length=24, choices=AssignmentStatus.choices, default=AssignmentStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    assigned_at = models.DateTimeField("交办时间", null=True, blank=True)
    sign_due = models.DateField("签收时限", null=True, blank=True)
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_reason = models.TextField("退回理由", blank=True)
    # The deadline at 交办; ``due_date`` moves only by approved extensions and 续办.
    original_due_date = models.DateField("原定完成时限", null=True, blank=True)
    next_report_due = models.DateField("下次反馈时限", null=True, blank=True, db_index=True)
    # The next day a reminder about this task fires (see ``luoshi.reminders.schedule``); the
    # daily sweep reads only the tasks whose day has come.
    next_remind_on = models.DateField("下次提醒日期", null=True, blank=True, db_index=True)
    completion_requested_at = models.DateTimeField("申请办结时间", null=True, blank=True)
    completed_at = models.DateTimeField("办结时间", null=True, blank=True)
    light = models.CharField(
        "亮灯", max_length=8, choices=Light.choices, default=Light.NONE, blank=True, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "承办任务"
        verbose_name_plural = verbose_name
        ordering = ["matter_id", "id"]
        indexes = [
            # A unit's tasks by status and light, in deadline order, read from the index
            # alone (the task list counts and pages them; the unit's 工作台).
            models.Index(
                fields=["lead_unit", "status", "light", "due_date", "id"],
                name="assignment_unit_lists",
            ),
            # The 工作台: red and yellow tasks by deadline; tasks waiting for verification.
            models.Index(fields=["light", "due_date", "id"], name="assignment_light_due"),
            models.Index(
                fields=["status", "completion_requested_at"], name="assignment_status_requested"
            ),
            # Running tasks whose report is overdue (反馈逾期), per lead unit, from the index.
            models.Index(
                fields=["status", "next_report_due", "lead_unit"], name="assignment_late_reports"
            ),
            # 统计分析 and the monthly circular: tasks 交办 or 办结 in a period, by month.
            models.Index(fields=["assigned_at"], name="assignment_assigned_at"),
            models.Index(fields=["completed_at"], name="assignment_completed_at"),
        ]

    def __str__(self) -> str:
        return f"{self.matter.title} · {self.lead_unit or '（未定牵头单位）'}"


class CoUnit(models.Model):
    """A co-unit (配合单位) of an assignment; it signs for its own part."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="co_units")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="co_assignments")
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    extended = models.BooleanField("延伸督查增加", default=False)
    reason = models.CharField("增加理由", max_length=255, blank=True)

    class Meta:
        verbose_name = "配合单位"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["assignment", "unit"], name="counit_unique")]
        indexes = [
            # A unit's co-operating tasks from the index alone.
            models.Index(fields=["unit", "assignment"], name="counit_unit_assignment"),
            # Its parts still to sign (工作台).
            models.Index(
                fields=["unit"], condition=models.Q(signed_at__isnull=True), name="counit_unsigned"
            ),
        ]

    def __str__(self) -> str:
        return str(self.unit)


class Milestone(models.Model):
    """A step on the assignment's roadmap (路线图/时间表)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="milestones")
    due_date = models.DateField("节点时间")
    deliverable = models.CharField("节点目标", max_length=255)
    reached_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "节点"
        verbose_name_plural = verbose_name
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"{self.due_date} {self.deliverable}"


ACTION_LABELS = {
    "create": "新建事项",
    "update": "修改事项",
    "submit": "提交审批",
    "approve": "审批立项",
    "reject": "退回修改",
    "assignment_add": "分解任务",
    "assignment_remove": "删除任务",
    "assign": "交办",
    "sign": "签收",
    "return": "退回",
    "reassign": "重新交办",
    "overrule": "不同意退回",
    "co_sign": "配合单位签收",
    "extend": "延伸督查",
    "all_signed": "全部签收，转入办理",
    "cancel": "撤销",
    "cancel_request": "申请撤销",
    "cancel_refuse": "不同意撤销",
    "report_submit": "报送办理情况",
    "report_head_approve": "单位负责人审核通过",
    "report_head_return": "单位负责人退回反馈",
    "report_accept": "采纳办理情况",
    "report_return": "退回办理情况",
    "co_report_submit": "配合单位报送",
    "co_report_return": "牵头单位退回配合材料",
    "extension_request": "申请延期",
    "extension_office_approve": "督查室同意延期",
    "extension_approve": "批准延期",
    "extension_reject": "不同意延期",
    "extension_withdraw": "撤回延期申请",
    "request_completion": "申请办结",
    "verify": "核查通过",
    "verify_return": "核查退回",
    "onsite_check": "实地核查",
    "all_completed": "全部办结，待呈报",
    "follow": "随任务状态变化",
    "report_to_leader": "呈报领导",
    "close": "销号",
    "continue": "续办",
    "archive": "归档",
    "year_review": "年终评估",
    "urge": "催办",
    "urge_notice": "发出督办通知",
    "urge_reply": "回复催办",
    "urge_accept": "催办办结",
    "urge_return": "退回催办回复",
    "urge_cancel": "撤回催办",
}


class MatterTally(models.Model):
    """How many matters have a year, source, category, priority, status and light: the
    ledger's status and light tabs over a whole province without counting 200,000 matters
    (``luoshi.ledger.tally``). Kept by triggers on ledger_matter (migration 0010,
    ``luoshi.core.tallies``); a combination's count is the sum of ``n`` (PostgreSQL appends
    changes and folds them from time to time)."""

    year = models.PositiveSmallIntegerField("年度")
    source = models.CharField("事项来源", max_length=16)
    category = models.CharField("督查类别", max_length=16)
    priority = models.CharField("重要程度", max_length=16)
    status = models.CharField("状态", max_length=24)
    light = models.CharField("亮灯", max_length=8, blank=True)
    n = models.BigIntegerField("事项数")
    folded = models.BooleanField("已归并", db_default=False)

    class Meta:
        verbose_name = "事项计数"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.year} {self.status} {self.light or '—'}: {self.n}"


class MatterEvent(models.Model):
    """Append-only history of a matter and its assignments: who did what, when, from, to."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="events")
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField("操作", max_length=32)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    comment = models.TextField("说明", blank=True)
    changes = models.JSONField("变更", default=dict, blank=True)

    class Meta:
        verbose_name = "事项记录"
        verbose_name_plural = verbose_name
        ordering = ["at", "id"]
        # 统计分析's 退回率: the office's reviews per task, counted from the index alone.
        indexes = [
            models.Index(
                fields=["assignment", "action"],
                condition=models.Q(action__in=["report_accept", "report_return"]),
                name="event_task_reviews",
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("事项记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("事项记录只能追加，不能删除。")

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def to_label(self) -> str:
        labels: type = AssignmentStatus if self.assignment_id else MatterStatus
        # Events about a report or an extension carry that record's status.
        if "report" in self.changes or "extension" in self.changes:
            from luoshi.followup.states import ExtensionStatus, ReportStatus

            labels = ReportStatus if "report" in self.changes else ExtensionStatus
        try:
            return str(labels(self.to_status).label)
        except ValueError:
            return self.to_status


class SavedFilter(models.Model):
    """A user's named ledger filter (the query string of the ledger page)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField("名称", max_length=50)
    query = models.CharField("筛选条件", max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "常用筛选"
        verbose_name_plural = verbose_name
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="savedfilter_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
