"""The pages bench/run.py times: who asks for what, and how the URL is found on this data
(the cursor of page 2,000, the busiest unit, the matter with the long history)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

LIST, DASHBOARD = 0.100, 0.300
PAGE_2000 = 2000
KEYWORD = "安全生产"


@dataclass
class Page:
    name: str
    what: str
    who: str
    make: Callable[[dict[str, Any]], tuple[str, str]]
    target: float = LIST

    def path(self, manifest: dict[str, Any]) -> tuple[str, str]:
        return self.make(manifest)


def _office() -> Any:
    from luoshi.accounts.models import User

    return User.objects.get(username="office")


def page_2000(manifest: dict[str, Any]) -> tuple[str, str]:
    """The cursor that opens page 2,000 of the office's ledger (newest first, 30 a page):
    the id of the last row of page 1,999, as the page's own 下一页 link carries it. On a
    smaller data set: the last page."""
    from luoshi.ledger.filters import encode_cursor
    from luoshi.ledger.selectors import matter_queryset_for
    from luoshi.ledger.views import PAGE_SIZE

    ids = matter_queryset_for(_office()).order_by("-id").values_list("id", flat=True)
    total = ids.count()
    page = min(PAGE_2000, max(2, (total + PAGE_SIZE - 1) // PAGE_SIZE))
    last_of_previous = ids[(page - 1) * PAGE_SIZE - 1]
    return f"/ledger/?after={encode_cursor(last_of_previous, last_of_previous)}", f"第 {page:,} 页"


def busiest_unit() -> int:
    from luoshi.demo import data
    from luoshi.org.models import Unit

    return Unit.objects.get(name=data.HOUSING).pk


def filtered(manifest: dict[str, Any]) -> tuple[str, str]:
    return "/ledger/?year=2026&status=in_progress&light=red&sort=due_date", ""


def by_unit(manifest: dict[str, Any]) -> tuple[str, str]:
    return f"/ledger/?lead_unit={busiest_unit()}&sort=-due_date", "住建局牵头"


def fixed(path: str, note: str = "") -> Callable[[dict[str, Any]], tuple[str, str]]:
    return lambda manifest: (path, note)


def long_matter(manifest: dict[str, Any]) -> tuple[str, str]:
    from luoshi.ledger.models import MatterEvent

    pk = manifest["long_matter"]
    events = MatterEvent.objects.filter(matter_id=pk).count()
    return f"/ledger/{pk}/", f"{events:,} 条记录"


PAGES = [
    Page("ledger", "督查室台账首页", "office", fixed("/ledger/")),
    Page("ledger_p2000", "督查室台账翻页", "office", page_2000),
    Page("ledger_filter", "台账筛选：2026 办理中 红灯 按时限", "office", filtered),
    Page("ledger_unit", "台账筛选：牵头单位（含下级）", "office", by_unit),
    Page("ledger_search", f"关键词检索“{KEYWORD}”", "office", fixed(f"/ledger/?q={KEYWORD}")),
    Page("ledger_search_2026", "关键词 + 年度", "office", fixed(f"/ledger/?q={KEYWORD}&year=2026")),
    Page("tasks", "督查室任务列表", "office", fixed("/tasks/")),
    Page("unit_tasks", "联络员台账（承办任务，本单位）", "liaison", fixed("/tasks/")),
    Page("unit_tasks_red", "联络员台账：红灯", "liaison", fixed("/tasks/?light=red")),
    Page("unit_workbench", "联络员工作台", "liaison", fixed("/")),
    Page("office_workbench", "督查室工作台", "office", fixed("/")),
    Page("matter_long", "事项详情（长时间线）", "office", long_matter),
    Page("dashboard_year", "统计：2026 年度", "office", fixed("/stats/?year=2026"), DASHBOARD),
    Page("dashboard_all", "统计：全部年度", "office", fixed("/stats/?year=all"), DASHBOARD),
    # 立即刷新: the figures computed for the request (what a snapshot costs to make).
    Page(
        "dashboard_year_refresh",
        "统计：2026 年度，立即刷新",
        "office",
        fixed("/stats/?year=2026&refresh=1"),
        0,
    ),
    Page(
        "dashboard_all_refresh",
        "统计：全部年度，立即刷新",
        "office",
        fixed("/stats/?year=all&refresh=1"),
        0,
    ),
]
