from datetime import date

from luoshi.ledger.models import Matter
from luoshi.sheets.sources import parse_source, source_text


def test_it_writes_and_reads_a_sources_details() -> None:
    cases = [
        Matter(source="meeting", meeting_name="市政府常务会议", meeting_date=date(2026, 11, 20)),
        Matter(
            source="instruction",
            instructing_leader="张建国",
            received_on=date(2026, 11, 2),
            instruction_text="请抓紧落实，按期报告结果。",
        ),
        Matter(source="document", doc_number="清政发〔2026〕3号", doc_issuer="清河市人民政府"),
        Matter(source="work_report"),
    ]
    fields = ("meeting_name", "meeting_date", "instructing_leader", "received_on",
              "instruction_text", "doc_number", "doc_issuer")  # fmt: skip
    for m in cases:
        source, details = parse_source(source_text(m)) or ("", {})
        assert source == m.source
        assert details == {f: getattr(m, f) for f in details}
        assert set(details) <= set(fields)


def test_it_reads_sources_by_keyword_or_not_at_all() -> None:
    assert parse_source("2026年政府工作报告") == ("work_report", {})
    assert parse_source("市委常委会会议") == ("meeting", {"meeting_name": "市委常委会会议",
                                                          "meeting_date": None})  # fmt: skip
    assert parse_source("12345 热线") == ("public", {})
    assert parse_source("道听途说") is None
