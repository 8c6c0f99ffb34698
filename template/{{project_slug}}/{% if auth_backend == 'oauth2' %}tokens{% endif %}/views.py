from django.contrib.auth import views as auth_views
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import extend_schema
from oauth2_provider import views as oauth2_views
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from .devices import remember_device
from .services import revoke_token, revoke_tokens
from .throttles import account_key, throttled_login


class LoginView(auth_views.LoginView):
    """The page where a person logs in on the way to the authorization endpoint;
    limited like the API login, known devices included."""

    template_name = "tokens/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        return throttled_login(request) or super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        account = account_key(self.request.POST, "username")
        if account is not None:
            remember_device(response, account, path=self.request.path)
        return response


class AuthorizationView(oauth2_views.AuthorizationView):
    """The consent page of the authorization code flow."""

    template_name = "tokens/authorize.html"


class DeviceUserCodeView(oauth2_views.DeviceUserCodeView):
    """Where a person types the code a device shows (RFC 8628)."""

    template_name = "tokens/device_code.html"


class DeviceConfirmView(oauth2_views.DeviceConfirmView):
    template_name = "tokens/device_confirm.html"


class DeviceGrantStatusView(oauth2_views.DeviceGrantStatusView):
    template_name = "tokens/device_status.html"


@method_decorator(never_cache, name="dispatch")
class LogoutView(APIView):
    """Revoke the access token used for this request, and its refresh token."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if request.auth is not None:
            revoke_token(request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    """Revoke every access and refresh token of the user, on every client."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        revoke_tokens(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
