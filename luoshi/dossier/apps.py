from django.apps import AppConfig


class DossierConfig(AppConfig):
    name = "luoshi.dossier"
    verbose_name = "一事一档"
