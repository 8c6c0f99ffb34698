"""Issuing and revoking DRF tokens: one token per user, valid for settings.TOKEN_TTL."""

from django.conf import settings
from django.utils import timezone
from rest_framework.authtoken.models import Token


def is_expired(token):
    return token.created <= timezone.now() - settings.TOKEN_TTL


def issue_token(user):
    """The user's current token, or a new one if it has none or it has expired.

    Logging in again does not rotate a live token: every device of the user
    shares it, and logging out on one logs out all.
    """
    Token.objects.filter(user=user, created__lte=timezone.now() - settings.TOKEN_TTL).delete()
    token, _ = Token.objects.get_or_create(user=user)
    return {"token": token.key}


def revoke_tokens(user):
    Token.objects.filter(user=user).delete()
