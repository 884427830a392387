from django.apps import AppConfig


class SheetsConfig(AppConfig):
    name = "luoshi.sheets"
    verbose_name = "Excel 导入导出"
