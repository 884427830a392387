from django.urls import path

from luoshi.dossier import views

app_name = "dossier"

urlpatterns = [
    path("matters/<int:pk>/dossier.zip", views.matter_zip, name="matter_zip"),
]
