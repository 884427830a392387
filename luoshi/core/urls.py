from django.urls import path

from luoshi.core import views, views_pii

app_name = "core"

urlpatterns = [
    path("system/loops/", views.loops_page, name="loops"),
    path("pii/<slug:kind>/<int:pk>/phone/", views_pii.reveal_phone, name="reveal_phone"),
]
