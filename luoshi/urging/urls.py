from django.urls import path

from luoshi.urging import views

app_name = "urging"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("new/", views.notice_new, name="new"),
    path("stats/", views.notice_stats, name="stats"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/print/", views.notice_print, name="print"),
    path("<int:pk>/<slug:action>/", views.notice_action, name="action"),
]
