from django.urls import path

from luoshi.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.record_list, name="list"),
    path("export.xlsx", views.record_export, name="export"),
    path("verify/", views.chain_check, name="verify"),
    path("<int:seq>/", views.record_detail, name="detail"),
]
