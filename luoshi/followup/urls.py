from django.urls import path

from luoshi.followup import (
    views_closing,
    views_completion,
    views_extensions,
    views_files,
    views_reports,
)

app_name = "followup"

# Under their own prefix: the ledger's "tasks/<pk>/<action>/" and "ledger/<pk>/<action>/"
# patterns come first and would swallow these.
urlpatterns = [
    path("followup/tasks/<int:pk>/report/", views_reports.report_submit, name="report_submit"),
    path(
        "followup/reports/<int:pk>/resubmit/",
        views_reports.report_resubmit,
        name="report_resubmit",
    ),
    path(
        "followup/reports/<int:pk>/<slug:action>/",
        views_reports.report_decide,
        name="report_decide",
    ),
    path(
        "followup/tasks/<int:pk>/extension/",
        views_extensions.extension_request,
        name="extension_request",
    ),
    path(
        "followup/extensions/<int:pk>/<slug:action>/",
        views_extensions.extension_decide,
        name="extension_decide",
    ),
    path(
        "followup/tasks/<int:pk>/completion/",
        views_completion.completion_request,
        name="completion_request",
    ),
    path("followup/tasks/<int:pk>/verify/", views_completion.verify, name="verify"),
    path(
        "followup/matters/<int:pk>/<slug:action>/",
        views_closing.matter_closing,
        name="matter_closing",
    ),
    path("followup/files/<int:pk>/", views_files.evidence_file, name="file"),
]
