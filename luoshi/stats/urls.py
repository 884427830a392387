from django.urls import path

from luoshi.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("units/", views.ranking_page, name="ranking"),
    path("export.xlsx", views.export_xlsx, name="export"),
]
