from django.urls import path

app_name = "urging"

urlpatterns: list = []
