"""Importing a 责任分解表: every problem listed with its row, all or nothing, only once."""

from datetime import date

import pytest

from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.ledger.models import Assignment, Matter
from luoshi.ledger.states import MatterStatus
from luoshi.sheets import services
from luoshi.sheets.models import SheetImport
from luoshi.sheets.tests.conftest import HEADER, decomposition, xlsx


def upload(users, data: bytes, *, source: str = "work_report", year: int = 2026) -> SheetImport:
    return services.import_upload(users["office"], data=data, filename="分解表.xlsx",
                                  year=year, source=source, category="decision")  # fmt: skip


def test_it_imports_a_decomposition_as_drafts(users, units, now) -> None:
    batch = upload(users, decomposition())
    assert batch.error_count == 0, batch.plan
    assert batch.matter_count == 2
    created = services.import_apply(users["office"], batch)
    first, second = Matter.objects.filter(pk__in=created).order_by("id")
    assert first.status == MatterStatus.DRAFT
    assert (first.title, first.source, first.category) == ("推进老旧小区改造", "work_report",
                                                           "decision")  # fmt: skip
    assert first.stated_deadline == date(2026, 6, 30) and not first.long_term
    a1, a2 = first.assignments.order_by("id")
    assert a1.lead_unit == units["市住房和城乡建设局"]
    assert {c.unit.name for c in a1.co_units.all()} == {"市财政局", "市发展和改革委员会"}
    assert (a1.task, a1.responsible_leader, a1.responsible_person, a1.due_date) == (
        "完成 20 个小区改造", "孙立军", "赵敏", date(2026, 6, 30))  # fmt: skip
    assert (a2.lead_unit, a2.due_date) == (units["市财政局"], date(2026, 6, 30))
    assert second.long_term and second.assignments.get().due_date is None
    batch.refresh_from_db()
    assert batch.status == SheetImport.Status.APPLIED
    with pytest.raises(ServiceError, match="不能重复导入"):
        services.import_apply(users["office"], batch)
    assert Matter.objects.count() == 2


def test_it_lists_every_problem_and_saves_nothing(users, units, now) -> None:
    rows = [
        ["2026年重点工作"],
        HEADER,
        [1, "甲事项", "任务一", "住建局", "市财政厅", "某", "某", "尽快"],
        [None, None, "任务二", "", "", "某", "某", "2026年2月30日"],
        [2, "", "任务三", "市水利局", "市水利局", "某", "某", "长期"],
        [3, "乙事项", "任务四", "市水利局", "", "某", "某", "2026-12-31"],
    ]
    batch = upload(users, xlsx(rows, ("A1:H1", "A3:A4", "B3:B4")))
    problems = [(p["row"], p["column"], p["message"])
                for m in batch.plan["matters"] for p in m["problems"]]  # fmt: skip
    assert problems == [
        (3, "牵头单位", "未找到单位“住建局”，您是不是要找：市住房和城乡建设局？"),
        (3, "配合单位", "未找到单位“市财政厅”，您是不是要找：市财政局？"),
        (3, "完成时限", "无法识别完成时限“尽快”，请写成日期（如 2026-06-30、2026年6月底前）或“长期”。"),
        (4, "牵头单位", "请填写牵头单位。"),
        (4, "完成时限", "日期“2026年2月30日”不存在。"),
        (5, "事项名称", "请填写事项名称。"),
        (5, "配合单位", "配合单位“市水利局”与牵头单位相同。"),
    ]  # fmt: skip
    assert batch.error_count == 7
    assert batch.plan["matters"][0]["problems"][0]["suggestions"] == ["市住房和城乡建设局"]
    with pytest.raises(ServiceError, match="7 处问题，未导入任何事项"):
        services.import_apply(users["office"], batch)
    assert Matter.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == SheetImport.Status.PREVIEWED  # the refusal rolled back the claim


def test_it_reports_what_the_ledger_services_refuse(users, units, now) -> None:
    """会议议定 needs the meeting's name and date: the preview says so, from the services."""
    rows = [
        [*HEADER[:4], "来源", *HEADER[4:]],
        [1, "甲事项", "任务", "市水利局", "会议议定：市政府常务会议", "", "某", "某", "年底前"],
        [2, "乙事项", "任务", "市水利局", "会议议定：市政府常务会议（2026年11月20日）", "",
         "某", "某", "年底前"],
        [3, "丙事项", "任务", "市水利局", "道听途说", "", "某", "某", "年底前"],
    ]  # fmt: skip
    batch = upload(users, xlsx(rows))
    messages = [[p["message"] for p in m["problems"]] for m in batch.plan["matters"]]
    assert messages[0] == ["来源为“会议议定”时须填写会议日期。"]
    assert messages[1] == []
    assert messages[2][0].startswith("无法识别事项来源“道听途说”")
    assert Matter.objects.count() == 0  # the check's trial run left nothing behind
    assert Assignment.objects.count() == 0


def test_it_stores_a_deadline_in_a_year_the_calendar_does_not_know(users, units, now) -> None:
    rows = [HEADER, [1, "远期事项", "任务", "市水利局", "", "某", "某", "6月底前"]]
    batch = upload(users, xlsx(rows), year=2029)
    assert batch.error_count == 0, batch.plan
    [pk] = services.import_apply(users["office"], batch)
    matter = Matter.objects.get(pk=pk)
    assert matter.year == 2029  # the sheet's year, not the year of the upload
    assert matter.assignments.get().due_date == date(2029, 6, 30)


def test_it_refuses_bad_files_others_and_discards(users, units, now) -> None:
    with pytest.raises(ServiceError, match="内容与扩展名不符") as caught:
        upload(users, b"hello")
    assert caught.value.field == "file"
    with pytest.raises(NotPermitted):
        services.import_upload(users["inspector"], data=decomposition(), filename="x.xlsx",
                               year=2026, source="other", category="decision")  # fmt: skip
    batch = upload(users, decomposition())
    with pytest.raises(NotPermitted):
        services.import_apply(users["inspector"], batch)
    services.import_discard(users["office"], batch)
    with pytest.raises(ServiceError, match="不能重复导入"):
        services.import_apply(users["office"], batch)
    assert Matter.objects.count() == 0
