from datetime import date

import pytest

from luoshi.core.errors import NotPermitted, ServiceError
from luoshi.workcal import calendar, services
from luoshi.workcal.calendar import CalendarYearMissing
from luoshi.workcal.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db(transaction=True)


def enter_2027(actor) -> None:
    services.calendar_year_create(actor, 2027, "国办发明电〔2026〕示例")
    services.calendar_days_set(actor, date(2027, 1, 1), date(2027, 1, 3), "holiday", "元旦")
    services.calendar_days_set(actor, date(2027, 2, 6), date(2027, 2, 13), "holiday", "春节")
    services.calendar_days_set(actor, date(2027, 2, 14), date(2027, 2, 14), "workday", "春节")


def test_it_keeps_a_draft_year_out_of_the_arithmetic(users) -> None:
    enter_2027(users["office"])
    with pytest.raises(CalendarYearMissing):
        calendar.is_workday(date(2027, 2, 8))
    services.calendar_year_set_status(users["office"], 2027, CalendarYear.Status.PUBLISHED)
    assert calendar.is_workday(date(2027, 2, 8)) is False
    assert calendar.is_workday(date(2027, 2, 14)) is True  # Sunday worked
    assert calendar.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_it_refuses_bad_entries_and_keeps_what_was_saved(users) -> None:
    office = users["office"]
    enter_2027(office)
    before = CalendarDay.objects.filter(year_id=2027).count()
    with pytest.raises(ServiceError, match="本来就是工作日"):
        services.calendar_days_set(office, date(2027, 3, 1), date(2027, 3, 2), "workday", "")
    with pytest.raises(ServiceError, match="不能早于"):
        services.calendar_days_set(office, date(2027, 3, 2), date(2027, 3, 1), "holiday", "")
    with pytest.raises(ServiceError, match="尚未建立"):
        services.calendar_days_set(office, date(2028, 1, 1), date(2028, 1, 1), "holiday", "")
    with pytest.raises(ServiceError, match="已存在"):
        services.calendar_year_create(office, 2027)
    assert CalendarDay.objects.filter(year_id=2027).count() == before


def test_it_refuses_to_publish_an_empty_year(users) -> None:
    services.calendar_year_create(users["office"], 2028)
    with pytest.raises(ServiceError, match="不能发布"):
        services.calendar_year_set_status(users["office"], 2028, "published")


def test_it_lets_only_editors_change_the_calendar(users) -> None:
    with pytest.raises(NotPermitted):
        services.calendar_year_create(users["liaison_a"], 2027)
    with pytest.raises(NotPermitted):
        services.calendar_days_set(
            users["auditor"], date(2026, 12, 31), date(2026, 12, 31), "holiday", ""
        )


def test_it_reloads_after_an_edit(users) -> None:
    assert calendar.is_workday(date(2026, 12, 31)) is True
    services.calendar_days_set(
        users["sysadmin"], date(2026, 12, 31), date(2026, 12, 31), "holiday", "示例"
    )
    assert calendar.is_workday(date(2026, 12, 31)) is False
    services.calendar_day_delete(users["sysadmin"], date(2026, 12, 31))
    assert calendar.is_workday(date(2026, 12, 31)) is True


def test_it_seeds_idempotently_without_touching_edits(users) -> None:
    CalendarDay.objects.filter(date=date(2026, 10, 8)).delete()
    services.calendar_days_set(
        users["office"], date(2026, 10, 8), date(2026, 10, 8), "holiday", "补"
    )
    assert services.calendar_seed_from_package() == []
    assert CalendarDay.objects.get(date=date(2026, 10, 8)).name == "补"
