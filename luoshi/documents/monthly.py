"""The monthly 督查通报: 一、总体情况 (the month's and the year's figures), 二、各单位办理情况
(the table by unit, best first), 三、点名通报 (units with tasks overdue, each task and its days
overdue), 四、表扬 (units whose every task due in the month was completed on time, none
overdue), 五、下步要求 (standard text the office edits)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from luoshi.core.errors import ServiceError
from luoshi.documents.models import OfficialDocument
from luoshi.documents.services import document_create
from luoshi.documents.states import DocKind
from luoshi.ledger.filters import on_time_q, open_overdue_q
from luoshi.ledger.models import Assignment
from luoshi.ledger.states import AssignmentStatus as A
from luoshi.org.models import Unit
from luoshi.stats.figures import Figures, Scope, overall, summary

TABLE_HEADER = ["序号", "单位", "任务数", "已办结", "办结率", "按期办结率", "逾期"]
REQUIREMENTS = [
    "五、下步要求",
    "（一）压实工作责任。各单位要对照任务清单逐项梳理，主要负责同志要亲自过问，"
    "确保各项任务按时保质完成。",
    "（二）加快整改落实。被点名通报的单位要认真分析原因，制定整改措施，"
    "于5个工作日内将整改情况书面报送市政府督查室。",
    "（三）强化督查问责。市政府督查室将持续跟踪督办，对整改不力、"
    "仍然逾期的单位，按规定予以约谈并纳入年度考核。",
]


@dataclass(frozen=True)
class Overdue:
    unit: str
    matter: str
    task: str
    due: date
    days: int


def month_bounds(year: int, month: int) -> tuple[date, date]:
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ServiceError("请选择有效的年份和月份。", field="period")
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _tasks(office: Unit) -> Any:
    return Assignment.objects.filter(matter__office=office, lead_unit__isnull=False).exclude(
        status__in=[A.DRAFT, A.CANCELLED]
    )


def overdue_tasks(office: Unit, as_of: date) -> list[Overdue]:
    """Tasks still open past their deadline on ``as_of``, most overdue first."""
    rows = (
        _tasks(office)
        .filter(open_overdue_q(as_of))
        .values("lead_unit__name", "lead_unit__order", "matter__title", "task", "due_date")
        .order_by("due_date", "lead_unit__order", "id")
    )
    return [
        Overdue(r["lead_unit__name"], r["matter__title"], r["task"], r["due_date"],
                (as_of - r["due_date"]).days)
        for r in rows
    ]  # fmt: skip


def praised_units(office: Unit, start: date, end: date, as_of: date) -> list[str]:
    """Units with tasks due in the month, every one completed by its deadline, and no task
    overdue on ``as_of``."""
    due = _tasks(office).filter(due_date__gte=start, due_date__lte=min(end, as_of))
    with_due = set(due.values_list("lead_unit_id", flat=True))
    failed = set(due.exclude(on_time_q()).values_list("lead_unit_id", flat=True))
    overdue = set(
        _tasks(office).filter(open_overdue_q(as_of)).values_list("lead_unit_id", flat=True)
    )
    ids = with_due - failed - overdue
    return list(Unit.objects.filter(pk__in=ids).order_by("depth", "order", "id").values_list(
        "name", flat=True
    ))  # fmt: skip


def _pct(f: Figures, name: str) -> str:
    return str(getattr(f, name).display)


def _overall_line(label: str, f: Figures) -> str:
    if not f.tasks:
        return f"{label}，没有纳入督办的任务。"
    return (
        f"{label}，纳入督办的任务{f.tasks}项，已办结{f.completed}项，"
        f"办结率{_pct(f, 'completion')}，"
        f"按期办结率{_pct(f, 'on_time')}；逾期{f.overdue}项，逾期率{_pct(f, 'overdue_rate')}。"
    )


def circular_content(user: Any, office: Unit, year: int, month: int) -> dict[str, Any]:
    start, end = month_bounds(year, month)
    today = timezone.localdate()
    if start > today:
        raise ServiceError("不能通报尚未开始的月份。", field="period")
    as_of = min(end, today)
    month_figs = overall(Scope(user, date_from=start, date_to=end), as_of)
    year_scope = Scope(user, date_from=date(year, 1, 1), date_to=as_of)
    year_figs, units = summary(year_scope, as_of)  # one count for both (they agree)
    overdue = overdue_tasks(office, as_of)
    praised = praised_units(office, start, end, as_of)
    lines = [
        f"为推动重点工作落地落实，现将{year}年{month}月份督查督办情况通报如下。",
        "一、总体情况",
        _overall_line(f"{month}月份新交办", month_figs),
        _overall_line(f"{year}年1月至{month}月累计", year_figs),
        "二、各单位办理情况",
        f"截至{as_of.month}月{as_of.day}日，各牵头单位办理情况见下表（按按期办结率排序）。"
        if units
        else "暂无各单位办理数据。",
        "【表格】",
        "三、点名通报",
    ]
    if overdue:
        by_unit_names: dict[str, list[Overdue]] = {}
        for o in overdue:
            by_unit_names.setdefault(o.unit, []).append(o)
        lines.append(
            f"截至{as_of.month}月{as_of.day}日，以下{len(by_unit_names)}个单位有任务逾期未办结，"
            "予以点名通报："
        )
        for i, (unit, items) in enumerate(by_unit_names.items(), 1):
            tasks = "；".join(f"“{o.matter}”（时限{o.due.month}月{o.due.day}日，逾期{o.days}天）"
                             for o in items)  # fmt: skip
            lines.append(f"{i}．{unit}：{tasks}。")
    else:
        lines.append(f"截至{as_of.month}月{as_of.day}日，没有逾期未办结的任务。")
    lines.append("四、表扬")
    if praised:
        lines.append(f"{'、'.join(praised)}本月到期任务全部按期办结、无逾期任务，予以通报表扬。")
    else:
        lines.append("本月没有到期任务全部按期办结且无逾期任务的单位。")
    lines += REQUIREMENTS
    rows = [
        [str(i), u.unit_name, str(u.tasks), str(u.completed), u.completion.display,
         u.on_time.display, str(u.overdue)]
        for i, u in enumerate(units, 1)
    ]  # fmt: skip
    return {
        "body": "\n".join(lines),
        "table": {"header": TABLE_HEADER, "rows": rows},
        "overdue": overdue,
        "praised": praised,
    }


@transaction.atomic
def circular_for_month(actor: Any, office: Unit, year: int, month: int) -> OfficialDocument:
    content = circular_content(actor, office, year, month)
    return document_create(
        actor,
        office,
        DocKind.CIRCULAR,
        title=f"关于{year}年{month}月份重点工作督查情况的通报",
        recipients="各区县人民政府，市政府各部门",
        body=content["body"],
        table=content["table"],
        period_year=year,
        period_month=month,
    )
