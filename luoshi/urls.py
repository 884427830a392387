from django.urls import include, path

from luoshi.core.views import healthz

urlpatterns = [
    path("", include("luoshi.workbench.urls")),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("luoshi.accounts.urls")),
    path("org/", include("luoshi.org.urls")),
    path("calendar/", include("luoshi.workcal.urls")),
    path("", include("luoshi.core.urls")),
    path("api/v1/", include("luoshi.api_urls")),
]
