"""工作台, 我的待办, 亮灯情况 and 我分管的事项 through the test client: per role, scoped, and in
a bounded number of queries."""

import re
from datetime import date

import pytest

from luoshi.accounts.services import role_grant, user_create
from luoshi.ledger.models import Matter
from luoshi.workbench.tests.scenario import build, make_task

pytestmark = pytest.mark.django_db

# url → {username: status}
ACCESS = {
    "/": {"office": 200, "vleader": 200, "liaison_a": 200, "observer": 200, "sysadmin": 200},
    "/work/": {"office": 200, "vleader": 200, "liaison_a": 200, "head_b": 200},
    "/lights/": {"office": 200, "inspector": 200, "leader": 200, "observer": 200,
                 "liaison_a": 403, "head_a": 403, "sysadmin": 403},
    "/my-matters/": {"vleader": 200, "leader": 200, "office": 403, "observer": 403,
                     "liaison_a": 403},
}  # fmt: skip
# The most queries each page may make, whatever the amount of data.
# Each includes one read of the security policy (session limits, password age).
# Fixed whatever the data. /lights/ and /tasks/ ask whether the user's scope is the whole
# unit tree; then they read the kept tallies (workbench.tally) instead of counting, and
# /lights/ counts the overdue reports on their own; it reads the units' names after.
MAX_QUERIES = {"/": 24, "/work/": 20, "/lights/": 10, "/my-matters/": 11, "/tasks/": 10}


def page(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def cell(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"><a href="([^"]*)"><span class="value">(\d+)', html)
    assert found, testid
    return f"{found.group(2)} {found.group(1)}"


@pytest.mark.parametrize("url", sorted(ACCESS))
def test_each_role_reaches_only_its_pages(client, users, scene, url) -> None:
    for username, code in ACCESS[url].items():
        client.force_login(users[username])
        assert client.get(url).status_code == code, username


def test_the_office_workbench_counts_and_links(client, users, scene) -> None:
    html = page(client, users["office"], "/")
    assert cell(html, "work-to-review") == "1 /work/#work-to-review"
    assert cell(html, "work-to-verify") == "1 /tasks/?status=pending_verification"
    assert cell(html, "work-red") == "1 /tasks/?light=red"
    assert cell(html, "lights-yellow") == "3 /tasks/?light=yellow"
    assert cell(html, "lights-green") == "8 /tasks/?light=green"
    assert cell(html, "lights-late") == "1 /tasks/?late=1"
    # The short list links straight to the task where the report is reviewed.
    assert f'<a href="/tasks/{scene["review"].pk}/">待审核反馈事项</a>' in html
    assert 'href="/lights/"' in html


def test_the_unit_workbench_shows_its_own_lists(client, users, scene) -> None:
    html = page(client, users["head_a"], "/")
    assert cell(html, "work-head-review") == "1 /work/#work-head-review"
    assert cell(html, "work-overdue") == "1 /tasks/?light=red"
    assert 'data-light="red"' in html and "红灯事项" in html
    assert "环境局事项" not in html
    assert "亮灯情况" not in html  # counts per unit are for oversight


def test_the_leader_workbench_and_his_matters_red_first(client, users, scene) -> None:
    html = page(client, users["vleader"], "/")
    assert cell(html, "work-to-close") == "1 /ledger/?status=reported"
    assert cell(html, "mine-red") == "1 /my-matters/"
    mine = page(client, users["vleader"], "/my-matters/")
    rows = re.findall(r'<tr data-matter="\d+">\s*<td class="nowrap"><span class="light '
                      r'light-(\w+)', mine)  # fmt: skip
    assert rows[:4] == ["red", "yellow", "yellow", "yellow"]
    assert set(rows[4:]) <= {"green", "none"}
    assert "待归档事项" not in mine  # closed: off his list


def test_my_work_lists_everything_with_the_same_ids(client, users, scene) -> None:
    html = page(client, users["office"], "/work/")
    for testid in ("work-to-review", "work-ext-office", "work-to-report", "work-to-archive",
                   "work-cancel-requests", "work-red", "work-yellow", "work-year-review"):  # fmt: skip
        assert f'id="{testid}" data-testid="{testid}"' in html
    assert "督查室待办" in html
    liaison = page(client, users["liaison_a"], "/work/")
    assert "被退回的反馈" in liaison and "请补充" not in liaison
    assert "单位待办" in liaison and "督查室待办" not in liaison


def test_the_lights_page_counts_per_unit_with_links(client, users, units, scene) -> None:
    html = page(client, users["observer"], "/lights/")
    housing = units["市住房和城乡建设局"].pk
    row = re.search(rf'<tr data-unit="{housing}">(.*?)</tr>', html, re.S)
    assert row
    numbers = re.findall(r">(\d+)</a>", row.group(1))
    assert numbers == ["11", "1", "2", "8", "1"]  # open, red, yellow, green, late reports
    assert f'href="/tasks/?unit={housing}&amp;light=red"' in row.group(1)
    assert f'href="/tasks/?unit={housing}&amp;late=1"' in row.group(1)
    # Worst first: 住建局 (one red) before 生态环境局 (one yellow).
    assert html.index(f'data-unit="{housing}"') < html.index(
        f'data-unit="{units["市生态环境局"].pk}"'
    )
    total = re.search(r'data-testid="unit-lights-total">(.*?)</tr>', html, re.S)
    assert total and re.findall(r">(\d+)</a>", total.group(1)) == ["12", "1", "3", "8", "1"]


def test_a_district_leader_sees_only_the_matters_he_supervises(client, users, units,
                                                                scene) -> None:  # fmt: skip
    dleader, _ = user_create(None, username="dleader", name="王区长", unit=units["东湖区"],
                             password="Luoshi@2026x")  # fmt: skip
    role_grant(None, dleader, "leader", units["东湖区"])
    Matter.objects.filter(pk=scene["other"].matter_id).update(supervising_leader=dleader)
    html = page(client, dleader, "/lights/")
    assert re.findall(r'<tr data-unit="(\d+)">', html) == [str(units["市生态环境局"].pk)]
    mine = page(client, dleader, "/my-matters/")
    assert "环境局事项" in mine and "红灯事项" not in mine
    assert "待审批事项" not in page(client, dleader, "/work/")


@pytest.mark.parametrize("url", sorted(MAX_QUERIES))
def test_pages_make_a_bounded_number_of_queries(client, users, units, clock, scene,
                                                django_assert_max_num_queries, url) -> None:  # fmt: skip
    user = users["vleader"] if url == "/my-matters/" else users["office"]
    client.force_login(user)
    with django_assert_max_num_queries(MAX_QUERIES[url]):
        assert client.get(url).status_code == 200
    build(users, units, clock)  # twice the matters in every state
    for i in range(6):
        make_task(users, units, f"更多待签收{i}", date(2026, 12, 31), sign=False)
    with django_assert_max_num_queries(MAX_QUERIES[url]):
        assert client.get(url).status_code == 200
    if url == "/":
        client.force_login(users["head_a"])
        with django_assert_max_num_queries(MAX_QUERIES[url]):
            assert client.get(url).status_code == 200
