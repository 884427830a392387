"""挂图作战: bar, original deadline, milestones and today at the right percentages."""

from datetime import date

import pytest

from luoshi.followup import timeline
from luoshi.followup.services import extensions, reports
from luoshi.ledger import services
from luoshi.ledger.models import Matter
from luoshi.ledger.selectors import visible_assignments
from luoshi.ledger.tests.factories import make_matter

pytestmark = pytest.mark.django_db

REASON = "受汛期施工条件限制，主体工程需顺延，申请延期以保证质量。"


def pct(d: date, lo: date = date(2026, 11, 10), span: int = 51) -> str:
    return f"{2 + 96 * (d - lo).days / span:.2f}"


def gantt_for(user, matter):
    matter = Matter.objects.get(pk=matter.pk)
    return timeline.chart(visible_assignments(user, matter), date(2026, 11, 23))


@pytest.fixture
def charted(users, units, clock):
    """Assigned Mon Nov 23, due Dec 15 then extended to Dec 31; milestones Nov 10 (missed),
    Dec 1 (reached early, through an accepted report) and Dec 20 (ahead)."""
    office = users["office"]
    matter = make_matter(users, units, title="挂图事项")
    a = matter.assignments.get()
    services.assignment_remove(office, a)
    services.assignment_add(
        office, matter, task="老旧小区改造", lead_unit=units["市住房和城乡建设局"],
        responsible_leader="某局长", responsible_person="某科长", due_date=date(2026, 12, 15),
        progress_requirement="每月报送",
        milestones=[(date(2026, 11, 10), "完成摸底"), (date(2026, 12, 1), "完成招标"),
                    (date(2026, 12, 15), "开工")],
    )  # fmt: skip
    services.matter_submit(office, matter)
    services.matter_approve(users["vleader"], matter)
    services.matter_assign(office, matter)
    a = matter.assignments.exclude(status="cancelled").get()
    services.assignment_sign(users["liaison_a"], a)
    dec1 = a.milestones.get(deliverable="完成招标")
    report = reports.report_submit(users["head_a"], a, text="施工招标工作已经全部完成。", progress=30,
                                   milestones=[dec1.pk])  # fmt: skip
    reports.report_accept(office, report)
    ext = extensions.extension_request(users["liaison_a"], a, date(2026, 12, 31), REASON)
    extensions.extension_approve(office, ext)
    extensions.extension_approve(users["vleader"], ext)
    return matter


def test_it_places_the_bar_the_original_deadline_milestones_and_today(users, charted) -> None:
    g = gantt_for(users["office"], charted)
    assert g is not None
    assert (g.start, g.end) == (date(2026, 11, 10), date(2026, 12, 31))
    (bar,) = g.bars
    assert bar.left == pct(date(2026, 11, 23)) == "26.47"
    assert float(bar.width) == pytest.approx(98 - 26.47, abs=0.01)
    assert bar.original_left == pct(date(2026, 12, 15)) == "67.88"
    assert g.today_left == bar.left  # assigned today
    assert [(m.left, m.state) for m in bar.markers] == [
        ("2.00", "overdue"),
        (pct(date(2026, 12, 1)), "reached"),
        (pct(date(2026, 12, 15)), "upcoming"),
    ]
    assert bar.tone == "green"
    assert "原定 2026-12-15" in bar.label and "绿灯" in bar.label
    assert [(t.left, t.label) for t in g.ticks] == [(pct(date(2026, 12, 1)), "2026年12月")]


def test_it_colours_bars_by_light_and_greys_completed_ones(users, units, clock) -> None:
    from luoshi.ledger import lights

    matter = make_matter(users, units, assigned=True)
    a = matter.assignments.get()
    services.assignment_sign(users["liaison_a"], a)
    clock.move_to("2027-01-04 09:00 +0800")  # past the deadline: red
    lights.refresh_matter(Matter.objects.get(pk=matter.pk))
    g = gantt_for(users["office"], matter)
    assert g is not None and g.bars[0].tone == "red"
    type(a).objects.filter(pk=a.pk).update(status="completed")
    g = gantt_for(users["office"], matter)
    assert g is not None and g.bars[0].tone == "done"


def test_it_has_no_chart_before_anything_is_assigned(users, units, clock) -> None:
    assert gantt_for(users["office"], make_matter(users, units)) is None


def test_a_unit_charts_only_its_own_tasks(users, units, clock) -> None:
    matter = make_matter(users, units)
    services.assignment_add(
        users["office"], matter, task="监测水质", lead_unit=units["市生态环境局"],
        responsible_leader="吴国平", responsible_person="周婷", due_date=date(2026, 12, 20),
        progress_requirement="每月报送",
    )  # fmt: skip
    services.matter_submit(users["office"], matter)
    services.matter_approve(users["vleader"], matter)
    services.matter_assign(users["office"], matter)
    office = gantt_for(users["office"], matter)
    ecology = gantt_for(users["liaison_b"], matter)
    assert office is not None and ecology is not None
    assert [b.unit for b in office.bars] == ["市住房和城乡建设局", "市生态环境局"]
    assert [b.unit for b in ecology.bars] == ["市生态环境局"]
    assert ecology.end == date(2026, 12, 20)  # the other unit's deadline does not stretch it
