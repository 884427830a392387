from django.urls import path

from luoshi.reminders import views

app_name = "reminders"

urlpatterns = [
    path("log/", views.reminder_log, name="log"),
    path("policy/", views.policy_edit, name="policy"),
]
