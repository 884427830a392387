from django.urls import path

from luoshi.ledger import views, views_actions, views_tasks

app_name = "ledger"

urlpatterns = [
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/new/", views.matter_create, name="matter_create"),
    path("ledger/policy/", views.policy_edit, name="policy"),
    path("ledger/filters/", views.saved_filter_save, name="filter_save"),
    path("ledger/filters/<int:pk>/delete/", views.saved_filter_delete, name="filter_delete"),
    path("ledger/<int:pk>/", views.matter_detail, name="matter"),
    path("ledger/<int:pk>/edit/", views.matter_edit, name="matter_edit"),
    path("ledger/<int:pk>/assignments/", views.assignment_add, name="assignment_add"),
    path("ledger/<int:pk>/<slug:action>/", views_actions.matter_action, name="matter_action"),
    path("tasks/", views_tasks.assignment_list, name="assignments"),
    path("tasks/<int:pk>/", views_tasks.assignment_detail, name="assignment"),
    path("tasks/<int:pk>/remove/", views.assignment_remove, name="assignment_remove"),
    path(
        "tasks/<int:pk>/<slug:action>/", views_actions.assignment_action, name="assignment_action"
    ),
    path("work/", views_tasks.my_work, name="my_work"),
]
