from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "luoshi.demo"
    label = "demo"
    verbose_name = "演示数据"

    def ready(self) -> None:
        from luoshi.demo import guard  # noqa: F401 - registers the deploy check
