from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "luoshi.accounts"
    label = "accounts"
    verbose_name = "账户与角色"

    def ready(self) -> None:
        from luoshi.accounts import sessions  # noqa: F401 - connects the login-time stamp
