"""The objects the authorization tests point at, built once through the real services.

Owners: ``A`` is 市住房和城乡建设局 (liaison_a, head_a), ``B`` 市生态环境局 (liaison_b), ``D`` a
district 督查室 under 东湖区 with its own office admin (office_d): the city's office, leaders
and observers see all three; each unit and the district office only their own. Objects
without an owning unit (users, units, channels, …) are owned by ``*``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from luoshi.accounts.models import LoginLock, RoleGrant, User
from luoshi.accounts.roles import Role
from luoshi.audit.events import Event
from luoshi.audit.models import AuditRecord
from luoshi.audit.services import audit
from luoshi.documents import services as documents
from luoshi.followup.models import Attachment
from luoshi.followup.services import extensions, reports
from luoshi.ledger import services as ledger
from luoshi.ledger.models import Assignment, SavedFilter
from luoshi.ledger.tests.factories import make_matter
from luoshi.mfa.models import TotpDevice
from luoshi.notify.models import ChannelConfig, Notification, Outbox
from luoshi.org.models import ImportBatch, Unit, UnitKind
from luoshi.org.services import unit_create
from luoshi.sheets.models import SheetImport
from luoshi.urging import services as urging
from luoshi.workbench.tests.scenario import REASON, TEXT, build, make_task
from luoshi.workcal.models import CalendarYear

# The owners each kind of object has in the world (the matrix is generated from this before
# the world is built; a test checks the world matches).
KIND_OWNERS: dict[str, list[str]] = {
    "matter": ["A", "B", "D"],
    "assignment": ["A", "B", "D"],
    "report": ["A", "B"],
    "attachment": ["A", "B"],
    "extension": ["A", "B"],
    "urging": ["A", "B"],
    "notification": ["A", "B"],
    "document": ["A", "D"],
    **{
        kind: ["*"]
        for kind in (
            "published",
            "saved_filter",
            "user",
            "grant",
            "lock",
            "mfa_device",
            "audit_record",
            "unit",
            "org_import",
            "sheet_import",
            "calendar_year",
            "channel",
            "outbox",
        )
    },
}
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
URGE = "请于本周内报送最新进展，说明滞后原因及整改措施。"


@dataclass
class World:
    users: dict[str, User]
    # (kind, owner) → pk of the object that kind's URLs are requested with
    objects: dict[tuple[str, str], int] = field(default_factory=dict)
    # an object in the state one action needs: "matter:to_approve" → pk
    named: dict[str, int] = field(default_factory=dict)
    published: int = 0

    def pk(self, kind: str, owner: str) -> int:
        return self.objects[(kind, owner)]


def _district_office(units: dict[str, Unit]) -> tuple[Unit, User]:
    office = unit_create(
        None, name="东湖区督查室", kind=UnitKind.OFFICE, parent=units["东湖区"], order=1
    )
    user = User.objects.create_user(
        "office_d", password="Luoshi@2026", name="区督查室主任", unit=office
    )
    RoleGrant.objects.create(user=user, role=Role.OFFICE_ADMIN, unit=office)
    return office, user


def _extra_users(units: dict[str, Unit]) -> User:
    invited = User.objects.create_user(
        "invited", password="Luoshi@2026", name="特邀督查员", unit=units["市政府督查室"]
    )
    RoleGrant.objects.create(
        user=invited, role=Role.INVITED_INSPECTOR, unit=units["清河市人民政府"]
    )
    return invited


def _unit_objects(w: World, users: Any, owner: str, a: Assignment, who: str) -> None:
    """A report with a file, an extension request, an urging notice, a notification."""
    liaison = users[who]
    report = reports.report_submit(
        liaison, a, text=TEXT, progress=40, files=[SimpleUploadedFile("进展照片.png", PNG)]
    )
    w.objects[("report", owner)] = report.pk
    att = Attachment.objects.filter(assignment=a).order_by("id").first()
    assert att is not None
    w.objects[("attachment", owner)] = att.pk
    ext = extensions.extension_request(liaison, a, date(2026, 12, 31), REASON)
    w.objects[("extension", owner)] = ext.pk
    notice = urging.urging_issue(users["office"], a, unit=a.lead_unit, text=URGE)
    w.objects[("urging", owner)] = notice.pk
    note = Notification.objects.create(user=liaison, kind="test", title=f"{owner} 的消息")
    w.objects[("notification", owner)] = note.pk
    w.objects[("matter", owner)] = a.matter_id
    w.objects[("assignment", owner)] = a.pk


def build_world(users: dict[str, User], units: dict[str, Unit], clock: Any) -> World:
    made = build(users, units, clock)  # every state of unit A's tasks, and B's "other"
    w = World(users=users)
    for key in ("to_sign", "head_report", "returned_report", "review_report", "ext_request",
                "ext_leader_request", "verify", "verified", "reported", "closed", "cancel",
                "to_approve", "red", "late", "yellow", "head", "review", "ext"):  # fmt: skip
        w.named[key] = made[key].pk
    w.named["reported_matter"] = made["reported"].matter_id
    w.named["unit_b"] = units["市生态环境局"].pk
    running = make_task(users, units, "市住建局授权测试事项", date(2026, 12, 15))
    _unit_objects(w, users, "A", running, "liaison_a")
    _unit_objects(w, users, "B", made["other"], "liaison_b")
    w.named["running"] = running.pk
    co_matter = make_matter(users, units, title="有配合单位的事项", assigned=True)
    co_task = co_matter.assignments.get()
    ledger.assignment_sign(users["liaison_a"], co_task)
    w.named["co_assignment"] = co_task.pk
    w.named["co_unit"] = co_task.co_units.get().pk

    office_d, user_d = _district_office(units)
    w.users["office_d"] = user_d
    w.users["invited"] = _extra_users(units)
    matter_d = ledger.matter_create(
        user_d, office=office_d, title="东湖区督查事项", content="东湖区督查事项的内容",
        source="meeting", category="decision", meeting_name="区政府常务会议",
        meeting_date=date(2026, 11, 20), stated_deadline=date(2026, 12, 31),
    )  # fmt: skip
    a_d = ledger.assignment_add(
        user_d, matter_d, task="东湖区任务", lead_unit=units["湖滨街道"],
        responsible_leader="某主任", responsible_person="某科长", due_date=date(2026, 12, 31),
        progress_requirement="每月报送",
    )  # fmt: skip
    ledger.matter_submit(user_d, matter_d)
    ledger.matter_approve(users["leader"], matter_d)  # the city's leaders cover the district
    ledger.matter_assign(user_d, matter_d)
    w.objects[("matter", "D")], w.objects[("assignment", "D")] = matter_d.pk, a_d.pk

    city_office = units["市政府督查室"]
    office = users["office"]
    draft = documents.document_create(office, city_office, "brief", body="一、总体情况\n正文。")
    w.objects[("document", "A")] = draft.pk
    w.objects[("document", "D")] = documents.document_create(user_d, office_d, "brief").pk
    public = documents.document_create(office, city_office, "circular", body="一、情况\n正文。")
    public = documents.document_issue(office, public)
    w.published = documents.document_publish(office, public).pk
    w.objects[("published", "*")] = w.published

    _admin_objects(w, users, units)
    return w


def _admin_objects(w: World, users: dict[str, User], units: dict[str, Unit]) -> None:
    """One of each object only administrators handle."""
    w.objects[("saved_filter", "*")] = SavedFilter.objects.create(
        user=users["liaison_a"], name="我的筛选", query="status=in_progress"
    ).pk
    w.objects[("user", "*")] = users["liaison_a"].pk
    grant = RoleGrant.objects.get(user=users["liaison_a"])
    w.objects[("grant", "*")] = grant.pk
    w.objects[("unit", "*")] = units["市住房和城乡建设局"].pk
    w.objects[("org_import", "*")] = ImportBatch.objects.create(
        created_by=users["sysadmin"], filename="units.xlsx"
    ).pk
    w.objects[("sheet_import", "*")] = SheetImport.objects.create(
        created_by=users["office"], office=units["市政府督查室"], filename="ledger.xlsx",
        year=2026, default_source="meeting", default_category="decision",
    ).pk  # fmt: skip
    year = CalendarYear.objects.order_by("year").values_list("year", flat=True).first()
    assert year is not None
    w.objects[("calendar_year", "*")] = year
    w.objects[("channel", "*")] = ChannelConfig.objects.create(
        kind="wecom", name="住建局工作群", url="https://qyapi.example.cn/robot?key=x",
        unit=units["市住房和城乡建设局"],
    ).pk  # fmt: skip
    outbox = Outbox.objects.order_by("id").first()
    assert outbox is not None, "urging notices queue messages"
    w.objects[("outbox", "*")] = outbox.pk
    w.objects[("lock", "*")] = LoginLock.objects.create(
        scope=LoginLock.Scope.USERNAME, key="liaison_a", locked_at=timezone.now(),
        locked_until=timezone.now() + timedelta(minutes=30),
    ).pk  # fmt: skip
    w.objects[("mfa_device", "*")] = TotpDevice.objects.create(
        user=users["office"], secret="JBSWY3DPEHPK3PXP", confirmed_at=timezone.now()
    ).pk
    audit(Event.WRITE, actor=users["office"], detail="授权测试")
    record = AuditRecord.objects.order_by("seq").first()
    assert record is not None
    w.objects[("audit_record", "*")] = record.seq
