from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .queries import token_with_user
from .services import is_expired


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication in one query, refusing and deleting tokens older
    than settings.TOKEN_TTL."""

    def authenticate_credentials(self, key):
        found = token_with_user(key)
        if found is None:
            raise AuthenticationFailed(_("Invalid token."))
        token, user = found
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        if is_expired(token):
            token.delete()
            raise AuthenticationFailed(_("Token has expired."))
        return user, token
