from typing import Any

from django import template

from luoshi.dossier.collect import can_download

register = template.Library()


@register.inclusion_tag("dossier/_link.html", takes_context=True)
def dossier_link(context: Any, matter: Any) -> dict[str, Any]:
    """The 一事一档 download, shown only to those who may take the whole file."""
    user = context["request"].user
    return {"matter": matter, "show": can_download(user, matter)}
