"""红黄绿灯 on the ledger, the task list and the matter page: badges, counts and filters."""

import re
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi.ledger.templatetags.lights import light_badge
from luoshi.workbench.tests.scenario import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel("2026-11-23 09:30 +0800", tick=False) as traveller:
        yield traveller


def get(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def row_lights(html: str, attr: str) -> dict[int, str]:
    """{pk: light} of each table row marked ``data-<attr>``."""
    found = re.findall(rf'<tr data-{attr}="(\d+)">(.*?)</tr>', html, re.S)
    out = {}
    for pk, row in found:
        light = re.search(r'data-testid="light" data-light="(\w*)"', row)
        assert light, row
        out[int(pk)] = light.group(1)
    return out


def test_the_badge_says_the_light_in_words_and_shape() -> None:
    red = str(light_badge("red", "任务"))
    assert 'class="light light-red"' in red and "红灯" in red and "■" in red
    assert '<span class="sr">任务亮灯：</span>' in red
    assert "未亮灯" in str(light_badge(""))
    assert "未亮灯" in str(light_badge("bogus"))


def test_the_ledger_shows_each_matters_light_and_counts_them(client, users, scene) -> None:
    html = get(client, users["office"], "/ledger/")
    lights = row_lights(html, "matter")
    assert lights[scene["red"].matter_id] == "red"
    assert lights[scene["yellow"].matter_id] == "yellow"
    assert lights[scene["head"].matter_id] == "green"
    assert lights[scene["to_approve"].pk] == ""
    tabs = re.search(r'data-testid="light-counts">(.*?)</nav>', html, re.S)
    assert tabs
    counts = re.findall(r'data-light="(\w+)"[^>]*>.*?<b>(\d+)</b>', tabs.group(1), re.S)
    # Matters: one red; the late report, the near deadline and 环境局's task are yellow.
    assert counts == [("red", "1"), ("yellow", "3"), ("green", "8")]


def test_the_ledger_filters_by_light_and_keeps_the_other_filters(client, users, scene) -> None:
    html = get(client, users["office"], "/ledger/?light=yellow")
    assert set(row_lights(html, "matter").values()) == {"yellow"}
    assert len(row_lights(html, "matter")) == 3
    # Counting the lights ignores the chosen light but keeps the other filters.
    html = get(client, users["office"], "/ledger/?light=yellow&q=临期")
    assert len(row_lights(html, "matter")) == 1
    tabs = re.search(r'data-testid="light-counts">(.*?)</nav>', html, re.S)
    assert tabs and re.findall(r"<b>(\d+)</b>", tabs.group(1)) == ["0", "1", "0"]
    assert 'href="?q=%E4%B8%B4%E6%9C%9F"' in tabs.group(1)  # clicking it again clears it
    # The status tabs count within the chosen light.
    status = re.search(r'data-testid="status-counts">(.*?)</nav>', html, re.S)
    assert status and "办理中 <b>1</b>" in status.group(1)


def test_the_api_filters_matters_by_light(client, users, scene) -> None:
    client.force_login(users["office"])
    data = client.get("/api/v1/matters/?light=red").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [m["light"] for m in rows] == ["red"]


def test_the_ledger_counts_lights_in_a_fixed_number_of_queries(client, users, units,
                                                               clock) -> None:  # fmt: skip
    make_task(users, units, "第一项", date(2026, 12, 31))
    client.force_login(users["office"])
    with CaptureQueriesContext(connection) as few:
        client.get("/ledger/")
    for i in range(5):
        make_task(users, units, f"更多事项{i}", date(2026, 11, 25))
    with CaptureQueriesContext(connection) as many:
        client.get("/ledger/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_task_list_filters_by_light_unit_and_late_reports(client, users, units,
                                                              scene) -> None:  # fmt: skip
    html = get(client, users["office"], "/tasks/")
    everything = row_lights(html, "assignment")
    assert everything[scene["red"].pk] == "red"
    assert everything[scene["closed"].pk] == ""  # completed: no light
    red = row_lights(get(client, users["office"], "/tasks/?light=red"), "assignment")
    assert list(red) == [scene["red"].pk]
    ecology = units["市生态环境局"].pk
    html = get(client, users["office"], f"/tasks/?unit={ecology}&light=yellow")
    assert list(row_lights(html, "assignment")) == [scene["other"].pk]
    assert "牵头单位：市生态环境局" in html
    late = row_lights(get(client, users["office"], "/tasks/?late=1"), "assignment")
    assert list(late) == [scene["late"].pk]
    # A unit's list is its own, whatever the filter asks for.
    unit = get(client, users["liaison_b"], f"/tasks/?unit={units['市住房和城乡建设局'].pk}")
    assert row_lights(unit, "assignment") == {}
    # Nonsense filters are ignored, not errors.
    assert get(client, users["liaison_a"], "/tasks/?light=purple&unit=x&status=nope")


def test_the_matter_page_lights_each_task_and_the_chart(client, users, scene) -> None:
    matter_id = scene["red"].matter_id
    html = get(client, users["liaison_a"], f"/ledger/{matter_id}/")
    assert row_lights(html, "assignment") == {scene["red"].pk: "red"}
    gantt = re.search(r'data-testid="gantt"(.*?)</section>', html, re.S)
    assert gantt and 'data-light="red"' in gantt.group(1)
    assert 'data-tone="red"' in gantt.group(1)
    assert 'data-testid="timeline"' in html
