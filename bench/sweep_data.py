"""The deterministic data for bench/sweep.py: the benchmark day, the word lists, and the
generator of units, people, matters and assignments.

``make_units`` adds ~1,500 units (departments under the demo city, townships under its
districts) with a liaison and a unit head each; ``Generator`` draws assignments and fixes
their ``next_remind_on`` with ``schedule.plan`` itself; ``generate`` inserts them in batches,
exactly ``due`` of them due on the benchmark day; ``check_sample`` compares a sample read back
from the database with ``schedule.plan``. The same seed gives the same data.

Imports only the standard library at module level: the models are imported inside the
functions, so bench/sweep.py can import this module before it sets Django up.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

DAY = date(2026, 11, 24)  # a Tuesday, a working day
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=TZ)
PER_MATTER = 5
SEED = 2026
USER_PREFIX = "bench_"  # usernames of the generated people: marks a database made here
UNUSABLE = "!bench"  # an unusable password hash: nobody logs in as a generated person
DEPARTMENTS = 300
TOWNSHIPS = 1200

# --- word lists (deterministic Chinese titles) ------------------------------------------

ACTIONS = ["推进", "加快", "落实", "开展", "深化", "完善", "强化", "实施", "做好", "抓好",
           "巩固", "提升", "统筹", "规范"]  # fmt: skip
OBJECTS = [
    "老旧小区改造", "城区黑臭水体整治", "营商环境优化", "农村人居环境整治", "安全生产专项整治",
    "高标准农田建设", "重点项目建设", "义务教育学校扩容", "居家养老服务", "城市燃气管道更新",
    "河湖长制", "秸秆禁烧", "扬尘污染防治", "农民工工资清欠", "政务服务“一网通办”",
    "信访积案化解", "防汛设施修复", "背街小巷改造", "智慧停车建设", "生活垃圾分类",
    "食品安全监管", "城乡供水一体化", "乡村振兴示范村创建", "中小企业融资服务", "招商引资",
    "工业园区标准化厂房建设", "历史文化街区保护", "公共充电桩建设", "学校食堂管理",
    "社区卫生服务中心建设", "地质灾害隐患点治理", "自建房安全排查", "道路交通秩序整治",
    "电动自行车充电安全", "校外培训治理", "耕地保护", "森林防火", "入河排污口整治",
    "城市内涝治理", "既有住宅加装电梯",
]  # fmt: skip
SUFFIXES = ["工作", "三年行动", "专项行动", "年度任务", "攻坚行动", "问题整改", "有关事项"]
LEADS = {
    "meeting": "市政府常务会议议定：",
    "instruction": "关于",
    "work_report": "政府工作报告任务：",
    "document": "贯彻落实省文件：",
    "proposal": "市人大代表建议：",
    "public": "12345热线集中反映：",
    "special": "专项督查：",
    "other": "",
}
TASK_PARTS = ["牵头制定实施方案", "完成年度建设任务", "开展全面排查", "建立长效管护机制",
              "完成问题整改销号", "落实资金保障", "开展督导检查", "形成工作台账",
              "完成验收并报送结果", "组织第三方评估"]  # fmt: skip
MILESTONE_PARTS = ["完成方案编制", "完成招标", "开工建设", "完成主体工程", "完成验收",
                   "完成中期评估"]  # fmt: skip
DEPT_AREAS = [
    "数据资源", "机关事务", "医疗保障", "林业", "粮食和物资储备", "信访", "国有资产", "城市管理",
    "体育", "统计", "审计", "退役军人事务", "乡村振兴", "人民防空", "地方金融", "口岸",
    "住房公积金",
    "档案", "气象", "港航", "园林绿化", "水务", "交通建设", "文物保护", "广播电视", "民族宗教",
    "机构编制", "政务服务", "公共资源交易", "营商环境", "投资促进", "城乡规划", "土地储备",
    "不动产登记", "社会保险", "就业", "疾病预防控制", "妇幼保健", "食品药品检验", "计量检测",
    "知识产权", "市政工程", "环境卫生", "排水", "供水", "燃气", "公交", "轨道交通", "开发区",
    "高新区", "综合保税区", "残疾人", "老龄工作", "双拥工作", "防汛抗旱",
]  # fmt: skip
DEPT_SUFFIXES = ["局", "中心", "服务中心", "管理处", "办公室", "事务中心"]
PLACE_A = list("清白石青金龙凤桃柳杨梅松竹云双三五新大小长高马黄红安平永兴和丰泰福宝华东西南北中")
PLACE_B = list("河溪湖山岭坪塘桥集店庄口港湾田沟坝源林岗滩埠寨铺营堡洲泉峰坡园门渡关阳城陵")
TOWN_SUFFIXES = ["镇", "乡", "街道"]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建国志文斌宇浩凯鹏辉")


def step(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.localtime(time.perf_counter() + _EPOCH))}] "
          f"{message}", flush=True)  # fmt: skip


_EPOCH = time.time() - time.perf_counter()  # wall clock for progress lines (before time travel)


# --- units and people -------------------------------------------------------------------


@dataclass
class People:
    liaison: Any
    head: Any


def person_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def make_units(rng: random.Random) -> dict[int, tuple[Any, People]]:
    """Departments under the city and townships under the demo districts (kept under the
    city's tree), each with a liaison and a unit head; ``path``/``depth`` as ``org.services``
    computes them."""
    from luoshi.accounts.models import RoleGrant, User
    from luoshi.accounts.roles import Role
    from luoshi.demo import data
    from luoshi.org.models import Unit, UnitKind

    city = Unit.objects.get(name=data.CITY, parent=None)
    districts = list(Unit.objects.filter(parent=city, kind=UnitKind.DISTRICT).order_by("pk"))
    taken = {(u.parent_id, u.name) for u in Unit.objects.all()}
    dept_names = [f"市{a}{s}" for a in DEPT_AREAS for s in DEPT_SUFFIXES]
    rng.shuffle(dept_names)
    town_names = [f"{a}{b}{s}" for a in PLACE_A for b in PLACE_B for s in TOWN_SUFFIXES if a != b]
    rng.shuffle(town_names)
    new: list[Any] = []
    for i, name in enumerate(dept_names[:DEPARTMENTS]):
        if (city.pk, name) not in taken:
            new.append(Unit(name=name, kind=UnitKind.DEPARTMENT, parent=city, order=200 + i))
    for i, name in enumerate(town_names[:TOWNSHIPS]):
        parent = districts[i % len(districts)]
        if (parent.pk, name) not in taken:
            new.append(Unit(name=name, kind=UnitKind.TOWNSHIP, parent=parent, order=100 + i))
    Unit.objects.bulk_create(new, batch_size=500)  # pks come back (RETURNING)
    by_pk = {u.pk: u for u in [city, *districts]}
    for u in new:
        parent = by_pk[u.parent_id]
        u.path, u.depth = f"{parent.path}{u.pk}/", parent.depth + 1
    Unit.objects.bulk_update(new, ["path", "depth"], batch_size=500)

    users: list[Any] = []
    for u in new:
        town = u.kind == UnitKind.TOWNSHIP
        head = "镇长" if u.name.endswith("镇") else "主任" if town else "局长"
        for suffix, title in (("l", "办公室主任" if town else "综合科科长"), ("h", head)):
            users.append(User(
                username=f"{USER_PREFIX}{u.pk}_{suffix}", name=person_name(rng), unit=u,
                title=title, phone=f"13{rng.randrange(10**9):09d}", password=UNUSABLE,
                email=f"{USER_PREFIX}{u.pk}_{suffix}@example.gov.cn" if rng.random() < 0.4 else "",
            ))  # fmt: skip
    User.objects.bulk_create(users, batch_size=500)
    grants = [
        RoleGrant(user=user, unit=user.unit,
                  role=Role.LIAISON if user.username.endswith("_l") else Role.UNIT_HEAD)
        for user in users
    ]  # fmt: skip
    RoleGrant.objects.bulk_create(grants, batch_size=500)

    # The two demo units that have a liaison and a head take tasks too.
    staffed: dict[int, tuple[Any, People]] = {}
    for u, (liaison, head) in zip(new, zip(users[0::2], users[1::2], strict=True), strict=True):
        staffed[u.pk] = (u, People(liaison, head))
    for unit_name, (l_name, h_name) in {data.HOUSING: ("liaison_a", "head_a"),
                                        data.ECOLOGY: ("liaison_b", "head_b")}.items():  # fmt: skip
        u = Unit.objects.get(name=unit_name, parent=city)
        staffed[u.pk] = (u, People(User.objects.get(username=l_name),
                                   User.objects.get(username=h_name)))  # fmt: skip
    return staffed


# --- ledger generation --------------------------------------------------------------------


@dataclass
class Draw:
    status: str
    assigned: datetime
    due: date
    signed: datetime | None = None
    report: date | None = None
    milestones: list[tuple[date, datetime | None]] = field(default_factory=list)


class Generator:
    """Draws assignments and fixes ``next_remind_on`` with ``schedule.plan`` itself.

    The stored day is the one the previous working day's sweep would have stored:
    ``plan(task, policy, 2026-11-23).next_on`` (for a task assigned this morning, what the
    rescheduling on assignment stores: today if anything is due, else ``plan(...).next_on``).
    A task is due on the benchmark day when that day has come, and a due task must have
    something to fire (``plan(task, policy, 2026-11-24).due``); draws that do not fit their
    side are drawn again.
    """

    def __init__(self, rng: random.Random, staffed: dict[int, tuple[Any, People]]) -> None:
        from luoshi.accounts.models import User
        from luoshi.demo import data
        from luoshi.org.models import Unit
        from luoshi.reminders.models import ReminderPolicy
        from luoshi.workcal import calendar

        self.rng = rng
        self.units = list(staffed.values())
        self.desk = Unit.objects.get(name=data.OFFICE)
        self.policy = ReminderPolicy(office_id=self.desk.pk)  # what Policies() uses by default
        self.clerk = User.objects.get(username="office")
        self.leaders = [User.objects.get(username="vleader"), User.objects.get(username="leader")]
        self.prev = calendar.add_workdays(DAY, -1)
        day0 = date(2026, 1, 1)
        self.wd = [d for d in (day0 + timedelta(days=i) for i in range(365))
                   if calendar.is_workday(d)]  # fmt: skip
        self.idx = {d: i for i, d in enumerate(self.wd)}
        self.today_i = self.idx[DAY]
        self.rejected = 0
        # Deadlines that leave a plain task in progress off today's list: not the 3rd/1st
        # working day before or the day itself, not a 3rd working day overdue, not the
        # year's last days (2027 is not in the calendar yet: such a task waits a day).
        unit = self.units[0][0]
        self.later_days = [d for d in self.wd[5:] if self.plain_later(d, unit)]

    def plain_later(self, due: date, unit: Any) -> bool:
        from luoshi.ledger.models import Assignment, Matter

        a = Assignment(pk=1, matter=Matter(pk=1, title="-"), lead_unit=unit, due_date=due,
                       status="in_progress", assigned_at=self.at(self.wd[0]))  # fmt: skip
        hand_milestones(a, [])
        stored, _fires = self.stored_day(a, need_fires=False)
        return stored is not None and stored > DAY

    # helpers
    def at(self, d: date, lo: int = 9, hi: int = 17) -> datetime:
        return datetime.combine(d, dtime(self.rng.randint(lo, hi), self.rng.randrange(60)), TZ)

    def wd_from_today(self, lo: int, hi: int) -> date:
        last = len(self.wd) - 1
        return self.wd[min(last, self.today_i + self.rng.randint(lo, hi))]

    def assigned_before(self, due: date, lo: int = 10, hi: int = 80) -> tuple[datetime, datetime]:
        i = max(0, min(self.idx[due] - self.rng.randint(lo, hi), self.today_i - 1))
        signed_i = min(i + self.rng.randint(0, 1), self.today_i - 1)
        return self.at(self.wd[i]), self.at(self.wd[signed_i])

    # draws
    def draw_later(self) -> Draw:
        r = self.rng
        if r.random() < 0.03:  # assigned this morning, waiting to be signed
            return Draw("pending_sign", self.at(DAY, 7, 7), self.wd_from_today(8, 25))
        due = r.choice(self.later_days)  # spread over the working days of 2026
        assigned, signed = self.assigned_before(due)
        d = Draw("in_progress", assigned, due, signed)
        if r.random() < 0.4:
            d.report = self.wd_from_today(3, 25)
        if r.random() < 0.1:
            d.milestones.append((self.wd_from_today(3, 25), None))
            d.milestones.append((assigned.date() + timedelta(days=7), signed))
        return d

    def draw_due(self) -> Draw:
        r = self.rng
        kind = r.choices(["deadline", "overdue", "report", "sign", "milestone"],
                         weights=[35, 25, 15, 10, 15])[0]  # fmt: skip
        if kind == "deadline":  # the 3rd, 1st working day before, or the deadline itself
            due = self.wd[self.today_i + r.choice((0, 1, 3))]
            assigned, signed = self.assigned_before(due)
            return Draw("in_progress", assigned, due, signed)
        if kind == "overdue":  # every 3 working days after the deadline
            due = self.wd[self.today_i - 3 * r.randint(1, 20)]
            assigned, signed = self.assigned_before(due)
            return Draw("in_progress", assigned, due, signed)
        if kind == "sign":  # assigned yesterday, not signed after 1 working day
            return Draw("pending_sign", self.at(self.prev), self.wd_from_today(5, 20))
        due = self.wd_from_today(5, 20)
        assigned, signed = self.assigned_before(due, 10, 60)
        d = Draw("in_progress", assigned, due, signed)
        when = self.wd[self.today_i + r.choice((0, 2))]
        if kind == "report":
            d.report = when
        else:
            d.milestones.append((when, None))
        return d

    def stored_day(self, a: Any, need_fires: bool) -> tuple[date | None, bool]:
        """(next_remind_on as stored before the sweep, fires something on the day; the
        latter only computed when ``need_fires``)."""
        from luoshi.reminders.schedule import plan

        if a.assigned_at.astimezone(TZ).date() == DAY:
            today = plan(a, self.policy, DAY)
            return (DAY if today.due else today.next_on), bool(today.due)
        stored = plan(a, self.policy, self.prev).next_on
        return stored, need_fires and bool(plan(a, self.policy, DAY).due)


def hand_milestones(a: Any, stones: list[Any] | None) -> None:
    """``plan()`` reads ``a.milestones.all()``: answer it from these rows, not a query (the
    related manager returns a prefetched result as it is); ``None`` forgets them."""
    if stones is None:
        vars(a).pop("_prefetched_objects_cache", None)
    else:
        vars(a)["_prefetched_objects_cache"] = {"milestones": stones}


@dataclass
class Batch:
    matters: list[Any] = field(default_factory=list)
    assignments: list[Any] = field(default_factory=list)
    milestones: list[Any] = field(default_factory=list)


TITLE_CUT = 200


def matter_title(rng: random.Random, source: str) -> str:
    obj = rng.choice(OBJECTS)
    if source == "instruction":
        title = f"关于{obj}{rng.choice(SUFFIXES)}的批示"
    else:
        title = f"{LEADS[source]}{rng.choice(ACTIONS)}{obj}{rng.choice(SUFFIXES)}"
    return title[:TITLE_CUT]


def light_of(due: date) -> str:
    from luoshi.workcal import calendar

    if due < DAY:
        return "red"
    return "yellow" if calendar.workdays_between(DAY, due) <= 3 else "green"


def generate(gen: Generator, n: int, due_n: int, batch_size: int) -> tuple[float, list[int]]:
    """Insert ``n`` assignments (``PER_MATTER`` a matter) in batches; returns (seconds, the
    ids of the due ones)."""
    from django.core.management.color import no_style
    from django.db import connection

    from luoshi.ledger.models import Assignment, Matter, Milestone
    from luoshi.reminders import schedule

    t0 = time.perf_counter()
    # The link in a reminder's text plays no part in when it fires: skip reverse() here.
    with mock.patch.object(schedule, "task_link", lambda a: ""):
        due_ids = fill(gen, n, due_n, batch_size, t0)
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Matter, Assignment,
                                                                      Milestone]):  # fmt: skip
                c.execute(sql)
            c.execute("VACUUM ANALYZE")  # as autovacuum would after a bulk load
    return time.perf_counter() - t0, due_ids


def fill(gen: Generator, n: int, due_n: int, batch_size: int, t0: float) -> list[int]:
    from django.db import transaction
    from django.db.models import Max

    from luoshi.ledger.models import Assignment, Matter, Milestone

    rng = gen.rng
    due_at = set(rng.sample(range(n), due_n))
    next_ids = [int(m.objects.aggregate(x=Max("id"))["x"] or 0) + 1
                for m in (Matter, Assignment, Milestone)]  # fmt: skip
    matter_id, assignment_id, milestone_id = next_ids
    n_matters = math.ceil(n / PER_MATTER)
    sources = [s for s in LEADS if s != "other"]
    due_ids: list[int] = []
    batch = Batch()
    made = 0
    for m_i in range(n_matters):
        source = rng.choice(sources)
        matter = Matter(
            pk=matter_id, office=gen.desk, year=2026, number=f"督〔2026〕{m_i + 1:06d}号",
            title=matter_title(rng, source), source=source,
            content="请各牵头单位按照职责分工抓好落实，按时报送进展情况，确保按期完成。",
            category=rng.choice(["decision", "special", "routine"]),
            priority="key" if rng.random() < 0.2 else "normal",
            supervising_leader=rng.choice([*gen.leaders, None]), created_by=gen.clerk,
        )  # fmt: skip
        matter_id += 1
        tasks: list[Any] = []
        for _ in range(min(PER_MATTER, n - made)):
            unit, people = rng.choice(gen.units)
            wanted_due = made in due_at
            made += 1
            while True:
                d = gen.draw_due() if wanted_due else gen.draw_later()
                a = Assignment(
                    pk=assignment_id, matter=matter,
                    task=f"{rng.choice(ACTIONS)}{rng.choice(OBJECTS)}，{rng.choice(TASK_PARTS)}",
                    lead_unit=unit, responsible_leader=people.head.name,
                    responsible_person=people.liaison.name,
                    responsible_phone=people.liaison.phone, due_date=d.due,
                    original_due_date=d.due, progress_requirement="每月25日前报送办理进展",
                    report_cycle="monthly", status=d.status, assigned_at=d.assigned,
                    sign_due=gen.wd[min(gen.idx[d.assigned.date()] + 1, len(gen.wd) - 1)],
                    signed_at=d.signed, signed_by=people.liaison if d.signed else None,
                    next_report_due=d.report, light=light_of(d.due),
                )  # fmt: skip
                stones = [
                    Milestone(pk=milestone_id + k, assignment=a, due_date=when,
                              deliverable=rng.choice(MILESTONE_PARTS), reached_at=reached)
                    for k, (when, reached) in enumerate(d.milestones)
                ]  # fmt: skip
                hand_milestones(a, stones)
                stored, fires = gen.stored_day(a, need_fires=wanted_due)
                ok = (stored is not None and stored <= DAY and fires) if wanted_due else (
                    stored is not None and stored > DAY
                )  # fmt: skip
                if ok:
                    break
                gen.rejected += 1
            a.next_remind_on = stored
            hand_milestones(a, None)
            milestone_id += len(stones)
            assignment_id += 1
            if wanted_due:
                due_ids.append(a.pk)
            tasks.append(a)
            batch.milestones.extend(stones)
        matter.due_date = matter.stated_deadline = max(a.due_date for a in tasks)
        first = min(a.assigned_at for a in tasks)
        matter.approved_at = first - timedelta(hours=20)
        matter.assigned_at = first
        matter.assign_due = first.date()
        matter.assigned_on_time = True
        matter.received_on = first.date() - timedelta(days=3)
        pending = any(a.status == "pending_sign" for a in tasks)
        matter.status = "assigned" if pending else "in_progress"
        matter.light = "red" if "red" in {a.light for a in tasks} else "green"
        batch.matters.append(matter)
        batch.assignments.extend(tasks)
        if len(batch.assignments) >= batch_size or made == n:
            with transaction.atomic():
                Matter.objects.bulk_create(batch.matters, batch_size=2000)
                Assignment.objects.bulk_create(batch.assignments, batch_size=2000)
                Milestone.objects.bulk_create(batch.milestones, batch_size=2000)
            batch = Batch()
            elapsed = time.perf_counter() - t0
            step(f"  {made:,}/{n:,} assignments ({made / elapsed:,.0f}/s, "
                 f"{gen.rejected:,} draws redone)")  # fmt: skip
    return due_ids


def check_sample(gen: Generator, due_ids: list[int], size: int = 1000) -> str:
    """Reload a sample from the database and compare with ``schedule.plan``."""
    from luoshi.ledger.models import Assignment

    rng = random.Random(SEED + 1)  # noqa: S311 - not security
    due_sample = rng.sample(due_ids, min(size, len(due_ids)))
    later = list(Assignment.objects.filter(next_remind_on__gt=DAY).values_list("pk", flat=True)
                 .order_by("?")[:size])  # fmt: skip
    bad: list[str] = []
    checked = 0
    for ids, due_side in ((due_sample, True), (later, False)):
        for start in range(0, len(ids), 500):
            tasks = (
                Assignment.objects.filter(pk__in=ids[start : start + 500])
                .select_related("matter", "lead_unit")
                .prefetch_related("milestones")
            )
            for a in tasks:
                stored, fires = gen.stored_day(a, need_fires=due_side)
                checked += 1
                if stored != a.next_remind_on or (due_side and not fires):
                    bad.append(f"#{a.pk}: stored {a.next_remind_on}, plan says {stored}")
    if bad:
        raise SystemExit("generated data disagree with schedule.plan:\n" + "\n".join(bad[:10]))
    return f"{checked:,} sampled tasks agree with schedule.plan"


def upcoming_counts(days: int = 10) -> list[tuple[date, int]]:
    from django.db.models import Count

    from luoshi.ledger.models import Assignment

    rows = (
        Assignment.objects.filter(next_remind_on__lte=DAY + timedelta(days=days))
        .values_list("next_remind_on")
        .annotate(n=Count("id"))
        .order_by("next_remind_on")
    )
    return [(d, n) for d, n in rows]
