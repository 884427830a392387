from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from luoshi.core.api_docs import ApiDocsView
from luoshi.core.views import healthz

urlpatterns = [
    path("", include("luoshi.workbench.urls")),
    path("healthz", healthz, name="healthz"),
    path("accounts/mfa/", include("luoshi.mfa.urls")),
    path("accounts/", include("luoshi.accounts.urls")),
    path("org/", include("luoshi.org.urls")),
    path("calendar/", include("luoshi.workcal.urls")),
    path("", include("luoshi.ledger.urls")),
    path("", include("luoshi.followup.urls")),
    path("", include("luoshi.core.urls")),
    path("notifications/", include("luoshi.notify.urls")),
    path("notifications/admin/", include("luoshi.notify.urls_admin")),
    path("urging/", include("luoshi.urging.urls")),
    path("reminders/", include("luoshi.reminders.urls")),
    path("stats/", include("luoshi.stats.urls")),
    path("sheets/", include("luoshi.sheets.urls")),
    path("documents/", include("luoshi.documents.urls")),
    path("public/", include("luoshi.documents.urls_public")),
    path("audit/", include("luoshi.audit.urls")),
    path("", include("luoshi.dossier.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="schema"), name="api_docs"),
    path("api/v1/", include("luoshi.api_urls")),
]
