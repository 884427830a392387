from django import forms

from luoshi.core.errors import ServiceError


def add_service_error(form: forms.Form, exc: ServiceError) -> None:
    """Show a service refusal on its field when the form has it, else above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
