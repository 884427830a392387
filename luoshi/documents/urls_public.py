"""The public site: published circulars and results, no login, nothing else.

These views carry no login decorator on purpose (this project requires login per view,
not by middleware): everything under /public/ is readable by anyone."""

from django.urls import path

from luoshi.documents import views_public

app_name = "public"

urlpatterns = [
    path("", views_public.public_index, name="index"),
    path("<int:pk>/", views_public.public_detail, name="detail"),
    path("<int:pk>/file.<slug:ext>", views_public.public_download, name="download"),
]
