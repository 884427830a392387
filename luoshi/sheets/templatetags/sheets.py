from typing import Any

from django import template

from luoshi.accounts import access
from luoshi.sheets.services import IMPORTERS

register = template.Library()


@register.filter
def can_import_sheets(user: Any) -> bool:
    """The ledger page shows “导入责任分解表” to those who may import."""
    return access.has_role(user, IMPORTERS)
