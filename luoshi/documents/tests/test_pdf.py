"""The one LibreOffice run of the service tests: a long circular issued with its PDF."""

from __future__ import annotations

import importlib
import io
from typing import Any

import pytest
from PIL import ImageStat

from luoshi.documents import convert, services
from luoshi.documents.models import OfficialDocument
from luoshi.documents.tests.conftest import BODY, make_doc

# Loaded by name: pypdfium2 ships no type information.
pdfium: Any = importlib.import_module("pypdfium2")
pytestmark = pytest.mark.skipif(not convert.available(), reason="LibreOffice is not installed")


def test_it_stores_an_a4_pdf_with_page_numbers(users, units, now, monkeypatch) -> None:
    monkeypatch.setattr(services, "PDF_ON_ISSUE", True)
    long_body = BODY + "\n" + "\n".join(["各单位要进一步提高认识，强化措施，狠抓落实。" * 6] * 12)
    d = make_doc(users, units, body=long_body)
    services.document_issue(users["office"], d)
    stored = OfficialDocument.objects.get(pk=d.pk)
    assert stored.pdf_file
    pdf = pdfium.PdfDocument(bytes(stored.pdf_file))
    assert len(pdf) >= 2
    width, height = pdf[0].get_size()
    assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1
    first = pdf[0].get_textpage().get_text_range()
    assert "〔2026〕第1期" in first.replace(" ", "")
    assert "关于2026年10月份重点工作督查情况的通报" in first.replace(" ", "").replace("\r\n", "")
    assert "— 2 —" in pdf[1].get_textpage().get_text_range()
    image = pdf[0].render(scale=0.5).to_pil().convert("L")
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    assert buf.getvalue().startswith(b"\x89PNG")
    stat = ImageStat.Stat(image)
    assert stat.extrema[0][0] < 100  # dark glyphs on the page, not a blank sheet
    assert stat.stddev[0] > 10
    assert services.pdf_bytes(stored) == bytes(stored.pdf_file)  # served as stored
