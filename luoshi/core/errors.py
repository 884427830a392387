"""Errors raised by service functions; views and the API turn them into Chinese messages.

Each carries a machine ``code`` for API clients beside the Chinese message for people.
"""


class ServiceError(Exception):
    """A business rule refused the change; nothing was written."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotPermitted(ServiceError):
    """The actor's roles do not cover this change."""

    code = "forbidden"
    status = 403


class StaleObject(ServiceError):
    """Someone else changed the object since it was read: reload, never overwrite."""

    code = "conflict"
    status = 409
