"""Five years of ledger for bench/generate.py: matters, tasks, co-units, milestones, progress
reports with their revisions, and the event log, in every state and light.

The data set is "as of" the sweep benchmark's day, Tuesday 2026-11-24 08:00 (``DAY``):
- 2022–2025: mostly 销号/归档 matters whose tasks were completed (15 % after the deadline),
  a few cancelled, and 7 % carried into 2026 (续办) with tasks still running;
- 2026: every state from 草稿 to 归档.
Running tasks (待签收/办理中) are drawn by ``sweep_data.Generator``, so their stored
``next_remind_on`` is what ``schedule.plan`` gives; exactly ``due`` of them have a reminder
on ``DAY``. Every report has a revision and the events a real run writes
(``report_submit`` with ``{"report", "revision"}``, then ``report_accept``).
One matter has a long history (``LONG_TASKS`` tasks × ``LONG_REPORTS`` reports).

Only the standard library at import time.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any
from unittest import mock

from sweep_data import (
    ACTIONS,
    DAY,
    LEADS,
    MILESTONE_PARTS,
    OBJECTS,
    TASK_PARTS,
    TZ,
    hand_milestones,
    light_of,
    matter_title,
    step,
)

YEARS = (2022, 2023, 2024, 2025, 2026)
YEAR_SHARE = (0.17, 0.19, 0.20, 0.21, 0.23)
LONG_TASKS, LONG_REPORTS = 30, 12
REQUIREMENTS = ["确保按期完成", "每月25日前报送进展情况", "形成可复制可推广的经验",
                "切实解决群众反映强烈的问题", "按要求报送办理结果"]  # fmt: skip
PROGRESS_TEXTS = ["已制定工作方案，明确责任分工和时间节点。", "已完成现场排查，建立问题清单。",
                  "主体工作完成约六成，正在加快推进。", "已完成招标，施工队伍进场。",
                  "已召开专题会议研究部署，落实资金保障。", "整改任务基本完成，正在组织验收。",
                  "已完成全部建设内容，形成长效管护机制。"]  # fmt: skip
# 2026 matters: state → share.
STATES_2026 = {"draft": 3, "pending_approval": 2, "approved": 2, "assigned": 5,
               "in_progress": 55, "pending_verification": 5, "verified": 3, "reported": 3,
               "closed": 18, "archived": 2, "cancelled": 2}  # fmt: skip
STATES_PAST = {"archived": 55, "closed": 35, "cancelled": 3, "carried": 7}
LIT = {"assigned", "in_progress", "pending_verification", "carried"}
TIMES = [dtime(h, m) for h in range(24) for m in range(60)]  # by minute of the day
RANK = {"": 0, "green": 1, "yellow": 2, "red": 3}


def content_text(rng: random.Random, obj: str, year: int) -> str:
    other = rng.choice(OBJECTS)
    return (
        f"{obj}是{year}年市委市政府确定的重点工作。请各牵头单位按照职责分工，"
        f"{rng.choice(ACTIONS)}{obj}，{rng.choice(TASK_PARTS)}；同步统筹{other}，"
        f"{rng.choice(REQUIREMENTS)}。配合单位要主动对接，形成工作合力。"
    )


@dataclass
class Ids:
    matter: int = 0
    assignment: int = 0
    counit: int = 0
    milestone: int = 0
    report: int = 0
    revision: int = 0
    event: int = 0

    def next(self, name: str) -> int:
        value = getattr(self, name) + 1
        setattr(self, name, value)
        return value


@dataclass
class Task:
    pk: int
    unit: Any
    people: Any
    status: str
    assigned: datetime | None
    due: date | None
    signed: datetime | None = None
    completed: datetime | None = None
    requested: datetime | None = None
    report_due: date | None = None
    remind_on: date | None = None
    light: str = ""
    stones: list[tuple[date, datetime | None]] = field(default_factory=list)


class LedgerWriter:
    """Draws and writes the ledger; ``run()`` returns the manifest's facts."""

    def __init__(self, gen: Any, staff: Any, n: int, due_n: int, say: Any = step) -> None:
        from bulk import Loader, db_datetime
        from django.db import connection

        from luoshi.followup.models import ProgressReport, ReportRevision
        from luoshi.ledger.models import Assignment, CoUnit, Matter, MatterEvent, Milestone

        self.gen, self.rng, self.staff, self.n, self.due_n, self.say = (
            gen, gen.rng, staff, n, due_n, say)  # fmt: skip
        self.dt = db_datetime(connection.vendor)
        self.ids = Ids()
        self.matters = Loader(Matter, [
            "id", "office_id", "year", "number", "title", "content", "source", "category",
            "priority", "supervising_leader_id", "received_on", "result_required",
            "stated_deadline", "due_date", "long_term", "status", "approved_at", "assign_due",
            "assigned_at", "assigned_on_time", "light", "reported_at", "closed_at",
            "archived_at", "cancel_reason", "created_by_id", "created_at", "updated_at",
        ])  # fmt: skip
        self.tasks = Loader(Assignment, [
            "id", "matter_id", "task", "lead_unit_id", "responsible_leader",
            "responsible_person", "responsible_phone", "due_date", "original_due_date",
            "progress_requirement", "report_cycle", "status", "assigned_at", "sign_due",
            "signed_at", "signed_by_id", "next_report_due", "next_remind_on",
            "completion_requested_at", "completed_at", "light", "created_at",
        ])  # fmt: skip
        self.counits = Loader(CoUnit, ["id", "assignment_id", "unit_id", "signed_at",
                                       "signed_by_id"])  # fmt: skip
        self.stones = Loader(Milestone, ["id", "assignment_id", "due_date", "deliverable",
                                         "reached_at"])  # fmt: skip
        self.reports = Loader(ProgressReport, [
            "id", "assignment_id", "unit_id", "kind", "period_due", "status", "text",
            "progress", "revision", "late", "created_by_id", "submitted_at", "accepted_at",
        ])  # fmt: skip
        self.revisions = Loader(ReportRevision, [
            "id", "report_id", "number", "text", "progress", "submitted_by_id",
            "submitted_at", "outcome", "decided_by_id", "decided_at",
        ])  # fmt: skip
        self.events = Loader(MatterEvent, ["id", "matter_id", "assignment_id", "actor_id", "at",
                                           "action", "from_status", "to_status",
                                           "changes"])  # fmt: skip
        self.loaders = [self.matters, self.tasks, self.counits, self.stones, self.reports,
                        self.revisions, self.events]  # fmt: skip
        self.running = 0  # 待签收/办理中 tasks drawn so far (the due slots count them)
        self.placed = 0
        self.numbers: dict[int, int] = {}
        self.long_matter = 0
        self.due_slots: set[int] = set()

    # --- helpers ----------------------------------------------------------------------
    def at(self, d: date, lo: int = 9, hi: int = 17) -> datetime:
        minute = lo * 60 + int(self.rng.random() * (hi - lo + 1) * 60)
        return datetime.combine(d, TIMES[minute], TZ)

    def event(self, matter: int, task: int | None, actor: int | None, at: datetime,
              action: str, to: str = "", frm: str = "", changes: str = "{}") -> None:  # fmt: skip
        self.events.add((self.ids.next("event"), matter, task, actor, self.dt(at), action, frm,
                         to, changes))  # fmt: skip

    # --- the run ------------------------------------------------------------------------
    def run(self, expected_running: int) -> dict[str, Any]:
        from django.db import transaction

        from luoshi.reminders import schedule

        rng = self.rng
        budget = max(1, int(expected_running * 0.8))
        if self.due_n > budget // 2:
            self.say(f"  --due {self.due_n:,} is too many for this size; using {budget // 2:,}")
            self.due_n = budget // 2
        self.due_slots = set(rng.sample(range(budget), self.due_n))
        t0 = time.perf_counter()
        made = 0
        plan: list[tuple[int, str]] = []
        per_year = [round(self.n * s) for s in YEAR_SHARE]
        per_year[-1] = self.n - sum(per_year[:-1])
        # The reminder's link plays no part in when it fires: skip reverse() here.
        with mock.patch.object(schedule, "task_link", lambda a: ""):
            for year, share in zip(YEARS, per_year, strict=True):
                plan.append((year, f"{share:,}"))
                left = share
                while left > 0:
                    with transaction.atomic():
                        chunk = 0
                        while left > 0 and chunk < 20_000:
                            k = self.matter(year, min(left, rng.randint(2, 8)))
                            left -= k
                            chunk += k
                        for loader in self.loaders:
                            loader.flush()
                    made += chunk
                    rate = made / (time.perf_counter() - t0)
                    self.say(f"  {made:,}/{self.n:,} tasks ({rate:,.0f}/s), {self.reports.count:,}"
                             f" reports, {self.events.count:,} events")  # fmt: skip
            with transaction.atomic():
                self.matter(2026, LONG_TASKS, long=True)
                self.long_matter = self.ids.matter
                for loader in self.loaders:
                    loader.flush()
        if self.placed != self.due_n:
            raise SystemExit(f"placed {self.placed} due tasks, wanted {self.due_n}")
        return {"due": self.due_n, "long_matter": self.long_matter, "numbers": self.numbers,
                "running": self.running}  # fmt: skip

    # --- one matter -----------------------------------------------------------------------
    def matter(self, year: int, k: int, long: bool = False) -> int:
        rng = self.rng
        states = STATES_2026 if year == 2026 else STATES_PAST
        state = "in_progress" if long else rng.choices(list(states), list(states.values()))[0]
        source = rng.choice([s for s in LEADS if s != "other"])
        obj = rng.choice(OBJECTS)
        pk = self.ids.next("matter")
        seq = self.numbers[year] = self.numbers.get(year, 0) + 1
        received = date(year, 1, 4) + timedelta(days=rng.randrange(320))
        if year == 2026 and received >= DAY - timedelta(days=5):
            received = DAY - timedelta(days=rng.randint(20, 200))
        clerk = rng.choice(self.staff.office)
        approved = self.at(received + timedelta(days=rng.randint(1, 3)))
        tasks = [self.task(year, state, approved, long) for _ in range(k)]
        dues = [t.due for t in tasks if t.due]
        due = max(dues) if dues else None
        assigned = min((t.assigned for t in tasks if t.assigned), default=None)
        if assigned is not None and assigned < approved:
            approved = assigned - timedelta(hours=20)
        matter_state = "in_progress" if state == "carried" else state
        light = ""
        if state in LIT:
            light = max((t.light for t in tasks), key=RANK.__getitem__)
        finished = max((t.completed for t in tasks if t.completed), default=None)
        closed = reported = archived = None
        if matter_state in {"reported", "closed", "archived"} and finished:
            reported = finished + timedelta(days=rng.randint(1, 5))
            if matter_state != "reported":
                closed = reported + timedelta(days=rng.randint(1, 10))
            if matter_state == "archived":
                archived = closed + timedelta(days=rng.randint(10, 60))  # type: ignore[operator]
        drafted = matter_state in {"draft", "pending_approval"}
        leader = rng.choice(self.staff.leaders)
        title = obj if long else None
        self.matters.add((
            pk, self.staff.desk, year,
            "" if drafted else f"督〔{year}〕{seq:05d}号",
            f"{title}长期跟踪事项（{LONG_TASKS}个单位）" if title else matter_title(rng, source),
            content_text(rng, obj, year), source, rng.choice(["decision", "special", "routine"]),
            "key" if rng.random() < 0.2 else "normal", leader, received,
            source == "instruction" and rng.random() < 0.5, due, due, long, matter_state,
            None if drafted else self.dt(approved), assigned and assigned.date(),
            self.dt(assigned), assigned and True, light, self.dt(reported), self.dt(closed),
            self.dt(archived), "情况发生变化，经领导同意撤销。" if state == "cancelled" else "",
            clerk, self.dt(self.at(received)),
            self.dt(archived or closed or reported or finished or assigned or approved),
        ))  # fmt: skip
        self.matter_events(pk, matter_state, received, approved, assigned, tasks, reported,
                           closed, archived, clerk, leader, carried=state == "carried")  # fmt: skip
        return k

    def matter_events(self, pk: int, state: str, received: date, approved: datetime,
                      assigned: datetime | None, tasks: list[Task], reported: Any, closed: Any,
                      archived: Any, clerk: int, leader: int, carried: bool) -> None:  # fmt: skip
        ev = self.event
        ev(pk, None, clerk, self.at(received), "create", "draft")
        if state == "draft":
            return
        ev(pk, None, clerk, self.at(received, 14, 17), "submit", "pending_approval", "draft")
        if state == "pending_approval":
            return
        ev(pk, None, leader, approved, "approve", "approved", "pending_approval")
        if assigned is None:
            return
        ev(pk, None, clerk, assigned, "assign", "assigned", "approved")
        for t in tasks:
            if t.signed:
                ev(pk, t.pk, t.people.liaison.pk, t.signed, "sign", "in_progress", "pending_sign")
        if carried:
            ev(pk, None, clerk, self.at(date(2026, 1, 5)), "continue", "in_progress")
        if state == "cancelled":
            ev(pk, None, leader, assigned + timedelta(days=20), "cancel", "cancelled")
        if reported:
            ev(pk, None, clerk, reported, "report_to_leader", "reported", "verified")
        if closed:
            ev(pk, None, leader, closed, "close", "closed", "reported")
        if archived:
            ev(pk, None, clerk, archived, "archive", "archived", "closed")

    # --- one task --------------------------------------------------------------------------
    def task(self, year: int, state: str, approved: datetime, long: bool) -> Task:
        rng = self.rng
        unit, people = self.staff.pick_unit()
        pk = self.ids.next("assignment")
        if state in {"draft", "pending_approval", "approved"}:
            t = Task(pk, unit, people, "draft", None,
                     DAY + timedelta(days=rng.randint(20, 120)))  # fmt: skip
        elif state in {"assigned", "in_progress", "carried"} or (
            state == "pending_verification" and rng.random() < 0.5
        ):
            t = self.running_task(pk, unit, people, sign=state == "assigned")
        else:
            t = self.finished_task(pk, unit, people, year, state, approved)
        self.write_task(t, long)
        return t

    def running_task(self, pk: int, unit: Any, people: Any, sign: bool) -> Task:
        """A 待签收/办理中 task drawn like the sweep benchmark's, its next reminder day from
        ``schedule.plan``; due on ``DAY`` when its slot is one of the due slots."""
        from luoshi.ledger.models import Assignment, Matter, Milestone

        gen = self.gen
        wanted = self.running in self.due_slots
        self.running += 1
        while True:
            d = gen.draw_due() if wanted else gen.draw_later()
            if sign and not wanted and d.status != "pending_sign":
                d.status, d.signed, d.report, d.milestones = "pending_sign", None, None, []
                d.assigned = gen.at(gen.wd[gen.today_i - 1] if self.rng.random() < 0.5 else DAY,
                                    7, 7)  # fmt: skip
            a = Assignment(pk=pk, matter=Matter(pk=1, title="-"), lead_unit=unit,
                           due_date=d.due, status=d.status, assigned_at=d.assigned,
                           next_report_due=d.report)  # fmt: skip
            hand_milestones(a, [Milestone(due_date=w, reached_at=r) for w, r in d.milestones])
            stored, fires = gen.stored_day(a, need_fires=wanted)
            ok = (stored is not None and stored <= DAY and fires) if wanted else (
                stored is None or stored > DAY)  # fmt: skip
            if ok:
                break
            gen.rejected += 1
        self.placed += wanted
        return Task(pk, unit, people, d.status, d.assigned, d.due, d.signed,
                    report_due=d.report, remind_on=stored, light=light_of(d.due),
                    stones=d.milestones)  # fmt: skip

    def finished_task(self, pk: int, unit: Any, people: Any, year: int, state: str,
                      approved: datetime) -> Task:  # fmt: skip
        rng = self.rng
        assigned = approved + timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 5))
        if year == 2026 and assigned.date() >= DAY - timedelta(days=40):
            assigned = datetime.combine(DAY - timedelta(days=rng.randint(40, 300)),
                                        dtime(10), TZ)  # fmt: skip
        due = assigned.date() + timedelta(days=rng.randint(30, 200))
        signed = assigned + timedelta(hours=rng.randint(1, 30))
        if state == "cancelled":
            return Task(pk, unit, people, "cancelled", assigned, due, signed)
        late = rng.random() < 0.15
        done = due + timedelta(days=rng.randint(1, 25) if late else -rng.randint(0, 20))
        done = max(done, signed.date() + timedelta(days=7))
        if year == 2026 and done >= DAY:
            done = DAY - timedelta(days=rng.randint(1, 10))
        completed = self.at(done)
        if state == "pending_verification":
            return Task(pk, unit, people, "pending_verification", assigned, due, signed,
                        requested=completed, light="red" if done > due else "green")  # fmt: skip
        return Task(pk, unit, people, "completed", assigned, due, signed, completed,
                    requested=completed - timedelta(days=2))  # fmt: skip

    def write_task(self, t: Task, long: bool) -> None:
        rng, dt = self.rng, self.dt
        matter = self.ids.matter
        sign_due = t.assigned.date() + timedelta(days=1) if t.assigned else None
        self.tasks.add((
            t.pk, matter,
            f"{rng.choice(ACTIONS)}{rng.choice(OBJECTS)}，{rng.choice(TASK_PARTS)}",
            t.unit.pk, t.people.head.name, t.people.liaison.name, t.people.liaison.phone,
            t.due, t.due, "每月25日前报送办理进展", "monthly", t.status, dt(t.assigned),
            sign_due, dt(t.signed), t.people.liaison.pk if t.signed else None, t.report_due,
            t.remind_on, dt(t.requested), dt(t.completed), t.light,
            dt(t.assigned or datetime.combine(DAY, dtime(8), TZ)),
        ))  # fmt: skip
        if rng.random() < 0.35 and t.assigned:
            for co_unit, co_people in {u.pk: (u, p) for u, p in
                                       (self.staff.pick_unit() for _ in range(rng.randint(1, 2)))
                                       if u.pk != t.unit.pk}.values():  # fmt: skip
                self.counits.add((self.ids.next("counit"), t.pk, co_unit.pk, dt(t.signed),
                                  co_people.liaison.pk if t.signed else None))  # fmt: skip
        for when, reached in t.stones:
            self.stones.add((self.ids.next("milestone"), t.pk, when, rng.choice(MILESTONE_PARTS),
                             dt(reached)))  # fmt: skip
        if t.signed:
            self.write_reports(t, matter, LONG_REPORTS if long else None)
        if t.requested:
            self.event(matter, t.pk, t.people.liaison.pk, t.requested, "request_completion",
                       "pending_verification", "in_progress")  # fmt: skip
        if t.completed:
            self.event(matter, t.pk, rng.choice(self.staff.office), t.completed, "verify",
                       "completed", "pending_verification")  # fmt: skip

    def write_reports(self, t: Task, matter: int, force: int | None) -> None:
        rng, dt = self.rng, self.dt
        start = t.signed.date()  # type: ignore[union-attr]
        end = (t.requested or t.completed or datetime.combine(DAY, dtime(8), TZ)).date()
        months = max(0, (end - start).days // 30)
        k = force if force is not None else min(months, 6)
        if k == 0:
            return
        step_days = max(1, (end - start).days // (k + 1))
        liaison, reviewer = t.people.liaison.pk, rng.choice(self.staff.office)
        for i in range(1, k + 1):
            day = start + timedelta(days=step_days * i)
            submitted = self.at(day)
            last = i == k and t.status in {"in_progress", "pending_sign"}
            status = "accepted"
            if last:
                status = rng.choices(["accepted", "pending_review", "pending_head", "returned"],
                                     [70, 15, 10, 5])[0]  # fmt: skip
            decided = None
            if status in {"accepted", "returned"}:
                decided = self.at(day + timedelta(days=1))
            text = rng.choice(PROGRESS_TEXTS)
            progress = min(100, round(100 * i / (k + 1)))
            rid = self.ids.next("report")
            self.reports.add((rid, t.pk, t.unit.pk, "lead", day, status, text, progress, 1,
                              rng.random() < 0.1, liaison, dt(submitted),
                              dt(decided) if status == "accepted" else None))  # fmt: skip
            self.revisions.add((self.ids.next("revision"), rid, 1, text, progress, liaison,
                                dt(submitted), status if decided else "",
                                reviewer if decided else None, dt(decided)))  # fmt: skip
            changes = json.dumps({"report": rid, "revision": 1})
            self.event(matter, t.pk, liaison, submitted, "report_submit", "pending_review",
                       changes=changes)  # fmt: skip
            if decided:
                action = "report_accept" if status == "accepted" else "report_return"
                self.event(matter, t.pk, reviewer, decided, action, status, "pending_review",
                           changes)  # fmt: skip
