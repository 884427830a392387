"""A small hand-built ledger whose every statistic is known (see EXPECTED in the tests).

Tasks of 2026 matters, today 2026-11-23 (Asia/Shanghai):

====  ====  ==========  ======================  ===============  ==================
task  unit  due         state                   交办 (local)      signed (sign_due)
====  ====  ==========  ======================  ===============  ==================
H1    住建   2026-11-10  completed 11-08          10-15            on time
H2    住建   2026-11-10  completed 11-11 01:00*   10-15            11-04 00:30* late
H3    住建   2026-11-20  in progress, red         11-02            on time
H4    住建   2026-12-31  in progress, green       11-02            on time (leader)
H5    住建   2026-12-31  cancelled                11-02            —
E1    环境   2026-12-31  completed 11-20          10-20            on time
E2    环境   2026-11-01  pending sign, red        10-01 00:30*     —
====  ====  ==========  ======================  ===============  ==================

(*) UTC and local dates differ: counted by the local date. Plus a draft 2026 matter with no
task, a 2025 matter E3 (环境, in progress) and a 2025 matter D1 led by 湖滨街道 (东湖区).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from luoshi.followup.models import ProgressReport
from luoshi.ledger import services
from luoshi.ledger.models import Assignment, Matter, MatterEvent
from luoshi.ledger.states import AssignmentStatus as A
from luoshi.ledger.states import MatterStatus as M
from luoshi.workbench.tests.scenario import make_task

SH = ZoneInfo("Asia/Shanghai")
HOUSING, ECOLOGY, STREET = "市住房和城乡建设局", "市生态环境局", "湖滨街道"


def local(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SH)


def _set(a: Assignment, *, matter: dict[str, Any] | None = None, **fields: Any) -> Assignment:
    Assignment.objects.filter(pk=a.pk).update(**fields)
    Matter.objects.filter(pk=a.matter_id).update(**(matter or {}))
    a.refresh_from_db()
    return a


def _task(users: Any, units: Any, title: str, lead: str, due: date, **fields: Any) -> Assignment:
    sign = lead in (HOUSING, ECOLOGY)
    a = make_task(users, units, title, due, lead=lead, sign=sign, cycle="monthly")
    return _set(a, due_date=due, **fields)


def _report(a: Assignment, user: Any, *, late: bool, kind: str = ProgressReport.LEAD) -> None:
    assert a.lead_unit is not None
    ProgressReport.objects.create(
        assignment=a, unit=a.lead_unit, kind=kind, status="accepted", text="进展",
        created_by=user, submitted_at=local(2026, 11, 20, 10), late=late,
    )  # fmt: skip


def _event(a: Assignment, user: Any, action: str) -> None:
    MatterEvent.objects.create(matter_id=a.matter_id, assignment=a, actor=user, action=action)


def build(users: Any, units: Any) -> dict[str, Any]:
    office = users["office"]
    done, running = A.COMPLETED, A.IN_PROGRESS
    closed = {"status": M.CLOSED, "closed_at": local(2026, 11, 21, 10)}
    live = {"status": M.IN_PROGRESS}
    t: dict[str, Any] = {}
    t["H1"] = _task(users, units, "H1", HOUSING, date(2026, 11, 10), status=done,
                    assigned_at=local(2026, 10, 15, 9), sign_due=date(2026, 10, 16),
                    signed_at=datetime(2026, 10, 16, 15, 30, tzinfo=UTC),
                    completed_at=local(2026, 11, 8, 16), light="",
                    matter={**closed, "source": "instruction",
                            "approved_at": datetime(2026, 9, 30, 17, tzinfo=UTC)})  # fmt: skip
    t["H2"] = _task(users, units, "H2", HOUSING, date(2026, 11, 10), status=done,
                    assigned_at=local(2026, 10, 15, 9), sign_due=date(2026, 11, 3),
                    signed_at=datetime(2026, 11, 3, 16, 30, tzinfo=UTC),
                    completed_at=datetime(2026, 11, 10, 17, tzinfo=UTC), light="",
                    matter=closed)  # fmt: skip
    t["H3"] = _task(users, units, "H3", HOUSING, date(2026, 11, 20), status=running,
                    assigned_at=local(2026, 11, 2, 9), sign_due=date(2026, 11, 3),
                    signed_at=local(2026, 11, 3, 9), light="red",
                    matter={**live, "priority": "key"})  # fmt: skip
    t["H4"] = _task(users, units, "H4", HOUSING, date(2026, 12, 31), status=running,
                    assigned_at=local(2026, 11, 2, 9), sign_due=date(2026, 11, 3),
                    signed_at=local(2026, 11, 2, 15), light="green",
                    matter={**live, "supervising_leader": users["leader"],
                            "category": "special"})  # fmt: skip
    t["H5"] = _task(users, units, "H5", HOUSING, date(2026, 12, 31), status=A.CANCELLED,
                    assigned_at=local(2026, 11, 2, 9), light="", matter=live)  # fmt: skip
    t["E1"] = _task(users, units, "E1", ECOLOGY, date(2026, 12, 31), status=done,
                    assigned_at=local(2026, 10, 20, 9), sign_due=date(2026, 10, 21),
                    signed_at=local(2026, 10, 21, 9), completed_at=local(2026, 11, 20, 9),
                    light="", matter=closed)  # fmt: skip
    t["E2"] = _task(users, units, "E2", ECOLOGY, date(2026, 11, 1), status=A.PENDING_SIGN,
                    assigned_at=datetime(2026, 9, 30, 16, 30, tzinfo=UTC),
                    sign_due=date(2026, 10, 8), signed_at=None, light="red",
                    matter=live)  # fmt: skip
    t["E3"] = _task(users, units, "E3", ECOLOGY, date(2026, 12, 31), status=running,
                    assigned_at=local(2026, 3, 2, 9), light="green",
                    matter={**live, "year": 2025})  # fmt: skip
    t["D1"] = _task(users, units, "D1", STREET, date(2026, 12, 31), status=running,
                    assigned_at=local(2026, 3, 2, 9), light="green",
                    matter={**live, "year": 2025})  # fmt: skip
    for key in ("H2", "H3", "H4", "H5", "E1", "E2"):
        Matter.objects.filter(pk=t[key].matter_id).update(approved_at=local(2026, 10, 10, 9))
    t["draft"] = services.matter_create(
        office, office=units["市政府督查室"], title="草稿事项", content="草稿事项的内容",
        source="meeting", category="decision", meeting_name="市政府常务会议",
        meeting_date=date(2026, 11, 20), stated_deadline=date(2026, 12, 31),
    )  # fmt: skip
    # Lead reports: H3 two (one late), H4 one on time, E1 one late; a co-unit's part is
    # not a lead report.
    liaison_a, liaison_b = users["liaison_a"], users["liaison_b"]
    _report(t["H3"], liaison_a, late=True)
    _report(t["H3"], liaison_a, late=False)
    _report(t["H4"], liaison_a, late=False)
    _report(t["H4"], liaison_b, late=True, kind=ProgressReport.CO)
    _report(t["E1"], liaison_b, late=True)
    # The office's reviews: H3 accepted and returned, H4 accepted twice, E1 returned; the
    # unit head's return of E1 is not the office's.
    for key, action in (("H3", "report_accept"), ("H3", "report_return"),
                        ("H4", "report_accept"), ("H4", "report_accept"),
                        ("E1", "report_head_return"), ("E1", "report_return")):  # fmt: skip
        _event(t[key], office, action)
    return t
