from django.urls import path

from luoshi.core import views

app_name = "core"

urlpatterns = [path("system/loops/", views.loops_page, name="loops")]
