from datetime import date, datetime

import pytest

from luoshi.sheets.dates import Deadline, DeadlineError, parse_date, parse_deadline


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("2026年6月底前", date(2026, 6, 30)),
        ("6月30日前", date(2027, 6, 30)),
        ("2026年6月30日", date(2026, 6, 30)),
        ("2026-06-30", date(2026, 6, 30)),
        ("2026/6/30", date(2026, 6, 30)),
        ("2026.6.30", date(2026, 6, 30)),
        ("２０２６年２月底前完成", date(2026, 2, 28)),
        ("6月底", date(2027, 6, 30)),
        ("2月底前", date(2027, 2, 28)),
        ("年底前", date(2027, 12, 31)),
        ("年内", date(2027, 12, 31)),
        ("2026年底前", date(2026, 12, 31)),
        ("12月底前", date(2027, 12, 31)),
        ("上半年", date(2027, 6, 30)),
        ("二季度末", date(2027, 6, 30)),
        ("三季度末", date(2027, 9, 30)),
        ("一季度", date(2027, 3, 31)),
        ("2028年第四季度", date(2028, 12, 31)),
        (" 6 月 15 日 ", date(2027, 6, 15)),
    ],
)
def test_it_reads_deadlines_written_as_text(text, due) -> None:
    assert parse_deadline(text, 2027) == Deadline(due)


@pytest.mark.parametrize("text", ["长期", "长期坚持", "持续推进", "常态化"])
def test_it_reads_long_term(text) -> None:
    assert parse_deadline(text, 2026) == Deadline(None, long_term=True)


def test_it_takes_excel_dates_and_blank_cells() -> None:
    assert parse_deadline(datetime(2026, 7, 1, 0, 0), 2020) == Deadline(date(2026, 7, 1))
    assert parse_deadline(date(2026, 7, 1), 2020) == Deadline(date(2026, 7, 1))
    assert parse_deadline(None, 2026) is None
    assert parse_deadline("  ", 2026) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("尽快", "无法识别完成时限“尽快”"),
        ("2026年2月30日", "日期“2026年2月30日”不存在"),
        ("13月底", "日期“13月底”不存在"),
        ("6月30日前后", "无法识别完成时限“6月30日前后”"),
    ],
)
def test_it_quotes_text_it_cannot_read(text, message) -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline(text, 2026)
    assert message in str(caught.value)


def test_it_reads_plain_dates_only_with_a_year() -> None:
    assert parse_date("2026年11月20日") == date(2026, 11, 20)
    assert parse_date("11月20日") is None
    assert parse_date("长期") is None
