from django.urls import path

from luoshi.workbench import views

app_name = "workbench"

urlpatterns = [
    path("", views.home, name="home"),
    path("lights/", views.lights_by_unit, name="lights"),
    path("my-matters/", views.my_matters, name="my_matters"),
]
