from django.contrib.auth import views as auth_views
from django.http import JsonResponse
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


class JSONMethodNotAllowed:
    """A client's endpoint answers a wrong method with a JSON error in OAuth's shape
    (Django's own 405 has no body)."""

    def http_method_not_allowed(self, request, *args, **kwargs):
        refused = super().http_method_not_allowed(request, *args, **kwargs)  # type: ignore[misc]
        return JsonResponse(
            {"error": "invalid_request", "error_description": f"{request.method} is not allowed."},
            status=405,
            headers={"Allow": refused["Allow"]},
        )


class TokenView(JSONMethodNotAllowed, oauth2_views.TokenView):
    pass


class RevokeTokenView(JSONMethodNotAllowed, oauth2_views.RevokeTokenView):
    pass


class IntrospectTokenView(JSONMethodNotAllowed, oauth2_views.IntrospectTokenView):
    """RFC 7662 introspection, for confidential clients (other resource servers).

    DOT's view also takes a bearer token with an `introspection` scope; this server
    offers no such scope, so that no user can hand it to a client."""

    def unauthenticated_response(self, request, oauthlib_request=None):
        # RFC 7662 §2.3 and RFC 6749 §5.2: a 401 naming the error, where DOT's
        # default is a bare 403.
        return JsonResponse(
            {"error": "invalid_client", "error_description": "Authenticate the client."},
            status=401,
            headers={"WWW-Authenticate": 'Basic realm="api"'},
        )


class DeviceAuthorizationView(JSONMethodNotAllowed, oauth2_views.DeviceAuthorizationView):
    pass


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
