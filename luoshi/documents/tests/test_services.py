"""Drafts, 签发 numbering, the frozen text, publishing, permissions and stale versions."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection

from luoshi.core.errors import NotPermitted, ServiceError, StaleObject
from luoshi.documents import services
from luoshi.documents.models import OfficialDocument
from luoshi.documents.tests.conftest import make_doc
from luoshi.urging.states import NUMBER_PATTERNS, UrgingKind


def test_it_numbers_per_kind_and_year_at_issue_only(users, units, now) -> None:
    office = users["office"]
    drafts = [make_doc(users, units) for _ in range(3)]
    assert all(d.seq is None and d.number == "" for d in drafts)
    services.document_cancel(office, drafts[0])
    brief = make_doc(users, units, kind="brief")
    services.document_issue(office, drafts[2])
    services.document_issue(office, brief)
    services.document_issue(office, drafts[1])
    assert drafts[2].number == "〔2026〕第1期"
    assert drafts[1].number == "〔2026〕第2期"  # the cancelled draft took no number
    assert brief.number == "〔2026〕第1期"  # 专报 count on their own
    assert (drafts[1].seq, drafts[1].year, drafts[1].status) == (2, 2026, "issued")
    # A new year starts again at 1 (the year of the 成文日期).
    nxt = make_doc(users, units, issue_date=date(2027, 1, 5))
    services.document_issue(office, nxt)
    assert (nxt.number, nxt.year) == ("〔2027〕第1期", 2027)


def test_it_shares_the_urging_sequence_for_notices(users, units, now) -> None:
    from luoshi.ledger.services import next_number

    office_unit = units["市政府督查室"]
    next_number(office_unit, UrgingKind.NOTICE, 2026, NUMBER_PATTERNS[UrgingKind.NOTICE])
    d = make_doc(users, units, kind="notice")
    services.document_issue(users["office"], d)
    assert d.number == "督办〔2026〕第2号"


def test_it_freezes_an_issued_document(users, units, now) -> None:
    office = users["office"]
    d = make_doc(users, units)
    services.document_update(office, d, d.version, title="新的标题", copies="市考核办")
    assert (d.title, d.copies, d.version) == ("新的标题", "市考核办", 2)
    with pytest.raises(StaleObject):
        services.document_update(office, d, 1, title="旧页面上的修改")
    services.document_issue(office, d)
    stored = OfficialDocument.objects.get(pk=d.pk)
    assert bytes(stored.docx_file or b"").startswith(b"PK")
    assert stored.issued_by == office and stored.issue_date == date(2026, 11, 23)
    with pytest.raises(ServiceError, match="签发后不能再修改"):
        services.document_update(office, d, title="改")
    with pytest.raises(ServiceError):
        services.document_cancel(office, d)
    services.document_publish(office, d)
    assert d.status == "published" and d.published_at is not None
    services.document_unpublish(office, d)
    assert d.status == "issued"
    assert services.docx_bytes(d) == bytes(stored.docx_file or b"")  # served as stored


def test_it_refuses_bad_input_and_other_roles(users, units, now) -> None:
    office_unit = units["市政府督查室"]
    with pytest.raises(ServiceError, match="请填写标题"):
        make_doc(users, units, title="  ")
    with pytest.raises(ServiceError, match="表格"):
        make_doc(users, units, table={"rows": []})
    with pytest.raises(ServiceError, match="文种"):
        services.document_create(users["office"], office_unit, "poem")
    d = make_doc(users, units, body="")
    with pytest.raises(ServiceError, match="正文"):
        services.document_issue(users["office"], d)
    for name in ("inspector", "observer", "leader", "liaison_a"):
        with pytest.raises(NotPermitted):
            services.document_create(users[name], office_unit, "circular")
        with pytest.raises(NotPermitted):
            services.document_update(users[name], d, title="改")
    assert services.default_organ(office_unit) == "清河市人民政府督查室"


@pytest.mark.django_db(transaction=True)
def test_it_numbers_concurrent_issues_apart(users, units, calendar_seeded) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    docs = [make_doc(users, units) for _ in range(4)]
    errors: list[Exception] = []

    def issue(d: OfficialDocument) -> None:
        try:
            services.document_issue(users["office"], d)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(d,)) for d in docs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    seqs = sorted(s or 0 for s in OfficialDocument.objects.values_list("seq", flat=True))
    assert seqs == [1, 2, 3, 4]
