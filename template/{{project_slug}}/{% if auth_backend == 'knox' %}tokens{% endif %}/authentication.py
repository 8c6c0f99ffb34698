import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework.exceptions import AuthenticationFailed

from .queries import tokens_with_users


class KnoxTokenAuthentication(TokenAuthentication):
    """knox's authentication in one query instead of two, answering 401 rather than
    500 to a key that is not UTF-8.

    knox also deletes the user's other expired tokens on every request, with a
    second query; here that happens at login (services.delete_expired_tokens), off
    the request path. The token presented is still deleted, and refused, once expired.
    """

    def authenticate_credentials(self, token):
        message = _("Invalid token.")
        try:
            token = token.decode("utf-8")
        except UnicodeDecodeError:
            raise AuthenticationFailed(message) from None
        prefix = token[: CONSTANTS.TOKEN_KEY_LENGTH]
        for auth_token, user in tokens_with_users(prefix):
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                auth_token.delete()
                token_expired.send(
                    sender=self.__class__, username=user.get_username(), source="auth_token"
                )
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                raise AuthenticationFailed(message) from None
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise AuthenticationFailed(message)
