"""A running task (市住建局 leading, 市财政局 co-operating) and a notice about it, on the
frozen Monday 2026-11-23 09:30 (``now``)."""

from __future__ import annotations

import pytest

from luoshi.ledger import services as ledger
from luoshi.ledger.tests.factories import make_matter
from luoshi.urging import services

TEXT = "请加快老旧小区改造进度，说明施工滞后的原因和整改措施。"
REPLY = "已召开专题会议部署，增派两个施工队伍，月底前完成主体施工。"


@pytest.fixture
def running(users, units, now):
    matter = make_matter(users, units, title="老旧小区改造", assigned=True)
    a = matter.assignments.get()
    ledger.assignment_sign(users["liaison_a"], a)
    a.refresh_from_db()
    return a


@pytest.fixture
def notice(users, units, running):
    return services.urging_issue(
        users["office"], running, unit=units["市住房和城乡建设局"], text=TEXT
    )
