from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "luoshi.reminders"
    label = "reminders"
    verbose_name = "督办提醒"

    def ready(self) -> None:
        from luoshi.reminders import receivers  # noqa: F401
