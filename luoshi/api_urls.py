from django.urls import include, path
from rest_framework.routers import SimpleRouter

from luoshi.core import views_pii
from luoshi.documents import api as documents_api
from luoshi.dossier import api as dossier_api
from luoshi.followup import api as followup_api
from luoshi.followup import api_extensions, api_matters, api_reports
from luoshi.ledger import api as ledger_api
from luoshi.notify import api as notify_api
from luoshi.org import api as org_api
from luoshi.reminders import api as reminders_api
from luoshi.sheets import api as sheets_api
from luoshi.stats import api as stats_api
from luoshi.urging import api as urging_api
from luoshi.workcal import api as workcal_api

app_name = "api"

router = SimpleRouter()
router.register("matters", ledger_api.MatterViewSet, basename="matter")
# The follow-through actions hang under the same prefixes; these viewsets only add
# detail routes (…/{id}/close/, …/{id}/reports/), never a list or detail of their own.
router.register("matters", api_matters.MatterFollowupViewSet, basename="matter-followup")
router.register("assignments", ledger_api.AssignmentViewSet, basename="assignment")
router.register(
    "assignments", followup_api.AssignmentFollowupViewSet, basename="assignment-followup"
)
router.register("reports", api_reports.ReportViewSet, basename="report")
router.register("attachments", api_reports.AttachmentViewSet, basename="attachment")
router.register("extensions", api_extensions.ExtensionViewSet, basename="extension")
router.register("urgings", urging_api.UrgingViewSet, basename="urging")
router.register("notifications", notify_api.NotificationViewSet, basename="notification")
router.register("documents", documents_api.DocumentViewSet, basename="document")

urlpatterns = [
    path("me/", org_api.me, name="me"),
    path("units/", org_api.UnitList.as_view(), name="units"),
    path("calendar/add-workdays/", workcal_api.add_workdays, name="add_workdays"),
    path("calendar/workdays-between/", workcal_api.workdays_between, name="workdays_between"),
    path("calendar/is-workday/", workcal_api.is_workday, name="is_workday"),
    path("reminder-policy/", reminders_api.reminder_policy, name="reminder_policy"),
    path("reminders/", reminders_api.reminder_log, name="reminders"),
    path("ledger/export/", sheets_api.ledger_export, name="ledger_export"),
    path("stats/", stats_api.stats, name="stats"),
    path("matters/<int:pk>/dossier/", dossier_api.matter_dossier, name="matter_dossier"),
    path(
        "assignments/<int:pk>/responsible-phone/",
        views_pii.assignment_phone,
        name="assignment_responsible_phone",
    ),
    path("", include(router.urls)),
]
