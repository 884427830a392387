"""The DOCX opened again: GB/T 9704-2012 page set-up, grid, fonts, page numbers, 版记."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn

from luoshi.documents import fonts, services
from luoshi.documents.tests.conftest import make_doc

EMU_PER_MM = 36000
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _open(data: bytes):
    return Document(io.BytesIO(data))


def _east_asian(run) -> str:
    return run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def _find(doc, text: str):
    return next(p for p in doc.paragraphs if text in p.text)


def test_it_lays_the_page_out_by_the_standard(users, units, now) -> None:
    d = make_doc(users, units)
    services.document_issue(users["office"], d)
    doc = _open(services.docx_bytes(d))
    s = doc.sections[0]
    for value, mm in (
        (s.page_width, 210),
        (s.page_height, 297),
        (s.top_margin, 37),
        (s.bottom_margin, 35),
        (s.left_margin, 28),
        (s.right_margin, 26),
    ):
        assert abs(value / EMU_PER_MM - mm) < 0.5
    grid = s._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    pitch, space = int(grid.get(qn("w:linePitch"))), int(grid.get(qn("w:charSpace")))
    text_h = s.page_height / 635 - s.top_margin / 635 - s.bottom_margin / 635  # twips
    text_w = s.page_width / 635 - s.left_margin / 635 - s.right_margin / 635
    assert int(text_h // pitch) == 22
    char_pt = 16 + space / 4096
    assert int(text_w / 20 // char_pt) == 28

    title = _find(doc, "关于2026年10月份")
    assert title.runs[0].font.size.pt == 22
    assert _east_asian(title.runs[0]) == fonts.TITLE == "方正小标宋简体"
    assert title.alignment == 1  # centred
    body = _find(doc, "各单位高度重视")
    assert body.runs[0].font.size.pt == 16
    assert _east_asian(body.runs[0]) == "仿宋_GB2312"
    spacing = body._p.pPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:lineRule")) == "exact" and int(spacing.get(qn("w:line"))) == pitch
    assert body._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    assert _east_asian(_find(doc, "一、总体情况").runs[0]) == "黑体"
    assert _east_asian(_find(doc, "（一）主要成效").runs[0]) == "楷体_GB2312"
    mark = _find(doc, "清河市人民政府督查室督查通报")
    assert mark.runs[0]._r.rPr.find(qn("w:color")).get(qn("w:val")) == "FF0000"
    number = _find(doc, "〔2026〕第1期")
    assert number.text == "〔2026〕第1期"
    assert number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:color")) == "FF0000"
    assert _find(doc, "各区县人民政府").text.endswith("：")
    assert doc.tables[0].rows[1].cells[1].text == "市住房和城乡建设局"

    # 版记: 抄送 between a thick and a thin rule, then 印发 over a thick one.
    copies = _find(doc, "抄送：")
    assert copies.text.strip() == "抄送：市纪委监委、市考核办、市新闻办。"
    bdr = copies._p.pPr.find(qn("w:pBdr"))
    assert int(bdr.find(qn("w:top")).get(qn("w:sz"))) > int(
        bdr.find(qn("w:bottom")).get(qn("w:sz"))
    )
    printed = _find(doc, "印发")
    assert "清河市人民政府督查室" in printed.text and "2026年11月23日印发" in printed.text
    dated = [p for p in doc.paragraphs if p.text == "2026年11月23日"]
    assert dated and dated[0].alignment == 2  # right

    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((s.footer, "right"), (s.even_page_footer, "left")):
        p = footer.paragraphs[0]
        assert p._p.pPr.find(qn("w:jc")).get(qn("w:val")) == align
        xml = p._p.xml
        assert "PAGE" in "".join(t.text for t in p._p.iter(f"{W}instrText"))
        texts = [r.text for r in p.runs]
        assert texts[0] == "— " and texts[-1] == " —"
        assert all(r.font.size.pt == 14 for r in p.runs)
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml


def test_it_renders_a_draft_without_a_number_and_a_notice_with_its_own(users, units, now) -> None:
    d = make_doc(users, units, kind="notice", table={}, copies="")
    doc = _open(services.docx_bytes(d))
    assert not any("〔2026〕" in p.text for p in doc.paragraphs)
    assert not doc.tables
    services.document_issue(users["office"], d)
    doc = _open(services.docx_bytes(d))
    assert any(p.text == "督办〔2026〕第1号" for p in doc.paragraphs)
    assert any("清河市人民政府督查室督办通知" in p.text for p in doc.paragraphs)
    assert not any("抄送" in p.text for p in doc.paragraphs)


def test_it_sets_only_the_heading_in_the_heading_font_and_fits_table_columns(
    users, units, now
) -> None:
    body = "一、总体情况\n（一）压实工作责任。各单位要对照任务清单逐项梳理。\n正文。"
    table = {"header": ["序号", "单位", "逾期"], "rows": [["1", "市住房和城乡建设局", "2"]]}
    doc = _open(services.docx_bytes(make_doc(users, units, body=body, table=table)))
    heading = _find(doc, "总体情况")
    assert _east_asian(heading.runs[0]) == fonts.HEADING
    assert heading.paragraph_format.keep_with_next  # never alone at a page's foot
    sub = _find(doc, "压实工作责任")
    assert [r.text for r in sub.runs] == ["（一）压实工作责任。", "各单位要对照任务清单逐项梳理。"]
    assert [_east_asian(r) for r in sub.runs] == [fonts.SUBHEADING, fonts.BODY]
    t = doc.tables[0]
    widths = [t.rows[0].cells[c].width for c in range(3)]
    assert widths[1] > 2 * widths[0] and widths[1] > 2 * widths[2]  # unit names get the room
    assert t.rows[1]._tr.trPr.find(qn("w:cantSplit")) is not None
