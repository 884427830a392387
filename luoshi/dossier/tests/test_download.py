"""Who may download 一事一档, from the page and the API: those who see the whole matter get
the ZIP; a unit that sees only its task gets a Chinese 403; anyone else a 404."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

import pytest
from rest_framework.test import APIClient

from luoshi.ledger import services
from luoshi.ledger.tests.factories import make_matter

pytestmark = pytest.mark.django_db
NAME = "一事一档_督〔2026〕0001号.zip"
REFUSED = "只有督查室、分管领导和监督部门可以下载"


@pytest.fixture
def running(users, units, now, no_office):
    """市住建局's signed task (市财政局 co-operating); no PDF, so no LibreOffice run."""
    matter = make_matter(users, units, title="老旧小区改造", assigned=True)
    services.assignment_sign(users["liaison_a"], matter.assignments.get())
    return matter


def _entries(response) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("office", 200),
        ("inspector", 200),
        ("vleader", 200),  # the supervising leader
        ("observer", 200),
        ("liaison_a", 403),  # the lead unit sees only its task
        ("head_a", 403),
        ("liaison_b", 404),  # another unit
        ("sysadmin", 404),
    ],
)
def test_it_lets_those_who_see_the_whole_matter_download(client, users, running, username,
                                                         status) -> None:  # fmt: skip
    client.force_login(users[username])
    r = client.get(f"/matters/{running.pk}/dossier.zip")
    assert r.status_code == status
    if status == 200:
        assert r["Content-Type"] == "application/zip"
        assert r["Content-Disposition"] == (
            f"attachment; filename=\"dossier-{running.pk}.zip\"; filename*=UTF-8''{quote(NAME)}"
        )
        assert r["Cache-Control"] == "private, no-store"
        names = _entries(r)
        assert {"事项概要.docx", "说明.txt", "事项记录.xlsx", "事项记录.csv", "清单.txt"} <= set(
            names
        )
    if status == 403:
        assert REFUSED in r.content.decode()


def test_it_sends_the_anonymous_to_log_in(client, running) -> None:
    r = client.get(f"/matters/{running.pk}/dossier.zip")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_the_matter_page_shows_the_link_only_to_those_allowed(client, users, running) -> None:
    url = f"/matters/{running.pk}/dossier.zip"
    client.force_login(users["office"])
    page = client.get(f"/ledger/{running.pk}/").content.decode()
    assert f'href="{url}"' in page and "一事一档（ZIP）" in page
    client.force_login(users["liaison_a"])
    page = client.get(f"/ledger/{running.pk}/").content.decode()
    assert url not in page


@pytest.mark.parametrize(
    ("username", "status"),
    [("observer", 200), ("liaison_a", 403), ("liaison_b", 404), (None, 403)],
)
def test_the_api_answers_the_same(users, running, username, status) -> None:
    api = APIClient()
    if username:
        api.force_authenticate(users[username])
    r = api.get(f"/api/v1/matters/{running.pk}/dossier/")
    assert r.status_code == status
    if status == 200:
        assert r["Content-Type"] == "application/zip"
        assert f"filename*=UTF-8''{quote(NAME)}" in r["Content-Disposition"]
        assert "事项概要.docx" in _entries(r)
        # A client that asks for a ZIP by name gets it, and errors still come as JSON.
        r = api.get(f"/api/v1/matters/{running.pk}/dossier/", HTTP_ACCEPT="application/zip")
        assert (r.status_code, r["Content-Type"]) == (200, "application/zip")
        r = api.get("/api/v1/matters/999999/dossier/", HTTP_ACCEPT="application/zip")
        assert (r.status_code, r["Content-Type"]) == (404, "application/json")
        assert r.json()["detail"]
    elif username == "liaison_a":
        assert r.json()["code"] == "forbidden" and REFUSED in r.json()["detail"]
    elif username == "liaison_b":
        assert r.json()["detail"]


def test_the_api_schema_documents_a_binary_zip(users, now) -> None:
    api = APIClient()
    api.force_authenticate(users["office"])
    schema = api.get("/api/schema/?format=json").json()
    op = schema["paths"]["/api/v1/matters/{id}/dossier/"]["get"]
    assert op["responses"]["200"]["content"]["application/zip"]["schema"] == {
        "type": "string",
        "format": "binary",
    }
    assert {"403", "404"} <= set(op["responses"])
