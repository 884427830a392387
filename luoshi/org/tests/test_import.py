import io

import pytest
from openpyxl import Workbook

from luoshi.accounts.models import User
from luoshi.org import importing
from luoshi.org.models import ImportBatch, Unit

pytestmark = pytest.mark.django_db


def workbook(unit_rows, user_rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "单位"
    ws.append(importing.UNIT_HEADERS)
    for row in unit_rows:
        ws.append(row)
    us = wb.create_sheet("用户")
    us.append(importing.USER_HEADERS)
    for row in user_rows:
        us.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


GOOD = workbook(
    [
        ["市数据局", "数据局", "部门", "清河市人民政府", 30],
        ["数据资源科", "", "内设机构", "清河市人民政府/市数据局", 1],
        ["东湖区数据局", "", "部门", "东湖区", 5],
        ["市教育局", "", "部门", "清河市人民政府", 11],  # exists: skipped
    ],
    [
        ["wangwu", "王五", "市数据局", "科长", "13900000000"],
        ["qianliu", "钱六", "数据资源科", "", ""],
        ["sunqi", "孙七", "市教育局", "", ""],
    ],
)

BAD = workbook(
    [
        ["", "", "部门", "清河市人民政府", ""],
        ["市新局", "", "处室", "不存在的单位", "x"],
    ],
    [
        ["office", "重名", "市教育局", "", ""],
        ["ab", "", "市教育局", "", "phone!"],
        ["newbie", "新人", "财政局", "", ""],
    ],
)


def test_it_previews_every_problem(demo) -> None:
    plan = importing.check_plan(importing.parse_workbook(BAD))
    unit_errors = [e for r in plan.units for e in r["errors"]]
    user_errors = [e for r in plan.users for e in r["errors"]]
    assert "单位名称不能为空。" in unit_errors
    assert any("类型“处室”无效" in e for e in unit_errors)
    assert "找不到单位“不存在的单位”。" in unit_errors
    assert "排序须为非负整数。" in unit_errors
    assert "用户名“office”已被使用。" in user_errors
    assert any("3–64 位" in e for e in user_errors)
    assert "姓名不能为空。" in user_errors
    assert "手机号码格式不正确。" in user_errors
    assert "找不到单位“财政局”。" in user_errors
    assert plan.error_count == len(unit_errors) + len(user_errors)


def test_it_imports_a_good_sheet_all_at_once(users) -> None:
    plan = importing.check_plan(importing.parse_workbook(GOOD))
    assert plan.error_count == 0
    created_units, created_users = importing.apply_plan(users["sysadmin"], plan)
    assert created_units == 3
    assert [u.username for u, _ in created_users] == ["wangwu", "qianliu", "sunqi"]
    section = Unit.objects.get(name="数据资源科")
    assert section.parent is not None
    assert section.parent.name == "市数据局"
    assert User.objects.get(username="qianliu").unit == section
    assert all(User.objects.get(username=u.username).must_change_password for u, _ in created_users)
    user, password = created_users[0]
    assert User.objects.get(pk=user.pk).check_password(password)


def test_it_saves_nothing_when_one_row_fails_at_save_time(users) -> None:
    plan = importing.check_plan(importing.parse_workbook(GOOD))
    # Someone takes a username between preview and confirmation.
    User.objects.create(username="sunqi", name="抢先", unit=Unit.objects.get(name="市教育局"))
    units_before, users_before = Unit.objects.count(), User.objects.count()
    with pytest.raises(Exception, match="sunqi"):
        importing.apply_plan(users["sysadmin"], plan)
    assert Unit.objects.count() == units_before
    assert User.objects.count() == users_before


def test_it_rejects_a_file_that_is_not_a_workbook(demo) -> None:
    plan = importing.parse_workbook(b"not a zip file")
    assert plan.file_errors == ["无法读取文件：请上传 .xlsx 格式的 Excel 工作簿。"]


def test_it_asks_for_a_path_when_a_name_is_ambiguous(users, units) -> None:
    from luoshi.org.services import unit_create

    for district in ("东湖区", "西山区"):
        unit_create(users["sysadmin"], name="财政局", kind="department", parent=units[district])
    data = workbook(
        [],
        [["zhao", "赵", "财政局", "", ""], ["qian", "钱", "清河市人民政府/西山区/财政局", "", ""]],
    )
    plan = importing.check_plan(importing.parse_workbook(data))
    assert "完整路径" in plan.users[0]["errors"][0]
    assert plan.users[1]["errors"] == []


def test_it_previews_then_confirms_through_the_pages(client, users) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["sysadmin"])
    r = client.post("/org/import/", {"file": SimpleUploadedFile("bad.xlsx", BAD)})
    batch = ImportBatch.objects.get()
    assert r.status_code == 302
    page = client.get(f"/org/import/{batch.pk}/").content.decode()
    assert "未保存任何内容" in page
    assert "确认导入" not in page
    r = client.post(f"/org/import/{batch.pk}/confirm/", follow=True)
    assert "数据有误，未导入任何内容" in r.content.decode()
    assert not User.objects.filter(username="newbie").exists()

    client.post("/org/import/", {"file": SimpleUploadedFile("good.xlsx", GOOD)})
    good = ImportBatch.objects.order_by("-pk")[0]
    assert good.error_count == 0
    r = client.post(f"/org/import/{good.pk}/confirm/")
    assert "新增单位 3 个，用户 3 个" in r.content.decode()
    good.refresh_from_db()
    assert good.status == ImportBatch.Status.APPLIED
    r = client.post(f"/org/import/{good.pk}/confirm/", follow=True)
    assert "该批次已处理" in r.content.decode()


def test_it_keeps_batches_private_to_their_uploader(client, users) -> None:
    batch = ImportBatch.objects.create(created_by=users["sysadmin"], filename="x.xlsx", rows={})
    client.force_login(users["office"])
    assert client.get(f"/org/import/{batch.pk}/").status_code == 403


def test_it_serves_the_template(client, users) -> None:
    client.force_login(users["sysadmin"])
    r = client.get("/org/import/template.xlsx")
    plan = importing.parse_workbook(r.content)
    assert plan.file_errors == []
    assert [row["单位名称"] for row in plan.units] == ["市数据局", "数据资源科"]
