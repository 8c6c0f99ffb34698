from oauth2_provider.contrib.rest_framework import permissions
from oauth2_provider.models import AbstractAccessToken
from rest_framework.exceptions import PermissionDenied


class InsufficientScope(PermissionDenied):
    """RFC 6750's 403, with the challenge that names the scopes needed."""

    default_code = "insufficient_scope"

    def __init__(self, scopes):
        scope = " ".join(scopes)
        super().__init__(f"This token lacks the scope this request needs: {scope}.")
        self.auth_header = f'Bearer realm="api",error="insufficient_scope",scope="{scope}"'


class TokenHasReadWriteScope(permissions.TokenHasReadWriteScope):
    """On a bearer token: `read` for safe methods, `write` for the others, plus a
    view's `required_scopes`. Other credentials (a session) pass: their views'
    own permissions decide."""

    def has_permission(self, request, view):
        if not isinstance(request.auth, AbstractAccessToken):
            return True
        if super().has_permission(request, view):
            return True
        raise InsufficientScope(self.get_scopes(request, view))
