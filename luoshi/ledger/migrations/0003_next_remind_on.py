from datetime import date

from django.db import migrations, models


def look_at_open_tasks_next_sweep(apps, schema_editor):
    # Tasks that existed before reminders get their schedule from the first sweep.
    Assignment = apps.get_model("ledger", "Assignment")
    Assignment.objects.filter(status__in=["pending_sign", "in_progress"]).update(
        next_remind_on=date.today()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0002_followup_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="next_remind_on",
            field=models.DateField(
                blank=True, db_index=True, null=True, verbose_name="下次提醒日期"
            ),
        ),
        migrations.RunPython(look_at_open_tasks_next_sweep, migrations.RunPython.noop),
    ]
