"""Errors raised by service functions; views and the API turn them into Chinese messages."""


class ServiceError(Exception):
    """A business rule refused the change; nothing was written."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotPermitted(ServiceError):
    """The actor's roles do not cover this change."""
