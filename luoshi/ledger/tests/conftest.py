from datetime import date

import pytest
import time_machine

from luoshi.ledger import services


@pytest.fixture
def monday():
    # Wednesday 2026-09-23: the deadline of 7 working days crosses National Day 2026.
    with time_machine.travel("2026-09-23 10:00 +0800", tick=False):
        yield date(2026, 9, 23)


@pytest.fixture
def instruction(users, units, monday):
    return services.matter_create(
        users["office"],
        office=units["市政府督查室"],
        title="关于老旧小区加装电梯进度滞后问题的批示",
        content="请市住建局牵头，会同相关部门查明原因，提出加快推进的措施，并报结果。",
        source="instruction",
        category="decision",
        priority="key",
        supervising_leader=users["vleader"],
        instructing_leader="张建国",
        instruction_text="请住建局抓紧落实，七日内报结果。",
        received_on=monday,
        result_required=True,
    )
