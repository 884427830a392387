"""Seed the calendar with the official schedules shipped in ``chinesecalendar``."""

from django.db import migrations


def seed(apps, schema_editor):
    from luoshi.workcal.seed import package_schedule, package_source

    CalendarYear = apps.get_model("workcal", "CalendarYear")
    CalendarDay = apps.get_model("workcal", "CalendarDay")
    existing = set(CalendarYear.objects.values_list("year", flat=True))
    for year, rows in sorted(package_schedule().items()):
        if year in existing:
            continue
        cy = CalendarYear.objects.create(year=year, status="published", source=package_source())
        CalendarDay.objects.bulk_create(
            CalendarDay(date=d, year=cy, kind=kind, name=name) for d, kind, name in rows
        )


class Migration(migrations.Migration):
    dependencies = [("workcal", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
