import pytest
from django.core.management import call_command

from luoshi.ledger.models import Matter
from luoshi.ledger.states import MatterStatus

pytestmark = pytest.mark.django_db


def test_it_seeds_matters_in_several_states_once(calendar_seeded, now, capsys) -> None:
    call_command("seed_demo")
    assert "账户 12 个，事项 9 项，公开通报 1 期" in capsys.readouterr().out
    from luoshi.documents.models import OfficialDocument

    circular = OfficialDocument.objects.get()  # this month's, issued and on the public site
    assert circular.status == "published" and circular.number == "〔2026〕第1期"
    states = sorted(Matter.objects.values_list("status", flat=True))
    assert states == sorted(
        [
            MatterStatus.IN_PROGRESS,
            MatterStatus.ASSIGNED,
            MatterStatus.PENDING_APPROVAL,
            MatterStatus.DRAFT,
            MatterStatus.IN_PROGRESS,  # a report waiting for the office
            MatterStatus.IN_PROGRESS,  # overdue: red
            MatterStatus.IN_PROGRESS,  # an extension to decide
            MatterStatus.PENDING_VERIFICATION,
            MatterStatus.REPORTED,
        ]
    )
    from luoshi.followup.models import ExtensionRequest, ProgressReport

    assert ExtensionRequest.objects.filter(status="pending_office").count() == 1
    assert ProgressReport.objects.filter(status="pending_review").count() == 1
    lights = sorted(Matter.objects.exclude(light="").values_list("light", flat=True))
    assert lights.count("red") == 1 and "green" in lights
    call_command("seed_demo")
    assert "新增单位 0 个，账户 0 个，事项 0 项，公开通报 0 期" in capsys.readouterr().out
    call_command("seed_demo", "--if-empty")
    assert "跳过" in capsys.readouterr().out


def test_it_refuses_outside_demo_mode(settings, calendar_seeded) -> None:
    from django.core.management.base import CommandError

    settings.LUOSHI_DEMO = False
    with pytest.raises(CommandError, match="LUOSHI_DEMO=1"):
        call_command("seed_demo")


def test_it_seeds_the_first_matters_when_next_year_is_missing(calendar_seeded, capsys) -> None:
    import time_machine

    with time_machine.travel("2026-12-21 09:30 +0800", tick=False):
        call_command("seed_demo")
    assert "事项 4 项" in capsys.readouterr().out
