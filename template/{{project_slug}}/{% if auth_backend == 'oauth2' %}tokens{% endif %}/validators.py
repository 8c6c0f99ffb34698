import re
from ipaddress import ip_address
from urllib.parse import urlsplit

from django.db import router, transaction
from oauth2_provider import oauth2_validators
from oauth2_provider.models import (
    get_device_grant_model,
    get_grant_model,
    get_refresh_token_model,
)
from oauthlib import oauth2 as oauthlib_oauth2
from oauthlib.oauth2.rfc6749 import errors

from .queries import access_token
from .services import consume_code, consume_device_grant, remember_exchange, revoke_replayed_code

INACTIVE_USER = {"error": "invalid_token", "error_description": "The access token is invalid."}
DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code"
# RFC 7636 §4.1-4.2: a verifier of 43-128 unreserved characters; an S256 challenge
# is the base64url of a SHA-256, 43 characters without padding.
Grant = get_grant_model()
AUTHORIZED = get_device_grant_model().AUTHORIZED
CODE_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
S256_CHALLENGE = re.compile(r"[A-Za-z0-9\-_]{43}")


def is_loopback(host):
    try:
        return ip_address(host or "").is_loopback
    except ValueError:
        return host == "localhost"


class OAuth2Validator(oauth2_validators.OAuth2Validator):
    """django-oauth-toolkit's validator, with these changes:
    - the access token, its application and its user are read in one query;
    - a deactivated user's token, refresh token and device grant are refused;
    - an `http` redirect URI is only accepted on a loopback address (RFC 8252's
      native apps), whatever an application registered;
    - an empty client secret never authenticates a client;
    - PKCE verifiers and challenges have RFC 7636's lengths;
    - a code, a device code and a refresh token are each used once, even by two
      requests at the same instant: taken out of use in the transaction that saves
      the new tokens, by a conditional write that only one request wins;
    - a replayed authorization code revokes the tokens it produced.
    """

    def _load_access_token(self, token):
        return access_token(token)

    def validate_bearer_token(self, token, scopes, request):
        if not super().validate_bearer_token(token, scopes, request):
            return False
        if request.user is not None and not request.user.is_active:
            request.oauth2_error = INACTIVE_USER
            return False
        return True

    def _check_secret(self, provided_secret, stored_secret):
        # A public client has no secret (createclient stores an empty one), and DOT
        # finds "" equal to "": without this, any public client would pass as a
        # confidential one where client authentication is asked (introspection).
        return bool(provided_secret) and super()._check_secret(provided_secret, stored_secret)

    def validate_redirect_uri(self, client_id, redirect_uri, request, *args, **kwargs):
        parts = urlsplit(redirect_uri)
        if parts.scheme == "http" and not is_loopback(parts.hostname):
            return False
        return super().validate_redirect_uri(client_id, redirect_uri, request, *args, **kwargs)

    def is_pkce_required(self, client_id, request):
        # oauthlib asks this at the authorization endpoint once the redirect URI is
        # known to be the client's, so the error goes back to the client by redirect.
        challenge = request.code_challenge
        if challenge is not None and not S256_CHALLENGE.fullmatch(challenge):
            raise errors.InvalidRequestError(
                description="code_challenge must be the 43-character base64url "
                "SHA-256 of the verifier (RFC 7636).",
                request=request,
            )
        return super().is_pkce_required(client_id, request)

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        verifier = request.code_verifier
        if verifier is not None and not CODE_VERIFIER.fullmatch(verifier):
            raise errors.InvalidRequestError(
                description="code_verifier must be 43 to 128 unreserved characters (RFC 7636).",
                request=request,
            )
        if super().validate_code(client_id, code, client, request, *args, **kwargs):
            return request.user.is_active
        revoke_replayed_code(code, client)
        return False

    # DOT reads the code again with .get() in each of these three: a 500 when a
    # concurrent exchange took it after validate_code. Read once, and lose cleanly.
    def get_code_challenge(self, code, request):
        return self.code_of(code, request).code_challenge or None

    def get_code_challenge_method(self, code, request):
        return self.code_of(code, request).code_challenge_method or None

    def confirm_redirect_uri(self, client_id, code, redirect_uri, client, request, *args, **kwargs):
        return self.code_of(code, request).redirect_uri_allowed(redirect_uri)

    def code_of(self, code, request):
        grant = getattr(request, "code_grant", None)
        if grant is None:
            grant = Grant.objects.filter(code=code, application=request.client).first()
            if grant is None:
                raise errors.InvalidGrantError(request=request)
            request.code_grant = grant
        return grant

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs):
        if not super().validate_refresh_token(refresh_token, client, request, *args, **kwargs):
            return False
        return request.user is None or request.user.is_active

    def save_bearer_token(self, token, request, *args, **kwargs):
        RefreshToken = get_refresh_token_model()
        with transaction.atomic(using=router.db_for_write(RefreshToken)):
            self.take_grant_out_of_use(request)
            return super().save_bearer_token(token, request, *args, **kwargs)

    def take_grant_out_of_use(self, request):
        """The one-use check, inside the transaction that saves the tokens: the
        request whose conditional write changes no row has lost and saves nothing."""
        if request.grant_type == "authorization_code":
            used = consume_code(request.code, request.client)
        elif request.grant_type == DEVICE_CODE:
            used = consume_device_grant(request.device_code, request.client.client_id)
        elif request.grant_type == "refresh_token":
            previous = request.refresh_token_instance
            # Locked (PostgreSQL) or serialized (SQLite's immediate transactions) until
            # a concurrent rotation commits; then it reads as revoked.
            used = (
                previous.revoked is not None
                or get_refresh_token_model()
                .objects.select_for_update()
                .filter(pk=previous.pk, revoked__isnull=True)
                .exists()
            )
        else:
            return
        if not used:
            raise errors.InvalidGrantError(request=request)

    def _create_access_token(self, expires, request, token, source_refresh_token=None):
        request.issued_access_token = super()._create_access_token(
            expires, request, token, source_refresh_token=source_refresh_token
        )
        return request.issued_access_token

    def _create_refresh_token(self, request, refresh_token_code, access_token, previous):
        request.issued_refresh_token = super()._create_refresh_token(
            request, refresh_token_code, access_token, previous
        )
        return request.issued_refresh_token

    def invalidate_authorization_code(self, client_id, code, request, *args, **kwargs):
        # The code was taken out of use with the tokens it gave (save_bearer_token);
        # keep what it gave, for a replay to revoke.
        remember_exchange(
            code,
            request,
            request.issued_access_token,
            getattr(request, "issued_refresh_token", None),
        )


class Server(oauthlib_oauth2.Server):
    """oauthlib's server, whose device grant finds the grant's user with a read that
    loses cleanly: DOT's `set_oauthlib_user_to_device_request_user` reads it with
    .get(), a 500 when a concurrent poll took the grant first."""

    def __init__(self, request_validator, *args, **kwargs):
        super().__init__(request_validator, *args, **{**kwargs, "pre_token": [device_grant_user]})


def device_grant_user(request):
    grant = (
        get_device_grant_model()
        .objects.select_related("user")
        .filter(device_code=request.device_code, status=AUTHORIZED)
        .first()
    )
    if grant is None:
        raise errors.InvalidGrantError(request=request)
    request.user = grant.user
    request.scopes = grant.scope.split()
