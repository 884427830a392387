from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose official schedule (法定节假日与调休) is known.

    Only published years are used for working-day arithmetic; a draft year is being
    entered and is not trusted yet, so dates in it raise rather than guess.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("录入中")
        PUBLISHED = "published", _("已发布")

    year = models.PositiveSmallIntegerField("年份", primary_key=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField("来源", max_length=100, blank=True)
    note = models.CharField("说明", max_length=255, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "日历年份"
        verbose_name_plural = verbose_name
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


class CalendarDay(models.Model):
    """A day that differs from the plain rule (Mon–Fri work, Sat–Sun rest)."""

    date = models.DateField("日期", unique=True)
    year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    kind = models.CharField("类型", max_length=16, choices=DayKind.choices)
    name = models.CharField("节日", max_length=50, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = verbose_name
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"
