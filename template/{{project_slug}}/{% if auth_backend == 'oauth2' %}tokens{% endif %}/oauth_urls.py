"""The authorization server's endpoints, under /o/ (django-oauth-toolkit's, minus
its application-management pages: clients are made with `manage.py createclient`
or in the admin)."""

from django.urls import path

from . import views

# django-oauth-toolkit's views reverse their URLs in its own namespace.
app_name = "oauth2_provider"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("authorize/", views.AuthorizationView.as_view(), name="authorize"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("revoke_token/", views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", views.IntrospectTokenView.as_view(), name="introspect"),
    path(
        "device-authorization/",
        views.DeviceAuthorizationView.as_view(),
        name="device-authorization",
    ),
    path("device/", views.DeviceUserCodeView.as_view(), name="device"),
    path(
        "device-confirm/<slug:client_id>/<slug:user_code>",
        views.DeviceConfirmView.as_view(),
        name="device-confirm",
    ),
    path(
        "device-grant-status/<slug:client_id>/<slug:user_code>",
        views.DeviceGrantStatusView.as_view(),
        name="device-grant-status",
    ),
]
