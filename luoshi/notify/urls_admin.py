from django.urls import path

from luoshi.notify import views_admin

app_name = "notify_admin"

urlpatterns: list = [
    path("channels/", views_admin.channels, name="channels"),
    path("channels/add/", views_admin.channel_add, name="channel_add"),
    path("channels/<int:pk>/edit/", views_admin.channel_edit, name="channel_edit"),
    path("channels/<int:pk>/disable/", views_admin.channel_disable, name="channel_disable"),
    path("channels/<int:pk>/test/", views_admin.channel_test, name="channel_test"),
    path("outbox/", views_admin.outbox_list, name="outbox"),
    path("outbox/<int:pk>/", views_admin.outbox_detail, name="outbox_detail"),
    path("outbox/<int:pk>/retry/", views_admin.outbox_retry, name="outbox_retry"),
]
