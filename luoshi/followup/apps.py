from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "luoshi.followup"
    label = "followup"
    verbose_name = "办理跟踪"
