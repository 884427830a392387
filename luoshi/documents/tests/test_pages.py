"""The pages, downloads, API and the public site, through the Django test client."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from luoshi.documents import convert, services
from luoshi.documents.models import OfficialDocument
from luoshi.documents.tests.conftest import make_doc


@pytest.fixture
def as_user(client, users, now):
    def login(name: str):
        client.force_login(users[name])
        return client

    return login


def test_it_lists_creates_edits_issues_and_publishes(as_user, users, units, draft) -> None:
    c = as_user("office")
    page = c.get("/documents/")
    assert page.status_code == 200 and draft.title in page.content.decode()
    assert c.get("/documents/?kind=brief").content.decode().count(draft.title) == 0
    r = c.post("/documents/new/", {"template": "blank", "kind": "brief"})
    new = OfficialDocument.objects.exclude(pk=draft.pk).get()
    assert r.status_code == 302 and r["Location"] == f"/documents/{new.pk}/edit/"
    r = c.post("/documents/new/", {"template": "monthly", "period": "2026-13"})
    assert r.status_code == 400 and "有效" in r.content.decode()
    r = c.post("/documents/new/", {"template": "brief", "matter": "督〔2026〕9999号"})
    assert "找不到该督查事项" in r.content.decode()

    edit = c.get(f"/documents/{draft.pk}/edit/")
    assert "表格（由数据生成，只读）" in edit.content.decode()
    form = {"version": draft.version, "title": "", "organ": "清河市人民政府督查室",
            "body": "新的正文。", "recipients": "", "signature": "", "copies": "", "printer": ""}  # fmt: skip
    r = c.post(f"/documents/{draft.pk}/edit/", form)
    assert r.status_code == 400 and "请填写标题" in r.content.decode()
    assert "新的正文。" in r.content.decode()  # the input is kept
    form["title"] = "修改后的标题"
    r = c.post(f"/documents/{draft.pk}/edit/", form)
    assert r.status_code == 302
    r = c.post(f"/documents/{draft.pk}/edit/", form)  # the old version again
    assert r.status_code == 409 and "刷新" in r.content.decode()
    draft.refresh_from_db()
    detail = c.get(f"/documents/{draft.pk}/").content.decode()
    assert "修改后的标题" in detail and "（签发时编号）" in detail
    r = c.post(f"/documents/{draft.pk}/issue/", {"version": draft.version}, follow=True)
    assert "已签发，编号 〔2026〕第1期。" in r.content.decode()
    draft.refresh_from_db()
    c.post(f"/documents/{draft.pk}/publish/", {"version": draft.version})
    assert OfficialDocument.objects.get(pk=draft.pk).status == "published"


def test_it_downloads_with_the_chinese_file_name(as_user, draft, monkeypatch) -> None:
    c = as_user("observer")
    r = c.get(f"/documents/{draft.pk}/file.docx")
    assert r.status_code == 200 and r.content.startswith(b"PK")
    disposition = r["Content-Disposition"]
    assert disposition.startswith('attachment; filename="document-')
    assert f"filename*=UTF-8''{quote(draft.title)}.docx" in disposition
    monkeypatch.setattr(convert, "soffice", lambda: None)
    r = c.get(f"/documents/{draft.pk}/file.pdf")
    assert r.status_code == 503 and "未安装 LibreOffice" in r.content.decode()


def test_it_keeps_other_roles_out(as_user, users, draft) -> None:
    for name in ("liaison_a", "head_b"):
        c = as_user(name)
        assert c.get("/documents/").status_code == 403
        assert c.get(f"/documents/{draft.pk}/").status_code == 403
        assert c.get(f"/api/v1/documents/{draft.pk}/").status_code == 404
    c = as_user("observer")
    assert c.get(f"/documents/{draft.pk}/").status_code == 200
    assert "签发" not in c.get(f"/documents/{draft.pk}/").content.decode().split("doc-actions")[1]
    assert c.get("/documents/new/").status_code == 403
    assert c.get(f"/documents/{draft.pk}/edit/").status_code == 403
    assert c.post(f"/documents/{draft.pk}/issue/").status_code == 403
    assert c.post(f"/api/v1/documents/{draft.pk}/issue/", {}).status_code == 403
    assert OfficialDocument.objects.get(pk=draft.pk).status == "draft"


def test_it_shows_the_public_only_what_is_published(client, users, units, published) -> None:
    draft = make_doc(users, units, title="尚未签发的草稿")
    issued = make_doc(users, units, title="已签发未公开的通报")
    services.document_issue(users["office"], issued)
    index = client.get("/public/")
    assert index.status_code == 200
    html = index.content.decode()
    assert published.title in html and published.number in html
    assert draft.title not in html and issued.title not in html
    assert "陈志远" not in html
    r = client.get(f"/public/{published.pk}/")
    assert r.status_code == 200 and "各单位高度重视" in r.content.decode()
    assert "/ledger/" not in r.content.decode()
    docx = client.get(f"/public/{published.pk}/file.docx")
    assert docx.status_code == 200 and docx.content == bytes(
        OfficialDocument.objects.get(pk=published.pk).docx_file or b""
    )
    for doc in (draft, issued):
        assert client.get(f"/public/{doc.pk}/").status_code == 404
        assert client.get(f"/public/{doc.pk}/file.docx").status_code == 404
    assert client.get("/documents/").status_code == 302  # the office pages need a login
    services.document_unpublish(users["office"], published)
    assert client.get(f"/public/{published.pk}/").status_code == 404


def test_it_works_through_the_api(as_user, users, units, now) -> None:
    c = as_user("office")
    r = c.post("/api/v1/documents/", {"template": "monthly", "year": 2026, "month": 11},
               content_type="application/json")  # fmt: skip
    assert r.status_code == 201, r.content
    doc = r.json()
    assert doc["kind"] == "circular" and doc["number"] == "" and doc["status"] == "draft"
    url = f"/api/v1/documents/{doc['id']}/"
    r = c.patch(url, {"title": "API 修改的标题", "version": doc["version"]},
                content_type="application/json")  # fmt: skip
    assert r.status_code == 200 and r.json()["title"] == "API 修改的标题"
    r = c.patch(url, {"title": "过期", "version": doc["version"]}, content_type="application/json")
    assert r.status_code == 409
    r = c.post(url + "issue/", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["number"] == "〔2026〕第1期"
    assert c.post(url + "publish/", {}, content_type="application/json").json()["status"] == (
        "published"
    )
    assert c.post(url + "unpublish/").json()["status"] == "issued"
    r = c.get(url + "download/docx/")
    assert r.status_code == 200 and r.content.startswith(b"PK")
    listed = c.get("/api/v1/documents/?kind=circular&year=2026").json()
    assert listed["count"] == 1
    obs = as_user("observer")
    assert obs.get(url).status_code == 200
    assert obs.patch(url, {"title": "x"}, content_type="application/json").status_code == 403
    schema = c.get("/api/schema/").content.decode()
    assert "/api/v1/documents/{id}/issue/" in schema


def test_it_offers_brief_and_notice_on_the_matter_page(as_user, users, units, now) -> None:
    from luoshi.ledger.tests.factories import make_matter

    matter = make_matter(users, units, title="老旧小区改造", assigned=True)
    c = as_user("office")
    page = c.get(f"/ledger/{matter.pk}/").content.decode()
    assert f"/documents/new/?template=brief&amp;matter={matter.pk}" in page
    new = c.get(f"/documents/new/?template=notice&matter={matter.pk}").content.decode()
    assert f'value="{matter.number}"' in new
    r = c.post("/documents/new/", {"template": "notice", "matter": matter.number})
    doc = OfficialDocument.objects.get()
    assert r.status_code == 302 and doc.kind == "notice" and doc.matter_id == matter.pk
    assert "生成督查专报" not in as_user("observer").get(f"/ledger/{matter.pk}/").content.decode()


def test_it_prints_an_urging_notice_in_the_same_layout(as_user, users, units, now) -> None:
    import io

    from docx import Document

    from luoshi.ledger.services import assignment_sign
    from luoshi.ledger.tests.factories import make_matter
    from luoshi.urging.services import urging_issue

    matter = make_matter(users, units, title="老旧小区改造", assigned=True)
    a = matter.assignments.get()
    assignment_sign(users["liaison_a"], a)
    n = urging_issue(users["office"], a, unit=units["市住房和城乡建设局"],
                     text="请加快改造进度，说明滞后原因。", kind="notice")  # fmt: skip
    c = as_user("liaison_a")
    assert f"/documents/urging/{n.pk}/file.docx" in c.get(f"/urging/{n.pk}/").content.decode()
    r = c.get(f"/documents/urging/{n.pk}/file.docx")
    assert r.status_code == 200
    texts = [p.text for p in Document(io.BytesIO(r.content)).paragraphs]
    assert n.number in texts and "市住房和城乡建设局：" in texts
    assert "请加快改造进度，说明滞后原因。" in texts
    assert as_user("liaison_b").get(f"/documents/urging/{n.pk}/file.docx").status_code == 404
