"""Where each figure leads: task figures to the task list (its drill-down ``flag``), matter
figures to the ledger, both carrying the scope's filters."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from luoshi.stats.figures import Scope


def _url(name: str, query: dict[str, Any]) -> str:
    clean = {k: str(v) for k, v in query.items() if v not in (None, "")}
    return f"{reverse(name)}?{urlencode(clean)}"


def task_url(scope: Scope, **params: Any) -> str:
    return _url("ledger:assignments", {
        "year": scope.year,
        "from": scope.date_from,
        "to": scope.date_to,
        "leader": scope.leader_id,
        "unit": scope.unit.pk if scope.unit else None,
        **params,
    })  # fmt: skip


def ledger_url(scope: Scope, **params: Any) -> str:
    """The ledger with the scope's filters; the 交办 period becomes its hidden
    ``assigned_from``/``assigned_to`` window, as ``matters_in_scope`` counts it."""
    return _url("ledger:ledger", {
        "year": scope.year,
        "leader": scope.leader_id,
        "lead_unit": scope.unit.pk if scope.unit else None,
        "assigned_from": scope.date_from,
        "assigned_to": scope.date_to,
        **params,
    })  # fmt: skip


# rate → (numerator label, numerator flag, denominator label, denominator flag, unit word)
RATE_PARTS: dict[str, tuple[str, str, str, str, str]] = {
    "completion": ("已办结", "completed", "任务", "assigned", "项"),
    "on_time": ("按期办结", "on_time", "已办结", "completed", "项"),
    "overdue_rate": ("逾期", "overdue", "任务", "assigned", "项"),
    "sign_on_time": ("按时签收", "signed_on_time", "已签收", "signed", "项"),
    "report_on_time": ("按时报送", "report_on_time", "报送反馈", "reported", "份"),
    "returned": ("被退回", "report_returned", "审核", "report_reviewed", "次"),
}
