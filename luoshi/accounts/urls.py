from django.urls import path

from luoshi.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/toggle/", views.user_toggle, name="user_toggle"),
    path("users/<int:pk>/reset-password/", views.user_reset_password, name="user_reset_password"),
    path("grants/", views.grant_list, name="grant_list"),
    path("grants/user/<int:user_pk>/", views.grant_create, name="grant_create"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("security/", views.security_policy, name="security_policy"),
    path("security/locks/<int:pk>/release/", views.lock_release, name="lock_release"),
]
