import json
import math

from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.utils import extend_schema
from oauth2_provider import views as oauth2_views
from oauth2_provider.models import get_device_grant_model
from oauth2_provider.signals import app_authorized
from oauthlib.common import Request as OAuthlibRequest
from oauthlib.common import urlencode
from oauthlib.oauth2.rfc6749 import errors
from oauthlib.oauth2.rfc8628 import errors as rfc8628_errors
from rest_framework import status
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from ..users.devices import remember_device
from ..users.login_throttles import account_key, throttled_login
from ..users.sessions import end_sessions
from .models import ResourceServer
from .queries import access_token
from .services import claim_device_grant, revoke_token, revoke_tokens
from .validators import DEVICE_CODE


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


def is_resource_server(client):
    return client is not None and ResourceServer.objects.filter(application=client).exists()


def oauth_error(error):
    return JsonResponse(
        {"error": error.error, "error_description": error.description},
        status=error.status_code,
        headers={"Cache-Control": "no-store"},
    )


class TokenView(JSONMethodNotAllowed, oauth2_views.TokenView):
    @method_decorator(sensitive_post_parameters("password", "client_secret"))
    def authorization_flow_token_response(self, request, *args, **kwargs):
        """DOT's, except that the token just issued is read back for DOT's
        `app_authorized` signal without .get(): a replay of its code, an instant
        later, may already have revoked it (a 500 in DOT's)."""
        _, headers, body, status_code = self.create_token_response(request)
        if status_code == 200:
            token = access_token(json.loads(body)["access_token"])
            if token is not None:
                app_authorized.send(sender=self, request=request, token=token)
        return HttpResponse(body, status=status_code, headers=headers)

    def device_flow_token_response(self, request, device_code, *args, **kwargs):
        """The device's poll (RFC 8628 §3.4-3.5), in place of DOT's, which reads the
        grant again with .get() (a 500 when a concurrent poll took it), answers an
        unknown code 404 `device_not_found`, and gives tokens past the grant's
        expiry and for a deactivated user. The validator takes the code out of use
        with the tokens it gives; an exchanged code is then unknown."""
        grant = (
            get_device_grant_model()
            .objects.select_related("user")
            .filter(device_code=device_code)
            .first()
        )
        if grant is None or (grant.user is not None and not grant.user.is_active):
            return oauth_error(errors.InvalidGrantError())
        if grant.is_expired():  # which marks it expired
            return oauth_error(rfc8628_errors.ExpiredTokenError())
        if grant.status == grant.AUTHORIZATION_PENDING:
            return oauth_error(rfc8628_errors.AuthorizationPendingError())
        if grant.status != grant.AUTHORIZED:
            return oauth_error(rfc8628_errors.AccessDenied())
        _, headers, body, status_code = self.create_token_response(request)
        return HttpResponse(body, status=status_code, headers=headers)

    def post(self, request, *args, **kwargs):
        if request.POST.get("grant_type") == DEVICE_CODE and "device_code" not in request.POST:
            return oauth_error(errors.InvalidRequestError(description="Missing device_code."))
        response = super().post(request, *args, **kwargs)
        # Every answer here is JSON; oauthlib's errors raised after its validation
        # (the one-use checks) come without the header.
        response["Content-Type"] = "application/json"
        return response


class RevokeTokenView(JSONMethodNotAllowed, oauth2_views.RevokeTokenView):
    pass


class IntrospectTokenView(JSONMethodNotAllowed, oauth2_views.IntrospectTokenView):
    """RFC 7662 introspection, for the confidential clients designated as resource
    servers (`createclient --resource-server`, or in the admin): any other client
    is refused as unauthenticated (§2.1), a third party's included.

    DOT's view also takes a bearer token with an `introspection` scope; this server
    offers no such scope, so that no user can hand it to a client. Its answer names
    the user by username (the email, on an email user model); this one by id."""

    def authenticate_client(self, request):
        # As DOT's own, but keeping the client it found (built as DOT's device
        # authorization view builds its request).
        core = self.get_oauthlib_core()
        oauthlib_request = OAuthlibRequest(
            request.build_absolute_uri(),
            http_method=request.method,
            body=urlencode(core.extract_body(request)),
            headers=core.extract_headers(request),
        )
        validator = core.server.request_validator
        return validator.authenticate_client(oauthlib_request) and is_resource_server(
            oauthlib_request.client
        )

    @staticmethod
    def get_token_response(token_value=None):
        if token_value is None:
            return oauth_error(errors.InvalidRequestError(description="Missing token."))
        token = access_token(token_value)
        if token is None or not token.is_valid() or (token.user and not token.user.is_active):
            return JsonResponse({"active": False})
        answer = {
            "active": True,
            "scope": token.scope,
            "client_id": token.application.client_id if token.application else None,
            "exp": int(token.expires.timestamp()),
            "token_type": "Bearer",
        }
        if token.user is not None:
            answer["sub"] = str(token.user.pk)
        return JsonResponse({key: value for key, value in answer.items() if value is not None})

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


class DeviceCodeClientThrottle(SimpleRateThrottle):
    """User codes typed from one client address."""

    scope = "device_code_client"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class DeviceCodeUserThrottle(SimpleRateThrottle):
    """User codes typed by one person, from any address."""

    scope = "device_code_user"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class DeviceUserCodeView(oauth2_views.DeviceUserCodeView):
    """Where a person types the code a device shows (RFC 8628). Every code typed
    counts against both limits, right or wrong; a code, once typed by one person,
    is theirs until it is approved, denied or expired (DOT gives it to whoever
    typed it last)."""

    template_name = "tokens/device_code.html"

    def post(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        for throttle in (DeviceCodeClientThrottle(), DeviceCodeUserThrottle()):
            # DRF throttles read only META and the user, which Django requests have.
            if not throttle.allow_request(request, self):
                seconds = math.ceil(throttle.wait() or 1)
                context = self.get_context_data(
                    form=self.form_class(),
                    refused=f"Too many codes tried. Try again in {seconds} seconds.",
                )
                response = self.render_to_response(context, status=429)
                response["Retry-After"] = str(seconds)
                return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        grant = form.cleaned_data["device_grant"]
        if not claim_device_grant(grant, self.request.user):
            form.add_error(
                "user_code",
                ValidationError("User code has already been used", code="user_code_already_used"),
            )
            return self.form_invalid(form)
        self.device_grant = grant
        return super(oauth2_views.DeviceUserCodeView, self).form_valid(form)


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
    """Revoke every access and refresh token of the user, on every client, and end
    their sessions (the login page's among them)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        revoke_tokens(request.user)
        end_sessions(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
