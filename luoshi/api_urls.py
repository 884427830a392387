from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from luoshi.org import api as org_api
from luoshi.workcal import api as workcal_api

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("me/", org_api.me, name="me"),
    path("units/", org_api.UnitList.as_view(), name="units"),
    path("calendar/add-workdays/", workcal_api.add_workdays, name="add_workdays"),
    path("calendar/workdays-between/", workcal_api.workdays_between, name="workdays_between"),
    path("calendar/is-workday/", workcal_api.is_workday, name="is_workday"),
]
