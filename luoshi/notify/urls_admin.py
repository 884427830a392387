from django.urls import path

app_name = "notify_admin"

urlpatterns: list = []
