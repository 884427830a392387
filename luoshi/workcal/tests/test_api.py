import pytest

pytestmark = pytest.mark.django_db


def test_it_adds_workdays_through_the_api(client, users) -> None:
    client.force_login(users["liaison_a"])
    r = client.get("/api/v1/calendar/add-workdays/", {"start": "2025-09-30", "days": 1})
    assert r.status_code == 200
    assert r.json() == {"date": "2025-10-09"}
    r = client.get("/api/v1/calendar/add-workdays/", {"start": "2026-02-10", "days": 15})
    assert r.json() == {"date": "2026-03-09"}


def test_it_answers_400_for_an_unknown_year(client, users) -> None:
    client.force_login(users["office"])
    r = client.get("/api/v1/calendar/add-workdays/", {"start": "2027-03-01", "days": 3})
    assert r.status_code == 400
    assert "2027 年的节假日安排尚未录入" in r.json()["detail"]
    assert r.json()["year"] == 2027
    assert r.json()["code"] == "calendar_year_missing"


def test_it_answers_400_for_bad_input(client, users) -> None:
    client.force_login(users["office"])
    r = client.get("/api/v1/calendar/add-workdays/", {"start": "2026-13-01", "days": "x"})
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "invalid"
    assert "日期格式应为 YYYY-MM-DD" in body["errors"]["start"][0]
    assert "整数" in body["errors"]["days"][0]


def test_it_counts_and_checks_days(client, users) -> None:
    client.force_login(users["office"])
    r = client.get(
        "/api/v1/calendar/workdays-between/", {"start": "2025-09-30", "end": "2025-10-09"}
    )
    assert r.json() == {"workdays": 1}
    r = client.get("/api/v1/calendar/is-workday/", {"date": "2026-02-28"})
    assert r.json() == {"date": "2026-02-28", "workday": True}


def test_it_requires_login(client, calendar_seeded) -> None:
    r = client.get("/api/v1/calendar/add-workdays/", {"start": "2025-09-30", "days": 1})
    assert r.status_code == 403
