"""The public site: published circulars and results, no login, nothing else."""

from django.urls import path  # noqa: F401

app_name = "public"

urlpatterns: list = []
