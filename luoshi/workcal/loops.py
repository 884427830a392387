from django.utils import timezone

from luoshi.workcal.selectors import published_years
from luoshi.workcal.services import calendar_seed_from_package


def calendar_sync() -> str:
    """Take in years that a newer ``chinesecalendar`` knows, and report a missing next year."""
    added = calendar_seed_from_package()
    next_year = timezone.localdate().year + 1
    parts = [f"新增 {', '.join(map(str, added))} 年" if added else "无新增年份"]
    if next_year not in published_years():
        parts.append(f"{next_year} 年安排尚未录入")
    return "；".join(parts)
