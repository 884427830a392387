"""督查公文: 督查通报, 督查专报 and 督办通知, drafted from data, edited, signed off (签发:
numbered and frozen, its DOCX and PDF stored) and published on the public site."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from luoshi.documents.states import DocKind, DocStatus

USER = settings.AUTH_USER_MODEL


class OfficialDocument(models.Model):
    office = models.ForeignKey(
        "org.Unit", verbose_name="督查机构", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("文种", max_length=16, choices=DocKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    # Drawn at 签发 only, so drafts never burn numbers.
    seq = models.PositiveIntegerField("期号", null=True, blank=True)
    number = models.CharField("编号", max_length=64, blank=True)
    title = models.CharField("标题", max_length=200)
    organ = models.CharField("发文机关", max_length=100)
    issue_date = models.DateField("成文日期", null=True, blank=True)
    recipients = models.TextField("主送", blank=True)
    copies = models.TextField("抄送", blank=True)
    body = models.TextField("正文", blank=True)
    # {"header": [...], "rows": [[...], ...]}: the table placed at the 【表格】 line.
    table = models.JSONField("表格", default=dict, blank=True)
    signature = models.CharField("落款", max_length=100, blank=True)
    printer = models.CharField("印发机关", max_length=100, blank=True)
    print_date = models.DateField("印发日期", null=True, blank=True)
    matter = models.ForeignKey(
        "ledger.Matter",
        verbose_name="督查事项",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    period_year = models.PositiveSmallIntegerField("通报年度", null=True, blank=True)
    period_month = models.PositiveSmallIntegerField("通报月份", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=DocStatus.choices, default=DocStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    docx_file = models.BinaryField("DOCX", null=True, blank=True, editable=False)
    pdf_file = models.BinaryField("PDF", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    issued_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField("签发时间", null=True, blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    published_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "督查公文"
        verbose_name_plural = verbose_name
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["status", "issue_date"], name="document_status_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind", "year", "seq"],
                condition=models.Q(seq__isnull=False),
                name="document_unique_seq",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number or '（未编号）'} {self.title}"

    @property
    def kind_label(self) -> str:
        return str(DocKind(self.kind).label)

    @property
    def frozen(self) -> bool:
        return self.status != DocStatus.DRAFT
