from django.urls import path

from luoshi.mfa import views, views_admin, views_settings

app_name = "mfa"

urlpatterns = [
    path("", views_settings.settings_page, name="settings"),
    path("recovery-codes/", views_settings.renew, name="renew"),
    path("remove/", views_settings.remove, name="remove"),
    path("verify/", views.verify, name="verify"),
    path("enrol/", views.enrol, name="enrol"),
    path("enrol/done/", views.enrol_done, name="enrol_done"),
    path("cancel/", views.cancel, name="cancel"),
    path("devices/", views_admin.device_list, name="devices"),
    path("devices/<int:pk>/", views_admin.device_detail, name="device"),
]
