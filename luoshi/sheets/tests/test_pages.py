"""The import pages: who may use them, the upload form's errors, preview, confirm once."""

from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.ledger.models import Matter
from luoshi.sheets.models import SheetImport
from luoshi.sheets.tests.conftest import HEADER, decomposition, xlsx


def post_file(client, data: bytes, name: str = "分解表.xlsx"):
    upload = SimpleUploadedFile(name, data)
    return client.post("/sheets/import/", {"file": upload, "year": 2026,
                                           "source": "work_report", "category": "decision"})  # fmt: skip


def test_it_is_for_the_office_admin_only(client, users, now) -> None:
    for name in ("inspector", "leader", "liaison_a"):
        client.force_login(users[name])
        assert client.get("/sheets/import/").status_code == 403
    client.force_login(users["office"])
    page = client.get("/sheets/import/").content.decode()
    assert 'value="2026"' in page and "上传并检查" in page


def test_it_shows_a_bad_file_on_the_form_and_keeps_nothing(client, users, now) -> None:
    client.force_login(users["office"])
    page = post_file(client, b"not a workbook", "x.xlsx").content.decode()
    assert "“x.xlsx”的内容与扩展名不符" in page
    assert SheetImport.objects.count() == 0


def test_it_previews_problems_without_a_confirm_button(client, users, units, now) -> None:
    client.force_login(users["office"])
    rows = [HEADER, [1, "甲事项", "任务", "住建局", "", "某", "某", "尽快"]]
    response = post_file(client, xlsx(rows))
    batch = SheetImport.objects.get()
    assert response["Location"] == f"/sheets/import/{batch.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "共发现 2 处问题" in page
    assert "第 2 行“牵头单位”：未找到单位“住建局”，您是不是要找：市住房和城乡建设局？" in page
    assert "第 2 行“完成时限”：无法识别完成时限“尽快”" in page
    assert "确认导入" not in page
    page = client.post(f"/sheets/import/{batch.pk}/confirm/", follow=True).content.decode()
    assert "2 处问题，未导入任何事项" in page
    assert Matter.objects.count() == 0


def test_it_confirms_once_and_discards(client, users, units, now) -> None:
    client.force_login(users["office"])
    post_file(client, decomposition())
    batch = SheetImport.objects.get()
    page = client.get(f"/sheets/import/{batch.pk}/").content.decode()
    assert "检查通过：2 个事项" in page and "确认导入" in page
    page = client.post(f"/sheets/import/{batch.pk}/confirm/", follow=True).content.decode()
    assert "已导入 2 个事项（草稿）" in page
    page = client.post(f"/sheets/import/{batch.pk}/confirm/", follow=True).content.decode()
    assert "该批次已导入或已放弃，不能重复导入。" in page
    assert Matter.objects.count() == 2
    post_file(client, decomposition())
    second = SheetImport.objects.exclude(pk=batch.pk).get()
    client.post(f"/sheets/import/{second.pk}/discard/")
    second.refresh_from_db()
    assert second.status == SheetImport.Status.DISCARDED
    client.force_login(users["inspector"])
    assert client.get(f"/sheets/import/{batch.pk}/").status_code == 403
