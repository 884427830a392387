from django.urls import path

from luoshi.notify import views

app_name = "notify"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("unread/", views.unread_count, name="unread_count"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("<int:pk>/open/", views.open_notification, name="open"),
    path("<int:pk>/read/", views.mark_read, name="read"),
]
