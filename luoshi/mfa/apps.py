from django.apps import AppConfig


class MfaConfig(AppConfig):
    name = "luoshi.mfa"
    verbose_name = "双因素认证"
