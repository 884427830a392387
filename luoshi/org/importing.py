"""Import of units and users from an .xlsx sheet: parse, check, preview, then save all or nothing.

The workbook has two sheets, “单位” and “用户”, with a header row. A unit is referred to
by its name when that is unique, or by its path from the top (“某市人民政府/东城区/财政局”).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from luoshi.accounts.models import User
from luoshi.accounts.services import PHONE_RE, USERNAME_RE, user_create
from luoshi.core.errors import ServiceError
from luoshi.org.models import Unit, UnitKind
from luoshi.org.services import unit_create

UNIT_SHEET = "单位"
USER_SHEET = "用户"
UNIT_HEADERS = ["单位名称", "简称", "类型", "上级单位", "排序"]
USER_HEADERS = ["用户名", "姓名", "所属单位", "职务", "手机号码"]
KIND_BY_LABEL = {str(label): value for value, label in UnitKind.choices}
KIND_BY_LABEL.update({"乡镇": UnitKind.TOWNSHIP, "街道": UnitKind.TOWNSHIP, "市": UnitKind.CITY})
MAX_ROWS = 5000


@dataclass
class Plan:
    units: list[dict[str, Any]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return (
            len(self.file_errors)
            + sum(len(r["errors"]) for r in self.units)
            + sum(len(r["errors"]) for r in self.users)
        )

    def as_json(self) -> dict[str, Any]:
        return {"units": self.units, "users": self.users, "file_errors": self.file_errors}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        def fresh(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{**r, "errors": [], "notes": []} for r in rows]

        return cls(fresh(data.get("units", [])), fresh(data.get("users", [])), [])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_sheet(wb: Any, title: str, headers: list[str], plan: Plan) -> list[dict[str, Any]]:
    if title not in wb.sheetnames:
        return []
    ws = wb[title]
    rows = ws.iter_rows(values_only=True)
    header = [_cell(v) for v in next(rows, ())]
    missing = [h for h in headers if h not in header]
    if missing:
        plan.file_errors.append(f"工作表“{title}”缺少列：{'、'.join(missing)}。")
        return []
    index = {h: header.index(h) for h in headers}
    out = []
    for number, values in enumerate(rows, start=2):
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        row = {h: cells[i] if i < len(cells) else "" for h, i in index.items()}
        out.append({"row": number, **row, "errors": [], "notes": []})
        if len(out) > MAX_ROWS:
            plan.file_errors.append(f"工作表“{title}”超过 {MAX_ROWS} 行，请分批导入。")
            return []
    return out


def parse_workbook(data: bytes) -> Plan:
    plan = Plan()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        # openpyxl raises many unrelated types (zip, XML, key errors) for a non-workbook.
        plan.file_errors.append("无法读取文件：请上传 .xlsx 格式的 Excel 工作簿。")
        return plan
    if UNIT_SHEET not in wb.sheetnames and USER_SHEET not in wb.sheetnames:
        plan.file_errors.append("工作簿中没有名为“单位”或“用户”的工作表，请使用导入模板。")
        return plan
    plan.units = _read_sheet(wb, UNIT_SHEET, UNIT_HEADERS, plan)
    plan.users = _read_sheet(wb, USER_SHEET, USER_HEADERS, plan)
    if not plan.units and not plan.users and not plan.file_errors:
        plan.file_errors.append("工作表中没有数据行。")
    return plan


class UnitResolver:
    """Finds units by unique name or by path, in the database and among the sheet's new units."""

    def __init__(self) -> None:
        self.db = list(Unit.objects.values("id", "name", "short_name", "path", "is_active"))
        self.by_id = {u["id"]: u for u in self.db}
        self.new_paths: dict[str, str] = {}  # full path text → sheet key

    def db_path_text(self, unit: Any) -> str:
        ids = [int(p) for p in unit["path"].strip("/").split("/") if p]
        return "/".join(self.by_id[i]["name"] for i in ids if i in self.by_id)

    def find(self, ref: str) -> tuple[str, Any]:
        """("db", id) | ("new", path text) | ("missing", message) | ("ambiguous", message)."""
        ref = ref.strip().strip("/")
        if "/" in ref:
            for u in self.db:
                if self.db_path_text(u) == ref:
                    return "db", u["id"]
            if ref in self.new_paths:
                return "new", ref
            return "missing", f"找不到单位“{ref}”。"
        db_hits = [u for u in self.db if u["name"] == ref] or [
            u for u in self.db if u["short_name"] == ref
        ]
        new_hits = [p for p in self.new_paths if p.rsplit("/", 1)[-1] == ref]
        hits = len(db_hits) + len(new_hits)
        if hits == 0:
            return "missing", f"找不到单位“{ref}”。"
        if hits > 1:
            return "ambiguous", f"有多个名为“{ref}”的单位，请写出完整路径，如“上级/…/{ref}”。"
        if db_hits:
            return "db", db_hits[0]["id"]
        return "new", new_hits[0]

    def path_of(self, kind: str, value: Any) -> str:
        return self.db_path_text(self.by_id[value]) if kind == "db" else str(value)


