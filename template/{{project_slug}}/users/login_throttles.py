"""Login throttles. Every attempt counts, whether it succeeds or not."""

import hashlib
import math
import unicodedata

from django.contrib.auth import get_user_model
from django.http import JsonResponse
from rest_framework import status
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from .devices import known_device, remember_device


class LoginClientThrottle(SimpleRateThrottle):
    """Attempts from one client address (REMOTE_ADDR, or X-Forwarded-For as far as
    DJANGO_TRUSTED_PROXIES allows)."""

    scope = "login_client"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginAccountThrottle(SimpleRateThrottle):
    """Attempts at one account, from any address: stops a password guessed from many."""

    scope = "login_account"

    def login_data(self, request):
        """The submitted credentials, and the name of the field that names the account."""
        return request.data, get_user_model().USERNAME_FIELD

    def get_cache_key(self, request, view):
        account = account_key(*self.login_data(request))
        if account is None:
            return None  # nothing to count against; the credentials check refuses it
        # A client that logged in to this account before has a limit of its own.
        device = known_device(request, account)
        ident = f"device-{device}" if device else account
        return self.cache_format % {"scope": self.scope, "ident": ident}


class FormLoginAccountThrottle(LoginAccountThrottle):
    """The account limit, on Django's login forms (the admin's; an authorization
    server's), plain Django form posts.

    Same scope as the API's: one account's attempts count in one bucket, whichever
    door they knock on.
    """

    def login_data(self, request):
        # Django's admin login form names the field "username" for every user model.
        return request.POST, "username"


def throttled_login(request):
    """For a login form posted to a Django view (the admin's, an authorization
    server's): a 429 if either limit is spent, else None. Every attempt counts."""
    throttles = (LoginClientThrottle(), FormLoginAccountThrottle())
    return refused_by(request, throttles, "Too many login attempts.")


def refused_by(request, throttles, message):
    """DRF throttles on a plain Django view: the JSON 429 of the first that refuses
    the request, else None. Each throttle counts the request."""
    for throttle in throttles:
        # DRF throttles read only META, COOKIES and POST, which Django requests have.
        if not throttle.allow_request(request, None):
            seconds = math.ceil(throttle.wait() or 1)
            return JsonResponse(
                {"detail": f"{message} Try again in {seconds} seconds."},
                status=429,
                headers={"Retry-After": str(seconds)},
            )
    return None


class LoginThrottleMixin(APIView):
    """For login views: both limits, and a known-device cookie after each success."""

    throttle_classes = [LoginClientThrottle, LoginAccountThrottle]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # A login that still waits for its second factor makes no known device.
        data = getattr(response, "data", None)
        waiting = isinstance(data, dict) and data.get("mfa_required")
        if status.is_success(response.status_code) and not waiting:
            account = account_key(request.data, get_user_model().USERNAME_FIELD)
            if account is not None:
                remember_device(response, account)
        return response


def account_key(data, field):
    """A short, opaque key for the account a login names (no user name in the cache)."""
    login = login_identifier(data, field)
    if login is None:
        return None
    return identifier_key(login)


def identifier_key(identifier):
    """The key of an account's login identifier, folded as `login_identifier` folds it."""
    return hashlib.sha256(fold(identifier).encode("utf-8", "backslashreplace")).hexdigest()


def fold(identifier):
    """Case, and compatibility forms such as fullwidth letters, folded away."""
    return unicodedata.normalize("NFKC", identifier.strip()).casefold()


def login_identifier(data, field):
    """The account a login names, read as the credentials serializer reads it (DRF's
    CharField takes a JSON number as its text and trims whitespace), then folded
    (case, and compatibility forms such as fullwidth letters), so that every spelling
    of one account counts in one bucket."""
    value = data.get(field) if hasattr(data, "get") else None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return fold(str(value)) or None
