from django.urls import path

from luoshi.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("export.xlsx", views.export_xlsx, name="export"),
]
