"""A long history: the matter page shows its latest entries, the whole one link away."""

import re

import pytest

from luoshi.followup import timeline
from luoshi.followup.services import reports
from luoshi.ledger.models import Matter
from luoshi.ledger.selectors import visible_assignments

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(users, running):
    """A report returned and corrected twice: a dozen entries on the timeline."""
    report = reports.report_submit(
        users["liaison_a"], running, text="第一次报送本期的办理情况。", progress=10
    )
    for i in range(2):
        reports.report_return(users["head_a"], report, f"请补充第{i + 1}项材料。")
        reports.report_resubmit(
            users["liaison_a"], report, text=f"第{i + 1}次补充本期的办理情况。", progress=20
        )
    return Matter.objects.get(pk=running.matter_id)


def keys(entries):
    return [(e.at, e.kind, e.label, e.text, e.outcome) for e in entries]


def test_it_shows_the_latest_entries_the_same_as_the_whole_history_ends(
    users, history, monkeypatch
) -> None:
    monkeypatch.setattr(timeline, "RECENT", 4)
    office = users["office"]
    tasks = visible_assignments(office, history)
    whole = timeline.entries(office, history, tasks)
    got = timeline.context(office, history, tasks)
    assert len(whole) > 4
    assert keys(got["timeline"]) == keys(whole[-4:])
    assert (got["timeline_total"], got["timeline_hidden"]) == (len(whole), len(whole) - 4)
    everything = timeline.context(office, history, tasks, whole=True)
    assert keys(everything["timeline"]) == keys(whole)
    assert everything["timeline_hidden"] == 0


def test_the_matter_page_links_to_the_whole_history(client, users, history, monkeypatch) -> None:
    monkeypatch.setattr(timeline, "RECENT", 4)
    client.force_login(users["office"])
    page = client.get(f"/ledger/{history.pk}/").content.decode()
    total = len(timeline.entries(users["office"], history,
                                 visible_assignments(users["office"], history)))  # fmt: skip
    assert f"共 {total} 条记录，以下为最近 4 条。" in page
    assert 'href="?timeline=all#timeline"' in page
    assert len(re.findall(r'<li class="tl-', page)) == 4
    whole = client.get(f"/ledger/{history.pk}/?timeline=all").content.decode()
    assert 'data-testid="timeline-more"' not in whole
    assert len(re.findall(r'<li class="tl-', whole)) == total
