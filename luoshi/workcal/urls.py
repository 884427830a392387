from django.urls import path

from luoshi.workcal import views

app_name = "workcal"

urlpatterns = [
    path("", views.index, name="index"),
    path("years/new/", views.year_create, name="year_create"),
    path("years/<int:year>/", views.year_detail, name="year"),
    path("years/<int:year>/status/", views.year_status, name="year_status"),
    path("years/<int:year>/days/<str:day>/delete/", views.day_delete, name="day_delete"),
    path("calculator/", views.calculator, name="calculator"),
]
