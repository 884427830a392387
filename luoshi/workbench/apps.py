from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "luoshi.workbench"
    label = "workbench"
    verbose_name = "工作台"
