"""一事一档 built from a matter with a whole history: what the ZIP holds, byte for byte,
with a manifest that checks, an event log row per event, and a summary in the official
fonts (converted to PDF once here, with LibreOffice)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from openpyxl import load_workbook

from luoshi.documents import convert, fonts
from luoshi.dossier import build, collect, eventlog, fmt, layout
from luoshi.dossier.tests.conftest import TITLE, Built
from luoshi.followup.models import Attachment
from luoshi.followup.services import reports
from luoshi.followup.tests.conftest import PDF, upload
from luoshi.ledger.models import MatterEvent
from luoshi.urging import services as urging

pytestmark = pytest.mark.django_db

HOUSING = "附件/办理情况01_市住房和城乡建设局_2026-11-18"
EXPECTED = [
    "事项概要.pdf",
    "事项概要.docx",
    "办理情况/01_市住房和城乡建设局_2026-11-18.txt",
    "办理情况/02_市生态环境局_2026-11-19.txt",
    f"{HOUSING}/现场 照片.png",
    f"{HOUSING}/招标公告.pdf",
    f"{HOUSING}/招标公告 (2).pdf",  # the second version's file of the same name
    "附件/办理情况02_市生态环境局_2026-11-19/管网 _设计_.pdf",
    "附件/申请办结01_市住房和城乡建设局_2026-11-23/验收报告.pdf",
    "事项记录.xlsx",
    "事项记录.csv",
    "清单.txt",
]


def _zip(built: Built, user) -> zipfile.ZipFile:
    handle = build.build(built.matter, user)
    return zipfile.ZipFile(io.BytesIO(handle.read()))


def _manifest(zf: zipfile.ZipFile) -> dict[str, tuple[int, str]]:
    text = zf.read("清单.txt").decode("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.count("\t") == 2]
    return {path: (int(size), sha) for sha, size, path in rows[1:]}


@pytest.mark.skipif(not convert.available(), reason="LibreOffice is not installed")
def test_it_packs_the_whole_matter(users, built) -> None:
    import pypdfium2 as pdfium

    zf = _zip(built, users["office"])
    assert zf.namelist() == EXPECTED
    assert zf.testzip() is None
    # Non-ASCII names carry the UTF-8 flag (bit 11), so Windows shows them right.
    assert all(info.flag_bits & 0x800 for info in zf.infolist())

    # Every evidence file, identical to what storage holds.
    placed = layout.plan(collect.gather(built.matter)).files
    assert Attachment.objects.count() == len(placed) == 5
    for att in Attachment.objects.all():
        with att.file.open("rb") as f:
            stored = f.read()
        assert hashlib.sha256(stored).hexdigest() == att.sha256
        assert zf.read(placed[att.pk]) == stored, att.name
    big = zf.read(f"{HOUSING}/招标公告 (2).pdf")
    assert len(big) > 1_000_000

    # The manifest lists every other file with its size and checksum, and who exported it.
    manifest = _manifest(zf)
    assert sorted(manifest) == sorted(n for n in EXPECTED if n != "清单.txt")
    for name, (size, sha) in manifest.items():
        data = zf.read(name)
        assert (len(data), hashlib.sha256(data).hexdigest()) == (size, sha)
    head = zf.read("清单.txt").decode()
    assert (
        "导出时间：2026-11-23 09:30:00+08:00" in head and "导出人：陈志远（市政府督查室）" in head
    )

    # The PDF: A4, the title on page 1, and the page is not blank.
    pdf = pdfium.PdfDocument(zf.read("事项概要.pdf"))
    try:
        width, height = pdf[0].get_size()
        assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
        text = pdf[0].get_textpage().get_text_range()
        assert TITLE in text.replace("\r", "").replace("\n", "")
        image = pdf[0].render(scale=1).to_pil().convert("L")
        assert image.getextrema()[0] < 128  # some dark ink on the white page
    finally:
        pdf.close()


def test_it_writes_the_summary_docx_in_the_official_fonts(users, built, no_office) -> None:
    zf = _zip(built, users["office"])
    assert "事项概要.pdf" not in zf.namelist()
    assert "事项概要.docx" in zf.namelist()
    assert "LibreOffice" in zf.read("说明.txt").decode("utf-8")
    assert "说明.txt" in _manifest(zf)
    doc = Document(io.BytesIO(zf.read("事项概要.docx")))
    section = doc.sections[0]
    mm = [round(x.mm) if x is not None else 0
          for x in (section.page_width, section.page_height, section.top_margin,
                    section.bottom_margin, section.left_margin, section.right_margin)]  # fmt: skip
    assert mm == [210, 297, 37, 35, 28, 26]
    paragraphs = [p.text for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    text = "\n".join(paragraphs + cells)
    assert paragraphs[0] == TITLE
    for unit in ("市住房和城乡建设局", "市财政局", "市生态环境局"):
        assert unit in text
    for event in MatterEvent.objects.filter(matter=built.matter):
        assert event.action_label in text
    for expected in ("督〔2026〕0001号", "市政府常务会议 2026-11-13", "刘卫东", "2026-12-31",
                     "第一段要求。", "受汛期施工条件限制", "2026-12-15 → 2026-12-31", "催办〔2026〕第1号",
                     "已增派施工队伍", "实地核查 2026-11-23", "第1版 被退回", "完成施工招标",
                     "已办结", "待签收 → 办理中"):  # fmt: skip
        assert expected in text, expected

    # The fonts of GB/T 9704: title, headings and text each in theirs.
    def east_asian(run: Any) -> str | None:
        return run._element.xpath("string(./w:rPr/w:rFonts/@w:eastAsia)") or None

    title_run = doc.paragraphs[0].runs[0]
    assert title_run.font.name == east_asian(title_run) == fonts.TITLE
    heading = next(p for p in doc.paragraphs if p.text == "一、事项基本情况")
    assert heading.runs[0].font.name == east_asian(heading.runs[0]) == fonts.HEADING
    used = {east_asian(r) for p in doc.paragraphs for r in p.runs}
    used |= {east_asian(r) for t in doc.tables for row in t.rows for c in row.cells
             for p in c.paragraphs for r in p.runs}  # fmt: skip
    assert {fonts.TITLE, fonts.HEADING, fonts.BODY} <= used


def test_it_logs_every_event_in_excel_and_csv(users, built, no_office) -> None:
    zf = _zip(built, users["office"])
    events = list(MatterEvent.objects.filter(matter=built.matter).order_by("at", "id"))
    sheet = load_workbook(io.BytesIO(zf.read("事项记录.xlsx")))["事项记录"]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert list(rows[0]) == eventlog.COLUMNS
    assert len(rows) == len(events) + 1
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["时间"] == "2026-11-16 09:00:00+08:00"
    assert (first["操作人"], first["单位"], first["操作"], first["新状态"]) == (
        "陈志远", "市政府督查室", "新建事项", "草稿")  # fmt: skip
    returned = dict(zip(rows[0], rows[1 + [e.action for e in events].index("report_return")],
                        strict=True))  # fmt: skip
    assert returned["任务"].startswith("市住房和城乡建设局：")
    assert (returned["原状态"], returned["新状态"]) == ("待督查室审核", "被退回")
    assert returned["说明"] == "请补充资金到位情况。"
    report = built.housing.reports.get()
    assert json.loads(returned["变更"]) == {"report": report.pk, "revision": 1}
    reply = dict(zip(rows[0], rows[1 + [e.action for e in events].index("urge_reply")],
                     strict=True))  # fmt: skip
    assert (reply["原状态"], reply["新状态"]) == ("待回复", "已回复")

    raw = zf.read("事项记录.csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0] == eventlog.COLUMNS
    assert len(table) == len(events) + 1
    assert [r[4] for r in table[1:]] == [e.action_label for e in events]


def test_it_says_when_an_evidence_file_is_missing(users, built, no_office) -> None:
    att = Attachment.objects.get(name="验收报告.pdf")
    att.file.storage.delete(str(att.file.name))
    zf = _zip(built, users["office"])
    missing = "附件/申请办结01_市住房和城乡建设局_2026-11-23/验收报告.pdf"
    assert missing not in zf.namelist()
    assert f"{missing}：存储中找不到该文件" in zf.read("说明.txt").decode()


def test_it_reads_in_a_fixed_number_of_queries(users, units, built, clock, no_office) -> None:
    def count() -> int:
        office = type(users["office"]).objects.get(pk=users["office"].pk)
        with CaptureQueriesContext(connection) as queries:
            build.write(io.BytesIO(), built.matter, office)
        return len(queries)

    before = count()
    report = built.ecology.reports.get()
    reports.report_accept(users["office"], report)
    clock.move_to("2026-11-24 09:30 +0800")
    reports.report_submit(users["head_b"], built.ecology, text="管网改造已完成百分之六十。",
                          progress=60, files=[upload("进度.pdf", PDF), upload("照片.pdf", PDF)])  # fmt: skip
    urging.urging_issue(users["office"], built.ecology, unit=units["市生态环境局"],
                        text="请继续加快管网改造进度并按期报送。")  # fmt: skip
    assert count() == before


def test_it_refuses_units_that_see_only_their_part(users, built) -> None:
    from luoshi.core.errors import NotPermitted

    assert collect.matter_for_dossier(users["observer"], built.matter.pk) == built.matter
    with pytest.raises(NotPermitted, match="一事一档"):
        collect.matter_for_dossier(users["liaison_a"], built.matter.pk)


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("现场 照片.png", "现场 照片.png"),
        ('a/b\\c:d*e?"f"<g>|h.pdf', "a_b_c_d_e_f_g_h.pdf"),
        ("..hidden.pdf", "hidden.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("", "文件"),
        ("长" * 200 + ".docx", "长" * 75 + ".docx"),  # 80 characters in all
    ],
    ids=["chinese", "reserved-characters", "hidden", "device", "empty", "long"],
)
def test_it_makes_file_names_safe(name: str, safe: str) -> None:
    assert fmt.safe_name(name) == safe


def test_it_keeps_names_unique_in_a_folder() -> None:
    taken: set[str] = set()
    assert [fmt.unique(n, taken) for n in ("a.pdf", "A.PDF", "a.pdf", "b")] == [
        "a.pdf", "A (2).PDF", "a (3).pdf", "b"]  # fmt: skip
