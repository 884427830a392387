"""The dashboard page, its Excel export and the API over the hand-built dataset."""

import io

import openpyxl
import pytest
from django.urls import reverse


@pytest.fixture
def as_user(client, users, now):
    def log_in(username: str):
        client.force_login(users[username])
        return client

    return log_in


def test_it_shows_the_figures_and_the_ranking(office_client, data) -> None:
    response = office_client.get(reverse("stats:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="kpi-on_time-percent"' in html
    assert "66.7%" in html and "80%" in html and "40%" in html
    assert html.index('data-unit="' + str(data["E1"].lead_unit_id)) < html.index(
        'data-unit="' + str(data["H1"].lead_unit_id)
    )
    assert "vendor/echarts/echarts.min.js" in html
    assert 'id="stats-data"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=abc", "年度应为四位数字。"),
        ("year=2026&period=custom", "自定义期间请填写交办起止日期。"),
        ("year=2026&period=custom&date_from=2026-10-31&date_to=2026-10-01",
         "截止日期不能早于起始日期。"),
        ("year=2026&unit=999999", "所选单位不存在或已停用。"),
        ("year=2026&period=h1", "期间只能是全年、季度、月份或自定义。"),
    ],
)  # fmt: skip
def test_it_explains_bad_filters_in_chinese(office_client, query, message) -> None:
    response = office_client.get(f"{reverse('stats:dashboard')}?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "kpi-completion" not in html


def test_it_applies_a_month(office_client, data) -> None:
    html = office_client.get(f"{reverse('stats:dashboard')}?year=2026&period=m10").content
    assert "交办于 2026-10-01 至 2026-10-31" in html.decode()


@pytest.mark.parametrize("username", ["office", "inspector", "leader", "observer"])
def test_it_is_open_to_oversight(as_user, demo, username) -> None:
    assert as_user(username).get(reverse("stats:dashboard")).status_code == 200


@pytest.mark.parametrize("username", ["liaison_a", "head_b", "sysadmin"])
def test_it_is_closed_to_units_and_admins(as_user, demo, username) -> None:
    client = as_user(username)
    assert client.get(reverse("stats:dashboard")).status_code == 403
    assert client.get(reverse("stats:export")).status_code == 403
    response = client.get("/api/v1/stats/")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_it_exports_the_figures_to_excel(office_client, data) -> None:
    response = office_client.get(f"{reverse('stats:export')}?year=2026")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["总体", "按单位", "月度趋势", "分类统计"]
    overall = book["总体"]
    assert overall["A1"].value == "督查督办统计 · 总体情况"
    assert overall.freeze_panes == "A4"
    rows = {r[0]: r[1:4] for r in overall.iter_rows(min_row=4, values_only=True)}
    assert rows["办结率"] == (50.0, 3, 6)
    assert rows["按期办结率"] == (66.7, 2, 3)
    assert rows["退回率"] == (40.0, 2, 5)
    ranking = list(book["按单位"].iter_rows(min_row=4, values_only=True))
    assert [r[1] for r in ranking] == ["市生态环境局", "市住房和城乡建设局"]
    assert ranking[0][2:6] == (2, 1, 1, 50.0)
    october = next(r for r in book["月度趋势"].iter_rows(min_row=4, values_only=True)
                   if r[0] == "10月")  # fmt: skip
    assert october == ("10月", 4, 0, 0, 7, 0)
    kinds = {(r[0], r[1]): r[2] for r in book["分类统计"].iter_rows(min_row=4, values_only=True)}
    assert kinds[("事项来源", "领导批示")] == 1
    assert kinds[("事项状态", "已销号")] == 3


def test_it_refuses_a_bad_export_with_the_form(office_client) -> None:
    response = office_client.get(f"{reverse('stats:export')}?year=1999")
    assert response.status_code == 400
    assert "年度不能早于 2000 年。" in response.content.decode()


def test_it_serves_the_figures_as_json(office_client, data, units) -> None:
    response = office_client.get("/api/v1/stats/", {"year": 2026})
    assert response.status_code == 200
    body = response.json()
    assert body["overall"]["tasks"] == 6
    assert body["overall"]["on_time"] == {"numerator": 2, "denominator": 3, "percent": 66.7}
    assert body["overall"]["returned"]["percent"] == 40.0
    assert [u["unit_name"] for u in body["by_unit"]] == ["市生态环境局", "市住房和城乡建设局"]
    assert body["by_unit"][0]["report_on_time"]["percent"] == 0.0
    status = {b["key"]: b["count"] for b in body["totals"]["status"]}
    assert status["closed"] == 3
    assert body["trend"]["year"] == 2026
    assert body["trend"]["months"][9]["assigned"] == 4
    assert body["lights"] == {"red": 2, "yellow": 0, "green": 1}
    october = office_client.get(
        "/api/v1/stats/",
        {"year": 2026, "from": "2026-10-01", "to": "2026-10-31",
         "unit": units["市生态环境局"].pk},
    ).json()  # fmt: skip
    assert october["scope"]["from"] == "2026-10-01"
    assert october["overall"]["tasks"] == 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "x"}, "年度应为四位数字。"),
        ({"from": "2026-13-01"}, "起始日期格式应为 YYYY-MM-DD。"),
        ({"from": "2026-10-31", "to": "2026-10-01"}, "截止日期不能早于起始日期。"),
        ({"leader": "abc"}, "所选分管领导不存在。"),
    ],
)
def test_the_api_refuses_bad_filters_in_chinese(office_client, query, message) -> None:
    response = office_client.get("/api/v1/stats/", query)
    assert response.status_code == 400
    assert response.json()["detail"] == message


def test_the_schema_documents_the_endpoint(office_client) -> None:
    response = office_client.get("/api/schema/")
    assert "/api/v1/stats/" in response.content.decode()
