from django import forms

from luoshi.core.errors import ServiceError


def add_service_error(form: forms.Form, exc: ServiceError) -> None:
    """Show a service refusal on its field when the form has it, else above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def is_htmx(request: object) -> bool:
    """True for a request sent by htmx, which expects a page fragment back."""
    headers = getattr(request, "headers", {})
    return bool(headers.get("HX-Request") == "true")
