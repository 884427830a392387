from django.urls import path

from luoshi.sheets import views

app_name = "sheets"

urlpatterns = [
    path("ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_preview, name="preview"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="confirm"),
    path("import/<int:pk>/discard/", views.import_discard, name="discard"),
]
