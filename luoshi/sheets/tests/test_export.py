"""The ledger as .xlsx: layout, values, filters, a unit's scope, queries, size, round trip."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from luoshi.ledger.models import Assignment, Matter
from luoshi.sheets import services
from luoshi.sheets.columns import EXPORT_HEADERS
from luoshi.sheets.tests.conftest import REPORT


def export(client, user, query: str = "", url: str = "/sheets/ledger.xlsx"):
    client.force_login(user)
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    return data, load_workbook(io.BytesIO(data)).active


def values(ws) -> list[list]:
    return [list(r) for r in ws.iter_rows(min_row=4, values_only=True)]


def test_it_exports_the_offices_layout(client, users, matters) -> None:
    a, _b, _c = matters
    _, ws = export(client, users["office"], "sort=title")
    assert ws["A1"].value == "督查事项台账"
    assert "排序" not in ws["A2"].value and "导出时间：2026-11-23 09:3" in ws["A2"].value
    assert [ws.cell(3, i + 1).value for i in range(12)] == EXPORT_HEADERS
    assert ws.freeze_panes == "A4"
    assert ws.column_dimensions["C"].width == pytest.approx(30, abs=1)
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$3"
    rows = values(ws)
    # Sorted by title: 优化营商环境, 老旧小区改造 (2 rows), 落实省里文件.
    titles = [r[2] for r in rows]
    assert titles == ["优化营商环境", "老旧小区改造", None, "落实省里文件"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A5:A6", "B5:B6", "C5:C6", "D5:D6", "A1:L1", "A2:L2"} <= merged
    assert rows[0][:5] == [1, None, "优化营商环境", "政府工作报告", "市市场监督管理局"]
    assert rows[0][8] == "长期" and rows[0][10] == "待交办"
    first, second = rows[1], rows[2]
    a.refresh_from_db()
    assert first[:4] == [2, a.number, "老旧小区改造", "会议议定：市政府常务会议（2026年11月20日）"]
    assert first[4:10] == ["市住房和城乡建设局", "市财政局", "孙立军", "赵敏",
                           datetime(2026, 12, 31), f"{REPORT}（2026-11-23）"]  # fmt: skip
    assert first[10:] == ["办理中", "绿灯"]
    assert ws["L5"].fill.fgColor.rgb.endswith("C6EFCE")
    assert second[4] == "市生态环境局" and second[9] is None
    assert rows[3][3] == "上级文件：清政发〔2026〕3号（清河市人民政府）"
    assert rows[3][4:10] == [None, None, None, None, None, None] and rows[3][10] == "草稿"


def test_it_exports_what_the_filters_show(client, users, matters) -> None:
    _, ws = export(client, users["office"], "source=meeting")
    assert [r[2] for r in values(ws)] == ["老旧小区改造", None]
    assert "来源：会议议定" in ws["A2"].value
    _, ws = export(client, users["office"], "q=营商")
    assert [r[2] for r in values(ws)] == ["优化营商环境"]


def test_it_scopes_a_units_export_to_its_own_tasks(client, users, matters) -> None:
    _, ws = export(client, users["liaison_b"])
    rows = values(ws)
    assert [(r[2], r[4]) for r in rows] == [("老旧小区改造", "市生态环境局")]
    assert not ws.merged_cells.ranges.__contains__("A4:A5")


def test_it_refuses_users_who_see_no_ledger(client, users, now) -> None:
    client.force_login(users["sysadmin"])
    assert client.get("/sheets/ledger.xlsx").status_code == 403
    assert client.get("/api/v1/ledger/export/").status_code == 403


def test_it_exports_through_the_api(client, users, matters) -> None:
    _, ws = export(client, users["office"], "category=routine", url="/api/v1/ledger/export/")
    assert sorted(r[2] for r in values(ws)) == ["优化营商环境", "落实省里文件"]


def _bulk(users, units, n: int) -> None:
    """Plain rows, fast: the export reads them, the workflow is not under test here."""
    office, place = users["office"], units["市政府督查室"]
    made = Matter.objects.bulk_create(
        Matter(office=place, year=2026, title=f"事项{i}", content="内容", source="other",
               category="routine", created_by=office) for i in range(n)
    )  # fmt: skip
    Assignment.objects.bulk_create(
        Assignment(matter=m, task="任务", lead_unit=units[lead], due_date=date(2026, 12, 31))
        for m in made for lead in ("市水利局", "市商务局")
    )  # fmt: skip


def test_it_reads_a_fixed_number_of_queries_per_chunk(client, users, units, now, settings) -> None:
    settings.SHEETS_EXPORT_CHUNK = 1000
    client.force_login(users["office"])
    counts = []
    for n in (3, 30):
        _bulk(users, units, n)
        with CaptureQueriesContext(connection) as ctx:
            b"".join(client.get("/sheets/ledger.xlsx").streaming_content)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    settings.SHEETS_EXPORT_CHUNK = 10  # 33 matters: 4 chunks of 5 queries each
    with CaptureQueriesContext(connection) as ctx:
        b"".join(client.get("/sheets/ledger.xlsx").streaming_content)
    assert len(ctx.captured_queries) == counts[1] + 3 * 5


def test_it_exports_a_few_thousand_rows(client, users, units, now, settings) -> None:
    settings.SHEETS_EXPORT_CHUNK = 400
    _bulk(users, units, 1500)
    client.force_login(users["office"])
    data = b"".join(client.get("/sheets/ledger.xlsx").streaming_content)
    # Counted in the XML: openpyxl takes seconds to build 6,000 merged ranges.
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert sheet.count("<row ") == 3 + 3000
    assert sheet.count("<mergeCell ") == 2 + 4 * 1500


def test_it_reimports_an_export_to_the_same_data(client, users, matters) -> None:
    data, _ = export(client, users["office"])
    batch = services.import_upload(users["office"], data=data, filename="台账.xlsx",
                                   year=2026, source="other", category="routine")  # fmt: skip
    assert batch.error_count == 0, batch.plan
    created = services.import_apply(users["office"], batch)
    assert len(created) == 3

    def shape(m: Matter) -> tuple:
        rows = [(a.lead_unit_id, sorted(c.unit_id for c in a.co_units.all()),
                 a.responsible_leader, a.responsible_person, a.due_date)
                for a in m.assignments.exclude(status="cancelled").order_by("id")]  # fmt: skip
        details = (m.meeting_name, m.meeting_date, m.doc_number, m.doc_issuer)
        return (m.title, m.source, details, m.long_term, rows)

    originals = {m.title: shape(m) for m in matters}
    for m in Matter.objects.filter(pk__in=created):
        assert m.status == "draft" and m.number == ""
        assert shape(m) == originals[m.title]
