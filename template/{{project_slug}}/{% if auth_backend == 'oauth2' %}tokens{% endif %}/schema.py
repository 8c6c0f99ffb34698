"""What the OpenAPI schema needs to know about the OAuth2 server that the code cannot say.

The extension names its target by class rather than by dotted path, so a rename
fails at import instead of silently dropping the docs (drf-spectacular accepts
both; its contrib class declares a string, hence the type: ignore).
"""

from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme
from oauth2_provider.scopes import get_scopes_backend

from .authentication import BearerAuthentication

AUTHORIZATION_URL = "/o/authorize/"
TOKEN_URL = "/o/token/"  # noqa: S105 (a URL, not a secret)


class BearerAuthenticationScheme(DjangoOAuthToolkitScheme):
    """The flows this server offers (OpenAPI 3.0 cannot state the device flow), with
    their URLs and scopes; each operation lists the scopes it needs."""

    target_class = BearerAuthentication  # type: ignore[assignment]

    def get_security_definition(self, auto_schema):
        scopes = get_scopes_backend().get_all_scopes()
        return {
            "type": "oauth2",
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": AUTHORIZATION_URL,
                    "tokenUrl": TOKEN_URL,
                    "refreshUrl": TOKEN_URL,
                    "scopes": scopes,
                },
                "clientCredentials": {"tokenUrl": TOKEN_URL, "scopes": scopes},
            },
        }
