"""The one-time links that account emails carry.

A link opens a page of the frontend (settings.FRONTEND_URL and ACCOUNT_LINKS),
which posts the uid and token back to this API. Nothing here reads a request:
a forged Host or X-Forwarded-Host header cannot point a link elsewhere.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode


def uid_of(user):
    return urlsafe_base64_encode(force_bytes(user.pk))


def link(name, user, generator=default_token_generator):
    path = settings.ACCOUNT_LINKS[name].format(uid=uid_of(user), token=generator.make_token(user))
    return f"{settings.FRONTEND_URL.rstrip('/')}/{path}"


def user_of_link(uid, token, generator=default_token_generator):
    """The active user a link's uid and token name, or None if the token is not
    (or no longer) valid: used, expired, or issued before a password change."""
    try:
        pk = urlsafe_base64_decode(uid).decode()
        user = get_user_model()._default_manager.get(pk=pk, is_active=True)
    except (ValueError, UnicodeDecodeError, get_user_model().DoesNotExist):
        return None
    return user if generator.check_token(user, token) else None