def check_plan(plan: Plan) -> Plan:
    """Fill each row's errors against the current database; rows are dicts from the sheet."""
    resolver = UnitResolver()
    for row in plan.units:
        name = row["单位名称"]
        if not name:
            row["errors"].append("单位名称不能为空。")
        elif len(name) > 100:
            row["errors"].append("单位名称不能超过 100 个字。")
        kind = KIND_BY_LABEL.get(row["类型"])
        if kind is None:
            row["errors"].append(
                f"类型“{row['类型']}”无效，应为：{'、'.join(map(str, UnitKind.labels))}。"
            )
        if row["排序"] and not row["排序"].isdigit():
            row["errors"].append("排序须为非负整数。")
        if not row["上级单位"]:
            row["errors"].append("请填写上级单位。")
            continue
        where, value = resolver.find(row["上级单位"])
        if where in ("missing", "ambiguous"):
            row["errors"].append(value)
            continue
        if where == "db" and not resolver.by_id[value]["is_active"]:
            row["errors"].append(f"上级单位“{row['上级单位']}”已停用。")
        parent_path = resolver.path_of(where, value)
        full = f"{parent_path}/{name}"
        existing = any(resolver.db_path_text(u) == full for u in resolver.db)
        if existing:
            row["notes"].append("该单位已存在，将跳过。")
            row["skip"] = True
        elif full in resolver.new_paths:
            row["errors"].append(f"与第 {resolver.new_paths[full]} 行重复。")
        elif name:
            resolver.new_paths[full] = row["row"]
            row["skip"] = False
        row["parent_ref"] = [where, value]
        row["full_path"] = full
    seen_usernames: dict[str, int] = {}
    taken = {u.lower() for u in User.objects.values_list("username", flat=True)}
    for row in plan.users:
        username = row["用户名"]
        if not USERNAME_RE.match(username):
            row["errors"].append("用户名须为 3–64 位字母、数字或 _ . @ - 符号。")
        elif username.lower() in taken:
            row["errors"].append(f"用户名“{username}”已被使用。")
        elif username.lower() in seen_usernames:
            row["errors"].append(f"用户名与第 {seen_usernames[username.lower()]} 行重复。")
        else:
            seen_usernames[username.lower()] = row["row"]
        if not row["姓名"]:
            row["errors"].append("姓名不能为空。")
        if row["手机号码"] and not PHONE_RE.match(row["手机号码"]):
            row["errors"].append("手机号码格式不正确。")
        if not row["所属单位"]:
            row["errors"].append("请填写所属单位。")
            continue
        where, value = resolver.find(row["所属单位"])
        if where in ("missing", "ambiguous"):
            row["errors"].append(value)
        elif where == "db" and not resolver.by_id[value]["is_active"]:
            row["errors"].append(f"所属单位“{row['所属单位']}”已停用。")
        else:
            row["unit_ref"] = [where, value]
    return plan


@transaction.atomic
def apply_plan(actor: Any, plan: Plan) -> tuple[int, list[tuple[User, str]]]:
    """Create every unit and user of a checked plan, or nothing at all."""
    created_by_path: dict[str, Unit] = {}

    def resolve(ref: list[Any]) -> Unit:
        where, value = ref
        return Unit.objects.get(pk=value) if where == "db" else created_by_path[value]

    units = 0
    for row in plan.units:
        if row.get("skip"):
            continue
        try:
            unit = unit_create(
                actor,
                name=row["单位名称"],
                short_name=row["简称"],
                kind=KIND_BY_LABEL[row["类型"]],
                parent=resolve(row["parent_ref"]),
                order=int(row["排序"] or 100),
            )
        except ServiceError as exc:
            raise ServiceError(f"单位第 {row['row']} 行：{exc.message}") from None
        created_by_path[row["full_path"]] = unit
        units += 1
    users = []
    for row in plan.users:
        try:
            user, password = user_create(
                actor,
                username=row["用户名"],
                name=row["姓名"],
                unit=resolve(row["unit_ref"]),
                title=row["职务"],
                phone=row["手机号码"],
            )
        except ServiceError as exc:
            raise ServiceError(f"用户第 {row['row']} 行：{exc.message}") from None
        users.append((user, password))
    return units, users


def template_workbook() -> bytes:
    wb = Workbook()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    ws = wb.active
    assert ws is not None
    ws.title = UNIT_SHEET
    ws.append(UNIT_HEADERS)
    ws.append(["市数据局", "数据局", "部门", "某市人民政府", 30])
    ws.append(["数据资源科", "", "内设机构", "某市人民政府/市数据局", 1])
    users = wb.create_sheet(USER_SHEET)
    users.append(USER_HEADERS)
    users.append(["zhangsan", "张三", "市数据局", "办公室主任", "13800000000"])
    for sheet in (ws, users):
        for cell in sheet[1]:
            cell.font = bold
            cell.fill = fill
        for column in ("A", "B", "C", "D", "E"):
            sheet.column_dimensions[column].width = 24
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
