from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "luoshi.audit"
    verbose_name = "安全审计"

    def ready(self) -> None:
        from luoshi.audit import signals  # noqa: F401
