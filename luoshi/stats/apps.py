from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "luoshi.stats"
    verbose_name = "统计分析"
