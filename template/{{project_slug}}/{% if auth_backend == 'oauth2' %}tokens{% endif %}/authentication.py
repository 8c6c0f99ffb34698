from django.contrib.auth.models import AnonymousUser
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauthlib.common import Request as OAuthlibRequest
from rest_framework.authentication import get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .validators import OAuth2Validator

MALFORMED = {"error": "invalid_token", "error_description": "The bearer header is malformed."}
INVALID = {"error": "invalid_token", "error_description": "The access token is invalid."}


class BearerAuthentication(OAuth2Authentication):
    """django-oauth-toolkit's bearer token authentication, with three changes:

    - The token is read from the `Authorization` header only, and handed straight
      to the validator's `validate_bearer_token` (DOT's checks: expiry, audience,
      client; and validators.py's: one query, an active user). DOT's class first
      runs oauthlib's request parsing and token-type dispatch, which cost about as
      much again as the whole check (measured); a token in a query string or
      a body is never read (RFC 9700 §4.3.2).
    - A bad token is refused (401, RFC 6750's challenge), where DOT's class passes
      the request on to the next authentication class: with sessions on, a
      revoked token sent from a logged-in browser would be served as the session.
    - A client's own token (client credentials) has no user: it authenticates as
      anonymous, so views for users answer it 403 instead of failing on None.
    """

    validator = OAuth2Validator()

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"bearer":
            return None
        if len(parts) != 2:
            self.refuse(request, MALFORMED)
        # Latin-1 reverses what the WSGI server did to the header's bytes.
        token = parts[1].decode("latin-1")
        checked = OAuthlibRequest(request.build_absolute_uri())
        if not self.validator.validate_bearer_token(token, [], checked):
            self.refuse(request, getattr(checked, "oauth2_error", None) or INVALID)
        return checked.user or AnonymousUser(), checked.access_token

    def refuse(self, request, error):
        # The challenge (authenticate_header) names the error, RFC 6750's way.
        request.oauth2_error = error
        raise AuthenticationFailed(error.get("error_description"), code=error["error"])
