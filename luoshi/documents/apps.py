from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "luoshi.documents"
    verbose_name = "督查公文"
