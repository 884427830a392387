from django.urls import path

from luoshi.documents import views, views_urging

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("new/", views.document_new, name="new"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/edit/", views.document_edit, name="edit"),
    path("<int:pk>/file.<slug:ext>", views.document_download, name="download"),
    path("<int:pk>/<slug:action>/", views.document_action, name="action"),
    # A 催办单 / 督办通知 of the urging app in the same layout.
    path("urging/<int:pk>/file.<slug:ext>", views_urging.urging_download, name="urging_download"),
]
