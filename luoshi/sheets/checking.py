"""Checking a read sheet against the database, and creating its matters through the
ledger's services: every problem of every row is listed before anything is saved."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from luoshi.core.errors import ServiceError
from luoshi.ledger import services as ledger
from luoshi.ledger.models import Matter, Source
from luoshi.org.models import Unit
from luoshi.sheets.dates import DeadlineError, parse_deadline
from luoshi.sheets.sources import parse_source
from luoshi.sheets.units import UnitMatcher, split_names

DATE_FIELDS = ("meeting_date", "received_on")


def _problem(row: int, column: str, message: str, suggestions: Any = ()) -> dict[str, Any]:
    return {"row": row, "column": column, "message": message, "suggestions": list(suggestions)}


def check(raw: dict[str, Any], *, year: int, source: str, category: str,
          office: Unit) -> dict[str, Any]:  # fmt: skip
    """The plan: each matter with its resolved fields, its problems and notes."""
    matcher = UnitMatcher()
    taken = set(Matter.objects.filter(office=office).exclude(number="")
                .values_list("number", flat=True))  # fmt: skip
    has_task = "task" in raw.get("columns", {})
    matters = [
        _check_matter(
            m,
            matcher,
            taken,
            year=year,
            default_source=source,
            category=category,
            has_task=has_task,
        )
        for m in raw.get("matters", [])
    ]
    file_errors = list(raw.get("file_errors", []))
    notes = []
    if matters and not has_task:
        notes.append("表中没有“工作任务”列：每项任务的内容取事项名称，导入后可在事项页修改。")
    if matters:
        notes.append(
            "事项导入后为草稿，编号在领导审批立项时生成；交办前须为每项任务补充进度要求或量化指标。"
        )
    errors = len(file_errors) + sum(len(m["problems"]) for m in matters)
    return {"matters": matters, "file_errors": file_errors, "notes": notes, "year": year,
            "error_count": errors, "columns": raw.get("columns", {})}  # fmt: skip


def _check_matter(
    m: dict[str, Any], matcher: UnitMatcher, taken: set[str], *, year: int,
    default_source: str, category: str, has_task: bool,
) -> dict[str, Any]:  # fmt: skip
    first = m["rows"][0]
    problems: list[dict[str, Any]] = []
    notes: list[str] = []
    title = m["title"].strip()
    if not title:
        problems.append(_problem(first, "事项名称", "请填写事项名称。"))
    elif len(title) > 200:
        problems.append(_problem(first, "事项名称", "事项名称不能超过 200 个字。"))
    source: str = default_source
    details: dict[str, Any] = {}
    if m["source"]:
        parsed = parse_source(m["source"])
        if parsed is None:
            labels = "、".join(str(label) for label in Source.labels)
            problems.append(
                _problem(first, "来源", f"无法识别事项来源“{m['source']}”，应为：{labels}。")
            )
        else:
            source, details = parsed
    if m["number"] and m["number"] in taken:
        notes.append(f"台账中已有编号为“{m['number']}”的事项，导入后另建一个草稿。")
    assignments = []
    for a in m["assignments"]:
        checked = _check_row(a, matcher, problems, year=year, title=title, has_task=has_task)
        if checked is not None:
            assignments.append(checked)
    dated = [a["due_date"] for a in assignments if a["due_date"]]
    long_term = any(a["long_term"] for a in assignments)
    tasks = [a["task"] for a in assignments if a["task"] != title]
    return {
        "rows": m["rows"], "seq": m["seq"], "number": m["number"], "title": title,
        "source": source, "source_label": str(Source(source).label) if source else "",
        "category": category,
        "details": {k: (v.isoformat() if isinstance(v, date) else v) for k, v in details.items()},
        "content": "\n".join(dict.fromkeys(tasks)) or title,
        "long_term": long_term,
        "stated_deadline": None if long_term or not dated else max(dated),
        "assignments": assignments, "problems": problems, "notes": notes,
    }  # fmt: skip


def _check_row(a: dict[str, Any], matcher: UnitMatcher, problems: list[dict[str, Any]], *,
               year: int, title: str, has_task: bool) -> dict[str, Any] | None:  # fmt: skip
    row = a["row"]
    fields = ("task", "lead", "co", "leader", "person", "deadline")
    if not any(a[f] for f in fields):
        return None  # a matter's only row, with no assignment (the export writes those)
    lead_names = split_names(a["lead"])
    lead_id = None
    if not lead_names:
        problems.append(_problem(row, "牵头单位", "请填写牵头单位。"))
    elif len(lead_names) > 1:
        message = f"每行只能有一个牵头单位（“{a['lead']}”），其余请写入配合单位。"
        problems.append(_problem(row, "牵头单位", message))
    else:
        found = matcher.match(lead_names[0])
        lead_id = found.unit_id
        if found.message:
            problems.append(_problem(row, "牵头单位", found.message, found.suggestions))
    co_ids: list[int] = []
    for name in split_names(a["co"]):
        found = matcher.match(name)
        if found.message:
            problems.append(_problem(row, "配合单位", found.message, found.suggestions))
        elif found.unit_id == lead_id:
            problems.append(_problem(row, "配合单位", f"配合单位“{name}”与牵头单位相同。"))
        elif found.unit_id is not None and found.unit_id not in co_ids:
            co_ids.append(found.unit_id)
    for key, label in (("leader", "责任领导"), ("person", "责任人")):
        if len(a[key]) > 50:
            problems.append(_problem(row, label, f"{label}不能超过 50 个字。"))
    due, long_term = None, False
    try:
        deadline = parse_deadline(a["deadline"], year)
    except DeadlineError as exc:
        problems.append(_problem(row, "完成时限", str(exc)))
        deadline = None
    if deadline is not None:
        due = deadline.due.isoformat() if deadline.due else None
        long_term = deadline.long_term
    return {
        "row": row, "task": (a["task"] if has_task and a["task"] else title),
        "lead_id": lead_id, "lead_name": a["lead"], "co_ids": co_ids, "co_names": a["co"],
        "leader": a["leader"], "person": a["person"], "deadline_text": a["deadline"],
        "due_date": due, "long_term": long_term,
    }  # fmt: skip


def _matter_fields(m: dict[str, Any]) -> dict[str, Any]:
    details = {
        k: (date.fromisoformat(v) if k in DATE_FIELDS and v else v) for k, v in m["details"].items()
    }
    deadline = m["stated_deadline"]
    return {
        "title": m["title"], "content": m["content"], "source": m["source"],
        "category": m["category"], "long_term": m["long_term"],
        "stated_deadline": date.fromisoformat(deadline) if deadline else None,
        **details,
    }  # fmt: skip


def create_matter(actor: Any, office: Unit, m: dict[str, Any], year: int) -> Matter:
    """One matter of ``year`` as a draft with its assignments, through the ledger's
    services."""
    matter = ledger.matter_create(actor, office=office, year=year, **_matter_fields(m))
    units = Unit.objects.in_bulk([a["lead_id"] for a in m["assignments"]]
                                 + [i for a in m["assignments"] for i in a["co_ids"]])  # fmt: skip
    for a in m["assignments"]:
        ledger.assignment_add(
            actor, matter, task=a["task"], lead_unit=units[a["lead_id"]],
            co_units=[units[i] for i in a["co_ids"]],
            responsible_leader=a["leader"], responsible_person=a["person"],
            due_date=date.fromisoformat(a["due_date"]) if a["due_date"] else None,
        )  # fmt: skip
    return matter


def row_label(m: dict[str, Any]) -> str:
    rows = m["rows"]
    return f"第 {rows[0]} 行" if len(rows) == 1 else f"第 {rows[0]}–{rows[-1]} 行"


class _Rollback(Exception):
    pass


def dry_run(actor: Any, office: Unit, plan: dict[str, Any]) -> dict[str, Any]:
    """Create every clean matter and roll back: what the services would refuse (a meeting
    without its date, a missing permission …) becomes a problem of the preview."""
    try:
        with transaction.atomic():
            for m in plan["matters"]:
                if m["problems"]:
                    continue
                try:
                    with transaction.atomic():
                        create_matter(actor, office, m, plan["year"])
                except ServiceError as exc:
                    m["problems"].append(_problem(m["rows"][0], "", exc.message))
                    plan["error_count"] += 1
            raise _Rollback
    except _Rollback:
        pass
    return plan
