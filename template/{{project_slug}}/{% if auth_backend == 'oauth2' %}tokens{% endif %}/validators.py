from ipaddress import ip_address
from urllib.parse import urlsplit

from oauth2_provider import oauth2_validators

from .queries import access_token

INACTIVE_USER = {"error": "invalid_token", "error_description": "The access token is invalid."}


def is_loopback(host):
    try:
        return ip_address(host or "").is_loopback
    except ValueError:
        return host == "localhost"


class OAuth2Validator(oauth2_validators.OAuth2Validator):
    """django-oauth-toolkit's validator, with four changes:
    - the access token, its application and its user are read in one query;
    - a token whose user has been deactivated is refused;
    - an `http` redirect URI is only accepted on a loopback address (RFC 8252's
      native apps), whatever an application registered;
    - an empty client secret never authenticates a client.
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
