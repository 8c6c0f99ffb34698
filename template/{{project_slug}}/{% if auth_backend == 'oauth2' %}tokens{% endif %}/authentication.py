from django.contrib.auth.models import AnonymousUser
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.exceptions import AuthenticationFailed


class BearerAuthentication(OAuth2Authentication):
    """django-oauth-toolkit's bearer token authentication (its validator reads the
    token and its user in one query: validators.py), with two changes:

    - a bad token is refused (401), where DOT's class passes the request on to the
      next authentication class: with sessions on, a revoked token sent from a
      logged-in browser would otherwise be accepted as the session;
    - a client's own token (client credentials) has no user: it authenticates as
      anonymous, so views for users answer it 403 instead of failing on a None user.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            error = getattr(request, "oauth2_error", {})
            if error:
                # The challenge (authenticate_header) names the error, RFC 6750's way.
                raise AuthenticationFailed(error.get("error_description"), code=error["error"])
            return None
        user, token = result
        return (AnonymousUser() if user is None else user), token
