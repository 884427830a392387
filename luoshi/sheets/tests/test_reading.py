"""Reading sheets: title rows, two-row merged headers, matters over merged rows, blank rows,
and unit names matched with suggestions."""

import io
import zipfile
from datetime import date

import pytest

from luoshi.core.errors import ServiceError
from luoshi.org.services import unit_create
from luoshi.sheets.reading import read_sheet
from luoshi.sheets.tests.conftest import HEADER, decomposition, xlsx
from luoshi.sheets.units import UnitMatcher, split_names


def test_it_skips_the_title_and_combines_a_two_row_header() -> None:
    raw = read_sheet(decomposition())
    assert raw["file_errors"] == []
    assert raw["columns"] == {
        "seq": "序号", "title": "事项名称", "task": "工作任务", "lead": "牵头单位",
        "co": "配合单位", "leader": "责任领导", "person": "责任人", "deadline": "完成时限",
    }  # fmt: skip
    first, second = raw["matters"]
    assert first["rows"] == [4, 5]
    assert first["title"] == "推进老旧小区改造"
    assert [a["lead"] for a in first["assignments"]] == ["市住房和城乡建设局", "市财政局"]
    assert first["assignments"][0]["co"] == "市财政局、市发改委"
    assert first["assignments"][1]["task"] == "落实改造资金"
    assert second["rows"] == [6]
    assert second["assignments"][0]["deadline"] == "长期"


def test_it_reads_a_plain_header_excel_dates_and_skips_blank_rows() -> None:
    rows = [
        HEADER,
        [1, "河道治理", "清淤", "市水利局", "", "某", "某", date(2026, 9, 30)],
        [None] * 8,
        [None, None, "护岸", "市水利局", "", "某", "某", "9月底前"],  # continues matter 1
        [2, "河道治理", "巡河", "市水利局", "", "某", "某", "长期"],  # same title: new matter
    ]
    raw = read_sheet(xlsx(rows))
    one, two = raw["matters"]
    assert one["rows"] == [2, 4]
    assert one["assignments"][0]["deadline"] == "2026-09-30"
    assert two["rows"] == [5]


def test_it_lists_missing_columns_and_refuses_a_non_workbook() -> None:
    raw = read_sheet(xlsx([["序号", "事项名称", "完成时限"], [1, "甲", "长期"]]))
    assert raw["file_errors"] == ["表头中缺少列：牵头单位。"]
    raw = read_sheet(xlsx([["某表"], ["无关", "内容"]]))
    assert "没有找到表头" in raw["file_errors"][0]
    with pytest.raises(ServiceError, match="不是有效的"):
        read_sheet(b"%PDF-1.4 not a sheet")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    with pytest.raises(ServiceError, match="无法读取该工作簿"):
        read_sheet(archive.getvalue())


def test_it_splits_unit_names() -> None:
    assert split_names("市财政局、市发改委，市水利局;市商务局\n市民政局/市司法局") == [
        "市财政局", "市发改委", "市水利局", "市商务局", "市民政局", "市司法局",
    ]  # fmt: skip


def test_it_matches_units_and_suggests_near_misses(units) -> None:
    matcher = UnitMatcher()
    assert matcher.match("市住房和城乡建设局").unit_id == units["市住房和城乡建设局"].pk
    assert matcher.match("市住建局").unit_id == units["市住房和城乡建设局"].pk  # short name
    miss = matcher.match("住建局")
    assert miss.unit_id is None
    assert miss.message == "未找到单位“住建局”，您是不是要找：市住房和城乡建设局？"
    assert matcher.match("市财政厅").suggestions[0] == "市财政局"
    assert len(matcher.match("局").suggestions) <= 3
    assert matcher.match("火星局").message == "未找到单位“火星局”，请核对单位名称。"


def test_it_names_the_candidates_of_an_ambiguous_name(users, units) -> None:
    for district in ("东湖区", "西山区"):
        unit_create(users["sysadmin"], name="住建办", kind="office", parent=units[district])
    found = UnitMatcher().match("住建办")
    assert found.unit_id is None
    assert "有多个名为“住建办”的单位" in found.message
    assert "清河市人民政府/东湖区/住建办" in found.message
    assert "清河市人民政府/西山区/住建办" in found.message
