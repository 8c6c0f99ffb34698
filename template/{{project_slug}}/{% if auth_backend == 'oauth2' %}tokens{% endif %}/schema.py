"""What the OpenAPI schema needs to know about the OAuth2 server that the code cannot say.

drf-spectacular's own extension for django-oauth-toolkit declares one scheme; this
one declares two (see below), which its code cannot, so it is written on the
base extension class, reading the scopes from the view's permissions as the
contrib one does.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from oauth2_provider.contrib.rest_framework import TokenHasScope
from oauth2_provider.scopes import get_scopes_backend

from .authentication import BearerAuthentication

AUTHORIZATION_URL = "/o/authorize/"
TOKEN_URL = "/o/token/"  # noqa: S105 (a URL, not a secret)


class BearerAuthenticationScheme(OpenApiAuthenticationExtension):
    """Two schemes for one header, either of which an operation accepts:
    - "oauth2": the flows this server offers, their URLs and scopes, and the
      scopes each operation needs (what Swagger UI's Authorize dialog runs);
    - "bearer": a token however it was obtained, as OpenAPI 3.0 cannot describe
      the device flow. It also tells tools that read only `http` schemes (such as
      schemathesis' authentication checks) where the token goes.
    """

    target_class = BearerAuthentication
    name = ["oauth2", "bearer"]

    def get_security_requirement(self, auto_schema):
        view = auto_schema.view
        scopes = [
            scope
            for permission in view.get_permissions()
            if isinstance(permission, TokenHasScope)
            for scope in permission.get_scopes(view.request, view)
        ]
        return [{"oauth2": scopes}, {"bearer": []}]

    def get_security_definition(self, auto_schema):
        scopes = get_scopes_backend().get_all_scopes()
        return [
            {
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
            },
            {"type": "http", "scheme": "bearer"},
        ]
